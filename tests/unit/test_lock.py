"""One crawl at a time: the run lock."""

import subprocess
import sys

import pytest

from archive.lock import LockedError, RunLock


def test_a_second_holder_is_refused(tmp_path):
    db = str(tmp_path / "a.db")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "a.db.lock").write_text(str(holder.pid))
        with pytest.raises(LockedError, match=f"pid {holder.pid}"):
            RunLock(db).acquire()
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_is_taken_over(tmp_path):
    db = str(tmp_path / "a.db")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / "a.db.lock").write_text(str(gone.pid))
    with RunLock(db):
        assert (tmp_path / "a.db.lock").read_text() != str(gone.pid)
    assert not (tmp_path / "a.db.lock").exists()


def test_a_garbled_lock_is_stale(tmp_path):
    (tmp_path / "a.db.lock").write_text("not a pid")
    with RunLock(str(tmp_path / "a.db")):
        pass
