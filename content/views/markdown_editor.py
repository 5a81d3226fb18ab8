"""The two endpoints behind the django-markdownx editor: live preview and image upload.

markdownx ships its own views, but they accept anyone's requests and any size; these check the
user and the limits and render through the project's one Markdown module. markdownx's script puts
whatever the preview endpoint returns into the page, so every answer here is safe HTML.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import markdown
from content.images import ImageRejected, store_image
from content.models import AuditEvent, record_event

ERROR_NO_FILE = gettext_lazy("No file was sent. Choose or drop an image.")


def _may_write(request: HttpRequest) -> bool:
    user = request.user
    return user.has_perm("content.add_post") or user.has_perm("content.edit_any_post")


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    if not _may_write(request):
        return HttpResponse(status=403)
    try:
        html = markdown.render_html(request.POST.get("content", ""))
    except markdown.MarkdownRefused as error:
        message = format_html('<p class="preview-error" role="alert">{}</p>', str(error))
        return HttpResponse(message, status=400)
    return HttpResponse(html)


@login_required
@require_POST
def image_upload(request: HttpRequest) -> JsonResponse:
    if not _may_write(request):
        return JsonResponse({"image": ["You may not upload images."]}, status=403)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": [str(ERROR_NO_FILE)]}, status=400)
    try:
        stored = store_image(upload)
    except ImageRejected as error:
        return JsonResponse({"image": [str(error)]}, status=400)
    with transaction.atomic():
        record_event(
            action=AuditEvent.Action.IMAGE_UPLOADED,
            actor=request.user,
            file=stored.name,
            original_name=(upload.name or "")[:200],
        )
    return JsonResponse({"image_code": f"![]({stored.url})"})
