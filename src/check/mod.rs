//! Checks: the rule registry, and the rules that read loaded documents.
//!
//! A rule is a unit: one file with its metadata, its page and its check, under
//! `check/rules/` (or `model/rules/` for the file and front-matter rules the model
//! applies while reading). The registry is generated from those units.

pub mod baseline;
mod body;
mod corpus;
pub mod incidents;
pub mod policy;
pub mod registry;
pub mod rules;
pub mod slo;

use crate::config::{Config, RuleLevel};
use crate::model::{Corpus, Document};

pub use crate::diagnostic::{Diagnostic, Fix, Layer, Rule, Severity, did_you_mean};
pub use corpus::{effort_by_quarter, references_of};
pub use registry::{RULES, rule};

/// What the checks need besides the documents.
pub struct Context<'a> {
    pub config: &'a Config,
    pub root: &'a std::path::Path,
    /// The day reviews and acceptances are measured against.
    pub today: jiff::civil::Date,
}

/// Runs every rule over the corpus: what loading found (files, front matter), then each
/// unit of `check/rules/`. Order: by path, position, code.
pub fn run(corpus: &Corpus, ctx: &Context) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = corpus
        .documents
        .iter()
        .flat_map(|d| d.diagnostics.iter().cloned())
        .collect();
    rules::check(corpus, ctx, &mut out);
    apply_levels(&mut out, ctx.config);
    suppress(&mut out, corpus);
    sort(&mut out);
    out
}

/// Drops the findings a document silences for itself (`<!-- cto-ignore CTO201 -->`).
pub fn suppress(diagnostics: &mut Vec<Diagnostic>, corpus: &Corpus) {
    let silenced: std::collections::HashMap<&str, &[String]> = corpus
        .documents
        .iter()
        .filter(|d| !d.ignore.is_empty())
        .map(|d| (d.path(), d.ignore.as_slice()))
        .collect();
    if silenced.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !silenced
            .get(d.path.as_str())
            .is_some_and(|codes| codes.iter().any(|c| c == d.rule.code))
    });
}

/// The findings of one document alone, severities from cto.yaml applied (unsorted):
/// what loading found, then the checks that look at one document at a time (each
/// given a corpus of this one document). `cto lint` runs this where it parses each
/// document, then [`across`] over the corpus; together they find what [`run`] finds.
pub fn document(mut doc: Document, ctx: &Context) -> (Document, Vec<Diagnostic>) {
    let mut out = std::mem::take(&mut doc.diagnostics);
    let mut one = Corpus::new(vec![doc]);
    rules::check_each(&one, ctx, &mut out);
    apply_levels(&mut out, ctx.config);
    let doc = one.documents.pop().expect("a corpus of one document");
    // What the document silences for itself (`<!-- cto-ignore CTO201 -->`).
    if !doc.ignore.is_empty() {
        out.retain(|d| !doc.ignore.iter().any(|c| c == d.rule.code));
    }
    (doc, out)
}

/// The findings of the checks that compare documents with one another, severities
/// applied (unsorted).
pub fn across(corpus: &Corpus, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::check_across(corpus, ctx, &mut out);
    apply_levels(&mut out, ctx.config);
    suppress(&mut out, corpus);
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
        None => !d.rule.opt_in,
    });
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(order);
}

/// The order findings are shown in: by path, position, code (a stable sort keeps the
/// order they were found in otherwise).
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.path.as_str(), a.span.start, a.rule.code).cmp(&(b.path.as_str(), b.span.start, b.rule.code))
}
