"""Create the demo organisations, staff accounts and consultations (idempotent)."""
import datetime as dt
import json
from pathlib import Path

from consult.accounts import services as accounts
from consult.accounts.models import OrganisationKind, Role
from consult.comments.demo import load_demo_comments
from consult.consultations import services as consultations
from consult.consultations.lifecycle import ModerationMode, ParticipationMode, State
from consult.extensions import db
from consult.moderation.demo import load_demo_moderation
from consult.programmes.demo import load_demo_programme
from consult.summaries.demo import load_demo_results
from consult.surveys import services as surveys

#: Organisations and consultations, written in several languages (plain text bodies).
DEMO_CONTENT = Path(__file__).parent / "data" / "demo.json"

#: Shared password of the demo staff accounts (printed by `consult demo`).
DEMO_PASSWORD = "consult-demo-2026"

#: (e-mail, name, organisation slug or None, role or None, site admin)
DEMO_USERS = [
    ("host@demo.example", "Amina Host", "coastal-voices", Role.HOST, False),
    ("moderator@demo.example", "Tomás Moderator", "coastal-voices", Role.MODERATOR, False),
    # A second moderator: an appeal is decided by someone other than the one appealed against.
    ("moderator2@demo.example", "Neema Moderator", "coastal-voices", Role.MODERATOR, False),
    ("council@demo.example", "Joseph Council Host", "port-amani-council", Role.HOST, False),
    ("planner@demo.example", "Léa Planner", "crime-prevention-agency", Role.PLANNER, False),
    ("admin@demo.example", "Sam Site Admin", None, None, True),
    # The independent reviewer grievances about safer-port-amani go to.
    ("reviewer@demo.example", "Zawadi Reviewer", "port-amani-ombudsperson", Role.ADMIN, False),
]
#: The demo reviewer's passphrase, which opens its grievance inbox (printed by `consult demo`).
DEMO_REVIEWER_PASSPHRASE = "ombudsperson demo passphrase 2026"


def load_demo() -> list[tuple[str, str]]:
    """Create whatever demo data is missing; returns the (e-mail, role) of the demo logins."""
    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    organisations = {}
    for org in content["organisations"]:
        organisations[org["slug"]] = accounts.get_organisation(org["slug"]) or \
            accounts.create_organisation(org["slug"], org["name"], OrganisationKind(org["kind"]))
    logins = []
    for email, name, org_slug, role, site_admin in DEMO_USERS:
        user = accounts.get_user_by_email(email) or accounts.create_user(
            email, DEMO_PASSWORD, name, site_admin=site_admin)
        if org_slug:
            accounts.add_membership(user, organisations[org_slug], role)
        logins.append((email, role.value if role else "site admin"))
    for spec in content["consultations"]:
        if consultations.get_consultation(spec["slug"]) is None:
            _create_consultation(spec, organisations)
    load_demo_comments()
    load_demo_moderation()
    load_demo_results()
    _connect_demo_channel()
    _name_demo_reviewer()
    logins += load_demo_programme()  # the programme's auditor signs in too
    compute_demo_analyses()
    return logins


def _connect_demo_channel() -> None:
    """safer-port-amani by SMS: Africa's Talking shortcode 21525, keyword AMANI for the
    survey and SEMA for a comment (`consult sms-simulate safer-port-amani --language fr`,
    with --comment for a comment, plays it in the terminal)."""
    from consult.channels import services as channels
    from consult.channels.models import Provider

    consultation = consultations.get_consultation("safer-port-amani")
    if consultation is not None and not channels.connections_for(consultation):
        channels.connect(consultation, Provider.AFRICASTALKING, "21525", "AMANI SALAMA",
                         comment_keywords="SEMA MAONI")


def _name_demo_reviewer() -> None:
    """The Port Amani Ombudsperson receives safer-port-amani's grievances: its keys are set
    under DEMO_REVIEWER_PASSPHRASE (a real reviewer chooses its own and prints the recovery
    key), so the consultation page offers the grievance form at once."""
    from consult.grievances import keys
    from consult.grievances import services as grievances

    reviewer = accounts.get_organisation("port-amani-ombudsperson")
    consultation = consultations.get_consultation("safer-port-amani")
    if reviewer is None or consultation is None or keys.keys_of(reviewer.id) is not None:
        return
    staff = accounts.get_user_by_email("reviewer@demo.example")
    keys.set_up(reviewer.id, DEMO_REVIEWER_PASSPHRASE, staff)
    grievances.set_reviewer(consultation, reviewer, staff)


def compute_demo_analyses() -> None:
    """Store the demo's themes and opinion groups now, so its pages show them at once rather
    than "being computed" until a worker runs (nothing is computed when they are current)."""
    from consult.consultations.models import Consultation
    from consult.summaries.recompute import RECOMPUTE

    db.session.flush()
    for consultation in db.session.scalars(db.select(Consultation)).all():
        for compute in RECOMPUTE.values():
            compute(consultation)


def _create_consultation(spec: dict, organisations: dict) -> None:
    today = dt.date.today()
    consultation = consultations.create_consultation(
        organisations[spec["host"]], spec["slug"], spec["default_language"], spec["languages"],
        opens_on=today + dt.timedelta(days=spec["opens_in_days"]),
        closes_on=today + dt.timedelta(days=spec["closes_in_days"]),
        moderation_mode=ModerationMode(spec["moderation_mode"]),
        participation_mode=ParticipationMode(spec["participation_mode"]),
        publish_themes=True)  # the demo's hosts publish their themes (default: off)
    consultations.set_texts(consultation, _flatten(spec["texts"]))
    for section in spec["sections"]:
        consultations.add_section(consultation, _flatten(section))
    consultations.set_partners(consultation, [organisations[s] for s in spec["partners"]])
    if spec.get("survey"):
        surveys.replace_survey(consultation, surveys.page_specs(spec["survey"]))
    consultation.state = State(spec["state"])
    db.session.flush()


def _flatten(texts: dict[str, dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(field, lang): text
            for field, by_lang in texts.items() for lang, text in by_lang.items()}
