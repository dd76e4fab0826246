//! CTO504 sli-invalid: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::check::slo::key_at;
use crate::model::Sli;
use crate::model::slo::Decimal;

declare_rule! {
    /// ## What it checks
    /// That `sli` is either `{type: ratio, good: QUERY, total: QUERY}` (or `bad` instead of
    /// `good`, not both), or `{type: threshold, query: QUERY, op: lt|lte|gt|gte, value: NUMBER}`.
    ///
    /// ## Why
    /// Exports to OpenSLO, Sloth and Prometheus are built from these queries; an incomplete
    /// indicator exports nothing that works.
    ///
    /// ## Example
    /// ```yaml
    /// sli: { type: ratio, good: 'sum(rate(ok[{{.window}}]))' }
    /// ```
    ///
    /// ## How to fix
    /// Add the missing query (`total`), or remove one of `good`/`bad`.
    pub static SLI_INVALID = {
        code: "CTO504",
        name: "sli-invalid",
        layer: Slo,
        kinds: [Slo],
        severity: Error,
        summary: "An SLO's `sli` is not a complete ratio or threshold indicator.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some(sli) = doc.slo().and_then(|s| s.sli.as_ref()) else {
            continue;
        };
        if let Some(msg) = problem(sli) {
            out.push(
                Diagnostic::new(&SLI_INVALID, doc.path(), key_at(doc, "sli"), msg)
                    .with_help("ratio: `{type: ratio, good: QUERY, total: QUERY}`; threshold: `{type: threshold, query: QUERY, op: lt, value: 300}`"),
            );
        }
    }
}

/// What is wrong with an SLI, if anything.
fn problem(sli: &Sli) -> Option<String> {
    match sli {
    Sli::Ratio { good, bad, total } => {
        match (good.is_some(), bad.is_some(), total.is_some()) {
            (true, true, _) => {
                Some("a ratio SLI has `good` or `bad`, not both".to_string())
            }
            (false, false, _) => Some("a ratio SLI needs `good` or `bad`".to_string()),
            (_, _, false) => Some("a ratio SLI needs `total`".to_string()),
            _ => None,
        }
    }
    Sli::Threshold { query, op, value } => {
        let missing: Vec<&str> = [
            ("query", query.is_none()),
            ("op", op.is_none()),
            ("value", value.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            Some(format!("a threshold SLI needs {}", missing.join(", ")))
        } else if !matches!(op.as_deref(), Some("lt" | "lte" | "gt" | "gte")) {
            Some(format!(
                "`op` is `{}`; use lt, lte, gt or gte",
                op.as_deref().unwrap_or("")
            ))
        } else if value
            .as_deref()
            .and_then(Decimal::parse)
            .is_none()
        {
            Some("`value` must be a number".to_string())
        } else {
            None
        }
    }
    Sli::Other(Some(t)) => Some(format!("SLI type `{t}` is not `ratio` or `threshold`")),
    Sli::Other(None) => {
        Some("the SLI needs `type: ratio` or `type: threshold`".to_string())
    }
}
}
