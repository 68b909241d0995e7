#!/usr/bin/env bash
# Makes sure the services pup's tests need are up: PostgreSQL 15 on 127.0.0.1:5432 with the
# pgvector extension available, and Redis on 127.0.0.1:6379; and that Debian's Chromium is at
# /usr/bin/chromium for the demo's browser test (playwright-core drives it; it downloads no
# browser of its own). `bun run test` calls it first.
#
# When everything already runs it only checks (well under a second) and changes nothing. Otherwise,
# on Debian and as root (or with passwordless sudo), it installs the missing Debian packages,
# starts what is stopped, and builds pgvector from Debian trixie's source package (bookworm has
# none), fetched with a private apt source list so the system's apt setup stays untouched.
#
# Environment:
#   PUP_SKIP_SERVICES=1      do nothing (you run your own PostgreSQL+pgvector and Redis)
#   PUP_REDIS_PORT           port Redis is expected on (default 6379)
#   PUP_SERVICES_TIMEOUT     seconds to wait for a service to accept connections (default 30)
#   PUP_OS_RELEASE           os-release file to identify the system (default /etc/os-release)
#   PUP_APT_SOURCES          apt deb822 file whose URIs: line names the Debian archive
#                            (default /etc/apt/sources.list.d/debian.sources)
#   PUP_PGVECTOR_DESTDIR     only build pgvector and stage it under this directory, leaving the
#                            system PostgreSQL alone (checks the build path where it is installed)
set -euo pipefail

readonly PG_MAJOR=15
readonly PG_PORT=5432
readonly PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
readonly REDIS_PORT="${PUP_REDIS_PORT:-6379}"
readonly TIMEOUT="${PUP_SERVICES_TIMEOUT:-30}"
readonly OS_RELEASE="${PUP_OS_RELEASE:-/etc/os-release}"
readonly APT_SOURCES="${PUP_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}"
readonly STARTED_AT="${EPOCHREALTIME}"

say() { printf '%s\n' "$*"; }
die() {
  printf 'ensure-services: error: %s\n' "$*" >&2
  exit 1
}

# --- checks (no privileges needed) -------------------------------------------------------------

# Prints "<server version>|<t or f: vector available>", or fails when PostgreSQL does not answer.
postgres_status() {
  command -v psql >/dev/null || return 1
  psql -X -q -A -t -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -F '|' -c \
    "SELECT current_setting('server_version'),
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')" 2>/dev/null
}

# Prints the Redis version by speaking the protocol over bash's /dev/tcp, so redis-cli is optional.
redis_version() (
  exec 3<>"/dev/tcp/127.0.0.1/${REDIS_PORT}" || exit 1
  printf 'INFO server\r\n' >&3
  while IFS= read -r -t 2 line <&3; do
    line="${line%$'\r'}"
    if [[ "$line" == redis_version:* ]]; then
      printf '%s\n' "${line#redis_version:}"
      exit 0
    fi
  done
  exit 1
) 2>/dev/null

# Polls a check function until it succeeds or the timeout passes.
wait_for() {
  local what="$1" check="$2" deadline=$((SECONDS + TIMEOUT))
  until "$check" >/dev/null; do
    ((SECONDS < deadline)) || die "$what did not accept connections within ${TIMEOUT} s"
    sleep 0.2
  done
}

# --- privileges and system -----------------------------------------------------------------------

SUDO_CHECKED=0
SUDO=()
require_debian() {
  [[ -r "$OS_RELEASE" ]] || die "cannot read $OS_RELEASE to identify the system"
  local id
  id="$(. "$OS_RELEASE" && printf '%s' "${ID:-unknown}")"
  [[ "$id" == debian ]] ||
    die "this is not Debian (ID=$id in $OS_RELEASE), so PostgreSQL ${PG_MAJOR}, pgvector and" \
      "Redis cannot be installed from Debian's packages here; start them yourself" \
      "(127.0.0.1:${PG_PORT}, user postgres, trust auth; 127.0.0.1:${REDIS_PORT})" \
      "and run with PUP_SKIP_SERVICES=1"
}

# Decides how to run commands as root: directly when we are root, through passwordless sudo
# otherwise; stops with a clear error when neither is possible.
require_root() {
  ((SUDO_CHECKED == 0)) || return 0
  SUDO_CHECKED=1
  ((EUID != 0)) || return 0
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
    return
  fi
  die "installing or starting services needs root (running as $(id -un)," \
    "no passwordless sudo); run as root, or start PostgreSQL ${PG_MAJOR} with pgvector" \
    "and Redis yourself and set PUP_SKIP_SERVICES=1"
}

as_root() {
  require_root
  "${SUDO[@]}" "$@"
}

APT_UPDATED=0
apt_install() {
  if ((APT_UPDATED == 0)); then
    say "apt: updating package lists"
    as_root apt-get update -qq -o APT::Update::Error-Mode=any ||
      die "apt-get update failed: is the Debian archive reachable?"
    APT_UPDATED=1
  fi
  say "apt: installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >/dev/null || die "apt-get install $* failed"
}

is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

# --- PostgreSQL ----------------------------------------------------------------------------------

# "<version>|<t/f>" from the last successful check, so the quick path asks PostgreSQL only once.
PG_STATUS=""
ensure_postgres() {
  local status
  if status="$(postgres_status)"; then
    PG_STATUS="$status"
    say "postgres: ${status%%|*} running on 127.0.0.1:${PG_PORT}"
    return
  fi
  say "postgres: not answering on 127.0.0.1:${PG_PORT}, setting it up"
  require_debian
  require_root
  local fresh=0
  if [[ ! -x "$PG_BIN/postgres" ]] || ! command -v pg_ctlcluster >/dev/null; then
    apt_install "postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}"
    fresh=1
  fi
  if ! pg_lsclusters -h "$PG_MAJOR" main >/dev/null 2>&1; then
    as_root pg_createcluster --port "$PG_PORT" "$PG_MAJOR" main >/dev/null
    fresh=1
  fi
  if ((fresh == 1)); then
    # A cluster we just made is a local test server: let the tests connect as postgres without a
    # password, which is how they are configured (never done to a cluster that was already there).
    local hba="/etc/postgresql/${PG_MAJOR}/main/pg_hba.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_root tee "$hba" >/dev/null
  fi
  if [[ "$(pg_lsclusters -h "$PG_MAJOR" main | awk '{print $4}')" != online ]]; then
    say "postgres: starting cluster ${PG_MAJOR}/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start ||
      die "pg_ctlcluster could not start PostgreSQL ${PG_MAJOR}/main (see /var/log/postgresql/)"
  elif ((fresh == 1)); then
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main reload
  fi
  wait_for "PostgreSQL on 127.0.0.1:${PG_PORT}" postgres_status
  status="$(postgres_status)"
  PG_STATUS="$status"
  say "postgres: ${status%%|*} running on 127.0.0.1:${PG_PORT}"
}

# --- Redis ---------------------------------------------------------------------------------------

ensure_redis() {
  local version
  if version="$(redis_version)"; then
    say "redis: ${version} running on 127.0.0.1:${REDIS_PORT}"
    return
  fi
  say "redis: not answering on 127.0.0.1:${REDIS_PORT}, setting it up"
  require_debian
  require_root
  command -v redis-server >/dev/null || apt_install redis-server
  # The package may have started its own server on the default port already.
  if ! redis_version >/dev/null; then
    say "redis: starting redis-server (no persistence)"
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
      --appendonly no --dir "${TMPDIR:-/tmp}" \
      --logfile "${TMPDIR:-/tmp}/pup-redis-${REDIS_PORT}.log" ||
      die "redis-server did not start (see ${TMPDIR:-/tmp}/pup-redis-${REDIS_PORT}.log)"
  fi
  wait_for "Redis on 127.0.0.1:${REDIS_PORT}" redis_version
  say "redis: $(redis_version) running on 127.0.0.1:${REDIS_PORT}"
}

# --- pgvector ------------------------------------------------------------------------------------

# The Debian archive this machine already uses: the first non-security URIs: entry.
debian_archive_uri() {
  [[ -r "$APT_SOURCES" ]] || die "cannot read $APT_SOURCES to find this machine's Debian archive"
  local uri
  uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
    "$APT_SOURCES")"
  [[ -n "$uri" ]] || die "no Debian archive (URIs: line) found in $APT_SOURCES"
  printf '%s\n' "${uri%/}"
}

build_pgvector() {
  local destdir="${1:-}" uri work
  uri="$(debian_archive_uri)"
  work="$(mktemp -d -t pup-pgvector.XXXXXX)"
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -rf '$work'" EXIT
  chmod 755 "$work" # apt's download sandbox user must be able to write here
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  chmod -R 777 "$work/src"
  printf 'deb-src %s trixie main\n' "$uri" >"$work/sources.list"
  # Private source list, index and cache: the system's apt configuration and state stay as they are.
  local apt=(apt-get -q -o "Dir::Etc::sourcelist=$work/sources.list"
    -o Dir::Etc::sourceparts=/nonexistent -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache" -o Acquire::Retries=0 -o APT::Update::Error-Mode=any)

  say "pgvector: fetching the source package from Debian trixie ($uri)"
  "${apt[@]}" update >"$work/apt.log" 2>&1 ||
    die "cannot reach the Debian archive at $uri (apt-get update failed):" \
      "$(grep -E '^(E|W|Err):' "$work/apt.log" | head -3)"
  (cd "$work/src" && "${apt[@]}" source --download-only pgvector >>"$work/apt.log" 2>&1) ||
    die "apt-get source pgvector failed: $(tail -3 "$work/apt.log")"
  local tarball version
  tarball="$(find "$work/src" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | head -1)"
  [[ -n "$tarball" ]] || die "the pgvector source package has no .orig tarball"
  version="$(basename "$tarball")"
  version="${version#pgvector_}"
  version="${version%%.orig.tar.*}"
  say "pgvector: building from Debian source package ${version} …"

  is_installed "postgresql-server-dev-${PG_MAJOR}" || apt_install "postgresql-server-dev-${PG_MAJOR}"
  if ! command -v make >/dev/null || ! command -v gcc >/dev/null; then
    apt_install build-essential
  fi

  mkdir "$work/build"
  tar -xf "$tarball" -C "$work/build" --strip-components=1
  local make_args=(-C "$work/build" "PG_CONFIG=$PG_BIN/pg_config")
  make "${make_args[@]}" -j"$(nproc)" >"$work/build.log" 2>&1 ||
    die "building pgvector failed:"$'\n'"$(tail -20 "$work/build.log")"
  if [[ -n "$destdir" ]]; then
    make "${make_args[@]}" install "DESTDIR=$destdir" >>"$work/build.log" 2>&1 ||
      die "staging pgvector in $destdir failed:"$'\n'"$(tail -20 "$work/build.log")"
    say "pgvector: ${version} staged under $destdir"
  else
    as_root make "${make_args[@]}" install >>"$work/build.log" 2>&1 ||
      die "installing pgvector failed:"$'\n'"$(tail -20 "$work/build.log")"
    say "pgvector: ${version} installed"
  fi
}

ensure_pgvector() {
  if [[ "$PG_STATUS" == *'|t' ]]; then
    say "pgvector: present, skipping"
    return
  fi
  say "pgvector: missing from PostgreSQL ${PG_MAJOR}"
  require_debian
  require_root
  build_pgvector
  [[ "$(postgres_status)" == *'|t' ]] ||
    die "pgvector was installed but PostgreSQL still does not list the vector extension"
}

# --- Chromium (browser tests) ---------------------------------------------------------------------

readonly CHROMIUM=/usr/bin/chromium

ensure_chromium() {
  if [[ -x "$CHROMIUM" ]]; then
    say "chromium: present, skipping"
    return
  fi
  say "chromium: missing, installing Debian's package for the browser tests"
  [[ -r "$OS_RELEASE" && "$(. "$OS_RELEASE" && printf '%s' "${ID:-}")" == debian ]] ||
    die "this is not Debian, so Chromium cannot be installed from Debian's packages here;" \
      "install Chromium at $CHROMIUM yourself for the demo's browser test"
  apt_install chromium
  [[ -x "$CHROMIUM" ]] || die "the chromium package installed no $CHROMIUM"
}

# --- main ----------------------------------------------------------------------------------------

if [[ "${PUP_SKIP_SERVICES:-}" == 1 ]]; then
  say "services: PUP_SKIP_SERVICES=1, skipped (bring your own PostgreSQL ${PG_MAJOR} with pgvector and Redis)"
  exit 0
fi
if [[ -n "${PUP_PGVECTOR_DESTDIR:-}" ]]; then
  require_debian
  build_pgvector "$PUP_PGVECTOR_DESTDIR"
  exit 0
fi
ensure_postgres
ensure_redis
ensure_pgvector
ensure_chromium
say "services: ready in $(awk -v a="$STARTED_AT" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s"
