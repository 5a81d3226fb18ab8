"""/api/v1/docs/ in Chromium: Swagger UI renders the operations under the site's strict CSP,
with no violation, no console error and no request to any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every CSP violation in the page, from before its first script runs.
LISTEN_FOR_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || "")
  );
});
"""


def test_the_docs_render_the_operations_with_no_csp_violation_or_other_host(
    page, live_server
) -> None:
    own = urlsplit(live_server.url).netloc
    requests: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)

    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe" not in policy
    # Swagger UI fetched our schema and drew both operations.
    page.locator(".opblock-summary-path", has_text="/api/v1/posts/{lang}/{slug}/").wait_for()
    page.locator(".opblock-summary-path >> text=/api/v1/posts/").first.wait_for()
    # Open one operation: its responses (304, 410, ...) are drawn too.
    page.locator(".opblock-summary", has_text="/api/v1/posts/{lang}/{slug}/").click()
    page.locator(".responses-table", has_text="410").wait_for()
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.cspViolations") == []
    assert not [line for line in console if "Content Security Policy" in line or "error" in line]
    assert errors == []
    # Our own host, or data: images drawn by Swagger UI (the one CSP exception of this page).
    others = [
        url for url in requests if urlsplit(url).netloc != own and not url.startswith("data:")
    ]
    assert requests and others == []
    assert "img-src 'self' data:" in policy
    assert page.context.cookies() == []
