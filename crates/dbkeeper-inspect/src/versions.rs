//! Version data: support windows (end of life) and the newest minor release of each branch,
//! with the releases that fixed security problems. Bundled in the binary from
//! `data/versions.json` and replaceable by a newer file without a new build (research §1.7:
//! postgresqltuner's hard-coded "13 is latest" went stale; pg_gather ships `meta.json`).

use std::path::Path;

use chrono::NaiveDate;
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use crate::msg;

const BUNDLED: &str = include_str!("../data/versions.json");

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct VersionData {
    pub format: u32,
    /// The date of the newest release the file knows of.
    pub as_of: NaiveDate,
    #[serde(default)]
    pub note: String,
    pub products: std::collections::BTreeMap<String, ProductVersions>,
    /// Where it was read from; `None` for the bundled copy.
    #[serde(skip)]
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct ProductVersions {
    pub branches: Vec<Branch>,
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Branch {
    /// `15` for PostgreSQL, `10.11` for MariaDB, `8.0` for MySQL.
    pub branch: String,
    pub released: Option<NaiveDate>,
    pub eol: Option<NaiveDate>,
    pub latest: String,
    #[serde(default)]
    pub lts: bool,
    #[serde(default)]
    pub security: Vec<SecurityRelease>,
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct SecurityRelease {
    pub version: String,
    pub date: Option<NaiveDate>,
    /// Empty when the release fixed security problems whose ids the file does not list.
    #[serde(default)]
    pub cves: Vec<String>,
}

/// Where a server's version stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub branch: Branch,
    /// Minor releases between the server's and the newest.
    pub behind: u32,
    /// Security releases newer than the server's.
    pub missed: Vec<SecurityRelease>,
}

impl VersionData {
    /// The copy built into dbkeeper.
    pub fn bundled() -> VersionData {
        // The bundled file is checked by a unit test; should it ever fail to parse, an empty
        // table makes the version checks say "unknown branch" rather than panic.
        serde_json::from_str(BUNDLED).unwrap_or_else(|_| VersionData {
            format: 1,
            as_of: NaiveDate::MIN,
            note: String::new(),
            products: Default::default(),
            source: None,
        })
    }

    /// Reads a replacement file (config `inspect.versions_file`).
    pub fn load(path: &Path) -> Result<VersionData> {
        let shown = path.display().to_string();
        let err = |detail: String| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::VERSIONS_FILE).arg("path", &shown),
            )
            .at(&shown)
            .hint(Text::new(msg::VERSIONS_FILE_HINT))
            .detail(detail)
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let mut data: VersionData =
            serde_json::from_str(&text).map_err(|e| err(format!("line {}: {e}", e.line())))?;
        if data.format != 1 {
            return Err(err(format!(
                "format {} (this dbkeeper reads 1)",
                data.format
            )));
        }
        data.source = Some(shown);
        Ok(data)
    }

    /// `product` is `postgresql`, `mariadb` or `mysql`; `version` like `15.20` or `10.11.19`.
    pub fn standing(&self, product: &str, version: &str) -> Option<Standing> {
        let p = self.products.get(product)?;
        let branch_name = branch_of(product, version)?;
        let branch = p.branches.iter().find(|b| b.branch == branch_name)?.clone();
        let mine = last_number(version)?;
        let latest = last_number(&branch.latest).unwrap_or(mine);
        let missed = branch
            .security
            .iter()
            .filter(|s| last_number(&s.version).is_some_and(|n| n > mine))
            .cloned()
            .collect();
        Some(Standing {
            behind: latest.saturating_sub(mine),
            missed,
            branch,
        })
    }

    /// The label for messages: `bundled 2026-11-12` or the file's path.
    pub fn describe(&self) -> String {
        match &self.source {
            Some(p) => format!("{p} ({})", self.as_of),
            None => format!("bundled ({})", self.as_of),
        }
    }
}

/// The branch a version belongs to: PostgreSQL ≥ 10 by its first number (9.6 by two),
/// MariaDB and MySQL by the first two.
pub fn branch_of(product: &str, version: &str) -> Option<String> {
    let nums: Vec<&str> = version
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let first: u32 = nums.first()?.parse().ok()?;
    if product == "postgresql" && first >= 10 {
        Some(first.to_string())
    } else {
        Some(format!("{first}.{}", nums.get(1)?))
    }
}

/// The last numeric component of `15.20` (20) or `10.11.19-MariaDB` (19).
fn last_number(version: &str) -> Option<u32> {
    let core = version
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?;
    core.trim_end_matches('.').rsplit('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_file_parses_and_knows_each_product() {
        let d: VersionData = serde_json::from_str(BUNDLED).expect("bundled versions.json");
        for p in ["postgresql", "mariadb", "mysql"] {
            assert!(!d.products[p].branches.is_empty(), "{p}");
        }
    }

    #[test]
    fn branches_and_lag() {
        assert_eq!(branch_of("postgresql", "15.20").as_deref(), Some("15"));
        assert_eq!(branch_of("postgresql", "9.6.24").as_deref(), Some("9.6"));
        assert_eq!(
            branch_of("mariadb", "10.11.19-MariaDB").as_deref(),
            Some("10.11")
        );
        let d = VersionData::bundled();
        let s = d.standing("postgresql", "15.14").expect("15 known");
        assert_eq!(s.behind, 6);
        assert!(s.missed.iter().any(|r| r.version == "15.18"));
        assert!(!s.missed.iter().any(|r| r.version == "15.14"));
        assert!(d.standing("postgresql", "99.1").is_none());
    }
}
