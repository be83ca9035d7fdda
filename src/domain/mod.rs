//! The meeting itself: agenda, attendance, speakers, timers, tally rules, minutes and actions.
//! Pure Rust: no screen, no database, no clock (time is passed in).

pub mod find;
pub mod model;
pub mod quorum;
pub mod shared;
pub mod state;
pub mod tally;
pub mod text;
pub mod timer;

#[cfg(test)]
mod owners_tests;
