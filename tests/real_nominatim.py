"""A real Nominatim on 127.0.0.1 for the geocoding tests: a session fixture (not a test module).

``scripts/make_nominatim_db.sh`` (``make nominatim``; ``make test`` runs it first) builds
``.cache/nominatim/hel.sqlite``: OpenStreetMap data of central Helsinki imported by
nominatim-db 5.3.3 and converted to SQLite, and the virtualenv ``.venv-nominatim`` (Debian's
Python, whose ``sqlite3`` loads SpatiaLite) with nominatim-api, falcon and uvicorn. The fixture
serves that file with ``uvicorn --factory nominatim_api.server.falcon.server:run_wsgi`` on a free
loopback port, waits until ``/status`` answers, and stops the server when the session ends.

Without the database the tests that use the fixture fail, saying to run ``make nominatim``. A
developer who cannot build it may opt out with ``PROTEST_MAP_NO_NOMINATIM=1``: those tests are
then skipped, with that reason.

The server's access log is kept: :meth:`RealNominatim.searches` lists the ``/search`` requests
it answered, so a test can count what reached the server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / ".cache" / "nominatim" / "hel.sqlite"
"""The SQLite database that ``make nominatim`` builds."""
VENV = ROOT / ".venv-nominatim"
"""The server's virtualenv (Debian's Python), made by ``make nominatim``."""
OPT_OUT = "PROTEST_MAP_NO_NOMINATIM"
"""Set to 1 to skip, rather than fail, the real-server tests when the database is missing."""
NOMINATIM_VERSION = "5.3.3"
"""The version of nominatim-db that built the database and of nominatim-api that serves it."""
STARTUP_TIMEOUT = 60.0
"""Seconds to wait for ``/status`` to answer after the server is started."""

_ACCESS = re.compile(r'"GET (/search\?[^ ]*) HTTP/[0-9.]+" (\d{3})')


class RealNominatim:
    """A running nominatim-api server over the Helsinki database.

    Parameters
    ----------
    process
        The uvicorn process.
    port
        Its loopback port.
    log
        The file uvicorn writes its access log to.
    """

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:43817``."""
        return f"http://127.0.0.1:{self.port}"

    def searches(self) -> list[dict[str, str]]:
        """The ``/search`` requests answered so far, as parameter dicts, in order."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [dict(parse_qsl(urlsplit(m[1]).query)) for m in _ACCESS.finditer(text)]


    def wait_for_searches(self, n: int, timeout: float = 10.0) -> list[dict[str, str]]:
        """Wait until ``n`` searches are logged (a line is written just after its answer)."""
        deadline = time.monotonic() + timeout
        while len(found := self.searches()) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> str | None:
    """The body of ``URL/status``, or None when the server does not answer (yet)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(f"{url}/status", timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except (OSError, urllib.error.URLError):
        return None


def missing_reason() -> str | None:
    """Why the real server cannot start here (what to run), or None when it can."""
    uvicorn = VENV / "bin" / "uvicorn"
    if not DATABASE.is_file() or not uvicorn.is_file():
        absent = DATABASE if not DATABASE.is_file() else uvicorn
        return (f"the real Nominatim is not built ({absent.relative_to(ROOT)} is missing): run "
                f"`make nominatim` (scripts/make_nominatim_db.sh, a few minutes, once), or set "
                f"{OPT_OUT}=1 to skip the tests that need it")
    stamp = DATABASE.with_name(DATABASE.name + ".stamp")
    made = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else "(no stamp)"
    if not made.startswith(f"nominatim {NOMINATIM_VERSION};"):
        return (f"{DATABASE.relative_to(ROOT)} was not made by Nominatim {NOMINATIM_VERSION} "
                f"({stamp.name}: {made}): run `make nominatim` to make it again")
    return None


def start(directory: Path) -> RealNominatim:
    """Start the server with its project folder and log in ``directory``; wait for ``/status``.

    Raises
    ------
    RuntimeError
        When the server exits or does not answer within :data:`STARTUP_TIMEOUT` seconds; the
        message carries the end of its log.
    """
    log = directory / "uvicorn.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOMINATIM_")}
    env["NOMINATIM_DATABASE_DSN"] = f"sqlite:dbname={DATABASE}"
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(VENV / "bin" / "uvicorn"), "--factory",
             "nominatim_api.server.falcon.server:run_wsgi", "--host", "127.0.0.1", "--port",
             str(port), "--workers", "1"],
            cwd=directory, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    server = RealNominatim(process, port, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _status(server.url) == "OK":
            return server
        time.sleep(0.1)
    stop(server)
    tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
    raise RuntimeError(f"the Nominatim server on port {port} did not answer /status:\n{tail}")


def stop(server: RealNominatim) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def real_nominatim() -> Iterator[RealNominatim]:
    """The real Nominatim server over central Helsinki, for the whole session.

    Fails (does not skip) when ``make nominatim`` has not been run, unless
    ``PROTEST_MAP_NO_NOMINATIM=1``.
    """
    reason = missing_reason()
    if reason is not None:
        if os.environ.get(OPT_OUT) == "1":
            pytest.skip(f"{OPT_OUT}=1: {reason}")
        pytest.fail(reason, pytrace=False)
    directory = Path(tempfile.mkdtemp(prefix="protest-map-nominatim-"))
    server = start(directory)
    try:
        yield server
    finally:
        stop(server)
        shutil.rmtree(directory, ignore_errors=True)
