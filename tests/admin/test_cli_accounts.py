"""The command line never leaves an operator stuck: roles for existing accounts, passwords."""
from consult.accounts.models import Role, StaffSession
from consult.accounts.services import authenticate, get_user_by_email
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.admin.helpers import signed_in
from tests.conftest import PASSWORD

NEW = "a fresh long passphrase"


def test_create_user_adds_a_role_to_an_existing_account_without_touching_its_password(
        app, make_org, make_user):
    first, second = make_org("first"), make_org("second")
    user = make_user(first, Role.PLANNER)
    result = app.test_cli_runner().invoke(args=[
        "consult", "create-user", user.email.upper(), "--organisation", "second",
        "--role", "host"])
    assert result.exit_code == 0, result.output
    assert "host of second" in result.output
    db.session.expire_all()
    user = get_user_by_email(user.email)
    assert user.roles_in(second.id) == {Role.HOST} and user.roles_in(first.id) == {Role.PLANNER}
    assert authenticate(user.email, PASSWORD) is not None
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.actor_id) == ("member.roles_changed", None)


def test_create_user_makes_an_existing_account_site_admin(app, make_user):
    user = make_user()
    result = app.test_cli_runner().invoke(args=["consult", "create-user", user.email,
                                                "--site-admin"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert get_user_by_email(user.email).is_site_admin


def test_create_user_for_an_existing_account_with_nothing_to_add_says_how(app, make_user):
    user = make_user()
    result = app.test_cli_runner().invoke(args=["consult", "create-user", user.email])
    assert result.exit_code != 0 and "--organisation" in result.output


def test_create_user_needs_a_name_for_a_new_account(app):
    result = app.test_cli_runner().invoke(args=["consult", "create-user", "new@example.org",
                                                "--password", NEW])
    assert result.exit_code != 0 and "--name" in result.output
    assert get_user_by_email("new@example.org") is None


def test_set_password_prompts_twice_and_signs_the_account_out_everywhere(app, make_user):
    user = make_user()
    browser = signed_in(app, user)
    result = app.test_cli_runner().invoke(args=["consult", "set-password", user.email],
                                          input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert NEW not in result.output
    assert authenticate(user.email, NEW) is not None
    assert authenticate(user.email, PASSWORD) is None
    assert browser.get("/manage/").status_code == 302
    assert db.session.scalar(db.select(db.func.count(StaffSession.id))) == 0


def test_set_password_refuses_a_weak_one_and_an_unknown_address(app, make_user):
    user = make_user()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consult", "set-password", user.email], input="short\nshort\n")
    assert result.exit_code != 0 and "12" in result.output
    assert authenticate(user.email, PASSWORD) is not None
    result = runner.invoke(args=["consult", "set-password", "nobody@example.org"])
    assert result.exit_code != 0 and "no account" in result.output


def test_set_password_makes_unused_reset_links_stop_working(app, make_user):
    from consult.accounts import password_reset

    user = make_user()
    token = password_reset.issue_token(user)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["consult", "set-password", user.email],
                                          input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert password_reset.account_for_token(token) is None
