//! CTO406 closed-without-date: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::{RiskStatus};

declare_rule! {
    /// ## What it checks
    /// That a risk with status `closed` has a `closed` date.
    ///
    /// ## Why
    /// Reports show when risks were closed; audits ask.
    ///
    /// ## Example
    /// ```yaml
    /// status: closed
    /// ```
    ///
    /// ## How to fix
    /// Add `closed: YYYY-MM-DD`.
    pub static CLOSED_WITHOUT_DATE = {
        code: "CTO406",
        name: "closed-without-date",
        layer: Policy,
        kinds: [Risk],
        severity: Error,
        summary: "A closed risk does not say when it was closed.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if risk.is(RiskStatus::Closed) && risk.closed.is_none() {
            out.push(
                Diagnostic::new(
                    &CLOSED_WITHOUT_DATE,
                    doc.path(),
                    doc.meta_span(&["status"]),
                    "closed risk has no `closed` date",
                )
                .with_help("add `closed: YYYY-MM-DD`"),
            );
        }
    }
}
