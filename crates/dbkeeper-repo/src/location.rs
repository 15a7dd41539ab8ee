//! Where a repository lives, parsed from its URL:
//! `file:///var/backups/x` or `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=cn-hangzhou&path_style=true&profile=NAME`.
//!
//! URLs carry no credentials: a user name or password in an S3 URL is refused, because URLs end
//! up in argv, logs and reports.

use std::fmt;
use std::path::PathBuf;

use dbkeeper_core::{Error, ErrorKind, Result, Text};

use crate::msg;

const S3_PARAMS: &[&str] = &["endpoint", "region", "path_style", "profile"];

/// A parsed repository URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoLocation {
    /// A directory on this machine (or a mount).
    Local { path: PathBuf },
    /// A bucket and prefix on S3-compatible object storage.
    S3(S3Location),
}

/// The S3 part of a repository URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Key prefix without leading or trailing `/`; empty for the bucket's root.
    pub prefix: String,
    /// `http://127.0.0.1:9000`, `https://oss-cn-hangzhou.aliyuncs.com`; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// `bucket` in the path rather than in the host name (MinIO, Ceph and most private clouds).
    pub path_style: bool,
    /// A profile of `~/.aws/credentials` and `~/.aws/config`.
    pub profile: Option<String>,
}

impl RepoLocation {
    /// Parses a repository URL; every problem is a [`ErrorKind::Config`] error naming the URL.
    pub fn parse(raw: &str) -> Result<RepoLocation> {
        let raw = raw.trim();
        let url = url::Url::parse(raw).map_err(|e| {
            config_error(Text::new(msg::URL_INVALID).arg("url", raw), raw)
                .detail(e)
                .hint(Text::new(msg::URL_HINT))
        })?;
        match url.scheme() {
            "file" => parse_file(raw, &url),
            "s3" => parse_s3(raw, &url),
            other => Err(config_error(
                Text::new(msg::URL_SCHEME)
                    .arg("scheme", other)
                    .arg("url", raw),
                raw,
            )
            .hint(Text::new(msg::URL_HINT))),
        }
    }

    /// True for object storage, which DESIGN treats as offsite: clear text there needs consent.
    pub fn is_offsite(&self) -> bool {
        matches!(self, RepoLocation::S3(_))
    }
}

fn config_error(what: Text, raw: &str) -> Error {
    Error::new(ErrorKind::Config, what).at(raw.to_string())
}

fn parse_file(raw: &str, url: &url::Url) -> Result<RepoLocation> {
    if let Some((name, _)) = url.query_pairs().next() {
        return Err(config_error(
            Text::new(msg::URL_PARAM).arg("param", name).arg("url", raw),
            raw,
        )
        .hint(Text::new(msg::URL_PARAM_FILE_HINT)));
    }
    let host = url.host_str().unwrap_or_default();
    if !host.is_empty() && host != "localhost" {
        return Err(config_error(
            Text::new(msg::URL_FILE_HOST)
                .arg("host", host)
                .arg("url", raw),
            raw,
        )
        .hint(
            Text::new(msg::URL_FILE_HOST_HINT)
                .arg("fixed", format!("file:///{host}{}", url.path())),
        ));
    }
    let path = url
        .to_file_path()
        .ok()
        .filter(|p| p.is_absolute() && p.parent().is_some())
        .ok_or_else(|| {
            config_error(Text::new(msg::URL_FILE_PATH).arg("url", raw), raw)
                .hint(Text::new(msg::URL_HINT))
        })?;
    Ok(RepoLocation::Local { path })
}

fn parse_s3(raw: &str, url: &url::Url) -> Result<RepoLocation> {
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo the URL itself here: it holds the secret.
        return Err(
            Error::new(ErrorKind::Config, Text::new(msg::URL_CREDENTIALS))
                .hint(Text::new(msg::URL_CREDENTIALS_HINT)),
        );
    }
    let bucket = url.host_str().unwrap_or_default().to_string();
    if !valid_bucket(&bucket) {
        return Err(config_error(
            Text::new(msg::URL_BUCKET)
                .arg("bucket", &bucket)
                .arg("url", raw),
            raw,
        )
        .hint(Text::new(msg::URL_BUCKET_HINT)));
    }
    let path = percent_decode(url.path().trim_matches('/'));
    // `url` resolves `a/../b` to `b`; a prefix that means something else than it says is refused,
    // so look at the URL as written.
    let written = raw
        .split_once("://")
        .map(|(_, rest)| rest.split(['?', '#']).next().unwrap_or_default())
        .and_then(|rest| rest.split_once('/').map(|(_, p)| p.trim_end_matches('/')))
        .unwrap_or_default();
    if written
        .split('/')
        .any(|seg| seg == "." || seg == ".." || seg.eq_ignore_ascii_case("%2e%2e"))
        || written.contains("//")
    {
        return Err(
            config_error(Text::new(msg::URL_PREFIX).arg("url", raw), raw)
                .hint(Text::new(msg::URL_HINT)),
        );
    }
    let mut loc = S3Location {
        bucket,
        prefix: path,
        endpoint: None,
        region: None,
        path_style: false,
        profile: None,
    };
    let mut seen = Vec::new();
    for (name, value) in url.query_pairs() {
        let name = name.into_owned();
        let value = value.into_owned();
        if seen.contains(&name) {
            return Err(config_error(
                Text::new(msg::URL_PARAM_TWICE)
                    .arg("param", &name)
                    .arg("url", raw),
                raw,
            )
            .hint(Text::new(msg::URL_PARAM_HINT).arg("known", S3_PARAMS.join(", "))));
        }
        let bad_value = |known: &str| {
            config_error(
                Text::new(msg::URL_PARAM_VALUE)
                    .arg("value", &value)
                    .arg("param", &name),
                raw,
            )
            .hint(Text::new(msg::URL_PARAM_VALUE_HINT).arg("known", known))
        };
        match name.as_str() {
            "endpoint" => {
                let ok = url::Url::parse(&value).ok().filter(|e| {
                    matches!(e.scheme(), "http" | "https")
                        && e.host_str().is_some()
                        && e.username().is_empty()
                        && e.password().is_none()
                });
                if ok.is_none() {
                    return Err(bad_value("http://HOST:PORT, https://HOST"));
                }
                loc.endpoint = Some(value.trim_end_matches('/').to_string());
            }
            "region" => {
                if value.is_empty()
                    || !value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(bad_value("cn-hangzhou, us-east-1, …"));
                }
                loc.region = Some(value.clone());
            }
            "path_style" => {
                loc.path_style = match value.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" | "on" => true,
                    "false" | "0" | "no" | "off" => false,
                    _ => return Err(bad_value("true, false")),
                }
            }
            "profile" => {
                if value.is_empty() {
                    return Err(bad_value("a profile name from ~/.aws/config"));
                }
                loc.profile = Some(value.clone());
            }
            _ => {
                return Err(config_error(
                    Text::new(msg::URL_PARAM)
                        .arg("param", &name)
                        .arg("url", raw),
                    raw,
                )
                .hint(Text::new(msg::URL_PARAM_HINT).arg("known", S3_PARAMS.join(", "))))
            }
        }
        seen.push(name);
    }
    Ok(RepoLocation::S3(loc))
}

/// S3's bucket naming rules, loosely: what every S3-compatible service accepts.
fn valid_bucket(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && b.as_bytes()[0].is_ascii_alphanumeric()
        && b.as_bytes()[b.len() - 1].is_ascii_alphanumeric()
}

fn percent_decode(s: &str) -> String {
    // `url` keeps the path percent-encoded; prefixes with spaces or Chinese characters are legal keys.
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Display for RepoLocation {
    /// The canonical URL: safe to print, it never holds credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RepoLocation::Local { path } => write!(f, "file://{}", path.display()),
            RepoLocation::S3(s3) => {
                write!(f, "s3://{}", s3.bucket)?;
                if !s3.prefix.is_empty() {
                    write!(f, "/{}", s3.prefix)?;
                }
                let mut params = Vec::new();
                if let Some(e) = &s3.endpoint {
                    params.push(format!("endpoint={e}"));
                }
                if let Some(r) = &s3.region {
                    params.push(format!("region={r}"));
                }
                if s3.path_style {
                    params.push("path_style=true".to_string());
                }
                if let Some(p) = &s3.profile {
                    params.push(format!("profile={p}"));
                }
                if !params.is_empty() {
                    write!(f, "?{}", params.join("&"))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbkeeper_core::Lang;

    #[test]
    fn parses_local_paths() {
        let l = RepoLocation::parse("file:///var/backups/x").expect("local");
        assert_eq!(
            l,
            RepoLocation::Local {
                path: PathBuf::from("/var/backups/x")
            }
        );
        assert!(!l.is_offsite());
        assert_eq!(l.to_string(), "file:///var/backups/x");
        let l = RepoLocation::parse("file://localhost/srv/%E5%A4%87%E4%BB%BD").expect("local");
        assert_eq!(
            l,
            RepoLocation::Local {
                path: PathBuf::from("/srv/备份")
            }
        );
    }

    #[test]
    fn parses_s3_with_every_parameter() {
        let l = RepoLocation::parse(
            "s3://dbk-backups/prod/pg?endpoint=http://127.0.0.1:9000/&region=cn-hangzhou&path_style=true&profile=ops",
        )
        .expect("s3");
        let RepoLocation::S3(s3) = &l else {
            panic!("not s3: {l:?}")
        };
        assert_eq!(s3.bucket, "dbk-backups");
        assert_eq!(s3.prefix, "prod/pg");
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.region.as_deref(), Some("cn-hangzhou"));
        assert!(s3.path_style);
        assert_eq!(s3.profile.as_deref(), Some("ops"));
        assert!(l.is_offsite());
        assert_eq!(
            l.to_string(),
            "s3://dbk-backups/prod/pg?endpoint=http://127.0.0.1:9000&region=cn-hangzhou&path_style=true&profile=ops"
        );
        let bare = RepoLocation::parse("s3://bucket").expect("bare");
        let RepoLocation::S3(s3) = bare else {
            panic!("not s3")
        };
        assert_eq!(s3.prefix, "");
        assert!(!s3.path_style);
    }

    fn err(raw: &str) -> Error {
        RepoLocation::parse(raw).expect_err(raw)
    }

    #[test]
    fn malformed_urls_are_config_errors_with_hints() {
        for raw in [
            "not a url",
            "/var/backups/x",
            "ftp://host/x",
            "file://otherhost/x",
            "file:///",
            "file:///x?mode=fast",
            "s3://B/prefix",
            "s3://bucket/a/../b",
            "s3://bucket/x?endpoint=notaurl",
            "s3://bucket/x?path_style=maybe",
            "s3://bucket/x?region=",
            "s3://bucket/x?region=a&region=b",
        ] {
            let e = err(raw);
            assert_eq!(e.kind, ErrorKind::Config, "{raw}");
            assert!(e.main.hint.is_some(), "{raw} has no hint");
            assert!(e.main.at.is_some(), "{raw} has no place");
        }
    }

    #[test]
    fn unknown_parameter_lists_the_known_ones_in_both_languages() {
        let e = err("s3://bucket/x?endpiont=http://h");
        let en = e.render(Lang::En);
        assert!(en.contains("unknown parameter `endpiont`"), "{en}");
        assert!(en.contains("endpoint, region, path_style, profile"), "{en}");
        let zh = e.render(Lang::ZhCn);
        assert!(zh.contains("endpiont"), "{zh}");
        assert!(zh.contains("可用参数"), "{zh}");
    }

    #[test]
    fn unknown_scheme_names_it() {
        let e = err("gs://bucket/x");
        assert!(e.render(Lang::En).contains("`gs`"));
    }

    #[test]
    fn credentials_in_url_are_refused_without_echoing_them() {
        let e = err("s3://AKID:SuperSecret@bucket/x");
        let all = format!("{}{}", e.render(Lang::En), e.render(Lang::ZhCn));
        assert!(!all.contains("SuperSecret"), "{all}");
        assert!(!all.contains("AKID"), "{all}");
        assert_eq!(e.kind, ErrorKind::Config);
    }
}
