"""A visitor reads the published results of the closed demo consultation on a 360 px phone,
with JavaScript off and on, in English and in Arabic (right to left): the council's "you said,
we did" on the consultation page, then the results: how many answered, a chart and its text
alternative, opinion groups from the published comments, a question's breakdowns on its own
page with a count hidden below k, and never a word of the survey's free text."""
import json
import re

import pytest

from consult.summaries.demo import DEMO_RESULTS, RESPONSES

pytestmark = pytest.mark.browser

DEMO = json.loads(DEMO_RESULTS.read_text(encoding="utf-8"))
CONSULTATION = f"/consultations/{DEMO['slug']}"
RESULTS = f"{CONSULTATION}/results"
K = 10


def option_labels(question_key: str, language: str) -> list[str]:
    """The labels of a demo question's options in one language."""
    for page in DEMO["survey"]:
        for question in page["questions"]:
            if question["key"] == question_key:
                return [o["labels"][language] for o in question["options"]]
    raise KeyError(question_key)


@pytest.mark.parametrize("language, direction", [("en", "ltr"), ("ar", "rtl")])
def test_visitor_reads_the_council_reply_and_the_public_results(participant, language,
                                                                direction):
    page = participant
    page.goto(f"{CONSULTATION}?lang={language}")
    reply = page.locator("main section.you-said")
    for response in DEMO["planner_responses"]:
        assert response["title"][language] in reply.inner_text()
    with page.expect_navigation():
        page.locator(f"main a[href^='{RESULTS}']").click()
    assert page.url.split("?")[0].endswith(RESULTS)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, direction)

    who = page.locator("main section[aria-labelledby=who]")
    assert str(RESPONSES) in who.locator("p.lead").inner_text()

    # The chart of the segment question: an image named by its title, described by the
    # same figures as its table, drawn within the phone's width.
    chart = page.locator("#q-group svg.chart")
    assert chart.get_attribute("role") == "img"
    title_id, desc_id = chart.get_attribute("aria-labelledby").split()
    assert page.locator(f"[id='{title_id}']").text_content().strip()
    described = page.locator(f"[id='{desc_id}']").text_content()
    for label in option_labels("group", language):
        assert label[:20] in described
    assert re.search(r"\d+", described)
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360

    assert page.locator("#opinions-title").count() == 1
    text = page.locator("main").inner_text()
    for answers in DEMO["ideas"].values():
        for answer in answers:
            assert answer not in text, "survey free text must stay on the planner report"

    # A question's breakdowns are on its own page. Protection at work there: a count below
    # k shows as "fewer than 10", in the page's language.
    with page.expect_navigation():
        page.locator("#q-support a[href*='/results/questions/support']").click()
    assert page.locator("main table.breakdown").count() >= 1
    small = page.locator("main table .hidden-count", has_text=str(K))
    assert small.count() >= 1 and small.first.is_visible()
    assert page.locator("html").get_attribute("dir") == direction
    for answers in DEMO["ideas"].values():
        for answer in answers:
            assert answer not in page.locator("main").inner_text()
