//! Logical backup and restore of PostgreSQL databases (`pg_dump+copy`).
//!
//! A backup holds, per database, pg_dump's schema in two parts (pre-data: types, tables,
//! functions, views; post-data: indexes, constraints, triggers, policies, materialized view
//! refreshes), every table's rows as COPY text, sequence values and large objects — all read
//! inside one exported snapshot — and a table of contents (`toc.json`, see [`toc`]) that says
//! how to put it back. Object names:
//!
//! ```text
//! globals.sql                                   roles and tablespaces (pg_dumpall --globals-only)
//! db/<database>/pre-data.sql                    pg_dump --section=pre-data
//! db/<database>/data/<schema>.<table>.copy      COPY text, one per table or leaf partition
//! db/<database>/sequences.sql                   setval() per sequence
//! db/<database>/large-objects.lo                large objects' contents (see lo.rs)
//! db/<database>/post-data.dump                  pg_dump --section=post-data --format=custom
//!                                               (restored by pg_restore --jobs; `.sql` before
//!                                               toc version 2)
//! toc.json                                      written last
//! ```
//! Names are percent-encoded into safe path components (see `names.rs`).

mod backup;
mod catalog;
mod copy_in;
mod copy_out;
mod lo;
mod names;
mod restore;
mod script;
mod sql;
mod toc;

pub use catalog::OBJECT_COUNTS_SQL;

pub(crate) use backup::backup_logical;
pub(crate) use restore::restore_logical;

/// `DumpContents::method` of a logical backup.
pub const METHOD: &str = "pg_dump+copy";
