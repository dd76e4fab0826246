//! CTO501 objective-invalid: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::slo::{Decimal, DecimalError, Rational};
use crate::parse::yaml::Value;

declare_rule! {
    /// ## What it checks
    /// That `objective` is a number with 0 < objective ≤ 100, written as a percent (`99.9`),
    /// with at most 18 decimals and 30 significant digits (the arithmetic is exact within them).
    ///
    /// ## Why
    /// The error budget is `(100 − objective)%` of the window; outside that range there is no
    /// budget to speak of.
    ///
    /// ## Example
    /// ```yaml
    /// objective: 199.9
    /// ```
    ///
    /// ## How to fix
    /// Write the objective as a percent: `objective: 99.9`.
    pub static OBJECTIVE_INVALID = {
        code: "CTO501",
        name: "objective-invalid",
        layer: Slo,
        kinds: [Slo],
        severity: Error,
        summary: "An SLO's objective is not a percent between 0 and 100.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some(slo) = doc.slo() else { continue };
        let help = "write the objective as a percent, e.g. `objective: 99.9`";
        match slo.objective {
            Some((objective, span)) => {
                if !in_range(objective.rational()) {
                    out.push(
                        Diagnostic::new(
                            &OBJECTIVE_INVALID,
                            doc.path(),
                            span,
                            format!("objective {objective} is not a percent above 0 and at most 100"),
                        )
                        .with_help(help),
                    );
                }
            }
            // A number the model could not hold exactly: more digits than the arithmetic
            // keeps is a finding, never a rounding.
            None => {
                let Some(node) = doc.field("objective") else {
                    continue;
                };
                if !matches!(node.value, Value::Int(_) | Value::Float(_)) {
                    continue;
                }
                match Decimal::parse_checked(doc.source.slice(node.span)) {
                    Ok(_) | Err(DecimalError::NotANumber) => {}
                    Err(e) => out.push(
                        Diagnostic::new(
                            &OBJECTIVE_INVALID,
                            doc.path(),
                            node.span,
                            format!("objective {e}"),
                        )
                        .with_help(help),
                    ),
                }
            }
        }
    }
}

/// Whether an objective is a percent above 0 and at most 100.
pub fn in_range(pct: Rational) -> bool {
    pct.num > 0 && pct.den.checked_mul(100).is_some_and(|max| pct.num <= max)
}
