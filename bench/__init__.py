"""Benchmarks, run on demand with `make bench` (not part of the timed test suite)."""

import time


def best_of(repeats: int, work) -> tuple[float, object]:
    """Fastest wall time of ``repeats`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result
