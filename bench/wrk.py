"""Drive one URL with wrk (Debian package `wrk`) and read back requests per second, latency
percentiles and errors.

wrk is a C load generator with an event loop: two threads keep sixteen connections busy
while using a fraction of one core, so the server, not the client, is what saturates. A Lua
script prints wrk's own summary as one JSON line at the end; for the survey submission the
same script builds each request with a fresh Idempotency-Key.
"""
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

THREADS = 2
CONNECTIONS = 16
DURATION = 10
WARMUP = 2

#: Prints the summary as one JSON line (wrk calls done() once, after the run).
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nWRK_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d,' ..
    ' "p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

#: A POST of body with a new Idempotency-Key on every request: thread id plus a counter.
_POST = """
local counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
request = function()
  counter = counter + 1
  local key = string.format("bench-%s-%d-%d", run, id or 0, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["Idempotency-Key"] = key}, body)
end
"""


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class Measurement:
    """What wrk measured for one URL."""

    label: str
    requests: int
    seconds: float
    errors: int  # non-2xx answers plus socket errors (connect, read, write, timeout)
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


def require_wrk() -> str:
    """The path of wrk, or WrkMissing saying how to install it."""
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("wrk not found: install it with `sudo apt-get install wrk` (Debian and "
                         "Ubuntu) or `brew install wrk` (macOS), then run `make bench` again.")
    return found


def _script(workdir: Path, name: str, body: bytes | None, run_id: str) -> Path:
    """Write the Lua script for one measurement; a POST script when body is given."""
    lua = _DONE
    if body is not None:
        lua = (f"body = {json.dumps(body.decode())}\nrun = {json.dumps(run_id)}\n"
               + _POST + lua)
    path = workdir / f"{name}.lua"
    path.write_text(lua)
    return path


def run_wrk(url: str, label: str, workdir: Path, duration: float = DURATION,
            body: bytes | None = None, run_id: str = "0") -> Measurement:
    """Load url with wrk for duration seconds (a JSON POST of body when given)."""
    script = _script(workdir, "post" if body is not None else "get", body, run_id)
    return run_script(url, label, script, duration)


def run_script(url: str, label: str, script: Path, duration: float = DURATION) -> Measurement:
    """Load url with wrk running the Lua script (which prints its WRK_JSON line)."""
    command = [require_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(duration))}s",
               "--timeout", "10s", "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode or line is None:
        sys.exit(f"wrk failed on {url} ({done.returncode}):\n{done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    return Measurement(label, figures["requests"], figures["duration_us"] / 1e6,
                       figures["non_2xx"] + figures["socket_errors"],
                       figures["p50_us"] / 1000, figures["p99_us"] / 1000)
