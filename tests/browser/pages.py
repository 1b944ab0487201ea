"""Every page the browser checks visit, in one place: a new page is one line here.

Each page is opened in each of its languages (?lang=xx), participant pages at 360x740 with
JavaScript off and on, staff pages at 1280x900 signed in as the demo host. `then` is a step
taken after opening it (send an empty form, to check the page with its error messages).
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.browser.flows import CONSULTATION, DONE, SURVEY, THREAD, submit

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
#: The interface languages (translations/); Arabic is right to left.
LANGUAGES = ("en", "fr", "es", "pt", "ar", "sw")
RIGHT_TO_LEFT = {"ar"}
#: What the demo consultations offer: their pages come only in these.
OPEN = ("en", "fr", "es", "ar")             # safer-port-amani, open, with a survey
CLOSED = ("fr", "en", "ar")                 # youth-jobs-harbour, closed, results published
CLOSED_CONSULTATION = "/consultations/youth-jobs-harbour"
MANAGE = "/manage/consultations/safer-port-amani"
MANAGE_RESULTS = "/manage/consultations/youth-jobs-harbour"
MANAGE_DRAFT = "/manage/consultations/border-market-lighting"
#: The demo programme (consult/data/demo_programme.json): three published rounds, a fourth open.
PROGRAMME = "/programmes/community-safety-port-amani"
PROGRAMME_LANGUAGES = ("en", "fr", "es", "ar")
MANAGE_PROGRAMME = "/manage/programmes/community-safety-port-amani"


def send_empty_form(page) -> None:
    """Send the page's main form as it is: the page comes back with its error messages."""
    submit(page)


def send_unknown_codename(page) -> None:
    """Come back with a codename that does not exist."""
    page.fill("#codename", "abandon ability able about above absent absorb")
    submit(page, "main form:has(#codename)")


@dataclass(frozen=True)
class Page:
    """A page to check: where it is and how to reach the state to check."""

    name: str
    path: str                                  #: may hold {comment}: a demo comment's path
    languages: tuple[str, ...] = LANGUAGES
    #: visitor (fresh), respondent (has answered the demo survey), author (a moderator hid
    #: their comment), staff (the demo host), planner (the demo planner), admin (the demo
    #: site administrator)
    who: str = "visitor"
    then: Callable | None = None
    #: check name -> why it fails for now, for pages others are still building (xfail)
    known: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def staff(self) -> bool:
        return self.who in ("staff", "planner", "admin")


PARTICIPANT_PAGES = [
    Page("home", "/"),
    Page("consultation", CONSULTATION, OPEN),
    Page("consultation-closed", CLOSED_CONSULTATION, CLOSED),
    Page("section", f"{CONSULTATION}/sections/2", OPEN),
    Page("survey-page-1", f"{SURVEY}?page=1", OPEN),
    Page("survey-page-2", f"{SURVEY}?page=2", OPEN),
    Page("survey-page-3", f"{SURVEY}?page=3", OPEN),
    Page("survey-errors", f"{SURVEY}?page=1", OPEN, then=send_empty_form),
    Page("survey-receipt", DONE, OPEN, who="respondent"),
    Page("comments", THREAD, OPEN),
    Page("comments-errors", THREAD, OPEN, then=send_empty_form),
    Page("comments-closed", f"{CLOSED_CONSULTATION}/comments", CLOSED),
    Page("comment", "{comment}", OPEN),
    Page("vote", f"{CONSULTATION}/vote", OPEN),
    Page("report-comment", "{comment}/report", OPEN),
    Page("report-comment-errors", "{comment}/report", OPEN, then=send_empty_form),
    Page("moderation-policy", f"{CONSULTATION}/moderation", OPEN),
    Page("codename", "/codename"),
    Page("codename-given", "/codename", then=send_empty_form),
    Page("my-contributions", "/receipt"),
    Page("my-contributions-errors", "/receipt", then=send_unknown_codename),
    Page("my-contributions-counted", "/receipt", who="respondent"),
    Page("staff-sign-in", "/manage/login"),
    Page("staff-sign-in-errors", "/manage/login", then=send_empty_form),
    Page("forgot-password", "/manage/password/forgot"),
    Page("forgot-password-errors", "/manage/password/forgot", then=send_empty_form),
    Page("not-found", "/no-such-page"),
    Page("results", f"{CLOSED_CONSULTATION}/results", CLOSED),
    Page("results-question", f"{CLOSED_CONSULTATION}/results/questions/support", CLOSED),
    Page("my-comments-decided", "/receipt", who="author"),
    Page("appeal", "{appeal}", who="author"),
    Page("appeal-errors", "{appeal}", who="author", then=send_empty_form),
    Page("my-comments", "/receipt/comments", who="author"),
    Page("privacy-notice", f"{CONSULTATION}/privacy", OPEN),
    Page("grievance-form", f"{CONSULTATION}/grievance", OPEN),
    Page("grievance-form-errors", f"{CONSULTATION}/grievance", OPEN, then=send_empty_form),
    Page("grievance-case", "/grievances/case"),
    Page("grievance-statistics", f"{CONSULTATION}/grievances", OPEN),
    Page("programme", PROGRAMME, PROGRAMME_LANGUAGES),
    Page("programme-indicator", f"{PROGRAMME}/indicators/1", PROGRAMME_LANGUAGES),
]

STAFF_PAGES = [
    Page("manage", "/manage/", who="staff"),
    Page("dashboard", MANAGE, who="staff"),
    Page("edit", f"{MANAGE}/edit", who="staff"),
    Page("new-consultation", "/manage/consultations/new", who="staff"),
    Page("survey-builder", f"{MANAGE}/survey", who="staff"),
    Page("survey-builder-draft", f"{MANAGE_DRAFT}/survey", who="staff"),
    Page("question-form", f"{MANAGE}/survey/questions/role/edit", who="staff"),
    Page("xlsform-import", f"{MANAGE}/survey/import", who="staff"),
    Page("paper-import", f"{MANAGE}/survey/paper", who="staff"),
    Page("comment-translations", f"{MANAGE}/comments", who="staff"),
    Page("planner-report", f"{MANAGE}/report", who="staff"),
    Page("moderation-queue", f"{MANAGE}/moderation", who="staff"),
    Page("watched-words", f"{MANAGE}/moderation/words", who="staff"),
    Page("planner-report-results", f"{MANAGE_RESULTS}/report", who="planner"),
    Page("audit-log", "/manage/audit", who="staff"),
    Page("account", "/manage/account", who="staff"),
    Page("change-password", "/manage/account/password", who="staff"),
    Page("change-password-errors", "/manage/account/password", who="staff",
         then=send_empty_form),
    Page("two-factor-setup", "/manage/account/two-factor", who="staff"),
    Page("members", "/manage/organisations/coastal-voices/members", who="staff"),
    Page("invite", "/manage/organisations/coastal-voices/invitations/new", who="staff"),
    Page("invite-errors", "/manage/organisations/coastal-voices/invitations/new", who="staff",
         then=send_empty_form),
    Page("organisation-security", "/manage/organisations/coastal-voices/security",
         who="staff"),
    Page("organisations", "/manage/organisations", who="admin"),
    Page("new-organisation", "/manage/organisations/new", who="admin"),
    Page("staff-accounts", "/manage/accounts", who="admin"),
    Page("background-jobs", f"{MANAGE}/jobs", who="staff"),
    Page("notification-settings", "/manage/account/notifications", who="staff"),
    Page("planner-response-history", f"{MANAGE_RESULTS}/responses/1/history", who="planner"),
    Page("channels", f"{MANAGE}/channels", who="staff"),
    Page("lawful-erasure", f"{MANAGE}/erasure", who="staff"),
    Page("grievance-reviewer", f"{MANAGE}/grievances", who="staff"),
    Page("programmes", "/manage/programmes", who="staff"),
    Page("programme-dashboard", MANAGE_PROGRAMME, who="staff"),
    Page("programme-indicators", f"{MANAGE_PROGRAMME}/indicators", who="staff"),
    Page("programme-proposals", f"{MANAGE_PROGRAMME}/proposals", who="staff"),
    Page("programme-commitments", f"{MANAGE_PROGRAMME}/commitments", who="staff"),
    Page("programme-commitment", f"{MANAGE_PROGRAMME}/commitments/1", who="staff"),
    Page("programme-commitment-errors", f"{MANAGE_PROGRAMME}/commitments/new", who="staff",
         then=send_empty_form),
    Page("self-assessment", f"{MANAGE_PROGRAMME}/rounds/4/self-assessment", who="staff"),
    Page("programme-audit", f"{MANAGE_PROGRAMME}/audit", who="admin"),
    Page("programme-audit-report", f"{MANAGE_PROGRAMME}/audit/rounds/3/report", who="admin"),
]

ALL_PAGES = PARTICIPANT_PAGES + STAFF_PAGES


def visits(pages: list[Page], js_modes=(False, True)) -> list[tuple[Page, str, bool]]:
    """(page, language, JavaScript on) for every visit; staff pages with JavaScript on only
    (no staff page has a script)."""
    return [(page, language, js) for page in pages for language in page.languages
            for js in ((True,) if page.staff else js_modes)]


def visit_id(visit: tuple[Page, str, bool]) -> str:
    """pytest id of a visit: name-language-js."""
    page, language, js = visit
    return f"{page.name}-{language}-{'js' if js else 'no-js'}"
