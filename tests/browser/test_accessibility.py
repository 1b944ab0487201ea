"""axe-core (WCAG 2.1 A and AA rules) on every page of tests/browser/pages.py, in every
language, participant pages with JavaScript off and on: no violation of impact serious or
critical. The rules run are listed at the end of the test session."""
import pytest

from tests.browser.audit import BLOCKING
from tests.browser.pages import ALL_PAGES, visit_id, visits

pytestmark = pytest.mark.browser


def expect_none(audit, check: str, problems: list) -> None:
    """Fail with the problems, or xfail when the page lists them as known (being built)."""
    if not problems:
        return
    reason = audit.page.known.get(check)
    if reason:
        pytest.xfail(f"known: {reason}")
    pytest.fail(f"{audit.where}:\n  " + "\n  ".join(map(str, problems)), pytrace=False)


@pytest.mark.parametrize("visit", visits(ALL_PAGES), ids=visit_id)
def test_no_serious_or_critical_axe_violation(audit, visit):
    found = audit(*visit)
    assert found.status < 500, f"{found.where} answered {found.status}"
    expect_none(found, "axe", [
        f"{v['impact']}: {v['id']} ({v['help']}) at " + "; ".join(v["nodes"][:5])
        for v in found.violations if v["impact"] in BLOCKING])
