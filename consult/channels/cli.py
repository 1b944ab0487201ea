"""`flask consult sms-simulate SLUG`: a participant's SMS conversation played in the terminal
through the same engine a gateway reaches, so a newcomer sees it without a gateway.

Nothing is kept: the whole conversation runs in one transaction that is rolled back at the
end (the receipt shown is not counted), and no message is sent.
"""
import secrets
import sys

import click
from flask import current_app

from consult.channels import services
from consult.channels.models import ChannelConnection, CommentStep, Provider, Step


@click.command("sms-simulate")
@click.argument("slug")
@click.option("--language", default=None, help="Choose this language when asked (e.g. fr).")
@click.option("--comment", is_flag=True,
              help="Start with the comment keyword: write a comment instead of the survey.")
def sms_simulate(slug: str, language: str | None, comment: bool = False) -> None:
    """Play an SMS conversation with SLUG's survey (or, --comment, a comment): type messages,
    read the replies."""
    from consult.consultations.services import get_consultation
    from consult.extensions import db

    consultation = get_consultation(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation {slug!r}.")
    if language is not None and language not in consultation.languages:
        raise click.ClickException(
            f"{slug} is offered in {', '.join(consultation.languages)}, not {language!r}.")
    # A throwaway number key: nothing of this conversation outlives the command.
    current_app.config["CHANNEL_NUMBER_KEY"] = secrets.token_hex(16)
    connection = next((c for c in services.connections_for(consultation)
                       if c.active and not c.ussd), None) \
        or _stand_in(consultation)
    if comment and not connection.comment_keyword_list:
        raise click.ClickException(f"The SMS channel of {slug} takes no comments.")
    if not connection.keyword_list:  # a channel taking comments only
        click.echo(f"The SMS channel of {slug} takes comments only: writing a comment.")
        comment = True
    number, counter = "+0000000000", iter(range(1, 1_000_000))

    def say(text: str) -> Step | None:
        click.echo(f"> {text}")
        received = services.receive(connection.provider, connection.number, number, text,
                                    f"simulated-{next(counter)}")
        click.echo(received.reply + "\n")
        db.session.flush()
        return _step(connection)

    try:
        click.echo(f"Simulated SMS to {connection.number} (nothing is kept; Ctrl-D ends).\n")
        step = say((connection.comment_keyword_list if comment else connection.keyword_list)[0])
        asked = _comment_step(connection) is CommentStep.LANGUAGE if comment \
            else step is Step.LANGUAGE
        if language is not None and asked:
            step = say(str(connection.languages.index(language) + 1)
                       if language in connection.languages else language)
        for line in sys.stdin:
            if line.strip():
                step = say(line.strip())
            if step is Step.DONE:
                break
    finally:
        db.session.rollback()
    click.echo("(A simulation: nothing was kept and nothing was sent.)")


def _stand_in(consultation) -> ChannelConnection:
    """A channel for a consultation that has none (rolled back with the rest): the survey
    and comments, or comments only when there is no survey."""
    from consult.surveys.services import get_survey

    survey = get_survey(consultation) is not None
    return services.connect(consultation, Provider.AFRICASTALKING, "0000",
                            consultation.slug.split("-")[0], survey=survey,
                            comment_keywords="comment")


def _step(connection: ChannelConnection) -> Step | None:
    from consult.channels.models import Conversation
    from consult.extensions import db

    return db.session.scalar(db.select(Conversation.step).filter_by(connection_id=connection.id))


def _comment_step(connection: ChannelConnection) -> CommentStep | None:
    from consult.channels.models import Conversation
    from consult.extensions import db

    return db.session.scalar(db.select(Conversation.comment_step).filter_by(
        connection_id=connection.id))
