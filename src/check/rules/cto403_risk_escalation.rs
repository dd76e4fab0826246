//! CTO403 risk-escalation: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::check::policy::escalation;

declare_rule! {
    /// ## What it checks
    /// That every open or mitigating risk whose score is in the high or critical band and whose
    /// category is security, reliability or compliance has a treatment plan (a `treatment`,
    /// and for `mitigate` a written `## Mitigation`) and links a roadmap item (`links: [RM-…]`)
    /// that funds the work.
    ///
    /// ## Why
    /// Serious risks without funded work are what leadership must hear about; the report lists
    /// them as escalations.
    ///
    /// ## Example
    /// ```yaml
    /// category: security
    /// likelihood: 4
    /// impact: 5
    /// treatment: mitigate
    /// links: []
    /// ```
    ///
    /// ## How to fix
    /// Write the mitigation and link the roadmap item that carries it, or accept the risk
    /// explicitly (status `accepted` with an `acceptance`).
    pub static RISK_ESCALATION = {
        code: "CTO403",
        name: "risk-escalation",
        layer: Policy,
        kinds: [Risk],
        severity: Warning,
        summary: "A high or critical security, reliability or compliance risk lacks a treatment plan or a linked roadmap item.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if let Some(why) = escalation(doc, risk, ctx) {
            out.push(
                Diagnostic::new(&RISK_ESCALATION, doc.path(), doc.meta_span(&["category"]), why)
                    .with_help(
                        "write the mitigation and link the roadmap item that funds it (`links: [RM-…]`)",
                    ),
            );
        }
    }
}
