"""Staff pages stay usable on a phone: a host may manage a consultation from one."""
import pytest

pytestmark = pytest.mark.browser

STAFF_PAGES = ["/manage/", "/manage/consultations/safer-port-amani",
               "/manage/consultations/safer-port-amani/comments",
               "/manage/consultations/border-market-lighting/survey",
               "/manage/account/notifications",
               "/manage/account", "/manage/account/two-factor",
               "/manage/organisations/coastal-voices/members",
               "/manage/organisations/coastal-voices/invitations/new",
               "/manage/audit", "/manage/consultations/safer-port-amani/jobs"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_dashboard_facts_fit_a_phone(phone, language):
    """The dashboard's facts list (long web address, dates) once overflowed 360 px."""
    phone.goto(f"/manage/login?lang={language}")
    phone.fill("#email", "host@demo.example")
    phone.fill("#password", "consult-demo-2026")
    phone.click("button[type=submit]")
    for path in STAFF_PAGES:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide in {language}"
