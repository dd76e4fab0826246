//! CTO201 missing-section: the rule, its page and its check.

use crate::check::Context;
use crate::check::body::{section_of, required_sections, title_anchor};
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That a document has the sections its template requires. ADRs following MADR need
    /// `## Context and Problem Statement`, `## Considered Options` and `## Decision Outcome`;
    /// ADRs following Nygard's template need `## Context`, `## Decision` and `## Consequences`.
    /// A document that satisfies either template passes. Where cto.yaml names the team's
    /// own sections (`adr.sections`, which `cto init` writes from the headings 80% or more
    /// of the records have), every ADR is held to those instead. Heading case, numbering
    /// (`## 1. Context`), a trailing colon and the usual variants (`Context and Problem
    /// Statement` is `Context`, `Decision Outcome` is `Decision`) are ignored.
    ///
    /// ## Why
    /// Reviewers look for the context, the options and the outcome; a record without them does
    /// not say why the decision was made.
    ///
    /// ## Example
    /// An ADR with `## Context and Problem Statement` and `## Decision Outcome` but no
    /// `## Considered Options`.
    ///
    /// ## How to fix
    /// Add the missing section under the heading shown.
    pub static MISSING_SECTION = {
        code: "CTO201",
        name: "missing-section",
        layer: Body,
        kinds: ALL,
        severity: Error,
        summary: "A section the document's template requires is missing.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some((set, false)) = required_sections(doc, ctx.config) else {
            continue;
        };
        for name in set.sections {
            if section_of(doc, name).is_none() {
                let msg = format!("missing section `## {name}` ({} template)", set.name);
                out.push(
                    Diagnostic::new(&MISSING_SECTION, doc.path(), title_anchor(doc), msg)
                        .with_help(format!("add a `## {name}` section")),
                );
            }
        }
    }
}
