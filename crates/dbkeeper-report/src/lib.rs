//! Rendering for people and programs: terminal tables that fit the terminal, stable JSON, and
//! human units (MiB, durations), in English and Chinese. Libraries produce data; only this crate
//! decides how it looks.

pub mod facts;
pub mod inspect;
pub mod msg;
pub mod table;
pub mod units;

pub use table::Table;
