//! yishi (议事): run a live community consultation meeting from a terminal.

pub mod agenda;
pub mod ballots;
pub mod cli;
pub mod domain;
pub mod export;
pub mod followup;
pub mod lang;
pub mod prepare;
pub mod proposals;
pub mod report;
pub mod roster;
pub mod safe_text;
pub mod stats;
pub mod store;
pub mod tui;
