"""The channels' background work: sending replies through the provider, with retries. The
number travels sealed (numbers.seal), never in clear in the queue."""
import logging

from flask import current_app
from huey import crontab

from consult.channels.models import Provider
from consult.channels.numbers import unseal
from consult.channels.providers import SendRefused, africastalking, kannel, rapidpro, twilio
from consult.channels.services import purge_old
from consult.extensions import db
from consult.jobs import after_commit, periodic_task, task

log = logging.getLogger(__name__)

#: How each provider sends one SMS: send(number, sender, message) -> provider message id.
SENDERS = {Provider.AFRICASTALKING: africastalking.send_sms, Provider.KANNEL: kannel.send_sms,
           Provider.TWILIO: twilio.send_sms, Provider.RAPIDPRO: rapidpro.send_sms}


@task(retries=5, retry_delay=10, retry_backoff=2)
def send_sms(provider: str, sealed_number: str, sender: str, message: str) -> None:
    """Send one SMS; a failure the provider may overcome is retried (10 s, 20 s, 40 s...)."""
    number = unseal(sealed_number)
    if number is None:
        log.warning("an SMS reply could not be opened (CHANNEL_NUMBER_KEY changed?)")
        return
    try:
        SENDERS[Provider(provider)](number, sender, message)
    except SendRefused as error:  # no retry can help; the number is not logged
        log.warning("%s refused an SMS reply: %s", provider, error)


def send_after_commit(provider: Provider, sealed_number: str, sender: str,
                      message: str) -> None:
    """Queue the SMS once the current transaction commits (never if it rolls back)."""
    after_commit(lambda: send_sms(provider.value, sealed_number, sender, message))


@periodic_task(crontab(hour="3", minute="47"))
def purge_old_conversations() -> None:
    """Every night: forget conversations and inbound records older than DRAFT_LIFETIME_DAYS."""
    talks, inbound = purge_old(current_app.config["DRAFT_LIFETIME_DAYS"])
    db.session.commit()
    log.info("purged %s old conversations and %s inbound records", talks, inbound)
