from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from content.views import language
from harmreduction.accounts import StudioPasswordResetForm

# Own template names: the admin app ships registration/password_reset_*.html, and its templates
# are found before the content app's.
urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=StudioPasswordResetForm,
            template_name="registration/reset_form.html",
            email_template_name="registration/reset_email.txt",
            subject_template_name="registration/reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/reset_done.html",
            extra_context={"interval": settings.PASSWORD_RESET_MAIL_MINUTES},
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # Each person's studio language (content/views/language.py).
    path("studio/language/", language.choose, name="studio_language"),
    path("studio/", include("content.urls")),
    path("admin/", admin.site.urls),
    # The read-only partner API (content/api/urls.py).
    path("api/", include("content.api.urls")),
    # The public site last: its /<lang>/<slug>/ pattern must not shadow the paths above.
    path("", include("content.public_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A missing page is answered in the public site's frame (a heading, the way home, the footer's
# trust links) rather than Django's bare page; the API answers its own JSON 404.
handler404 = "content.views.public.not_found"
