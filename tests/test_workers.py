"""The build's processes (archive/site/workers.py): forked in one place, under one rule."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import ROOT

from archive.site.workers import failed, fork, start_pool


def test_a_forked_process_reports_whether_its_work_succeeded(tmp_path):
    done = tmp_path / "done"
    ok = fork(lambda: done.write_text("yes", encoding="utf-8"))
    broken = fork(lambda: 1 / 0)
    assert failed([ok, broken]) == [broken]
    assert done.read_text(encoding="utf-8") == "yes"


#: What the workers of a pool see: the state of their parent when the pool was started.
STATE = {}


def _seen(key: str):
    return STATE.get(key), os.getppid()


def test_pool_workers_inherit_the_state_of_the_moment_they_are_forked():
    STATE["documents"] = 46
    with start_pool(2) as pool:
        STATE["documents"] = 47  # after the fork: the workers keep what they inherited
        assert set(pool.map(_seen, ["documents"] * 4)) == {(46, os.getpid())}
    STATE.clear()


def test_workers_die_with_the_process_that_forked_them():
    script = (
        "import os, signal\n"
        "from archive.site.workers import start_pool\n"
        "def pid(_):\n"
        "    return os.getpid()\n"
        "pool = start_pool(2)\n"
        "print(*set(pool.map(pid, range(64), chunksize=1)), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    workers = [int(pid) for pid in done.stdout.split()]
    assert workers
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
