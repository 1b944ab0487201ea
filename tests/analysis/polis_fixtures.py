"""Pol.is open-data exports read straight from their CSV files into plain data, for tests.

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project (see tests/data/SOURCES.md).
"""
import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"


@dataclass(frozen=True)
class PolisExport:
    """One conversation: ids in first-seen order, latest votes, and Pol.is's own results."""

    participant_ids: tuple[int, ...]
    statement_ids: tuple[int, ...]
    #: (participant, statement, vote), the latest vote per pair; +1 agree, -1 disagree, 0 pass.
    votes: tuple[tuple[int, int, int], ...]
    #: (participant, statement) of every vote row, in time order (changed votes included).
    log: tuple[tuple[int, int], ...]
    #: Rejected or meta statements.
    moderated_out: frozenset[int]
    #: Pol.is's group-id per participant it clustered.
    polis_groups: dict[int, int]
    #: Pol.is's group-informed-consensus per statement (newer exports only, else empty).
    polis_consensus: dict[int, float]


def load_polis(name: str) -> PolisExport:
    """Read tests/data/polis/<name>/ (comments.csv, votes.csv, participants-votes.csv)."""
    folder = POLIS / name
    with open(folder / "votes.csv", newline="") as file:
        log = sorted(csv.DictReader(file), key=lambda row: int(row["timestamp"]))
    latest: dict[tuple[int, int], int] = {}
    for row in log:
        latest[int(row["voter-id"]), int(row["comment-id"])] = int(row["vote"])
    participants = dict.fromkeys(p for p, _ in latest)
    statements = dict.fromkeys(s for _, s in latest)
    with open(folder / "comments.csv", newline="") as file:
        comments = list(csv.DictReader(file))
    moderated_out = frozenset(int(c["comment-id"]) for c in comments
                              if c["moderated"] == "-1" or c.get("is-meta") == "true")
    consensus = {int(c["comment-id"]): float(c["group-informed-consensus"]) for c in comments
                 if c.get("group-informed-consensus")}
    with open(folder / "participants-votes.csv", newline="") as file:
        groups = {int(row["participant"]): int(row["group-id"])
                  for row in csv.DictReader(file) if row["group-id"] != ""}
    return PolisExport(tuple(participants), tuple(statements),
                       tuple((p, s, v) for (p, s), v in latest.items()),
                       tuple((int(row["voter-id"]), int(row["comment-id"])) for row in log),
                       moderated_out,
                       groups, consensus)


def adjusted_rand_index(first: list, second: list) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""
    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    both = sum(pairs(n) for n in Counter(zip(first, second)).values())
    a = sum(pairs(n) for n in Counter(first).values())
    b = sum(pairs(n) for n in Counter(second).values())
    expected = a * b / pairs(len(first)) if len(first) > 1 else 0.0
    maximum = (a + b) / 2
    if math.isclose(maximum, expected):
        return 1.0
    return (both - expected) / (maximum - expected)
