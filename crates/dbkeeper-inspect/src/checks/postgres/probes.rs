//! The SQL of the PostgreSQL catalogue: each probe runs once per inspection, whatever number of
//! checks read it. Every query is constant text (thresholds are applied in Rust), reads the
//! catalogues without taking relation locks (sizes come from `pg_class.relpages`, not
//! `pg_relation_size`, which would wait behind a table locked by a long transaction), and is
//! bounded (`LIMIT`) so that a database of 10,000 tables stays fast.

use dbkeeper_core::Text;

use crate::check::{Base, Probe};

use super::msg;

/// `pg_stat_statements` must be loaded and created in the connected database.
fn has_pgss(b: &Base) -> Result<(), Text> {
    let loaded = b
        .settings
        .get("shared_preload_libraries")
        .is_some_and(|s| s.value.split(',').any(|l| l.trim() == "pg_stat_statements"));
    if !loaded {
        return Err(Text::new(msg::PGSS_NOT_LOADED));
    }
    if !b.extensions.iter().any(|e| e == "pg_stat_statements") {
        return Err(Text::new(msg::PGSS_NOT_CREATED)
            .arg("database", b.database.clone().unwrap_or_default()));
    }
    Ok(())
}

fn superuser(b: &Base) -> Result<(), Text> {
    if b.privileges.superuser {
        Ok(())
    } else {
        Err(Text::new(msg::NEEDS_SUPERUSER).arg("user", &b.target.user))
    }
}

fn primary(b: &Base) -> Result<(), Text> {
    match b.facts.role {
        dbkeeper_core::engine::Role::Primary => Ok(()),
        dbkeeper_core::engine::Role::Replica => Err(Text::new(crate::msg::NOT_ON_REPLICA)),
    }
}

fn replica(b: &Base) -> Result<(), Text> {
    match b.facts.role {
        dbkeeper_core::engine::Role::Replica => Ok(()),
        dbkeeper_core::engine::Role::Primary => Err(Text::new(crate::msg::ONLY_ON_REPLICA)),
    }
}

/// Superuser or pg_monitor (the directory-listing functions need one of them).
fn monitor(b: &Base) -> Result<(), Text> {
    if b.privileges.superuser || !b.privileges.missing.iter().any(|m| m == "pg_monitor") {
        Ok(())
    } else {
        Err(Text::new(msg::NEEDS_MONITOR).arg("user", &b.target.user))
    }
}

pub(crate) const PROBES: &[Probe] = &[
    // --- counters (every run: the snapshot) ---
    Probe {
        name: "db_counters",
        sql: &[(0, "\
SELECT sum(blks_hit)::float8 AS blks_hit, sum(blks_read)::float8 AS blks_read,
       sum(xact_commit)::float8 AS xact_commit, sum(xact_rollback)::float8 AS xact_rollback,
       sum(deadlocks)::float8 AS deadlocks, sum(temp_files)::float8 AS temp_files,
       sum(temp_bytes)::float8 AS temp_bytes, sum(conflicts)::float8 AS conflicts,
       max(stats_reset) AS stats_reset,
       (SELECT sum(pg_database_size(oid)) FROM pg_database
         WHERE datallowconn AND has_database_privilege(oid, 'CONNECT'))::float8 AS total_bytes,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 END AS wal_bytes
  FROM pg_stat_database")],
        gate: None,
    },
    Probe {
        name: "bgwriter",
        sql: &[
            (0, "\
SELECT checkpoints_timed::float8 AS timed, checkpoints_req::float8 AS requested,
       checkpoint_write_time::float8 AS write_ms, checkpoint_sync_time::float8 AS sync_ms,
       buffers_checkpoint::float8 AS buf_checkpoint, buffers_clean::float8 AS buf_clean,
       buffers_backend::float8 AS buf_backend, maxwritten_clean::float8 AS maxwritten,
       stats_reset
  FROM pg_stat_bgwriter"),
            // PostgreSQL 17 moved the checkpointer's counters out of pg_stat_bgwriter and
            // dropped buffers_backend (pg_stat_io has the backends' writes).
            (170000, "\
SELECT c.num_timed::float8 AS timed, c.num_requested::float8 AS requested,
       c.write_time::float8 AS write_ms, c.sync_time::float8 AS sync_ms,
       c.buffers_written::float8 AS buf_checkpoint, b.buffers_clean::float8 AS buf_clean,
       (SELECT sum(writes) FROM pg_stat_io WHERE backend_type = 'client backend')::float8
         AS buf_backend,
       b.maxwritten_clean::float8 AS maxwritten, greatest(b.stats_reset, c.stats_reset) AS stats_reset
  FROM pg_stat_checkpointer c, pg_stat_bgwriter b"),
        ],
        gate: None,
    },
    Probe {
        name: "archiver",
        sql: &[(0, "\
SELECT archived_count::float8 AS archived, failed_count::float8 AS failed,
       last_archived_wal, last_archived_time, last_failed_wal, last_failed_time, stats_reset
  FROM pg_stat_archiver")],
        gate: None,
    },
    Probe {
        name: "index_io",
        sql: &[(0, "\
SELECT coalesce(sum(idx_blks_hit), 0)::float8 AS idx_hit,
       coalesce(sum(idx_blks_read), 0)::float8 AS idx_read
  FROM pg_statio_user_indexes")],
        gate: None,
    },
    Probe {
        name: "pgss_info",
        sql: &[(140000, "SELECT dealloc::float8 AS dealloc, stats_reset FROM pg_stat_statements_info")],
        gate: Some(has_pgss),
    },
    // --- activity ---
    Probe {
        name: "activity",
        sql: &[(0, "\
SELECT pid, usename::text AS user, datname::text AS database, application_name AS application,
       client_addr::text AS client, backend_type, state, wait_event_type, wait_event,
       extract(epoch FROM now() - backend_start)::float8 AS backend_age_s,
       extract(epoch FROM now() - xact_start)::float8 AS xact_age_s,
       extract(epoch FROM now() - query_start)::float8 AS query_age_s,
       extract(epoch FROM now() - state_change)::float8 AS state_age_s,
       age(backend_xmin)::float8 AS xmin_age,
       cardinality(pg_blocking_pids(pid)) AS blocked_by,
       left(query, 200) AS query
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid()")],
        gate: None,
    },
    Probe {
        name: "ssl_sessions",
        sql: &[(0, "\
SELECT a.pid, a.usename::text AS user, a.client_addr::text AS client, s.ssl, s.version
  FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
 WHERE a.client_addr IS NOT NULL AND a.backend_type = 'client backend'")],
        gate: None,
    },
    Probe {
        name: "locks",
        sql: &[(0, "\
SELECT count(*)::float8 AS total, count(*) FILTER (WHERE NOT granted)::float8 AS waiting,
       (current_setting('max_locks_per_transaction')::int
         * (current_setting('max_connections')::int
            + current_setting('max_prepared_transactions')::int))::float8 AS capacity
  FROM pg_locks")],
        gate: None,
    },
    Probe {
        name: "prepared",
        sql: &[(0, "\
SELECT gid, owner::text AS owner, database::text AS database,
       extract(epoch FROM now() - prepared)::float8 AS age_s
  FROM pg_prepared_xacts ORDER BY prepared")],
        gate: None,
    },
    // --- replication ---
    Probe {
        name: "replication",
        sql: &[(0, "\
SELECT application_name, client_addr::text AS client, state, sync_state,
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS lag_bytes,
       extract(epoch FROM replay_lag)::float8 AS replay_lag_s
  FROM pg_stat_replication")],
        gate: Some(primary),
    },
    Probe {
        name: "slots",
        sql: &[
            (0, "\
SELECT slot_name::text AS slot, slot_type, database::text AS database, active,
       NULL::text AS wal_status,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 END AS retained_bytes,
       greatest(age(xmin), age(catalog_xmin))::float8 AS xmin_age
  FROM pg_replication_slots"),
            (130000, "\
SELECT slot_name::text AS slot, slot_type, database::text AS database, active, wal_status,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 END AS retained_bytes,
       greatest(age(xmin), age(catalog_xmin))::float8 AS xmin_age
  FROM pg_replication_slots"),
        ],
        gate: None,
    },
    Probe {
        name: "standby",
        sql: &[(0, "\
SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_delay_s,
       (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,
       pg_last_wal_receive_lsn()::text AS received, pg_last_wal_replay_lsn()::text AS replayed")],
        gate: Some(replica),
    },
    Probe {
        name: "subscriptions",
        sql: &[(150000, "\
SELECT subname::text AS subscription, apply_error_count::float8 AS apply_errors,
       sync_error_count::float8 AS sync_errors
  FROM pg_stat_subscription_stats")],
        gate: None,
    },
    // --- vacuum and wraparound ---
    Probe {
        name: "db_age",
        sql: &[(0, "\
SELECT datname::text AS database, age(datfrozenxid)::float8 AS xid_age,
       mxid_age(datminmxid)::float8 AS mxid_age
  FROM pg_database ORDER BY age(datfrozenxid) DESC")],
        gate: None,
    },
    Probe {
        name: "table_age",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\",
       greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0))::float8 AS xid_age
  FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relkind IN ('r', 'm') AND c.relfrozenxid <> '0'
 ORDER BY 2 DESC LIMIT 50")],
        gate: None,
    },
    Probe {
        name: "dead_tuples",
        sql: &[(0, "\
SELECT relid::regclass::text AS \"table\", n_live_tup::float8 AS live,
       n_dead_tup::float8 AS dead,
       (100.0 * n_dead_tup / greatest(n_live_tup, 1))::float8 AS dead_pct,
       greatest(last_vacuum, last_autovacuum) AS last_vacuumed
  FROM pg_stat_user_tables WHERE n_dead_tup > 0
 ORDER BY n_dead_tup DESC LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "never_analyzed",
        sql: &[(0, "\
SELECT relid::regclass::text AS \"table\", n_live_tup::float8 AS live,
       n_mod_since_analyze::float8 AS modified
  FROM pg_stat_user_tables
 WHERE last_analyze IS NULL AND last_autoanalyze IS NULL AND n_live_tup > 0
 ORDER BY n_live_tup DESC LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "autovacuum_off_tables",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\", array_to_string(c.reloptions, ', ') AS options
  FROM pg_class c
 WHERE c.relkind IN ('r', 'm', 't')
   AND c.reloptions::text[] && ARRAY['autovacuum_enabled=false', 'autovacuum_enabled=off',
                                      'toast.autovacuum_enabled=false']
 ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        // A statistics-based estimate (the idea of check_postgres' and ioguix's queries, kept
        // simple): expected pages from reltuples × average row width (pg_stats) + tuple header,
        // against relpages. Only tables over 100 pages; withheld when never analysed.
        name: "bloat",
        sql: &[(0, "\
WITH w AS (
  SELECT schemaname, tablename, sum(avg_width) AS width
    FROM pg_stats GROUP BY schemaname, tablename
)
SELECT c.oid::regclass::text AS \"table\",
       c.relpages::float8 * current_setting('block_size')::float8 AS size_bytes,
       greatest(c.relpages::float8
                - ceil(c.reltuples * (w.width + 28)
                       / (current_setting('block_size')::float8 - 24)
                       / (coalesce((SELECT split_part(o, '=', 2)::float8
                                      FROM unnest(c.reloptions) o
                                     WHERE o LIKE 'fillfactor=%'), 100) / 100.0)),
                0) * current_setting('block_size')::float8 AS wasted_bytes,
       c.reltuples::float8 AS rows
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN w ON w.schemaname = n.nspname AND w.tablename = c.relname
 WHERE c.relkind = 'r' AND c.relpages > 100 AND c.reltuples >= 0
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 ORDER BY wasted_bytes DESC LIMIT 100")],
        gate: None,
    },
    Probe {
        name: "vacuum_progress",
        sql: &[(0, "\
SELECT p.pid, p.relid::regclass::text AS \"table\", p.phase,
       extract(epoch FROM now() - a.xact_start)::float8 AS age_s
  FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a USING (pid)")],
        gate: None,
    },
    // --- indexes ---
    Probe {
        name: "invalid_indexes",
        sql: &[(0, "\
SELECT i.indexrelid::regclass::text AS index, i.indrelid::regclass::text AS \"table\"
  FROM pg_index i WHERE NOT i.indisvalid ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "unused_indexes",
        sql: &[(0, "\
SELECT s.indexrelid::regclass::text AS index, s.relid::regclass::text AS \"table\",
       s.idx_scan::float8 AS scans,
       c.relpages::float8 * current_setting('block_size')::float8 AS size_bytes
  FROM pg_stat_user_indexes s
  JOIN pg_index i ON i.indexrelid = s.indexrelid
  JOIN pg_class c ON c.oid = s.indexrelid
 WHERE s.idx_scan = 0 AND i.indisvalid
   AND NOT (i.indisunique OR i.indisprimary OR i.indisexclusion OR i.indisreplident)
 ORDER BY c.relpages DESC LIMIT 500")],
        gate: None,
    },
    Probe {
        // Index a is redundant when b, on the same table and access method, has a's columns
        // (and operator classes) as its leading ones, with no predicate on either and no
        // expressions in a; of two identical indexes, the newer is reported.
        name: "duplicate_indexes",
        sql: &[(0, "\
SELECT a.indexrelid::regclass::text AS index, b.indexrelid::regclass::text AS covered_by,
       a.indrelid::regclass::text AS \"table\",
       ca.relpages::float8 * current_setting('block_size')::float8 AS size_bytes
  FROM pg_index a
  JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
  JOIN pg_class ca ON ca.oid = a.indexrelid
  JOIN pg_class cb ON cb.oid = b.indexrelid
  JOIN pg_namespace n ON n.oid = ca.relnamespace
 WHERE ca.relam = cb.relam AND a.indisvalid AND b.indisvalid
   AND a.indpred IS NULL AND b.indpred IS NULL AND a.indexprs IS NULL AND b.indexprs IS NULL
   AND NOT a.indisprimary
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
   AND ((b.indkey::text LIKE a.indkey::text || ' %'
         AND b.indclass::text LIKE a.indclass::text || ' %' AND NOT a.indisunique)
        OR (b.indkey::text = a.indkey::text AND b.indclass::text = a.indclass::text
            AND (b.indisunique AND NOT a.indisunique
                 OR a.indisunique = b.indisunique AND a.indexrelid > b.indexrelid)))
 ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "fk_without_index",
        sql: &[(0, "\
SELECT c.conrelid::regclass::text AS \"table\", c.conname::text AS \"constraint\",
       (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n)
          FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
  FROM pg_constraint c
  JOIN pg_namespace n ON n.oid = c.connamespace
 WHERE c.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (
     SELECT 1 FROM pg_index i
      WHERE i.indrelid = c.conrelid AND i.indisvalid AND i.indpred IS NULL
        AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
        AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)
 ORDER BY 1, 2 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "no_pk",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\", greatest(c.reltuples, 0)::float8 AS rows
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
   AND NOT EXISTS (SELECT 1 FROM pg_index i
                    WHERE i.indrelid = c.oid AND i.indisvalid
                      AND (i.indisprimary OR i.indisunique AND i.indpred IS NULL
                           AND i.indexprs IS NULL))
 ORDER BY c.reltuples DESC LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "not_valid_constraints",
        sql: &[(0, "\
SELECT conrelid::regclass::text AS \"table\", conname::text AS \"constraint\",
       contype::text AS kind
  FROM pg_constraint WHERE NOT convalidated ORDER BY 1, 2 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "seq_scans",
        sql: &[(0, "\
SELECT relid::regclass::text AS \"table\", seq_scan::float8 AS seq_scans,
       coalesce(idx_scan, 0)::float8 AS index_scans, n_live_tup::float8 AS rows,
       (100.0 * coalesce(idx_scan, 0) / greatest(seq_scan + coalesce(idx_scan, 0), 1))::float8
         AS index_use_pct
  FROM pg_stat_user_tables
 WHERE n_live_tup > 0 AND seq_scan > 0
 ORDER BY seq_tup_read DESC LIMIT 500")],
        gate: None,
    },
    // --- space ---
    Probe {
        name: "sequences",
        sql: &[(0, "\
SELECT s.schemaname || '.' || s.sequencename AS sequence, s.last_value::float8 AS last_value,
       least(s.max_value::numeric,
             CASE col.typname WHEN 'int2' THEN 32767 WHEN 'int4' THEN 2147483647
                  ELSE s.max_value END)::float8 AS max_value,
       coalesce(col.typname::text, s.data_type::text) AS type
  FROM pg_sequences s
  LEFT JOIN LATERAL (
    SELECT t.typname FROM pg_depend d
      JOIN pg_class sc ON sc.oid = d.objid
      JOIN pg_namespace sn ON sn.oid = sc.relnamespace
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      JOIN pg_type t ON t.oid = a.atttypid
     WHERE sc.relname = s.sequencename AND sn.nspname = s.schemaname
       AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.deptype IN ('a', 'i')
     LIMIT 1) col ON true
 WHERE s.last_value IS NOT NULL AND NOT s.cycle AND s.increment_by > 0")],
        gate: None,
    },
    Probe {
        name: "largest",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\",
       ((c.relpages + coalesce(t.relpages, 0)
         + coalesce((SELECT sum(ic.relpages) FROM pg_index x
                       JOIN pg_class ic ON ic.oid = x.indexrelid
                      WHERE x.indrelid = c.oid), 0))
        * current_setting('block_size')::float8)::float8 AS size_bytes,
       greatest(c.reltuples, 0)::float8 AS rows
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 ORDER BY 2 DESC LIMIT 20")],
        gate: None,
    },
    Probe {
        name: "unlogged",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\"
  FROM pg_class c WHERE c.relpersistence = 'u' AND c.relkind IN ('r', 'p')
 ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "object_count",
        sql: &[(0, "SELECT count(*)::float8 AS relations FROM pg_class")],
        gate: None,
    },
    Probe {
        name: "tablespaces",
        sql: &[(0, "\
SELECT spcname::text AS tablespace, pg_tablespace_location(oid) AS location
  FROM pg_tablespace WHERE pg_tablespace_location(oid) <> ''")],
        gate: None,
    },
    Probe {
        name: "wal_dir",
        sql: &[(0, "\
SELECT count(*)::float8 AS files, coalesce(sum(size), 0)::float8 AS bytes FROM pg_ls_waldir()")],
        gate: Some(monitor),
    },
    Probe {
        name: "archive_status",
        sql: &[(120000, "\
SELECT count(*) FILTER (WHERE name LIKE '%.ready')::float8 AS ready
  FROM pg_ls_archive_statusdir()")],
        gate: Some(monitor),
    },
    Probe {
        name: "checkpoint",
        sql: &[(0, "\
SELECT checkpoint_time, extract(epoch FROM now() - checkpoint_time)::float8 AS age_s,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 END AS wal_since_bytes,
       timeline_id
  FROM pg_control_checkpoint()")],
        gate: None,
    },
    Probe {
        name: "pending_restart",
        sql: &[(0, "\
SELECT name, setting, unit FROM pg_settings WHERE pending_restart ORDER BY name")],
        gate: None,
    },
    Probe {
        name: "file_settings_errors",
        sql: &[(0, "\
SELECT sourcefile, sourceline, name, error FROM pg_file_settings
 WHERE error IS NOT NULL ORDER BY sourcefile, sourceline")],
        gate: Some(superuser),
    },
    Probe {
        name: "extensions",
        sql: &[(0, "\
SELECT extname::text AS extension, extversion AS version FROM pg_extension ORDER BY 1")],
        gate: None,
    },
    // --- statements ---
    Probe {
        name: "pgss",
        sql: &[
            (0, "\
SELECT queryid::text AS queryid, calls::float8 AS calls, mean_time::float8 AS mean_ms,
       total_time::float8 AS total_ms, rows::float8 AS rows,
       temp_blks_written::float8 AS temp_blks, left(query, 200) AS query
  FROM pg_stat_statements ORDER BY total_time DESC LIMIT 200"),
            (130000, "\
SELECT queryid::text AS queryid, calls::float8 AS calls, mean_exec_time::float8 AS mean_ms,
       total_exec_time::float8 AS total_ms, rows::float8 AS rows,
       temp_blks_written::float8 AS temp_blks, left(query, 200) AS query
  FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 200"),
        ],
        gate: Some(has_pgss),
    },
    // --- security ---
    Probe {
        name: "roles",
        sql: &[(0, "\
SELECT rolname::text AS role, rolsuper AS superuser, rolcanlogin AS login,
       rolcreaterole AS createrole, rolcreatedb AS createdb, rolreplication AS replication,
       rolbypassrls AS bypassrls, rolvaliduntil AS valid_until
  FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname")],
        gate: None,
    },
    Probe {
        name: "authid",
        sql: &[(0, "\
SELECT rolname::text AS role, rolcanlogin AS login, rolsuper AS superuser,
       rolpassword IS NULL AS no_password,
       coalesce(rolpassword LIKE 'md5%', false) AS md5,
       coalesce(rolpassword NOT LIKE 'md5%' AND rolpassword NOT LIKE 'SCRAM-SHA-256$%', false)
         AS plain,
       coalesce(rolpassword = 'md5' || md5(rolname || rolname), false) AS password_is_name
  FROM pg_authid WHERE rolname !~ '^pg_' ORDER BY rolname")],
        gate: Some(superuser),
    },
    Probe {
        name: "hba",
        sql: &[(0, "\
SELECT line_number, type, database, user_name AS users, address, netmask, auth_method,
       options, error
  FROM pg_hba_file_rules ORDER BY line_number")],
        gate: Some(superuser),
    },
    Probe {
        name: "public_schema",
        sql: &[(0, "\
SELECT EXISTS (
  SELECT 1 FROM pg_namespace n,
         aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
   WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'
) AS public_create")],
        gate: None,
    },
    Probe {
        name: "secdef",
        sql: &[(0, "\
SELECT p.oid::regprocedure::text AS function, pg_get_userbyid(p.proowner)::text AS owner
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c
                    WHERE c LIKE 'search_path=%')
 ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "disabled_triggers",
        sql: &[(0, "\
SELECT t.tgrelid::regclass::text AS \"table\", t.tgname::text AS trigger
  FROM pg_trigger t WHERE NOT t.tgisinternal AND t.tgenabled = 'D'
 ORDER BY 1, 2 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "public_grants",
        sql: &[(0, "\
SELECT c.oid::regclass::text AS \"table\",
       string_agg(DISTINCT a.privilege_type, ', ') AS privileges
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL aclexplode(c.relacl) a
 WHERE a.grantee = 0 AND c.relkind IN ('r', 'p', 'v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 GROUP BY c.oid ORDER BY 1 LIMIT 500")],
        gate: None,
    },
    Probe {
        name: "rls",
        sql: &[(0, "\
SELECT (SELECT count(*) FROM pg_class WHERE relrowsecurity)::float8 AS rls_tables,
       (SELECT count(*) FROM pg_policy)::float8 AS policies")],
        gate: None,
    },
];
