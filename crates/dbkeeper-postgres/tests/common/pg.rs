//! An independent view of a database for comparisons: PostgreSQL's own programs (pg_dump and
//! psql from the server's bin directory), run here directly, never through the crate's
//! backup code. Two databases are the same when their schema dumps, every table's and
//! view's rows, every catalog count, the sequences, large objects and database properties
//! are the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dbkeeper_postgres::ScratchPostgres;
use sha2::{Digest, Sha256};

/// How to run PostgreSQL's programs against one server, over its Unix socket.
#[derive(Clone)]
pub struct Pg {
    pub bin: PathBuf,
    pub socket: PathBuf,
    pub port: u16,
    pub user: String,
}

impl Pg {
    pub fn of(s: &ScratchPostgres) -> Pg {
        use dbkeeper_core::scratch::ScratchInstance;
        Pg {
            bin: s.bin_dir().to_path_buf(),
            socket: s.socket_dir().to_path_buf(),
            port: s.target().port,
            user: s.target().user.clone(),
        }
    }

    fn cmd(&self, program: &str, db: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        c.env("PGHOST", &self.socket)
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", &self.user)
            .env("PGDATABASE", db)
            // Output settings of our own, whatever the database sets.
            .env(
                "PGOPTIONS",
                "-c extra_float_digits=3 -c DateStyle=ISO -c IntervalStyle=postgres \
                 -c bytea_output=hex -c TimeZone=UTC -c statement_timeout=0 \
                 -c search_path=pg_catalog",
            )
            .env_remove("PGPASSWORD")
            .env("LC_ALL", "C.UTF-8");
        c
    }

    fn run(&self, mut c: Command, what: &str) -> Vec<u8> {
        let out = c.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            out.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Runs SQL and returns the unaligned, tuples-only output.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        let mut c = self.cmd("psql", db);
        c.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]);
        String::from_utf8(self.run(c, sql)).expect("utf8")
    }

    pub fn create_db(&self, db: &str) {
        let q = format!(
            "CREATE DATABASE \"{}\" TEMPLATE template0 ENCODING 'UTF8'",
            db.replace('"', "\"\"")
        );
        self.sql("postgres", &q);
    }

    /// Loads a SQL file with psql, stopping at the first error.
    pub fn load(&self, db: &str, file: &Path) {
        let mut c = self.cmd("psql", db);
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(file)
            .stdout(std::process::Stdio::null());
        self.run(c, &format!("loading {}", file.display()));
    }

    pub fn databases(&self) -> Vec<String> {
        self.sql(
            "postgres",
            "SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1",
        )
        .lines()
        .map(str::to_string)
        .collect()
    }

    /// `pg_dump --schema-only`, without the lines that differ between any two dumps.
    pub fn schema(&self, db: &str) -> String {
        let mut c = self.cmd("pg_dump", db);
        c.args(["--schema-only", "--no-password"]);
        let text = String::from_utf8(self.run(c, "pg_dump --schema-only")).expect("utf8");
        text.lines()
            .filter(|l| {
                !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict")
                    && !l.starts_with("-- Dumped from")
                    && !l.starts_with("-- Dumped by")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every table, partitioned table, view and materialized view, with the SHA-256 of its
    /// rows sorted by their text form.
    pub fn table_hashes(&self, db: &str) -> BTreeMap<String, String> {
        let names = self.sql(
            db,
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p', 'v', 'm') \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname !~ '^pg_toast' ORDER BY 1",
        );
        let mut out = BTreeMap::new();
        for name in names.lines().filter(|l| !l.is_empty()) {
            let mut c = self.cmd("psql", db);
            c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c"])
                .arg(format!(
                    "COPY (SELECT * FROM {name} AS x ORDER BY x::text) TO STDOUT"
                ));
            let rows = self.run(c, &format!("rows of {name}"));
            let lines = rows.iter().filter(|&&b| b == b'\n').count();
            out.insert(
                name.to_string(),
                format!(
                    "{lines} rows, sha256 {}",
                    hex::encode(Sha256::digest(&rows))
                ),
            );
        }
        out
    }

    /// Counts of catalog objects in the user's schemas, by kind, written independently of
    /// the crate's own counting.
    pub fn catalog(&self, db: &str) -> String {
        let user = "nspname NOT IN ('pg_catalog','information_schema') AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp'";
        let queries = [
            format!("SELECT 'relkind ' || relkind::text || ' ' || count(*) FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace WHERE {user} GROUP BY relkind ORDER BY 1"),
            format!("SELECT 'proc ' || prokind::text || ' ' || count(*) FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace WHERE {user} GROUP BY prokind ORDER BY 1"),
            format!("SELECT 'constraint ' || contype::text || ' ' || count(*) || ' validated ' || count(*) FILTER (WHERE convalidated) FROM pg_constraint JOIN pg_namespace n ON n.oid = connamespace WHERE {user} GROUP BY contype ORDER BY 1"),
            "SELECT 'trigger ' || tgname || ' ' || tgrelid::regclass || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1".into(),
            "SELECT 'policy ' || polname || ' ' || polrelid::regclass || ' ' || polpermissive FROM pg_policy ORDER BY 1".into(),
            "SELECT 'rls ' || oid::regclass || ' ' || relrowsecurity || ' ' || relforcerowsecurity FROM pg_class WHERE relrowsecurity ORDER BY 1".into(),
            "SELECT 'rule ' || rulename || ' ' || ev_class::regclass FROM pg_rewrite WHERE rulename <> '_RETURN' ORDER BY 1".into(),
            "SELECT 'event trigger ' || evtname || ' ' || evtenabled::text FROM pg_event_trigger ORDER BY 1".into(),
            "SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension ORDER BY 1".into(),
            format!("SELECT 'schema ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || coalesce(nspacl::text, '-') FROM pg_namespace n WHERE {user} ORDER BY 1"),
            format!("SELECT 'type ' || typtype::text || ' ' || count(*) FROM pg_type JOIN pg_namespace n ON n.oid = typnamespace WHERE {user} GROUP BY typtype ORDER BY 1"),
            format!("SELECT 'acl ' || c.oid::regclass || ' ' || coalesce(c.relacl::text, '-') || ' ' || pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user} ORDER BY 1"),
            "SELECT 'comments ' || count(*) FROM pg_description".into(),
            "SELECT 'default acl ' || count(*) FROM pg_default_acl".into(),
            "SELECT 'column acl ' || attrelid::regclass || '.' || attname || ' ' || attacl::text FROM pg_attribute WHERE attacl IS NOT NULL ORDER BY 1".into(),
            format!("SELECT 'index ' || indexrelid::regclass || ' ' || indisvalid || ' ' || indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user} ORDER BY 1"),
            "SELECT 'matview ' || matviewname || ' ' || ispopulated FROM pg_matviews ORDER BY 1".into(),
            "SELECT 'partition ' || inhrelid::regclass || ' of ' || inhparent::regclass FROM pg_inherits ORDER BY 1".into(),
        ];
        queries
            .iter()
            .map(|q| self.sql(db, q))
            .collect::<Vec<_>>()
            .join("")
    }

    pub fn sequences(&self, db: &str) -> String {
        self.sql(
            db,
            "SELECT schemaname, sequencename, data_type, start_value, min_value, max_value, \
                    increment_by, cycle, cache_size, coalesce(last_value::text, 'not called') \
               FROM pg_sequences ORDER BY 1, 2",
        )
    }

    pub fn large_objects(&self, db: &str) -> String {
        self.sql(
            db,
            "SELECT m.oid, pg_get_userbyid(m.lomowner), coalesce(m.lomacl::text, '-'), \
                    length(lo_get(m.oid)), md5(lo_get(m.oid)), \
                    coalesce(obj_description(m.oid, 'pg_largeobject'), '-') \
               FROM pg_largeobject_metadata m ORDER BY 1",
        )
    }

    /// The database's own properties, without its name.
    pub fn database(&self, db: &str) -> String {
        self.sql(
            db,
            "SELECT concat_ws(' | ', pg_get_userbyid(datdba), pg_encoding_to_char(encoding), \
                    datcollate, datctype, datconnlimit, coalesce(datacl::text, 'default'), \
                    coalesce(shobj_description(oid, 'pg_database'), '-')) \
               FROM pg_database WHERE datname = current_database() \
             UNION ALL \
             (SELECT CASE WHEN setrole = 0 THEN 'all' ELSE pg_get_userbyid(setrole)::text END \
                     || ' ' || setconfig::text \
                FROM pg_db_role_setting \
               WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) \
               ORDER BY 1)",
        )
    }

    /// Roles (not the built-in ones), their attributes, password hashes and memberships.
    pub fn roles(&self) -> String {
        self.sql(
            "postgres",
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, \
                    rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, \
                    md5(coalesce(rolpassword, '')), coalesce(shobj_description(oid, 'pg_authid'), '-') \
               FROM pg_authid WHERE rolname !~ '^pg_' ORDER BY 1",
        ) + &self.sql(
            "postgres",
            "SELECT r.rolname || ' in ' || g.rolname || ' admin ' || m.admin_option \
               FROM pg_auth_members m JOIN pg_authid r ON r.oid = m.member \
               JOIN pg_authid g ON g.oid = m.roleid WHERE g.rolname !~ '^pg_' ORDER BY 1",
        )
    }

    /// Everything compared about one database.
    pub fn snapshot(&self, db: &str) -> Snapshot {
        Snapshot {
            schema: self.schema(db),
            tables: self.table_hashes(db),
            catalog: self.catalog(db),
            sequences: self.sequences(db),
            large_objects: self.large_objects(db),
            database: self.database(db),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub schema: String,
    pub tables: BTreeMap<String, String>,
    pub catalog: String,
    pub sequences: String,
    pub large_objects: String,
    pub database: String,
}

/// Asserts two snapshots are equal, showing the first difference.
pub fn assert_same(what: &str, a: &Snapshot, b: &Snapshot) {
    if let Some(d) = difference(a, b) {
        panic!("{what}: {d}");
    }
}

/// The first difference between two snapshots, if any.
pub fn difference(a: &Snapshot, b: &Snapshot) -> Option<String> {
    fn first_diff(x: &str, y: &str) -> String {
        let (xl, yl): (Vec<&str>, Vec<&str>) = (x.lines().collect(), y.lines().collect());
        for i in 0..xl.len().max(yl.len()) {
            if xl.get(i) != yl.get(i) {
                return format!(
                    "line {}:\n  left:  {:?}\n  right: {:?}",
                    i + 1,
                    xl.get(i),
                    yl.get(i)
                );
            }
        }
        "no line differs".into()
    }
    if a.schema != b.schema {
        return Some(format!(
            "schemas differ at {}",
            first_diff(&a.schema, &b.schema)
        ));
    }
    if a.tables.keys().ne(b.tables.keys()) {
        return Some(format!(
            "tables differ: {:?} vs {:?}",
            a.tables.keys().collect::<Vec<_>>(),
            b.tables.keys().collect::<Vec<_>>()
        ));
    }
    for (name, hash) in &a.tables {
        if Some(hash) != b.tables.get(name) {
            return Some(format!(
                "rows of {name} differ: {hash} vs {:?}",
                b.tables.get(name)
            ));
        }
    }
    for (part, x, y) in [
        ("catalog", &a.catalog, &b.catalog),
        ("sequences", &a.sequences, &b.sequences),
        ("large objects", &a.large_objects, &b.large_objects),
        ("database properties", &a.database, &b.database),
    ] {
        if x != y {
            return Some(format!("{part} differ at {}", first_diff(x, y)));
        }
    }
    None
}

/// Guards against a vacuous comparison: the hard fixture's snapshot has all of these.
pub fn assert_substantial(s: &Snapshot) {
    for needle in [
        "CREATE TRIGGER audited_stamp",
        "CREATE POLICY patients_reader",
        "CREATE MATERIALIZED VIEW app.mv_kinds",
        "ATTACH PARTITION app.events_2024_h0",
        "total numeric GENERATED ALWAYS AS (",
        "CREATE EVENT TRIGGER hard_ddl_notice",
        "CREATE RULE audited_delete",
    ] {
        assert!(s.schema.contains(needle), "{needle} not in the schema dump");
    }
    assert!(s.tables.len() >= 20, "{:?}", s.tables.keys());
    assert!(s.tables["app.all_types"].starts_with("20006 rows"));
    assert!(s.tables["app.events"].starts_with("5000 rows"));
    assert!(s.catalog.contains("policy patients_reader"));
    assert!(s.sequences.contains("seq_uncalled") && s.sequences.contains("not called"));
    assert_eq!(s.large_objects.lines().count(), 3, "{}", s.large_objects);
    assert!(s.database.contains("work_mem") || s.database.contains("DateStyle"));
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch server with the hard fixture in `hard` and `hard2`.
pub fn hard_server() -> (ScratchPostgres, Pg) {
    let s = ScratchPostgres::start(dbkeeper_postgres::ScratchOptions::default())
        .expect("scratch starts");
    let pg = Pg::of(&s);
    pg.create_db("hard");
    pg.load("hard", &fixture("hard.sql"));
    pg.create_db("hard2");
    pg.load("hard2", &fixture("hard2.sql"));
    (s, pg)
}
