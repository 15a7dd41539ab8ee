//! A repository on S3-compatible object storage (Aliyun OSS, Tencent COS, Huawei OBS, MinIO,
//! Ceph RGW, AWS).
//!
//! Uploads stream: an object smaller than one part is a single PUT; a larger one is a multipart
//! upload of fixed-size parts with at most [`S3Options::parts_in_flight`] parts in flight, so
//! memory is bounded by about `(parts_in_flight + 1) × part_size` whatever the object's size.
//! Every part carries a Content-MD5 the server checks; after the upload the object's size is
//! compared with what was sent (HEAD). A failed upload is aborted, so no orphan parts are left
//! where the server can still be reached; when it cannot, [`Store::interrupted_uploads`] finds
//! them later (on servers that can list uploads) and [`Store::abort_upload`] frees them.
//!
//! Transient failures (connection refused or reset, timeouts, 5xx, throttling) are retried by the
//! SDK's standard retry strategy: exponential backoff with jitter, [`S3Options::max_attempts`]
//! tries per request. Request bodies are in memory, so every retry resends the same bytes.
//!
//! Credentials come from [`S3Options::credentials`], else the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), else the URL's `profile`
//! (or `AWS_PROFILE`, or `default`) in `~/.aws/credentials`. Instance metadata is deliberately not
//! asked: on a provincial cloud it only turns "no credentials" into a slow timeout.

use std::time::Duration;

use async_trait::async_trait;
use aws_config::meta::region::RegionProviderChain;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::config::{
    Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use bytes::{Bytes, BytesMut};
use dbkeeper_core::secret::Secret;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use md5::{Digest, Md5};
use tokio::task::JoinSet;

use super::{aborted_error, check_key, Body, InterruptedUpload, ObjectMeta, ObjectRead, Store};
use crate::location::{RepoLocation, S3Location};
use crate::msg;

/// S3 allows at most this many parts in one upload.
const MAX_PARTS: i32 = 10_000;
/// And at least this many bytes in every part but the last.
const MIN_PART_SIZE: usize = 5 * 1024 * 1024;

/// Explicit S3 credentials (from the config's secret references).
#[derive(Clone, Debug)]
pub struct S3Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

/// How the S3 store talks to the server.
#[derive(Clone, Debug)]
pub struct S3Options {
    /// `None`: environment, then profile.
    pub credentials: Option<S3Credentials>,
    /// Bytes per multipart part; at least 5 MiB. With 8 MiB an object can be up to ~78 GiB
    /// (10,000 parts); raise it for larger single objects.
    pub part_size: usize,
    /// Parts uploaded concurrently; memory is about `(parts_in_flight + 1) × part_size`.
    pub parts_in_flight: usize,
    /// Tries per request, including the first.
    pub max_attempts: u32,
    /// First retry delay; doubles (with jitter) up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub connect_timeout: Duration,
    /// Limit on one try of one request (one part, one PUT).
    pub attempt_timeout: Duration,
}

impl Default for S3Options {
    fn default() -> S3Options {
        S3Options {
            credentials: None,
            part_size: 8 * 1024 * 1024,
            parts_in_flight: 2,
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(300),
        }
    }
}

#[derive(Debug)]
pub struct S3Store {
    client: Client,
    loc: S3Location,
    location: RepoLocation,
    opts: S3Options,
}

/// How filling a part ended.
enum Fill {
    /// The part is full; more may follow.
    Full,
    /// The body finished (the part may be short or empty).
    End,
    /// The producer stopped without finishing.
    Aborted,
}

/// Cuts a body into parts of exactly `part_size` bytes (the last one shorter). Each part is
/// allocated once at its final size: a chunk that straddles two parts is split, not appended
/// past the capacity (which would double the buffer).
struct Parts<'a> {
    body: &'a mut Body,
    carry: Bytes,
    part_size: usize,
}

impl Parts<'_> {
    async fn next(&mut self) -> (Fill, BytesMut) {
        let mut buf = BytesMut::with_capacity(self.part_size);
        loop {
            if !self.carry.is_empty() {
                let take = self.carry.len().min(self.part_size - buf.len());
                buf.extend_from_slice(&self.carry.split_to(take));
            }
            if buf.len() == self.part_size {
                return (Fill::Full, buf);
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.carry = chunk,
                Some(Err(_)) => return (Fill::Aborted, buf),
                None => return (Fill::End, buf),
            }
        }
    }
}

fn content_md5(data: &[u8]) -> String {
    aws_smithy_types::base64::encode(Md5::digest(data))
}

impl S3Store {
    /// Builds a client for the location. Nothing is sent yet: a wrong endpoint or bad
    /// credentials show on the first request, with a message that says which.
    pub async fn connect(loc: S3Location, opts: S3Options) -> Result<S3Store> {
        let location = RepoLocation::S3(loc.clone());
        if opts.part_size < MIN_PART_SIZE {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::S3_PART_SIZE).arg("size", opts.part_size),
            )
            .at(location.to_string()));
        }
        let profile = loc
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok())
            .unwrap_or_else(|| "default".to_string());

        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();

        let region = RegionProviderChain::first_try(loc.region.clone().map(Region::new))
            .or_else(aws_config::environment::EnvironmentVariableRegionProvider::new())
            .or_else(
                aws_config::profile::ProfileFileRegionProvider::builder()
                    .profile_name(&profile)
                    .build(),
            )
            .or_else(Region::new("us-east-1"));

        let retry = aws_config::retry::RetryConfig::standard()
            .with_max_attempts(opts.max_attempts.max(1))
            .with_initial_backoff(opts.initial_backoff)
            .with_max_backoff(opts.max_backoff);
        let timeouts = aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(opts.connect_timeout)
            .operation_attempt_timeout(opts.attempt_timeout)
            .build();

        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http.clone())
            .region(region)
            .retry_config(retry)
            .timeout_config(timeouts);
        // Keys in the environment are used as given. (The SDK's own environment provider in a
        // chain built here has no HTTP client for the providers after it and panics on the
        // first request, so the chain is only for profiles, with the client passed in.)
        let env_keys = match (
            std::env::var("AWS_ACCESS_KEY_ID"),
            std::env::var("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Ok(id), Ok(secret)) if !id.is_empty() && !secret.is_empty() => Some(S3Credentials {
                access_key_id: id,
                secret_access_key: Secret::new(secret),
                session_token: std::env::var("AWS_SESSION_TOKEN").ok().map(Secret::new),
            }),
            _ => None,
        };
        loader = match opts.credentials.as_ref().or(env_keys.as_ref()) {
            Some(c) => loader.credentials_provider(Credentials::new(
                c.access_key_id.clone(),
                c.secret_access_key.expose().to_string(),
                c.session_token.as_ref().map(|t| t.expose().to_string()),
                None,
                "dbkeeper",
            )),
            None => loader.credentials_provider(
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .configure(
                        &aws_config::provider_config::ProviderConfig::default()
                            .with_http_client(http.clone())
                            .with_region(Some(Region::new("us-east-1"))),
                    )
                    .profile_name(&profile)
                    .build(),
            ),
        };
        let sdk = loader.load().await;
        let mut conf = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(loc.path_style)
            // S3-compatible services differ in which of the newer checksum headers they accept;
            // Content-MD5 (set on every part) is the one they all check.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(endpoint) = &loc.endpoint {
            conf = conf.endpoint_url(endpoint);
        }
        Ok(S3Store {
            client: Client::from_conf(conf.build()),
            loc,
            location,
            opts,
        })
    }

    fn full_key(&self, key: &str) -> Result<String> {
        check_key(key)?;
        Ok(self.full_prefix(key))
    }

    fn full_prefix(&self, prefix: &str) -> String {
        if self.loc.prefix.is_empty() {
            prefix.to_string()
        } else {
            format!("{}/{prefix}", self.loc.prefix)
        }
    }

    fn relative<'a>(&self, full: &'a str) -> &'a str {
        if self.loc.prefix.is_empty() {
            full
        } else {
            full.strip_prefix(&self.loc.prefix)
                .and_then(|k| k.strip_prefix('/'))
                .unwrap_or(full)
        }
    }

    fn endpoint(&self) -> String {
        self.loc
            .endpoint
            .clone()
            .unwrap_or_else(|| "AWS S3".to_string())
    }

    /// Turns an SDK error into one that says what and what to do, by kind:
    /// unreachable → Unavailable (69); credentials, bucket → Config (78).
    fn error<E>(&self, key: &str, err: SdkError<E, HttpResponse>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        classify(&self.location, &self.loc.bucket, &self.endpoint(), key, err)
    }

    async fn put_single(&self, key: &str, full: &str, data: Bytes) -> Result<u64> {
        let len = data.len() as u64;
        self.client
            .put_object()
            .bucket(&self.loc.bucket)
            .key(full)
            .content_md5(content_md5(&data))
            .content_length(len as i64)
            .body(ByteStream::from(data))
            .send()
            .await
            .map_err(|e| self.error(key, e))?;
        Ok(len)
    }

    /// Uploads every part; the first is already in `buf`. Returns the parts and total size.
    async fn upload_parts(
        &self,
        key: &str,
        full: &str,
        upload_id: &str,
        mut buf: BytesMut,
        parts_of: &mut Parts<'_>,
    ) -> Result<(Vec<CompletedPart>, u64)> {
        let mut inflight: JoinSet<Result<CompletedPart>> = JoinSet::new();
        let mut parts = Vec::new();
        let mut total = 0u64;
        let mut number: i32 = 1;
        let mut last = false;
        loop {
            let data = std::mem::take(&mut buf).freeze();
            if !data.is_empty() {
                if number > MAX_PARTS {
                    return Err(Error::new(
                        ErrorKind::Failed,
                        Text::new(msg::S3_TOO_MANY_PARTS)
                            .arg("key", key)
                            .arg("size", self.opts.part_size),
                    )
                    .at(self.location.to_string())
                    .hint(Text::new(msg::S3_TOO_MANY_PARTS_HINT)));
                }
                while inflight.len() >= self.opts.parts_in_flight.max(1) {
                    if let Some(done) = inflight.join_next().await {
                        parts.push(joined(done)?);
                    }
                }
                total += data.len() as u64;
                let request = self
                    .client
                    .upload_part()
                    .bucket(&self.loc.bucket)
                    .key(full)
                    .upload_id(upload_id)
                    .part_number(number)
                    .content_md5(content_md5(&data))
                    .content_length(data.len() as i64)
                    .body(ByteStream::from(data));
                let (location, bucket, endpoint, key_owned) = (
                    self.location.clone(),
                    self.loc.bucket.clone(),
                    self.endpoint(),
                    key.to_string(),
                );
                inflight.spawn(async move {
                    let out = request
                        .send()
                        .await
                        .map_err(|e| classify(&location, &bucket, &endpoint, &key_owned, e))?;
                    Ok(CompletedPart::builder()
                        .part_number(number)
                        .set_e_tag(out.e_tag)
                        .build())
                });
                number += 1;
            }
            if last {
                break;
            }
            let (fill, next) = parts_of.next().await;
            buf = next;
            match fill {
                Fill::Full => {}
                Fill::End => last = true,
                Fill::Aborted => return Err(aborted_error(&self.location, key)),
            }
        }
        while let Some(done) = inflight.join_next().await {
            parts.push(joined(done)?);
        }
        parts.sort_by_key(|p| p.part_number());
        Ok((parts, total))
    }

    async fn abort(&self, full: &str, upload_id: &str) {
        let r = self
            .client
            .abort_multipart_upload()
            .bucket(&self.loc.bucket)
            .key(full)
            .upload_id(upload_id)
            .send()
            .await;
        if let Err(e) = r {
            // The server is most likely down; the upload stays until the next `check` finds it
            // (or a bucket lifecycle rule removes it).
            tracing::warn!(
                key = full,
                upload_id,
                error = %DisplayErrorContext(&e),
                "could not abort the interrupted multipart upload"
            );
        }
    }

    /// After an upload: the object must be there with exactly the bytes sent.
    async fn verify_size(&self, key: &str, sent: u64) -> Result<()> {
        match self.head(key).await? {
            Some(size) if size == sent => Ok(()),
            found => {
                let _ = self.delete(key).await;
                Err(Error::new(
                    ErrorKind::Data,
                    Text::new(msg::S3_SIZE_AFTER_UPLOAD)
                        .arg("key", key)
                        .arg("sent", sent)
                        .arg(
                            "found",
                            found.map_or_else(|| "nothing".to_string(), |s| s.to_string()),
                        ),
                )
                .at(self.location.to_string()))
            }
        }
    }
}

fn joined(
    done: std::result::Result<Result<CompletedPart>, tokio::task::JoinError>,
) -> Result<CompletedPart> {
    done.map_err(|e| Error::new(ErrorKind::Internal, Text::verbatim(e.to_string())))?
}

fn classify<E>(
    location: &RepoLocation,
    bucket: &str,
    endpoint: &str,
    key: &str,
    err: SdkError<E, HttpResponse>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = DisplayErrorContext(&err).to_string();
    let at = location.to_string();
    let unreachable = || {
        Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::S3_UNREACHABLE)
                .arg("endpoint", endpoint)
                .arg("key", key),
        )
        .at(at.clone())
        .detail(&detail)
        .hint(Text::new(msg::S3_UNREACHABLE_HINT))
    };
    let lower = detail.to_ascii_lowercase();
    if lower.contains("credential") && !matches!(err, SdkError::ServiceError(_)) {
        return Error::new(ErrorKind::Config, Text::new(msg::S3_NO_CREDENTIALS))
            .at(at)
            .detail(&detail)
            .hint(Text::new(msg::S3_NO_CREDENTIALS_HINT));
    }
    match &err {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default().to_string();
            match code.as_str() {
                "AccessDenied"
                | "InvalidAccessKeyId"
                | "SignatureDoesNotMatch"
                | "InvalidToken"
                | "ExpiredToken"
                | "AllAccessDisabled" => Error::new(
                    ErrorKind::Config,
                    Text::new(msg::S3_DENIED)
                        .arg("bucket", bucket)
                        .arg("code", &code),
                )
                .at(at)
                .detail(&detail)
                .hint(Text::new(msg::S3_DENIED_HINT)),
                "NoSuchBucket" => Error::new(
                    ErrorKind::Config,
                    Text::new(msg::S3_NO_BUCKET).arg("bucket", bucket),
                )
                .at(at)
                .detail(&detail)
                .hint(Text::new(msg::S3_NO_BUCKET_HINT)),
                _ => Error::new(
                    ErrorKind::Unavailable,
                    Text::new(msg::S3_REFUSED)
                        .arg("key", key)
                        .arg("code", if code.is_empty() { "?" } else { &code }),
                )
                .at(at)
                .detail(&detail)
                .hint(Text::new(msg::S3_REFUSED_HINT)),
            }
        }
        _ => unreachable(),
    }
}

fn is_not_found<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    let (code, status) = service_code(err);
    status == Some(404) || matches!(code.as_str(), "NoSuchKey" | "NotFound")
}

/// The service's error code and the HTTP status, when the server answered at all.
fn service_code<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> (String, Option<u16>) {
    match err {
        SdkError::ServiceError(s) => (
            s.err().code().unwrap_or_default().to_string(),
            Some(s.raw().status().as_u16()),
        ),
        _ => (String::new(), None),
    }
}

#[async_trait]
impl Store for S3Store {
    fn location(&self) -> &RepoLocation {
        &self.location
    }

    async fn put(&self, key: &str, mut body: Body) -> Result<u64> {
        let full = self.full_key(key)?;
        let mut parts_of = Parts {
            body: &mut body,
            carry: Bytes::new(),
            part_size: self.opts.part_size,
        };
        let (fill, buf) = parts_of.next().await;
        let sent = match fill {
            Fill::Aborted => return Err(aborted_error(&self.location, key)),
            Fill::End => self.put_single(key, &full, buf.freeze()).await?,
            Fill::Full => {
                let created = self
                    .client
                    .create_multipart_upload()
                    .bucket(&self.loc.bucket)
                    .key(&full)
                    .send()
                    .await
                    .map_err(|e| self.error(key, e))?;
                let upload_id = created.upload_id.unwrap_or_default();
                let uploaded = self
                    .upload_parts(key, &full, &upload_id, buf, &mut parts_of)
                    .await;
                let (parts, total) = match uploaded {
                    Ok(done) => done,
                    Err(e) => {
                        // Close the channel first, so the producer stops at once.
                        drop(parts_of);
                        drop(body);
                        self.abort(&full, &upload_id).await;
                        return Err(e);
                    }
                };
                let completed = self
                    .client
                    .complete_multipart_upload()
                    .bucket(&self.loc.bucket)
                    .key(&full)
                    .upload_id(&upload_id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(parts))
                            .build(),
                    )
                    .send()
                    .await;
                if let Err(e) = completed {
                    self.abort(&full, &upload_id).await;
                    return Err(self.error(key, e));
                }
                total
            }
        };
        self.verify_size(key, sent).await?;
        Ok(sent)
    }

    /// A conditional PUT (`If-None-Match: *`, honoured by AWS since 2024, MinIO and s3s); a
    /// server that rejects the header gets a plain PUT. Either way the object is read back and
    /// compared, which also catches servers that ignore the header: of two writers that raced,
    /// only the one whose bytes are there wins. The residual race, on servers without
    /// conditional writes only: two writers that both find the key absent, and both read back
    /// their own bytes because the second PUT lands after the first read-back, both believe they
    /// won. The window is one round trip; the lock's host-local `flock` closes it for writers on
    /// one machine.
    async fn put_if_absent(&self, key: &str, data: Bytes) -> Result<bool> {
        let full = self.full_key(key)?;
        if self.head(key).await?.is_some() {
            return Ok(false);
        }
        let conditional = self
            .client
            .put_object()
            .bucket(&self.loc.bucket)
            .key(&full)
            .if_none_match("*")
            .content_md5(content_md5(&data))
            .body(ByteStream::from(data.clone()))
            .send()
            .await;
        if let Err(e) = conditional {
            let (code, status) = service_code(&e);
            if code == "PreconditionFailed"
                || code == "ConditionalRequestConflict"
                || matches!(status, Some(409 | 412))
            {
                return Ok(false);
            }
            if code == "NotImplemented" || status == Some(501) {
                self.put_single(key, &full, data.clone()).await?;
            } else {
                return Err(self.error(key, e));
            }
        }
        let back = (self as &dyn Store)
            .get_bytes(key, data.len() as u64 + 1)
            .await?;
        Ok(back.as_deref() == Some(&data[..]))
    }

    async fn get(&self, key: &str) -> Result<Option<ObjectRead>> {
        let full = self.full_key(key)?;
        match self
            .client
            .get_object()
            .bucket(&self.loc.bucket)
            .key(&full)
            .send()
            .await
        {
            Ok(out) => Ok(Some(Box::new(out.body.into_async_read()))),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(self.error(key, e)),
        }
    }

    async fn head(&self, key: &str) -> Result<Option<u64>> {
        let full = self.full_key(key)?;
        match self
            .client
            .head_object()
            .bucket(&self.loc.bucket)
            .key(&full)
            .send()
            .await
        {
            Ok(out) => Ok(Some(out.content_length.unwrap_or_default().max(0) as u64)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(self.error(key, e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>> {
        let full = self.full_prefix(prefix);
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.loc.bucket)
            .prefix(&full)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.error(prefix, e))?;
            for obj in page.contents() {
                if let Some(k) = obj.key() {
                    out.push(ObjectMeta {
                        key: self.relative(k).to_string(),
                        size_bytes: obj.size().unwrap_or_default().max(0) as u64,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    async fn first_key(&self, prefix: &str) -> Result<Option<String>> {
        let full = self.full_prefix(prefix);
        let page = self
            .client
            .list_objects_v2()
            .bucket(&self.loc.bucket)
            .prefix(&full)
            .max_keys(1)
            .send()
            .await
            .map_err(|e| self.error(prefix, e))?;
        Ok(page
            .contents()
            .first()
            .and_then(|o| o.key())
            .map(|k| self.relative(k).to_string()))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let full = self.full_key(key)?;
        match self
            .client
            .delete_object()
            .bucket(&self.loc.bucket)
            .key(&full)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(self.error(key, e)),
        }
    }

    async fn interrupted_uploads(&self, prefix: &str) -> Result<Option<Vec<InterruptedUpload>>> {
        let full = self.full_prefix(prefix);
        let mut out = Vec::new();
        let mut key_marker: Option<String> = None;
        let mut id_marker: Option<String> = None;
        loop {
            let page = self
                .client
                .list_multipart_uploads()
                .bucket(&self.loc.bucket)
                .prefix(&full)
                .set_key_marker(key_marker.clone())
                .set_upload_id_marker(id_marker.clone())
                .send()
                .await;
            let page = match page {
                Ok(p) => p,
                Err(e) => {
                    let (code, status) = service_code(&e);
                    if code == "NotImplemented" || status == Some(501) {
                        return Ok(None);
                    }
                    return Err(self.error(prefix, e));
                }
            };
            for u in page.uploads() {
                if let (Some(k), Some(id)) = (u.key(), u.upload_id()) {
                    out.push(InterruptedUpload {
                        key: self.relative(k).to_string(),
                        upload_id: id.to_string(),
                        initiated_at: u.initiated().map(|t| t.to_string()),
                    });
                }
            }
            if page.is_truncated() == Some(true) {
                key_marker = page.next_key_marker().map(str::to_string);
                id_marker = page.next_upload_id_marker().map(str::to_string);
                if key_marker.is_none() && id_marker.is_none() {
                    break;
                }
            } else {
                break;
            }
        }
        Ok(Some(out))
    }

    async fn abort_upload(&self, upload: &InterruptedUpload) -> Result<()> {
        let full = self.full_key(&upload.key)?;
        self.client
            .abort_multipart_upload()
            .bucket(&self.loc.bucket)
            .key(&full)
            .upload_id(&upload.upload_id)
            .send()
            .await
            .map_err(|e| self.error(&upload.key, e))?;
        Ok(())
    }
}
