"""The moderation queue at scale: 100,000 comments waiting for approval (plus 5,000 reported
and 1,000 held by screening) in one pre-moderated consultation, served by gunicorn (2 sync
workers) on SQLite, read by a signed-in moderator.

Target: the queue's first page (50 items and the four tab counts) answers with a median under
100 ms. The same page filtered by language, and the reported and held tabs, are printed for
information. Run alone with `python bench/moderation.py`; `make bench` runs it last.
"""
import datetime as dt
import http.client
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import HOST, ServerError, gunicorn  # noqa: E402

SLUG = "bench-moderation"
QUEUE = f"/manage/consultations/{SLUG}/moderation"
PAGES = [QUEUE, f"{QUEUE}?language=fr", f"{QUEUE}?tab=reported", f"{QUEUE}?tab=held"]
PENDING, REPORTED, HELD = 100_000, 5_000, 1_000
REQUESTS, WARMUP = 200, 20
MEDIAN_MS = 100.0
MODERATOR = ("moderator@demo.example", "consult-demo-2026")
SETUP = """
from consult import create_app
from bench.moderation import build
app = create_app()
with app.app_context():
    build()
"""
WORDS = ("the bus station needs more light at night and the market road too safer walk home "
         "traders youth jobs patrol hotline trust police council money school port").split()


def build(seed: int = 2026) -> int:
    """A pre-moderated consultation of the demo moderator's organisation, filled straight
    into the tables in large batches; returns its id. Commits."""
    from consult.accounts.services import get_organisation
    from consult.comments.models import Comment, CommentState
    from consult.consultations import services
    from consult.consultations.lifecycle import ModerationMode
    from consult.extensions import db
    from consult.moderation.models import Reason, Report, ScreeningFlag, WordAction

    rng = random.Random(seed)
    consultation = services.create_consultation(
        get_organisation("coastal-voices"), SLUG, "en", ["en", "fr", "ar"],
        moderation_mode=ModerationMode.PRE)
    services.set_texts(consultation, {("title", "en"): "Moderation at scale"})
    sections = [services.add_section(consultation, {("title", "en"): f"Part {n}"})
                for n in (1, 2)]
    services.change_state(consultation, "open")
    db.session.commit()
    first = (db.session.scalar(db.select(db.func.max(Comment.id))) or 0) + 1
    day = dt.date.today()
    total = PENDING + REPORTED + HELD
    rows = [{"id": first + n, "consultation_id": consultation.id,
             "section_id": rng.choice([None, *(s.id for s in sections)]), "parent_id": None,
             "depth": 0, "author_key": f"bench-author-{rng.randrange(20_000)}",
             "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 50))),
             "language": rng.choice(("en", "en", "fr", "ar")),
             "state": CommentState.PENDING if n < PENDING or n >= PENDING + REPORTED
             else CommentState.PUBLISHED,
             "moderation_reason": Reason.PERSONAL_INFORMATION.value if n >= PENDING + REPORTED
             else None, "created_on": day - dt.timedelta(days=(total - n) * 30 // total),
             "is_meta": False, "agree_count": 0, "disagree_count": 0, "pass_count": 0,
             "reply_count": 0, "priority": 0.0} for n in range(total)]
    for batch in range(0, len(rows), 5000):
        db.session.execute(db.insert(Comment.__table__), rows[batch:batch + 5000])
    reports = [{"consultation_id": consultation.id, "comment_id": first + PENDING + n,
                "reporter_key": f"bench-reporter-{r}", "reason": rng.choice(list(Reason)[:7]),
                "note": "", "open": True, "created_on": day}
               for n in range(REPORTED) for r in range(rng.randint(1, 2))]
    db.session.execute(db.insert(Report.__table__), reports)
    db.session.execute(db.insert(ScreeningFlag.__table__), [
        {"consultation_id": consultation.id, "comment_id": first + PENDING + REPORTED + n,
         "reason": Reason.PERSONAL_INFORMATION, "action": WordAction.HOLD, "words": "",
         "open": True} for n in range(HELD)])
    db.session.commit()
    return consultation.id


def sign_in(port: int) -> str:
    """The session cookie of the demo moderator, signed in through the real form."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/manage/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    conn.request("POST", "/manage/login", body=urlencode({
        "csrf_token": token, "email": MODERATOR[0], "password": MODERATOR[1]}), headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise ServerError(f"sign-in answered {response.status}")
    return (response.getheader("Set-Cookie") or cookie).split(";")[0]


def measure(port: int, path: str, cookie: str) -> dict:
    """REQUESTS sequential GETs of path (after WARMUP): median and 99th percentile in ms."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies, errors = [], 0
    for n in range(WARMUP + REQUESTS):
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        if n >= WARMUP:
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status != 200 or b'class="queue"' not in body
    conn.close()
    latencies.sort()
    return {"path": path, "median_ms": statistics.median(latencies), "errors": errors,
            "p99_ms": latencies[int(0.99 * (len(latencies) - 1))]}


def report(rows: list[dict]) -> bool:
    """Print the table and the target; True when it is met."""
    print(f"\n{'request':<70} {'median ms':>10} {'p99 ms':>8} {'errors':>7}")
    for r in rows:
        print(f"{'GET ' + r['path']:<70} {r['median_ms']:>10.1f} {r['p99_ms']:>8.1f}"
              f" {r['errors']:>7}")
    met = rows[0]["median_ms"] < MEDIAN_MS and not any(r["errors"] for r in rows)
    print(f"queue, first page of {PENDING:,} waiting: median {rows[0]['median_ms']:.1f} ms "
          f"(target < {MEDIAN_MS:.0f})")
    print("targets met" if met else "TARGET MISSED")
    return met


def main() -> bool:
    """Build the queue, serve it, measure, report."""
    with tempfile.TemporaryDirectory(prefix="consult-bench-moderation-") as tmp:
        instance = Path(tmp)
        print(f"\n== Moderation queue at scale (SQLite): {PENDING:,} comments waiting, "
              f"{REPORTED:,} reported, {HELD:,} held ...", flush=True)
        started = time.monotonic()
        try:
            with gunicorn(instance, workers=2, setup=SETUP, limit=60, extra_args=(
                    "--access-logfile", str(instance / "access.log"))) as port:
                print(f"generated and served in {time.monotonic() - started:.0f} s; one "
                      f"signed-in moderator, {REQUESTS} requests per page", flush=True)
                cookie = sign_in(port)
                rows = [measure(port, page, cookie) for page in PAGES]
        except ServerError as error:
            sys.exit(str(error))
    return report(rows)


if __name__ == "__main__":
    main()
