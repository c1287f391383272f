"""Read and validate the CSV tables of a data folder.

Every rule of the data contract is checked and every problem is collected, each naming its file,
line and column, before a single :class:`~geo.errors.DataError` is raised. Checks are vectorised
over columns, so a million rows validate in seconds.

The reading (:func:`read_csv_table`) is I/O; the checks (``check_*``) are pure functions of
DataFrames and return lists of :class:`~geo.errors.Problem`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import DataError, Problem
from geo.gazetteer import Gazetteer, country_shapes, default_gazetteer, normalize
from geo.schema import (
    CONTEXT_COLUMNS,
    CRS,
    PHOTO_COLUMNS,
    PRECISIONS,
    PROTEST_COLUMNS,
    VENUE_COLUMNS,
    VENUE_KINDS,
)

LINE = "_line"
"""Name of the column holding each row's physical line number in its file."""

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
BORDER_TOLERANCE_DEG = 0.25
"""How far (degrees, about 25 km) a point may lie outside its country's simplified outline."""


@dataclass
class Dataset:
    """The validated tables of one data folder.

    Attributes
    ----------
    data_dir
        The folder the tables were read from (photo paths are relative to it).
    protests, venues, photos, context
        One DataFrame per table, all values stripped strings; column ``_line`` holds the line
        each row starts on, and ``lat``/``lon`` of venues and context are floats (NaN if blank).
    warnings
        Approximations worth telling the user about (not errors).
    """

    data_dir: Path
    protests: pd.DataFrame
    venues: pd.DataFrame
    photos: pd.DataFrame
    context: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)


def load_dataset(data_dir: str | Path = "data", gazetteer: Gazetteer | None = None) -> Dataset:
    """Read and validate ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``.

    Parameters
    ----------
    data_dir
        Folder holding the tables. ``photos.csv`` and ``context.csv`` are optional.
    gazetteer
        Offline gazetteer for places without coordinates; the default one if None.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        With every problem found in every table.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds.protests)
    9
    """
    data_dir = Path(data_dir)
    gaz = gazetteer or default_gazetteer()
    problems: list[Problem] = []
    tables = {}
    specs = {
        "protests.csv": (PROTEST_COLUMNS, True),
        "venues.csv": (VENUE_COLUMNS, True),
        "photos.csv": (PHOTO_COLUMNS, False),
        "context.csv": (CONTEXT_COLUMNS, False),
    }
    for name, (columns, required) in specs.items():
        path = data_dir / name
        if not path.exists() and not required:
            tables[name] = empty_table(columns)
            continue
        frame, found = read_csv_table(path, columns)
        problems += found
        tables[name] = frame if frame is not None else empty_table(columns)
    if any(p.line == 0 for p in problems):
        raise DataError(sorted(problems))
    protests = tables["protests.csv"]
    venues = tables["venues.csv"]
    photos = tables["photos.csv"]
    context = tables["context.csv"]
    codes = gaz.country_codes()
    warnings: list[Problem] = []

    problems += check_required("protests.csv", protests, PROTEST_COLUMNS)
    problems += check_unique("protests.csv", protests, "id")
    problems += check_slugs("protests.csv", protests, "id")
    problems += check_dates("protests.csv", protests, "date")
    problems += check_countries("protests.csv", protests, "country", codes)
    problems += check_links("protests.csv", protests, "source_url")
    problems += check_references("protests.csv", protests, "venue_id", venues["id"], "venues.csv")
    problems += check_protest_venue_countries(protests, venues)

    problems += check_required("venues.csv", venues, VENUE_COLUMNS)
    problems += check_unique("venues.csv", venues, "id")
    problems += check_slugs("venues.csv", venues, "id")
    problems += check_choice("venues.csv", venues, "kind", VENUE_KINDS)
    problems += check_choice("venues.csv", venues, "precision", PRECISIONS, optional=True)
    problems += check_countries("venues.csv", venues, "country", codes)
    coord_problems, venues = parse_coordinates("venues.csv", venues)
    problems += coord_problems
    if not coord_problems:
        problems += check_in_country("venues.csv", venues)

    problems += check_required("photos.csv", photos, PHOTO_COLUMNS)
    problems += check_references("photos.csv", photos, "protest_id", protests["id"], "protests.csv")
    problems += check_photo_sources(photos, data_dir)

    problems += check_required("context.csv", context, CONTEXT_COLUMNS)
    problems += check_unique("context.csv", context, "id")
    problems += check_dates("context.csv", context, "date")
    problems += check_choice("context.csv", context, "precision", PRECISIONS)
    problems += check_countries("context.csv", context, "country", codes)
    problems += check_links("context.csv", context, "source_url")
    context_problems, context = parse_coordinates("context.csv", context)
    problems += context_problems
    if not context_problems:
        problems += check_in_country("context.csv", context)

    place_problems, place_warnings = check_placeable(protests, venues, gaz)
    problems += place_problems
    warnings += place_warnings + approximation_warnings(venues)
    if problems:
        raise DataError(sorted(problems))
    return Dataset(data_dir, protests, venues, photos, context, sorted(warnings))


def empty_table(columns: Mapping[str, bool]) -> pd.DataFrame:
    """An empty table with the given columns and the line column."""
    return pd.DataFrame({**{c: pd.Series([], dtype=object) for c in columns}, LINE: []})


def read_csv_table(
    path: Path, columns: Mapping[str, bool]
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV table as stripped strings, remembering each row's line number.

    A UTF-8 byte-order mark and whitespace around values and header names are accepted. Extra
    columns are kept. Blank lines are skipped.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Contract columns mapped to whether they are required; missing columns are problems.

    Returns
    -------
    frame : DataFrame or None
        None when the file could not be read at all.
    problems : list of Problem
        Problems with line 0 concern the whole file.
    """
    name = path.name
    if not path.is_file():
        return None, [Problem(name, 0, "", f"file not found at {path}; create it with the header "
                              f"row {','.join(columns)}")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start : exc.start + 1].hex().upper()
        return None, [Problem(name, line, "", f"byte 0x{byte} at character {col} is not UTF-8; "
                              "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)")]
    if not text.strip():
        return None, [Problem(name, 0, "", f"the file is empty; it needs at least the header row "
                              f"{','.join(columns)}")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 1
    last = 0
    try:
        for row in reader:
            start = last + 1
            last = reader.line_num
            if not row or all(not v.strip() for v in row):
                continue
            if header is None:
                header = [h.strip() for h in row]
                header_line = start
                continue
            if len(row) != len(header):
                problems.append(Problem(name, start, "", f"row has {len(row)} fields but the "
                                        f"header has {len(header)}; quote values that contain "
                                        "commas, and give every row the same columns"))
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        problems.append(Problem(name, last + 1, "", f"cannot parse CSV ({exc}); check the quotes "
                                "on this line"))
    assert header is not None  # the text is not blank, so a first row exists
    seen: set[str] = set()
    for h in header:
        if h in seen or not h:
            what = "duplicate column" if h else "a column has no name"
            problems.append(Problem(name, header_line, h, f"{what} in the header; name each "
                                    "column once"))
        seen.add(h)
    missing = [c for c, required in columns.items() if c not in seen and required]
    for c in missing:
        problems.append(Problem(name, 0, c, f"required column {c!r} is missing from the header "
                                f"(line {header_line}); expected columns: {','.join(columns)}"))
    if missing or len(seen) != len(header):
        return None, problems
    data = {h: [r[i] for r in rows] for i, h in enumerate(header)}
    frame = pd.DataFrame({h: pd.Series(v, dtype=object) for h, v in data.items()})
    for c in columns:
        if c not in frame:
            frame[c] = pd.Series([""] * len(frame), dtype=object)
    frame = frame.apply(lambda s: s.str.strip())
    frame[LINE] = np.asarray(lines, dtype=np.int64)
    return frame, problems


def _problems(file: str, frame: pd.DataFrame, mask: pd.Series, column: str,
              message: str | Iterable[str]) -> list[Problem]:
    lines = frame.loc[mask, LINE]
    if isinstance(message, str):
        return [Problem(file, int(n), column, message) for n in lines]
    return [Problem(file, int(n), column, m) for n, m in zip(lines, message, strict=True)]


def check_required(file: str, frame: pd.DataFrame, columns: Mapping[str, bool]) -> list[Problem]:
    """Required columns must not be blank."""
    out: list[Problem] = []
    for col, required in columns.items():
        if required and col in frame:
            out += _problems(file, frame, frame[col] == "", col,
                             f"{col} is required but blank; fill it in")
    return out


def check_unique(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Values of ``column`` must be unique; each repeat names the line of the first."""
    values = frame[column]
    dup = values.duplicated(keep="first") & (values != "")
    if not dup.any():
        return []
    first = frame.drop_duplicates(column).set_index(column)[LINE]
    messages = [f"duplicate {column} {v!r} (first used on line {first[v]}); ids must be unique"
                for v in values[dup]]
    return _problems(file, frame, dup, column, messages)


def check_slugs(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Ids are slugs: letters, digits, '-', '_' and '.', starting with a letter or digit."""
    values = frame[column]
    bad = (values != "") & ~values.str.match(SLUG)
    messages = [f"{v!r} is not a valid id; use letters, digits, '-', '_' and '.' only "
                f"(e.g. {slugify(v) or 'my-id'!r})" for v in values[bad]]
    return _problems(file, frame, bad, column, messages)


def slugify(text: str) -> str:
    """Turn text into an id slug, e.g. ``"Graz Consulate"`` → ``"graz-consulate"``."""
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


def check_dates(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Dates must be real calendar dates written YYYY-MM-DD."""
    values = frame[column]
    parsed = pd.to_datetime(values.where(values.str.match(DATE), None), format="%Y-%m-%d",
                            errors="coerce")
    bad = parsed.isna() & (values != "")
    messages = [f"{v!r} is not a date (expected YYYY-MM-DD, e.g. 2011-12-16)" for v in values[bad]]
    return _problems(file, frame, bad, column, messages)


def check_countries(file: str, frame: pd.DataFrame, column: str,
                    codes: frozenset[str]) -> list[Problem]:
    """Countries are ISO 3166-1 alpha-2 codes in capitals."""
    values = frame[column]
    bad = (values != "") & ~values.isin(codes)
    messages = []
    for v in values[bad]:
        hint = f"; did you mean {v.upper()!r}?" if v.upper() in codes else ""
        messages.append(f"{v!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, "
                        f"e.g. DE for Germany){hint}")
    return _problems(file, frame, bad, column, messages)


def is_safe_link(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL (the only links protest-map writes)."""
    return bool(HTTP_URL.match(value))


def check_links(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Links must be http:// or https:// URLs (no ``javascript:``, ``data:``, ``file:`` ...)."""
    values = frame[column]
    bad = (values != "") & ~values.str.match(HTTP_URL)
    messages = [f"{v!r} is not an http(s) link; only http:// and https:// links are allowed"
                for v in values[bad]]
    return _problems(file, frame, bad, column, messages)


def check_choice(file: str, frame: pd.DataFrame, column: str, allowed: Iterable[str],
                 optional: bool = False) -> list[Problem]:
    """Values must be one of ``allowed`` (blank too when ``optional``)."""
    allowed = tuple(allowed)
    values = frame[column]
    bad = ~values.isin(allowed) & ((values != "") | (not optional))
    bad &= values != ""  # blank required values are reported by check_required
    messages = [f"{v!r} is not a known {column}; use one of {', '.join(allowed)}"
                for v in values[bad]]
    return _problems(file, frame, bad, column, messages)


def check_references(file: str, frame: pd.DataFrame, column: str, targets: pd.Series,
                     target_file: str) -> list[Problem]:
    """Each non-blank ``column`` value must be an id in ``target_file``."""
    values = frame[column]
    bad = (values != "") & ~values.isin(targets)
    messages = [f"unknown {column} {v!r}: no row of {target_file} has this id; add it there or "
                "fix the spelling" for v in values[bad]]
    return _problems(file, frame, bad, column, messages)


def check_protest_venue_countries(protests: pd.DataFrame, venues: pd.DataFrame) -> list[Problem]:
    """A protest's country must be its venue's country."""
    merged = protests[[LINE, "venue_id", "country"]].merge(
        venues[["id", "country", LINE]].rename(columns={"id": "venue_id", LINE: "venue_line"}),
        on="venue_id", how="inner", suffixes=("", "_venue"))
    bad = merged[(merged["country"] != merged["country_venue"]) & (merged["country"] != "")
                 & (merged["country_venue"] != "")]
    return [Problem("protests.csv", int(r[LINE]), "country",
                    f"{r.country!r} differs from the country {r.country_venue!r} of venue "
                    f"{r.venue_id!r} (venues.csv line {r.venue_line}); correct one of them")
            for r in bad.itertuples()]


def parse_coordinates(file: str, frame: pd.DataFrame) -> tuple[list[Problem], pd.DataFrame]:
    """Turn ``lat``/``lon`` into floats and check them.

    Both or neither must be given; each must be a number in range (lat in [-90, 90], lon in
    [-180, 180]).

    Returns
    -------
    problems : list of Problem
    frame : DataFrame
        A copy with ``lat`` and ``lon`` as float columns (NaN where blank or bad).
    """
    out = frame.copy()
    problems: list[Problem] = []
    parsed = {}
    for col, limit in (("lat", 90.0), ("lon", 180.0)):
        raw = frame[col]
        num = pd.to_numeric(raw.str.replace(",", ".", regex=False).where(raw != "", None),
                            errors="coerce")
        notnum = num.isna() & (raw != "")
        problems += _problems(file, frame, notnum, col,
                              [f"{v!r} is not a number (decimal degrees such as 52.52)"
                               for v in raw[notnum]])
        comma = (raw.str.contains(",", regex=False)) & ~notnum
        problems += _problems(file, frame, comma, col,
                              [f"{v!r} uses a decimal comma; write {v.replace(',', '.')!r}"
                               for v in raw[comma]])
        out_of_range = num.abs() > limit
        problems += _problems(file, frame, out_of_range, col,
                              [f"{v} is out of range (must be between -{limit:g} and {limit:g}); "
                               "are lat and lon swapped?" for v in num[out_of_range]])
        parsed[col] = num.where(~out_of_range)
    one_only = (frame["lat"] == "") != (frame["lon"] == "")
    problems += _problems(file, frame, one_only, "lat",
                          "only one of lat and lon is given; give both, or leave both blank to "
                          "geocode")
    out["lat"] = parsed["lat"].astype(float)
    out["lon"] = parsed["lon"].astype(float)
    return problems, out


def check_in_country(file: str, frame: pd.DataFrame) -> list[Problem]:
    """Each point must fall inside (or within about 25 km of) its stated country.

    Uses the simplified Natural Earth outlines through a geopandas spatial join. Countries
    without an outline (very small states) are not checked.
    """
    has = frame["lat"].notna() & frame["lon"].notna()
    if not has.any():
        return []
    shapes = gpd.GeoDataFrame.from_features(country_shapes()["features"], crs=CRS)
    pts = gpd.GeoDataFrame(
        frame.loc[has, [LINE, "country", "lat", "lon"]],
        geometry=gpd.points_from_xy(frame.loc[has, "lon"], frame.loc[has, "lat"]), crs=CRS)
    inside = gpd.sjoin(pts, shapes[["iso_a2", "geometry"]], predicate="within", how="left")
    ok_lines = set(inside.loc[inside["iso_a2"] == inside["country"], LINE])
    suspects = pts[~pts[LINE].isin(ok_lines) & pts["country"].isin(shapes["iso_a2"])]
    if suspects.empty:
        return []
    outline = shapes.set_index("iso_a2").geometry
    dist = shapely.distance(suspects.geometry.values,
                            outline.loc[suspects["country"]].values)
    far = suspects[dist > BORDER_TOLERANCE_DEG]
    problems = []
    for r in far.itertuples():
        swapped = shapely.Point(r.lat, r.lon)
        hint = (" lat and lon look swapped" if outline[r.country].distance(swapped)
                <= BORDER_TOLERANCE_DEG else " check the coordinates and the country")
        problems.append(Problem(file, int(getattr(r, LINE)), "lat",
                                f"point ({r.lat}, {r.lon}) lies outside its country "
                                f"{r.country!r};{hint}"))
    return problems


def check_photo_sources(photos: pd.DataFrame, data_dir: Path) -> list[Problem]:
    """Photo ``src`` is an http(s) URL or a path inside the data folder to a file that exists."""
    problems: list[Problem] = []
    for line, src in zip(photos[LINE], photos["src"]):
        if not src or HTTP_URL.match(src):
            continue
        msg = photo_path_problem(src, data_dir)
        if msg:
            problems.append(Problem("photos.csv", int(line), "src", msg))
    return problems


def photo_path_problem(src: str, data_dir: Path) -> str | None:
    """Why ``src`` is not an acceptable local photo path, or None if it is."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith(("/", "\\")):
        return (f"{src!r} is neither an http(s) link nor a path relative to the data folder; "
                "use e.g. photos/berlin.jpg or https://...")
    parts = PurePosixPath(src.replace("\\", "/")).parts
    if ".." in parts:
        return f"{src!r} points outside the data folder; keep photos inside it"
    if not (data_dir / src).is_file():
        return (f"{src!r}: no such file in {data_dir}; add the image, or leave src blank for a "
                "caption-only entry")
    return None


def check_placeable(protests: pd.DataFrame, venues: pd.DataFrame,
                    gaz: Gazetteer) -> tuple[list[Problem], list[Problem]]:
    """Venues without coordinates and protests without a venue must be placeable by city.

    Returns
    -------
    problems : list of Problem
        Cities the offline gazetteer does not know.
    warnings : list of Problem
        Each point that will be placed at its city centre.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    todo = [("venues.csv", venues[venues["lat"].isna() & (venues["lon"].isna())
                                  & (venues["city"] != "")],
             "has no coordinates; it is placed at the centre of {city} (city precision). Run "
             "`protest-map geocode` or fill in lat/lon"),
            ("protests.csv", protests[(protests["venue_id"] == "") & (protests["city"] != "")],
             "no venue_id; the protest is placed at the centre of {city} (city precision)")]
    for file, frame, text in todo:
        keys = frame[["city", "country"]].drop_duplicates()
        unknown = set()
        for city, country in keys.itertuples(index=False):
            if not gaz.candidates(city, country or None):
                unknown.add((city, country))
        for r in frame.itertuples():
            line = int(getattr(r, LINE))
            if (r.city, r.country) in unknown:
                problems.append(Problem(file, line, "city", f"{r.city!r} ({r.country}) is not in "
                                        "the offline gazetteer, so this row cannot be placed; give "
                                        "lat/lon (or a venue with lat/lon), or a nearby larger "
                                        "city"))
            else:
                warnings.append(Problem(file, line, "", text.format(city=r.city)))
    return problems, warnings


def approximation_warnings(venues: pd.DataFrame) -> list[Problem]:
    """Venues whose coordinates are approximate, or whose precision is not stated."""
    has = venues["lat"].notna()
    approx = has & venues["precision"].isin(("street", "city", "region", "country"))
    unstated = has & (venues["precision"] == "")
    out = [Problem("venues.csv", int(n), "precision",
                   f"{name!r} is placed approximately ({p} precision)")
           for n, name, p in zip(venues.loc[approx, LINE], venues.loc[approx, "name"],
                                 venues.loc[approx, "precision"])]
    out += _problems("venues.csv", venues, unstated, "precision",
                     "precision is blank; the point is treated as exact (venue). Say how exact "
                     "it is: venue, street, city, region or country")
    return out
