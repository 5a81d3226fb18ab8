"""The public site as an anonymous reader meets it, for tests/browser/test_public_pages.py.

`seed_public_site()` writes the demo content (content.demo) plus what it lacks for a reader:
published posts in Dutch and French, a moved address, a current and a retired signing key, a
signed canary. `audit_site()` crawls the live server from
`/` in two browser contexts and gathers every problem it sees, per requirement, without stopping
at the first: a page with JavaScript off at a phone's size (the Tor Browser "safest" reader), and
a desktop page with JavaScript on, where axe-core and a CSP violation listener run.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Response,
    ViewportSize,
)
from playwright.sync_api import Error as PlaywrightError

from content import addresses, demo, signing_keys, states, trust
from content.models import ExportProfile, Language, Post, PostKind
from content.revisions import RevisionContent, Source, create_post
from tests.support import Keys, key_record, signed_attestation

MAX_PAGES = 80  # a bound on the crawl, forms' answers and the pages visited on purpose included
MAX_VARIANTS = 2  # addresses of one shape (path and query parameter names) audited
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MIN_FONT_PX = 12
# Typed into the empty text fields of each GET form: a word in the en and nl alerts, and one that
# matches nothing (the "no results" page).
SEARCH_WORDS = ("MDMA", "xylophone")

# Not pages for readers, or not HTML: the studio, the admin, accounts, the API, files and feeds.
SKIPPED_PREFIXES = ("/studio/", "/admin/", "/accounts/", "/api/", "/static/", "/media/")
SKIPPED_SUFFIXES = (
    ".txt", ".xml", ".json", ".asc", ".sig", ".gpg", ".atom", ".rss", ".md", ".pdf", ".zip",
    ".csv", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".ico",
)  # fmt: skip
FEED_SEGMENT = re.compile(r"^(feeds?|atom|rss)$")

# Migrations write these rows; a transactional test's flush empties them, and the demo needs them.
SEEDED_BY_MIGRATIONS = (
    ("0002_languages", "add_languages"),
    ("0004_review_policies", "add_policies"),
    ("0006_export_profiles", "add_profiles"),
    ("0008_opsec", "seed"),
    ("0014_public_version", "create_row"),
    ("0022_translations", "drug_alerts_are_safety_relevant"),
    ("0024_export_languages", "add_frames"),
    ("0025_alert_facts", "seed_bounds"),
)

FRENCH_GHB = RevisionContent(
    title="GHB / GBL : fiche d'information",
    summary="Dosage, risques et que faire quand quelqu'un perd connaissance.",
    body=(
        "Le **GHB** (et le GBL, que le corps transforme en GHB) est un dépresseur vendu sous "
        "forme liquide.\n\n## Dosage\n\nMesurez avec une pipette, jamais « au bouchon ».\n\n"
        "## Risques\n\n- Perte de connaissance, vomissements, arrêt respiratoire.\n"
        "- **Jamais avec de l'alcool**, de la kétamine ou des opioïdes.\n\n"
        "Quelqu'un ne se réveille pas ? Appelez le **112**."
    ),
    sources=(
        Source("Modus Vivendi", "https://www.modusvivendi-be.org/", "2026-09-20"),
        Source("Infor-Drogues & Addictions", "https://www.infor-drogues.be/", "2026-09-21"),
    ),
    substances=("GHB", "GBL"),
    topics=("dosage", "overdose"),
)


@dataclass(frozen=True)
class SeededSite:
    published: dict[str, str]  # public address -> language code, for every published post
    withdrawn: str  # the address of a withdrawn post (410)
    given_up: str  # an old address of a post, given up when it moved (410, naming nothing)
    pastes: dict[str, str]  # what a verify answer page shows -> the text pasted for it


@dataclass(frozen=True)
class Visit:
    """A page to audit: an address, or the answer to pasting `paste` into the verify form."""

    url: str
    via: str  # how the crawl got there: a link from a page, a form, or on purpose
    status: int = 200
    paste: str = ""

    @property
    def name(self) -> str:
        return f"{self.url} [POST: {self.via}]" if self.paste else self.url


@dataclass
class SiteAudit:
    origin: str
    site: SeededSite
    visits: list[Visit] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # Visit.name -> HTTP status
    skipped: set[str] = field(default_factory=set)  # same-origin links not audited, and why
    unvisited: list[str] = field(default_factory=list)  # left in the queue at MAX_PAGES
    without_js: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{self.statuses.get(v.name, '---')} {v.name}  (via {v.via})" for v in self.visits]
        lines += [f"not audited: {line}" for line in sorted(self.skipped)]
        lines += [f"left at the bound of {MAX_PAGES} pages: {line}" for line in self.unvisited]
        return "\n".join(lines)


# --- Seeding -----------------------------------------------------------------------------------


def restore_seeded_rows() -> None:
    from django.apps import apps

    for module, function in SEEDED_BY_MIGRATIONS:
        getattr(importlib.import_module(f"content.migrations.{module}"), function)(apps, None)


def seed_public_site(keys: Keys) -> SeededSite:
    """The demo content, its Dutch translation published, a French post, an address given up,
    our keys on record, a forum profile signing with the current one, a signed canary."""
    restore_seeded_rows()
    demo.seed()
    users = {user.username: user for user in get_user_model().objects.all()}
    reviewers = [users["rik"], users["sofie"]]
    dutch = Post.objects.get(slug="hooggedoseerde-xtc-pillen-oranje-tesla")
    if dutch.published_revision_id is None:  # the demo may publish it already
        states.publish_latest(dutch, author=users["bram"], reviewers=reviewers)
    french = create_post(
        author=users["anna"],
        language=Language.objects.get(code="fr"),
        kind=PostKind.FACT_SHEET,
        slug="ghb-gbl-fiche",
        content=FRENCH_GHB,
        translation_of=Post.objects.get(slug="ghb-gbl-fact-sheet"),
    )
    states.publish_latest(french, author=users["anna"], reviewers=reviewers)
    moved = Post.objects.select_related("language").get(slug="can-i-test-my-pills-myself")
    given_up = moved.get_public_url()
    addresses.change_slug(
        post=moved, actor=users["eva"], slug="testing-pills-yourself", keep_old_address=False
    )
    # Our key on record, and one forum profile signing with it: post pages offer its copies.
    # An older key, retired; the canary and mirror list signed (the PGP page shows all three).
    ExportProfile.objects.filter(slug="phpbb").update(
        sign=True, signing_key=key_record(keys.home, keys.team, "Team key")
    )
    signing_keys.retire_signing_key(
        key=key_record(keys.home, keys.expired, "Old key"), actor=users["eva"], reason="Replaced."
    )
    trust.sign_statements(actor=users["eva"])

    public = Post.objects.published().select_related("language", "published_revision")
    alert = public.get(slug="high-dose-mdma-pills-orange-tesla")
    first = alert.revisions.get(number=1)
    withdrawn = Post.objects.select_related("language").get(slug="pmma-sold-as-ecstasy")
    return SeededSite(
        published={post.get_public_url(): post.language.code for post in public},
        withdrawn=withdrawn.get_public_url(),
        given_up=given_up,
        pastes={
            "good signature, current version": signed_attestation(keys, alert),
            "unsigned older version, with its diff": f"{first.title}\n\n{first.body}",
            "withdrawn post": withdrawn.revisions.get(number=1).body,
        },
    )


# --- Crawling ----------------------------------------------------------------------------------


def is_file_or_feed(path: str) -> bool:
    return path.lower().endswith(SKIPPED_SUFFIXES) or any(
        FEED_SEGMENT.match(segment) for segment in path.split("/")
    )


def _skip_reason(url: str, origin: str, download: bool) -> str:
    """Why a link is not a page to audit ("" when it is one)."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return "other origin"
    if download:
        return "download"
    if parts.path.startswith(SKIPPED_PREFIXES):
        return "not public"
    if is_file_or_feed(parts.path):
        return "file or feed"
    return ""


def _normal(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


class Crawl:
    """The queue of addresses: each once, MAX_VARIANTS per path and set of query parameters
    (two topics, not every topic; a search that finds something and one that finds nothing)."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.queue: deque[Visit] = deque()
        self.seen: set[str] = set()
        self.variants: Counter[str] = Counter()
        self.skipped: set[str] = set()

    def add(self, visit: Visit, *, download: bool = False) -> None:
        url = _normal(urljoin(self.origin + "/", visit.url))
        reason = _skip_reason(url, self.origin, download)
        if reason:
            if reason != "other origin":
                self.skipped.add(f"{url} ({reason})")
            return
        parts = urlsplit(url)
        shape = f"{parts.path}?{sorted(parse_qs(parts.query, keep_blank_values=True))}"
        key = f"{url} {visit.paste}"
        if key in self.seen or (parts.query and self.variants[shape] >= MAX_VARIANTS):
            return
        self.seen.add(key)
        self.variants[shape] += 1
        self.queue.append(Visit(url=url, via=visit.via, status=visit.status, paste=visit.paste))


# --- What each page is checked for -------------------------------------------------------------

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || "?"}:${event.lineNumber} (${event.sample || ""})`
  );
});
"""

READ_CSP_VIOLATIONS = """
() => new Promise((done) => setTimeout(() => done(window.__cspViolations || []), 50))
"""

LINKS = "els => els.map(a => [a.href, a.hasAttribute('download')])"

# Outermost elements sticking out to the right of the phone's screen (not inside a box that scrolls
# or clips them), and text set smaller than MIN_FONT_PX. The screen's width is passed in: a phone
# widens its layout viewport (window.innerWidth) to fit content that overflows.
PHONE_LAYOUT = """
([width, minFont]) => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  const path = (el) => {
    const names = [];
    for (let at = el; at && at !== document.body; at = at.parentElement) names.unshift(name(at));
    return names.join(" > ");
  };
  const clips = (el) => ["auto", "scroll", "hidden", "clip"].includes(
    getComputedStyle(el).overflowX);
  const flagged = new Set();
  const wide = [], small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === "none" || style.visibility === "hidden") continue;
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
    let clipped = false, inFlagged = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (flagged.has(up)) inFlagged = true;
      if (clips(up)) clipped = true;
    }
    if (!clipped && !inFlagged && box.right > width + 0.5) {
      flagged.add(el);
      const right = Math.round(box.right);
      wide.push(`${path(el)} is ${Math.round(box.width)}px wide, right edge at ${right}px`);
    }
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (text && parseFloat(style.fontSize) < minFont) {
      small.push(`${path(el)} has ${style.fontSize} text: "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide, small};
}
"""

MAIN_CONTENT = "main h1"
# Ways back and on: the site's home link in the header or a nav, and the footer's links.
NAVIGATION = "header a[href='/'], nav a[href='/']"
FOOTER_LINKS = "footer a[href]"


def _axe_lines(violations: list[dict[str, Any]]) -> list[str]:
    """One line a node: rule, impact, selector, the colours of a contrast failure, the fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            detail = ""
            data = next((c.get("data") for c in node.get("any", []) if c.get("data")), None)
            if violation["id"] == "color-contrast" and isinstance(data, dict):
                detail = (
                    f" [{data.get('fgColor')} on {data.get('bgColor')}: "
                    f"{data.get('contrastRatio')}:1, needs {data.get('expectedContrastRatio')}, "
                    f"{data.get('fontSize')} {data.get('fontWeight')}]"
                )
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {target}{detail}: "
                f"{violation['help']}. {summary}"
            )
    return lines


# --- The audit ---------------------------------------------------------------------------------


class Auditor:
    """Two contexts, one page each, reused for every address."""

    def __init__(self, browser: Browser, origin: str, site: SeededSite) -> None:
        self.origin = origin
        self.result = SiteAudit(origin=origin, site=site)
        self.axe = Axe()
        self.plain = browser.new_context(
            java_script_enabled=False, viewport=PHONE, is_mobile=True, has_touch=True
        )
        self.scripted = browser.new_context(viewport=DESKTOP)
        self.scripted.add_init_script(CSP_LISTENER)
        self.console: list[str] = []
        self.failed: list[str] = []
        for context in (self.plain, self.scripted):
            context.on("request", self._check_host)
        self.plain_page = self._page(self.plain)
        self.scripted_page = self._page(self.scripted)

    def _page(self, context: BrowserContext) -> Page:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda message: self.console.append(message.text))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} failed"))
        page.on(
            "response",
            lambda response: (
                self.failed.append(f"{response.url} answered {response.status}")
                if response.status >= 400 and response.request.resource_type != "document"
                else None
            ),
        )
        return page

    def _check_host(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.result.other_hosts.append(f"{request.url} (from {request.frame.url})")

    def _open(self, page: Page, visit: Visit) -> Response | None:
        """Load the page as a reader does: follow the address, or paste and press Check."""
        response = page.goto(visit.url)
        if not visit.paste:
            return response
        page.fill("textarea[name=text]", visit.paste)
        with page.expect_navigation() as answer:
            page.locator("form[method=post] button[type=submit]").click()
        return answer.value

    def close(self) -> None:
        for context in (self.plain, self.scripted):
            context.close()

    # JavaScript off, at a phone's size: loads, has its content, links, forms, fits the screen.
    def plain_visit(self, visit: Visit, crawl: Crawl) -> bool:
        """Audit what needs no script; False when `visit` is no HTML page (a file, a download)."""
        self.console.clear()
        self.failed.clear()
        try:
            response = self._open(self.plain_page, visit)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                crawl.skipped.add(f"{visit.url} (download)")
            else:
                self.result.without_js.append(f"{visit.name}: {str(error).splitlines()[0]}")
            return False
        self.result.statuses[visit.name] = response.status if response else 0
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            crawl.skipped.add(f"{visit.url} (not HTML)")
            return False
        self.result.visits.append(visit)
        self._page_parts(visit, response)
        self._phone_layout(visit)
        self._csp_console(visit)
        for href, download in self.plain_page.locator("a[href]").evaluate_all(LINKS):
            crawl.add(Visit(url=href, via=visit.name), download=download)
        self._submit_get_forms(visit, crawl)
        return True

    def _page_parts(self, visit: Visit, response: Response) -> None:
        page, problems = self.plain_page, self.result.without_js
        if response.status != visit.status:
            problems.append(f"{visit.name}: answered {response.status}, expected {visit.status}")
        if visit.paste and page.locator(".verify-result").count() != 1:
            problems.append(f"{visit.name}: the answer shows no result")
        if page.locator(MAIN_CONTENT).count() != 1 or not page.locator("main").inner_text().strip():
            problems.append(f"{visit.name}: no <main> with one <h1> and text")
        if page.locator(NAVIGATION).count() == 0 or page.locator(FOOTER_LINKS).count() == 0:
            problems.append(f"{visit.name}: no link home in a header or nav, or no footer links")
        problems.extend(f"{visit.name}: {failure}" for failure in self.failed)
        if "default-src 'self'" not in response.headers.get("content-security-policy", ""):
            self.result.csp.append(f"{visit.name}: no Content-Security-Policy with default-src")

    def _phone_layout(self, visit: Visit) -> None:
        layout = self.plain_page.evaluate(PHONE_LAYOUT, [PHONE["width"], MIN_FONT_PX])
        if layout["scrollWidth"] > PHONE["width"]:
            self.result.phone.append(
                f"{visit.name}: scrolls sideways at {PHONE['width']}px "
                f"(document {layout['scrollWidth']}px wide)"
            )
        self.result.phone.extend(f"{visit.name}: {line}" for line in layout["wide"][:5])
        self.result.phone.extend(f"{visit.name}: {line}" for line in layout["small"][:5])

    def _csp_console(self, visit: Visit) -> None:
        self.result.csp.extend(
            f"{visit.name}: console: {text}"
            for text in self.console
            if "Content Security Policy" in text
        )

    def _submit_get_forms(self, visit: Visit, crawl: Crawl) -> None:
        """Submit each new GET form (filters, search) without scripts; audit its answers."""
        page = self.plain_page
        for index in range(page.locator("form").count()):
            form = page.locator("form").nth(index)
            method = (form.get_attribute("method") or "get").lower()
            action = urljoin(page.url, form.get_attribute("action") or page.url)
            names = form.locator("[name]").evaluate_all("els => els.map(e => e.name).sort()")
            signature = f"GET form {urlsplit(action).path} {names}"
            if method != "get" or signature in crawl.seen:
                continue
            crawl.seen.add(signature)
            for word in SEARCH_WORDS:
                self._submit(visit, index, signature, word, crawl)
                page.goto(visit.url)

    def _submit(self, visit: Visit, index: int, signature: str, word: str, crawl: Crawl) -> None:
        page = self.plain_page
        form = page.locator("form").nth(index)
        for text in form.locator("input[type=search], input[type=text], input:not([type])").all():
            if not text.input_value():
                text.fill(word)
        button = form.locator("button:not([type=button]):not([type=reset]), input[type=submit]")
        try:
            with page.expect_navigation() as answer:
                if button.count():
                    button.first.click()
                else:
                    form.locator("input").first.press("Enter")
        except PlaywrightError as error:
            self.result.without_js.append(
                f"{visit.name}: {signature} did not submit without JavaScript: "
                f"{str(error).splitlines()[0]}"
            )
            return
        status = answer.value.status if answer.value else 0
        if status != 200:
            self.result.without_js.append(f"{visit.name}: {signature} answered {status}")
        crawl.add(Visit(url=page.url, via=f"{signature} on {visit.url}, {word!r} typed"))

    # JavaScript on: no CSP violation reported, and axe-core finds nothing on a desktop or phone.
    def scripted_visit(self, visit: Visit) -> None:
        page = self.scripted_page
        self.console.clear()
        self._open(page, visit)
        self.result.csp.extend(
            f"{visit.name}: securitypolicyviolation: {line}"
            for line in page.evaluate(READ_CSP_VIOLATIONS)
        )
        self._csp_console(visit)
        # At both widths: the phone's layout has its own (a table that scrolls sideways there).
        seen: set[str] = set()
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            for line in _axe_lines(self.axe.run(page).response["violations"]):
                if line not in seen:
                    seen.add(line)
                    self.result.axe.append(f"{visit.name} at {size['width']}px: {line}")
        page.set_viewport_size(DESKTOP)

    def check_cookies(self) -> None:
        for name, context in (("JavaScript off", self.plain), ("JavaScript on", self.scripted)):
            self.result.cookies.extend(
                f"{name}: {cookie['name']} for {cookie['domain']}{cookie['path']}"
                for cookie in context.cookies()
            )


def audit_site(browser: Browser, origin: str, site: SeededSite) -> SiteAudit:
    """Crawl from `/`, and the pages no link leads to: 410s, 404s, the verify answers."""
    auditor = Auditor(browser, origin, site)
    crawl = Crawl(origin)
    crawl.add(Visit(url="/", via="start"))
    crawl.add(Visit(url=site.withdrawn, via="a withdrawn post", status=410))
    crawl.add(Visit(url=site.given_up, via="an address given up", status=410))
    crawl.add(Visit(url="/en/no-such-post-here/", via="an address never used", status=404))
    crawl.add(Visit(url="/no/such/page/", via="an address never used", status=404))
    for what, paste in site.pastes.items():
        crawl.add(Visit(url="/verify/", via=what, paste=paste))
    try:
        while crawl.queue and len(auditor.result.visits) < MAX_PAGES:
            visit = crawl.queue.popleft()
            if auditor.plain_visit(visit, crawl):
                auditor.scripted_visit(visit)
        auditor.check_cookies()
    finally:
        auditor.close()
    auditor.result.skipped = crawl.skipped
    auditor.result.unvisited = [visit.name for visit in crawl.queue]
    return auditor.result
