//! A store in memory, for unit tests of the layers above stores. Every feature is also tested
//! against the real stores (tests/); this one only makes small tests fast.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use dbkeeper_core::Result;

use super::{aborted_error, check_key, Body, ObjectMeta, ObjectRead, Store};
use crate::location::RepoLocation;

#[derive(Debug)]
pub struct MemoryStore {
    objects: Mutex<BTreeMap<String, Bytes>>,
    location: RepoLocation,
}

impl Default for MemoryStore {
    fn default() -> MemoryStore {
        MemoryStore::new()
    }
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore {
            objects: Mutex::new(BTreeMap::new()),
            location: RepoLocation::Local {
                path: PathBuf::from("/memory"),
            },
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Bytes>> {
        // A panic while holding the lock cannot leave the map half-updated (every update is one
        // insert or remove), so a poisoned lock is still usable.
        self.objects
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces an object's bytes directly, to simulate damage in tests.
    pub fn tamper(&self, key: &str, data: Bytes) {
        self.map().insert(key.to_string(), data);
    }
}

#[async_trait]
impl Store for MemoryStore {
    fn location(&self) -> &RepoLocation {
        &self.location
    }

    async fn put(&self, key: &str, mut body: Body) -> Result<u64> {
        check_key(key)?;
        let mut buf = BytesMut::new();
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(c) => buf.extend_from_slice(&c),
                Err(_) => return Err(aborted_error(&self.location, key)),
            }
        }
        let size = buf.len() as u64;
        self.map().insert(key.to_string(), buf.freeze());
        Ok(size)
    }

    async fn put_if_absent(&self, key: &str, data: Bytes) -> Result<bool> {
        check_key(key)?;
        let mut map = self.map();
        if map.contains_key(key) {
            return Ok(false);
        }
        map.insert(key.to_string(), data);
        Ok(true)
    }

    async fn get(&self, key: &str) -> Result<Option<ObjectRead>> {
        let data = self.map().get(key).cloned();
        Ok(data.map(|d| Box::new(std::io::Cursor::new(d)) as ObjectRead))
    }

    async fn head(&self, key: &str) -> Result<Option<u64>> {
        Ok(self.map().get(key).map(|d| d.len() as u64))
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>> {
        Ok(self
            .map()
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| ObjectMeta {
                key: k.clone(),
                size_bytes: v.len() as u64,
            })
            .collect())
    }

    async fn first_key(&self, prefix: &str) -> Result<Option<String>> {
        Ok(self.list(prefix).await?.into_iter().next().map(|m| m.key))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        self.map().remove(key);
        Ok(())
    }
}
