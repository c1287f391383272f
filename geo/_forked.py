"""Run a job in a forked child process, so that it and the caller's own work use two cores.

Threads would take turns at the GIL: for a 100,000-event build, making ``events.geojson`` in a
thread beside the map saved little. A child made by :func:`os.fork` has its own interpreter and a
copy-on-write view of the caller's memory, so nothing needs to be sent to it. The job must only
write files of its own; the child leaves with :func:`os._exit` (no ``atexit`` handlers, no
flushing of inherited buffers), and an exception it raised is sent back pickled and raised again
by :meth:`Forked.wait`. Where the platform cannot fork, the job runs at once, in the caller.

The threads a build leaves idle (Arrow's thread pool, OpenBLAS's) are reset in the child by those
libraries' own fork handlers.

Examples
--------
>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "child.txt"
>>> job = Forked(lambda: out.write_text("written by the child"))
>>> job.wait()
>>> out.read_text()
'written by the child'
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable


class Forked:
    """A job running in a forked child (or already run, where there is no ``fork``).

    Parameters
    ----------
    job
        Called without arguments in the child; what it returns is ignored.
    """

    def __init__(self, job: Callable[[], object]) -> None:
        self._pid = 0
        self._error: BaseException | None = None
        self._reader = -1
        if not hasattr(os, "fork"):
            try:
                job()
            except Exception as exc:  # raised again by wait(), as from a child
                self._error = exc
            return
        self._reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run the job, report, and leave without returning
            status = 0
            try:
                os.close(self._reader)
                job()
            except BaseException as exc:
                status = 1
                _send(writer, exc)
            finally:
                os._exit(status)
        os.close(writer)
        self._pid = pid

    def wait(self) -> None:
        """Wait for the job to end; raise what it raised."""
        if self._pid:
            with os.fdopen(self._reader, "rb") as reader:
                message = reader.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                self._error = _received(message, code)
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def stop(self) -> None:
        """Kill the child if it is still running, and reap it; nothing is raised."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._reader)
            self._pid = 0


def _send(fd: int, exc: BaseException) -> None:
    try:
        data = pickle.dumps(exc)
    except Exception:  # an exception that cannot be pickled: send what it says
        data = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _received(message: bytes, code: int) -> BaseException:
    if message:
        try:
            error = pickle.loads(message)
            if isinstance(error, BaseException):
                return error
        except Exception:
            pass
    how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
    return RuntimeError(f"the child process writing a file {how}")
