"""Inbound SMS throughput: Africa's Talking callbacks against /ping, driven by wrk, under
gunicorn (2 sync workers) as in production, on SQLite (and PostgreSQL with
BENCH_POSTGRES_URL). Issue 15's target: at least 100 messages a second accepted on SQLite.

Each callback is a real inbound SMS: a fresh message id, one of many numbers, and the text a
participant would send at that point of the survey (the keyword of a new conversation, the
language, five answers including the one that submits, then one more after the receipt), so
the server does the whole work (the demo's channel shares the shortcode, as consultations
often share one, so the keyword or the conversation picks the channel): secret check,
idempotency record, keyed hash, conversation, draft and answers, submission, and the reply
queued on the task queue (the SQLite queue file of a default install; nothing consumes it
during the run). Rate limits are off, as in every load test from one address
(tests/channels/test_limits.py tests them).

  python bench/sms_inbound.py               measure (also `BENCH_ONLY=sms make bench`)
  python bench/sms_inbound.py --profile NAME  profile in process with pyinstrument and
                                              write bench/profiles/sms-inbound-NAME.txt
"""
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import (  # noqa: E402
    HOST,
    ServerError,
    gunicorn,
    prepare,
    scratch_postgres,
    server_env,
)
from bench.wrk import (  # noqa: E402
    _DONE,
    CONNECTIONS,
    DURATION,
    THREADS,
    WARMUP,
    Measurement,
    WrkMissing,
    require_wrk,
    run_script,
)

WORKERS = 2
TARGET = 100.0  # messages per second accepted, SQLite, 2 workers
SECRET = "bench-callback-secret"
SHORTCODE = "21525"
PATH = f"/channels/africastalking/sms/{SECRET}"
SETTINGS = {"CHANNEL_NUMBER_KEY": "bench-number-key", "CHANNEL_AFRICASTALKING_CALLBACK_SECRET":
            SECRET, "CHANNEL_AFRICASTALKING_USERNAME": "sandbox",
            "CHANNEL_AFRICASTALKING_API_KEY": "bench"}
#: A consultation in English and French whose 5-question survey is connected to SHORTCODE.
SETUP = f"""
from consult import create_app
from consult.accounts.models import Organisation
from consult.channels.models import Provider
from consult.channels.services import connect
from consult.consultations import services as c
from consult.extensions import db
from consult.surveys.services import page_specs, replace_survey
app = create_app()
with app.app_context():
    host = db.session.scalars(db.select(Organisation)).first()
    consultation = c.create_consultation(host, "sms-bench", "en", ["en", "fr"])
    c.set_texts(consultation, {{("title", "en"): "SMS benchmark"}})
    choice = [{{"key": k, "labels": {{"en": k}}}} for k in ("a", "b", "c", "d")]
    kinds = ["single_choice", "number", "multiple_choice", "scale", "long_text"]
    questions = [{{"key": f"q{{n}}", "type": kind, "labels": {{"en": f"Question {{n}}?"}},
                  "options": choice if "choice" in kind else []}}
                 for n, kind in enumerate(kinds, start=1)]
    replace_survey(consultation, page_specs([{{"key": "p1", "questions": questions}}]))
    c.change_state(consultation, "open")
    connect(consultation, Provider.AFRICASTALKING, "{SHORTCODE}", "SAFE")
    db.session.commit()
"""
#: What one number sends, in order (form-encoded): a new conversation, then its answers.
TEXTS = ("SAFE", "1", "2", "35", "1+3", "7", "More+light+at+the+bus+stop", "1")
#: Numbers each wrk thread cycles through: twice its connections, so no number ever has two
#: messages in flight (a phone sends one message at a time), and few enough that a 10 s run
#: takes many numbers through the whole survey.
POOL = 16
#: Each request: the next number of the pool, at its next step; a fresh id every time.
_SMS = """
local counter = 0
local threads = 0
local texts = {%(texts)s}
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
request = function()
  local n = counter
  counter = counter + 1
  local step = math.floor(n / pool) %% #texts
  local phone = numbers + (n %% pool) + pool * math.floor(n / (pool * #texts))
  local body = string.format(
    "from=%%%%2B2547%%02d%%07d&to=%(to)s&text=%%s&date=2026-12-07+20%%%%3A30%%%%3A12" ..
    "&id=bench-%%s-%%d-%%d&linkId=l-%%d&networkCode=63902",
    id or 0, phone, texts[step + 1], run, id or 0, n, n)
  return wrk.format("POST", nil,
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def _script(workdir: Path, run_id: str, sms: bool) -> Path:
    lua = _DONE
    if sms:
        # Each run (warm-up, measurement) starts new numbers: new conversations again.
        numbers = 1_000_000 * (1 + sum(map(ord, run_id)) % 9)
        lua = (f'run = "{run_id}"\npool = {POOL}\nnumbers = {numbers}\n' + _SMS % {
            "texts": ", ".join(f'"{t}"' for t in TEXTS), "to": SHORTCODE} + lua)
    path = workdir / f"{'sms' if sms else 'get'}-{run_id}.lua"
    path.write_text(lua)
    return path


def _wrk(url: str, label: str, workdir: Path, duration: float, sms: bool,
         run_id: str) -> Measurement:
    """wrk on url for duration seconds (inbound SMS callbacks when sms)."""
    return run_script(url, label, _script(workdir, run_id, sms), duration)


def _stored(database_url: str, instance: Path) -> tuple[int, int, int]:
    """(inbound messages recorded, responses submitted, replies waiting on the queue)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        inbound = connection.execute(text("SELECT count(*) FROM inbound_message")).scalar()
        submitted = connection.execute(text(
            "SELECT count(*) FROM response WHERE state = 'submitted' AND channel = 'sms'")
        ).scalar()
    engine.dispose()
    with sqlite3.connect(instance / "queue.sqlite3") as queue:
        waiting = queue.execute("SELECT count(*) FROM task").fetchone()[0]
    return inbound, submitted, waiting


def run_sms_inbound_bench() -> bool:
    """Measure on SQLite (and PostgreSQL with BENCH_POSTGRES_URL); True if the target is met."""
    try:
        require_wrk()
    except WrkMissing as missing:
        sys.exit(str(missing))
    os.environ.update(SETTINGS)
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    met = True
    for name in ["SQLite"] + (["PostgreSQL"] if postgres else []):
        with tempfile.TemporaryDirectory(prefix="consult-sms-bench-") as tmp, (
                scratch_postgres(postgres, "consult_bench_sms") if name == "PostgreSQL"
                else nullcontext(None)) as database_url:
            instance = Path(tmp)
            database_url = database_url or f"sqlite:///{instance / 'consult.sqlite3'}"
            print(f"\n== inbound SMS, {name}: preparing ...", flush=True)
            try:
                with gunicorn(instance, workers=WORKERS, database_url=database_url,
                              setup=SETUP) as port:
                    base = f"http://{HOST}:{port}"
                    print(f"gunicorn: {WORKERS} sync workers on {HOST}:{port}; wrk: {THREADS} "
                          f"threads, {CONNECTIONS} connections, {DURATION} s after {WARMUP} s "
                          f"of warm-up; {os.cpu_count()} cores shared by wrk and the server.",
                          flush=True)
                    _wrk(base + "/ping", "/ping", instance, WARMUP, False, "w")
                    ping = _wrk(base + "/ping", "/ping", instance, DURATION, False, "p")
                    _wrk(base + PATH, "inbound SMS", instance, WARMUP, True, "warm")
                    sms = _wrk(base + PATH, "inbound SMS (Africa's Talking)", instance,
                               DURATION, True, "run")
            except ServerError as error:
                sys.exit(str(error))
            inbound, submitted, waiting = _stored(database_url, instance)
            met &= report(name, ping, sms, inbound, submitted, waiting,
                          target=TARGET if name == "SQLite" else None)
    return met


def report(name: str, ping: Measurement, sms: Measurement, inbound: int, submitted: int,
           waiting: int, target: float | None) -> bool:
    """Print the figures; True when the target (messages a second) is met or none is set."""
    ratio = sms.rps / ping.rps if ping.rps else 0.0
    ok = sms.errors == 0 and (target is None or sms.rps >= target)
    print(f"{'URL':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'/ping':>7}")
    for measured in (ping, sms):
        share = measured.rps / ping.rps if ping.rps else 0.0
        print(f"{measured.label:<34} {measured.rps:>8.0f} {measured.p50_ms:>8.2f} "
              f"{measured.p99_ms:>8.2f} {measured.errors:>7} {share:>7.2f}")
    goal = f"target >= {target:.0f} messages/s" if target else "no target"
    print(f"{name}: {sms.rps:.0f} messages/s accepted ({ratio:.2f} of /ping; {goal})"
          f"{'' if ok else '  TARGET MISSED'}; recorded {inbound} inbound messages, "
          f"{submitted} surveys submitted by SMS, {waiting} replies waiting on the queue")
    return ok


def profile(name: str, repeats: int = 800) -> None:
    """Post repeats callbacks in process under pyinstrument; save the call tree."""
    from pyinstrument import Profiler

    profiles = Path(__file__).with_name("profiles")
    with tempfile.TemporaryDirectory(prefix="consult-sms-profile-") as tmp:
        os.environ.update(SETTINGS)
        env = server_env(Path(tmp), 0, 1, os.environ.get("BENCH_POSTGRES_URL_DB"))
        prepare(env, setup=SETUP)
        os.environ.update(env)
        from consult import create_app

        app = create_app()
        client = app.test_client()

        def send(n: int) -> None:
            phone, step = n % POOL + POOL * (n // (POOL * len(TEXTS))), (n // POOL) % len(TEXTS)
            answer = client.post(PATH, data={
                "from": f"+2547{phone:09d}", "to": SHORTCODE,
                "text": TEXTS[step].replace("+", " "), "date": "2026-12-07 20:30:12",
                "id": f"profile-{name}-{n}", "linkId": f"l-{n}", "networkCode": "63902"})
            if answer.status_code != 200:
                sys.exit(f"callback -> {answer.status_code}")

        for n in range(POOL * len(TEXTS)):  # warm: one whole round of conversations
            send(n)
        statements = _count_statements(app, lambda: [send(n) for n in range(
            POOL * len(TEXTS) * 2, POOL * len(TEXTS) * 3)]) / (POOL * len(TEXTS))
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for n in range(POOL * len(TEXTS) * 3, POOL * len(TEXTS) * 3 + repeats):
            send(n)
        profiler.stop()
        each = (time.perf_counter() - started) / repeats * 1000
        target = profiles / f"sms-inbound-{name}.txt"
        target.write_text(f"inbound SMS callback ({PATH.replace(SECRET, '<secret>')}): "
                          f"{each:.2f} ms per message under the profiler, {repeats} messages "
                          f"(every step of the conversation in turn); {statements:.1f} SQL "
                          f"statements per message\n\n"
                          + profiler.output_text(unicode=True, color=False))
        print(f"{each:.2f} ms/message under the profiler, {statements:.1f} SQL statements "
              f"per message -> {target}")


def _count_statements(app, work) -> int:
    """How many SQL statements work() sends to the database."""
    from sqlalchemy import event

    from consult.extensions import db

    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def main() -> None:
    """Measure, or profile with --profile NAME."""
    if len(sys.argv) == 3 and sys.argv[1] == "--profile":
        profile(sys.argv[2])
    elif len(sys.argv) == 1:
        run_sms_inbound_bench()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
