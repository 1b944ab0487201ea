"""Public grievance statistics: suppressed like every published figure, padded in vain."""
import datetime as dt

from consult.extensions import db
from consult.grievances import messages, services, stats
from consult.grievances.keys import categories
from consult.grievances.models import Case, Message, Stage
from consult.grievances.tasks import purge_cases
from tests.grievances.conftest import HAPPENED, file_by_form


def _file(setup, n: int, category=0, filed_on=None):
    """n cases straight through the service (the form is tested elsewhere)."""
    organisation = setup.reviewer
    chosen = categories(organisation.id)[category]
    made = []
    for _ in range(n):
        case, _code = services.file_case(setup.consultation, organisation, chosen, HAPPENED,
                                         "", "", False, "en", None)
        if filed_on:
            case.filed_on = filed_on
        made.append(case)
    db.session.commit()
    return made


def test_small_counts_are_suppressed_on_the_public_page(client, reviewer_setup):
    _file(reviewer_setup, 12, category=0)
    _file(reviewer_setup, 3, category=1)
    page = client.get(f"/consultations/{reviewer_setup.consultation.slug}/grievances")
    assert page.status_code == 200
    figures = stats.statistics(reviewer_setup.consultation)
    assert figures.by_category.cells[1][0] is None  # 3 < k
    assert figures.by_category.cells[0][0] is None  # its complement, else 3 is total - 12
    assert figures.by_category.total == 15
    assert figures.by_stage.cells[0][0] == 15  # all received
    html = page.get_data(as_text=True)
    assert "fewer than 10" in html and HAPPENED not in html


def test_padding_a_cell_reveals_nothing_exact_counts_are_perturbed(app, reviewer_setup):
    app.config["CELL_KEY_PERTURBATION"] = True
    _file(reviewer_setup, 20)
    first = stats.statistics(reviewer_setup.consultation)
    again = stats.statistics(reviewer_setup.consultation)
    assert first.by_stage == again.by_stage  # the same cells always show the same values
    assert first.perturbed and abs(first.by_stage.total - 20) <= first.max_change


def test_cases_filed_today_are_counted_tomorrow(app, reviewer_setup):
    app.config["GRIEVANCE_STATISTICS_UNTIL_YESTERDAY"] = True
    _file(reviewer_setup, 10)
    _file(reviewer_setup, 10, filed_on=dt.date.today() - dt.timedelta(days=1))
    figures = stats.statistics(reviewer_setup.consultation)
    assert figures.by_stage.total == 10
    assert figures.counted_until == dt.date.today() - dt.timedelta(days=1)


def test_share_of_deadlines_kept(reviewer_setup):
    today = dt.date.today()
    on_time = _file(reviewer_setup, 10, filed_on=today - dt.timedelta(days=20))
    late = _file(reviewer_setup, 10, filed_on=today - dt.timedelta(days=20))
    for case in on_time:
        case.acknowledge_by = today - dt.timedelta(days=13)
        services.move(case, Stage.ACKNOWLEDGED, reviewer_setup.staff, "", None,
                      today=today - dt.timedelta(days=15))
    for case in late:
        case.acknowledge_by = today - dt.timedelta(days=13)
    db.session.commit()
    figures = stats.statistics(reviewer_setup.consultation)
    assert figures.acknowledged.share == 0.5
    assert figures.resolved.share is None  # no case is closed or due yet


def test_purge_erases_closed_cases_after_the_reviewers_period(client, reviewer_setup):
    code = file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    services.move(case, Stage.RESOLVED, reviewer_setup.staff, "", None,
                  today=dt.date.today() - dt.timedelta(days=800))
    services.share(case, reviewer_setup.staff, "Shared words")
    messages.post(case, True, "A question", b"k" * 32)
    kept = _file(reviewer_setup, 1)[0]
    db.session.commit()
    assert purge_cases() == 1
    assert purge_cases() == 0  # idempotent
    db.session.expire_all()
    erased = db.session.get(Case, case.id)
    assert erased.sealed_key is None and erased.sealed_text is None
    assert erased.code_hash is None and erased.purged_on == dt.date.today()
    assert erased.stage is Stage.RESOLVED  # the husk the statistics count
    assert db.session.get(Case, kept.id).sealed_text is not None
    assert services.shared_with_hosts(reviewer_setup.consultation) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert erased.reply_salt is None
    page = client.post_form("/grievances/case", {"code": code})
    assert page.status_code == 422  # the code no longer finds it
