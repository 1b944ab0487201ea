"""Steps a participant takes in the demo consultation, shared by the journeys and the page
checks. Fields are found by name and value, so the steps work in every language."""
import re

SLUG = "safer-port-amani"
CONSULTATION = f"/consultations/{SLUG}"
SURVEY = f"{CONSULTATION}/survey"
DONE = f"{SURVEY}/done"
THREAD = f"{CONSULTATION}/comments"
RECEIPT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def submit(page, form: str = "main form[method=post]") -> None:
    """Press the (last) submit button of a form in the page's main part and wait for the
    page the server answers with."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").last.click()


def answer_first_page(page, role: str = "trader", area: str = "market") -> None:
    """Page 1 'About you': who they are (the skip logic reads it) and where."""
    page.check(f"input[name=role][value={role}]")
    page.check(f"input[name=area][value={area}]")
    submit(page)


def answer_second_page(page, support: str = "4", priorities=("liaison", "hotline"),
                       payments: str | None = "prefer_not") -> None:
    """Page 2 'The pilot'; payments is only asked of traders."""
    page.check(f"input[name=support][value='{support}']")
    for priority in priorities:
        page.check(f"input[name=priorities][value={priority}]")
    if payments is not None:
        page.check(f"input[name=payments][value={payments}]")
    submit(page)


def answer_last_page(page, trust: str = "7",
                     ideas: str = "Street lights at the bus station, please.") -> None:
    """Page 3 'Your ideas', then submit the whole survey."""
    page.check(f"input[name=trust_hotline][value='{trust}']")
    page.fill("textarea[name=ideas]", ideas)
    submit(page)


def current_page_number(page) -> int:
    """The survey page shown, from the address (?page=N) or 1."""
    match = re.search(r"[?&]page=(\d+)", page.url)
    return int(match.group(1)) if match else 1


def answer_survey(page, role: str = "trader") -> str:
    """The whole survey from its first page; returns the receipt code shown at the end."""
    page.goto(SURVEY)
    answer_first_page(page, role=role)
    answer_second_page(page, payments="prefer_not" if role == "trader" else None)
    answer_last_page(page)
    assert page.url.endswith(DONE), page.url
    return receipt_shown(page)


def receipt_shown(page) -> str:
    """The receipt code on the 'thank you' page."""
    code = page.locator("main .codename").inner_text().strip()
    assert RECEIPT.match(code), code
    return code


def first_comment_with_replies(page) -> str:
    """Path of the first comment of the demo thread that has replies (from its link)."""
    page.goto(THREAD)
    link = page.locator("article.comment .comment-links a", has_text=re.compile(r"\d")).first
    return link.get_attribute("href").split("#")[0]
