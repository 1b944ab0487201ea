"""A corpus of XSS payloads through every field that takes someone's text, then every page and
API response that shows them: nothing executes and nothing is reflected unescaped.

Fields: comments (web form and API), the API's Participant-Key (pseudonyms derive from it),
report notes, moderators' notes, appeal statements, watched words, redaction passages, host
content (consultation and section texts, the moderation policy, organisation and staff
names) and search parameters. Pages are parsed: no inline script, no event-handler attribute,
no javascript:/vbscript:/data: address, no dangerous element, no payload verbatim, and every
bidi control from participants' or moderators' text sits inside an isolating element (bdi, an
element with dir, a form control), so it cannot reorder the interface around it. JSON is
served as JSON with nosniff; the CSV log has no formula cell and none of that text.
"""
import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from consult.accounts import services as accounts
from consult.accounts.models import Role
from consult.comments.models import Comment, CommentState
from consult.comments.services import post_comment
from consult.consultations import services as consultations
from consult.extensions import db
from consult.moderation import services
from consult.moderation.models import Action, Reason, WordAction
from tests.conftest import PASSWORD

PAYLOADS = [
    '<script>alert("x01")</script>',
    '"><script>alert(x02)</script>',
    "'><img src=x onerror=alert(x03)>",
    "<svg onload=alert(x04)>",
    "<svg><script>alert(x05)</script></svg>",
    '<a href="javascript:alert(x06)">x06</a>',
    "javascript:alert(x07)",
    '<iframe src="javascript:alert(x08)"></iframe>',
    "<body onload=alert(x09)>",
    "&lt;script&gt;alert(x10)&lt;/script&gt;",
    "%3Cscript%3Ealert(x11)%3C%2Fscript%3E",
    "<scr<script>ipt>alert(x12)</script>",
    "<IMG SRC=JaVaScRiPt:alert(x13)>",
    '<div style="background:url(javascript:alert(x14))">x14</div>',
    "\u202egnp.x15<script>alert(15)</script>\u202c",
    "<\u0430 href=javascript:alert(x16)>x16</\u0430>",  # a Cyrillic "а": mixed script
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(x17)>",
    "{{ 7*7 }} x18 {% raw %}",
    'https://example.org/"onmouseover="alert(x19)"',
    "<details open ontoggle=alert(x20)>",
    "www.example.org/<script>alert(x21)</script>",
    '" autofocus onfocus="alert(x22)',
    "\u202ex23 \u2066isolated\u2069 \u202dx23b",
    "=HYPERLINK(\"http://evil.example\",\"x24\")",
]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
BANNED = {"iframe", "svg", "math", "object", "embed", "img", "style", "base", "frame",
          "frameset", "applet", "meta-refresh"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcdoc"}
VOID = {"br", "input", "meta", "link", "img", "hr", "wbr", "source", "col", "area", "base",
        "embed", "param", "track"}
ISOLATED = {"bdi", "textarea", "title", "option", "script"}


class Audit(HTMLParser):
    """Collects what may not be in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value and value != "data:," and re.match(
                    r"[\s\x00-\x20]*(javascript|vbscript|data):", value, re.IGNORECASE):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
        if tag in BANNED:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not attributes.get("src", "").startswith("/static/"):
            self.problems.append("<script> without a static src")
        if tag not in VOID:
            isolated = tag in ISOLATED or ("dir" in attributes and tag != "html")
            self.stack.append((tag, isolated))

    def handle_endtag(self, tag):
        for n in range(len(self.stack) - 1, -1, -1):
            if self.stack[n][0] == tag:
                del self.stack[n:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script" and data.strip():
            self.problems.append("inline script")
        if BIDI.search(data) and not any(isolated for _, isolated in self.stack):
            self.problems.append(f"bidi control outside an isolating element: {data[:40]!r}")


def audit(html: str) -> list[str]:
    """What is wrong with a page: unsafe markup, or a payload reflected verbatim."""
    parser = Audit()
    parser.feed(html)
    return parser.problems + [f"verbatim: {p!r}" for p in PAYLOADS
                              if "<" in p and p in html]


def _as(app, user=None):
    client = app.test_client()
    if user is not None:
        client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    return client


@pytest.fixture
def world(app, make_user):
    """A consultation whose every text field holds payloads, with payload comments in every
    state, reports, decisions, an appeal and watched words."""
    host = accounts.create_organisation("xss-host", PAYLOADS[2], "civil_society")
    moderator = make_user(host, Role.MODERATOR, email="xss-mod@example.org")
    moderator.name = PAYLOADS[0]
    other = make_user(host, Role.MODERATOR, email="xss-mod2@example.org")
    other.name = PAYLOADS[23]
    planner = make_user(host, Role.PLANNER, email="xss-planner@example.org")
    consultation = consultations.create_consultation(host, "xss", "en", ["en", "ar"])
    # Host texts carry every payload but the bidi ones: the host's own layout is theirs to
    # break, and host texts are not bidi-isolated (participants' and moderators' texts are).
    host_payloads = [p for p in PAYLOADS if not BIDI.search(p)]
    consultations.set_texts(consultation, {
        ("title", "en"): PAYLOADS[1], ("summary", "en"): PAYLOADS[4],
        ("body", "en"): "\n\n".join(host_payloads), ("moderation_policy", "en"): PAYLOADS[16],
        ("title", "ar"): PAYLOADS[12]})
    consultations.add_section(consultation, {("title", "en"): PAYLOADS[5],
                                             ("body", "en"): PAYLOADS[13]})
    consultations.change_state(consultation, "open")
    db.session.commit()
    for n, payload in enumerate(PAYLOADS[:8]):
        services.add_watched_word(consultation, f"{payload} w{n}", "*", WordAction.FLAG,
                                  moderator)
    db.session.commit()
    author = _as(app)
    for payload in PAYLOADS:
        author.post_form("/consultations/xss/comments", {"body": payload})
    author.post_form("/consultations/xss/comments", {"body": f"{PAYLOADS[0]} w0"})  # flagged
    for payload in PAYLOADS[:4]:
        app.test_client().post("/api/v1/consultations/xss/comments", json={"body": payload},
                               headers={"Participant-Key": (payload * 8)[:100]})
    comments = list(db.session.scalars(db.select(Comment).order_by(Comment.id)))
    key = comments[0].author_key
    for n, comment in enumerate(comments[:6]):
        services.report_comment(comment, f"reporter-{n}", Reason.OTHER, PAYLOADS[n + 8], 99)
    post_comment(consultation, "replier", PAYLOADS[9], "en", parent=comments[0],
                 state=CommentState.PUBLISHED)
    [hidden] = services.decide(comments[0], Action.HIDE, Reason.OTHER, moderator, PAYLOADS[17])
    [rejected] = services.decide(comments[1], Action.REJECT, Reason.SPAM, moderator,
                                 PAYLOADS[22])
    services.decide(comments[14], Action.REDACT, Reason.PERSONAL_INFORMATION, moderator,
                    PAYLOADS[15], spans=["x15"])
    services.appeal_decision(hidden, key, PAYLOADS[18] + PAYLOADS[14])
    db.session.commit()
    return {"consultation": consultation, "author": author, "moderator": moderator,
            "planner": planner, "comments": comments, "rejected": rejected}


def _pages(app, world):
    """(name, response) of every page and response that shows the texts."""
    author, comments = world["author"], world["comments"]
    base = "/consultations/xss"
    search = "lang={0}&sort={0}&after={0}&tab={0}&language={0}&section={0}&reason={0}".format(
        quote(PAYLOADS[1]))
    for path in (f"{base}", f"{base}/comments", f"{base}/sections/1", f"{base}/vote",
                 f"{base}/comments/{comments[0].id}", f"{base}/comments/{comments[1].id}",
                 f"{base}/moderation", f"{base}/comments/{comments[3].id}/report", "/receipt",
                 f"/receipt/decisions/{world['rejected'].id}/appeal", "/"):
        yield path, author.get(path)
        yield f"{path}?{search}", author.get(f"{path}?{search}")
    yield "comment form errors", author.post_form(f"{base}/comments",
                                                  {"body": PAYLOADS[0] + " w0" + "x" * 2000})
    yield "report errors", author.post_form(f"{base}/comments/{comments[3].id}/report",
                                            {"reason": PAYLOADS[0], "note": PAYLOADS[3]})
    yield "404", author.get(f"/consultations/{quote(PAYLOADS[0])}")
    moderator = _as(app, world["moderator"])
    queue = "/manage/consultations/xss/moderation"
    for path in (queue, f"{queue}?tab=reported", f"{queue}?tab=held", f"{queue}?tab=appeals",
                 f"{queue}/comments/{comments[0].id}", f"{queue}/comments/{comments[14].id}",
                 f"{queue}/comments/{comments[3].id}", f"{queue}/words",
                 "/manage/consultations/xss", "/manage/", "/manage/consultations/xss/comments"):
        yield path, moderator.get(path)
        yield f"{path}?{search}", moderator.get(f"{path}?{search}")
    yield "decision errors", moderator.post_form(f"{queue}/comments/{comments[3].id}", {
        "action": PAYLOADS[0], "reason": PAYLOADS[1], "note": PAYLOADS[2], "spans": PAYLOADS[3]})
    yield "watched word errors", moderator.post_form(f"{queue}/words", {
        "word": PAYLOADS[0] + " w0", "language": "*", "action": "flag"})


def test_no_page_executes_or_reflects_a_payload(app, world):
    failures = {}
    for name, response in _pages(app, world):
        assert response.status_code in (200, 404, 422), (name, response.status_code)
        assert response.mimetype == "text/html", name
        problems = audit(response.get_data(as_text=True))
        if problems:
            failures[name] = problems
    assert failures == {}


def test_payloads_are_shown_as_text(app, world):
    html = world["author"].get("/consultations/xss/comments").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x01&#34;)&lt;/script&gt;" in html
    assert "{{ 7*7 }} x18" in html and "49 x18" not in html
    assert "&amp;lt;script&amp;gt;alert(x10)" in html  # pre-encoded stays encoded


def test_every_field_reached_a_page(app, world):
    """The corpus really went through each field (a marker x01..x24 per payload)."""
    comments = world["comments"]
    moderator = _as(app, world["moderator"])
    review = moderator.get(f"/manage/consultations/xss/moderation/comments/{comments[0].id}"
                           ).get_data(as_text=True)
    assert "x18" in review and "x19" in review  # the moderator's note, the statement
    review = moderator.get(f"/manage/consultations/xss/moderation/comments/{comments[3].id}"
                           ).get_data(as_text=True)
    assert "x12" in review  # a report's note
    words = moderator.get("/manage/consultations/xss/moderation/words").get_data(as_text=True)
    assert all(f"w{n}" in words for n in range(8))
    assert "x23" in world["author"].get("/receipt").get_data(as_text=True)
    held = moderator.get("/manage/consultations/xss/moderation?tab=held").get_data(as_text=True)
    assert "w0" in held


def test_the_checker_catches_what_it_looks_for():
    assert audit('<p onclick="x">') and audit("<script>alert(1)</script>")
    assert audit('<a href=" javascript:alert(1)">') and audit("<p>\u202eabc</p>")
    assert not audit('<p><bdi>\u202eabc</bdi></p><script src="/static/comments.js"></script>')


def test_api_responses_are_json_that_no_browser_sniffs(app, world):
    client = app.test_client()
    for path in ("/api/v1/consultations/xss/comments", "/api/v1/consultations/xss",
                 f"/api/v1/consultations/xss/comments?after={quote(PAYLOADS[0])}"):
        response = client.get(path)
        assert response.mimetype == "application/json", path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.get_json()
    bodies = {c["body"] for c in client.get("/api/v1/consultations/xss/comments").get_json()[
        "comments"]}
    assert PAYLOADS[0] in bodies  # stored and returned exactly, never HTML-escaped twice


def test_the_decision_log_has_no_formula_and_no_free_text(app, world):
    response = _as(app, world["planner"]).get("/manage/consultations/xss/moderation/log.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data(as_text=True)
    for row in csv.reader(io.StringIO(text)):
        assert all(cell[:1] not in ("=", "+", "-", "@") for cell in row), row
    assert "x18" not in text and "x23" not in text  # notes are never exported
