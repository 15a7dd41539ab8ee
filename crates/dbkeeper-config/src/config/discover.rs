//! Where the config file is, and what a `TARGET` or `REPO` argument means.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use dbkeeper_core::target::{redact_url, Target};
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use super::read::redact_text;
use super::repo::check_repo_url;
use super::{load, Config, RepoEntry, Retention};
use crate::msg;
use crate::yaml::did_you_mean;

/// Finds and loads the config: `--config FILE` (must exist), else `DBKEEPER_CONFIG` (must
/// exist), else `./dbkeeper.yaml`, else `$XDG_CONFIG_HOME/dbkeeper/dbkeeper.yaml` (by default
/// `~/.config/dbkeeper/dbkeeper.yaml`), each if it exists; `Ok(None)` when there is none —
/// everything works with URLs alone.
pub fn discover(explicit: Option<&Path>) -> Result<Option<Config>> {
    match locate(explicit)? {
        Some(path) => load(&path).map(Some),
        None => Ok(None),
    }
}

/// The config file [`discover`] would load, without reading it.
pub fn locate(explicit: Option<&Path>) -> Result<Option<PathBuf>> {
    let cwd = std::env::current_dir().ok();
    locate_with(explicit, &|var| std::env::var_os(var), cwd.as_deref())
}

/// [`locate`] with the environment and working directory given, so tests need not change the
/// process's own.
pub(super) fn locate_with(
    explicit: Option<&Path>,
    env: &dyn Fn(&str) -> Option<OsString>,
    cwd: Option<&Path>,
) -> Result<Option<PathBuf>> {
    if let Some(path) = explicit {
        return must_exist(path, msg::NOT_FOUND_FLAG_HINT);
    }
    let set = |var: &str| env(var).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(path) = set("DBKEEPER_CONFIG") {
        return must_exist(&path, msg::NOT_FOUND_ENV_HINT);
    }
    let local = cwd.map(|d| d.join("dbkeeper.yaml"));
    // XDG: a relative XDG_CONFIG_HOME is invalid and ignored.
    let config_home = set("XDG_CONFIG_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|h| h.join(".config")));
    let user = config_home.map(|d| d.join("dbkeeper").join("dbkeeper.yaml"));
    Ok([local, user].into_iter().flatten().find(|p| p.is_file()))
}

fn must_exist(path: &Path, hint: dbkeeper_core::Msg) -> Result<Option<PathBuf>> {
    if path.exists() {
        Ok(Some(path.to_path_buf()))
    } else {
        let shown = path.display().to_string();
        Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::NOT_FOUND).arg("path", &shown),
        )
        .at(shown)
        .hint(Text::new(hint)))
    }
}

/// A `TARGET` argument: a name from the config, else a `postgres://` or `mysql://` URL (which
/// takes the config's default connect timeout, if any), else a usage error with a did-you-mean.
pub fn resolve_target(config: Option<&Config>, name_or_url: &str) -> Result<Target> {
    if let Some(entry) = config.and_then(|c| c.target(name_or_url)) {
        return Ok(entry.target.clone());
    }
    if name_or_url.contains("://") {
        let mut target = Target::from_url(None, name_or_url).map_err(|mut e| {
            // Core quotes the URL in some messages; never with its password.
            e.main.what = redact_text(e.main.what);
            e.main.hint = e.main.hint.map(redact_text);
            e
        })?;
        let url_has_timeout = name_or_url.contains("connect_timeout=");
        if let Some(t) = config.and_then(|c| c.defaults.connect_timeout) {
            if !url_has_timeout {
                target.connect_timeout = t;
            }
        }
        return Ok(target);
    }
    let names = config
        .map(|c| {
            c.targets
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let hint = not_found_hint(
        config,
        name_or_url,
        &names,
        [
            msg::NO_TARGET_SUGGEST_HINT,
            msg::NO_TARGET_HINT,
            msg::NO_TARGET_NO_CONFIG_HINT,
        ],
    );
    Err(Error::new(
        ErrorKind::Usage,
        Text::new(msg::NO_TARGET).arg("name", name_or_url),
    )
    .hint(hint))
}

/// A `REPO` argument: a name from the config, else a `file://` or `s3://` URL (checked like the
/// config's, with no recipients: the caller adds `--recipient` and decides on encryption).
pub fn resolve_repo(config: Option<&Config>, name_or_url: &str) -> Result<RepoEntry> {
    if let Some(entry) = config.and_then(|c| c.repo(name_or_url)) {
        return Ok(entry.clone());
    }
    if name_or_url.contains("://") {
        check_repo_url(name_or_url).map_err(|(what, hint)| {
            Error::new(ErrorKind::Usage, what)
                .at(redact_url(name_or_url))
                .hint(hint)
        })?;
        return Ok(RepoEntry {
            name: redact_url(name_or_url),
            url: name_or_url.to_string(),
            recipients: Vec::new(),
            passphrase: None,
            identity: None,
            allow_unencrypted: false,
            retention: Retention::default(),
        });
    }
    let names = config
        .map(|c| c.repos.iter().map(|r| r.name.as_str()).collect::<Vec<_>>())
        .unwrap_or_default();
    let hint = not_found_hint(
        config,
        name_or_url,
        &names,
        [
            msg::NO_REPO_SUGGEST_HINT,
            msg::NO_REPO_HINT,
            msg::NO_REPO_NO_CONFIG_HINT,
        ],
    );
    Err(Error::new(
        ErrorKind::Usage,
        Text::new(msg::NO_REPO).arg("name", name_or_url),
    )
    .hint(hint))
}

/// `[with suggestion, with config, without config]` hints, the right one filled in.
fn not_found_hint(
    config: Option<&Config>,
    name: &str,
    names: &[&str],
    [suggest, plain, no_config]: [dbkeeper_core::Msg; 3],
) -> Text {
    let Some(config) = config else {
        return Text::new(no_config).arg("name", name);
    };
    let path = config.shown_path();
    match did_you_mean(name, names.iter().copied()) {
        Some(s) => Text::new(suggest)
            .arg("suggestion", s)
            .arg("name", name)
            .arg("path", path),
        None => Text::new(plain).arg("name", name).arg("path", path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &Path)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn order_flag_env_cwd_xdg_home() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let touch = |rel: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "version: 1\n").expect("write");
            p
        };
        let flag = touch("flag.yaml");
        let from_env = touch("env.yaml");
        let cwd = root.join("work");
        let xdg = root.join("xdg");
        let home = root.join("home");
        let all = env(&[
            ("DBKEEPER_CONFIG", &from_env),
            ("XDG_CONFIG_HOME", &xdg),
            ("HOME", &home),
        ]);
        let no_env = env(&[("XDG_CONFIG_HOME", &xdg), ("HOME", &home)]);
        let home_only = env(&[("HOME", &home)]);

        let found = |explicit: Option<&Path>, e: &dyn Fn(&str) -> Option<OsString>| {
            locate_with(explicit, e, Some(&cwd)).expect("no error")
        };
        assert_eq!(found(Some(&flag), &all), Some(flag.clone()));
        assert_eq!(found(None, &all), Some(from_env.clone()));
        // Nothing anywhere yet.
        assert_eq!(found(None, &no_env), None);
        let home_file = touch("home/.config/dbkeeper/dbkeeper.yaml");
        assert_eq!(found(None, &home_only), Some(home_file.clone()));
        // XDG_CONFIG_HOME, when set, replaces ~/.config.
        assert_eq!(found(None, &no_env), None);
        let xdg_file = touch("xdg/dbkeeper/dbkeeper.yaml");
        assert_eq!(found(None, &no_env), Some(xdg_file));
        let local = touch("work/dbkeeper.yaml");
        assert_eq!(found(None, &no_env), Some(local));

        // Named but missing: an error naming where the name came from.
        let gone = root.join("gone.yaml");
        let e = locate_with(Some(&gone), &no_env, Some(&cwd)).expect_err("flag");
        assert_eq!(e.main.what.id(), "config.not_found");
        assert_eq!(
            e.main.hint.as_ref().map(Text::id),
            Some("config.not_found_flag_hint")
        );
        assert_eq!(e.exit_code(), 78);
        let e =
            locate_with(None, &env(&[("DBKEEPER_CONFIG", &gone)]), Some(&cwd)).expect_err("env");
        assert_eq!(
            e.main.hint.as_ref().map(Text::id),
            Some("config.not_found_env_hint")
        );
    }
}
