//! SQL text that the dump and restore build from catalog values: literals, qualified names and
//! the statements that give a database back its settings, comment and privileges under
//! whatever name it is restored as. Identifiers always go through [`quote_ident`].

use crate::dump::toc::{AclEntry, DatabaseProps, DbSetting};
use crate::quote_ident;

/// A string literal by PostgreSQL's rules, correct whatever `standard_conforming_strings` is:
/// quotes doubled, and with backslashes an `E''` literal with them doubled too.
pub(crate) fn quote_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 3);
    if value.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `"schema"."name"`.
pub(crate) fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// `("a", "b")`, or nothing for a table without (non-generated) columns.
pub(crate) fn column_list(columns: &[String]) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    format!(" ({})", cols.join(", "))
}

/// Settings whose values are lists that the server stores with its own quoting; pg_dump
/// splits them and quotes each element (the same list as the server's GUC_LIST_QUOTE flag).
const LIST_QUOTE_SETTINGS: &[&str] = &[
    "local_preload_libraries",
    "search_path",
    "session_preload_libraries",
    "shared_preload_libraries",
    "temp_tablespaces",
    "unix_socket_directories",
];

/// `name=value` from `pg_db_role_setting` → `SET name TO value` for `ALTER DATABASE`.
fn set_clause(setting: &str) -> Option<String> {
    let (name, value) = setting.split_once('=')?;
    let is_list = LIST_QUOTE_SETTINGS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name));
    let value = if is_list {
        let items = split_guc_list(value);
        if items.is_empty() {
            // An empty list is stored as `""` and set as the empty string.
            "''".to_string()
        } else {
            items
                .iter()
                .map(|i| quote_literal(i))
                .collect::<Vec<_>>()
                .join(", ")
        }
    } else {
        quote_literal(value)
    };
    Some(format!("SET {} TO {}", quote_ident(name), value))
}

/// Splits a list setting as the server stores it (`"$user", public`): elements separated by
/// commas, each optionally double-quoted with `""` for a quote inside.
fn split_guc_list(raw: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = raw.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        item.push('"');
                    } else {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
            while chars.peek().is_some_and(|c| *c != ',') {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                item.push(c);
                chars.next();
            }
            item = item.trim_end().to_string();
        }
        if !item.is_empty() {
            items.push(item);
        }
        if chars.next().is_none() {
            break;
        }
    }
    items
}

/// The statements that give database `db` the owner, settings, comment, privileges and
/// limits recorded in `props`. They run after everything else was restored, so that a setting
/// such as `default_transaction_read_only` cannot get in the restore's way.
pub(crate) fn database_statements(db: &str, props: &DatabaseProps) -> Vec<String> {
    let qdb = quote_ident(db);
    let mut out = Vec::new();
    if !props.owner.is_empty() {
        out.push(format!(
            "ALTER DATABASE {qdb} OWNER TO {}",
            quote_ident(&props.owner)
        ));
    }
    for DbSetting { role, setting } in &props.settings {
        let Some(clause) = set_clause(setting) else {
            continue;
        };
        out.push(match role {
            None => format!("ALTER DATABASE {qdb} {clause}"),
            Some(r) => format!("ALTER ROLE {} IN DATABASE {qdb} {clause}", quote_ident(r)),
        });
    }
    if let Some(c) = &props.comment {
        out.push(format!("COMMENT ON DATABASE {qdb} IS {}", quote_literal(c)));
    }
    if let Some(acl) = &props.acl {
        out.extend(acl_statements(&qdb, &props.owner, acl));
    }
    if props.connection_limit != -1 {
        out.push(format!(
            "ALTER DATABASE {qdb} CONNECTION LIMIT {}",
            props.connection_limit
        ));
    }
    if props.is_template {
        out.push(format!("ALTER DATABASE {qdb} IS_TEMPLATE true"));
    }
    out
}

/// Replaces the database's privileges with `acl`, as pg_dump does for any object: revoke what
/// the defaults give PUBLIC and the owner, then grant each entry as its grantor (a superuser's
/// grant is recorded as the owner's; another grantor's needs `SET ROLE`).
fn acl_statements(qdb: &str, owner: &str, acl: &[AclEntry]) -> Vec<String> {
    let mut out = vec![format!("REVOKE ALL ON DATABASE {qdb} FROM PUBLIC")];
    if !owner.is_empty() {
        out.push(format!(
            "REVOKE ALL ON DATABASE {qdb} FROM {}",
            quote_ident(owner)
        ));
    }
    for e in acl {
        let grantee = match &e.grantee {
            None => "PUBLIC".to_string(),
            Some(g) => quote_ident(g),
        };
        let grant = format!(
            "GRANT {} ON DATABASE {qdb} TO {grantee}{}",
            privilege_keyword(&e.privilege),
            if e.grantable {
                " WITH GRANT OPTION"
            } else {
                ""
            }
        );
        if e.grantor == owner || e.grantor.is_empty() {
            out.push(grant);
        } else {
            out.push(format!("SET ROLE {}", quote_ident(&e.grantor)));
            out.push(grant);
            out.push("RESET ROLE".to_string());
        }
    }
    out
}

/// Privilege names come from `aclexplode` (`CREATE`, `TEMPORARY`, `CONNECT`); anything else
/// would be a catalog we do not know, and is refused by the server rather than spliced.
fn privilege_keyword(p: &str) -> &'static str {
    match p {
        "CREATE" => "CREATE",
        "TEMPORARY" | "TEMP" => "TEMPORARY",
        "CONNECT" => "CONNECT",
        _ => "NO_SUCH_PRIVILEGE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(quote_literal("abc"), "'abc'");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b'"), "E'a\\\\b'''");
        assert_eq!(quote_literal("医院"), "'医院'");
    }

    #[test]
    fn guc_lists() {
        assert_eq!(split_guc_list("\"$user\", public"), vec!["$user", "public"]);
        assert_eq!(
            split_guc_list("a,\"b \"\"c\"\"\" , d"),
            vec!["a", "b \"c\"", "d"]
        );
        assert!(split_guc_list("\"\"").is_empty());
        assert_eq!(
            set_clause("search_path=\"$user\", public").as_deref(),
            Some("SET \"search_path\" TO '$user', 'public'")
        );
        assert_eq!(
            set_clause("work_mem=8MB").as_deref(),
            Some("SET \"work_mem\" TO '8MB'")
        );
        assert_eq!(
            set_clause("myapp.note=a=b").as_deref(),
            Some("SET \"myapp.note\" TO 'a=b'")
        );
    }

    #[test]
    fn database_statements_use_the_new_name() {
        let props = DatabaseProps {
            owner: "app owner".into(),
            comment: Some("监管 'db'".into()),
            settings: vec![
                DbSetting {
                    role: None,
                    setting: "work_mem=8MB".into(),
                },
                DbSetting {
                    role: Some("reader".into()),
                    setting: "statement_timeout=5s".into(),
                },
            ],
            acl: Some(vec![
                AclEntry {
                    grantor: "app owner".into(),
                    grantee: None,
                    privilege: "CONNECT".into(),
                    grantable: false,
                },
                AclEntry {
                    grantor: "app owner".into(),
                    grantee: Some("reader".into()),
                    privilege: "TEMPORARY".into(),
                    grantable: true,
                },
            ]),
            connection_limit: -1,
            ..DatabaseProps::default()
        };
        let s = database_statements("new \"db\"", &props);
        assert_eq!(
            s,
            vec![
                "ALTER DATABASE \"new \"\"db\"\"\" OWNER TO \"app owner\"",
                "ALTER DATABASE \"new \"\"db\"\"\" SET \"work_mem\" TO '8MB'",
                "ALTER ROLE \"reader\" IN DATABASE \"new \"\"db\"\"\" SET \"statement_timeout\" TO '5s'",
                "COMMENT ON DATABASE \"new \"\"db\"\"\" IS '监管 ''db'''",
                "REVOKE ALL ON DATABASE \"new \"\"db\"\"\" FROM PUBLIC",
                "REVOKE ALL ON DATABASE \"new \"\"db\"\"\" FROM \"app owner\"",
                "GRANT CONNECT ON DATABASE \"new \"\"db\"\"\" TO PUBLIC",
                "GRANT TEMPORARY ON DATABASE \"new \"\"db\"\"\" TO \"reader\" WITH GRANT OPTION",
            ]
        );
    }
}
