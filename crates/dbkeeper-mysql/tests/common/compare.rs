//! An independent comparison of two databases, through MariaDB's own client programs over the
//! scratch servers' sockets (root, no password there) — none of the crate's code: the schema
//! and rows as mariadb-dump writes them, `CHECKSUM TABLE` of every table, a hash of every
//! table's rows in a total order of all its columns, and information_schema's object counts.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

fn base(program: &str, socket: &Path) -> Command {
    let mut c = Command::new(program);
    c.arg("--no-defaults")
        .arg(format!("--socket={}", socket.display()))
        .arg("--user=root")
        .arg("--default-character-set=utf8mb4")
        .env_remove("MYSQL_PWD");
    c
}

/// Runs SQL through the `mariadb` client; returns its output (batch, no column names).
pub fn sql(socket: &Path, statement: &str) -> String {
    let out = base("mariadb", socket)
        .args(["--batch", "--skip-column-names", "-e", statement])
        .output()
        .expect("run mariadb");
    assert!(
        out.status.success(),
        "mariadb -e {statement:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs an SQL file through the `mariadb` client.
pub fn run_file(socket: &Path, file: &Path) {
    let input = std::fs::File::open(file).expect("open sql file");
    let out = base("mariadb", socket)
        .arg("--batch")
        .stdin(Stdio::from(input))
        .output()
        .expect("run mariadb");
    assert!(
        out.status.success(),
        "loading {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// mariadb-dump of one database: schema, routines, triggers, events and every row in primary
/// key order, binary as hex; no comments or dates, so that equal databases give equal text.
pub fn dump(socket: &Path, db: &str) -> String {
    let out = base("mariadb-dump", socket)
        .args([
            "--skip-dump-date",
            "--skip-comments",
            "--order-by-primary",
            "--hex-blob",
            "--routines",
            "--triggers",
            "--events",
            "--single-transaction",
            "--skip-extended-insert",
            "--",
            db,
        ])
        .output()
        .expect("run mariadb-dump");
    assert!(
        out.status.success(),
        "mariadb-dump {db} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

pub fn base_tables(socket: &Path, db: &str) -> Vec<String> {
    sql(
        socket,
        &format!(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {} \
             AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
            literal(db)
        ),
    )
    .lines()
    .map(str::to_string)
    .collect()
}

/// `CHECKSUM TABLE … EXTENDED` of every base table.
pub fn checksums(socket: &Path, db: &str) -> BTreeMap<String, String> {
    base_tables(socket, db)
        .into_iter()
        .map(|t| {
            let out = sql(
                socket,
                &format!("CHECKSUM TABLE {}.{} EXTENDED", quote(db), quote(&t)),
            );
            let sum = out
                .split('\t')
                .nth(1)
                .unwrap_or_default()
                .trim()
                .to_string();
            (t, sum)
        })
        .collect()
}

/// A hash of every row of every base table, all columns (invisible and generated too) as hex
/// of their exact value, ordered by all of them.
pub fn row_hashes(socket: &Path, db: &str) -> BTreeMap<String, String> {
    base_tables(socket, db)
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = sql(
                socket,
                &format!(
                    "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} \
                     AND TABLE_NAME = {} ORDER BY ORDINAL_POSITION",
                    literal(db),
                    literal(&t)
                ),
            )
            .lines()
            .map(|c| format!("COALESCE(HEX({}), 'NULL')", quote(c)))
            .collect();
            let order: Vec<String> = (1..=cols.len()).map(|i| i.to_string()).collect();
            let out = sql(
                socket,
                &format!(
                    "SELECT {} FROM {}.{} ORDER BY {}",
                    cols.join(", "),
                    quote(db),
                    quote(&t),
                    order.join(", ")
                ),
            );
            let rows = out.lines().count();
            (
                t,
                format!(
                    "{rows} rows {}",
                    hex::encode(Sha256::digest(out.as_bytes()))
                ),
            )
        })
        .collect()
}

/// Schema objects by kind, from information_schema.
pub fn object_counts(socket: &Path, db: &str) -> BTreeMap<String, u64> {
    let l = literal(db);
    let q = |s: &str| -> u64 { sql(socket, s).trim().parse().expect("count") };
    let mut m = BTreeMap::new();
    m.insert(
        "tables".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {l} AND TABLE_TYPE = 'BASE TABLE'"
        )),
    );
    m.insert(
        "views".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {l} AND TABLE_TYPE = 'VIEW'"
        )),
    );
    m.insert(
        "sequences".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {l} AND TABLE_TYPE = 'SEQUENCE'"
        )),
    );
    m.insert(
        "routines".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {l}"
        )),
    );
    m.insert(
        "triggers".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {l}"
        )),
    );
    m.insert(
        "events".to_string(),
        q(&format!(
            "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {l}"
        )),
    );
    m
}

/// The AUTO_INCREMENT counters of a database's tables.
pub fn auto_increments(socket: &Path, db: &str) -> String {
    sql(
        socket,
        &format!(
            "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = {} AND AUTO_INCREMENT IS NOT NULL ORDER BY TABLE_NAME",
            literal(db)
        ),
    )
}

/// Everything above for `a_db` on `a` and `b_db` on `b`, asserting equality.
pub fn assert_same(a: &Path, a_db: &str, b: &Path, b_db: &str) {
    assert_same_with(a, a_db, b, b_db, true);
}

/// [`assert_same`] for a copy whose server started afresh (a physical restore): InnoDB keeps
/// an AUTO_INCREMENT counter across a restart only as the largest id it handed out, so ids a
/// statement reserved but did not use are not reserved any more. The counters of `b` must then
/// lie above every id in use, and may differ from `a`'s.
pub fn assert_same_restarted(a: &Path, a_db: &str, b: &Path, b_db: &str) {
    assert_same_with(a, a_db, b, b_db, false);
    for (table, column, counter) in counters_and_columns(b, b_db) {
        let max: u64 = sql(
            b,
            &format!(
                "SELECT COALESCE(MAX({}), 0) FROM {}.{}",
                quote(&column),
                quote(b_db),
                quote(&table)
            ),
        )
        .trim()
        .parse()
        .expect("max id");
        assert!(
            counter > max,
            "{b_db}.{table}: AUTO_INCREMENT {counter} <= largest id {max}"
        );
    }
}

fn counters_and_columns(socket: &Path, db: &str) -> Vec<(String, String, u64)> {
    sql(
        socket,
        &format!(
            "SELECT t.TABLE_NAME, c.COLUMN_NAME, t.AUTO_INCREMENT FROM information_schema.TABLES t \
             JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA \
             AND c.TABLE_NAME = t.TABLE_NAME AND c.EXTRA LIKE '%auto_increment%' \
             WHERE t.TABLE_SCHEMA = {} AND t.AUTO_INCREMENT IS NOT NULL",
            literal(db)
        ),
    )
    .lines()
    .map(|l| {
        let f: Vec<&str> = l.split('\t').collect();
        (
            f[0].to_string(),
            f[1].to_string(),
            f[2].parse().expect("counter"),
        )
    })
    .collect()
}

/// ` AUTO_INCREMENT=123` of CREATE TABLE statements, removed.
fn without_counters(dump: &str) -> String {
    dump.lines()
        .map(|l| match l.find(" AUTO_INCREMENT=") {
            Some(i) if l.starts_with(')') => {
                let rest = &l[i + " AUTO_INCREMENT=".len()..];
                let end = rest.find(' ').unwrap_or(rest.len());
                format!("{}{}", &l[..i], &rest[end..])
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_same_with(a: &Path, a_db: &str, b: &Path, b_db: &str, exact_counters: bool) {
    let (mut da, mut db) = (dump(a, a_db), dump(b, b_db));
    if !exact_counters {
        da = without_counters(&da);
        db = without_counters(&db);
    }
    if da != db {
        let first = da
            .lines()
            .zip(db.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("\n- {}\n+ {}", short(x), short(y)))
            .unwrap_or_else(|| format!("lengths {} vs {}", da.len(), db.len()));
        panic!("mariadb-dump of {a_db} and {b_db} differ; first difference:{first}");
    }
    assert_eq!(
        checksums(a, a_db),
        checksums(b, b_db),
        "CHECKSUM TABLE of {a_db}"
    );
    assert_eq!(
        row_hashes(a, a_db),
        row_hashes(b, b_db),
        "ordered rows of {a_db}"
    );
    assert_eq!(
        object_counts(a, a_db),
        object_counts(b, b_db),
        "object counts of {a_db}"
    );
    if exact_counters {
        assert_eq!(
            auto_increments(a, a_db),
            auto_increments(b, b_db),
            "AUTO_INCREMENT counters of {a_db}"
        );
    }
}

fn short(s: &str) -> String {
    if s.len() > 300 {
        let mut end = 300;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s.to_string()
    }
}

/// The accounts the fixture creates, as the server describes them.
pub fn accounts(socket: &Path) -> String {
    let mut out = String::new();
    for stmt in [
        "SHOW CREATE USER 'app'@'%'",
        "SHOW GRANTS FOR 'app'@'%'",
        "SHOW CREATE USER 'report'@'10.0.%'",
        "SHOW GRANTS FOR 'report'@'10.0.%'",
        "SHOW GRANTS FOR auditor",
    ] {
        out.push_str(&sql(socket, stmt));
    }
    out
}
