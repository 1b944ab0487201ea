"""`flask consult ...` commands, also installed as the `consult` console script."""
from pathlib import Path

import click
from flask.cli import AppGroup, FlaskGroup

from consult.accounts.models import OrganisationKind, Role
from consult.extensions import db

consult_group = AppGroup("consult", help="Consult administration commands.")


@consult_group.command("demo")
def demo_command() -> None:
    """Create and fill the demo data (safe to run again: nothing is duplicated)."""
    from consult.demo import DEMO_PASSWORD, DEMO_REVIEWER_PASSPHRASE, load_demo

    logins = load_demo()
    db.session.commit()
    click.echo("Demo data is ready. Staff sign-in at /manage/login:")
    for email, role in logins:
        click.echo(f"  {email:<26} {role:<11} password: {DEMO_PASSWORD}")
    click.echo(f"The reviewer's grievance inbox opens with the passphrase: "
               f"{DEMO_REVIEWER_PASSPHRASE}")


@consult_group.command("worker")
@click.option("--workers", default=2, show_default=True, help="Tasks run at the same time.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also run the scheduled tasks (run them on one worker only).")
def worker_command(workers: int, periodic: bool) -> None:
    """Run the background worker: the queued jobs and the scheduled tasks."""
    from consult import jobs

    jobs.discover_tasks()
    _log_to_stderr("huey", "consult")
    if jobs.huey.immediate:
        raise click.ClickException("QUEUE_URL is 'immediate': there is no queue to work on.")
    consumer = jobs.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=periodic, check_worker_health=True)
    consumer.run()


def _log_to_stderr(*names: str) -> None:
    """INFO and above of these loggers to stderr, scrubbed like the web's logs."""
    import logging

    from consult.security import ScrubFilter

    handler = logging.StreamHandler()
    handler.addFilter(ScrubFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in names:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@consult_group.command("create-organisation")
@click.argument("slug")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]),
              default=OrganisationKind.CIVIL_SOCIETY.value, show_default=True)
def create_organisation_command(slug: str, name: str, kind: str) -> None:
    """Create an organisation that can host or partner consultations."""
    from consult.accounts import services

    if services.get_organisation(slug) is not None:
        raise click.ClickException(f"an organisation with the slug {slug!r} already exists")
    services.create_organisation(slug, name, OrganisationKind(kind))
    db.session.commit()
    click.echo(f"Created organisation {slug}.")


@consult_group.command("create-user")
@click.argument("email")
@click.option("--name", help="The person's name, shown to other staff (new accounts).")
@click.option("--organisation", "organisation_slug", help="Organisation to give a role in.")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Role in it.")
@click.option("--site-admin", is_flag=True, help="May act on every organisation.")
@click.option("--password", help="At least 12 characters; asked for (twice, never echoed) "
              "when a new account is made without it.")
def create_user_command(email: str, name: str | None, organisation_slug: str | None,
                        role: str | None, site_admin: bool, password: str | None) -> None:
    """Create a staff account, or give an existing one a role (or site administration)."""
    from consult.accounts import services

    if bool(organisation_slug) != bool(role):
        raise click.UsageError("--organisation and --role go together")
    organisation = services.get_organisation(organisation_slug) if organisation_slug else None
    if organisation_slug and organisation is None:
        raise click.ClickException(f"no organisation with the slug {organisation_slug!r}")
    user = services.get_user_by_email(email)
    if user is not None:
        _add_to_existing_user(user, organisation, role, site_admin, password)
        return
    if not name:
        raise click.UsageError("--name is required for a new account")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, password, name, site_admin=site_admin)
    except services.PolicyError as error:
        raise click.ClickException(" ".join(error.args[0])) from error
    if organisation is not None:
        services.add_membership(user, organisation, Role(role))
    db.session.commit()
    click.echo(f"Created {user.email}.")


def _add_to_existing_user(user, organisation, role: str | None, site_admin: bool,
                          password: str | None) -> None:
    """create-user for an address that has an account: add the role, touch nothing else."""
    from consult import audit
    from consult.accounts import services

    if password is not None:
        raise click.ClickException(f"{user.email} already has an account; its password is "
                                   "changed with `consult set-password`")
    if organisation is None and not site_admin:
        raise click.ClickException(f"{user.email} already has an account; give --organisation "
                                   "and --role (or --site-admin) to add a role to it")
    if organisation is not None:
        before = sorted(m.role.value for m in user.memberships
                        if m.organisation_id == organisation.id)
        services.add_membership(user, organisation, Role(role))
        after = sorted(set(before) | {role})
        if after != before:
            audit.record(None, "member.roles_changed", organisation_id=organisation.id,
                         target=user.email,
                         detail=f"{', '.join(before) or '-'} -> {', '.join(after)} "
                                "(command line)")
        click.echo(f"{user.email} is {role} of {organisation.slug}.")
    if site_admin and not user.is_site_admin:
        user.is_site_admin = True
        audit.record(None, "account.site_admin_granted", target=user.email,
                     detail="command line")
        click.echo(f"{user.email} is a site administrator.")
    db.session.commit()


@consult_group.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set a staff account's password (asked for twice, never echoed); the account is signed
    out of every browser."""
    from consult import audit
    from consult.accounts import services, staff_sessions
    from consult.accounts.passwords import change_password

    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    problems = change_password(user, password)  # unused reset links stop working too
    if problems:
        raise click.ClickException(" ".join(problems))
    staff_sessions.sign_out_everywhere(user)
    audit.record(None, "account.password_changed", target=user.email, detail="command line")
    db.session.commit()
    click.echo(f"The password of {user.email} is set; it is signed out everywhere."
               + ("" if user.active else " The account is deactivated: a site administrator "
                  "reactivates it under Organisations > All staff accounts."))


@consult_group.command("disable-two-factor")
@click.argument("email")
def disable_two_factor_command(email: str) -> None:
    """Turn off a staff account's two-factor sign-in (they lost the phone and the recovery
    codes); signs the account out everywhere. Where it is required, they set it up again at
    their next sign-in."""
    from consult.accounts import account_log, services, staff_sessions, two_factor

    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    two_factor.disable(user)
    staff_sessions.sign_out_everywhere(user)
    account_log.record_for_account(user, account_log.TWO_FACTOR_DISABLED, by_system=True)
    db.session.commit()
    click.echo(f"Two-factor sign-in of {user.email} is off; it is signed out everywhere.")


@consult_group.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--consultation", "consultation_slug",
              help="Replace this consultation's survey (refused once anybody has answered it).")
@click.option("--organisation", "organisation_slug",
              help="Host of the new consultation (default: the first organisation).")
@click.option("--open", "open_now", is_flag=True, help="Open the consultation at once.")
def import_xlsform_command(file: Path, consultation_slug: str | None,
                           organisation_slug: str | None, open_now: bool) -> None:
    """Import an XLSForm (.xlsx) as a survey; prints a report, then the slug on the last line."""
    from consult.surveys.xlsform import XLSFormError
    from consult.surveys.xlsform_import import ImportRefused, import_xlsform

    if consultation_slug and organisation_slug:
        raise click.UsageError("give --consultation or --organisation, not both")
    if not file.is_file():  # a device or a pipe would be read without end
        raise click.ClickException(f"{file} is not a regular file")
    try:
        result = import_xlsform(file, consultation_slug, organisation_slug, open_now)
    except (XLSFormError, ImportRefused) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for line in import_report_lines(result):
        click.echo(line)
    click.echo(result.consultation.slug)


def import_report_lines(result) -> list[str]:
    """The import report: what came in, what changed on the way, what did not come in."""
    form = result.form
    questions = [q for page in form.pages for q in page.questions]
    kinds: dict[str, int] = {}
    for question in questions:
        kinds[question.type] = kinds.get(question.type, 0) + 1
    lines = [f"Imported {len(questions)} questions on {len(form.pages)} pages "
             f"({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items()))}), languages: "
             f"{', '.join(form.languages)} (default {form.default_language})."]
    if result.unoffered_languages:
        lines.append("Texts kept but not offered (no interface language): "
                     + ", ".join(result.unoffered_languages))
    for key, what in result.build.dropped_conditions:
        lines.append(f"Dropped the {what} condition of {key}: it refers to a later or "
                     "unknown question.")
    for heading, items in (("Imported with changes", form.notes),
                           ("Not imported", form.not_imported)):
        if items:
            lines.append(f"{heading} ({len(items)}):")
            lines.extend(f"  {item.sheet} row {item.row or '-'} {item.name}: {item.message}"
                         for item in items)
    return lines


@consult_group.command("import-polis")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--slug", help="Slug of the new consultation (default: from the topic).")
def import_polis_command(folder: Path, slug: str | None) -> None:
    """Import a Pol.is export folder as a closed consultation; prints a report, then the
    slug on the last line."""
    from consult.comments.polis_import import ImportRefused, import_polis

    try:
        result = import_polis(folder, slug)
    except ImportRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    states = ", ".join(f"{n} {state}" for state, n in sorted(result.states.items()))
    click.echo(f"Imported {sum(result.states.values())} statements ({states}).")
    click.echo(f"Imported {result.votes} votes by {result.participants} participants from "
               f"{result.source} ({result.vote_rows} rows; the latest vote of each participant "
               "on each statement counts).")
    if result.skipped_votes:
        click.echo(f"Skipped {result.skipped_votes} votes on statements missing from "
                   "comments.csv (or skipped below).")
    for row, comment_id, reason in result.skipped_statements:
        click.echo(f"Skipped statement {comment_id} (comments.csv row {row}): {reason}.")
    click.echo(result.consultation.slug)


@consult_group.command("purge-drafts")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep drafts saved within this many days (default: DRAFT_LIFETIME_DAYS).")
def purge_drafts_command(days: int | None) -> None:
    """Delete survey drafts nobody has touched for a while (submitted responses are kept)."""
    from flask import current_app

    from consult.surveys.responses import purge_drafts

    count = purge_drafts(current_app.config["DRAFT_LIFETIME_DAYS"] if days is None else days)
    db.session.commit()
    click.echo(f"Deleted {count} draft{'s' if count != 1 else ''}.")


@consult_group.command("opinion-groups")
@click.argument("slug")
@click.option("--format", "output", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
def opinion_groups_command(slug: str, output: str) -> None:
    """Planner-only data: each clustered participant's opinion group (header row first)."""
    import csv
    import json
    import sys

    from consult.consultations.services import get_consultation
    from consult.summaries.opinions import (
        assignment_rows,
        consultation_opinions,
        refresh_routing,
    )

    consultation = get_consultation(slug)
    if consultation is None:
        raise click.ClickException(f"no consultation with the slug {slug!r}")
    opinions = consultation_opinions(consultation)
    refresh_routing(consultation, opinions)  # the vote page now favours divisive statements
    db.session.commit()
    rows = assignment_rows(opinions)
    if output == "json":
        click.echo(json.dumps({"participants": [{"participant": p, "group": g}
                                                for p, g in rows]}, indent=1))
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["participant", "group"])
    writer.writerows(rows)


def _survey_of(slug: str):
    """(consultation, survey) of a slug, or a ClickException."""
    from consult.consultations.services import get_consultation
    from consult.surveys.services import get_survey

    consultation = get_consultation(slug)
    if consultation is None:
        raise click.ClickException(f"no consultation with the slug {slug!r}")
    return consultation, get_survey(consultation)


@consult_group.command("summary")
@click.argument("slug")
@click.option("--format", "output", type=click.Choice(["json"]), default="json",
              show_default=True)
def summary_command(slug: str, output: str) -> None:
    """The planner summary as JSON (the API's document, with free-text quotes)."""
    import json

    from consult.summaries.document import summary_document
    from consult.summaries.services import summary_for

    consultation, survey = _survey_of(slug)
    summary, meta = summary_for(consultation, survey, planner=True) if survey else (None, None)
    click.echo(json.dumps(summary_document(consultation, survey, summary, meta, planner=True),
                          ensure_ascii=False, indent=1))


@consult_group.command("rebuild-tallies")
@click.argument("slug")
def rebuild_tallies_command(slug: str) -> None:
    """Recount a survey's summary tallies from its answers (after a restore or repair)."""
    from consult.summaries import tallies_store

    _, survey = _survey_of(slug)
    if survey is None:
        raise click.ClickException(f"{slug} has no survey")
    tallies_store.rebuild(survey.id)
    counted = tallies_store.respondents(survey.id)
    db.session.commit()
    click.echo(f"Recounted {slug}: {counted} submitted response{'s' if counted != 1 else ''}.")


@consult_group.command("export")
@click.argument("slug")
@click.option("--format", "output", type=click.Choice(["csv", "json"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--labels", help="Option labels in this language (default: option keys).")
def export_command(slug: str, output: str, out: Path | None, labels: str | None) -> None:
    """Every counted response, streamed: CSV (a header row, then one row per response; "|"
    between several options) or JSON."""
    import sys

    from consult.summaries.exports import csv_lines, json_chunks

    consultation, survey = _survey_of(slug)
    if survey is None:
        raise click.ClickException(f"{slug} has no survey")
    if labels is not None and labels not in consultation.languages:
        raise click.ClickException(f"{slug} is not offered in {labels!r}")
    chunks = (csv_lines if output == "csv" else json_chunks)(survey, labels)
    target = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        for chunk in chunks:
            target.write(chunk)
    finally:
        if out:
            target.close()


@consult_group.command("db-upgrade")
def db_upgrade_command() -> None:
    """Apply every pending database migration (run it before starting the new version)."""
    from flask_migrate import upgrade

    from consult.main.health import migrations_status

    upgrade()
    with db.engine.connect() as connection:
        status = migrations_status(connection)
    db.engine.dispose()
    if status != "ok":
        raise click.ClickException(f"the database is not current after upgrading: {status}")
    click.echo("The database is up to date.")


@consult_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Copy the whole database to PATH, readable by its owner only (SQLite: online backup;
    PostgreSQL: pg_dump -Fc, whose major version must be at least the server's)."""
    from consult.backup import BackupError, backup

    try:
        outcome = backup(db.engine.url, path, replace=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {outcome.path} ({outcome.size:,} bytes, "
               f"{outcome.seconds:.1f} s).")


@consult_group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup at PATH. Stop the web and worker processes
    first; afterwards run db-upgrade if the backup comes from an older version."""
    from consult.backup import BackupError, describe, restore

    url = db.engine.url
    if not yes:
        click.confirm(f"Replace everything in {describe(url)} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no connection of ours may hold a lock the restore waits for
    try:
        outcome = restore(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {describe(url)} from {outcome.path} ({outcome.seconds:.1f} s).")


def _register_feature_commands() -> None:
    """Commands kept with their feature."""
    from consult.channels.cli import sms_simulate
    from consult.consultations.cli import purge_expired_command

    consult_group.add_command(sms_simulate)
    consult_group.add_command(purge_expired_command)


_register_feature_commands()


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
