//! CTO609 resolved-time-missing: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, IncidentStatus, Kind};

declare_rule! {
    /// ## What it checks
    /// That an incident whose status is `resolved` or `postmortem-complete` (or a word of
    /// the repository's own that counts as one of them) says when it was resolved: a
    /// `resolved` time (an RFC 3339 timestamp with its offset, or a date alone for an old
    /// incident). A `resolved` value that cannot be read is CTO104's finding, not this one.
    ///
    /// ## Why
    /// Without it the incident has no time to resolve, so the report's MTTR leaves it out,
    /// and its postmortem has no deadline: CTO601 counts the business days from `resolved`
    /// and cannot say that the postmortem is late. `cto incident status N resolved` writes
    /// the time; a status changed by hand often forgets it.
    ///
    /// ## Example
    /// ```yaml
    /// severity: sev2
    /// status: resolved
    /// started: 2026-06-03T14:20:00+02:00
    /// mitigated: 2026-06-03T15:05:00+02:00
    /// ```
    ///
    /// ## How to fix
    /// Add the time the incident was resolved, from the timeline:
    /// `resolved: 2026-06-03T16:40:00+02:00`.
    pub static RESOLVED_TIME_MISSING = {
        code: "CTO609",
        name: "resolved-time-missing",
        layer: Incident,
        kinds: [Incident],
        severity: Error,
        summary: "A resolved or postmortem-complete incident does not say when it was resolved.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        let done = i.is(IncidentStatus::Resolved) || i.is(IncidentStatus::PostmortemComplete);
        // A value that is there but unreadable has its own finding where it is read.
        let written = doc
            .meta
            .as_ref()
            .and_then(|m| m.get("resolved"))
            .is_some_and(|n| !matches!(n.value, crate::parse::yaml::Value::Null));
        if !done || i.resolved.is_some() || written {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RESOLVED_TIME_MISSING,
                doc.path(),
                doc.meta_span(&["status"]),
                format!(
                    "the incident is `{}` but has no `resolved` time",
                    doc.status_value()
                ),
            )
            .with_help(
                "add `resolved:` with the time from the timeline, e.g. `resolved: 2026-06-03T16:40:00+02:00`",
            ),
        );
    }
}
