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

/// A setting in people's units where the server gives a size or time unit: PostgreSQL's
/// `shared_buffers = 16384` with unit `8kB` reads as `128 MiB`.
pub fn setting(value: &str, unit: Option<&str>) -> String {
    let Some(unit) = unit else {
        return value.to_string();
    };
    let Ok(n) = value.trim().parse::<i64>() else {
        return value.to_string();
    };
    if n < 0 {
        return value.to_string(); // -1 means "off" or "default" for most settings
    }
    let n = n.unsigned_abs();
    let bytes_per = match unit {
        "B" => Some(1),
        "kB" => Some(1024),
        "8kB" => Some(8 * 1024),
        "16kB" => Some(16 * 1024),
        "MB" => Some(1024 * 1024),
        "16MB" => Some(16 * 1024 * 1024),
        "GB" => Some(1024 * 1024 * 1024),
        _ => None,
    };
    if let Some(b) = bytes_per {
        return bytes(n.saturating_mul(b));
    }
    let secs = match unit {
        "s" => n,
        "min" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        "ms" if n % 1000 == 0 => n / 1000,
        "ms" => return format!("{n} ms"),
        _ => return format!("{value} {unit}"),
    };
    duration_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_in_human_units() {
        assert_eq!(setting("16384", Some("8kB")), "128 MiB");
        assert_eq!(setting("4096", Some("kB")), "4.0 MiB");
        assert_eq!(setting("300", Some("s")), "5m 0s");
        assert_eq!(setting("250", Some("ms")), "250 ms");
        assert_eq!(setting("-1", Some("ms")), "-1");
        assert_eq!(setting("replica", None), "replica");
        assert_eq!(setting("7", Some("furlongs")), "7 furlongs");
    }

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
