"""One process that imports the report library once and forks every warm kernel from it.

A kernel started the usual way (`python -m ipykernel_launcher`) imports ipykernel, then the
library (pandas, matplotlib, Babel: `pool.WARM_UP`) before its first report: about 0.9 s of
CPU, paid again by each worker's kernel, at the start of a run when the parent is computing
too. The pool starts one zygote instead:

    python -m partnerbook.render.zygote ADDRESS      # listens at once, then imports

and a worker's kernel manager (`kernel.WarmKernel(zygote=ADDRESS)`) asks it for a kernel:
`fork(address, argv, env, cwd)` sends the command line jupyter_client would have run; the
zygote forks, and the child becomes that kernel (its own session, folder and environment,
the connection file of the command line) with the library already imported. The kernel is
the zygote's child, not the worker's: it leaves when the zygote does (ipykernel's parent
poller), and the zygote leaves when its own parent does or when `stop` is sent. The zygote
waits for each kernel that leaves, so their CPU time adds up in the runner's, as a kernel
started by a worker's would.

Linux only (`available()`); elsewhere, or when the zygote cannot be reached, kernels start
the usual way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

WARM_UP = "from partnerbook import charts, display, goals, narrative, scorecard, workbook"  # a kernel's first imports
WAIT = 120.0  # seconds a worker waits for the zygote's answer (it answers once it has imported)
STARTING = 10.0  # seconds a worker waits for a zygote that has not opened its socket yet


def available() -> bool:
    return sys.platform.startswith("linux")


# -- the pool's side --------------------------------------------------------------------------


class Started:
    """A zygote process this process started (`start`), listening at `address`."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="pb-zygote-")
        self.address = os.path.join(self.folder, "socket")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "partnerbook.render.zygote", self.address], stdin=subprocess.DEVNULL
        )

    def close(self, kill: bool = False) -> None:
        """Ask it to leave (`kill`: at once); its kernels leave with it."""
        if not kill:
            stop(self.address)
        try:
            self.process.wait(timeout=0 if kill else 5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Started:
    return Started()


# -- the worker's side ------------------------------------------------------------------------


def fork(address: str, argv: list[str], env: dict, cwd: str) -> int:
    """A kernel forked by the zygote at `address` for this command line: its pid. OSError
    when the zygote is not there or does not answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(WAIT)
        _connect(s, address)
        s.sendall(json.dumps({"argv": list(argv), "env": dict(env), "cwd": str(cwd)}).encode() + b"\n")
        answer = _line(s)
    if not answer:
        raise OSError(f"the kernel zygote at {address} closed without an answer")
    return int(json.loads(answer)["pid"])


def _connect(s: socket.socket, address: str) -> None:
    """Connect, waiting while the zygote is still starting (its folder is there, its socket not
    yet: it binds within a few hundredths of a second of starting)."""
    deadline = time.monotonic() + STARTING
    while True:
        try:
            return s.connect(address)
        except (FileNotFoundError, ConnectionRefusedError):
            if not os.path.isdir(os.path.dirname(address)) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def stop(address: str) -> None:
    """Ask the zygote to leave (its kernels then leave too)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5.0)
            s.connect(address)
            s.sendall(b"null\n")
    except OSError:  # already gone
        pass


class Forked:
    """The `subprocess.Popen` face jupyter_client's provisioner keeps of a kernel: this process
    did not start it (the zygote did, and reaps it), so it is watched by its pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL  # gone; its status went to the zygote
            except PermissionError:  # pragma: no cover - a pid taken by another user's process
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still running")
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _line(s: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.strip()


# -- the zygote -------------------------------------------------------------------------------


def main(address: str) -> None:
    """Listen at `address` at once (a worker may already be waiting), import the library, then
    fork a kernel per request until `null` or until the parent that started it is gone."""
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's: it stops the pool
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(8)
    _preload()
    signal.signal(signal.SIGCHLD, _reap)  # kernels are reaped as they leave
    listener.settimeout(1.0)
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(10.0)
            try:
                request = json.loads(_line(conn) or b"null")
            except (OSError, ValueError):
                continue
            if request is None:
                break
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                _become_kernel(**request)  # never returns
            try:
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            except OSError:
                os.kill(pid, signal.SIGKILL)  # nobody to run it
    listener.close()
    _wait_for_kernels(deadline=time.monotonic() + 5.0)
    os._exit(0)


def _reap(signum=None, frame=None) -> bool:
    """Wait for every kernel that has left: it does not linger as a zombie (a worker sees it
    gone at once), and its CPU time counts in this process's children, then in its starter's
    (what `time`, getrusage and `make bench` read). Whether some kernel is still running."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def _wait_for_kernels(deadline: float) -> None:
    """Before leaving: the kernels still running (their workers shut them down first) are waited
    for, a little, so that their CPU time is counted too."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while _reap() and time.monotonic() < deadline:
        time.sleep(0.02)


def _preload() -> None:
    """What a kernel imports before its first report (ipykernel, then the library, as
    `python -m ipykernel_launcher` and `WARM_UP` would), with the plotting backend the
    kernel sets before anything imports matplotlib."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if sys.path and (sys.path[0] in ("", os.getcwd())):  # as ipykernel_launcher does
        del sys.path[0]
    from ipykernel import kernelapp  # noqa: F401, PLC0415 - after MPLBACKEND and sys.path, as a kernel

    exec(WARM_UP, {})


def _become_kernel(argv: list[str], env: dict, cwd: str) -> None:
    """In the forked child: the kernel `argv` names (`python -m ipykernel_launcher -f FILE
    ...`), in a session of its own, in `cwd`, with `env`; it never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel waits for its own children
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        os.chdir(cwd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.environ.clear()
        os.environ.update(env)
        zygote = str(os.getppid())  # the kernel leaves with the zygote (ipykernel's parent poller);
        os.environ["JPY_PARENT_PID"] = zygote  # ipykernel read the variable when the zygote imported it
        args = [*argv[argv.index("ipykernel_launcher") + 1 :], f"--IPKernelApp.parent_handle={zygote}"]
        sys.argv = ["ipykernel_launcher", *args]
        from ipykernel import kernelapp  # noqa: PLC0415 - imported by _preload: no cost here

        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - said on stderr; the worker sees the kernel gone
        traceback.print_exc()
    finally:
        os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1])
