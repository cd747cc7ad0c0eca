"""Timing in-process requests against each other: rounds in which each takes its turn, so
that a shared machine's noise falls on all of them alike."""

import statistics
import time
from collections.abc import Callable


def interleaved(
    requests: dict[str, Callable[[], object]], rounds: int, per_round: int
) -> dict[str, list[float]]:
    """For each named request (a call that makes one), its microseconds a request in each
    round of `per_round` of them."""
    timings: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(rounds):
        for name, request in requests.items():
            started = time.perf_counter()
            for _ in range(per_round):
                request()
            timings[name].append((time.perf_counter() - started) / per_round * 1e6)
    return timings


def median_ratio(above: list[float], below: list[float]) -> str:
    """The median of the rounds' ratios, with the lowest and highest in brackets."""
    ratios = [a / b for a, b in zip(above, below, strict=True)]
    return f"{statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})"
