//! Agenda files (TOML) → the domain `Setup`, with every problem located at file:line:column.

use std::path::Path;

use crate::domain::model::Setup;
use crate::lang::Lang;

/// The built-in demo meeting that `yishi` opens with no arguments.
pub const DEMO: &str = "";

/// One problem in an agenda, at a 1-based line and display column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why an agenda could not be loaded.
#[derive(Debug)]
pub enum AgendaError {
    Unreadable(String),
    Problems(Vec<Problem>),
}

/// Parses an agenda. Messages are in `lang`.
pub fn parse(source: &str, lang: Lang) -> Result<Setup, Vec<Problem>> {
    let _ = (source, lang);
    unimplemented!()
}

/// Reads and parses an agenda file.
pub fn load(path: &Path, lang: Lang) -> Result<Setup, AgendaError> {
    let _ = (path, lang);
    unimplemented!()
}

pub fn summary(setup: &Setup, lang: Lang) -> String {
    let _ = (setup, lang);
    String::new()
}

impl AgendaError {
    pub fn render(&self, file: &str) -> String {
        let _ = file;
        String::new()
    }
}
