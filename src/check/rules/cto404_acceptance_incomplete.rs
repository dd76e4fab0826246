//! CTO404 acceptance-incomplete: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::{RiskStatus};

declare_rule! {
    /// ## What it checks
    /// That a risk with status `accepted` has `acceptance: {by, date, expires}`.
    ///
    /// ## Why
    /// An acceptance is a decision by a named person for a limited time; without an expiry it
    /// is never revisited.
    ///
    /// ## Example
    /// ```yaml
    /// status: accepted
    /// acceptance: { by: CTO }
    /// ```
    ///
    /// ## How to fix
    /// ```yaml
    /// acceptance: { by: Maya Chen, date: 2024-05-01, expires: 2024-11-01 }
    /// ```
    pub static ACCEPTANCE_INCOMPLETE = {
        code: "CTO404",
        name: "acceptance-incomplete",
        layer: Policy,
        kinds: [Risk],
        severity: Error,
        summary: "An accepted risk does not say who accepted it, when, and until when.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if !risk.is(RiskStatus::Accepted) {
            continue;
        }
        let a = risk.acceptance.clone().unwrap_or_default();
        let missing: Vec<&str> = [
            ("by", a.by.is_none()),
            ("date", a.date.is_none()),
            ("expires", a.expires.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if missing.is_empty() {
            continue;
        }
        let span = if risk.acceptance.is_some() {
            a.span
        } else {
            doc.meta_span(&["status"])
        };
        out.push(
            Diagnostic::new(
                &ACCEPTANCE_INCOMPLETE,
                doc.path(),
                span,
                format!(
                    "accepted risk lacks acceptance.{}",
                    missing.join(", acceptance.")
                ),
            )
            .with_help("write `acceptance: { by: NAME, date: YYYY-MM-DD, expires: YYYY-MM-DD }`"),
        );
    }
}
