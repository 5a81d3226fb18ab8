"""/api/v1/docs/: Swagger UI, served by us (drf-spectacular-sidecar), under the site's CSP.

drf-spectacular's split view loads its start-up script from a second request instead of an
inline <script> (made for a strict CSP); its page still has an inline <style>, and its script
reads a CSRF token (which would set a cookie). Our templates (content/api/templates) drop both.

One exception to the site's policy, on this page only: Swagger UI draws its icons as data:
images (in its stylesheet and its script), which `img-src 'self'` refuses. Scripts and styles
stay 'self' only; a data: image cannot run anything. Redoc was tried and not chosen: under this
policy its bundle's run-time <style> elements are refused (it would need style-src
'unsafe-inline') and drf-spectacular's Redoc page asks Google Fonts for its fonts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularSwaggerSplitView

DOCS_CSP: dict[str, list[str]] = {
    directive: [str(source) for source in sources]
    for directive, sources in settings.SECURE_CSP.items()
} | {"img-src": [CSP.SELF, "data:"]}


class DocsView(SpectacularSwaggerSplitView):
    template_name = "partner_api/swagger_ui.html"
    template_name_js = "partner_api/swagger_ui.js"
    title = "Partner API"


def docs_view() -> Any:
    return csp_override(DOCS_CSP)(DocsView.as_view(url_name="api:schema"))
