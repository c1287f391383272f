"""`protest-map geocode` in a subprocess: killed with SIGKILL, resumed; the issue's "done means"."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from fake_nominatim import DROP, E500, E503, MALFORMED, FakeNominatim, Hit, gaps, stall, status
from geocode_support import (
    HEADER,
    TWENTY,
    Spec,
    csv_text,
    geocode_args,
    read_rows,
    run_cli,
    teach,
)

from geo.geocode.cache import GeocodeCache
from geo.places.gazetteer import default_gazetteer

MIN_DELAY = 0.05
ROOT = Path(__file__).resolve().parents[2]



def kill_at_request(args: Sequence[str], server: FakeNominatim, nth: int) -> None:
    """Run the command until the server holds its ``nth`` request, then SIGKILL it."""
    server.hold(nth)
    proc = run_cli(args)
    try:
        server.wait_for_requests(nth)
    finally:
        proc.kill()
        proc.communicate()
        server.release()
    assert proc.returncode == -9


def finish(args: Sequence[str]) -> str:
    proc = run_cli(args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return out


def degrees(x: float) -> str:
    return f"{x:.7f}".rstrip("0").rstrip(".")


def answered_twice(hits: Sequence[Hit]) -> list[object]:
    return [q for q, n in Counter(h.query for h in hits if h.answered).items() if n > 1]


def test_a_killed_run_resumes_and_asks_only_for_what_it_lacks(tmp_path: Path,
                                                              server: FakeNominatim) -> None:
    specs = TWENTY[:6] + TWENTY[14:16]  # 6 found at once; 2 not found (3 + 2 queries)
    teach(server, specs)
    data = tmp_path / "data"
    data.mkdir()
    original = csv_text([s.row() for s in specs]).encode("utf-8")
    (data / "venues.csv").write_bytes(original)
    cache = tmp_path / "cache.sqlite"
    args = geocode_args(data, server, cache, MIN_DELAY)

    kill_at_request(args, server, 5)
    before = server.requests
    assert [h.answered for h in before] == [True] * 4 + [False]
    assert (data / "venues.csv").read_bytes() == original  # nothing half-written
    with GeocodeCache(cache) as c:
        assert len(c) == 4  # every answer received before the kill

    finish(args)
    after = server.requests[len(before):]
    asked_again = {h.query for h in after} & {h.query for h in before}
    assert asked_again == {before[-1].query}  # only the one the kill left unanswered
    assert len({h.query for h in after}) == len(after) == 6 + 3 + 2 - 4
    rows = read_rows(data / "venues.csv")
    assert all(rows[s.id]["precision"] == ("venue" if s.point else "city") for s in specs)


def csv_line(row: Sequence[str], quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator="\n").writerow(row)
    return out.getvalue()


def done_means_table(filled: bool) -> str:
    """The default venues (quoted everywhere, with notes) and twenty new ones between them."""
    with (ROOT / "data" / "venues.csv").open(encoding="utf-8", newline="") as fh:
        existing = list(csv.reader(fh))[1:]
    lines = [",".join(HEADER) + "\n"]
    new = iter(TWENTY)
    for i, row in enumerate(existing):
        lines.append(csv_line([*row, f'existing row {i}, "kept"'], csv.QUOTE_ALL))
        lines += [new_row(spec, filled) for spec in (next(new, None) for _ in range(3)) if spec]
    return "".join(lines)


def new_row(spec: Spec, filled: bool) -> str:
    """A new venue's line: blank coordinates, or what geocoding must write."""
    row = spec.row(notes=f'new; "{spec.city}", to geocode')
    if filled and spec.point is not None:
        row[7:11] = [degrees(spec.point[0]), degrees(spec.point[1]), "venue",
                     f"nominatim:node/{spec.osm_id}"]
    elif filled:
        place = default_gazetteer().lookup(spec.city, spec.country)
        row[7:11] = [degrees(place.lat), degrees(place.lon), "city", place.source]
    return csv_line(row)


def test_done_means(tmp_path: Path, server: FakeNominatim) -> None:
    """Twenty new venues against a flaky server, a kill and two reruns."""
    teach(server, TWENTY)
    server.fail_first_attempts([E500, DROP, E503, MALFORMED, stall(1.0), status(429, "1")],
                               every=2)
    data = tmp_path / "data"
    data.mkdir()
    (data / "venues.csv").write_text(done_means_table(filled=False), encoding="utf-8",
                                     newline="")
    args = geocode_args(data, server, tmp_path / "cache.sqlite", MIN_DELAY, timeout=0.5)

    kill_at_request(args, server, 12)
    first = finish(args)
    assert "nominatim found 14 at venue, 0 at street and 0 at city precision" in first
    assert "fallbacks: 6 placed by the offline gazetteer at city precision (6 not found, 0 " \
           "after nominatim failed)" in first
    assert "failures: 0" in first
    done = (data / "venues.csv").read_bytes()
    requests = len(server.requests)
    second = finish(args)
    assert "every venue has coordinates; nothing to do" in second
    assert len(server.requests) == requests and (data / "venues.csv").read_bytes() == done

    assert done == done_means_table(filled=True).encode("utf-8")
    hits = server.requests
    failed = [h for h in hits if h.outcome not in ("ok", "hold")]
    assert len(failed) >= len({h.query for h in hits}) // 2  # half the first attempts failed
    assert {h.outcome for h in failed} == {"500", "drop", "503", "malformed", "stall", "429"}
    assert answered_twice(hits) == []
    assert min(gaps(hits)) >= MIN_DELAY
    rate_limited = [i for i, h in enumerate(hits) if h.outcome == "429"]
    assert rate_limited and all(hits[i + 1].t - hits[i].t >= 1.0 for i in rate_limited)
