//! CTO502 objective-suspicious: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::slo::Rational;
use super::cto501_objective_invalid::in_range;

declare_rule! {
    /// ## What it checks
    /// That `objective` is neither below 1 (`0.995` is almost always meant as 99.5%) nor exactly
    /// 100 (no error budget: every failure breaches the SLO).
    ///
    /// ## Why
    /// OpenSLO writes targets as ratios (`target: 0.995`); cto writes objectives as percents. A
    /// ratio copied over means an objective of 0.995%: a budget of 99% of the window.
    ///
    /// ## Example
    /// ```yaml
    /// objective: 0.995
    /// ```
    ///
    /// ## How to fix
    /// Write `objective: 99.5`. For 100, choose the objective the service can actually keep.
    pub static OBJECTIVE_SUSPICIOUS = {
        code: "CTO502",
        name: "objective-suspicious",
        layer: Slo,
        kinds: [Slo],
        severity: Warning,
        summary: "An SLO's objective looks like a ratio (below 1) or leaves no budget (100).",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some((objective, span)) = doc.slo().and_then(|s| s.objective) else {
            continue;
        };
        let pct = objective.rational();
        let hundred = Rational::int(100);
        // Out of range is CTO501's.
        if !in_range(pct) {
            continue;
        }
        if pct == hundred {
            out.push(
                Diagnostic::new(
                    &OBJECTIVE_SUSPICIOUS,
                    doc.path(),
                    span,
                    "objective 100 leaves no error budget",
                )
                .with_help("choose the objective the service can keep, e.g. 99.9"),
            );
        } else if pct.num < pct.den
            && let Some(as_percent) = pct.checked_mul(hundred)
        {
            out.push(
                Diagnostic::new(
                    &OBJECTIVE_SUSPICIOUS,
                    doc.path(),
                    span,
                    format!("objective {objective} looks like a ratio, not a percent"),
                )
                .with_help(format!(
                    "did you mean `objective: {}`?",
                    as_percent.decimal(12)
                )),
            );
        }
    }
}
