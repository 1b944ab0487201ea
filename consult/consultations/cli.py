"""`flask consult purge-expired`: the retention job, by hand (consultations/tasks.py)."""
import datetime as dt

import click


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only list the consultations whose raw data "
              "would be deleted now, and change nothing.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this day (YYYY-MM-DD), e.g. to try a period out.")
def purge_expired_command(dry_run: bool, today: dt.datetime | None) -> None:
    """Delete the raw data of consultations whose retention period is over, keeping their
    published results, published comments and planners' answers."""
    from consult.consultations.tasks import purge_expired

    found = purge_expired(today.date() if today else None, dry_run=dry_run)
    for slug, detail in found:
        if dry_run:
            click.echo(f"{slug}: retention period ended on {detail.isoformat()}")
        else:
            counts = ", ".join(f"{name} {n}" for name, n in detail.items() if n)
            click.echo(f"{slug}: raw data deleted ({counts or 'nothing left to delete'})")
    if not found:
        click.echo("No consultation's retention period is over.")
