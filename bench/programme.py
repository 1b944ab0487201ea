"""The public programme page at scale: 12 rounds x 10 indicators x 100,000 responses per round,
on SQLite (and PostgreSQL with BENCH_POSTGRES_URL).

Figures, one line each: the page's first request in a fresh process (budget 2 s: twelve
rounds' published summaries read from their tallies, charts drawn, nothing cached), a repeat
view (budget 100 ms: the kept page, keyed by the revisions it shows), the first view after the
programme's revision is bumped (the rounds' summaries are still cached, the page is drawn
again), both timed in-process with the test client; then the page's requests per second
against /ping under gunicorn (2 workers), driven by wrk (bench/wrk.py).

The data is what the page reads and no more: each round's survey (10 indicator questions and
an area segment) with its responses bulk-loaded (as bench/summary_data.py does) and folded
into the round's summary tallies by the app's own fold, so the rounds' published summaries
are exactly what submissions would have made; the indicators, the providers' self-assessments
and an action plan with timelines through the services. Set BENCH_PROGRAMME_RESPONSES and
BENCH_PROGRAMME_ROUNDS for another size. Run alone with `python bench/programme.py`, or
`BENCH_ONLY=programme python bench/run.py`.
"""
import datetime as dt
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import (  # noqa: E402
    HOST,
    ROOT,
    ServerError,
    free_port,
    gunicorn,
    on_each_database,
    prepare,
    server_env,
)
from bench.summary_data import (  # noqa: E402
    ANSWER_COLUMNS,
    RESPONSE_COLUMNS,
    _copy,
    _fast_load,
    _insert,
)
from bench.wrk import DURATION, WARMUP, require_wrk, run_wrk  # noqa: E402

SLUG = "bench-programme"
PAGE = f"/programmes/{SLUG}"
RESPONSES = int(os.environ.get("BENCH_PROGRAMME_RESPONSES", "100000"))
ROUNDS = int(os.environ.get("BENCH_PROGRAMME_ROUNDS", "12"))
COLD_BUDGET_S = 2.0
REPEAT_BUDGET_MS = 100.0
WORKERS = 2
LANGUAGES = ["en", "fr", "ar", "sw"]
CHANNELS = ["web", "paper", "sms"]
AREAS = ["port", "bus_station", "market", "neighbourhood"]
LIKERT = ["1", "2", "3", "4", "5"]
CHOICE = ["yes", "no", "unsure"]
#: The ten indicators: (question key, type); four Likert, three 0-10 scales, three choices.
INDICATORS = [(f"likert_{n}", "likert") for n in range(1, 5)] + \
    [(f"scale_{n}", "scale") for n in range(1, 4)] + \
    [(f"choice_{n}", "single_choice") for n in range(1, 4)]
CHUNK = 50_000


def survey_pages() -> list[dict]:
    """The rounds' survey: the ten indicator questions, then the area segment."""
    questions = [{"key": key, "type": kind, "labels": {"en": key.replace("_", " ").title()},
                  "options": [{"key": o, "labels": {"en": o}}
                              for o in {"likert": LIKERT, "single_choice": CHOICE}.get(kind, [])]}
                 for key, kind in INDICATORS]
    questions.append({"key": "area", "type": "single_choice", "is_segment": True,
                      "labels": {"en": "Area"},
                      "options": [{"key": o, "labels": {"en": o}} for o in AREAS]})
    return [{"key": "p1", "questions": questions[:6]}, {"key": "p2", "questions": questions[6:]}]


def build(rounds: int, responses: int, seed: int = 16) -> dict:
    """Create the programme and its published rounds with their responses folded; returns
    the seconds spent ({"load": ..., "fold": ...})."""
    from consult.accounts import services as accounts
    from consult.accounts.models import OrganisationKind, Role
    from consult.consultations import services as consultations
    from consult.consultations.lifecycle import State
    from consult.extensions import db
    from consult.programmes import indicators, services
    from consult.programmes.models import Direction
    from consult.summaries import tallies_store
    from consult.surveys import services as surveys

    host = accounts.create_organisation("bench-programme-host", "Bench programme host",
                                        OrganisationKind.CIVIL_SOCIETY)
    first = consultations.create_consultation(host, f"{SLUG}-1", "en", LANGUAGES)
    surveys.replace_survey(first, surveys.page_specs(survey_pages()))
    programme = services.create_programme(
        host, SLUG, "en", LANGUAGES, {("title", "en"): "Programme benchmark",
                                      ("description", "en"): "Twelve rounds, ten indicators."},
        None)
    round_list = [services.add_round(programme, first, None)]
    for position in range(2, rounds + 1):
        round_list.append(services.start_next_round(programme, f"{SLUG}-{position}", None))
    for key, kind in INDICATORS:
        indicators.add_indicator(
            programme, indicators.question_in(first, key), {"en": key.replace("_", " ")},
            Direction.HIGHER_IS_BETTER, ["no"] if kind == "single_choice" else [], None)
    for position, round_ in enumerate(round_list, start=1):
        consultation = round_.consultation
        consultations.set_texts(consultation, {("title", "en"): f"Bench round {position}"})
        consultation.opens_on = dt.date.today() - dt.timedelta(days=30 * (rounds - position) + 20)
        consultation.closes_on = consultation.opens_on + dt.timedelta(days=14)
        consultation.state = State.RESULTS_PUBLISHED
    staff = [accounts.create_user(f"provider{n}@bench.example", "bench provider password",
                                  f"Provider {n}") for n in range(3)]
    for user in staff:
        accounts.add_membership(user, host, Role.HOST)
    _self_assessments(programme, round_list, staff, np.random.default_rng(seed))
    _action_plan(programme)
    db.session.commit()
    started = time.perf_counter()
    _load_responses(round_list, responses, np.random.default_rng(seed))
    loaded = time.perf_counter()
    for round_ in round_list:
        tallies_store.fold(surveys.get_survey(round_.consultation).id)
        db.session.commit()
    return {"load": loaded - started, "fold": time.perf_counter() - loaded}


def _self_assessments(programme, round_list, staff, rng) -> None:
    """Each provider's score of every indicator in every round (rows as score() leaves them;
    score() itself takes them only while a round is open)."""
    from consult.extensions import db
    from consult.programmes.models import IndicatorKind, SelfAssessment

    for round_ in round_list:
        for user in staff:
            for indicator in programme.indicators:
                scale = indicator.kind is IndicatorKind.SCALE
                db.session.add(SelfAssessment(
                    round_id=round_.id, indicator_id=indicator.id, user_id=user.id,
                    organisation_id=programme.host_organisation_id,
                    number=float(rng.integers(5, 11)) if scale else None,
                    option_key=None if scale else str(rng.choice(
                        LIKERT[2:] if indicator.kind is IndicatorKind.LIKERT else CHOICE[1:])),
                    scored_on=round_.consultation.closes_on))


def _action_plan(programme) -> None:
    """Twelve commitments, each with a timeline of three dated entries."""
    from consult.programmes import commitments as plan
    from consult.programmes.models import LinkKind

    statuses = programme.statuses
    today = dt.date.today()
    for n in range(12):
        indicator = programme.indicators[n % len(programme.indicators)]
        texts = {("title", "en"): f"Commitment {n + 1}",
                 ("description", "en"): "What was promised, by whom and by when."}
        for step in range(3):
            state = plan.CommitmentState(
                texts, "Bench office", today + dt.timedelta(days=30 * n - 90),
                statuses[min(step + n % 3, len(statuses) - 1)], min(100, 20 * step + 5 * n))
            on = today - dt.timedelta(days=300 - 100 * step)
            if step == 0:
                commitment = plan.create_commitment(
                    programme, state, [plan.Link(LinkKind.INDICATOR, indicator_id=indicator.id)],
                    {"en": "Promised after the first round."}, None, on=on)
            else:
                plan.update_commitment(commitment, state, {"en": f"Progress note {step}."},
                                       None, on=on)


def _load_responses(round_list, responses: int, rng) -> None:
    """Every round's responses and answers, bulk-inserted, waiting to be folded."""
    from consult.extensions import db
    from consult.surveys import services as surveys

    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    _fast_load(connection, postgres)
    next_id = 1 + (db.session.scalar(db.text("SELECT max(id) FROM response")) or 0)
    for position, round_ in enumerate(round_list):
        survey = surveys.get_survey(round_.consultation)
        ids = {q.key: q.id for q in survey.questions}
        day = round_.consultation.opens_on.isoformat()
        for start in range(0, responses, CHUNK):
            count = min(CHUNK, responses - start)
            response_rows, answer_rows = _chunk(rng, next_id, count, survey.id, ids, day,
                                                position / max(1, len(round_list) - 1))
            next_id += count
            if postgres:
                _copy(connection, "response", RESPONSE_COLUMNS, response_rows)
                _copy(connection, "answer", ANSWER_COLUMNS, answer_rows)
            else:
                connection.exec_driver_sql(_insert("response", RESPONSE_COLUMNS), response_rows)
                connection.exec_driver_sql(_insert("answer", ANSWER_COLUMNS), answer_rows)
    db.session.commit()
    if postgres:
        db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('response', 'id'), "
                                   "(SELECT max(id) FROM response))"))
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()


def _weights(base: list[float], lean: float) -> np.ndarray:
    """base moved towards its last options by lean (0 to 1), normalised."""
    ramp = np.linspace(-1, 1, len(base))
    weights = np.clip(np.array(base) + 0.12 * lean * ramp, 0.01, None)
    return weights / weights.sum()


def _chunk(rng, first: int, count: int, survey_id: int, ids: dict[str, int], day: str,
           progress: float) -> tuple[list[tuple], list[tuple]]:
    """Rows of count submitted responses from id first: (response rows, answer rows). The
    answers improve with progress (0 in the first round, 1 in the last), so the page has a
    trend to draw and changes to test."""
    rid = np.arange(first, first + count)
    language = rng.choice(LANGUAGES, size=count, p=[.5, .25, .15, .1])
    channel = rng.choice(CHANNELS, size=count, p=[.6, .3, .1])
    responses = [(int(i), survey_id, f"bench-p-{i}", str(lang), str(chan), "submitted", 2,
                  day, day) for i, lang, chan in zip(rid.tolist(), language, channel)]
    columns = []
    for n, (key, kind) in enumerate(INDICATORS):
        answered = rid[rng.random(count) < 0.95]
        size = len(answered)
        lean = progress if n % 4 else 1 - progress  # one in four gets worse
        if kind == "likert":
            values = rng.choice(LIKERT, size=size, p=_weights([.2, .2, .2, .2, .2], lean))
            columns.append((answered, ids[key], values.tolist(), [None] * size))
        elif kind == "scale":
            numbers = rng.binomial(10, 0.4 + 0.2 * lean, size=size)
            columns.append((answered, ids[key], [None] * size, numbers.tolist()))
        else:
            values = rng.choice(CHOICE, size=size, p=_weights([.3, .5, .2], lean))
            columns.append((answered, ids[key], values.tolist(), [None] * size))
    answered = rid[rng.random(count) < 0.9]
    columns.append((answered, ids["area"], rng.choice(AREAS, size=len(answered)).tolist(),
                    [None] * len(answered)))
    answers = [row for ids_, qid, options, numbers in columns
               for row in zip(ids_.tolist(), [qid] * len(ids_), options, [None] * len(ids_),
                              numbers, [None] * len(ids_))]
    answers.sort(key=lambda row: row[0])  # a response's answers together, as the app writes
    return responses, answers


SETUP = f"""
import json
from consult import create_app
from bench.programme import build
app = create_app()
with app.app_context():
    print(json.dumps(build({ROUNDS}, {RESPONSES})))
"""

#: In a fresh process: the page's first view, repeat views, and a view after a revision bump.
MEASURE = f"""
import json, statistics, time
from consult import create_app
from consult.extensions import db
app = create_app({{"RATELIMIT_ENABLED": False}})
client = app.test_client()
def view():
    started = time.perf_counter()
    page = client.get({PAGE!r})
    return time.perf_counter() - started, page
cold, page = view()
repeats = [view()[0] for _ in range(7)]
with app.app_context():
    from consult.programmes.services import get_programme, touch
    touch(get_programme({SLUG!r}))
    db.session.commit()
bumped, _ = view()
print(json.dumps({{"cold": cold, "repeat": statistics.median(repeats), "bumped": bumped,
                  "status": page.status_code, "bytes": len(page.data)}}))
"""


def _run(code: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise ServerError(f"programme bench step failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _first_view(port: int) -> int:
    """The page's status once, waiting as long as a cold page takes (fetch waits 10 s)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        connection.request("GET", PAGE)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def measure(name: str, database_url: str | None, instance: Path) -> bool:
    """Generate, time the page in-process, then against /ping under gunicorn; True when the
    budgets hold."""
    key = f"programme_{name.lower()}"
    env = server_env(instance, free_port(), 1, database_url)
    print(f"\n== Programme page ({name}): {ROUNDS} rounds x {len(INDICATORS)} indicators x "
          f"{RESPONSES:,} responses per round ...", flush=True)
    started = time.perf_counter()
    prepare(env, demo=False)
    made = _run(SETUP, env)
    print(f"{key}_generate_s {time.perf_counter() - started:.0f} (bulk load "
          f"{made['load']:.0f} s, folding into the rounds' tallies {made['fold']:.0f} s)",
          flush=True)
    views = _run(MEASURE, env)
    cold_ok = views["cold"] <= COLD_BUDGET_S and views["bumped"] <= COLD_BUDGET_S
    repeat_ms = views["repeat"] * 1000
    print(f"{key}_cold_s {views['cold']:.2f} (first request of a fresh process; budget "
          f"{COLD_BUDGET_S:.0f} s: {_verdict(views['cold'] <= COLD_BUDGET_S)}; status "
          f"{views['status']}, {views['bytes']:,} bytes)")
    print(f"{key}_after_revision_bump_s {views['bumped']:.2f} (budget {COLD_BUDGET_S:.0f} s: "
          f"{_verdict(views['bumped'] <= COLD_BUDGET_S)})")
    print(f"{key}_repeat_view_ms {repeat_ms:.1f} (median of 7, budget "
          f"{REPEAT_BUDGET_MS:.0f} ms: {_verdict(repeat_ms <= REPEAT_BUDGET_MS)})", flush=True)
    with gunicorn(instance, workers=WORKERS, demo=False, database_url=database_url) as port:
        status = _first_view(port)
        if status != 200:
            raise ServerError(f"GET {PAGE} -> {status}")
        base = f"http://{HOST}:{port}"
        figures = {}
        for label, path in (("/ping", "/ping"), ("programme page", PAGE)):
            run_wrk(base + path, label, instance, WARMUP)
            figures[label] = run_wrk(base + path, label, instance, DURATION)
    ping, page = figures["/ping"], figures["programme page"]
    ratio = page.rps / ping.rps if ping.rps else 0.0
    print(f"{key}_rps {page.rps:.0f} (p50 {page.p50_ms:.1f} ms, p99 {page.p99_ms:.1f} ms, "
          f"{page.errors} errors; /ping {ping.rps:.0f}: ratio {ratio:.2f}; gunicorn "
          f"{WORKERS} workers, wrk on the same {os.cpu_count()} cores)", flush=True)
    return cold_ok and repeat_ms <= REPEAT_BUDGET_MS and page.errors == 0


def main() -> bool:
    """Measure on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL names a server."""
    require_wrk()
    met = on_each_database("programme", measure)
    print("programme: budgets met" if met else "programme: BUDGET MISSED")
    return met


if __name__ == "__main__":
    main()
