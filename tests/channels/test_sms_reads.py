"""A message reads the survey's structure from memory (kept per process and consultation
revision: channels/survey_shape.py) and the response once (a memo for that message only);
what one message read never answers the next: an edit to the survey moves the revision
(every survey service calls touch) and reaches the next SMS."""
from sqlalchemy import event

from consult.consultations.services import touch
from consult.extensions import db
from consult.surveys import builder
from consult.surveys.models import Question


def _question(key: str) -> Question:
    return db.session.scalars(db.select(Question).filter_by(key=key)).one()


def test_stale_survey_an_edit_reaches_the_next_sms(connected, sms):
    sms("SAFE")
    assert sms("1").splitlines()[0] == "Your role?"
    builder.set_texts(_question("role"), {("label", "en"): "What is your work?"})
    db.session.commit()
    assert sms("SAFE").splitlines()[0] == "What is your work?"  # resumes at the same question


def test_stale_survey_a_changed_rule_reaches_the_next_sms(connected, sms):
    sms("SAFE")
    sms("1")
    question = _question("role")
    question.required = False  # the builder refuses this once open; the rule is what counts
    touch(question.survey.consultation)  # as every survey service does
    db.session.commit()
    assert sms("SKIP").startswith("stall?") is False  # skipped: role unanswered, no stall
    assert "age" in sms("SAFE").splitlines()[0]


def test_stale_survey_an_edit_between_two_callbacks_through_the_gateway(
        connected, client, channel_settings):
    def callback(text: str, n: int) -> None:
        answer = client.post("/channels/africastalking/sms/callback-secret-4c1d", data={
            "from": "+254711000222", "to": "21525", "text": text, "id": f"edit-{n}",
            "date": "2026-12-07 20:30:12", "linkId": "l", "networkCode": "63902"})
        assert answer.status_code == 200

    callback("SAFE", 1)
    callback("1", 2)
    builder.set_texts(_question("age"), {("label", "en"): "How old are you, in years?"})
    db.session.commit()
    callback("2", 3)  # youth: the next question is age, asked with the edited label
    from consult.channels.models import InboundMessage
    reply = db.session.scalars(db.select(InboundMessage.reply)
                               .filter_by(provider_message_id="edit-3")).one()
    assert reply.splitlines()[0].startswith("How old are you, in years?")


def test_a_message_reads_the_response_once_and_the_survey_not_at_all(connected, sms):
    statements: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sms("SAFE")
    sms("1")
    sms("2")
    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        sms("41")
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    reads = [s.split()[s.split().index("FROM") + 1] for s in statements
             if s.startswith("SELECT") and "FROM" in s.split()]
    assert reads.count("response") == 1 and reads.count("conversation") == 1
    assert not {"survey", "survey_page", "question", "question_text", "question_option",
                "option_text", "page_text"} & set(reads)
    assert "consultation_text" not in reads and "section" not in reads
