"""What a stored response may hold: nothing that identifies or locates the person."""
from consult.surveys.models import Answer, Response


def test_responses_store_no_address_agent_or_time_of_day(app):
    columns = {c.name: str(c.type) for c in Response.__table__.columns}
    assert set(columns) == {"id", "survey_id", "respondent_key", "language", "channel", "state",
                            "idempotency_key", "payload_hash", "receipt", "current_page",
                            "submitted_on", "saved_on",
                            "untallied",  # summary bookkeeping (0 or NULL), nothing personal
                            "cell_key"}  # random 0..255 for the perturbation, nothing personal
    assert columns["submitted_on"] == columns["saved_on"] == "DATE"
    assert {c.name for c in Answer.__table__.columns} == {
        "id", "response_id", "question_id", "option_key", "rank", "number", "text", "language"}
