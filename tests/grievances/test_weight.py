"""What filing a grievance costs a phone without JavaScript: the pages and bytes of the whole
flow (with the stylesheet, downloaded once), and the statistics page's weight. Printed with
-s; the budget is the project's 60 KB per page (HTML + CSS, uncompressed)."""
import gzip
import re

from tests.grievances.conftest import HAPPENED, WANTED, category_ids

PAGE_BUDGET = 60_000
PHONE = {"Accept-Encoding": "gzip", "Accept-Language": "en",
         "User-Agent": "Mozilla/5.0 (Linux; Android 8.1; Nokia 1) Firefox/68.0"}


def _sizes(response) -> tuple[int, int]:
    """(bytes sent, bytes once uncompressed) of a response body."""
    body = response.get_data()
    plain = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" \
        else body
    return len(body), len(plain)


def test_filing_a_grievance_on_a_phone_without_javascript_weighs_little(client,
                                                                         reviewer_setup):
    slug = reviewer_setup.consultation.slug
    steps = []
    start = client.get(f"/consultations/{slug}", headers=PHONE)
    steps.append(("consultation page", start))
    css = re.search(r'href="([^"]+\.css)"', start.get_data(as_text=True)
                    if start.headers.get("Content-Encoding") != "gzip"
                    else gzip.decompress(start.get_data()).decode()).group(1)
    steps.append(("stylesheet (once)", client.get(css, headers=PHONE)))
    form = client.get(f"/consultations/{slug}/grievance", headers=PHONE)
    steps.append(("complaint form", form))
    html = gzip.decompress(form.get_data()).decode() \
        if form.headers.get("Content-Encoding") == "gzip" else form.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    filed = client.post(f"/consultations/{slug}/grievance", headers=PHONE, data={
        "csrf_token": token, "category": str(category_ids(reviewer_setup.reviewer.id)[0]),
        "happened": HAPPENED, "wanted": WANTED, "contact_ok": "y"})
    steps.append(("case code page", filed))
    assert all(r.status_code == 200 for _, r in steps)
    sent = sum(_sizes(r)[0] for _, r in steps)
    plain = sum(_sizes(r)[1] for _, r in steps)
    pages = sum(1 for name, _ in steps if name != "stylesheet (once)")
    print(f"\nfiling: {pages} pages + 1 stylesheet, {sent} bytes sent, {plain} uncompressed; "
          + ", ".join(f"{name} {_sizes(r)[0]}/{_sizes(r)[1]}" for name, r in steps))
    css_size = _sizes(steps[1][1])[1]
    for name, response in steps:
        if name != "stylesheet (once)":
            assert _sizes(response)[1] + css_size < PAGE_BUDGET, name


def test_the_statistics_page_weighs_little(client, reviewer_setup):
    page = client.get(f"/consultations/{reviewer_setup.consultation.slug}/grievances",
                      headers=PHONE)
    sent, plain = _sizes(page)
    print(f"\nstatistics page: {sent} bytes sent, {plain} uncompressed")
    assert page.status_code == 200 and plain < PAGE_BUDGET
