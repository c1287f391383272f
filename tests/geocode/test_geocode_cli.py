"""`protest-map geocode` from the command line: summary, exit status, progress bar or log."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import pty
import struct
import termios
from pathlib import Path

import pytest
from fake_nominatim import FakeNominatim, status
from geocode_support import (
    TWENTY,
    csv_text,
    geocode_args,
    no_proxies,  # noqa: F401  (fixture)
    run_cli,
)

from geo.cli import main


def blank(data: Path, *ids: str) -> None:
    """Remove the coordinates of some venues of the default dataset."""
    path = data / "venues.csv"
    text = path.read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row["id"] in ids:
            text = text.replace(f",{row['lat']},{row['lon']},", ",,,", 1)
    path.write_text(text, encoding="utf-8", newline="")


def test_offline_geocoding_prints_the_summary(data_copy: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    blank(data_copy, "telia-lulea", "kz-consulate-graz")
    assert main(["geocode", "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert out == (f"venues.csv: 2 venues without coordinates (7 already placed, left as they "
                   f"were)\n  2 placed by the offline gazetteer at city precision\n"
                   f"  failures: 0 left without coordinates\nwrote {data_copy / 'venues.csv'}\n")


def test_bad_data_exits_with_status_2_naming_file_line_and_column(
        data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "venues.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Graz,AT,", ",Graz,Austria,"),
                    encoding="utf-8")
    assert main(["geocode", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "venues.csv:9: country: 'Austria' is not an ISO 3166-1 alpha-2" in err


@pytest.mark.usefixtures("no_proxies")
def test_a_server_refusal_exits_with_status_2(tmp_path: Path, server: FakeNominatim,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    server.fail_next(status(403))
    data = tmp_path / "data"
    data.mkdir()
    (data / "venues.csv").write_text(csv_text([TWENTY[0].row()]), encoding="utf-8", newline="")
    assert main(geocode_args(data, server, tmp_path / "c.sqlite", 0.01)) == 2
    err = capsys.readouterr().err
    assert "error: the Nominatim server" in err and "refused" in err and "--user-agent" in err


def test_the_public_server_needs_a_user_agent(data_copy: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    blank(data_copy, "telia-lulea")
    before = (data_copy / "venues.csv").read_bytes()
    assert main(["geocode", "--data", str(data_copy), "--provider", "nominatim"]) == 2
    assert "requires a User-Agent" in capsys.readouterr().err
    assert (data_copy / "venues.csv").read_bytes() == before


def test_a_terminal_gets_a_progress_bar_and_a_pipe_gets_log_lines(
        data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank(data_copy, "telia-lulea", "kz-consulate-graz")
    args = ["geocode", "--data", str(data_copy)]
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        proc = run_cli(args, stderr=secondary)
        os.close(secondary)
        out, _ = proc.communicate(timeout=120)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal is closed once the process is gone
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0 and "2 placed by the offline gazetteer" in out
    assert "geocoding: 100%" in terminal and "2/2" in terminal
    assert "INFO: telia-lulea" not in terminal

    blank(data_copy, "kz-embassy-berlin")
    assert main(args) == 0  # standard error is pytest's capture, not a terminal
    err = capsys.readouterr().err
    assert "INFO: kz-embassy-berlin: city precision (geonames:2950159)" in err
    assert "geocoding:" not in err
