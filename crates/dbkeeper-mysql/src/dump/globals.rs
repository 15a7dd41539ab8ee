//! Users, roles and grants (`globals.sql`): `SHOW CREATE USER` and `SHOW GRANTS` of every
//! account that is not the server's own. The statements are written so that applying them to
//! a server that already has an account keeps that account's password (`IF NOT EXISTS`) and
//! adds the grants.
//!
//! Password hashes are part of `SHOW CREATE USER`; they travel inside the (encrypted) backup
//! as they do in any mysqldump of the `mysql` schema.

use bytes::Bytes;
use dbkeeper_core::dump::ObjectSink;
use dbkeeper_core::target::Target;
use dbkeeper_core::Result;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

use crate::dump::names;
use crate::dump::query_error;
use crate::dump::snapshot::Server;
use crate::quote_ident;
use crate::value::text;

/// Accounts that belong to the server, not to the application: restoring them elsewhere would
/// change how that server is administered.
const SYSTEM_USERS: &[&str] = &[
    "root",
    "mariadb.sys",
    "mysql.sys",
    "mysql.session",
    "mysql.infoschema",
    "debian-sys-maint",
    "PUBLIC",
];

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Account {
    user: String,
    host: String,
    role: bool,
}

impl Account {
    fn quoted(&self) -> String {
        if self.role {
            quote_ident(&self.user)
        } else {
            format!("{}@{}", quote_ident(&self.user), quote_ident(&self.host))
        }
    }
}

async fn accounts(target: &Target, conn: &mut Conn, server: &Server) -> Result<Vec<Account>> {
    let sql = if server.mariadb {
        "SELECT User, Host, is_role FROM mysql.user"
    } else {
        "SELECT User, Host, 'N' FROM mysql.user"
    };
    let rows: Vec<Row> = conn
        .query(sql)
        .await
        .map_err(|e| query_error(target, "mysql.user", &e))?;
    let mut out: Vec<Account> = rows
        .iter()
        .filter_map(|r| {
            Some(Account {
                user: text(r, 0)?,
                host: text(r, 1).unwrap_or_default(),
                role: text(r, 2).is_some_and(|v| v.eq_ignore_ascii_case("Y")),
            })
        })
        .filter(|a| !a.user.is_empty() && !SYSTEM_USERS.contains(&a.user.as_str()))
        .collect();
    // Roles first (users are granted them), then users; each in name order.
    out.sort_by(|a, b| (!a.role, &a.user, &a.host).cmp(&(!b.role, &b.user, &b.host)));
    Ok(out)
}

async fn lines(target: &Target, conn: &mut Conn, sql: &str) -> Result<Vec<String>> {
    let rows: Vec<Row> = conn
        .query(sql)
        .await
        .map_err(|e| query_error(target, sql, &e))?;
    Ok(rows.iter().filter_map(|r| text(r, 0)).collect())
}

/// `CREATE USER `u`@`h` …` → `CREATE USER IF NOT EXISTS `u`@`h` …`.
fn if_not_exists(create: &str) -> String {
    match create.strip_prefix("CREATE USER ") {
        Some(rest) if !rest.starts_with("IF NOT EXISTS") => {
            format!("CREATE USER IF NOT EXISTS {rest}")
        }
        _ => create.to_string(),
    }
}

fn statement(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(';') {
        format!("{s}\n")
    } else {
        format!("{s};\n")
    }
}

/// Writes `globals.sql`; returns its name and the number of accounts.
pub(crate) async fn dump(
    target: &Target,
    conn: &mut Conn,
    server: &Server,
    sink: &dyn ObjectSink,
) -> Result<(String, usize)> {
    if !server.mariadb && server.at_least(8, 0, 17) {
        // MySQL's caching_sha2_password hashes are binary; as hex they survive as text.
        conn.query_drop("SET SESSION print_identified_with_as_hex = ON")
            .await
            .map_err(|e| query_error(target, "print_identified_with_as_hex", &e))?;
    }
    let accounts = accounts(target, conn, server).await?;
    let mut creates = String::new();
    let mut grants = String::new();
    for a in &accounts {
        if a.role {
            creates.push_str(&statement(&format!(
                "CREATE ROLE IF NOT EXISTS {}",
                a.quoted()
            )));
        } else {
            for line in lines(target, conn, &format!("SHOW CREATE USER {}", a.quoted())).await? {
                creates.push_str(&statement(&if_not_exists(&line)));
            }
        }
        for line in lines(target, conn, &format!("SHOW GRANTS FOR {}", a.quoted())).await? {
            grants.push_str(&statement(&line));
        }
    }
    let mut text = format!(
        "-- dbkeeper: users, roles and grants of a {} {} server ({} accounts)\n",
        server.product,
        server.version,
        accounts.len()
    );
    text.push_str(&creates);
    text.push_str(&grants);
    let mut object = sink.create(names::GLOBALS).await?;
    object.write(Bytes::from(text)).await?;
    object.finish().await?;
    Ok((names::GLOBALS.to_string(), accounts.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_user_becomes_idempotent() {
        assert_eq!(
            if_not_exists("CREATE USER `a`@`%` IDENTIFIED BY PASSWORD '*X'"),
            "CREATE USER IF NOT EXISTS `a`@`%` IDENTIFIED BY PASSWORD '*X'"
        );
        assert_eq!(
            if_not_exists("CREATE USER IF NOT EXISTS `a`@`%`"),
            "CREATE USER IF NOT EXISTS `a`@`%`"
        );
        assert_eq!(
            statement("GRANT USAGE ON *.* TO `a`@`%`"),
            "GRANT USAGE ON *.* TO `a`@`%`;\n"
        );
    }

    #[test]
    fn accounts_quote_by_kind() {
        let u = Account {
            user: "app`x".into(),
            host: "10.%".into(),
            role: false,
        };
        assert_eq!(u.quoted(), "`app``x`@`10.%`");
        let r = Account {
            user: "reader".into(),
            host: String::new(),
            role: true,
        };
        assert_eq!(r.quoted(), "`reader`");
    }
}
