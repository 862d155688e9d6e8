"""Benchmarks, run on demand with `make bench` (not part of the timed test suite)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


CPU: dict[str, float] = {}  # median CPU seconds of this process (all threads) per name, last interleaved() call


def interleaved(runs: int, **work: Callable[[], Any]) -> dict[str, tuple[float, Any]]:
    """Median wall time of ``runs`` runs of each callable, taken in turns (ours, reference,
    ours, reference…) so a busy moment of a shared machine hits both alike; with the last
    result of each. The median CPU time of each is left in :data:`CPU` (on a machine
    shared with other work, wall time includes waiting for a core)."""
    times: dict[str, list[float]] = {name: [] for name in work}
    cpu: dict[str, list[float]] = {name: [] for name in work}
    results: dict[str, Any] = {}
    for _ in range(runs):
        for name, call in work.items():
            start, started_cpu = time.perf_counter(), time.process_time()
            results[name] = call()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - started_cpu)
    CPU.clear()
    CPU.update({name: statistics.median(cpu[name]) for name in work})
    return {name: (statistics.median(times[name]), results[name]) for name in work}
