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

use crate::check::{Diagnostic, Rule, Severity};
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
    /// The summary of findings of these severities.
    pub fn count(
        severities: impl IntoIterator<Item = Severity>,
        files: usize,
        documents: usize,
    ) -> Self {
        let mut summary = Summary {
            files,
            documents,
            ..Summary::default()
        };
        for severity in severities {
            match severity {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excerpt<T = String> {
    pub text: T,
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
}

/// A number kept in 32 bits (a file read is at most `MAX_FILE_BYTES`; more is clamped).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One finding as the formatters read it, kept small, since a lint of many documents
/// holds every finding until the output is written: its texts (message, help, the
/// lines it covers) in one allocation, its line and column in 32 bits, and its path
/// held once by its [`Group`]. What `--fix` needs (the fix) is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Where its span starts, in bytes: with the rule's code, its order in its file.
    offset: u32,
    /// Start line, start column, end line, end column.
    at: [u32; 4],
    /// The message, then the help, then the excerpt's lines.
    texts: Box<str>,
    message_len: u32,
    help_len: Option<u32>,
    /// The span within the excerpt's lines, when there are lines to show.
    excerpt: Option<[u32; 2]>,
}

impl Finding {
    /// `d` located at `at`: its path is left to the group it goes in.
    pub fn new(d: &Diagnostic, at: Located) -> Finding {
        let help = d.help.as_deref();
        let lines = at.excerpt.as_ref().map_or("", |e| e.text.as_str());
        let mut texts =
            String::with_capacity(d.message.len() + help.map_or(0, str::len) + lines.len());
        texts.push_str(&d.message);
        texts.push_str(help.unwrap_or(""));
        texts.push_str(lines);
        Finding {
            rule: d.rule,
            severity: d.severity,
            offset: narrow(d.span.start),
            at: [at.start.line, at.start.column, at.end.line, at.end.column].map(narrow),
            texts: texts.into_boxed_str(),
            message_len: narrow(d.message.len()),
            help_len: help.map(|h| narrow(h.len())),
            excerpt: at.excerpt.map(|e| [narrow(e.start), narrow(e.end)]),
        }
    }

    /// The order findings of one file are shown in: by position, then code.
    pub fn order(&self, other: &Finding) -> std::cmp::Ordering {
        (self.offset, self.rule.code).cmp(&(other.offset, other.rule.code))
    }

    /// This finding as a formatter reads it, in the file at `path`.
    pub fn item<'a>(&'a self, path: &'a str) -> Item<'a> {
        let message_end = self.message_len as usize;
        let help_end = message_end + self.help_len.unwrap_or(0) as usize;
        let line_col = |line: u32, column: u32| LineCol {
            line: line as usize,
            column: column as usize,
        };
        Item {
            rule: self.rule,
            severity: self.severity,
            message: &self.texts[..message_end],
            path,
            help: self.help_len.map(|_| &self.texts[message_end..help_end]),
            start: line_col(self.at[0], self.at[1]),
            end: line_col(self.at[2], self.at[3]),
            excerpt: self.excerpt.map(|[start, end]| Excerpt {
                text: &self.texts[help_end..],
                start: start as usize,
                end: end as usize,
            }),
        }
    }
}

/// A finding as a formatter reads it: what it says and where it points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: &'a str,
    pub path: &'a str,
    pub help: Option<&'a str>,
    pub start: LineCol,
    pub end: LineCol,
    /// The lines the finding covers, when there are lines to show.
    pub excerpt: Option<Excerpt<&'a str>>,
}

/// The findings of one file, in the order they are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub path: String,
    pub findings: Vec<Finding>,
}

impl Group {
    /// Its findings as the formatters read them.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> {
        self.findings.iter().map(|f| f.item(&self.path))
    }
}

/// `diagnostics` located in `sources` (in parallel), in their order, in groups of one
/// file each.
pub fn grouped(diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> Vec<Group> {
    use rayon::prelude::*;
    let located: Vec<(String, Finding)> = diagnostics
        .into_par_iter()
        .map(|d| {
            let at = Located::new(sources.get(&d.path), &d);
            let finding = Finding::new(&d, at);
            (d.path, finding)
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (path, finding) in located {
        match groups.last_mut() {
            Some(g) if g.path == path => g.findings.push(finding),
            _ => groups.push(Group {
                path,
                findings: vec![finding],
            }),
        }
    }
    groups
}

/// What `cto lint` hands to a formatter: the findings, in groups of one file each, in
/// the order they are shown.
pub struct LintReport<'a> {
    pub groups: &'a [Group],
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
    /// Each finding, in order.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> {
        self.groups.iter().flat_map(Group::items)
    }
}
