"""Summaries, distances and a chart of the events, for notebooks and reports.

Pure functions of the events GeoDataFrame (:func:`geo.load_events`); the notebook in
``notebooks/`` calls these rather than holding logic of its own. Distances are geodesic, on the
WGS84 ellipsoid (:mod:`geo.analysis.match`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.analysis.match import coordinates, geodesic_m, nearest
from geo.places.gazetteer import default_gazetteer
from geo.schema import MISSION_KINDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NOT_STATED = "(not stated)"
"""Label of blank values in tallies."""


def tally(events: pd.DataFrame, column: str) -> pd.Series:
    """Count protests per value of ``column``, most first, then by value; blanks too.

    Parameters
    ----------
    events
        The events (or any table with ``column``).
    column
        E.g. ``"venue_kind"`` or ``"organizer"``.

    Returns
    -------
    Series
        Named ``protests``, indexed by the values (blank ones as :data:`NOT_STATED`).

    Examples
    --------
    >>> import pandas as pd
    >>> tally(pd.DataFrame({"organizer": ["SAV", "", "SLP", "SLP"]}), "organizer")
    organizer
    SLP             2
    (not stated)    1
    SAV             1
    Name: protests, dtype: int64
    """
    values = events[column].astype(object).where(events[column].notna(), "")
    values = values.map(lambda v: str(v).strip() or NOT_STATED)
    counts = values.value_counts(sort=False).rename("protests")
    counts.index.name = column
    order = sorted(counts.index, key=lambda v: (-counts[v], v))
    return counts.reindex(order)


def country_name(code: str) -> str:
    """Return the English name of an ISO 3166-1 alpha-2 code, or the code itself if unknown.

    Examples
    --------
    >>> country_name("KZ"), country_name("Telia")
    ('Kazakhstan', 'Telia')
    """
    return default_gazetteer().country_name(code)


def per_country(events: pd.DataFrame) -> pd.DataFrame:
    """Count protests per country where they happened, with the country's name and cities.

    Returns
    -------
    DataFrame
        Indexed by ISO code (``country``); columns ``name``, ``protests``, ``cities`` (the
        distinct cities, alphabetical, joined by ", "). Most protests first.

    Examples
    --------
    >>> import geo
    >>> sweden = per_country(geo.load_events("data")).loc["SE"]
    >>> sweden["name"], int(sweden["protests"]), sweden["cities"]
    ('Sweden', 3, 'Gothenburg, Luleå, Stockholm')
    """
    counts = tally(events, "country")
    cities = events.groupby("country")["city"].agg(lambda c: ", ".join(sorted(set(c))))
    return pd.DataFrame({
        "name": [country_name(c) for c in counts.index],
        "protests": counts.to_numpy(),
        "cities": cities.reindex(counts.index).to_numpy(),
    }, index=counts.index)


def targets(events: pd.DataFrame) -> pd.DataFrame:
    """Tell who the protests were aimed at: the country a mission represents, or a company.

    Returns
    -------
    DataFrame
        One row per (``represents``, ``venue_kind``): ``target`` (the country's name for
        missions, else ``represents`` as written, or :data:`NOT_STATED`), ``protests`` and
        ``cities``. Most protests first. Protests without a venue are left out.

    Examples
    --------
    >>> import geo
    >>> targets(geo.load_events("data"))[["target", "venue_kind", "protests"]].head(2)
           target    venue_kind  protests
    0  Kazakhstan       embassy         3
    1       Telia  company_shop         3
    """
    with_venue = events[events["venue_id"].fillna("") != ""]
    rows = []
    grouped = with_venue.groupby(["represents", with_venue["venue_kind"].astype(str)])
    for (represents, kind), group in grouped:
        if not represents:
            target = NOT_STATED
        elif kind in MISSION_KINDS:
            target = country_name(represents)
        else:
            target = represents
        rows.append({"target": target, "represents": represents, "venue_kind": kind,
                     "protests": len(group), "cities": ", ".join(sorted(set(group["city"])))})
    table = pd.DataFrame(rows, columns=["target", "represents", "venue_kind", "protests",
                                        "cities"])
    table = table.sort_values(["protests", "target", "venue_kind"],
                              ascending=[False, True, True], kind="stable")
    return table.reset_index(drop=True)


def per_day(events: pd.DataFrame) -> pd.DataFrame:
    """Count protests per day, the timeline: from the first day to the last, quiet days too.

    Returns
    -------
    DataFrame
        Indexed by ``date``; columns ``protests`` and ``cities`` (alphabetical, ", "-joined).

    Examples
    --------
    >>> import geo
    >>> per_day(geo.load_events("data"))["protests"].tolist()
    [8, 1]
    """
    if events.empty:
        return pd.DataFrame({"protests": pd.Series([], dtype=np.int64),
                             "cities": pd.Series([], dtype=object)},
                            index=pd.DatetimeIndex([], name="date"))
    dates = events["date"].dt.normalize()
    days = pd.date_range(dates.min(), dates.max(), freq="D", name="date")
    grouped = events.groupby(dates)
    return pd.DataFrame({
        "protests": grouped.size().reindex(days, fill_value=0).astype(np.int64),
        "cities": grouped["city"].agg(lambda c: ", ".join(sorted(set(c)))).reindex(
            days, fill_value=""),
    }, index=days)


def distance_to(points: pd.DataFrame, lat: float, lon: float) -> pd.Series:
    """Measure the geodesic distance (metres, WGS84) from each point to one place.

    Parameters
    ----------
    points
        A GeoDataFrame of points, or a DataFrame with ``lat``/``lon`` columns.
    lat, lon
        The place, WGS84 degrees.

    Returns
    -------
    Series
        ``distance_m``, indexed like ``points``.

    Examples
    --------
    >>> import geo
    >>> events, context = geo.load_events("data"), geo.load_context("data")
    >>> zhanaozen = context.set_index("id").loc["zhanaozen-2011"]
    >>> km = distance_to(events, zhanaozen.lat, zhanaozen.lon) / 1000
    >>> round(km.min()), round(km.max())
    (2861, 4055)
    """
    (plat,), (plon,) = coordinates(pd.DataFrame({"lat": [lat], "lon": [lon]}), what="place")
    p_lat, p_lon = coordinates(points)
    return pd.Series(geodesic_m(p_lat, p_lon, plat, plon), index=points.index,
                     name="distance_m")


def nearest_other(events: pd.DataFrame, id_column: str = "id") -> pd.DataFrame:
    """Find each event's nearest other event and the geodesic distance to it.

    Two events at the same place are each other's nearest, at 0 m. Ties go to the smallest id.

    Parameters
    ----------
    events
        A GeoDataFrame of points, or a DataFrame with ``lat``/``lon`` columns.
    id_column
        Column naming the events.

    Returns
    -------
    DataFrame
        Indexed like ``events``: ``nearest_id`` (None when there is no other event) and
        ``distance_m``.

    Examples
    --------
    >>> import geo
    >>> near = nearest_other(geo.load_events("data")).set_index(geo.load_events("data")["id"])
    >>> near.loc["2011-12-16-graz-consulate", "nearest_id"]
    '2011-12-16-vienna-consulate'
    """
    lat, lon = coordinates(events)
    ids = events[id_column].astype(str).to_numpy()
    index, distance = nearest(lat, lon, lat, lon, ids, exclude_self=True)
    found = index >= 0
    nearest_id = np.full(len(events), None, dtype=object)
    nearest_id[found] = ids[index[found]]
    return pd.DataFrame({"nearest_id": pd.Series(nearest_id, index=events.index, dtype=object),
                         "distance_m": distance}, index=events.index)


def chart_by_country(events: pd.DataFrame, title: str = "Protests per country") -> Figure:
    """Draw a horizontal bar chart of protests per country, each bar split by venue kind.

    Uses matplotlib's object-oriented API (no pyplot state); in Jupyter the returned figure
    shows when it is a cell's last value, and ``fig.savefig("chart.png")`` writes it.

    Parameters
    ----------
    events
        The events.
    title
        Title above the chart.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import geo
    >>> fig = chart_by_country(geo.load_events("data"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-1]
    'Sweden'
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    countries = per_country(events)
    kinds = events["venue_kind"].astype(object).fillna("no venue")
    table = pd.crosstab(events["country"], kinds).reindex(countries.index[::-1])
    fig = Figure(figsize=(8, 0.5 * len(table) + 1.5), layout="constrained")
    ax = fig.add_subplot()
    left = np.zeros(len(table))
    labels = [countries.loc[c, "name"] for c in table.index]
    for kind in sorted(table.columns):
        ax.barh(labels, table[kind].to_numpy(), left=left, label=kind.replace("_", " "))
        left += table[kind].to_numpy()
    ax.set_xlabel("protests")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(title="venue kind", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig
