//! CTO202 empty-section: the rule, its page and its check.

use crate::check::Context;
use crate::check::body::{section_of, is_blank, required_sections};
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Document, Kind};
use crate::model::{AdrStatus};

declare_rule! {
    /// ## What it checks
    /// That a required section holds some text, not only its heading (HTML comments and
    /// template placeholders like `{describe the context}` do not count).
    ///
    /// ## Why
    /// An empty section is a template that was never filled in.
    ///
    /// ## Example
    /// ```markdown
    /// ## Decision Outcome
    ///
    /// ## Consequences
    /// ```
    ///
    /// ## How to fix
    /// Write the section, or remove the document if it was started by mistake.
    pub static EMPTY_SECTION = {
        code: "CTO202",
        name: "empty-section",
        layer: Body,
        kinds: ALL,
        severity: Warning,
        summary: "A required section has a heading but no content.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable && !is_draft(d)) {
        let Some((set, _)) = required_sections(doc, ctx.config) else {
            continue;
        };
        for name in set.sections {
            if let Some(section) = section_of(doc, name)
                && is_blank(doc.source.slice(section.content))
            {
                let msg = format!("section `## {name}` is empty");
                out.push(Diagnostic::new(
                    &EMPTY_SECTION,
                    doc.path(),
                    section.heading.span,
                    msg,
                ));
            }
        }
    }
}

/// Only a document in force must have its sections filled in: a draft may still be
/// incomplete, and a rejected or superseded one is history.
fn is_draft(doc: &Document) -> bool {
    let Some(status) = &doc.status else {
        return true;
    };
    match doc.kind {
        Kind::Adr => status.counts_as != AdrStatus::Accepted.as_str(),
        _ => status.counts_as == doc.kind.spec().initial_status,
    }
}
