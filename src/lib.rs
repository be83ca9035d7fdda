//! yishi (议事): run a live community consultation meeting from a terminal.

pub mod agenda;
pub mod cli;
// Lints that newer clippy releases added after this code was written; to be dropped once
// the code is brought up to them.
#[allow(clippy::manual_range_contains, clippy::manual_is_multiple_of)]
pub mod domain;
pub mod export;
pub mod lang;
pub mod report;
#[allow(clippy::explicit_counter_loop)]
pub mod store;
