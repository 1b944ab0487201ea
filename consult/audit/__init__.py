"""The staff audit log: who among the staff did what, appended and never rewritten."""
from consult.audit.services import record

__all__ = ["record"]
