"""One writing run at a time: the run lock."""

import os
import subprocess
import sys

import pytest

from archive.lock import LockedError, RunLock

_HOLD = "import sys, time; from archive.lock import RunLock; RunLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(30)"


def _holder(db: str) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, db], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_holder_is_refused(tmp_path):
    db = str(tmp_path / "a.db")
    holder = _holder(db)
    try:
        with pytest.raises(LockedError, match=f"pid {holder.pid}"):
            RunLock(db).acquire()
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_of_a_killed_holder_is_free_even_if_its_pid_lives_on(tmp_path):
    """The lock file names a live process (a reused PID), but no one holds the lock: it is taken."""
    db = str(tmp_path / "a.db")
    holder = _holder(db)
    holder.kill()
    holder.wait()
    (tmp_path / "a.db.lock").write_text(str(os.getpid()))  # a pid that is alive
    with RunLock(db):
        assert (tmp_path / "a.db.lock").read_text() == str(os.getpid())
    assert not (tmp_path / "a.db.lock").exists()


def test_a_symlink_to_the_archive_reaches_the_same_lock(tmp_path):
    db = tmp_path / "a.db"
    db.touch()
    (tmp_path / "link.db").symlink_to(db)
    holder = _holder(str(tmp_path / "link.db"))
    try:
        with pytest.raises(LockedError):
            RunLock(str(db)).acquire()
    finally:
        holder.kill()
        holder.wait()


def test_a_garbled_lock_is_stale(tmp_path):
    (tmp_path / "a.db.lock").write_text("not a pid")
    with RunLock(str(tmp_path / "a.db")):
        pass


def test_the_same_process_may_take_its_own_lock_again(tmp_path):
    db = str(tmp_path / "a.db")
    with RunLock(db), RunLock(db):
        pass
    with RunLock(db):
        pass
