//! `verify --sample PCT`: a cheap integrity pass between drills. Each run re-hashes one slice of
//! every complete backup's objects (no key needed, nothing restored); the slice rotates by day,
//! so that `100 / PCT` daily runs cover the whole repository.

use dbkeeper_core::{Lang, Result};
use dbkeeper_repo::repository::backup_prefix;
use dbkeeper_repo::{check_error, verify_object, Repository};

#[derive(Clone, Debug, serde::Serialize)]
pub struct SampleReport {
    pub repo: String,
    pub percent: u32,
    /// Which slice this run checked, of how many.
    pub slice: u64,
    pub slices: u64,
    pub objects_total: usize,
    pub objects_checked: usize,
    pub bytes_checked: u64,
    /// One line per damaged object, naming it.
    pub damaged: Vec<String>,
}

/// FNV-1a: a stable spread of object keys over slices, the same on every host and version.
fn spread(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Re-hashes the slice `day % slices` of `repo` (`slices = ceil(100 / percent)`).
pub async fn sample(repo: &Repository, percent: u32, day: u64) -> Result<SampleReport> {
    let percent = percent.clamp(1, 100);
    let slices = u64::from(100_u32.div_ceil(percent));
    let slice = day % slices;
    let mut report = SampleReport {
        repo: repo.label().to_string(),
        percent,
        slice,
        slices,
        objects_total: 0,
        objects_checked: 0,
        bytes_checked: 0,
        damaged: Vec::new(),
    };
    for b in repo.list(None).await? {
        let Some(m) = b.manifest() else { continue };
        for entry in &m.objects {
            report.objects_total += 1;
            let key = format!("{}{}", backup_prefix(&m.target, &m.id), entry.name);
            if spread(&key) % slices != slice {
                continue;
            }
            let check = verify_object(repo.store().as_ref(), &key, entry).await?;
            report.objects_checked += 1;
            report.bytes_checked += entry.stored_size_bytes;
            if let Some(e) = check_error(&check, &key, entry, repo.location()) {
                report.damaged.push(e.render(Lang::En));
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slices_cover_every_key_once() {
        let keys: Vec<String> = (0..500)
            .map(|i| format!("backups/t/id/data/{i}.copy"))
            .collect();
        let slices = 4;
        let mut seen = vec![0; keys.len()];
        for s in 0..slices {
            for (i, k) in keys.iter().enumerate() {
                if super::spread(k) % slices == s {
                    seen[i] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
        // And the slices are not lopsided.
        let first = keys
            .iter()
            .filter(|k| super::spread(k) % slices == 0)
            .count();
        assert!((75..=175).contains(&first), "{first}");
    }
}
