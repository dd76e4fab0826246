//! CTO408 residual-above-inherent: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That `residual.likelihood` is at most `likelihood` and `residual.impact` at most
    /// `impact`.
    ///
    /// ## Why
    /// Treatment lowers a risk; a residual above the inherent rating is a typo or a
    /// misunderstanding of the two ratings.
    ///
    /// ## Example
    /// ```yaml
    /// likelihood: 2
    /// impact: 4
    /// residual: { likelihood: 3, impact: 4 }
    /// ```
    ///
    /// ## How to fix
    /// Rate the risk before treatment in `likelihood`/`impact` and after it in `residual`.
    pub static RESIDUAL_ABOVE_INHERENT = {
        code: "CTO408",
        name: "residual-above-inherent",
        layer: Policy,
        kinds: [Risk],
        severity: Error,
        summary: "A risk's residual likelihood or impact is above its inherent one.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        let (Some((rl, ri)), Some(l), Some(i)) = (risk.residual, risk.likelihood, risk.impact)
        else {
            continue;
        };
        if rl > l {
            let msg = format!("residual likelihood {rl} is above the inherent likelihood {l}");
            out.push(Diagnostic::new(
                &RESIDUAL_ABOVE_INHERENT,
                doc.path(),
                doc.meta_span(&["residual", "likelihood"]),
                msg,
            ));
        }
        if ri > i {
            let msg = format!("residual impact {ri} is above the inherent impact {i}");
            out.push(Diagnostic::new(
                &RESIDUAL_ABOVE_INHERENT,
                doc.path(),
                doc.meta_span(&["residual", "impact"]),
                msg,
            ));
        }
    }
}
