//! A live line on a terminal while bytes flow: how much, how fast, how many objects. Nothing
//! under cron (stderr not a terminal), with `-q`, or with `--format json`.

use std::time::Duration;

use dbkeeper_backup::Progress;
use dbkeeper_report::units;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::Ctx;
use crate::cli::Format;

/// Shows `progress` until dropped.
pub struct Ticker {
    bar: Option<ProgressBar>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Ticker {
    pub fn start(ctx: &Ctx, progress: &Progress, what: String) -> Ticker {
        let target = ProgressDrawTarget::stderr();
        if ctx.quiet || ctx.format == Format::Json || target.is_hidden() {
            return Ticker {
                bar: None,
                task: None,
            };
        }
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(what);
        let shown = bar.clone();
        let p = progress.clone();
        let task = tokio::spawn(async move {
            let mut last = 0u64;
            let mut tick = tokio::time::interval(Duration::from_millis(500));
            loop {
                tick.tick().await;
                let now = p.bytes();
                let rate = (now.saturating_sub(last)) * 2;
                last = now;
                shown.set_message(format!(
                    "{} ({}/s), {} objects",
                    units::bytes(now),
                    units::bytes(rate),
                    p.objects_done()
                ));
                shown.tick();
            }
        });
        Ticker {
            bar: Some(bar),
            task: Some(task),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
