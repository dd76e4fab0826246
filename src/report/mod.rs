//! Formatters: values in, text out. One file per output format.

pub mod csv;
pub mod dot;
pub mod escape;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mermaid;
pub mod sarif;
pub mod table;
pub mod yaml;

use std::collections::HashMap;

use serde::Serialize;

use crate::check::{Diagnostic, Severity};
use crate::source::{LineCol, Source};

pub use escape::markup as escape_markup;

/// The sources diagnostics point into, by path.
#[derive(Default)]
pub struct SourceMap<'a> {
    by_path: HashMap<&'a str, &'a Source>,
}

impl<'a> SourceMap<'a> {
    pub fn new(sources: impl IntoIterator<Item = &'a Source>) -> Self {
        SourceMap {
            by_path: sources.into_iter().map(|s| (s.path.as_str(), s)).collect(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&'a Source> {
        self.by_path.get(path).copied()
    }
}

/// Counts for the closing line and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn count(diagnostics: &[Diagnostic], files: usize, documents: usize) -> Self {
        Summary {
            files,
            documents,
            errors: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            warnings: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
        }
    }
}

/// What `cto lint` hands to a formatter.
pub struct LintReport<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: SourceMap<'a>,
    pub summary: Summary,
}

impl LintReport<'_> {
    /// Start and end of a diagnostic as line:column (1:1 when the file has no text).
    pub fn locate(&self, d: &Diagnostic) -> (LineCol, LineCol) {
        match self.sources.get(&d.path) {
            Some(src) => (src.line_col(d.span.start), src.line_col(d.span.end)),
            None => {
                let at = LineCol { line: 1, column: 1 };
                (at, at)
            }
        }
    }
}
