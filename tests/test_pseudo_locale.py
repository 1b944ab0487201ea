"""Every page rendered with a pseudo-translation: any visible text that is not transformed was
never wrapped for translation, and the test names the page and the text."""
import re
from html.parser import HTMLParser

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from consult import create_app
from consult.accounts.models import Role
from consult.extensions import babel, db
from tests.conftest import PASSWORD, Client, base_config
from tests.test_catalogs import TRANSLATIONS

PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%[sd]|%%)")
ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")
#: Host-written content in these tests starts with this mark; it is not interface text.
CONTENT = "§"
#: Text that is the same in every language, or comes from CLDR (list connectors) for the locale.
UNTRANSLATABLE = {"Consult", "and"}


def pseudo(message: str) -> str:
    """A visibly transformed message with its placeholders intact: ⟦Ṕróṕóšéd ƀý %(host)s⟧."""
    parts = PLACEHOLDER.split(message)
    return "⟦" + "".join(p if PLACEHOLDER.fullmatch(p) else p.translate(ACCENTED)
                         for p in parts) + "⟧"


@pytest.fixture
def pseudo_app(tmp_path):
    """The app with the pseudo catalog as its English translation."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if message.id:
            message.string = (tuple(pseudo(i) for i in message.id)
                              if isinstance(message.id, tuple) else pseudo(message.id))
    target = tmp_path / "pseudo" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    app = create_app({**base_config(f"sqlite:///{tmp_path / 'db.sqlite3'}"),
                      "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "pseudo")})
    app.test_client_class = Client
    with app.app_context():
        # Flask-Babel caches catalogs on its process-wide domain: forget them around this test.
        babel.domain_instance.cache.clear()
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
        babel.domain_instance.cache.clear()


class VisibleText(HTMLParser):
    """Collects visible text nodes, skipping those in another language and isolated codes."""

    SKIP = {"script", "style", "bdi", "option"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (tag in self.SKIP or ("lang" in attributes and tag != "html")
                   or (self.stack and self.stack[-1]))
        if tag not in {"br", "input", "meta", "link", "img", "hr"}:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in {"br", "input", "meta", "link", "img", "hr"} and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


def _innermost_first(text: str) -> str:
    """Messages inside messages (a reason within a report line) as one: ⟦a (⟦b⟧) c⟧ -> ⟦a  c⟧."""
    while re.search(r"⟦[^⟦⟧]*⟦", text):
        text = re.sub(r"⟦([^⟦⟧]*)⟦[^⟦⟧]*⟧", r"⟦\1 ", text)
    return text


def untranslated(html: str) -> list[str]:
    """Visible text with letters that neither came from the catalog nor from host content."""
    parser = VisibleText()
    parser.feed(html)
    names = {Locale.parse(c).get_display_name("en").capitalize()
             for c in ("en", "fr", "es", "pt", "ar", "sw")}
    leaks = []
    for text in parser.texts:
        for piece in re.split(r"⟦[^⟧]*⟧", _innermost_first(text)):
            piece = piece.strip(" ,.:·–—()")
            if (re.search(r"[^\W\d_]", piece) and CONTENT not in piece
                    and piece not in UNTRANSLATABLE | names
                    and not re.fullmatch(r"[\w ,]*\d{4}[\w ,–]*", piece)):
                leaks.append(piece)
    return leaks


def _comment_pages(client, consultation, slug):
    """Threads, a comment's page, the vote page: with replies, votes, errors, pending and
    withdrawn comments, and the notes for codename consultations and closed ones."""
    from consult.comments.models import CommentState
    from consult.comments.services import post_comment
    from consult.consultations.lifecycle import ParticipationMode

    top = post_comment(consultation, "someone", f"{CONTENT} comment", "en")
    reply = post_comment(consultation, "other", f"{CONTENT} reply", "en", parent=top)
    for n in range(4):
        post_comment(consultation, "other", f"{CONTENT} {n}", "en", parent=reply)
    post_comment(consultation, "someone", f"{CONTENT} withdrawn", "en", parent=top,
                 state=CommentState.WITHDRAWN)
    db.session.commit()
    client.post_form(f"{slug}/comments/{top.id}/vote", {"vote": "agree"})
    yield "comments", client.get(f"{slug}/comments")
    yield "comment errors", client.post_form(f"{slug}/comments", {"body": ""})
    client.post_form(f"{slug}/comments/{top.id}", {"body": f"{CONTENT} mine"})
    yield "comment page", client.get(f"{slug}/comments/{top.id}")
    yield "comments, needs your vote", client.get(f"{slug}/comments?sort=unvoted")
    yield "vote page", client.get(f"{slug}/vote")
    client.post_form(f"{slug}/comments/{reply.id}/vote", {"vote": "pass"})
    yield "vote page, all voted", client.get(f"{slug}/vote?recorded=1")
    consultation.participation_mode = ParticipationMode.CODENAME
    db.session.commit()
    yield "comments need a codename", client.get(f"{slug}/sections/1")
    consultation.participation_mode = ParticipationMode.ANONYMOUS
    db.session.commit()


def _pages(app, client):
    """(name, response) for every participant and staff page, in normal and error states."""
    from consult.accounts import services as accounts
    from consult.consultations import services as consultations

    host = accounts.create_organisation("host", f"{CONTENT} Host", "civil_society")
    accounts.create_organisation("partner", f"{CONTENT} Partner", "local_council")
    user = accounts.create_user("host@example.org", PASSWORD, f"{CONTENT} Host user")
    accounts.add_membership(user, host, Role.HOST)
    consultation = consultations.create_consultation(host, "c", "en", ["en", "fr"])
    consultations.set_texts(consultation, {(f, lang): f"{CONTENT} {f}" for f in
                                           ("title", "summary", "body") for lang in ("en",)})
    consultations.add_section(consultation, {("title", "en"): f"{CONTENT} section",
                                             ("body", "en"): f"{CONTENT} body"})
    consultations.set_partners(consultation, [accounts.get_organisation("partner")])
    from types import SimpleNamespace as Spec

    from consult.surveys.services import replace_survey
    from tests.surveys.specs import question

    replace_survey(consultation, [
        Spec(key="p1", labels={"en": f"{CONTENT} page"}, questions=[
            question(kind, kind, required=True, allow_other=kind == "single_choice",
                     is_segment=kind == "single_choice",
                     labels={"en": f"{CONTENT} {kind}"}, hints={"en": f"{CONTENT} hint"},
                     options=[Spec(key=k, labels={"en": f"{CONTENT} {k}"}) for k in "ab"])
            for kind in ("single_choice", "multiple_choice", "ranking", "scale", "number",
                         "date", "short_text", "long_text", "note")]),
        Spec(key="p2", labels={}, questions=[question("last", labels={"en": f"{CONTENT} q"})]),
    ])
    import datetime as dt
    consultation.closes_on = dt.date(2027, 1, 31)
    db.session.commit()
    slug = "/consultations/c"
    yield "home (nothing open)", client.get("/")
    consultations.change_state(consultation, "open")
    db.session.commit()
    for url in ("/", slug, f"{slug}/sections/1", "/codename", "/receipt", "/manage/login",
                "/no-such-page"):
        yield url, client.get(url)
    yield from _comment_pages(client, consultation, slug)
    yield "survey page", client.get("/consultations/c/survey")
    yield "survey errors", client.post_form("/consultations/c/survey", {"number": "x"})
    client.post_form("/consultations/c/survey", {
        "single_choice": "a", "multiple_choice": "a", "ranking__rank__a": "1", "scale": "3",
        "number": "2", "date": "2020-01-01", "short_text": f"{CONTENT}", "long_text": f"{CONTENT}"})
    yield "survey page 2", client.get("/consultations/c/survey")
    client.post_form("/consultations/c/survey", {"last": f"{CONTENT}"})
    yield "survey receipt", client.get("/consultations/c/survey/done")
    client.post_form("/consultations/c/survey/change", {"action": "change"})
    yield "survey page while changing", client.get("/consultations/c/survey?page=2")
    yield "survey receipt while changing", client.get("/consultations/c/survey/done")
    yield "my contributions", client.get("/receipt")
    yield "wrong receipt", client.post_form("/receipt", {"receipt": "x"})
    from consult.consultations.lifecycle import ParticipationMode
    consultation.participation_mode = ParticipationMode.ACCOUNT
    db.session.commit()
    yield "survey needs an account", client.get("/consultations/c/survey")
    consultation.participation_mode = ParticipationMode.ANONYMOUS
    db.session.commit()
    yield "wrong codename", client.post_form("/receipt", {"codename": "x"})
    yield "wrong password", client.post_form("/manage/login", {"email": "a@b.c",
                                                                "password": "nope"})
    yield "codename shown", client.post_form("/codename")
    yield "receipt with codename", client.get("/receipt")
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    for url in ("/manage/", "/manage/consultations/new", "/manage/consultations/c",
                "/manage/consultations/c/edit", "/manage/consultations/c/sections/1/edit",
                "/manage/consultations/c/partners"):
        yield url, client.get(url)
    yield "staff comments", client.get("/manage/consultations/c/comments")
    yield "translate a comment", client.get("/manage/consultations/c/comments/1/translation")
    yield "translation missing", client.post_form(
        "/manage/consultations/c/comments/1/translation", {"language": "fr", "body": ""})
    client.post_form("/manage/consultations/c/comments/1/translation",
                     {"language": "fr", "body": f"{CONTENT} translation"})
    yield "staff comments with a translation", client.get("/manage/consultations/c/comments")
    yield "you said, we did (none)", client.get("/manage/consultations/c/responses")
    yield "response missing its title", client.post_form(
        "/manage/consultations/c/responses/new", {"topic": "", "decision": "adopted"})
    client.post_form("/manage/consultations/c/responses/new", {
        "topic": "", "decision": "under_study", "title__en": f"{CONTENT} response",
        "body__en": f"{CONTENT} body"})
    client.post_form("/manage/consultations/c/responses/1/publish")
    yield "you said, we did", client.get("/manage/consultations/c/responses")
    yield "consultation with a planner response", client.get("/consultations/c")
    yield "response form", client.get("/manage/consultations/c/responses/1/edit")
    yield "invalid new consultation", client.post_form("/manage/consultations/new", {
        "min_cell_size": "1", "slug": "Bad Slug", "closes_on": "2020-01-01",
        "opens_on": "2021-01-01"})
    yield "flash after saving", client.post_form("/manage/consultations/c/partners",
                                                 follow_redirects=True)
    yield from _paper_pages(client, "/manage/consultations/c/survey/paper")
    for name, url in (("privacy notice", "/consultations/c/privacy"),
                      ("my comments", "/receipt/comments"),
                      ("channels", "/manage/consultations/c/channels"),
                      ("lawful erasure", "/manage/consultations/c/erasure"),
                      ("grievance settings", "/manage/consultations/c/grievances")):
        yield name, client.get(url)
    yield "channel errors", client.post_form("/manage/consultations/c/channels", {
        "provider": "twilio", "number": "x", "keywords": "", "ussd": "y"})
    yield "test message", client.post_form("/manage/consultations/c/channels/preview", {
        "messages": f"{CONTENT}"})
    yield from _builder_pages(client, host)
    from tests.moderation.pseudo_pages import moderation_pages

    yield from moderation_pages(client, consultation, user)
    consultations.change_state(consultation, "close")
    db.session.commit()
    yield "dashboard, closed", client.get("/manage/consultations/c")
    yield from _summary_pages(client, consultation, user)


def _summary_pages(client, consultation, user):
    """Planner report and public results, with counts hidden (k = 10) and shown (k = 1)."""
    from consult.accounts import services as accounts
    from consult.consultations import services as consultations

    accounts.add_membership(user, consultation.host, Role.PLANNER)
    consultations.change_state(consultation, "publish_results")
    db.session.commit()
    yield "planner report", client.get("/manage/consultations/c/report")
    yield "public results", client.get("/consultations/c/results")
    consultation.min_cell_size = 1
    consultations.touch(consultation)
    db.session.commit()
    yield "planner report, nothing hidden", client.get("/manage/consultations/c/report")
    yield "public results, nothing hidden", client.get("/consultations/c/results")
    yield "dashboard, results published", client.get("/manage/consultations/c")
    yield "consultation page, results published", client.get("/consultations/c")


def _paper_pages(client, url):
    """The paper-response pages: explanation, a file refused, a preview with errors, imported."""
    import io

    def upload(data: bytes):
        return client.post_form(url, {"file": (io.BytesIO(data), "x.csv")},
                                content_type="multipart/form-data")

    yield url, client.get(url)
    yield "paper file refused", upload(b"")
    header = client.get(f"{url}/template.csv").get_data().decode("utf-8-sig").strip()
    data = f"{header}\r\n,a,,a,a,3,2,2020-01-01,x,y,\r\n,zz,,b|zz,a|a,11,x,1/2/3,,,\r\n,,\r\n"
    preview = upload(data.encode())
    yield "paper preview with errors", preview
    rows = re.search(r'name="rows" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    yield "paper imported", client.post_form(f"{url}/import", {"rows": rows},
                                             follow_redirects=True)
    yield "paper file again", upload(data.encode())
    yield "paper preview refused", client.post_form(f"{url}/import", {"rows": "x"},
                                                    follow_redirects=True)


def _builder_pages(client, host):
    """The survey builder and XLSForm upload: a draft's (every control), errors, an uploaded
    form's report; then the open consultation c (answered: texts only)."""
    import io
    from pathlib import Path
    from types import SimpleNamespace as Spec

    from consult.consultations import services as consultations
    from consult.surveys.services import replace_survey
    from tests.surveys.specs import question

    draft = consultations.create_consultation(host, "d", "en", ["en", "fr"])
    consultations.set_texts(draft, {("title", "en"): f"{CONTENT} draft"})
    replace_survey(draft, [Spec(key="p1", labels={"en": f"{CONTENT} page"}, questions=[
        question("role", "single_choice", labels={"en": f"{CONTENT} role"}, options=[
            Spec(key=k, labels={"en": f"{CONTENT} {k}"}) for k in "ab"]),
        question("age", "number", labels={"en": f"{CONTENT} age"}, integer=True,
                 constraint={"q": ".", "op": "ge", "value": 0}),
        question("stall", labels={"en": f"{CONTENT} stall"}, constraint={
            "q": ".", "op": "lt", "value": 3}, show_if={"any": [
                {"q": "role", "op": "in", "value": ["a", "b"]},
                {"not": {"q": "age", "op": "count_ge", "value": 2}}]}),
    ])])
    db.session.commit()
    base = "/manage/consultations/d/survey"
    for path in ("", "/pages/new", "/pages/p1/edit", "/pages/p1/questions/new",
                 "/questions/role/edit", "/questions/age/edit", "/questions/stall/edit",
                 "/questions/role/options/new", "/questions/role/options/a/edit", "/import"):
        yield base + path, client.get(base + path)
    yield "new question with errors", client.post_form(f"{base}/pages/p1/questions/new", {
        "key": "role", "type": "number", "minimum": "x", "maximum": "1.5",
        "show_question": "role", "show_op": "gt", "show_value": "z"})
    yield "option with errors", client.post_form(f"{base}/questions/role/options/new",
                                                 {"key": "a b"})
    yield "refused move", client.post_form(f"{base}/questions/stall/up",
                                           follow_redirects=True)
    yield "refused delete", client.post_form(f"{base}/questions/role/delete",
                                             follow_redirects=True)

    def upload(data: bytes, action="check"):
        return client.post_form(f"{base}/import", {"file": (io.BytesIO(data), "x.xlsx"),
                                                   "action": action},
                                content_type="multipart/form-data")

    yield "xlsform not a workbook", upload(b"nonsense")
    forms = Path(__file__).resolve().parent / "data" / "xlsform"
    for form in sorted(forms.glob("*.xlsx")):
        yield f"xlsform checked: {form.name}", upload(form.read_bytes())
    for form in sorted(forms.glob("*.xlsx"))[:1]:
        yield f"xlsform imported: {form.name}", upload(form.read_bytes(), "replace")
    consultations.create_consultation(host, "e", "en", ["en"])
    db.session.commit()
    yield "builder, no survey yet", client.get("/manage/consultations/e/survey")
    base = "/manage/consultations/c/survey"
    for path in ("", "/questions/single_choice/edit", "/questions/single_choice/options/a/edit",
                 "/import"):
        yield f"{base}{path} (open, answered)", client.get(base + path)
    yield "open: refused", client.post_form(f"{base}/questions/number/up", follow_redirects=True)
    yield "open: replace refused", client.post_form(f"{base}/import", {
        "file": (io.BytesIO(b"x"), "x.xlsx"), "action": "replace"},
        content_type="multipart/form-data")


def test_every_page_shows_only_translated_interface_text(pseudo_app):
    client = pseudo_app.test_client()
    failures = {}
    for name, response in _pages(pseudo_app, client):
        leaks = untranslated(response.get_data(as_text=True))
        if leaks:
            failures[name] = leaks
    assert failures == {}, f"unwrapped strings, by page: {failures}"


def test_the_check_catches_an_unwrapped_string():
    assert untranslated("<p>⟦Ṕróṕóšéd⟧ Hard-coded words</p>") == ["Hard-coded words"]
