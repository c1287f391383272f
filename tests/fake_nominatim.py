"""A Nominatim-compatible HTTP server for tests, on 127.0.0.1, in a thread, failing on cue.

It answers ``GET /search`` (and ``/search.php``) in Nominatim's ``json`` format (``class``) or
``jsonv2`` (``category``), with ``place_id``, ``licence``, ``osm_type``, ``osm_id``, ``lat`` and
``lon`` as strings, ``type``, ``place_rank``, ``importance``, ``addresstype``, ``name``,
``display_name`` and ``boundingbox``; ``limit`` is honoured, and ``extratags`` and
``namedetails`` add those fields (an object, or null when the result has none) as Nominatim
does. What it knows is given with :meth:`FakeNominatim.add`; anything else is answered with
``[]``. A result's ``lat`` and ``lon`` are sent as given when they are strings (to send
``"nan"`` or ``"95"``), else formatted with 7 decimals.

Faults are cued per request: :meth:`fail_next` queues faults for the next requests, and
:attr:`first_attempt_faults` makes the first request of every new query fail (rotating through
the given faults). A fault is an HTTP status (500, 503, 429 with ``Retry-After`` ...), a malformed
JSON body, a dropped connection, a stall longer than the client's timeout, or a hold until the test
releases it; or a hostile answer: a redirect (:func:`redirect`), a body sent a byte at a time
(:func:`trickle`), a huge body (:func:`huge`), or any JSON at all (:func:`raw`).

Every request is logged with its arrival time (:func:`time.monotonic`, comparable across processes
on Linux), parameters, User-Agent and outcome.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


@dataclass(frozen=True)
class Fault:
    """One cued failure.

    Parameters
    ----------
    kind
        ``"status"`` (an HTTP error), ``"malformed"`` (200 with broken JSON), ``"drop"`` (close
        the connection without a response), ``"stall"`` (send nothing for ``seconds``, then
        close: the client times out) or ``"hold"`` (keep the client waiting, however long its
        timeout, until :meth:`FakeNominatim.release`; then close), ``"trickle"`` (a 200 whose
        JSON body comes one byte per ``seconds``, for at most ``size`` bytes), ``"huge"`` (a
        200 body of ``size`` bytes, with its length when ``status`` is 1), ``"raw"`` (200 with
        ``body`` as JSON).
    status
        HTTP status for ``"status"``.
    retry_after
        ``Retry-After`` header value, if any.
    seconds
        How long a ``"stall"`` lasts.
    """

    kind: str
    status: int = 0
    retry_after: str | None = None
    seconds: float = 0.0
    location: str = ""
    size: int = 0
    body: Any = None

    @property
    def label(self) -> str:
        """Short name in the request log, e.g. ``"503"``, ``"drop"`` or ``"raw"``."""
        return str(self.status) if self.kind == "status" else self.kind


def status(code: int, retry_after: str | None = None) -> Fault:
    """An HTTP error response (with ``Retry-After`` if given)."""
    return Fault("status", status=code, retry_after=retry_after)


E500 = status(500)
E503 = status(503)
MALFORMED = Fault("malformed")
DROP = Fault("drop")
HOLD = Fault("hold")


def redirect(location: str, code: int = 302) -> Fault:
    """Redirect to ``location`` (another server, or ``{url}/search.php?...`` on this one)."""
    return Fault("status", status=code, location=location)


def trickle(seconds: float = 0.2, size: int = 100) -> Fault:
    """A 200 with a valid JSON body sent one byte per ``seconds`` (``size`` bytes at most)."""
    return Fault("trickle", seconds=seconds, size=size)


def huge(size: int, with_length: bool = True) -> Fault:
    """A 200 body of ``size`` bytes of JSON whitespace in a list, sent as fast as possible."""
    return Fault("huge", status=1 if with_length else 0, size=size)


def raw(body: Any) -> Fault:
    """A 200 whose body is ``body`` as JSON, whatever its shape."""
    return Fault("raw", body=body)


def stall(seconds: float) -> Fault:
    """Say nothing for ``seconds`` (longer than the client's timeout), then close."""
    return Fault("stall", seconds=seconds)


def osm(osm_type: str, osm_id: int, lat: float | str, lon: float | str, cls: str, typ: str,
        name: str = "", addresstype: str | None = None, place_rank: int = 30,
        extratags: dict[str, str] | None = None,
        namedetails: dict[str, str] | None = None) -> dict[str, Any]:
    """A search result in the server's neutral form (formatted per request later)."""
    return {"osm_type": osm_type, "osm_id": osm_id, "lat": lat, "lon": lon, "class": cls,
            "type": typ, "name": name, "addresstype": addresstype or cls,
            "place_rank": place_rank, "extratags": extratags,
            "namedetails": namedetails if namedetails is not None or not name
            else {"name": name}}


@dataclass
class Hit:
    """One request as the server saw it."""

    t: float
    path: str
    params: dict[str, str]
    user_agent: str
    outcome: str = "pending"

    @property
    def answered(self) -> bool:
        """Whether a complete, valid answer was sent."""
        return self.outcome == "ok"

    @property
    def query(self) -> tuple[tuple[str, str], ...]:
        """The question asked (parameters without ``format``), normalised."""
        return tuple(sorted((k, _norm(v)) for k, v in self.params.items() if k != "format"))


@dataclass
class _Rule:
    match: dict[str, str]
    results: list[dict[str, Any]]


@dataclass
class _State:
    rules: list[_Rule] = field(default_factory=list)
    queued: deque[Fault] = field(default_factory=deque)
    first_attempt_faults: Sequence[Fault] = ()
    first_attempt_every: int = 1
    seen: set[tuple[tuple[str, str], ...]] = field(default_factory=set)
    new_queries: int = 0
    cued: dict[int, Fault] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)


class FakeNominatim:
    """The server; use as a context manager (``with FakeNominatim() as server: server.url``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = _State()
        self.answer_format: str | None = None
        """Answer in this format (``json`` or ``jsonv2``) whatever the request asks for."""
        self._stop = threading.Event()
        self._released = threading.Event()
        self._arrived = threading.Condition(self._lock)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:43817``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeNominatim:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # what the server knows and how it fails

    def add(self, results: list[dict[str, Any]], **match: str) -> None:
        """Answer ``results`` to requests whose parameters include ``match`` (case-insensitive)."""
        with self._lock:
            self._state.rules.append(_Rule({k: _norm(v) for k, v in match.items()}, results))

    def fail_next(self, *faults: Fault) -> None:
        """Fail the next requests, one fault each, in order."""
        with self._lock:
            self._state.queued.extend(faults)

    def fail_first_attempts(self, faults: Sequence[Fault], every: int = 1) -> None:
        """Fail the first request of every ``every``-th new query, rotating through ``faults``."""
        with self._lock:
            self._state.first_attempt_faults = tuple(faults)
            self._state.first_attempt_every = every

    def fail_at(self, nth: int, fault: Fault) -> None:
        """Fail the ``nth`` request (1-based, counted over the server's life) with ``fault``."""
        with self._lock:
            self._state.cued[nth] = fault

    def hold(self, nth: int) -> None:
        """Hold the ``nth`` request until :meth:`release`."""
        self._released.clear()
        self.fail_at(nth, HOLD)

    def release(self) -> None:
        """Let a held request go (it is closed unanswered)."""
        self._released.set()

    def wait_for_requests(self, n: int, timeout: float = 60) -> None:
        """Block until ``n`` requests have arrived in total."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._state.log) >= n, timeout):
                raise TimeoutError(f"only {len(self._state.log)} of {n} requests arrived")

    @property
    def requests(self) -> list[Hit]:
        """A copy of the request log, in arrival order."""
        with self._lock:
            return list(self._state.log)

    # request handling (called from the handler threads)

    def _arrive(self, path: str, params: dict[str, str],
                user_agent: str) -> tuple[Hit, Fault | None]:
        with self._lock:
            hit = Hit(time.monotonic(), path, params, user_agent)
            state = self._state
            state.log.append(hit)
            self._arrived.notify_all()
            fault = None
            if len(state.log) in state.cued:
                fault = state.cued.pop(len(state.log))
            elif state.queued:
                fault = state.queued.popleft()
            elif hit.query not in state.seen:
                faults, every = state.first_attempt_faults, state.first_attempt_every
                if faults and state.new_queries % every == 0:
                    fault = faults[(state.new_queries // every) % len(faults)]
                state.new_queries += 1
            state.seen.add(hit.query)
            if fault is not None:
                hit.outcome = fault.label
            return hit, fault

    def _results(self, params: dict[str, str]) -> list[dict[str, Any]]:
        with self._lock:
            rules = list(self._state.rules)
        asked = {k: _norm(v) for k, v in params.items()}
        for rule in rules:
            if all(asked.get(k) == v for k, v in rule.match.items()):
                return rule.results
        return []

    def _finish(self, hit: Hit, outcome: str) -> None:
        with self._lock:
            hit.outcome = outcome


def _handler(server: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            hit, fault = server._arrive(parts.path, params, self.headers.get("User-Agent", ""))
            if parts.path not in ("/search", "/search.php"):
                self._send(404, {"error": "not found"})
                server._finish(hit, "404")
                return
            fmt = params.get("format", "jsonv2")
            if fmt not in ("json", "jsonv2"):
                self._send(400, {"error": f"format {fmt} is not supported here"})
                server._finish(hit, "400")
                return
            if fault is not None:
                self._fail(fault)
                server._finish(hit, fault.label)
                return
            results = server._results(params)
            limit = int(params.get("limit", "10"))
            out_format = server.answer_format or fmt
            details = [k for k in ("extratags", "namedetails") if params.get(k, "0") != "0"]
            body = [_format(r, out_format, i, details) for i, r in enumerate(results[:limit])]
            try:
                self._send(200, body)
            except OSError:
                server._finish(hit, "client gone")
                return
            server._finish(hit, "ok")

        def _fail(self, fault: Fault) -> None:
            try:
                if fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    if fault.location:
                        headers["Location"] = fault.location
                    self._send(fault.status, {"error": f"HTTP {fault.status}"}, headers)
                elif fault.kind == "raw":
                    self._send(200, fault.body)
                elif fault.kind == "trickle":
                    body = b"[" + b" " * max(fault.size - 2, 0) + b"]"
                    self._send_head(200, {"Content-Length": str(len(body))})
                    for byte in body:
                        if server._stop.wait(fault.seconds):
                            break
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                elif fault.kind == "huge":
                    self._send_head(200, {"Content-Length": str(fault.size)} if fault.status
                                    else {})
                    chunk, sent = b"[" + b" " * 65534 + b"]", 0
                    while sent < fault.size and not server._stop.is_set():
                        self.wfile.write(chunk[: fault.size - sent])
                        sent += len(chunk)
                elif fault.kind == "malformed":
                    raw = b'[{"place_id": 1, "lat": "52.'
                    self._send_raw(200, raw, {})
                elif fault.kind == "stall":
                    server._stop.wait(fault.seconds)
                elif fault.kind == "hold":
                    # Trickle an endless header line: the client's timeout, which is per read,
                    # never fires, so the client waits for as long as the test holds it.
                    self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Hold: ")
                    while not server._released.wait(0.05):
                        self.wfile.write(b".")
            except OSError:
                pass
            # "drop", and after "stall"/"hold": close without a response.
            self.close_connection = True

        def _send(self, code: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self._send_raw(code, raw, headers or {})

        def _send_raw(self, code: int, raw: bytes, headers: dict[str, str]) -> None:
            self._send_head(code, {"Content-Length": str(len(raw)), **headers})
            self.wfile.write(raw)

        def _send_head(self, code: int, headers: dict[str, str]) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()

    return Handler


def _format(result: dict[str, Any], fmt: str, position: int,
            details: Sequence[str] = ()) -> dict[str, Any]:
    """A neutral result as Nominatim writes it in ``json`` or ``jsonv2``, with ``details``."""
    lat, lon = float(result["lat"]), float(result["lon"])
    out: dict[str, Any] = {
        "place_id": 100000 + int(result["osm_id"]) % 900000,
        "licence": LICENCE,
        "osm_type": result["osm_type"],
        "osm_id": result["osm_id"],
        "lat": result["lat"] if isinstance(result["lat"], str) else f"{lat:.7f}",
        "lon": result["lon"] if isinstance(result["lon"], str) else f"{lon:.7f}",
    }
    out["category" if fmt == "jsonv2" else "class"] = result["class"]
    out.update({
        "type": result["type"],
        "place_rank": result["place_rank"],
        "importance": round(0.5 - position / 100, 4),
        "addresstype": result["addresstype"],
        "name": result["name"],
        "display_name": result["name"] or f"{result['class']} {result['type']}",
        "boundingbox": [f"{lat - 0.0001:.7f}", f"{lat + 0.0001:.7f}", f"{lon - 0.0001:.7f}",
                        f"{lon + 0.0001:.7f}"],
    })
    for key in details:
        out[key] = result.get(key)
    return out


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def gaps(hits: Sequence[Hit]) -> Iterator[float]:
    """Time between consecutive arrivals."""
    times = sorted(h.t for h in hits)
    return (b - a for a, b in zip(times, times[1:], strict=False))
