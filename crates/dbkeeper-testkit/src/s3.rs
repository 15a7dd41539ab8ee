//! An S3-compatible server for tests: `s3s-fs` served in-process on 127.0.0.1 (a free port),
//! storing into a temporary directory, with fixed test credentials and path-style addressing.
//!
//! [`S3Server::stop`] takes it down at once, closing the connections in flight (a server that
//! dies mid-upload); [`S3Server::restart`] brings it back on the same port and directory.
//! Dropping the server stops it and removes the directory.
//!
//! This file is self-contained (no `crate::` items) so that crates whose tests cannot depend on
//! the whole test kit can include it with `#[path]`.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;

/// Access key of the test server.
pub const ACCESS_KEY: &str = "dbkeeper-test";
/// Secret key of the test server (a test value, not a secret).
pub const SECRET_KEY: &str = "dbkeeper-test-secret-key";
/// Region the test server's URLs name.
pub const REGION: &str = "cn-hangzhou";
/// The bucket created at start.
pub const BUCKET: &str = "dbkeeper-test";

/// A running (or stopped) s3s-fs server.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    port: u16,
    root: tempfile::TempDir,
    running: Option<Running>,
}

struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl S3Server {
    /// Starts a server with an empty bucket [`BUCKET`].
    pub fn start() -> S3Server {
        let root = tempfile::Builder::new()
            .prefix("dbkeeper-s3-")
            .tempdir()
            .expect("temp dir for the S3 server");
        std::fs::create_dir(root.path().join(BUCKET)).expect("create the test bucket");
        let listener = StdListener::bind(("127.0.0.1", 0)).expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        let mut server = S3Server {
            endpoint: format!("http://127.0.0.1:{port}"),
            region: REGION.to_string(),
            bucket: BUCKET.to_string(),
            access_key: ACCESS_KEY.to_string(),
            secret_key: SECRET_KEY.to_string(),
            port,
            root,
            running: None,
        };
        server.serve(listener);
        server
    }

    /// A repository URL for `prefix` in the test bucket.
    pub fn url(&self, prefix: &str) -> String {
        format!(
            "s3://{}/{}?endpoint={}&region={}&path_style=true",
            self.bucket,
            prefix.trim_matches('/'),
            self.endpoint,
            self.region
        )
    }

    /// The directory holding the buckets (each bucket is a directory, each object a file).
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The test bucket's directory.
    pub fn bucket_dir(&self) -> PathBuf {
        self.root.path().join(&self.bucket)
    }

    /// Files of multipart uploads that were started and neither completed nor aborted.
    pub fn pending_uploads(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(self.root.path())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(".upload"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Stops the server now: the listener closes and every open connection is dropped.
    pub fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            let _ = r.stop.send(());
            let _ = r.thread.join();
        }
    }

    /// Starts a stopped server again on the same port and directory.
    pub fn restart(&mut self) {
        if self.is_running() {
            return;
        }
        // The old socket may linger for a moment; retry the bind briefly.
        let mut tries = 0;
        let listener = loop {
            match StdListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(_) if tries < 50 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("cannot rebind port {}: {e}", self.port),
            }
        };
        self.serve(listener);
    }

    fn serve(&mut self, listener: StdListener) {
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let root = self.root.path().to_path_buf();
        let (access, secret) = (self.access_key.clone(), self.secret_key.clone());
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("s3s-fs".into())
            .spawn(move || {
                // Its own runtime: dropping it at stop aborts every connection task at once,
                // whatever runtime the test itself uses.
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("runtime for the S3 server");
                rt.block_on(async move {
                    let fs = s3s_fs::FileSystem::new(&root).expect("s3s-fs on the temp root");
                    let mut b = s3s::service::S3ServiceBuilder::new(fs);
                    b.set_auth(s3s::auth::SimpleAuth::from_single(access, secret));
                    let service = b.build();
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let http = ConnBuilder::new(TokioExecutor::new());
                    let _ = ready_tx.send(());
                    let mut stop_rx = stop_rx;
                    loop {
                        let socket = tokio::select! {
                            accepted = listener.accept() => match accepted {
                                Ok((socket, _)) => socket,
                                Err(_) => continue,
                            },
                            _ = &mut stop_rx => break,
                        };
                        let conn = http
                            .serve_connection(TokioIo::new(socket), service.clone())
                            .into_owned();
                        tokio::spawn(async move {
                            let _ = conn.await;
                        });
                    }
                });
                rt.shutdown_timeout(Duration::from_millis(100));
            })
            .expect("spawn the S3 server thread");
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("S3 server started");
        self.running = Some(Running {
            stop: stop_tx,
            thread,
        });
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
