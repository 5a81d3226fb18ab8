"""/api/v1/docs/: Swagger UI, served by us (drf-spectacular-sidecar), under the site's CSP.

drf-spectacular's split view loads its start-up script from a second request instead of an
inline <script> (made for a strict CSP); its page still has an inline <style>, and its script
reads a CSRF token (which would set a cookie). Our templates (content/api/templates) drop both.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "partner_api/swagger_ui.html"
    template_name_js = "partner_api/swagger_ui.js"
    title = "Partner API"
