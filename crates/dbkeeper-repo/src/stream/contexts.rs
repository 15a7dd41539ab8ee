//! zstd compression contexts, kept between objects.
//!
//! A multi-threaded zstd context owns its worker threads and ~20 MiB of job buffers. Made anew
//! for every object — a backup of a few GB writes hundreds of them — it churned through threads
//! and big allocations, and glibc's per-thread arenas kept what was freed: peak memory grew with
//! the size of the backup (137 MiB at 1 GB, 154 MiB at 4.7 GiB). Kept here, a process holds one
//! context per object written at the same time, whatever the number of objects.

use std::io;
use std::sync::Mutex;

use zstd::zstd_safe::{CCtx, CParameter, ResetDirective};

use super::{WriteOptions, ZSTD_JOB_SIZE};

/// Contexts kept for reuse; more than a backup writes at once is only memory.
const KEEP: usize = 8;

static IDLE: Mutex<Vec<CCtx<'static>>> = Mutex::new(Vec::new());

/// A context for one object; back to the pool when dropped (its session is reset by the next
/// user, so an object abandoned half-way leaves nothing of itself in the next one).
pub(super) struct Context(Option<CCtx<'static>>);

impl Context {
    /// An idle context (or a new one) set up for `opts`.
    pub(super) fn take(opts: &WriteOptions) -> io::Result<Context> {
        let idle = IDLE.lock().ok().and_then(|mut v| v.pop());
        let mut cctx = match idle {
            Some(c) => c,
            None => CCtx::try_create()
                .ok_or_else(|| io::Error::other("zstd could not allocate a compression context"))?,
        };
        // A context whose last object was abandoned mid-frame takes no parameters until its
        // session is reset (which cannot fail).
        let _ = cctx.reset(ResetDirective::SessionOnly);
        let workers = if opts.threads > 1 { opts.threads } else { 0 };
        let mut set = |p: CParameter| {
            cctx.set_parameter(p)
                .map(|_| ())
                .map_err(|code| io::Error::other(zstd::zstd_safe::get_error_name(code)))
        };
        set(CParameter::CompressionLevel(opts.level))?;
        set(CParameter::ChecksumFlag(true))?;
        set(CParameter::NbWorkers(workers))?;
        if workers > 0 {
            set(CParameter::JobSize(ZSTD_JOB_SIZE))?;
        }
        Ok(Context(Some(cctx)))
    }

    pub(super) fn get(&mut self) -> io::Result<&mut CCtx<'static>> {
        self.0
            .as_mut()
            .ok_or_else(|| io::Error::other("compression context already returned"))
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        if let (Some(c), Ok(mut idle)) = (self.0.take(), IDLE.lock()) {
            if idle.len() < KEEP {
                idle.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn compress(opts: &WriteOptions, data: &[u8], finish: bool) -> Vec<u8> {
        let mut ctx = Context::take(opts).expect("context");
        let encoder = zstd::stream::raw::Encoder::with_context(ctx.get().expect("cctx"));
        let mut w = zstd::stream::zio::Writer::new(Vec::new(), encoder);
        w.write_all(data).expect("write");
        if finish {
            w.finish().expect("finish");
        }
        let (out, _) = w.into_inner();
        out
    }

    #[test]
    fn a_context_abandoned_mid_frame_compresses_the_next_object_whole() {
        let data: Vec<u8> = (0..3_000_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for threads in [1, 2] {
            let opts = WriteOptions { level: 3, threads };
            // Abandoned half-way: the context goes back to the pool mid-frame.
            compress(&opts, &data[..data.len() / 2], false);
            let frame = compress(&opts, &data, true);
            let back = zstd::stream::decode_all(&frame[..]).expect("a whole frame");
            assert!(
                back == data,
                "threads {threads}: the object comes back as written"
            );
        }
    }
}
