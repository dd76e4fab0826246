//! CTO409 mitigation-missing: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Treatment};
use crate::check::body::section_has_text;

declare_rule! {
    /// ## What it checks
    /// That a risk with `treatment: mitigate` describes the mitigation in a `## Mitigation`
    /// section with some text.
    ///
    /// ## Why
    /// "We will mitigate" is not a plan; the section says what is done, by whom, by when.
    ///
    /// ## Example
    /// ```yaml
    /// treatment: mitigate
    /// ```
    /// and no `## Mitigation` section.
    ///
    /// ## How to fix
    /// Add `## Mitigation` with the actions, their owners and dates.
    pub static MITIGATION_MISSING = {
        code: "CTO409",
        name: "mitigation-missing",
        layer: Policy,
        kinds: [Risk],
        severity: Error,
        summary: "A risk to be mitigated has no `## Mitigation` section.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if risk.treatment == Some(Treatment::Mitigate) && !section_has_text(doc, "Mitigation") {
            out.push(
                Diagnostic::new(
                    &MITIGATION_MISSING,
                    doc.path(),
                    doc.meta_span(&["treatment"]),
                    if doc.body.section("Mitigation").is_some() {
                        "treatment is `mitigate`, but its `## Mitigation` section is empty"
                    } else {
                        "treatment is `mitigate`, but there is no `## Mitigation` section"
                    },
                )
                .with_help("add `## Mitigation` with the actions, their owners and dates"),
            );
        }
    }
}
