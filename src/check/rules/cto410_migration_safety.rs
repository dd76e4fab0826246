//! CTO410 migration-safety: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, ItemType};
use crate::check::body::section_has_text;
use crate::check::policy::section_problem;

declare_rule! {
    /// ## What it checks
    /// That a roadmap item of `type: migration` has `## Rollback plan` and `## Observability`
    /// sections with text.
    ///
    /// ## Why
    /// Migrations are where outages come from; the way back and the signals that say it is time
    /// to use it are written before the work starts.
    ///
    /// ## Example
    /// A migration item with `## Outcome` only.
    ///
    /// ## How to fix
    /// Add both sections: how to roll back, and which dashboards and alerts watch the change.
    pub static MIGRATION_SAFETY = {
        code: "CTO410",
        name: "migration-safety",
        layer: Policy,
        kinds: [Roadmap],
        severity: Error,
        summary: "A migration has no rollback plan or no observability section.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(item) = doc.roadmap() else { continue };
        if item.item_type != Some(ItemType::Migration) {
            continue;
        }
        for section in ["Rollback plan", "Observability"] {
            if !section_has_text(doc, section) {
                out.push(
                    Diagnostic::new(
                        &MIGRATION_SAFETY,
                        doc.path(),
                        doc.meta_span(&["type"]),
                        section_problem(doc, section, "a migration"),
                    )
                    .with_help(format!("add `## {section}` with text")),
                );
            }
        }
    }
}
