//! CTO405 acceptance-expired: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::{RiskStatus};

declare_rule! {
    /// ## What it checks
    /// That the `acceptance.expires` date of an accepted risk is not in the past.
    ///
    /// ## Why
    /// An expired acceptance means nobody currently owns the decision to live with the risk.
    ///
    /// ## Example
    /// ```yaml
    /// status: accepted
    /// acceptance: { by: Maya Chen, date: 2024-01-01, expires: 2024-06-30 }
    /// ```
    /// on 2024-07-15.
    ///
    /// ## How to fix
    /// Review the risk: renew the acceptance with a new expiry, or treat the risk.
    pub static ACCEPTANCE_EXPIRED = {
        code: "CTO405",
        name: "acceptance-expired",
        layer: Policy,
        kinds: [Risk],
        severity: Warning,
        summary: "A risk's acceptance has expired.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if risk.is(RiskStatus::Accepted)
            && let Some(expires) = risk.acceptance.as_ref().and_then(|a| a.expires)
            && expires < ctx.today
        {
            out.push(Diagnostic::new(
                &ACCEPTANCE_EXPIRED,
                doc.path(),
                doc.meta_span(&["acceptance", "expires"]),
                format!("the acceptance expired on {expires}"),
            ));
        }
    }
}
