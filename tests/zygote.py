"""A test-only "zygote" for `hepza` runs: one process per pytest process that has imported the CLI, the
crawler and Scrapy's components once, and forks a real `hepza` process per run.

Why: about 100 tests start ~300 `hepza` processes, and each paid its imports (about a second of CPU on this
machine) before doing anything; the suite is CPU-bound on two cores. A forked child is still a real process
of its own: its own pid, argv (``python -m archive.cli ARGS…``: ``sys.argv`` is what ``-m`` gives), the
environment and working directory asked for, the caller's stdin and its own stdout and stderr pipes, and an
exit status reported as ``subprocess`` reports it (negative for a signal). It runs ``archive.cli`` as
``__main__``, exactly as ``-m`` does. It ends as multiprocessing's forked children end: the interpreter's
exit steps a run can observe (its exit status, waiting for its threads, the ``atexit`` handlers, flushing
stdout and stderr) without the teardown of every module after them, which in a child of this preloaded
process cost about 0.16 s of CPU a run (a sixth of a crawl of the replica), mostly copying the pages it
shares with the zygote. A forked crawl's archive writer is forked too, for the same reason (its imports cost
0.2 s of CPU, some 370 writers a run): the crawl starts tests/zygote_writer.py in its stead, a process of
the standard library only that has the zygote fork the real writer on its pipes and stands for it.

Only runs to completion go through it (``run_hepza``); ``popen_hepza`` (signals, process groups, timing)
keeps a plain ``subprocess.Popen``, as do runs whose environment differs from the zygote's in a variable
the interpreter reads at start-up (``PYTHON*``, ``LC_*``, ``LANG``). ``TEST_ZYGOTE=off`` turns it off.

The protocol, over a SOCK_SEQPACKET Unix socket: the client sends one JSON request (argv, env, cwd) with
the three file descriptors (stdin, stdout, stderr); the zygote answers ``{"pid": …}`` once forked, then
``{"returncode": …}`` when the child has ended.
"""

from __future__ import annotations

import array
import atexit
import json
import os
import runpy
import select
import signal
import socket
import sys
import threading
import time
from pathlib import Path

STARTUP_PREFIXES = ("PYTHON", "LC_", "LANG")
_MAX_REQUEST = 1 << 20


def startup_environment(env: dict[str, str]) -> dict[str, str]:
    """The variables the interpreter reads when it starts: a fork inherits them from the zygote."""
    return {k: v for k, v in env.items() if k.startswith(STARTUP_PREFIXES)}


def _preload() -> None:
    """Import what every `hepza` run and crawl imports, without starting anything (no reactor, no thread,
    no event loop, no file opened): a fork must inherit modules only."""
    import scrapy.core.engine  # noqa: F401
    import scrapy.core.scheduler  # noqa: F401
    import scrapy.crawler  # noqa: F401
    import twisted.internet.asyncioreactor  # noqa: F401  (imported, not installed)
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    import archive.cli  # noqa: F401  (the commands, their settings, the archive)
    import archive.writer  # noqa: F401
    from scraper.run import crawl_settings

    settings = crawl_settings({})
    for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES"):
        # Every component of Scrapy's base lists, the disabled ones too: a crawler imports each of them
        # to read its priority (aiohttp for the remote control, tldextract for the cookies: a third of a
        # second a run), so a child forked without them pays that per crawl.
        for path in settings.getwithbase(name):
            load_object(path)
        build_component_list(settings.getwithbase(name))
    for scheme in ("http", "https"):
        load_object(settings.getwithbase("DOWNLOAD_HANDLERS")[scheme])


def _serve(path: str) -> dict:
    """Fork a child per request until stdin closes (the pytest process that started us ended); returns
    only in a child, with its request."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(16)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # (a handler, so the wake-up fd hears of it)
    print("ready", flush=True)
    # child pid -> the connection that asked for it (None once the asker has gone)
    waiting: dict[int, socket.socket | None] = {}
    while True:
        asking = [conn for conn in waiting.values() if conn is not None]
        readable, _, _ = select.select([listener, wake_r, sys.stdin, *asking], [], [])
        if sys.stdin in readable and not sys.stdin.buffer.read1(1):
            raise SystemExit(0)
        if wake_r in readable:
            os.read(wake_r, 4096)
            _reap(waiting)
        for pid, conn in list(waiting.items()):
            if conn is not None and conn in readable:  # (nothing more is sent on it: it was closed)
                # Whoever asked is gone: a writer's stand-in killed with its crawl, or a test past its
                # timeout. The child goes with it, as a writer goes with its crawl.
                os.kill(pid, signal.SIGKILL)
                conn.close()
                waiting[pid] = None
        if listener in readable:
            conn, _ = listener.accept()
            message, fds, _, _ = socket.recv_fds(conn, _MAX_REQUEST, 3)
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                for fd, target in zip(fds, (0, 1, 2), strict=True):
                    os.dup2(fd, target)
                for fd in (*fds, wake_r, wake_w):
                    os.close(fd)
                for other in (listener, conn, *asking):
                    other.close()
                return json.loads(message)
            for fd in fds:
                os.close(fd)
            conn.send(json.dumps({"pid": pid}).encode())
            waiting[pid] = conn
            _reap(waiting)  # (it may have ended before it was listed)


def _reap(waiting: dict[int, socket.socket | None]) -> None:
    for pid in list(waiting):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            conn = waiting.pop(pid)
            if conn is None:
                continue
            try:
                conn.send(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode())
            except OSError:
                pass  # the caller gave up on it (its timeout)
            conn.close()


def _enter(request: dict) -> None:
    """The asked-for working directory and environment (the time zone with it)."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()


def _run_as_writer(request: dict) -> int:
    """The life of a writer a forked crawl asked for through tests/zygote_writer.py: the real writer's
    ``main`` on the pipes it was given, dying with this zygote (its parent) rather than with the crawl, whose
    death reaches it through the zygote (``_serve``)."""
    import archive.writer

    _enter(request)
    return archive.writer.main([str(os.getppid())])


def _run_as_hepza(request: dict, socket_path: str) -> int:
    """The child's life: `python -m archive.cli ARGS…` in the asked-for directory and environment; returns
    the exit status the interpreter would give it. Its crawls' writers are forked here too."""
    import scraper.archive_writer

    stand_in = str(Path(__file__).with_name("zygote_writer.py"))
    # (The stand-in needs the pid of the crawl that starts it, which writer_command is called in.)
    scraper.archive_writer.writer_command = lambda: [
        sys.executable,
        "-S",
        stand_in,
        socket_path,
        str(os.getpid()),
    ]
    _enter(request)
    sys.argv = ["-m", *request["argv"][3:]]  # (runpy puts the module's file first, as -m does)
    # Under -m the module is only __main__: its preloaded copy goes, its imports stay.
    del sys.modules["archive.cli"]
    try:
        runpy.run_module("archive.cli", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        return _exit_status(stop.code)
    except KeyboardInterrupt:
        raise  # (the interpreter ends such a run by the signal itself: see _end)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def _exit_status(code: object) -> int:
    """What the interpreter makes of ``SystemExit(code)``: None is 0, a number is itself, anything else is
    printed to stderr and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _end(status: int, *, interrupted: bool = False) -> None:
    """End the child as the interpreter ends a run, less the teardown of its modules (see the module's
    docstring): what ``multiprocessing`` does in the children it forks. An interrupt nothing caught ends
    it by SIGINT itself, as the interpreter does, so its parent sees the signal."""
    threading._shutdown()  # type: ignore[attr-defined]  # (the wait for non-daemon threads)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # (closed, or its reader gone: the interpreter ignores that too)
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(status)


def main() -> None:
    _preload()
    socket_path = sys.argv[1]
    request = _serve(socket_path)  # returns in a forked child only
    try:
        if request.get("kind") == "writer":
            status = _run_as_writer(request)
        else:
            status = _run_as_hepza(request, socket_path)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        _end(1, interrupted=True)
    _end(status)


if __name__ == "__main__":
    main()


class Zygote:
    """The client side, in the pytest process: starts the zygote once, then runs `hepza` through it."""

    def __init__(self, root: Path, env: dict[str, str], folder: Path) -> None:
        import subprocess

        self.socket_path = str(folder / "zygote.sock")
        self.startup_env = startup_environment(env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.zygote", self.socket_path],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,  # closed when this process ends: the zygote then ends too
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the hepza zygote did not start")
        atexit.register(self.stop)

    def stop(self) -> None:
        """End the zygote and reap it (so its children's CPU time counts in this process's)."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def can_run(self, env: dict[str, str]) -> bool:
        return self.process.poll() is None and startup_environment(env) == self.startup_env

    def run(self, argv: list[str], *, env: dict[str, str], cwd: Path, timeout: float):
        """Like ``subprocess.run(argv, capture_output=True, text=True, timeout=…)``."""
        import subprocess

        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            conn.connect(self.socket_path)
            request = json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode()
            socket.send_fds(conn, [request], array.array("i", [0, out_w, err_w]))
        finally:
            os.close(out_w)
            os.close(err_w)
        deadline = time.monotonic() + timeout
        pid = json.loads(conn.recv(4096))["pid"]
        chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
        open_fds = [out_r, err_r, conn.fileno()]
        returncode: int | None = None
        timed_out = False
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0 and not timed_out:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
            readable, _, _ = select.select(open_fds, [], [], max(left, 0.1) if not timed_out else 5)
            for fd in readable:
                if fd == conn.fileno():
                    data = conn.recv(4096)
                    if data:
                        returncode = json.loads(data)["returncode"]
                    open_fds.remove(fd)
                    continue
                data = os.read(fd, 65536)
                if data:
                    chunks[fd].append(data)
                else:
                    open_fds.remove(fd)
                    os.close(fd)
            if timed_out and not readable:
                break  # a grandchild holds the pipes: give up on them
        for fd in open_fds:
            if fd != conn.fileno():
                os.close(fd)
        conn.close()
        stdout, stderr = (_text(b"".join(chunks[fd])) for fd in (out_r, err_r))
        if timed_out:
            raise subprocess.TimeoutExpired(argv, timeout, output=stdout, stderr=stderr)
        assert returncode is not None
        return subprocess.CompletedProcess(argv, returncode, stdout, stderr)


def _text(data: bytes) -> str:
    """Bytes as ``subprocess``'s text mode gives them: the locale's encoding, universal newlines."""
    import locale

    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")
