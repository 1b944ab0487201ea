"""Commands that set up a new deployment: organisations and staff accounts."""
from consult.accounts.models import Role
from consult.accounts.services import authenticate, get_organisation, get_user_by_email


def test_create_organisation_then_a_host_who_can_sign_in(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consult", "create-organisation", "coastal", "Coastal Voices",
                                 "--kind", "civil_society"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["consult", "create-user", "amina@example.org", "--name", "Amina",
                                 "--organisation", "coastal", "--role", "host"],
                           input="a long enough passphrase\na long enough passphrase\n")
    assert result.exit_code == 0, result.output
    user = authenticate("amina@example.org", "a long enough passphrase")
    assert user is not None and user.roles_in(get_organisation("coastal").id) == {Role.HOST}
    assert "a long enough passphrase" not in result.output


def test_create_user_refuses_a_weak_password_and_saves_nothing(app):
    result = app.test_cli_runner().invoke(
        args=["consult", "create-user", "x@example.org", "--name", "X", "--site-admin",
              "--password", "short"])
    assert result.exit_code != 0 and "12" in result.output
    assert get_user_by_email("x@example.org") is None


def test_create_user_refuses_an_unknown_organisation_and_a_taken_email(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consult", "create-user", "y@example.org", "--name", "Y",
                                 "--organisation", "nowhere", "--role", "host",
                                 "--password", "a long enough passphrase"])
    assert result.exit_code != 0 and "nowhere" in result.output
    taken = make_user()
    result = runner.invoke(args=["consult", "create-user", taken.email, "--name", "Z",
                                 "--password", "a long enough passphrase"])
    assert result.exit_code != 0 and "already" in result.output


def test_duplicate_organisation_slug_is_refused(app, make_org):
    make_org("taken")
    result = app.test_cli_runner().invoke(args=["consult", "create-organisation", "taken", "T"])
    assert result.exit_code != 0 and "already exists" in result.output
