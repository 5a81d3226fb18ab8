from __future__ import annotations

from django.urls import path

from content.views import (
    author,
    discussion,
    exports,
    facts_preview,
    interactions,
    markdown_editor,
    review,
    team,
    translations,
)

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
    path("posts/<int:pk>/schedule/", review.post_schedule, name="post_schedule"),
    path("schedules/<int:pk>/cancel/", review.schedule_cancel, name="schedule_cancel"),
    path(
        "posts/<int:pk>/revisions/<int:number>/opsec/override/",
        review.opsec_override,
        name="opsec_override",
    ),
    # Review discussion (content/views/discussion.py).
    path(
        "posts/<int:pk>/revisions/<int:number>/comments/",
        discussion.comment_add,
        name="comment_add",
    ),
    path(
        "posts/<int:pk>/comments/<int:comment_pk>/resolve/",
        discussion.comment_resolve,
        name="comment_resolve",
    ),
    # Translations of posts (content/views/translations.py).
    path("posts/<int:pk>/translate/", translations.post_translate, name="post_translate"),
    path(
        "posts/<int:pk>/translation/override/",
        translations.translation_override,
        name="translation_override",
    ),
    path("audit/", review.audit_log, name="audit_log"),
    path("notifications/", review.notification_list, name="notifications"),
    # Exports, the repost register and signing keys (content/views/exports.py).
    path("posts/<int:pk>/export/", exports.post_export, name="post_export"),
    path("posts/<int:pk>/reposts/", exports.post_reposts, name="post_reposts"),
    path("reposts/outdated/", exports.outdated_reposts, name="outdated_reposts"),
    path("reposts/<int:pk>/replacement/", exports.repost_replacement, name="repost_replacement"),
    path("reposts/<int:pk>/close/", exports.repost_close, name="repost_close"),
    path("keys/", exports.key_list, name="key_list"),
    path("keys/import/", exports.key_import, name="key_import"),
    path("keys/generate/", exports.key_generate, name="key_generate"),
    path("keys/<int:pk>/toggle/", exports.key_toggle, name="key_toggle"),
    path("keys/<int:pk>/retire/", exports.key_retire, name="key_retire"),
    path("keys/<int:pk>/revoke/", exports.key_revoke, name="key_revoke"),
    path("keys/<int:pk>/public.asc", exports.key_public, name="key_public"),
    # The interaction table (content/views/interactions.py).
    path("interactions/", interactions.interaction_list, name="interactions"),
    path("interactions/propose/", interactions.interaction_propose, name="interaction_propose"),
    path(
        "interactions/proposals/<int:pk>/approve/",
        interactions.proposal_approve,
        name="interaction_approve",
    ),
    path(
        "interactions/proposals/<int:pk>/refuse/",
        interactions.proposal_refuse,
        name="interaction_refuse",
    ),
    # The team, for editors (content/views/team.py), and the invitation's link for newcomers.
    path("team/", team.team_list, name="team"),
    path("team/invite/", team.team_invite, name="team_invite"),
    path("team/<int:pk>/roles/", team.team_roles, name="team_roles"),
    path("team/<int:pk>/deactivate/", team.team_deactivate, name="team_deactivate"),
    path("team/<int:pk>/reactivate/", team.team_reactivate, name="team_reactivate"),
    path("team/<int:pk>/resend/", team.team_resend, name="team_resend"),
    path("welcome/<uidb64>/<token>/", team.welcome, name="team_welcome"),
    path("welcome/done/", team.welcome_done, name="team_welcome_done"),
    # Paths fixed by MARKDOWNX_URLS_PATH and MARKDOWNX_UPLOAD_URLS_PATH in settings.
    path("markdown/preview/", markdown_editor.markdown_preview, name="markdown_preview"),
    path("markdown/upload/", markdown_editor.image_upload, name="image_upload"),
    path("markdown/facts-preview/", facts_preview.facts_preview, name="facts_preview"),
]
