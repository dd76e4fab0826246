//! CTO306 numbering-gap: the rule, its page and its check.

use std::collections::BTreeMap;

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::refs::format_id;
use crate::model::{Corpus, Document, Kind};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// That the numbers of a kind's documents run without a gap from the lowest to the
    /// highest: ADR-0001, ADR-0002, ADR-0004 misses ADR-0003. Date-based ids (log4brains'
    /// `20210114-…`) are not numbers in a sequence and are not checked.
    ///
    /// ## Why
    /// A missing number is usually a record that was deleted instead of deprecated or
    /// superseded, or one that lives on an unmerged branch: its decision is then out of
    /// sight, and references to it dangle.
    ///
    /// ## Example
    /// `0001-record-decisions.md`, `0002-use-postgresql.md`, `0004-use-kafka.md`.
    ///
    /// ## How to fix
    /// Restore the record and mark it deprecated or superseded, merge the branch that
    /// holds it, or give the next record the missing number (`cto adr renumber 4 3`).
    pub static NUMBERING_GAP = {
        code: "CTO306",
        name: "numbering-gap",
        layer: Corpus,
        kinds: [Adr, Risk, Roadmap, Incident],
        severity: Warning,
        summary: "A kind's numbers skip one: a record was deleted or is missing.",
    }
}

use crate::model::refs::DATE_LIKE;

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.config.documents;
    // Every numbered kind (an SLO is named, not numbered), each log on its own (a
    // monorepo's packages number their ADRs apart).
    let mut logs: BTreeMap<(Kind, Option<&str>), BTreeMap<u32, &Document>> = BTreeMap::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.spec().id_prefix.is_some()) {
        for d in corpus.of_kind(kind) {
            if let Some(n) = d.number {
                // Each number with the first document that has it: one pass, not a
                // search per gap.
                logs.entry((kind, settings.log_of(kind, d.path())))
                    .or_default()
                    .entry(n)
                    .or_insert(d);
            }
        }
    }
    for ((kind, _), numbers) in logs {
        if numbers.keys().any(|&n| n >= DATE_LIKE) {
            continue;
        }
        let mut previous: Option<u32> = None;
        for (&n, doc) in &numbers {
            if let Some(p) = previous
                && n > p + 1
            {
                let missing = if n == p + 2 {
                    format!("{} is missing", format_id(kind, p + 1))
                } else {
                    format!(
                        "{} to {} are missing",
                        format_id(kind, p + 1),
                        format_id(kind, n - 1)
                    )
                };
                out.push(
                    Diagnostic::new(
                        &NUMBERING_GAP,
                        doc.path(),
                        Span::empty(0),
                        format!(
                            "{missing} between {} and {}",
                            format_id(kind, p),
                            format_id(kind, n)
                        ),
                    )
                    .with_help(
                        "restore the missing record as deprecated or superseded, or renumber this one",
                    ),
                );
            }
            previous = Some(n);
        }
    }
}
