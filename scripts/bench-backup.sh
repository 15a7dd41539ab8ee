#!/usr/bin/env bash
# Benchmark of issue 3's Performance section: dbkeeper's backups and restores against the anchor
# tools, on the same data, in the same run, on scratch servers of its own.
#
#   PostgreSQL logical backup   dbkeeper vs `pg_dump -Fp | zstd -T2 -3 | age -r KEY` (time <= 1.0x,
#                               stored size <= 1.05x) and vs `pg_dump -Fc` (time <= 0.4x)
#   PostgreSQL logical restore  dbkeeper vs `pg_restore -j2` of the -Fc dump (time <= 1.0x)
#   PostgreSQL physical backup  dbkeeper --kind physical vs `pgbackrest backup --type=full`
#                               (compress-type=zst, process-max=2, start-fast) (time <= 1.0x)
#   MariaDB logical backup      dbkeeper vs `mariadb-dump --single-transaction | zstd -T2 -3 | age`
#                               (time <= 1.0x) and vs `mydumper -t 2 -c` (time <= 0.7x)
#   MariaDB logical restore     dbkeeper vs `age -d | zstd -d | mariadb` of that dump (time <= 0.5x)
#   Peak RSS of dbkeeper        every dbkeeper run above, via /usr/bin/time -f %M (<= 150 MiB)
# For each: wall time, bytes stored, peak RSS, the ratio and PASS/FAIL (or SKIP when an anchor
# tool is missing or cannot be made to work). dbkeeper runs with --jobs 2, zstd level 3 on 2
# threads and one age recipient, like the anchors. After every logical restore (dbkeeper's and
# the anchors') each table's row count is compared with the source by an independent
# psql / mariadb query.
#
# Data: `pgbench -i -s $SCALE` plus bench_notes, SCALE*7,500 rows of ~1 KB md5-based text (300k
# rows at the default SCALE=40, ~1 GB in all); the same tables and row counts in MariaDB, made
# with SQL from the Sequence engine (seq_1_to_N).
#
#   scripts/bench-backup.sh                  the ~1 GB run the issue asks for (SCALE=40)
#   SCALE=4 scripts/bench-backup.sh          a quick run (~100 MB)
#   RUNS=3 scripts/bench-backup.sh           each measurement 3 times, anchors and dbkeeper
#                                            alternating; the medians are compared [default: 1]
#   OUT=/tmp/b.json scripts/bench-backup.sh  where the JSON results go [default: bench-backup.json]
#   DBKEEPER=/path/to/dbkeeper ...           use that binary instead of building target/release
#   ENGINES=mariadb scripts/bench-backup.sh  only that engine's lines (postgres, mariadb, or
#                                            both comma-separated) [default: postgres,mariadb]
#
# Exit 0 when everything ran, whatever the ratios (it is a measurement); 1 when dbkeeper failed
# (a backup or restore error, or a restore whose row counts differ from the source); 69 when a
# required tool is missing; 70 when a scratch server would not start.
#
# Needs: the PostgreSQL 15 server binaries with pgbench, mariadb-server and mariadb-client
# (scripts/setup.sh installs them), cargo; installs with apt-get, when missing, zstd, age, jq,
# time, pgbackrest and mydumper (the last two are optional: their lines are skipped without
# them). It starts its own PostgreSQL and MariaDB on free loopback ports in a temporary directory
# (as the postgres / mysql users when run as root) and stops and removes them on exit, whatever
# happens; the system servers are not touched. Timings on a shared machine move with whatever
# else runs meanwhile: the load average is recorded, and RUNS=3 compares medians.
set -euo pipefail

ORIG_PWD=$PWD
cd "$(dirname "$0")/.."
REPO_ROOT=$PWD

SCALE=${SCALE:-40}
ENGINES=${ENGINES:-postgres,mariadb}
RUNS=${RUNS:-1}
OUT=${OUT:-bench-backup.json}
case "$OUT" in /*) ;; *) OUT=$ORIG_PWD/$OUT ;; esac
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
JOBS=2
RSS_TARGET_MIB=150

say() { printf 'bench: %s\n' "$*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

for v in SCALE RUNS; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
    say "$v must be a positive integer, not '${!v}'"
    exit 64
  fi
done
NOTES_ROWS=$((SCALE * 7500))
want() { [[ ",$ENGINES," == *",$1,"* ]]; }
want postgres || want mariadb || { say "ENGINES must name postgres, mariadb or both, not '$ENGINES'"; exit 64; }
# Each engine's sections run this many times (0: not measured).
PG_RUNS=0 MY_RUNS=0
want postgres && PG_RUNS=$RUNS
want mariadb && MY_RUNS=$RUNS
PG_DB_BYTES=0 MY_DB_BYTES=0

# --- tools ---------------------------------------------------------------------------------
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
apt_updated=""
install_pkg() { # PACKAGE: installs it; false when the repositories do not have it
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    "${sudo[@]}" apt-get update -qq || true
    apt_updated=1
  fi
  say "installing $1"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1
}
have() { command -v "$1" >/dev/null 2>&1; }

for pair in zstd:zstd age:age jq:jq /usr/bin/time:time; do
  cmd=${pair%%:*} pkg=${pair#*:}
  if ! have "$cmd"; then
    install_pkg "$pkg" || { say "cannot install $pkg, which this benchmark needs"; exit 69; }
  fi
done
if [ ! -x "$PGBIN/pgbench" ]; then
  install_pkg postgresql-contrib || install_pkg postgresql-client-15 || true
fi
for p in initdb pg_ctl pgbench pg_dump pg_restore psql; do
  if [ ! -x "$PGBIN/$p" ]; then
    say "no $PGBIN/$p (run scripts/setup.sh, or set PGBIN)"
    exit 69
  fi
done
for p in mariadb mariadb-dump mariadb-admin mariadbd mariadb-install-db; do
  have "$p" || { say "no $p (run scripts/setup.sh)"; exit 69; }
done
# Optional anchors: their lines are skipped when the package is not to be had.
HAVE_PGBACKREST="" HAVE_MYDUMPER=""
if have pgbackrest || install_pkg pgbackrest; then HAVE_PGBACKREST=1; else
  say "package pgbackrest is not available: the physical backup line will be skipped"
fi
if have mydumper || install_pkg mydumper; then HAVE_MYDUMPER=1; else
  say "package mydumper is not available: the mydumper line will be skipped"
fi
TIME=/usr/bin/time

if [ -z "${DBKEEPER:-}" ]; then
  say "building the release binary"
  cargo build --release -q -p dbkeeper
  DBKEEPER=$REPO_ROOT/target/release/dbkeeper
fi
[ -x "$DBKEEPER" ] || { say "no dbkeeper binary at $DBKEEPER"; exit 69; }

# --- the scratch directory and servers -----------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbkeeper-bench-backup.XXXXXX")
chmod 755 "$WORK"
mkdir -p "$WORK/pg" "$WORK/my/data" "$WORK/my/tmp" "$WORK/pgbackrest" "$WORK/out" "$WORK/dumps"
as_pg=() as_my=() my_user=()
if [ "$(id -u)" -eq 0 ]; then
  # The servers refuse to run as root: their files belong to their service users.
  chown postgres: "$WORK/pg" "$WORK/pgbackrest"
  chown -R mysql: "$WORK/my"
  as_pg=(runuser -u postgres --)
  as_my=(runuser -u mysql --)
  my_user=(--user=mysql)
fi
PGDATA_DIR=$WORK/pg/data
MYSQLD_PID=""

# shellcheck disable=SC2317 # called by the trap
cleanup() {
  local rc=$?
  if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$MYSQLD_PID" ] && kill -0 "$MYSQLD_PID" 2>/dev/null; then
    kill -TERM "$MYSQLD_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$MYSQLD_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$MYSQLD_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A copy of its own: a build in the shared target directory during the run must not swap the
# binary between two measurements.
cp "$DBKEEPER" "$WORK/dbkeeper"
DBKEEPER=$WORK/dbkeeper

# Free ports: nothing answers a connect on them.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if [ "$p" != "${1:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
PGPORT=$(free_port) || { say "no free port found"; exit 69; }
MYPORT=$(free_port "$PGPORT") || { say "no free port found"; exit 69; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "scratch directory $WORK; load average $LOAD_BEFORE"

say "PostgreSQL 15 on port $PGPORT"
"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$WORK/pg/initdb.log" 2>&1 || { cat "$WORK/pg/initdb.log" >&2; exit 70; }
# In postgresql.conf, not on the command line: archive_command changes later (ALTER SYSTEM +
# reload) for pgBackRest, and command-line settings would override that. Until then the WAL of
# the data load is thrown away rather than archived.
cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK/pg'
shared_buffers = 256MB
maintenance_work_mem = 256MB
work_mem = 16MB
max_wal_size = 4GB
checkpoint_timeout = 30min
wal_level = replica
archive_mode = on
archive_command = '/bin/true'
EOF
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/pg/server.log" -w -s -t 120 start \
  || { cat "$WORK/pg/server.log" >&2; exit 70; }

psql_() { # DB ARGS...
  local db=$1
  shift
  PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$db" "$@"
}

say "MariaDB on port $MYPORT"
MYSOCK=$WORK/my/mysqld.sock
"${as_my[@]}" mariadb-install-db --no-defaults --datadir="$WORK/my/data" --tmpdir="$WORK/my/tmp" \
  --auth-root-authentication-method=normal --skip-test-db >"$WORK/my/install.log" 2>&1 \
  || { cat "$WORK/my/install.log" >&2; exit 70; }
mariadbd --no-defaults "${my_user[@]}" --datadir="$WORK/my/data" --tmpdir="$WORK/my/tmp" \
  --port="$MYPORT" --bind-address=127.0.0.1 --socket="$MYSOCK" --pid-file="$WORK/my/mysqld.pid" \
  --log-error="$WORK/my/mysqld.err" --skip-name-resolve --server-id=1 \
  --log-bin="$WORK/my/data/binlog" --innodb-buffer-pool-size=512M --innodb-log-file-size=512M \
  --max-allowed-packet=256M --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  </dev/null >/dev/null 2>&1 &
MYSQLD_PID=$!
up=""
for _ in $(seq 1 120); do
  if mariadb-admin --no-defaults --socket="$MYSOCK" -uroot ping >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$MYSQLD_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$up" ]; then
  say "MariaDB did not start:"
  tail -n 30 "$WORK/my/mysqld.err" >&2 || true
  exit 70
fi
# Normal authentication, root without a password; with skip-name-resolve a TCP connection from
# 127.0.0.1 is root@127.0.0.1, which install-db does not create.
mariadb --no-defaults --socket="$MYSOCK" -uroot -e "
  CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
  GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
my_() { # ARGS...: the client over TCP, the way dbkeeper and the dump tools connect
  mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MYPORT" -uroot "$@"
}

# --- data ------------------------------------------------------------------------------------
# ~1 KB of text per row: md5 hex of the row number (random-ish, as compressible as prose is
# roughly) behind a few words; the same expression, and so the same bytes, in both engines.
notes_body() { # COLUMN
  local parts=() i
  for i in $(seq 1 28); do parts+=("md5(concat($1, '-', $i))"); done
  local IFS=,
  printf "concat_ws(' ', 'Note', %s %% 97, 'chief complaint: cough for', %s %% 30, 'days.', %s)" \
    "$1" "$1" "${parts[*]}"
}

if want postgres; then
say "PostgreSQL data: pgbench -i -s $SCALE and $NOTES_ROWS rows of text"
t0=$(now_ns)
psql_ postgres -c "CREATE DATABASE bench"
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PGPORT" -U postgres bench \
  >"$WORK/pg/pgbench.log" 2>&1 || { cat "$WORK/pg/pgbench.log" >&2; exit 70; }
psql_ bench <<EOF
CREATE TABLE bench_notes (id int PRIMARY KEY, patient text, body text, created timestamptz);
INSERT INTO bench_notes
  SELECT g, 'patient ' || g, $(notes_body g), timestamptz '2024-01-01' + g * interval '1 second'
  FROM generate_series(1, $NOTES_ROWS) g;
EOF
# Hint bits set and the table in the cache before anything is timed.
psql_ bench -c "VACUUM ANALYZE"
psql_ bench -c "CHECKPOINT"
PG_DB_BYTES=$(psql_ bench -At -c "SELECT pg_database_size('bench')")
say "PostgreSQL data loaded in $(secs $(($(now_ns) - t0))) s: $(mib "$PG_DB_BYTES") MiB"
fi

if want mariadb; then
say "MariaDB data: the same tables and row counts"
t0=$(now_ns)
my_ >/dev/null <<EOF
SET SESSION sql_log_bin = 0;
CREATE DATABASE bench CHARACTER SET utf8mb4;
USE bench;
CREATE TABLE pgbench_branches (bid INT NOT NULL PRIMARY KEY, bbalance INT, filler CHAR(88));
CREATE TABLE pgbench_tellers (tid INT NOT NULL PRIMARY KEY, bid INT, tbalance INT, filler CHAR(84));
CREATE TABLE pgbench_accounts (aid INT NOT NULL PRIMARY KEY, bid INT, abalance INT, filler CHAR(84));
CREATE TABLE pgbench_history (tid INT, bid INT, aid INT, delta INT, mtime DATETIME, filler CHAR(22));
CREATE TABLE bench_notes (id INT NOT NULL PRIMARY KEY, patient VARCHAR(40), body TEXT, created DATETIME);
INSERT INTO pgbench_branches SELECT seq, 0, NULL FROM seq_1_to_$SCALE;
INSERT INTO pgbench_tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, NULL FROM seq_1_to_$((SCALE * 10));
INSERT INTO pgbench_accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, '' FROM seq_1_to_$((SCALE * 100000));
INSERT INTO bench_notes
  SELECT seq, CONCAT('patient ', seq), $(notes_body seq), '2024-01-01' + INTERVAL seq SECOND
  FROM seq_1_to_$NOTES_ROWS;
ANALYZE TABLE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history, bench_notes;
EOF
MY_DB_BYTES=$(my_ -N -e "SELECT SUM(data_length + index_length) FROM information_schema.tables
  WHERE table_schema = 'bench'")
say "MariaDB data loaded in $(secs $(($(now_ns) - t0))) s: $(mib "$MY_DB_BYTES") MiB"
fi

# Row counts of every base table, "schema.table count" a line, by plain client queries.
pg_counts() { # DB
  local t
  psql_ "$1" -At -c "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1" |
    while read -r t; do
      printf '%s %s\n' "$t" "$(psql_ "$1" -At -c "SELECT count(*) FROM $t")"
    done
}
my_counts() { # DB
  local t
  my_ -N -e "SELECT table_name FROM information_schema.tables
    WHERE table_schema = '$1' AND table_type = 'BASE TABLE' ORDER BY 1" |
    while read -r t; do
      printf '%s %s\n' "$t" "$(my_ -N -e "SELECT COUNT(*) FROM \`$1\`.\`$t\`")"
    done
}
: >"$WORK/pg/counts.source"
: >"$WORK/my/counts.source"
if want postgres; then pg_counts bench >"$WORK/pg/counts.source"; fi
if want mariadb; then my_counts bench >"$WORK/my/counts.source"; fi
say "PostgreSQL rows: $(tr '\n' ' ' <"$WORK/pg/counts.source")"
say "MariaDB rows: $(tr '\n' ' ' <"$WORK/my/counts.source")"

# --- measuring -------------------------------------------------------------------------------
declare -A SECS=() TIMES=() RSS=() BYTES=() FAILED=()
DBK_FAILED=0
FAILURES=()

# measure KEY CMD...: runs CMD under /usr/bin/time (peak RSS of the largest process, in KiB),
# its output into $WORK/out/KEY.{out,err}; the wall time from this shell's clock. With RUNS > 1
# the times of all runs are kept (SECS is their median) and RSS is the largest.
measure() {
  local key=$1 t0 rc=0 rss
  shift
  sync
  t0=$(now_ns)
  "$TIME" -f %M -o "$WORK/out/$key.rss" "$@" >"$WORK/out/$key.out" 2>"$WORK/out/$key.err" || rc=$?
  TIMES[$key]+="$(secs $(($(now_ns) - t0))) "
  SECS[$key]=$(median "${TIMES[$key]}")
  rss=$(tail -n 1 "$WORK/out/$key.rss")
  if [ -z "${RSS[$key]:-}" ] || [ "$rss" -gt "${RSS[$key]}" ]; then RSS[$key]=$rss; fi
  if [ "$rc" -ne 0 ]; then
    FAILED[$key]="exit $rc: $(tail -n 3 "$WORK/out/$key.err" | tr '\n' ' ')"
    say "$key failed with exit $rc:"
    tail -n 20 "$WORK/out/$key.err" >&2
  fi
  return "$rc"
}
# An anchor's failure is reported and its lines skipped; dbkeeper's makes the script fail.
dbk_failed() { # KEY WHAT
  DBK_FAILED=1
  FAILURES+=("$2: ${FAILED[$1]:-failed}")
}
q() { printf '%q' "$1"; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END {
  printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

DBK=("$DBKEEPER" --state-dir "$WORK/state")
KEY=$WORK/backup.key
RECIPIENT=$("${DBK[@]}" keygen --out "$KEY" 2>"$WORK/out/keygen.err" | tr -d '[:space:]')
case "$RECIPIENT" in age1*) ;; *)
  say "dbkeeper keygen printed no age recipient: '$RECIPIENT'"
  exit 1
  ;;
esac
# The anchors encrypt to the same recipient; dbkeeper's key file is an age identity file.
ANCHOR_KEY=$KEY
if ! age -d -i "$KEY" <(age -r "$RECIPIENT" <<<probe) >/dev/null 2>&1; then
  say "age cannot use dbkeeper's key file; the anchors get a key of their own (age-keygen)"
  ANCHOR_KEY=$WORK/anchor.key
  age-keygen -o "$ANCHOR_KEY" 2>/dev/null
fi
ANCHOR_RECIPIENT=$(age-keygen -y "$ANCHOR_KEY" 2>/dev/null || echo "$RECIPIENT")

# dbkeeper's stored bytes: the objects of the manifest in its JSON output, else the repository.
dbk_stored() { # KEY REPO_DIR
  local n
  n=$(jq '[.repos[0].manifest.objects[]?.stored_size_bytes // 0] | add // 0' \
    "$WORK/out/$1.out" 2>/dev/null || echo 0)
  if [ "${n:-0}" = 0 ] || [ "$n" = null ]; then n=$(du -sb "$2" | cut -f1); fi
  echo "$n"
}
# What to restore: the id from the backup's JSON output, else the target's newest backup.
dbk_which() { # KEY URL
  local id
  id=$(jq -r '.id // empty' "$WORK/out/$1.out" 2>/dev/null || true)
  if [ -n "$id" ]; then echo "$id"; else printf 'latest\n--target\n%s\n' "$2"; fi
}

check_counts() { # ENGINE DB KEY: compares the restored row counts with the source's
  local engine=$1 db=$2 key=$3 src
  if [ "$engine" = pg ]; then
    pg_counts "$db" >"$WORK/out/$key.counts"
    src=$WORK/pg/counts.source
  else
    my_counts "$db" >"$WORK/out/$key.counts"
    src=$WORK/my/counts.source
  fi
  if diff -u "$src" "$WORK/out/$key.counts" >"$WORK/out/$key.diff"; then
    say "$key: row counts of all $(wc -l <"$src") tables equal the source's"
    return 0
  fi
  say "$key: row counts differ from the source:"
  cat "$WORK/out/$key.diff" >&2
  FAILED[$key]="row counts differ: $(grep '^[-+][^-+]' "$WORK/out/$key.diff" | tr '\n' ' ')"
  return 1
}
settle_pg() { psql_ postgres -c CHECKPOINT; sync; }
settle_my() { my_ -e "FLUSH TABLES" && sync; }

PG_URL="postgres://postgres@127.0.0.1:$PGPORT/bench"
MY_URL="mysql://root@127.0.0.1:$MYPORT/bench"
DBK_COMMON=(--recipient "$RECIPIENT" --jobs "$JOBS" --zstd-level 3 --zstd-threads 2 --format json -q)

# --- PostgreSQL logical --------------------------------------------------------------------
# With RUNS > 1 each section runs RUNS times, the anchors and dbkeeper alternating, so that a
# burst of other work on the machine hits both sides alike; the report takes the medians.
tag() { if [ "$RUNS" -gt 1 ]; then printf ' (run %s/%s)' "$run" "$RUNS"; fi; }
ok() { [ -z "${FAILED[$1]:-}" ]; }
PG_CONN="-h 127.0.0.1 -p $PGPORT -U postgres"
PG_REPO=$WORK/repo-pg-logical
for ((run = 1; run <= PG_RUNS; run++)); do
  if ok pg_pipe; then
    say "pg logical backup: pg_dump -Fp | zstd -T2 -3 | age$(tag)"
    settle_pg
    measure pg_pipe bash -o pipefail -c "$(q "$PGBIN/pg_dump") $PG_CONN -Fp bench \
      | zstd -q -T2 -3 | age -r $(q "$ANCHOR_RECIPIENT") > $(q "$WORK/dumps/pg.sql.zst.age")" &&
      BYTES[pg_pipe]=$(stat -c %s "$WORK/dumps/pg.sql.zst.age")
  fi

  if ok pg_fc; then
    say "pg logical backup: pg_dump -Fc$(tag)"
    settle_pg
    measure pg_fc "$PGBIN/pg_dump" -h 127.0.0.1 -p "$PGPORT" -U postgres -Fc \
      -f "$WORK/dumps/pg.dump" bench && BYTES[pg_fc]=$(stat -c %s "$WORK/dumps/pg.dump")
  fi

  if ok dbk_pg_backup; then
    say "pg logical backup: dbkeeper$(tag)"
    settle_pg
    if measure dbk_pg_backup "${DBK[@]}" backup "$PG_URL" --repo "file://$PG_REPO" "${DBK_COMMON[@]}"; then
      BYTES[dbk_pg_backup]=$(dbk_stored dbk_pg_backup "$PG_REPO")
    else
      dbk_failed dbk_pg_backup "pg logical backup"
    fi
  fi

  if ok pg_fc && ok pg_restore; then
    say "pg logical restore: pg_restore -j2$(tag)"
    psql_ postgres -c "CREATE DATABASE restore_anchor"
    settle_pg
    measure pg_restore "$PGBIN/pg_restore" -h 127.0.0.1 -p "$PGPORT" -U postgres -j "$JOBS" \
      -d restore_anchor "$WORK/dumps/pg.dump" || true
    check_counts pg restore_anchor pg_restore || true
    psql_ postgres -c "DROP DATABASE restore_anchor"
  fi

  if ok dbk_pg_backup && ok dbk_pg_restore; then
    say "pg logical restore: dbkeeper$(tag)"
    # Into an empty database made beforehand, as for pg_restore.
    psql_ postgres -c "CREATE DATABASE restore_dbk"
    settle_pg
    mapfile -t which < <(dbk_which dbk_pg_backup "$PG_URL")
    if measure dbk_pg_restore "${DBK[@]}" restore "${which[@]}" --repo "file://$PG_REPO" \
      --to "postgres://postgres@127.0.0.1:$PGPORT/restore_dbk" --identity "$KEY" --jobs "$JOBS" -q; then
      check_counts pg restore_dbk dbk_pg_restore || dbk_failed dbk_pg_restore "pg logical restore"
    else
      dbk_failed dbk_pg_restore "pg logical restore"
    fi
    psql_ postgres -c "DROP DATABASE IF EXISTS restore_dbk"
  fi
done

# --- PostgreSQL physical -------------------------------------------------------------------
PGBR_CONF=$WORK/pgbackrest/pgbackrest.conf
PGBR_SKIP=""
pgbr=()
if [ -n "$HAVE_PGBACKREST" ] && want postgres; then
  say "pg physical backup: pgbackrest stanza"
  # retention high enough that no run's backup expires an earlier one (not part of the timing).
  cat >"$PGBR_CONF" <<EOF
[global]
repo1-path=$WORK/pgbackrest/repo
repo1-retention-full=9999
log-path=$WORK/pgbackrest/log
lock-path=$WORK/pgbackrest/lock
spool-path=$WORK/pgbackrest/spool
compress-type=zst
compress-level=3
process-max=2
start-fast=y
log-level-console=warn
log-level-file=info

[bench]
pg1-path=$PGDATA_DIR
pg1-port=$PGPORT
pg1-socket-path=$WORK/pg
pg1-user=postgres
EOF
  chmod 644 "$PGBR_CONF"
  pgbr=("${as_pg[@]}" pgbackrest "--config=$PGBR_CONF" --stanza=bench)
  psql_ postgres -c "ALTER SYSTEM SET archive_command = 'pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p'"
  psql_ postgres -c "SELECT pg_reload_conf()" >/dev/null
  if ! "${pgbr[@]}" stanza-create >"$WORK/out/pgbr-setup.log" 2>&1 ||
    ! "${pgbr[@]}" check >>"$WORK/out/pgbr-setup.log" 2>&1; then
    PGBR_SKIP="pgbackrest stanza-create/check failed: $(tail -n 3 "$WORK/out/pgbr-setup.log" | tr '\n' ' ')"
  fi
else
  PGBR_SKIP="pgbackrest is not installed (no package)"
fi
[ -n "$PGBR_SKIP" ] && say "pg physical backup: SKIP pgbackrest: $PGBR_SKIP"

PG_PREPO=$WORK/repo-pg-physical
for ((run = 1; run <= PG_RUNS; run++)); do
  if [ -z "$PGBR_SKIP" ]; then
    say "pg physical backup: pgbackrest backup --type=full$(tag)"
    settle_pg
    if measure pgbr "${pgbr[@]}" backup --type=full; then
      BYTES[pgbr]=$("${pgbr[@]}" info --output=json | jq '.[0].backup[-1].info.repository.size')
    else
      PGBR_SKIP="pgbackrest backup failed: ${FAILED[pgbr]}"
    fi
  fi

  if ok dbk_pg_phys; then
    say "pg physical backup: dbkeeper --kind physical$(tag)"
    settle_pg
    if measure dbk_pg_phys "${DBK[@]}" backup "$PG_URL" --kind physical --repo "file://$PG_PREPO" \
      "${DBK_COMMON[@]}"; then
      BYTES[dbk_pg_phys]=$(dbk_stored dbk_pg_phys "$PG_PREPO")
    else
      dbk_failed dbk_pg_phys "pg physical backup"
    fi
  fi
done
if [ ${#pgbr[@]} -gt 0 ]; then
  # Back to throwing the WAL away: nothing else needs the archive.
  psql_ postgres -c "ALTER SYSTEM SET archive_command = '/bin/true'"
  psql_ postgres -c "SELECT pg_reload_conf()" >/dev/null
fi

# --- MariaDB logical -------------------------------------------------------------------------
MY_CONN="--no-defaults --protocol=tcp -h 127.0.0.1 -P $MYPORT -uroot"
MYDUMPER_SKIP=""
[ -n "$HAVE_MYDUMPER" ] || MYDUMPER_SKIP="mydumper is not installed (no package)"
MY_REPO=$WORK/repo-my-logical
# A restore writes as much binlog as it loads; at large SCALEs that would fill the disk.
PURGE_BINLOG="FLUSH BINARY LOGS; PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 SECOND"
for ((run = 1; run <= MY_RUNS; run++)); do
  if ok my_pipe; then
    say "mariadb logical backup: mariadb-dump --single-transaction | zstd -T2 -3 | age$(tag)"
    settle_my
    measure my_pipe bash -o pipefail -c "mariadb-dump $MY_CONN --single-transaction bench \
      | zstd -q -T2 -3 | age -r $(q "$ANCHOR_RECIPIENT") > $(q "$WORK/dumps/my.sql.zst.age")" &&
      BYTES[my_pipe]=$(stat -c %s "$WORK/dumps/my.sql.zst.age")
  fi

  if [ -z "$MYDUMPER_SKIP" ]; then
    say "mariadb logical backup: mydumper -t 2 -c$(tag)"
    rm -rf "$WORK/dumps/mydumper"
    settle_my
    if measure mydumper mydumper -h 127.0.0.1 -P "$MYPORT" -u root -B bench -t 2 -c -v 1 \
      -o "$WORK/dumps/mydumper"; then
      BYTES[mydumper]=$(du -sb "$WORK/dumps/mydumper" | cut -f1)
    else
      MYDUMPER_SKIP="mydumper failed: ${FAILED[mydumper]}"
      say "mariadb logical backup: SKIP mydumper: $MYDUMPER_SKIP"
    fi
  fi

  if ok dbk_my_backup; then
    say "mariadb logical backup: dbkeeper$(tag)"
    settle_my
    if measure dbk_my_backup "${DBK[@]}" backup "$MY_URL" --repo "file://$MY_REPO" "${DBK_COMMON[@]}"; then
      BYTES[dbk_my_backup]=$(dbk_stored dbk_my_backup "$MY_REPO")
    else
      dbk_failed dbk_my_backup "mariadb logical backup"
    fi
  fi

  if ok my_pipe && ok my_restore; then
    say "mariadb logical restore: age -d | zstd -d | mariadb$(tag)"
    my_ -e "CREATE DATABASE restore_anchor CHARACTER SET utf8mb4"
    settle_my
    measure my_restore bash -o pipefail -c "age -d -i $(q "$ANCHOR_KEY") $(q "$WORK/dumps/my.sql.zst.age") \
      | zstd -q -d | mariadb $MY_CONN restore_anchor" || true
    check_counts my restore_anchor my_restore || true
    my_ -e "DROP DATABASE restore_anchor; $PURGE_BINLOG"
  fi

  if ok dbk_my_backup && ok dbk_my_restore; then
    say "mariadb logical restore: dbkeeper$(tag)"
    my_ -e "CREATE DATABASE restore_dbk CHARACTER SET utf8mb4"
    settle_my
    mapfile -t which < <(dbk_which dbk_my_backup "$MY_URL")
    if measure dbk_my_restore "${DBK[@]}" restore "${which[@]}" --repo "file://$MY_REPO" \
      --to "mysql://root@127.0.0.1:$MYPORT/restore_dbk" --identity "$KEY" --jobs "$JOBS" -q; then
      check_counts my restore_dbk dbk_my_restore || dbk_failed dbk_my_restore "mariadb logical restore"
    else
      dbk_failed dbk_my_restore "mariadb logical restore"
    fi
    my_ -e "DROP DATABASE IF EXISTS restore_dbk; $PURGE_BINLOG"
  fi
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the report ------------------------------------------------------------------------------
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
LINES=()
rss_mib() { [ -n "${RSS[$1]:-}" ] && kib_to_mib "${RSS[$1]}"; }
side() { # KEY LABEL: "label 12.34 s 210.0 MiB rss 48 MiB"
  local s="$2 ${SECS[$1]:-?} s"
  [ -n "${BYTES[$1]:-}" ] && s+=" $(mib "${BYTES[$1]}") MiB"
  [ -n "${RSS[$1]:-}" ] && s+=" rss $(rss_mib "$1") MiB"
  printf '%s' "$s"
}
side_json() { # KEY LABEL
  jq -n --arg tool "$2" --arg s "${SECS[$1]:-}" --arg b "${BYTES[$1]:-}" --arg r "${RSS[$1]:-}" \
    --arg err "${FAILED[$1]:-}" --arg runs "${TIMES[$1]:-}" '{tool: $tool,
      seconds: ($s | if . == "" then null else tonumber end),
      runs_seconds: ($runs | split(" ") | map(select(. != "") | tonumber)),
      bytes: ($b | if . == "" then null else tonumber end),
      peak_rss_kib: ($r | if . == "" then null else tonumber end),
      error: ($err | if . == "" then null else . end)}'
}
# compare NAME METRIC DBK_KEY ANCHOR_KEY ANCHOR_LABEL TARGET [SKIP_REASON]
compare() {
  local name=$1 metric=$2 dk=$3 ak=$4 label=$5 target=$6 skip=${7:-} a b ratio="" verdict
  if [ "$metric" = size ]; then a=${BYTES[$dk]:-} b=${BYTES[$ak]:-}; else a=${SECS[$dk]:-} b=${SECS[$ak]:-}; fi
  if [ -n "${FAILED[$dk]:-}" ]; then
    verdict="FAIL (dbkeeper: ${FAILED[$dk]})"
  elif [ -n "$skip" ] || [ -n "${FAILED[$ak]:-}" ] || [ -z "$b" ]; then
    verdict="SKIP (${skip:-${FAILED[$ak]:-no anchor figure}})"
  else
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "" }')
    if [ -z "$ratio" ]; then
      verdict="SKIP (anchor measured 0)"
    elif awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r <= t) }'; then
      verdict=PASS
    else
      verdict=FAIL
    fi
  fi
  local dside aside
  if [ "$metric" = size ]; then
    dside="dbkeeper $(mib "${BYTES[$dk]:-0}") MiB"
    aside="$label $(mib "${BYTES[$ak]:-0}") MiB"
  else
    dside=$(side "$dk" dbkeeper)
    aside=$(side "$ak" "$label")
  fi
  LINES+=("$(printf '%-26s | %-44s | %-48s | %s ratio %s (target ≤%.2f) %s' "$name" "$dside" "$aside" \
    "$metric" "${ratio:--}" "$target" "$verdict")")
  jq -nc --arg name "$name" --arg metric "$metric" --argjson target "$target" \
    --arg ratio "$ratio" --arg verdict "${verdict%% *}" --arg detail "$verdict" \
    --argjson dbkeeper "$(side_json "$dk" dbkeeper)" --argjson anchor "$(side_json "$ak" "$label")" \
    '{name: $name, metric: (if $metric == "size" then "bytes stored" else "wall time" end),
      dbkeeper: $dbkeeper, anchor: $anchor, target_ratio: $target,
      ratio: ($ratio | if . == "" then null else tonumber end), verdict: $verdict,
      detail: (if $detail == $verdict then null else $detail end)}' >>"$RESULTS"
}

if want postgres; then
  compare "pg logical backup" time dbk_pg_backup pg_pipe "pg_dump -Fp|zstd|age" 1.0
  compare "pg logical backup" time dbk_pg_backup pg_fc "pg_dump -Fc" 0.4
  compare "pg logical stored size" size dbk_pg_backup pg_pipe "pg_dump -Fp|zstd|age" 1.05
  compare "pg logical restore" time dbk_pg_restore pg_restore "pg_restore -j2" 1.0
  compare "pg physical backup" time dbk_pg_phys pgbr "pgbackrest full zst" 1.0 "$PGBR_SKIP"
fi
if want mariadb; then
  compare "mariadb logical backup" time dbk_my_backup my_pipe "mariadb-dump|zstd|age" 1.0
  compare "mariadb logical backup" time dbk_my_backup mydumper "mydumper -t 2 -c" 0.7 "$MYDUMPER_SKIP"
  compare "mariadb logical restore" time dbk_my_restore my_restore "age -d|zstd -d|mariadb" 0.5
fi

# Peak RSS: the largest of dbkeeper's runs.
rss_max=0 rss_parts=()
for k in dbk_pg_backup dbk_pg_restore dbk_pg_phys dbk_my_backup dbk_my_restore; do
  if [ -n "${RSS[$k]:-}" ]; then
    rss_parts+=("${k#dbk_} $(rss_mib "$k")")
    [ "${RSS[$k]}" -gt "$rss_max" ] && rss_max=${RSS[$k]}
  fi
done
if [ "$rss_max" -le $((RSS_TARGET_MIB * 1024)) ]; then rss_verdict=PASS; else rss_verdict=FAIL; fi
rss_list=$(
  IFS=,
  echo "${rss_parts[*]}"
)
LINES+=("$(printf '%-26s | max %s MiB (%s) | target ≤%s MiB %s' "dbkeeper peak RSS" \
  "$(kib_to_mib "$rss_max")" "${rss_list//,/, }" "$RSS_TARGET_MIB" "$rss_verdict")")
jq -nc --argjson max "$rss_max" --argjson target "$((RSS_TARGET_MIB * 1024))" --arg v "$rss_verdict" \
  '{name: "dbkeeper peak RSS", metric: "peak RSS (KiB)", dbkeeper: {peak_rss_kib: $max},
    target_kib: $target, verdict: $v}' >>"$RESULTS"

echo
echo "dbkeeper backup benchmark: SCALE=$SCALE, RUNS=$RUNS$([ "$RUNS" -gt 1 ] && echo ' (median times)') (PostgreSQL $(mib "$PG_DB_BYTES") MiB, MariaDB $(mib "$MY_DB_BYTES") MiB)," \
  "$(nproc) cores, load average before $LOAD_BEFORE, after $LOAD_AFTER"
printf '%s\n' "${LINES[@]}"
if ((${#FAILURES[@]})); then
  echo "dbkeeper FAILED:"
  printf '  %s\n' "${FAILURES[@]}"
fi

jq -s --argjson scale "$SCALE" --argjson runs "$RUNS" --argjson pg "$PG_DB_BYTES" --argjson my "$MY_DB_BYTES" \
  --arg lb "$LOAD_BEFORE" --arg la "$LOAD_AFTER" --argjson cores "$(nproc)" \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg version "$("$DBKEEPER" --version 2>/dev/null || true)" \
  --argjson ok "$((1 - DBK_FAILED))" \
  --rawfile pgc "$WORK/pg/counts.source" --rawfile myc "$WORK/my/counts.source" \
  '{date: $date, dbkeeper: $version, scale: $scale, runs: $runs, cores: $cores,
    load_average_before: $lb, load_average_after: $la,
    data: {postgres_bytes: $pg, mariadb_bytes: $my,
           postgres_rows: ($pgc | split("\n") | map(select(. != "") | split(" ") | {(.[0]): (.[1] | tonumber)}) | add),
           mariadb_rows: ($myc | split("\n") | map(select(. != "") | split(" ") | {(.[0]): (.[1] | tonumber)}) | add)},
    dbkeeper_ok: ($ok == 1), results: .}' "$RESULTS" >"$OUT"
say "results written to $OUT"

exit "$DBK_FAILED"
