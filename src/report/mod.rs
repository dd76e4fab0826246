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
    /// Findings the baseline (`.cto/baseline.json`) holds, not reported; absent when
    /// there is no baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
}

impl Summary {
    pub fn count<'d>(
        diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
        files: usize,
        documents: usize,
    ) -> Self {
        let mut summary = Summary {
            files,
            documents,
            ..Summary::default()
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
        }
        summary
    }
}

/// Where a diagnostic points, resolved against its file's text once: both ends as
/// line:column, and the lines it covers for a snippet. Computed where the text is at
/// hand (while the document is parsed, or from a re-read), so that the formatters need
/// no file text and a lint of many documents need not keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub start: LineCol,
    pub end: LineCol,
    /// The lines the span covers (at most three), as written in the file; `None` when
    /// the file has no text to show.
    pub excerpt: Option<Excerpt>,
}

/// Lines of a file and the span within them (byte offsets into `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Located {
    /// The start of a file with no text to show: 1:1.
    pub const START: Located = Located {
        start: LineCol { line: 1, column: 1 },
        end: LineCol { line: 1, column: 1 },
        excerpt: None,
    };

    /// Where `d` points in `src` (1:1 and no excerpt when there is no source).
    pub fn new(src: Option<&Source>, d: &Diagnostic) -> Located {
        let Some(src) = src else {
            return Located::START;
        };
        let (start, end) = (src.line_col(d.span.start), src.line_col(d.span.end));
        let excerpt = (!src.text.is_empty()).then(|| {
            // The lines the span covers (at most three), numbered as in the file.
            let last = end.line.min(start.line + 2);
            let from = src.line_range(start.line).start;
            let to = src.line_range(last).end;
            Excerpt {
                text: src.text[from..to].to_string(),
                start: d.span.start.clamp(from, to) - from,
                end: d.span.end.clamp(from, to) - from,
            }
        });
        Located {
            start,
            end,
            excerpt,
        }
    }

    /// Each of `diagnostics` with where it points in the sources of `sources`.
    pub fn all(diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> Vec<(Diagnostic, Located)> {
        use rayon::prelude::*;
        diagnostics
            .into_par_iter()
            .map(|d| {
                let at = Located::new(sources.get(&d.path), &d);
                (d, at)
            })
            .collect()
    }
}

/// What `cto lint` hands to a formatter: the diagnostics, each with where it points, in
/// groups (a file's findings, say) in the order they are shown.
pub struct LintReport<'a> {
    pub groups: &'a [Vec<(Diagnostic, Located)>],
    pub summary: Summary,
    /// Where CI formats (GitHub annotations, SARIF, JUnit) take paths from.
    pub base: PathBase,
}

/// The directory CI tools place files from: the top of the git work tree, which may hold
/// the cto root deeper down (`examples/`), else the cto root itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathBase {
    /// The cto root relative to that directory, as a path prefix (`""` or `examples/`).
    pub prefix: String,
    /// That directory, absolute (SARIF's `%SRCROOT%`).
    pub root: Option<std::path::PathBuf>,
}

impl PathBase {
    /// A path relative to the cto root, made relative to the base directory.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
}

impl LintReport<'_> {
    /// Each diagnostic with its location, in order.
    pub fn items(&self) -> impl Iterator<Item = (&Diagnostic, &Located)> {
        self.groups.iter().flatten().map(|(d, at)| (d, at))
    }
}
