//! CTO301 duplicate-id: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::refs::DATE_LIKE;
use crate::model::{Corpus, Document};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// That no two documents of a kind share an id: `0007-use-kafka.md` and
    /// `0007-use-nats.md` are both `ADR-0007`.
    ///
    /// Date-based numbers (`20200925-use-x.md`, log4brains' scheme) are not checked: the
    /// records of one day share the number by design and are told apart by their slug.
    ///
    /// ## Why
    /// Links and supersede chains refer to ids; with two documents behind one id they point at
    /// whichever a tool finds first.
    ///
    /// ## Example
    /// Two branches each ran `cto adr new` and merged.
    ///
    /// ## How to fix
    /// Renumber the later one to the next free number and update its references.
    pub static DUPLICATE_ID = {
        code: "CTO301",
        name: "duplicate-id",
        layer: Corpus,
        kinds: ALL,
        severity: Error,
        summary: "Two documents have the same id (often numbers that collided across branches).",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.config.documents;
    for doc in &corpus.documents {
        let Some(id) = &doc.id else { continue };
        // Date-based numbers (log4brains) are shared by the records of one day by design.
        if doc.number.is_some_and(|n| n >= DATE_LIKE) {
            continue;
        }
        let others: Vec<&str> = corpus
            .by_id(id)
            .filter(|d| d.path() != doc.path())
            // A monorepo's packages each number their own log: ADR-0001 in two of them
            // is two records, not a collision.
            .filter(|d| settings.log_of(d.kind, d.path()) == settings.log_of(doc.kind, doc.path()))
            .map(Document::path)
            .collect();
        if !others.is_empty() {
            let msg = format!("{id} is also the id of {}", others.join(", "));
            out.push(
                Diagnostic::new(&DUPLICATE_ID, doc.path(), Span::empty(0), msg)
                    .with_help("give one of them the next free number and update its references"),
            );
        }
    }
}
