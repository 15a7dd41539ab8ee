#!/usr/bin/env bash
# Benchmark of issue 5's done-when: `dbkeeper inspect` (the whole PostgreSQL catalogue, one
# process, one connection) on a database of 10,000 tables, against check_postgres running its
# comparable actions on the same database the way Nagios runs them (one process per action).
# Prints both wall times and the ratio; exits 1 unless dbkeeper takes under 5 s and is at
# least 5x faster.
#
#   scripts/bench-inspect.sh [TABLES]        default 10000
#
# Needs the PostgreSQL 15 server binaries (scripts/setup.sh installs them); installs Debian's
# check-postgres when it is missing. The scratch cluster lives in a temporary directory on a
# free loopback port and is stopped and removed on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

TABLES=${1:-10000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
RUNS=3

say() { printf 'bench: %s\n' "$*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

if [ ! -x "$PGBIN/initdb" ]; then
  say "no PostgreSQL server binaries in $PGBIN (run scripts/setup.sh, or set PGBIN)"
  exit 69
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
# check_postgres, and Date::Parse, without which its `checkpoint` action refuses to run (an
# action that errors out at once would flatter the ratio).
wanted=()
command -v check_postgres >/dev/null 2>&1 || wanted+=(check-postgres)
perl -MDate::Parse -e 1 >/dev/null 2>&1 || wanted+=(libtimedate-perl)
if ((${#wanted[@]})); then
  say "installing ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
fi

say "building the release binary"
cargo build --release -q -p dbkeeper
DBKEEPER=$PWD/target/release/dbkeeper

# --- the scratch cluster ------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbkeeper-bench.XXXXXX")
DATA=$WORK/data
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$WORK"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then
    "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: nothing answers a connect on it.
PORT=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    PORT=$p
    break
  fi
done
[ -n "$PORT" ] || { say "no free port found"; exit 69; }

say "initdb in $DATA, port $PORT"
"${as_pg[@]}" "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 70; }
# fsync off only to create the tables quickly; it changes nothing for catalogue queries.
# max_locks_per_transaction: check_postgres' bloat query and ANALYZE touch every table.
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -s \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_locks_per_transaction=256" \
  start || { cat "$WORK/server.log" >&2; exit 70; }

psql_() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }

say "creating $TABLES tables (a primary key each, an index on every 5th, a foreign key on every 10th)"
t0=$(now_ns)
psql_ -c "CREATE TABLE parent (id int PRIMARY KEY)"
# COMMIT inside DO keeps the lock table small; it needs its own statement (psql -c, no BEGIN).
psql_ -c "DO \$\$ BEGIN
  FOR i IN 1..$TABLES LOOP
    EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v int, p int %s)', i,
      CASE WHEN i % 10 = 0 THEN 'REFERENCES parent' ELSE '' END);
    IF i % 5 = 0 THEN EXECUTE format('CREATE INDEX ON t%s (v)', i); END IF;
    IF i % 500 = 0 THEN COMMIT; END IF;
  END LOOP;
END \$\$"
psql_ -c "ANALYZE"
relations=$(psql_ -At -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")
say "created in $(secs $(($(now_ns) - t0))) s: $relations relations in schema public"

# --- dbkeeper -------------------------------------------------------------------------------
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
export DBKEEPER_STATE_DIR=$WORK/state
run_dbkeeper() {
  local code=0
  "$DBKEEPER" --format json inspect "$URL" >"$WORK/inspect.json" 2>"$WORK/inspect.err" || code=$?
  # 0-2 are verdicts; 3 and above mean it did not inspect, and then there is nothing to time.
  if [ "$code" -ge 3 ]; then
    say "dbkeeper inspect failed with exit code $code:"
    cat "$WORK/inspect.err" >&2
    exit 70
  fi
}
say "dbkeeper inspect: a warm-up run, then $RUNS timed runs"
t0=$(now_ns)
run_dbkeeper
cold_ns=$(($(now_ns) - t0))
times=()
for _ in $(seq 1 "$RUNS"); do
  t0=$(now_ns)
  run_dbkeeper
  times+=($(($(now_ns) - t0)))
done
# The median of the timed runs: one slow outlier neither helps nor hurts.
ours_ns=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
checks=$(grep -c '"check": "PG-' "$WORK/inspect.json" || true)
say "dbkeeper: $checks checks; cold $(secs "$cold_ns") s; runs: $(for t in "${times[@]}"; do printf '%s ' "$(secs "$t")"; done)"

# --- check_postgres -------------------------------------------------------------------------
# The actions that cover what the catalogue checks, with the thresholds those without defaults
# insist on (the same list as crates/dbkeeper-inspect/examples/bench_catalogue.rs).
actions=(
  "archive_ready" "autovac_freeze" "backends" "bloat" "checkpoint --warning=3600 --datadir=$DATA"
  "commitratio" "database_size --warning=100GB" "disabled_triggers" "hitratio"
  "index_size --warning=10GB" "last_analyze" "last_autoanalyze" "last_autovacuum" "last_vacuum"
  "locks" "prepared_txns" "query_time --warning=60 --critical=120" "relation_size --warning=10GB"
  "replication_slots --warning=1GB" "sequence"
  "settings_checksum --warning=00000000000000000000000000000000" "table_size --warning=10GB"
  "txn_idle --warning=60 --critical=120" "txn_time --warning=60 --critical=120" "txn_wraparound"
  "wal_files"
)
say "check_postgres: ${#actions[@]} actions, one process each"
unknown=0
t0=$(now_ns)
for a in "${actions[@]}"; do
  read -r -a words <<<"$a"
  # pg_controldata (for `checkpoint`) lives beside the server binaries on Debian.
  line=$(PATH="$PGBIN:$PATH" PGCONNECT_TIMEOUT=10 check_postgres --action="${words[0]}" "${words[@]:1}" \
    -H 127.0.0.1 -p "$PORT" -u postgres -db postgres 2>&1 | head -n 1 || true)
  case "$line" in
    *UNKNOWN* | *ERROR* | "") unknown=$((unknown + 1)) ;;
  esac
  printf '  %-18s %s\n' "${words[0]}" "${line:0:110}" >&2
done
theirs_ns=$(($(now_ns) - t0))

# --- result ---------------------------------------------------------------------------------
ratio=$(awk -v a="$theirs_ns" -v b="$ours_ns" 'BEGIN { printf "%.1f", a / b }')
echo "tables:          $TABLES ($relations relations)"
echo "dbkeeper:        $(secs "$ours_ns") s for $checks checks (median of $RUNS, whole process; cold run $(secs "$cold_ns") s)"
echo "check_postgres:  $(secs "$theirs_ns") s for ${#actions[@]} actions ($unknown answered UNKNOWN or ERROR)"
echo "ratio:           dbkeeper is ${ratio}x faster"

ok=1
if [ "$ours_ns" -ge 5000000000 ]; then
  echo "FAIL: dbkeeper took 5 s or more" >&2
  ok=0
fi
if awk -v r="$ratio" 'BEGIN { exit !(r < 5) }'; then
  echo "FAIL: less than 5x faster than check_postgres" >&2
  ok=0
fi
[ "$ok" -eq 1 ] && echo "ok: under 5 s and at least 5x faster"
[ "$ok" -eq 1 ]
