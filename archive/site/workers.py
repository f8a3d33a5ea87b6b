"""The build's other processes: forked from it, sharing its state, dying with it.

Reading documents, finding related ones, rendering pages, saving Pelican's content cache
and `archive check` each use every core. Each forks at the moment its work can start, so its
workers inherit what the process holds then (documents, indexes, templates) without pickling
it; a pool started once, earlier, would not have it, and one started later would have to be
sent it. What they share is one rule, kept here, where every process of the archive is
forked and nowhere else: a forked process dies with the process that forked it (a killed
build must leave no worker writing into the staging folder the next build makes again), and
collects its own garbage (the build's process collects none: archive/site/build.py).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable

#: Every pool forks: its workers share the state of the process that starts it.
FORK = multiprocessing.get_context("fork")
#: prctl(2)'s option naming the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def start_pool(workers: int, initializer: Callable | None = None, arguments: tuple = ()):
    """A pool of `workers` forked processes (multiprocessing.Pool) that die with this one.

    Close or terminate it, or use it as a context manager. `initializer(*arguments)` runs
    in each worker as it starts.
    """
    return FORK.Pool(workers, _start_worker, (os.getpid(), initializer, arguments))


def fork(work: Callable[[], None]) -> int:
    """Run `work()` in a forked process that dies with this one; return its pid.

    The process exits with status 0 once `work` returns, 1 if it raised (the error is
    printed), without running this process's clean-up.
    """
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            _start_worker(parent)
            work()
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    return pid


def failed(pids: list[int]) -> list[int]:
    """Wait for the forked processes `pids`; return those that did not exit with status 0."""
    return [pid for pid in pids if os.waitpid(pid, 0)[1] != 0]


def parent_is_gone(parent: int) -> bool:
    """Whether the process `parent`, which forked this one, has died.

    Where the kernel cannot kill a worker with its parent (not Linux), a worker that loops
    over tasks checks this between them.
    """
    return os.getppid() != parent


def _start_worker(parent: int, initializer: Callable | None = None, arguments: tuple = ()):
    """A forked process starts: it collects garbage, dies with `parent`, then initializes."""
    gc.enable()
    _die_with(parent)
    if initializer is not None:
        initializer(*arguments)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when `parent` dies (prctl, Linux)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_is_gone(parent):  # it died before the kernel was told
        os._exit(1)
