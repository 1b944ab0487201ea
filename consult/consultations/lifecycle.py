"""The consultation lifecycle: states, allowed transitions, and what each state allows."""
import datetime as dt
import enum
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l


class State(enum.Enum):
    """Where a consultation is in its life."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    RESULTS_PUBLISHED = "results_published"


class ModerationMode(enum.Enum):
    """Whether contributions are checked before (pre) or after (post) they are published."""

    PRE = "pre"
    POST = "post"


class ParticipationMode(enum.Enum):
    """What a participant needs to take part."""

    ANONYMOUS = "anonymous"
    CODENAME = "codename"
    ACCOUNT = "account"


class Visibility(enum.Enum):
    """Whether the consultation is listed on the home page or reachable only by its link."""

    PUBLIC = "public"
    UNLISTED = "unlisted"


#: Allowed moves between states, with the staff action that makes each one.
TRANSITIONS: dict[tuple[State, State], str] = {
    (State.DRAFT, State.OPEN): "open",
    (State.OPEN, State.CLOSED): "close",
    (State.CLOSED, State.OPEN): "reopen",
    (State.CLOSED, State.RESULTS_PUBLISHED): "publish_results",
}

#: What each state allows. Features ask `allows(state, "respond")` instead of naming states.
#: Paper responses may be imported after closing too (forms collected while it was open often
#: arrive late), but not once results are published: published figures must not change.
ALLOWS: dict[State, frozenset[str]] = {
    State.DRAFT: frozenset({"edit_structure", "edit_text", "preview"}),
    State.OPEN: frozenset({"edit_text", "read", "respond", "comment", "vote", "import_paper"}),
    State.CLOSED: frozenset({"edit_text", "read", "import_paper"}),
    State.RESULTS_PUBLISHED: frozenset({"edit_text", "read", "read_results"}),
}

#: Names of the states for people, translated at render time.
STATE_LABELS = {
    State.DRAFT: _l("Draft"),
    State.OPEN: _l("Open"),
    State.CLOSED: _l("Closed"),
    State.RESULTS_PUBLISHED: _l("Results published"),
}

#: Buttons that make each transition.
ACTION_LABELS = {
    "open": _l("Open for participation"),
    "close": _l("Close participation"),
    "reopen": _l("Reopen participation"),
    "publish_results": _l("Publish results"),
}

MODERATION_MODE_LABELS = {
    ModerationMode.PRE: _l("Check each contribution before it is published"),
    ModerationMode.POST: _l("Publish at once, review afterwards"),
}

PARTICIPATION_MODE_LABELS = {
    ParticipationMode.ANONYMOUS: _l("Anonymous: nothing needed"),
    ParticipationMode.CODENAME: _l("Codename: participants get a passphrase to come back"),
    ParticipationMode.ACCOUNT: _l("Account: only signed-in people take part"),
}

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Listed on the home page"),
    Visibility.UNLISTED: _l("Unlisted: only people with the link"),
}


def allows(state: State, activity: str) -> bool:
    """Whether a consultation in state allows activity (e.g. "respond")."""
    return activity in ALLOWS[state]


def actions_from(state: State) -> list[tuple[str, State]]:
    """The transitions available from state, as (action, target) pairs."""
    return [(action, to) for (frm, to), action in TRANSITIONS.items() if frm is state]


def today_in(time_zone: str, now: dt.datetime | None = None) -> dt.date:
    """The calendar day it is in time_zone (an IANA name) at now (default: this instant)."""
    now = now or dt.datetime.now(dt.UTC)
    # A name this system lacks (stored elsewhere, tzdata older here) must not break a page.
    return now.astimezone(ZoneInfo(time_zone if is_time_zone(time_zone) else "UTC")).date()


def effective_state(state: State, closes_on: dt.date | None, time_zone: str,
                    now: dt.datetime | None = None) -> State:
    """The state a consultation is really in: an open one whose closing day (its last day,
    in its own time zone) is over counts as closed, whether or not anything closed it.

    The one place that decides it, so that no scheduler is needed for a consultation to
    stop taking contributions on time, and every page, list and API shows the same state.
    """
    if state is State.OPEN and closes_on is not None and today_in(time_zone, now) > closes_on:
        return State.CLOSED
    return state


def is_time_zone(name: str) -> bool:
    """Whether name is an IANA time zone this system knows (e.g. "Africa/Nairobi")."""
    return name in time_zone_names()


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA names available here, read once (available_timezones walks the disk)."""
    return frozenset(available_timezones())
