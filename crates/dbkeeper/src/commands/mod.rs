//! One module per subcommand: turn arguments into calls on the library crates and print.

pub mod audit;
pub mod backup;
pub mod demo;
pub mod demo_backup;
pub mod engines;
pub mod inspect;
pub mod online;
pub mod playbooks;
pub mod run;
pub mod run_msg;
pub mod targets;
pub mod verify;
