"""The retention period: set by managers (audited), started when the results are published,
shown on the consultation page and in the privacy notice."""
import datetime as dt

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations import retention
from consult.consultations.lifecycle import State
from consult.consultations.services import change_state, get_consultation
from consult.consultations.tasks import purge_expired
from consult.extensions import db

FORM = {"default_language": "en", "languages": ["en"], "moderation_mode": "post",
        "participation_mode": "anonymous", "visibility": "public", "min_cell_size": "10",
        "title__en": "Title", "time_zone": "UTC"}


def test_a_host_sets_the_retention_period_and_the_change_is_audited(
        client, make_consultation, make_user, auth):
    consultation = make_consultation(state=State.CLOSED, languages=("en",))
    assert consultation.retention_months == 12
    auth.login(make_user(consultation.host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/edit"
    assert 'name="retention_months"' in client.get(url).get_data(as_text=True)
    refused = client.post_form(url, {**FORM, "retention_months": "0"})
    assert refused.status_code == 422
    assert 'id="retention_months-error"' in refused.get_data(as_text=True)
    assert client.post_form(url, {**FORM, "retention_months": "6"}).status_code == 302
    db.session.expire_all()
    assert get_consultation(consultation.slug).retention_months == 6
    entry = db.session.scalar(db.select(AuditEntry).filter_by(
        action="consultation.retention_changed"))
    assert entry.detail == "12 -> 6"


def test_a_planner_cannot_change_the_retention_period(
        client, make_consultation, make_user, auth):
    consultation = make_consultation(state=State.CLOSED, languages=("en",))
    auth.login(make_user(consultation.host, Role.PLANNER))
    response = client.post_form(f"/manage/consultations/{consultation.slug}/edit",
                                {**FORM, "retention_months": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert get_consultation(consultation.slug).retention_months == 12


def test_publishing_starts_the_period_and_the_pages_give_its_end(client, make_consultation):
    consultation = make_consultation(state=State.CLOSED, languages=("en",))
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "is kept for 12 months after the results are published" in page
    change_state(consultation, "publish_results")
    db.session.commit()
    ends = retention.add_months(dt.date.today(), 12)
    assert retention.ends_on(consultation) == ends
    day = f"{ends.strftime('%B')} {ends.day}, {ends.year}"
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f"is kept until {day}, then deleted" in page
    notice = client.get(f"/consultations/{consultation.slug}/privacy")
    assert notice.status_code == 200 and f"is kept until {day}" in notice.get_data(as_text=True)


def test_results_published_without_a_recorded_day_start_their_period_when_first_seen(
        make_consultation):
    consultation = make_consultation(state=State.RESULTS_PUBLISHED, languages=("en",))
    assert retention.record_of(consultation.id) is None
    # Never earlier than the truth: the job notes today and deletes nothing yet.
    assert purge_expired() == []
    assert retention.record_of(consultation.id).results_published_on == dt.date.today()
    later = retention.add_months(dt.date.today(), 12)
    assert [slug for slug, _ in purge_expired(later)] == [consultation.slug]
    assert retention.deleted_on(consultation.id) == later


def test_draft_privacy_notice_is_hidden_from_the_public(client, make_consultation):
    consultation = make_consultation(state=State.DRAFT, languages=("en",))
    assert client.get(f"/consultations/{consultation.slug}/privacy").status_code == 404


def test_add_months_keeps_to_the_end_of_shorter_months():
    assert retention.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert retention.add_months(dt.date(2026, 12, 15), 13) == dt.date(2028, 1, 15)
    assert retention.add_months(dt.date(2026, 3, 31), -13) == dt.date(2025, 2, 28)
