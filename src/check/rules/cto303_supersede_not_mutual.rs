//! CTO303 supersede-not-mutual: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Document, Kind};

declare_rule! {
    /// ## What it checks
    /// That when ADR B `supersedes` ADR A, A's status is `superseded by` B, and the other way
    /// round.
    ///
    /// ## Why
    /// Readers arrive at either record; each must lead to the other, or the old decision looks
    /// current.
    ///
    /// ## Example
    /// `0003-use-cockroachdb.md` has `supersedes: ADR-0002`, but `0002-use-postgresql.md` still
    /// says `status: accepted`.
    ///
    /// ## How to fix
    /// Set the old record's status to `superseded by ADR-0003` (`cto adr new --supersedes` does
    /// both sides), or add `supersedes: ADR-0002` to the new one.
    pub static SUPERSEDE_NOT_MUTUAL = {
        code: "CTO303",
        name: "supersede-not-mutual",
        layer: Corpus,
        kinds: [Adr],
        severity: Error,
        summary: "A supersede is recorded on one side only.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Adr) {
        supersedes(corpus, doc, out);
    }
}

fn supersedes(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(id) = &doc.id else { return };
    // This ADR says it is superseded by another: that one must say it supersedes this.
    if let Some(by) = doc.status.as_ref().and_then(|s| s.superseded_by.as_ref())
        && let Some(newer) = corpus.get(&by.id)
        && !newer
            .adr()
            .is_some_and(|a| a.supersedes.iter().any(|r| &r.id == id))
    {
        let msg = format!(
            "{id} is superseded by {}, but {} does not say it supersedes {id}",
            by.id, by.id
        );
        out.push(
            Diagnostic::new(&SUPERSEDE_NOT_MUTUAL, doc.path(), by.span, msg)
                .with_help(format!("add `supersedes: {id}` to {}", newer.path())),
        );
    }
    // This ADR says it supersedes another: that one's status must name this one.
    let Some(adr) = doc.adr() else { return };
    for old in &adr.supersedes {
        let Some(older) = corpus.get(&old.id) else {
            continue;
        };
        let names_us = older
            .status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .is_some_and(|r| &r.id == id);
        if !names_us {
            let was = older.status.as_ref().map_or("none", |s| s.raw.trim());
            let msg = format!(
                "{id} supersedes {}, but the status of {} is `{was}`",
                old.id, old.id
            );
            out.push(
                Diagnostic::new(&SUPERSEDE_NOT_MUTUAL, doc.path(), old.span, msg).with_help(
                    format!("set the status of {} to `superseded by {id}`", older.path()),
                ),
            );
        }
    }
}
