"""docs/deploy.md's shell commands, and the same commands pointed at a test's own folders."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
DEPLOY = ROOT / "deploy"
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def commands() -> list[str]:
    """Every command of the guide's ```sh blocks, continuation lines joined, in order."""
    found = []
    for block in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                found.append(line)
    return found


def command(prefix: str) -> str:
    """The one command of the guide that starts with prefix."""
    matching = [c for c in commands() if c.startswith(prefix)]
    assert len(matching) == 1, f"{prefix!r}: {matching}"
    return matching[0]


def localise(line: str, places: dict[str, Path | str]) -> str:
    """line with the server's paths replaced by a test's (longest first)."""
    for server_path in sorted(places, key=len, reverse=True):
        line = line.replace(server_path, str(places[server_path]))
    return line


def environment_file(overrides: dict[str, str]) -> dict[str, str]:
    """deploy/consult.env.example as a mapping (as systemd reads it), then overrides."""
    settings = {}
    for line in (DEPLOY / "consult.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name] = value[1:-1] if value.startswith('"') else value
    return {**settings, **overrides}
