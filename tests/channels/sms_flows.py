"""Helpers for the comment, notice and receipt flows: a post-moderated consultation whose
shortcode takes comments (keyword SEMA) beside the survey (SAFE), phones that text it through
Africa's Talking's callback route, and moderators and a planner who act through their pages."""
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.channels import services
from consult.channels.models import Provider
from consult.consultations.lifecycle import ModerationMode
from consult.extensions import db
from tests.channels.conftest import SECRET, SHORTCODE, sms_survey
from tests.conftest import PASSWORD

HEADER = "X-Consult-Channel-Secret"
AUTHOR = "+254799123456"
OTHER = "+254700555111"
USSD_CODE = "*384*21525#"


class Phone:
    """A participant's phone: texts the shortcode through the provider's callback route and
    reads the replies the gateway was asked to deliver to it."""

    counter = iter(range(1, 1_000_000))

    def __init__(self, client, gateway, number: str):
        self.client, self.gateway, self.number = client, gateway, number

    def send(self, text: str, message_id: str | None = None, to: str = SHORTCODE) -> str:
        """Text the shortcode (or to); the reply delivered to this phone ("" if none)."""
        before = len(self.received())
        message_id = message_id or f"ATXid_in_{next(Phone.counter)}"
        answer = self.client.post("/channels/africastalking/sms", headers={HEADER: SECRET},
                                  data={"from": self.number, "to": to, "text": text,
                                        "date": "2026-12-07 20:30:12", "id": message_id,
                                        "linkId": f"link-{message_id}", "networkCode": "63902"})
        assert answer.status_code == 200
        got = self.received()
        return got[-1] if len(got) > before else ""

    def received(self) -> list[str]:
        """Every message the gateway was asked to deliver to this phone, in order."""
        return [r["form"].get("message") for r in self.gateway.requests
                if r["form"].get("to") == self.number]


def dial(client, number: str, session: str, text: str) -> str:
    """One USSD request through Africa's Talking's callback route; the screen."""
    answer = client.post("/channels/africastalking/ussd", headers={HEADER: SECRET}, data={
        "sessionId": session, "serviceCode": USSD_CODE, "phoneNumber": number,
        "networkCode": "63902", "text": text})
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


@pytest.fixture
def commenting(channel_settings, make_consultation, make_org, make_user):
    """A post-moderated survey consultation (en, fr, ar; two sections) whose shortcode takes
    comments after SEMA, two moderators and a planner of its host."""
    host = make_org()
    consultation = sms_survey(make_consultation, host=host,
                              moderation_mode=ModerationMode.POST)
    connection = services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "safe",
                                  comment_keywords="sema")
    db.session.commit()
    return Spec(consultation=consultation, connection=connection,
                moderator=make_user(host, Role.MODERATOR, email="mod@example.org"),
                second_moderator=make_user(host, Role.MODERATOR, email="mod2@example.org"),
                planner=make_user(host, Role.PLANNER, email="planner@example.org"))


@pytest.fixture
def phone(client, gateway):
    """The author's phone."""
    return Phone(client, gateway, AUTHOR)


@pytest.fixture
def other_phone(app, gateway):
    """Someone else's phone."""
    return Phone(app.test_client(), gateway, OTHER)


def staff_client(app, user):
    """A client signed in as user through the sign-in form."""
    client = app.test_client()
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    return client


def decide(app, user, consultation, comment_id: int, **fields):
    """A moderator's decision through the review page."""
    return staff_client(app, user).post_form(
        f"/manage/consultations/{consultation.slug}/moderation/comments/{comment_id}",
        {"note": "", **fields})


def decide_appeal(app, user, consultation, appeal_id: int, **fields):
    """An appeal decided through the review page."""
    return staff_client(app, user).post_form(
        f"/manage/consultations/{consultation.slug}/moderation/appeals/{appeal_id}",
        {"note": "", **fields})


def write_and_publish(app, planner, consultation, titles: dict[str, str],
                      decision: str = "adopted", publish: bool = True) -> int:
    """A planner writes a "you said, we did" response (titles by language) and publishes it
    through the staff pages; its id."""
    from consult.summaries.planner_responses import PlannerResponse

    client = staff_client(app, planner)
    fields = {"topic": "", "decision": decision}
    fields |= {f"title__{lang}": text for lang, text in titles.items()}
    answer = client.post_form(f"/manage/consultations/{consultation.slug}/responses/new",
                              fields)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    response_id = db.session.scalar(db.select(db.func.max(PlannerResponse.id)))
    if publish:
        client.post_form(f"/manage/consultations/{consultation.slug}/responses/"
                         f"{response_id}/publish")
    return response_id
