//! CTO204 missing-title: the rule, its page and its check.

use crate::check::Context;
use crate::check::body::title_anchor;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That a document has a title: its front matter `title`, else its first `#` heading.
    ///
    /// ## Why
    /// Lists, boards and the decision graph show documents by title.
    ///
    /// ## Example
    /// A file that starts with `## Context` and has no `title:` field.
    ///
    /// ## How to fix
    /// Add a `# Title` heading after the front matter.
    pub static MISSING_TITLE = {
        code: "CTO204",
        name: "missing-title",
        layer: Body,
        kinds: ALL,
        severity: Error,
        summary: "The document has no title: no `title` field and no `#` heading.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    // A title may sit in front matter that could not be read: its error (CTO103) is the
    // finding, not a second one for what it hides.
    for doc in corpus
        .documents
        .iter()
        .filter(|d| d.readable && d.title.is_none() && !d.front_matter_broken)
    {
        out.push(
            Diagnostic::new(&MISSING_TITLE, doc.path(), title_anchor(doc), "document has no title")
                .with_help("add a `# Title` heading after the front matter"),
        );
    }
}
