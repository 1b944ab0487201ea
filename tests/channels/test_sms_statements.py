"""SQL statements per inbound message, pinned: the survey's structure comes from memory
(survey_shape.py), the conversation is read once even on a shortcode shared by several
channels, and a message that is not an APPEAL does not read the number's comments. An
answer took 16 to 19 statements before (survey read in full, conversation read twice, the
number's comments read); now 8 to 10."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from consult.channels import services
from consult.channels.models import Provider
from consult.extensions import db
from tests.channels.conftest import SHORTCODE, sms_survey
from tests.channels.sms_flows import USSD_CODE, dial

#: Statements one SMS answer may take: the idempotency check, the channels on the number,
#: the conversation, the response and its answers, then the writes (answer, response page,
#: conversation, inbound record); the first answer creates the draft (surveys.responses
#: .start_draft looks for it once more, then inserts it).
MAX_PER_ANSWER = 10
SURVEY_TABLES = {"survey", "survey_page", "page_text", "question", "question_text",
                 "question_option", "option_text"}


@contextmanager
def counting():
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)


def _read(statements: list[str]) -> list[str]:
    """The first table each SELECT reads."""
    return [s.split()[s.split().index("FROM") + 1] for s in statements
            if s.lstrip().startswith("SELECT") and "FROM" in s.split()]


@pytest.fixture
def shared(connected, make_consultation):
    """The SAFE survey and a second consultation's channel (keyword OTHER) on one shortcode."""
    other = sms_survey(make_consultation)
    services.connect(other, Provider.AFRICASTALKING, SHORTCODE, "other")
    db.session.commit()
    return connected


@pytest.mark.parametrize("answer", ["2", "41", "SKIP"])
def test_an_sms_answer_on_a_shared_shortcode_takes_at_most_ten_statements(shared, sms,
                                                                          answer):
    for text in ("SAFE", "1", "2", "41")[:{"2": 2, "41": 3, "SKIP": 4}[answer]]:
        sms(text)
    with counting() as statements:
        reply = sms(answer)
    assert reply  # a real answer, not a refusal
    assert len(statements) <= MAX_PER_ANSWER, "\n".join(statements)
    reads = _read(statements)
    assert reads.count("conversation") == 1  # not once to choose the channel, once to talk
    assert not SURVEY_TABLES & set(reads)
    assert "channel_comment" not in reads  # not an APPEAL: the number's comments unread


def test_a_keyword_on_a_shared_shortcode_reads_the_conversation_once(shared, sms):
    sms("SAFE")
    with counting() as statements:
        sms("SAFE")  # resumes
    assert _read(statements).count("conversation") == 1


def test_the_survey_is_read_once_per_revision_not_per_message(shared, sms):
    with counting() as statements:
        for text in ("SAFE", "1", "2", "41"):
            sms(text)
    assert _read(statements).count("survey") == 1


def test_a_ussd_answer_and_its_end_check_do_not_read_the_survey(channel_settings, client,
                                                                make_consultation):
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.AFRICASTALKING, USSD_CODE, "", ussd=True)
    db.session.commit()
    number, session = "+254711000999", "ATUid_count"
    dial(client, number, session, "")
    dial(client, number, session, "1")
    with counting() as statements:
        screen = dial(client, number, session, "1*2")
    assert screen.startswith("CON ")
    reads = _read(statements)
    assert not SURVEY_TABLES & set(reads) and reads.count("conversation") == 1
