"""Layout rules on every page of tests/browser/pages.py, in every language (participant pages
at 360x740 with JavaScript off and on, staff pages at 1280x900): no horizontal scrolling,
text at 200% without overflow or clipped controls, tap targets of 44x44 px (links inside
sentences excepted, WCAG 2.5.8), a visible focus indicator, headings in order, lang and dir,
error messages tied to their fields."""
import pytest

from tests.browser.pages import ALL_PAGES, visit_id, visits
from tests.browser.test_accessibility import expect_none

pytestmark = pytest.mark.browser

VISITS = visits(ALL_PAGES)
MIN_TARGET = 44


def overflow(width: dict) -> list[str]:
    if width["scrollWidth"] <= width["viewport"]:
        return []
    return [f"the page is {width['scrollWidth']} px wide in a {width['viewport']} px window"]


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_no_horizontal_scrolling(audit, visit):
    found = audit(*visit)
    expect_none(found, "width", overflow(found.width))


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_text_at_200_percent_fits(audit, visit):
    found = audit(*visit)
    expect_none(found, "zoom", overflow(found.zoomed_width) + found.zoomed_clipped)


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_tap_targets_are_44_px(audit, visit):
    found = audit(*visit)
    expect_none(found, "targets", found.small_targets)


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_focus_is_visible(audit, visit):
    found = audit(*visit)
    assert found.focus_stops > 0, f"{found.where}: nothing to focus"
    expect_none(found, "focus", [f"{name} looks the same focused"
                                 for name in found.unfocused])


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_headings_in_order(audit, visit):
    found = audit(*visit)
    levels = [h["level"] for h in found.headings]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}")
    for before, heading in zip(found.headings, found.headings[1:]):
        if heading["level"] > before["level"] + 1:
            problems.append(f"h{before['level']} “{before['text']}” is followed by "
                            f"h{heading['level']} “{heading['text']}”")
    expect_none(found, "headings", problems)


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_language_and_direction(audit, visit):
    found = audit(*visit)
    problems = []
    if found.lang != found.language:
        problems.append(f"<html lang={found.lang!r}>, asked for {found.language!r}")
    if found.dir != found.expected_dir:
        problems.append(f"<html dir={found.dir!r}>, expected {found.expected_dir!r}")
    expect_none(found, "lang", problems)


@pytest.mark.parametrize("visit", VISITS, ids=visit_id)
def test_error_messages_are_tied_to_their_fields(audit, visit):
    found = audit(*visit)
    expect_none(found, "errors", found.untied_errors)
