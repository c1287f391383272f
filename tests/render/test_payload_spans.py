"""The payload's ``span`` (protests that span days) and ``location`` (the source's words)."""

from __future__ import annotations

import pandas as pd

from geo.render.payload import FORMAT, build_payload


def _events(end_dates: list[str | None], locations: list[str]) -> pd.DataFrame:
    n = len(end_dates)
    return pd.DataFrame({
        "id": [f"e{i}" for i in range(n)],
        "date": pd.to_datetime(["2011-12-15"] * n),
        "end_date": pd.to_datetime(end_dates),
        "city": ["Montreal"] * n, "country": ["CA"] * n,
        "venue_kind": pd.Categorical([None] * n), "precision": pd.Categorical(["city"] * n),
        "summary": ["x"] * n, "lat": [45.5] * n, "lon": [-73.57] * n, "location": locations,
    })


def test_span_counts_days_to_the_end_date() -> None:
    payload = build_payload(_events(["2011-12-19", None, "2011-12-15"],
                                    ["Montreal, Quebec", "", "national"]))
    assert FORMAT == 3 and payload["format"] == 3
    assert payload["day"] == [15323] * 3 and payload["span"] == [4, 0, 0]
    strings = payload["strings"]
    assert [strings[k] for k in payload["location"]] == ["Montreal, Quebec", "", "national"]


def test_span_is_empty_when_no_protest_spans_days() -> None:
    assert build_payload(_events([None, "2011-12-15"], ["", ""]))["span"] == []
    no_column = _events([None], [""]).drop(columns=["end_date", "location"])
    payload = build_payload(no_column)
    assert payload["span"] == [] and payload["location"] == [0]


def test_span_keys_come_in_the_head() -> None:
    keys = list(build_payload(_events([None], [""])))
    assert keys.index("span") == keys.index("day") + 1 and keys[-2:] == ["summary", "id"]
