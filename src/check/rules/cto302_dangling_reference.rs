//! CTO302 dangling-reference: the rule, its page and its check.

use crate::check::{Context, references_of};
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That every id a document refers to, in `links`, `supersedes` or a `superseded by` status,
    /// names an existing document. With `--staged` (and `--base … --changed-only`), a document
    /// that refers to one the change deletes is reported though it is not changed itself.
    ///
    /// ## Why
    /// A decision superseded by a record that does not exist leaves readers with no current
    /// decision.
    ///
    /// ## Example
    /// ```yaml
    /// status: superseded by ADR-0042
    /// ```
    /// with no ADR 42 in the repository.
    ///
    /// ## How to fix
    /// Correct the id, or add the missing document.
    pub static DANGLING_REFERENCE = {
        code: "CTO302",
        name: "dangling-reference",
        layer: Corpus,
        kinds: ALL,
        severity: Error,
        summary: "A reference (`links`, `supersedes`, `superseded by`) names a document that does not exist.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        for (r, field) in references_of(doc) {
            if corpus.get(&r.id).is_none() {
                let msg = format!("`{field}` refers to {}, which does not exist", r.id);
                out.push(Diagnostic::new(
                    &DANGLING_REFERENCE,
                    doc.path(),
                    r.span,
                    msg,
                ));
            }
        }
    }
}
