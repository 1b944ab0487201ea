"""E-mail to staff: translated templates, plain text plus HTML, sent by the task queue."""
from consult.mail.services import send_mail

__all__ = ["send_mail"]
