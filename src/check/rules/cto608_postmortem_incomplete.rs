//! CTO608 postmortem-incomplete: the rule, its page and its check.

use crate::check::Context;
use crate::check::body::section_has_text;
use crate::check::policy::section_problem;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, IncidentStatus, Kind};

declare_rule! {
    /// ## What it checks
    /// That an incident marked `postmortem-complete`, of a severity that needs a postmortem
    /// (`sev1` and `sev2` by default), has every section of a blameless postmortem, each
    /// with text: `## Summary`, `## Timeline`, `## Root cause`, `## What went well / what
    /// went wrong` and `## Action items`. `incident.postmortem` in `cto.yaml` sets the
    /// severities and the sections (`sections: [Summary, Timeline, ...]`).
    ///
    /// ## Why
    /// A postmortem is complete when the next team can learn from it: what happened, in
    /// what order, why, and what changes now.
    ///
    /// ## Example
    /// A `sev1` incident with `status: postmortem-complete` and no `## Root cause`.
    ///
    /// ## How to fix
    /// Write the missing sections, or set the status back to `resolved` until they are.
    pub static POSTMORTEM_INCOMPLETE = {
        code: "CTO608",
        name: "postmortem-incomplete",
        layer: Incident,
        kinds: [Incident],
        severity: Error,
        summary: "A completed postmortem of a sev1/sev2 incident lacks a section or leaves one empty.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = &ctx.config.documents.incident;
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        let needs = i
            .severity
            .as_deref()
            .is_some_and(|s| policy.needs_postmortem(s));
        if !needs || !i.is(IncidentStatus::PostmortemComplete) {
            continue;
        }
        for section in &policy.postmortem_sections {
            if section_has_text(doc, section) {
                continue;
            }
            let span = doc
                .body
                .section(section)
                .map_or_else(|| doc.meta_span(&["status"]), |s| s.heading.span);
            out.push(
                Diagnostic::new(
                    &POSTMORTEM_INCOMPLETE,
                    doc.path(),
                    span,
                    section_problem(doc, section, "a completed postmortem"),
                )
                .with_help("write it, or set the status back to `resolved` until it is written"),
            );
        }
    }
}
