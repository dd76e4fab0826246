//! CTO505 alerting-missing: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::check::slo::{covers, key_at};
use crate::model::{SloStatus};

declare_rule! {
    /// ## What it checks
    /// That an SLO with status `active` has `alerting` that pages or raises a ticket
    /// (`page: true` or `ticket: true`) and names a `runbook`.
    ///
    /// ## Why
    /// An SLO that nobody is alerted about is a dashboard; an alert without a runbook wakes
    /// someone up with nothing to do.
    ///
    /// ## Example
    /// ```yaml
    /// status: active
    /// alerting: { page: true }
    /// ```
    ///
    /// ## How to fix
    /// `alerting: { page: true, ticket: true, runbook: https://runbooks.example.com/checkout }`.
    pub static ALERTING_MISSING = {
        code: "CTO505",
        name: "alerting-missing",
        layer: Slo,
        kinds: [Slo],
        severity: Error,
        summary: "An active SLO has no alerting, or its alerting has no runbook.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some(slo) = doc.slo() else { continue };
        if !slo.is(SloStatus::Active) || covers(slo) {
            continue;
        }
        let msg = match &slo.alerting {
            None => "an active SLO has no alerting",
            Some(a) if !(a.page || a.ticket) => {
                "an active SLO's alerting neither pages nor raises a ticket"
            }
            Some(_) => "an active SLO's alerting has no runbook",
        };
        out.push(
            Diagnostic::new(&ALERTING_MISSING, doc.path(), key_at(doc, "alerting"), msg)
                .with_help("`alerting: { page: true, ticket: true, runbook: https://… }`"),
        );
    }
}
