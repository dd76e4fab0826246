//! CTO603 action-item-overdue: the rule, its page and its check.

use crate::check::Context;
use crate::check::incidents::is_overdue;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That no action item of an incident is past its `due` date without `done: true`.
    ///
    /// ## Why
    /// The action items are what the postmortem bought; an overdue one is a known cause of
    /// the next incident still in place.
    ///
    /// ## Example
    /// ```yaml
    /// action_items:
    ///   - { title: Retry payments with backoff, owner: ana, due: 2026-09-30 }
    /// ```
    /// on 2026-11-21.
    ///
    /// ## How to fix
    /// Do it and set `done: true`, or agree a new date and change `due`; work that grew
    /// into a project belongs in a roadmap item (`link: RM-…`).
    pub static ACTION_ITEM_OVERDUE = {
        code: "CTO603",
        name: "action-item-overdue",
        layer: Incident,
        kinds: [Incident],
        severity: Warning,
        summary: "An action item is past its due date and not done.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        for item in i.action_items.iter().filter(|a| is_overdue(a, ctx.today)) {
            let Some((due, span)) = item.due else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &ACTION_ITEM_OVERDUE,
                    doc.path(),
                    span,
                    format!(
                        "action item `{}` was due on {due} ({} days ago)",
                        item.title.as_deref().unwrap_or("(untitled)"),
                        (ctx.today - due).get_days()
                    ),
                )
                .with_help(format!(
                    "do it and set `done: true`, or agree a new `due` date with {}",
                    item.owner.as_deref().unwrap_or("its owner")
                )),
            );
        }
    }
}
