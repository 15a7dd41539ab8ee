//! A repository in a local directory (or a mounted one).
//!
//! An object is written to `KEY.partial`, fsynced, renamed to `KEY`, and the directory fsynced:
//! a kill at any moment leaves either the whole object or a `.partial` that no one mistakes for
//! it. Directories are created 0700 and files 0600: backups hold patient data.

use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::AsyncWriteExt;

use super::{aborted_error, check_key, Body, ObjectMeta, ObjectRead, Store};
use crate::location::RepoLocation;
use crate::msg;

/// The suffix of an object being written.
pub const PARTIAL_SUFFIX: &str = ".partial";

#[derive(Debug)]
pub struct LocalStore {
    root: PathBuf,
    location: RepoLocation,
}

impl LocalStore {
    pub fn new(root: PathBuf) -> LocalStore {
        LocalStore {
            location: RepoLocation::Local { path: root.clone() },
            root,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, key: &str) -> Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    fn write_error(&self, path: &Path, e: io::Error) -> Error {
        let mut err = Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::LOCAL_WRITE).arg("path", path.display()),
        )
        .at(self.location.to_string())
        .detail(&e);
        err = match e.raw_os_error() {
            Some(libc_enospc) if libc_enospc == nix::errno::Errno::ENOSPC as i32 => {
                err.hint(Text::new(msg::LOCAL_WRITE_FULL_HINT))
            }
            _ => err.hint(Text::new(msg::LOCAL_WRITE_HINT)),
        };
        err
    }

    fn read_error(&self, path: &Path, e: io::Error) -> Error {
        Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::LOCAL_READ).arg("path", path.display()),
        )
        .at(self.location.to_string())
        .detail(e)
        .hint(Text::new(msg::LOCAL_READ_HINT))
    }

    async fn write_partial(&self, partial: &Path, body: &mut Body) -> Result<Option<u64>> {
        let mut opts = tokio::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true).mode(0o600);
        let mut file = opts
            .open(partial)
            .await
            .map_err(|e| self.write_error(partial, e))?;
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            let Ok(chunk) = chunk else {
                return Ok(None);
            };
            file.write_all(&chunk)
                .await
                .map_err(|e| self.write_error(partial, e))?;
            size += chunk.len() as u64;
        }
        file.flush()
            .await
            .map_err(|e| self.write_error(partial, e))?;
        file.sync_all()
            .await
            .map_err(|e| self.write_error(partial, e))?;
        Ok(Some(size))
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(PARTIAL_SUFFIX);
    PathBuf::from(s)
}

/// Creates `dir` and its missing parents with mode 0700.
fn make_dirs(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Makes a rename durable: the directory entry is on disk only after the directory is synced.
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[async_trait]
impl Store for LocalStore {
    fn location(&self) -> &RepoLocation {
        &self.location
    }

    async fn put(&self, key: &str, mut body: Body) -> Result<u64> {
        let path = self.path_of(key)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        make_dirs(&dir).map_err(|e| self.write_error(&dir, e))?;
        let partial = partial_path(&path);
        let written = self.write_partial(&partial, &mut body).await;
        let size = match written {
            Ok(Some(size)) => size,
            Ok(None) => {
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(aborted_error(&self.location, key));
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(e);
            }
        };
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(|e| self.write_error(&path, e))?;
        sync_dir(&dir).map_err(|e| self.write_error(&dir, e))?;
        Ok(size)
    }

    /// Atomic on one filesystem: the content goes to a private temporary file, which is then
    /// hard-linked to the key; `link(2)` fails if the key exists, and the key never holds a
    /// half-written lock.
    async fn put_if_absent(&self, key: &str, data: Bytes) -> Result<bool> {
        let path = self.path_of(key)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        make_dirs(&dir).map_err(|e| self.write_error(&dir, e))?;
        let tmp = dir.join(format!(
            ".{}.{}.{:x}.tmp",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id(),
            crate::id::random_u64()
        ));
        let result = (|| -> io::Result<bool> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            io::Write::write_all(&mut f, &data)?;
            f.sync_all()?;
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => {
                    sync_dir(&dir)?;
                    Ok(true)
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e),
            }
        })();
        let _ = std::fs::remove_file(&tmp);
        result.map_err(|e| self.write_error(&path, e))
    }

    async fn get(&self, key: &str) -> Result<Option<ObjectRead>> {
        let path = self.path_of(key)?;
        match tokio::fs::File::open(&path).await {
            Ok(f) => Ok(Some(Box::new(f))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.read_error(&path, e)),
        }
    }

    async fn head(&self, key: &str) -> Result<Option<u64>> {
        let path = self.path_of(key)?;
        match tokio::fs::metadata(&path).await {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.read_error(&path, e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>> {
        let root = self.root.clone();
        let prefix = prefix.to_string();
        let walked = tokio::task::spawn_blocking(move || walk(&root, &prefix, usize::MAX))
            .await
            .map_err(|e| Error::new(ErrorKind::Internal, Text::verbatim(e.to_string())))?;
        walked.map_err(|(path, e)| self.read_error(&path, e))
    }

    async fn first_key(&self, prefix: &str) -> Result<Option<String>> {
        let root = self.root.clone();
        let prefix = prefix.to_string();
        let walked = tokio::task::spawn_blocking(move || walk(&root, &prefix, 1))
            .await
            .map_err(|e| Error::new(ErrorKind::Internal, Text::verbatim(e.to_string())))?;
        Ok(walked
            .map_err(|(path, e)| self.read_error(&path, e))?
            .into_iter()
            .next()
            .map(|m| m.key))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let path = self.path_of(key)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.write_error(&path, e)),
        }
        // Tidy up emptied folders (a deleted backup's directory), never the root itself. A
        // directory that is not empty, or that a writer just filled, simply stays.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || !d.starts_with(&self.root) || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    fn host_lock_path(&self, lock_key: &str) -> Option<PathBuf> {
        check_key(lock_key).ok()?;
        Some(self.root.join(format!("{lock_key}.flock")))
    }
}

/// Every regular file under `root` whose key starts with `prefix`, sorted, at most `limit`.
/// Only the directories the prefix can reach are read.
fn walk(
    root: &Path,
    prefix: &str,
    limit: usize,
) -> std::result::Result<Vec<ObjectMeta>, (PathBuf, io::Error)> {
    let mut out = Vec::new();
    // Start at the deepest directory the prefix fully names.
    let start_rel = match prefix.rfind('/') {
        Some(i) => &prefix[..i],
        None => "",
    };
    let start = if start_rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(start_rel)
    };
    let mut stack = vec![(start, start_rel.to_string())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if e.raw_os_error() == Some(nix::errno::Errno::ENOTDIR as i32) => continue,
            Err(e) => return Err((dir, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| (dir.clone(), e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ft = entry.file_type().map_err(|e| (entry.path(), e))?;
            names.push((key, ft, entry.path()));
        }
        for (key, ft, path) in names {
            if ft.is_dir() {
                // Descend only where keys can still match the prefix.
                let as_dir = format!("{key}/");
                if as_dir.starts_with(prefix) || prefix.starts_with(&as_dir) {
                    stack.push((path, key));
                }
            } else if ft.is_file() && key.starts_with(prefix) {
                let size = std::fs::metadata(&path)
                    .map_err(|e| (path.clone(), e))?
                    .len();
                out.push(ObjectMeta {
                    key,
                    size_bytes: size,
                });
            }
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::body_channel;
    use std::os::unix::fs::PermissionsExt;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn put_get_list_delete() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("repo");
        let s = LocalStore::new(root.clone());
        let (tx, body) = body_channel(2);
        let put = tokio::spawn(async move {
            let s = LocalStore::new(root);
            s.put("a/b/c.bin", body).await
        });
        tx.send(Bytes::from_static(b"hello ")).await.expect("send");
        tx.send(Bytes::from_static(b"world")).await.expect("send");
        tx.finish().await.expect("finish");
        assert_eq!(put.await.expect("join").expect("put"), 11);

        let mut r = s.get("a/b/c.bin").await.expect("get").expect("exists");
        let mut text = String::new();
        r.read_to_string(&mut text).await.expect("read");
        assert_eq!(text, "hello world");
        assert_eq!(s.head("a/b/c.bin").await.expect("head"), Some(11));
        assert_eq!(s.head("a/b/nope").await.expect("head"), None);
        assert!(s.get("nope").await.expect("get").is_none());

        let dir_mode = std::fs::metadata(s.root().join("a/b"))
            .expect("dir")
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let file_mode = std::fs::metadata(s.root().join("a/b/c.bin"))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(file_mode & 0o777, 0o600);

        (&s as &dyn Store)
            .put_bytes("a/x", Bytes::from_static(b"1"))
            .await
            .expect("put");
        (&s as &dyn Store)
            .put_bytes("ab", Bytes::from_static(b"22"))
            .await
            .expect("put");
        let keys: Vec<_> = s
            .list("a/")
            .await
            .expect("list")
            .into_iter()
            .map(|m| m.key)
            .collect();
        assert_eq!(keys, vec!["a/b/c.bin", "a/x"]);
        let all = s.list("").await.expect("list");
        assert_eq!(all.len(), 3);
        assert_eq!(s.list("a").await.expect("list").len(), 3);
        assert_eq!(s.first_key("ab").await.expect("first"), Some("ab".into()));

        s.delete("a/b/c.bin").await.expect("delete");
        s.delete("a/b/c.bin").await.expect("deleting twice is fine");
        assert!(
            !s.root().join("a/b").exists(),
            "emptied folders are removed"
        );
        assert!(s.root().join("a").exists(), "folders with content stay");
    }

    #[tokio::test]
    async fn aborted_put_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = std::sync::Arc::new(LocalStore::new(dir.path().to_path_buf()));
        let (tx, body) = body_channel(2);
        let s2 = s.clone();
        let put = tokio::spawn(async move { s2.put("x/obj", body).await });
        tx.send(Bytes::from_static(b"half")).await.expect("send");
        drop(tx);
        let e = put.await.expect("join").expect_err("aborted");
        assert_eq!(e.kind, ErrorKind::Failed);
        assert!(s.list("").await.expect("list").is_empty());
    }

    #[tokio::test]
    async fn put_if_absent_is_exclusive() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = LocalStore::new(dir.path().to_path_buf());
        assert!(s
            .put_if_absent("locks/t.lock", Bytes::from_static(b"one"))
            .await
            .expect("first"));
        assert!(!s
            .put_if_absent("locks/t.lock", Bytes::from_static(b"two"))
            .await
            .expect("second"));
        let got = (&s as &dyn Store)
            .get_bytes("locks/t.lock", 100)
            .await
            .expect("get")
            .expect("exists");
        assert_eq!(&got[..], b"one");
        assert_eq!(
            s.list("locks/").await.expect("list").len(),
            1,
            "no temp left"
        );
    }

    #[tokio::test]
    async fn unwritable_root_is_cant_create() {
        let s = LocalStore::new(PathBuf::from("/proc/dbkeeper-cannot-exist"));
        let e = (&s as &dyn Store)
            .put_bytes("a", Bytes::from_static(b"x"))
            .await
            .expect_err("cannot write");
        assert_eq!(e.kind, ErrorKind::CantCreate);
        assert!(e.main.hint.is_some());
    }
}
