"""Timing and memory helpers shared by the benchmark scripts.

Both implementations of a case run in the same process, one after the other,
repeat after repeat: drift (CPU frequency, another process waking up) hits both
alike instead of whichever happened to run second. The order alternates between
repeats. The scripts compare the best of the repeats (the least disturbed run) and
print the medians beside them.
"""
import gc
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np


@dataclass
class Timing:
    """Seconds per call of one implementation, over all repeats."""
    samples: list

    @property
    def median(self):
        s = sorted(self.samples)
        mid = len(s) // 2
        return s[mid] if len(s) % 2 else 0.5 * (s[mid - 1] + s[mid])

    @property
    def best(self):
        return min(self.samples)


def settle_allocator():
    """Put the C allocator in the state that a long-running numpy program reaches.

    glibc's malloc maps every block over 128 kB fresh from the OS, and page-faults it
    in on first use, until a large block has been freed once. Only then does it raise
    that threshold (up to 32 MB) and start reusing memory. Until that happens, a case
    that allocates half-megabyte temporaries pays for page faults, and its time depends
    on which cases ran before it (l1_penalty measured 640 µs or 110 µs that way).
    Allocating and freeing one 30 MB block at the start raises the threshold once,
    for both sides alike. Other allocators ignore this.
    """
    block = np.empty(30 * 2**20, dtype=np.uint8)
    del block


def compare(candidates, repeats=5, warmup=1):
    """Time each zero-argument callable in `candidates` (a dict name -> fn), interleaved.

    Every repeat runs each candidate once; the order reverses on every other repeat.
    A garbage collection runs before each timed call, outside the timed region.
    Returns a dict name -> Timing.
    """
    items = list(candidates.items())
    for _ in range(warmup):
        for _, fn in items:
            fn()
    samples = {name: [] for name, _ in items}
    for r in range(repeats):
        for name, fn in (items if r % 2 == 0 else items[::-1]):
            gc.collect()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: Timing(s) for name, s in samples.items()}


def peak_memory(fn):
    """Peak bytes allocated (Python objects and numpy buffers, via tracemalloc) while fn() runs.

    Counted above what was allocated when fn started, so it is the memory one call needs
    on top of the model and data that already exist. tracemalloc slows the call down, so
    this runs separately from the timed calls.
    """
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


def fmt_time(seconds):
    """A duration with a unit that keeps 3 significant digits readable."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_bytes(n):
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"
    return f"{n} B"


def table(rows, header):
    """Print rows (lists of strings) as an aligned Markdown table."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
