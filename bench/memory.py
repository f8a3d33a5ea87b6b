"""Peak memory of a process tree, sampled from /proc (used by bench.harness and bench.anchor).

PSS (proportional set size) counts a page shared by several processes (forked workers) once
in all, so the sum over a tree is what the build really holds.
"""

from __future__ import annotations

import os
import threading
import time


def _descendants(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            children += [int(c) for c in handle.read().split()]
    return children + [d for c in children for d in _descendants(c)]


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (forked workers) are counted once, not per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


class MemorySampler(threading.Thread):
    """Samples the memory of this process and all its children (workers, Pagefind) together.

    Without `include_self`, only the children count: a launcher that only waits for the
    programs it times (bench.anchor) leaves itself out.
    """

    def __init__(self, include_self: bool = True):
        super().__init__(daemon=True)
        self.include_self = include_self
        self.peak_kb = 0
        self.running = True

    #: Seconds between samples. Reading a large process's page tables is not free: five
    #: samples a second took 6 % of a 30,000-document build's CPU time.
    interval = 0.5

    def run(self):
        """Sample every `interval` seconds until stopped."""
        while self.running:
            me = os.getpid()
            try:
                pids = [me, *_descendants(me)]
            except OSError:
                pids = [me]
            if not self.include_self:
                pids.remove(me)
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in pids))
            time.sleep(self.interval)
