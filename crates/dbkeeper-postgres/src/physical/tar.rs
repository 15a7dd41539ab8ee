//! Extracting the tar stream pg_basebackup writes (ustar, names of at most 99 bytes, plain
//! files and directories) into a data directory, as it streams, checking every header's
//! checksum. Anything that could write outside the directory — absolute names, `..`,
//! symbolic links (a link followed by a file "inside" it) — is refused.

use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

const BLOCK: usize = 512;

/// What went wrong, for the caller's message.
#[derive(Debug)]
pub(crate) enum TarError {
    /// The stream is not a well-formed archive (or was cut short).
    Corrupt(String),
    /// Reading the stream failed (the source's own error, e.g. a hash mismatch).
    Read(std::io::Error),
    /// Writing into the directory failed.
    Write(PathBuf, std::io::Error),
}

/// Counts of what was extracted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) files: u64,
    pub(crate) bytes: u64,
}

/// Extracts the archive into `dest` (which exists). Files and directories get the archive's
/// permission bits and, when `owner` is given, that owner.
pub(crate) async fn extract(
    reader: &mut (dyn AsyncRead + Send + Unpin),
    dest: &Path,
    owner: Option<(u32, u32)>,
) -> Result<Extracted, TarError> {
    let mut out = Extracted::default();
    let mut header = [0u8; BLOCK];
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if !read_block(reader, &mut header).await? {
            return Err(TarError::Corrupt(
                "the archive ends without its end-of-archive marker".into(),
            ));
        }
        if header.iter().all(|&b| b == 0) {
            // The end marker is two zero blocks. What follows is read to the end and
            // dropped, as tar does — but read it must be: the source checks the object's
            // size and hash only when the stream reaches its end.
            tokio::io::copy(reader, &mut tokio::io::sink())
                .await
                .map_err(TarError::Read)?;
            return Ok(out);
        }
        let h = Header::parse(&header)?;
        match h.kind {
            b'0' | 0 => {
                let rel = safe_path(&h.name)?;
                let path = dest.join(&rel);
                if let Some(parent) = path.parent() {
                    create_dirs(dest, parent, owner).await?;
                }
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .await
                    .map_err(|e| TarError::Write(path.clone(), e))?;
                let mut left = h.size;
                while left > 0 {
                    let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
                    let n = reader
                        .read(&mut buf[..want])
                        .await
                        .map_err(TarError::Read)?;
                    if n == 0 {
                        return Err(TarError::Corrupt(format!(
                            "the archive ends inside `{}`",
                            h.name
                        )));
                    }
                    file.write_all(&buf[..n])
                        .await
                        .map_err(|e| TarError::Write(path.clone(), e))?;
                    left -= n as u64;
                }
                file.flush()
                    .await
                    .map_err(|e| TarError::Write(path.clone(), e))?;
                drop(file);
                skip_padding(reader, h.size).await?;
                finish_entry(&path, h.mode | 0o600, owner)?;
                out.files += 1;
                out.bytes += h.size;
            }
            b'5' => {
                let rel = safe_path(&h.name)?;
                let path = dest.join(&rel);
                if rel.as_os_str().is_empty() {
                    continue;
                }
                create_dirs(dest, &path, owner).await?;
                finish_entry(&path, h.mode | 0o700, owner)?;
            }
            // Extended headers carry attributes dbkeeper does not need; their data is skipped.
            b'x' | b'g' => {
                skip(reader, h.size).await?;
                skip_padding(reader, h.size).await?;
            }
            b'2' => {
                return Err(TarError::Corrupt(format!(
                    "`{}` is a symbolic link (a tablespace); backups with tablespaces are not supported",
                    h.name
                )))
            }
            other => {
                return Err(TarError::Corrupt(format!(
                    "`{}` has the unsupported entry type {:?}",
                    h.name,
                    char::from(other)
                )))
            }
        }
    }
}

struct Header {
    name: String,
    mode: u32,
    size: u64,
    kind: u8,
}

impl Header {
    fn parse(b: &[u8; BLOCK]) -> Result<Header, TarError> {
        let stored = octal(&b[148..156])
            .ok_or_else(|| TarError::Corrupt("a header's checksum field is not a number".into()))?;
        let sum: u64 = b
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u64::from(c)
                }
            })
            .sum();
        if sum != stored {
            return Err(TarError::Corrupt(format!(
                "a header's checksum is {stored}, its bytes sum to {sum}"
            )));
        }
        let name = c_string(&b[0..100]);
        let prefix = if &b[257..262] == b"ustar" {
            c_string(&b[345..500])
        } else {
            String::new()
        };
        let name = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let mode = octal(&b[100..108])
            .and_then(|m| u32::try_from(m & 0o7777).ok())
            .ok_or_else(|| TarError::Corrupt(format!("`{name}` has no valid mode")))?;
        let size = size(&b[124..136])
            .ok_or_else(|| TarError::Corrupt(format!("`{name}` has no valid size")))?;
        Ok(Header {
            name,
            mode,
            size,
            kind: b[156],
        })
    }
}

fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).to_string()
}

/// An octal field, space- or NUL-terminated.
fn octal(b: &[u8]) -> Option<u64> {
    let s: String = b
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| char::from(c))
        .collect();
    let s = s.trim();
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

/// A size field: octal, or base-256 (high bit set) for files of 8 GiB and more.
fn size(b: &[u8]) -> Option<u64> {
    if b[0] & 0x80 != 0 {
        let mut v: u64 = u64::from(b[0] & 0x7f);
        for &c in &b[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(c))?;
        }
        return Some(v);
    }
    octal(b)
}

/// The entry's path relative to the destination: `./` stripped, nothing absolute, no `..`.
fn safe_path(name: &str) -> Result<PathBuf, TarError> {
    let mut out = PathBuf::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(TarError::Corrupt(format!(
                    "`{name}` would be written outside the data directory"
                )))
            }
        }
    }
    Ok(out)
}

async fn create_dirs(dest: &Path, dir: &Path, owner: Option<(u32, u32)>) -> Result<(), TarError> {
    if dir.is_dir() {
        return Ok(());
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| TarError::Write(dir.to_path_buf(), e))?;
    // Directories made on the way (not in the archive themselves) get the owner too.
    let mut p = dir;
    while p != dest {
        finish_entry(p, 0o700, owner)?;
        match p.parent() {
            Some(parent) if parent.starts_with(dest) => p = parent,
            _ => break,
        }
    }
    Ok(())
}

fn finish_entry(path: &Path, mode: u32, owner: Option<(u32, u32)>) -> Result<(), TarError> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| TarError::Write(path.to_path_buf(), e))?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))
            .map_err(|e| TarError::Write(path.to_path_buf(), e))?;
    }
    Ok(())
}

/// Reads one block; false at a clean end of stream (no byte of the block read).
async fn read_block(
    reader: &mut (dyn AsyncRead + Send + Unpin),
    block: &mut [u8; BLOCK],
) -> Result<bool, TarError> {
    let mut got = 0;
    while got < BLOCK {
        let n = reader
            .read(&mut block[got..])
            .await
            .map_err(TarError::Read)?;
        if n == 0 {
            if got == 0 {
                return Ok(false);
            }
            return Err(TarError::Corrupt("the archive ends inside a header".into()));
        }
        got += n;
    }
    Ok(true)
}

async fn skip(reader: &mut (dyn AsyncRead + Send + Unpin), n: u64) -> Result<(), TarError> {
    let copied = tokio::io::copy(&mut reader.take(n), &mut tokio::io::sink())
        .await
        .map_err(TarError::Read)?;
    if copied != n {
        return Err(TarError::Corrupt("the archive ends inside an entry".into()));
    }
    Ok(())
}

async fn skip_padding(
    reader: &mut (dyn AsyncRead + Send + Unpin),
    size: u64,
) -> Result<(), TarError> {
    let rem = size % BLOCK as u64;
    if rem == 0 {
        return Ok(());
    }
    skip(reader, BLOCK as u64 - rem).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ustar header as PostgreSQL's tarCreateHeader writes it.
    fn header(name: &str, size: u64, kind: u8) -> [u8; BLOCK] {
        let mut h = [0u8; BLOCK];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..108].copy_from_slice(b"0000600\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = kind;
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        h
    }

    fn archive(entries: &[(&str, &[u8], u8)], end: bool) -> Vec<u8> {
        let mut v = Vec::new();
        for (name, data, kind) in entries {
            v.extend_from_slice(&header(name, data.len() as u64, *kind));
            v.extend_from_slice(data);
            let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
            v.extend(std::iter::repeat_n(0u8, pad));
        }
        if end {
            v.extend(std::iter::repeat_n(0u8, 2 * BLOCK));
        }
        v
    }

    #[tokio::test]
    async fn extracts_files_and_directories() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = archive(
            &[
                ("PG_VERSION", b"15\n", b'0'),
                ("./pg_wal/", b"", b'5'),
                ("base/1/1259", &[0u8; 700], b'0'),
            ],
            true,
        );
        let mut r: &[u8] = &data;
        let got = extract(&mut r, dir.path(), None).await.expect("extract");
        assert_eq!(got.files, 2);
        assert_eq!(got.bytes, 703);
        assert_eq!(
            std::fs::read(dir.path().join("PG_VERSION")).expect("read"),
            b"15\n"
        );
        assert!(dir.path().join("pg_wal").is_dir());
        assert_eq!(
            std::fs::metadata(dir.path().join("base/1/1259"))
                .expect("meta")
                .len(),
            700
        );
    }

    #[tokio::test]
    async fn refuses_unsafe_and_damaged_archives() {
        for (entries, end, why) in [
            (vec![("../etc/passwd", &b"x"[..], b'0')], true, "outside"),
            (vec![("/etc/passwd", &b"x"[..], b'0')], true, "outside"),
            (vec![("pg_tblspc/1", &b""[..], b'2')], true, "symbolic link"),
            (vec![("a", &b"x"[..], b'0')], false, "end-of-archive"),
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let data = archive(&entries, end);
            let mut r: &[u8] = &data;
            match extract(&mut r, dir.path(), None).await {
                Err(TarError::Corrupt(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("expected corruption ({why}), got {other:?}"),
            }
        }
        // One flipped bit in a header.
        let mut data = archive(&[("a", b"x", b'0')], true);
        data[0] ^= 1;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut r: &[u8] = &data;
        match extract(&mut r, dir.path(), None).await {
            Err(TarError::Corrupt(m)) => assert!(m.contains("checksum"), "{m}"),
            other => panic!("expected a checksum error, got {other:?}"),
        }
        // Cut inside a file.
        let data = archive(&[("a", &[7u8; 2000], b'0')], true);
        let mut r: &[u8] = &data[..BLOCK + 1000];
        assert!(matches!(
            extract(&mut r, dir.path(), None).await,
            Err(TarError::Corrupt(_))
        ));
    }
}
