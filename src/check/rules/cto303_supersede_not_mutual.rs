//! CTO303 supersede-not-mutual: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Settings, AdrStatus, Corpus, Document, Kind};

declare_rule! {
    /// ## What it checks
    /// That when ADR B says it `supersedes` ADR A, A does not still look current: its status
    /// must be `superseded by` B (or, at least, superseded, deprecated or rejected).
    ///
    /// Only this direction misleads. When A says `superseded by B` and B does not repeat it,
    /// a reader of either record learns that A is no longer in force; MADR 4 and adr-tools
    /// cannot even say it on B's side. That direction is not reported.
    ///
    /// ## Why
    /// Readers arrive at the old record from links, search and history; if it still says
    /// `accepted`, they follow a decision that was replaced.
    ///
    /// ## Example
    /// `0003-use-cockroachdb.md` has `supersedes: ADR-0002`, but `0002-use-postgresql.md` still
    /// says `status: accepted`.
    ///
    /// ## How to fix
    /// `cto adr status 2 "superseded by ADR-0003"` (`cto adr new --supersedes` and
    /// `cto adr link 3 supersedes 2` write both sides), or remove the `supersedes` entry if
    /// it is wrong.
    pub static SUPERSEDE_NOT_MUTUAL = {
        code: "CTO303",
        name: "supersede-not-mutual",
        layer: Corpus,
        kinds: [Adr],
        severity: Error,
        summary: "An ADR supersedes another that still looks current.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Adr) {
        supersedes(corpus, doc, &ctx.config.documents, out);
    }
}

fn supersedes(corpus: &Corpus, doc: &Document, settings: &Settings, out: &mut Vec<Diagnostic>) {
    let (Some(id), Some(adr)) = (&doc.id, doc.adr()) else {
        return;
    };
    for old in &adr.supersedes {
        let Some(older) = corpus.resolve(&old.id, doc, settings) else {
            continue;
        };
        let names_us = older
            .status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .is_some_and(|r| &r.id == id);
        // Superseded (by us, another or nobody named), deprecated or rejected: not current.
        let current = older.adr().is_none_or(|a| {
            matches!(a.status, None | Some(AdrStatus::Proposed | AdrStatus::Accepted))
        });
        if !names_us && current {
            let was = older
                .status
                .as_ref()
                .map_or_else(|| older.status_value().to_string(), |s| s.raw.trim().to_string());
            let was = if was.is_empty() { "none".to_string() } else { was };
            let msg = format!(
                "{id} supersedes {}, but the status of {} is `{was}`: it still looks current",
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
