from django.urls import path

from content.views import author, editor, review

app_name = "content"

urlpatterns = [
    path("", author.dashboard, name="dashboard"),
    path("posts/new/", author.post_create, name="post_create"),
    path("posts/<int:pk>/", author.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", author.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", author.post_history, name="post_history"),
    path("posts/<int:pk>/compare/", author.revision_compare, name="revision_compare"),
    path("posts/<int:pk>/revisions/<int:number>/", author.revision_detail, name="revision_detail"),
    path(
        "posts/<int:pk>/revisions/<int:number>/restore/",
        author.revision_restore,
        name="revision_restore",
    ),
    path("reviews/", review.review_queue, name="review_queue"),
    path("posts/<int:pk>/review/", review.review_post, name="review_post"),
    path("posts/<int:pk>/workflow/<slug:action>/", review.post_action, name="post_action"),
    path("posts/<int:pk>/timeline/", review.post_timeline, name="post_timeline"),
    path("audit/", review.audit_log, name="audit_log"),
    path("notifications/", review.notification_list, name="notifications"),
    # Paths fixed by MARKDOWNX_URLS_PATH and MARKDOWNX_UPLOAD_URLS_PATH in settings.
    path("markdown/preview/", editor.markdown_preview, name="markdown_preview"),
    path("markdown/upload/", editor.image_upload, name="image_upload"),
]
