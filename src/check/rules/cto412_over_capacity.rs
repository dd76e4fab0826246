//! CTO412 over-capacity: the rule, its page and its check.

use crate::check::{Context, effort_by_quarter};
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{AdrStatus, Corpus};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// That the `effort` of the items planned in a quarter (not dropped) adds up to at most that
    /// quarter's `roadmap.capacity` in `cto.yaml`, unless an item of the quarter links an ADR
    /// that records the trade-off. Such an ADR is recognised by two things: its status is
    /// accepted (or a team status that counts as accepted), and its title or text names the
    /// quarter (`2027-Q1`). A proposed, rejected or superseded ADR, or one about another
    /// quarter or subject, waives nothing.
    ///
    /// ## Why
    /// An over-committed quarter is a roadmap that will slip; if it is deliberate, the decision
    /// should be written down.
    ///
    /// ## Example
    /// ```yaml
    /// # cto.yaml
    /// roadmap: { capacity: { 2027-Q1: 40 } }
    /// ```
    /// with items of 21, 13 and 13 points in 2027-Q1.
    ///
    /// ## How to fix
    /// Move an item to a later quarter, reduce scope, or write and accept an ADR that accepts
    /// the overcommitment for that quarter ("Overcommit 2027-Q1 for the PCI deadline") and
    /// link it from an item of the quarter (`links: [ADR-0012]`).
    pub static OVER_CAPACITY = {
        code: "CTO412",
        name: "over-capacity",
        layer: Policy,
        kinds: [Roadmap],
        severity: Error,
        summary: "A quarter's planned effort exceeds its capacity, and no ADR records the trade-off.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (quarter, (total, docs)) in effort_by_quarter(corpus) {
        let Some(&cap) = ctx.config.capacity.get(&quarter) else {
            continue;
        };
        if total <= cap {
            continue;
        }
        let named = quarter.to_string();
        let trade_off = docs.iter().any(|d| {
            d.links.iter().any(|r| {
                corpus.get(&r.id).is_some_and(|adr| {
                    adr.adr().is_some_and(|a| a.is(AdrStatus::Accepted))
                        && (adr.title_text().contains(&named)
                            || adr.source.text[adr.body_start()..].contains(&named))
                })
            })
        });
        if trade_off {
            continue;
        }
        let Some(biggest) = docs
            .iter()
            .max_by_key(|d| d.roadmap().and_then(|i| i.effort).map(|e| e.0))
        else {
            continue;
        };
        let items: Vec<String> = docs
            .iter()
            .filter_map(|d| Some(format!("{} {}", d.id.as_deref()?, d.roadmap()?.effort?.0)))
            .collect();
        let span = biggest
            .roadmap()
            .and_then(|i| i.effort)
            .map_or(Span::empty(0), |e| e.1);
        out.push(
            Diagnostic::new(
                &OVER_CAPACITY,
                biggest.path(),
                span,
                format!(
                    "{quarter} plans {total} points against a capacity of {cap} ({})",
                    items.join(", ")
                ),
            )
            .with_help(
                "move an item to a later quarter, or link the ADR that records the trade-off",
            ),
        );
    }
}
