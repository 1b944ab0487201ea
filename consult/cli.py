"""`flask consult ...` commands, also installed as the `consult` console script."""
import click
from flask.cli import AppGroup, FlaskGroup

from consult.extensions import db

consult_group = AppGroup("consult", help="Consult administration commands.")


@consult_group.command("demo")
def demo_command() -> None:
    """Create and fill the demo data (safe to run again: nothing is duplicated)."""
    from consult.demo import DEMO_PASSWORD, load_demo

    logins = load_demo()
    db.session.commit()
    click.echo("Demo data is ready. Staff sign-in at /manage/login:")
    for email, role in logins:
        click.echo(f"  {email:<26} {role:<11} password: {DEMO_PASSWORD}")


def _create_app():
    from consult import create_app

    return create_app()


def build_console_group() -> FlaskGroup:
    """The command group behind the `consult` console script."""
    cli = FlaskGroup(name="consult", create_app=lambda: _create_app(),
                     add_default_commands=False, add_version_option=False, load_dotenv=False)
    for name, command in consult_group.commands.items():
        cli.add_command(command, name)
    return cli


def main() -> None:
    """The `consult` console script: the same commands as `flask --app consult consult`."""
    build_console_group().main()
