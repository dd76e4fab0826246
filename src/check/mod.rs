//! Checks: the rule registry, diagnostics, and the layers of rules that produce them.

mod body;
mod corpus;
pub mod policy;
pub mod rules;
pub mod slo;

use serde::Serialize;

use crate::config::{Config, RuleLevel};
use crate::model::Corpus;
use crate::source::Span;

pub use corpus::{effort_by_quarter, references_of};
pub use rules::{RULES, Rule, rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: a rule, where it applies, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// Byte span in the file's text (empty for a file that could not be read).
    pub span: Span,
    pub help: Option<String>,
    /// A safe, minimal edit that resolves the finding (`cto lint --fix` applies it).
    pub fix: Option<Fix>,
}

/// Set the front-matter field `field` to `value` (YAML text), by the verified minimal
/// edit of [`crate::edit::set_field`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub field: String,
    pub value: String,
}

impl Diagnostic {
    pub fn new(
        rule: &'static Rule,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            path: path.into(),
            span,
            help: None,
            fix: None,
        }
    }

    pub fn with_fix(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            field: field.into(),
            value: value.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// What the checks need besides the documents.
pub struct Context<'a> {
    pub config: &'a Config,
    pub root: &'a std::path::Path,
    /// The day reviews and acceptances are measured against.
    pub today: jiff::civil::Date,
}

/// Runs every layer over the corpus: what loading found (files, front matter), the
/// body rules, policy, and the rules across documents. Order: by path, position, code.
pub fn run(corpus: &Corpus, ctx: &Context) -> Vec<Diagnostic> {
    let (config, root) = (ctx.config, ctx.root);
    let mut out: Vec<Diagnostic> = corpus
        .documents
        .iter()
        .flat_map(|d| d.diagnostics.iter().cloned())
        .collect();
    for doc in &corpus.documents {
        body::check(doc, config, root, &mut out);
        policy::check(doc, ctx, &mut out);
        slo::check(doc, ctx, &mut out);
    }
    slo::coverage(corpus, ctx, &mut out);
    corpus::check(corpus, ctx, &mut out);
    apply_levels(&mut out, config);
    sort(&mut out);
    out
}

/// Applies the `rules:` severity overrides of cto.yaml (`off` drops a rule).
pub fn apply_levels(diagnostics: &mut Vec<Diagnostic>, config: &Config) {
    diagnostics.retain_mut(|d| match config.rules.get(d.rule.code) {
        Some(RuleLevel::Off) => false,
        Some(RuleLevel::Warn) => {
            d.severity = Severity::Warning;
            true
        }
        Some(RuleLevel::Error) => {
            d.severity = Severity::Error;
            true
        }
        None => true,
    });
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.path.as_str(), a.span.start, a.rule.code).cmp(&(
            b.path.as_str(),
            b.span.start,
            b.rule.code,
        ))
    });
}

/// The closest candidate to a misspelt word, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_near_misses_only() {
        let statuses = ["proposed", "accepted", "rejected", "deprecated"];
        assert_eq!(did_you_mean("acepted", statuses), Some("accepted"));
        assert_eq!(did_you_mean("Acceptd", statuses), Some("accepted"));
        assert_eq!(did_you_mean("banana", statuses), None);
        assert_eq!(did_you_mean("staus", ["status", "date"]), Some("status"));
    }
}
