//! Facts about the machine a server runs on, read when dbkeeper runs on that machine.

use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HostFacts {
    pub hostname: String,
    pub cpus: u32,
    pub memory_total_bytes: Option<u64>,
    /// The filesystem that holds the data directory.
    pub data_fs: Option<FsUsage>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FsUsage {
    pub path: String,
    pub total_bytes: u64,
    pub free_bytes: u64,
}

impl HostFacts {
    /// Reads the local host; `data_dir` is measured if it exists here.
    pub fn gather(data_dir: Option<&str>) -> HostFacts {
        HostFacts {
            hostname: hostname(),
            cpus: std::thread::available_parallelism()
                .map(|n| u32::try_from(n.get()).unwrap_or(u32::MAX))
                .unwrap_or(1),
            memory_total_bytes: memory_total(),
            data_fs: data_dir.and_then(|d| fs_usage(Path::new(d))),
        }
    }
}

pub fn hostname() -> String {
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".into())
}

fn memory_total() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Space on the filesystem holding `path`, or `None` when the path is not on this machine.
pub fn fs_usage(path: &Path) -> Option<FsUsage> {
    let st = nix::sys::statvfs::statvfs(path).ok()?;
    let frag = st.fragment_size();
    Some(FsUsage {
        path: path.display().to_string(),
        total_bytes: st.blocks().saturating_mul(frag),
        free_bytes: st.blocks_available().saturating_mul(frag),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_host() {
        let h = HostFacts::gather(Some("/"));
        assert!(h.cpus >= 1);
        assert!(h.memory_total_bytes.unwrap_or(0) > 0);
        let fs = h.data_fs.expect("root fs");
        assert!(fs.total_bytes >= fs.free_bytes && fs.total_bytes > 0);
        assert!(HostFacts::gather(Some("/surely/not/here"))
            .data_fs
            .is_none());
    }
}
