//! Measures how long a scratch MariaDB/MySQL takes to start and stop.
//!
//! `cargo run -p dbkeeper-mysql --example scratch_timing -- [ROUNDS]`

use std::time::Instant;

use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(3);
    let mut starts = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        let t = Instant::now();
        let scratch = ScratchMysql::start(ScratchOptions::default())?;
        let started = t.elapsed().as_secs_f64();
        let t = Instant::now();
        scratch.stop();
        let stopped = t.elapsed().as_secs_f64();
        println!("round {round}: start {started:.2}s, stop {stopped:.2}s");
        starts.push(started);
    }
    starts.sort_by(f64::total_cmp);
    if let Some(median) = starts.get(starts.len() / 2) {
        println!("median start over {rounds} rounds: {median:.2}s");
    }
    Ok(())
}
