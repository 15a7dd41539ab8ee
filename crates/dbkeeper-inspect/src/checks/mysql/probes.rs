//! The SQL of the MySQL/MariaDB catalogue. Constant text only (thresholds are applied in
//! Rust); `information_schema.TABLES` is read once (`tables`) and shared, since on MariaDB it
//! opens every table's definition.

use dbkeeper_core::Text;

use crate::check::{Base, Probe, Product};

use super::msg;

/// User schemas only: the system ones are the server's business.
macro_rules! user_schemas {
    ($col:literal) => {
        concat!(
            $col,
            " NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"
        )
    };
}

fn mariadb(b: &Base) -> Result<(), Text> {
    if b.product == Product::MariaDb {
        Ok(())
    } else {
        Err(Text::new(msg::ONLY_MARIADB))
    }
}

fn mysql(b: &Base) -> Result<(), Text> {
    if b.product == Product::Mysql {
        Ok(())
    } else {
        Err(Text::new(msg::ONLY_MYSQL))
    }
}

/// performance_schema must be on (MariaDB ships it off).
fn perf_schema(b: &Base) -> Result<(), Text> {
    if b.settings
        .get("performance_schema")
        .is_some_and(|s| s.is_on())
    {
        Ok(())
    } else {
        Err(Text::new(msg::NEEDS_PERF_SCHEMA))
    }
}

fn binlog(b: &Base) -> Result<(), Text> {
    if b.settings.get("log_bin").is_some_and(|s| s.is_on()) {
        Ok(())
    } else {
        Err(Text::new(msg::BINLOG_OFF))
    }
}

/// MySQL 8 (not MariaDB, whose version numbers are larger).
fn mysql8(b: &Base) -> Result<(), Text> {
    mysql(b)?;
    if b.version_num >= 80_000 {
        Ok(())
    } else {
        Err(Text::new(crate::msg::NEEDS_VERSION)
            .arg("needed", "8.0")
            .arg("version", &b.facts.version))
    }
}

/// MariaDB, or MySQL before 8.0 (information_schema.INNODB_LOCK_WAITS).
fn lock_waits_is(b: &Base) -> Result<(), Text> {
    if b.product == Product::MariaDb || b.version_num < 80_000 {
        Ok(())
    } else {
        Err(Text::new(msg::ONLY_MARIADB))
    }
}

pub(crate) const PROBES: &[Probe] = &[
    Probe {
        name: "processlist",
        sql: &[(
            0,
            "\
SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, TIME AS time_s,
       STATE AS state, LEFT(INFO, 200) AS query
  FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()",
        )],
        gate: None,
    },
    Probe {
        name: "innodb_trx",
        sql: &[(
            0,
            "\
SELECT t.trx_id, t.trx_mysql_thread_id AS thread,
       TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS age_s, t.trx_state AS state,
       p.COMMAND AS command, p.USER AS user, p.HOST AS host, p.TIME AS idle_s,
       LEFT(t.trx_query, 200) AS query
  FROM information_schema.INNODB_TRX t
  LEFT JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
 WHERE t.trx_mysql_thread_id <> CONNECTION_ID()",
        )],
        gate: None,
    },
    Probe {
        name: "lock_waits",
        sql: &[(
            0,
            "\
SELECT r.trx_mysql_thread_id AS waiting_thread, b.trx_mysql_thread_id AS blocking_thread,
       TIMESTAMPDIFF(SECOND, r.trx_wait_started, NOW()) AS wait_s,
       LEFT(r.trx_query, 200) AS query
  FROM information_schema.INNODB_LOCK_WAITS w
  JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
  JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id",
        )],
        gate: Some(lock_waits_is),
    },
    Probe {
        name: "lock_waits_ps",
        sql: &[(
            0,
            "\
SELECT r.trx_mysql_thread_id AS waiting_thread, b.trx_mysql_thread_id AS blocking_thread,
       TIMESTAMPDIFF(SECOND, r.trx_wait_started, NOW()) AS wait_s,
       LEFT(r.trx_query, 200) AS query
  FROM performance_schema.data_lock_waits w
  JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID
  JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID",
        )],
        gate: Some(mysql8),
    },
    Probe {
        // SHOW REPLICA STATUS exists in MySQL 8.0.22+ and MariaDB 10.5.1+ (whose version
        // numbers are larger); older servers only know SHOW SLAVE STATUS.
        name: "replica",
        sql: &[(0, "SHOW SLAVE STATUS"), (80_022, "SHOW REPLICA STATUS")],
        gate: None,
    },
    Probe {
        name: "binlogs",
        sql: &[(0, "SHOW BINARY LOGS")],
        gate: Some(binlog),
    },
    Probe {
        name: "users",
        sql: &[(
            0,
            "\
SELECT u.User AS user, u.Host AS host, u.plugin, u.authentication_string AS auth,
       u.is_role, u.password_expired, u.ssl_type,
       u.Super_priv AS super_priv, u.Grant_priv AS grant_priv, u.File_priv AS file_priv,
       u.Shutdown_priv AS shutdown_priv, u.Create_user_priv AS create_user_priv,
       u.Process_priv AS process_priv,
       COALESCE(JSON_VALUE(g.Priv, '$.account_locked'), 'false') AS locked,
       JSON_VALUE(g.Priv, '$.password_lifetime') AS lifetime,
       (u.User <> '' AND u.plugin IN ('mysql_native_password', '')
        AND u.authentication_string = PASSWORD(u.User)) AS password_is_name
  FROM mysql.user u
  LEFT JOIN mysql.global_priv g ON g.User = u.User AND g.Host = u.Host",
        )],
        gate: Some(mariadb),
    },
    Probe {
        name: "users_mysql",
        sql: &[(
            0,
            "\
SELECT User AS user, Host AS host, plugin, authentication_string AS auth,
       'N' AS is_role, password_expired, ssl_type,
       Super_priv AS super_priv, Grant_priv AS grant_priv, File_priv AS file_priv,
       Shutdown_priv AS shutdown_priv, Create_user_priv AS create_user_priv,
       Process_priv AS process_priv,
       IF(account_locked = 'Y', 'true', 'false') AS locked,
       password_lifetime AS lifetime, 0 AS password_is_name
  FROM mysql.user",
        )],
        gate: Some(mysql),
    },
    Probe {
        name: "test_db",
        sql: &[(
            0,
            "\
SELECT SCHEMA_NAME AS name, 'database' AS kind FROM information_schema.SCHEMATA
 WHERE SCHEMA_NAME = 'test'
UNION ALL
SELECT CONCAT(Db, ' ', User, '@', Host) AS name, 'grant' AS kind FROM mysql.db
 WHERE Db LIKE 'test%'",
        )],
        gate: None,
    },
    Probe {
        name: "tables",
        sql: &[(
            0,
            concat!(
                "\
SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS `table`, ENGINE AS engine,
       TABLE_ROWS AS `rows`, DATA_LENGTH AS data_bytes, INDEX_LENGTH AS index_bytes,
       DATA_FREE AS free_bytes, AUTO_INCREMENT AS auto_increment,
       TABLE_COLLATION AS collation
  FROM information_schema.TABLES
 WHERE TABLE_TYPE = 'BASE TABLE' AND ",
                user_schemas!("TABLE_SCHEMA")
            ),
        )],
        gate: None,
    },
    Probe {
        name: "autoinc_columns",
        sql: &[(
            0,
            concat!(
                "\
SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS `table`, COLUMN_NAME AS `column`,
       COLUMN_TYPE AS type
  FROM information_schema.COLUMNS
 WHERE EXTRA LIKE '%auto_increment%' AND ",
                user_schemas!("TABLE_SCHEMA")
            ),
        )],
        gate: None,
    },
    Probe {
        name: "no_pk",
        sql: &[(
            0,
            concat!(
                "\
SELECT CONCAT(t.TABLE_SCHEMA, '.', t.TABLE_NAME) AS `table`, t.ENGINE AS engine,
       t.TABLE_ROWS AS `rows`
  FROM information_schema.TABLES t
  LEFT JOIN information_schema.TABLE_CONSTRAINTS c
         ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
        AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE')
 WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.CONSTRAINT_NAME IS NULL AND ",
                user_schemas!("t.TABLE_SCHEMA"),
                "
 ORDER BY t.TABLE_ROWS DESC LIMIT 500"
            ),
        )],
        gate: None,
    },
    Probe {
        name: "index_columns",
        sql: &[(
            0,
            concat!(
                "\
SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS `table`, INDEX_NAME AS `index`,
       NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq, COLUMN_NAME AS `column`,
       SUB_PART AS sub_part, INDEX_TYPE AS type
  FROM information_schema.STATISTICS
 WHERE ",
                user_schemas!("TABLE_SCHEMA"),
                "
 ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
            ),
        )],
        gate: None,
    },
    Probe {
        name: "unused_indexes",
        sql: &[(
            0,
            concat!(
                "\
SELECT CONCAT(u.OBJECT_SCHEMA, '.', u.OBJECT_NAME, '.', u.INDEX_NAME) AS `index`,
       u.COUNT_STAR AS uses
  FROM performance_schema.table_io_waits_summary_by_index_usage u
  JOIN information_schema.STATISTICS s
    ON s.TABLE_SCHEMA = u.OBJECT_SCHEMA AND s.TABLE_NAME = u.OBJECT_NAME
   AND s.INDEX_NAME = u.INDEX_NAME AND s.SEQ_IN_INDEX = 1
 WHERE u.INDEX_NAME IS NOT NULL AND u.INDEX_NAME <> 'PRIMARY' AND s.NON_UNIQUE = 1
   AND u.COUNT_STAR = 0 AND ",
                user_schemas!("u.OBJECT_SCHEMA"),
                "
 ORDER BY 1 LIMIT 500"
            ),
        )],
        gate: Some(perf_schema),
    },
    Probe {
        name: "digests",
        sql: &[(
            0,
            "\
SELECT SCHEMA_NAME AS db, DIGEST AS digest, COUNT_STAR AS calls,
       ROUND(AVG_TIMER_WAIT / 1000000000, 3) AS mean_ms,
       ROUND(SUM_TIMER_WAIT / 1000000000, 3) AS total_ms,
       SUM_ROWS_EXAMINED AS rows_examined, SUM_NO_INDEX_USED AS no_index,
       SUM_CREATED_TMP_DISK_TABLES AS tmp_disk_tables, LEFT(DIGEST_TEXT, 200) AS query
  FROM performance_schema.events_statements_summary_by_digest
 WHERE DIGEST IS NOT NULL
 ORDER BY SUM_TIMER_WAIT DESC LIMIT 200",
        )],
        gate: Some(perf_schema),
    },
    Probe {
        name: "plugins",
        sql: &[(
            0,
            "\
SELECT PLUGIN_NAME AS name, PLUGIN_STATUS AS status, LOAD_OPTION AS load_option
  FROM information_schema.PLUGINS ORDER BY PLUGIN_NAME",
        )],
        gate: None,
    },
    Probe {
        name: "session_ssl",
        sql: &[(0, "SHOW SESSION STATUS LIKE 'Ssl_cipher'")],
        gate: None,
    },
    Probe {
        name: "history_length",
        sql: &[(
            0,
            "\
SELECT `COUNT` AS length FROM information_schema.INNODB_METRICS
 WHERE NAME = 'trx_rseg_history_len'",
        )],
        gate: None,
    },
];
