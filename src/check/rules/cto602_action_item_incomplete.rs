//! CTO602 action-item-incomplete: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That every action item of an incident that is not `done` names an `owner` and a `due`
    /// date.
    ///
    /// ## Why
    /// An action item without an owner is nobody's, and one without a date is never late:
    /// both are how the same incident happens twice.
    ///
    /// ## Example
    /// ```yaml
    /// action_items:
    ///   - { title: Alert on queue depth, link: RM-0012 }
    /// ```
    ///
    /// ## How to fix
    /// Give it an owner and a due date: `- { title: Alert on queue depth, owner: ana, due:
    /// 2026-12-15, link: RM-0012 }`.
    pub static ACTION_ITEM_INCOMPLETE = {
        code: "CTO602",
        name: "action-item-incomplete",
        layer: Incident,
        kinds: [Incident],
        severity: Error,
        summary: "An open action item has no owner or no due date.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        for (n, item) in i.action_items.iter().enumerate().filter(|(_, a)| !a.done) {
            let missing = match (&item.owner, &item.due) {
                (Some(_), Some(_)) => continue,
                (None, Some(_)) => "no owner",
                (Some(_), None) => "no due date",
                (None, None) => "no owner and no due date",
            };
            let title = item
                .title
                .as_deref()
                .map_or(String::new(), |t| format!(" ({t})"));
            out.push(
                Diagnostic::new(
                    &ACTION_ITEM_INCOMPLETE,
                    doc.path(),
                    item.span,
                    format!("action item {}{title} has {missing}", n + 1),
                )
                .with_help("give every open action item an `owner` and a `due` date"),
            );
        }
    }
}
