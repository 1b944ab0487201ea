"""Time the opinion-groups maths (consult/analysis/opinion_groups.py) on synthetic votes.

Two sizes from specs/opinion-groups.md §10: 2,000 participants x 900 statements (budget 2 s)
and 33,000 x 1,000 (budget 60 s), dense float32 matrices. Votes come from three latent
opinion groups, each participant voting on a random share of the statements (seeded, so every
run sees the same matrix). Prints one line per figure; exits 0 even when a budget is missed
(it prints TARGET MISSED then). Run: .venv/bin/python bench/bench_opinion_groups.py

The spec's budget is for one core, so BLAS is held to one thread unless the environment says
otherwise (effective only when this module is imported before NumPy); on a busy machine
OpenBLAS's spinning threads were ten times slower than one thread for the 1,000 x 1,000 step.
"""
import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from consult.analysis.opinion_groups import compute_opinion_groups  # noqa: E402

#: (participants, statements, budget in seconds).
SIZES = [(2_000, 900, 2.0), (33_000, 1_000, 60.0)]
GROUPS = 3
#: Share of the statements each participant votes on, drawn per participant.
DENSITY = (0.05, 0.6)
SEED = 7


def synthetic_votes(n: int, m: int, seed: int = SEED) -> np.ndarray:
    """n x m float32 votes (+1, -1, 0, NaN) from GROUPS latent groups of different leanings."""
    rng = np.random.default_rng(seed)
    leaning = rng.uniform(-1, 1, size=(GROUPS, m))
    group = rng.integers(0, GROUPS, size=n)
    matrix = np.full((n, m), np.nan, dtype=np.float32)
    for start in range(0, n, 4096):
        rows = slice(start, min(start + 4096, n))
        size = (rows.stop - start, m)
        lean = leaning[group[rows]]
        draw = rng.uniform(-1, 1, size=size)
        votes = np.where(draw < lean - 0.2, 1.0, np.where(draw > lean + 0.2, -1.0, 0.0))
        voted = rng.uniform(size=size) < rng.uniform(*DENSITY, size=(size[0], 1))
        matrix[rows] = np.where(voted, votes, np.nan)
    return matrix


def measure(n: int, m: int) -> dict:
    """Time one computation and, in a second run, its peak traced memory beyond the input."""
    matrix = synthetic_votes(n, m)
    participants, statements = range(n), range(m)
    moderated = set(range(0, m, 50))
    start = time.perf_counter()
    result = compute_opinion_groups(matrix, participants, statements, moderated)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    compute_opinion_groups(matrix, participants, statements, moderated)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "peak_mb": peak / 2**20, "matrix_mb": matrix.nbytes / 2**20,
            "votes": int(np.count_nonzero(~np.isnan(matrix))), "sizes": result.group_sizes,
            "clustered": len(result.group_of)}


def main() -> None:
    """Measure every size; one line per figure."""
    missed = False
    print(f"opinion groups: BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    for n, m, budget in SIZES:
        r = measure(n, m)
        label = f"opinion groups {n:,} x {m:,}"
        print(f"{label}: {r['seconds']:.2f} s (budget {budget:.0f} s)", flush=True)
        print(f"{label}: {r['votes']:,} votes, {r['clustered']:,} clustered, "
              f"groups {r['sizes']}")
        print(f"{label}: matrix {r['matrix_mb']:.0f} MB, peak working memory "
              f"{r['peak_mb']:.0f} MB beyond it (tracemalloc)")
        missed |= r["seconds"] > budget
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"opinion groups: process peak RSS {rss:.0f} MB")
    print("TARGET MISSED" if missed else "targets met")


if __name__ == "__main__":
    main()
