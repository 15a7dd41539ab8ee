//! Human units: binary sizes (MiB) and durations, as DESIGN §10 asks.

/// `1536` → `1.5 KiB`; exact bytes below 1 KiB.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if v >= 100.0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `93784` seconds → `1d 2h 3m`; seconds are shown only under an hour.
pub fn duration_secs(s: u64) -> String {
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    match (d, h) {
        (0, 0) if m == 0 => format!("{sec}s"),
        (0, 0) => format!("{m}m {sec}s"),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(7 * 1024 * 1024 * 1024), "7.0 GiB");
        assert_eq!(bytes(300 * 1024 * 1024), "300 MiB");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_secs(59), "59s");
        assert_eq!(duration_secs(61), "1m 1s");
        assert_eq!(duration_secs(3_720), "1h 2m");
        assert_eq!(duration_secs(93_784), "1d 2h 3m");
    }
}
