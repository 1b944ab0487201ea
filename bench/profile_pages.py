"""Profile the public pages with pyinstrument, in process, on a demo instance.

Usage: python bench/profile_pages.py NAME   (writes bench/profiles/<page>-NAME.txt)

Builds a throw-away demo instance like `make bench` (migrations, demo data, the benchmark
survey), then for each page makes REPEATS requests through Flask's test client, each from a
new client (no cookies, like a first-time reader), under pyinstrument, and saves the call tree.
Wall time per request is printed too; it includes the profiler's overhead, so compare
profiles with each other, not with wrk's figures. Install pyinstrument first
(`.venv/bin/pip install pyinstrument`); it is not a dependency.
"""
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import prepare, server_env  # noqa: E402
from bench.run import ANSWERS, PAGES, SUBMIT_PATH, SURVEY_SETUP  # noqa: E402

PROFILES = Path(__file__).with_name("profiles")
REPEATS = 200


def _slug(label: str) -> str:
    """A file name from a page's label: "thread, first page" -> "thread-first-page"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def main() -> None:
    """Profile every page of bench/run.py's PAGES and save the call trees."""
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    from pyinstrument import Profiler

    name = sys.argv[1]
    PROFILES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="consult-profile-") as tmp:
        env = server_env(Path(tmp), 0, 1, os.environ.get("BENCH_POSTGRES_URL_DB"))
        prepare(env, setup=SURVEY_SETUP)
        os.environ.update(env)
        from consult import create_app

        app = create_app()
        body = json.dumps({"language": "en", "answers": ANSWERS})
        sent = 0

        def request(path: str):
            nonlocal sent
            client = app.test_client()
            if path == SUBMIT_PATH:
                sent += 1
                return client.post(path, data=body, content_type="application/json",
                                   headers={"Idempotency-Key": f"profile-{name}-{sent}"})
            return client.get(path)

        for label, path in [("/ping", "/ping")] + [(p[0], p[1]) for p in PAGES]:
            for _ in range(20):  # warm caches, as a running server has them
                status = request(path).status_code
            if status not in (200, 201):
                sys.exit(f"{path} -> {status}")
            profiler = Profiler(interval=0.0005)
            started = time.perf_counter()
            profiler.start()
            for _ in range(REPEATS):
                request(path)
            profiler.stop()
            each = (time.perf_counter() - started) / REPEATS * 1000
            target = PROFILES / f"{_slug(label) or 'ping'}-{name}.txt"
            target.write_text(f"{label} ({path}): {each:.2f} ms per request under the "
                              f"profiler, {REPEATS} requests\n\n" +
                              profiler.output_text(unicode=True, color=False))
            print(f"{label:<36} {each:>7.2f} ms/request  -> {target.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
