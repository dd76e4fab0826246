//! CTO411 experiment-hypothesis: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, ItemType, RoadmapStatus};
use crate::check::body::section_has_text;
use crate::check::policy::section_problem;

declare_rule! {
    /// ## What it checks
    /// That a roadmap item of `type: experiment` has a `## Hypothesis` section with text, and
    /// that a shipped experiment records its `outcome` (`validated`, `invalidated` or
    /// `inconclusive`).
    ///
    /// ## Why
    /// An experiment without a hypothesis cannot fail, and one without a recorded outcome
    /// teaches nothing; the roadmap report counts the validation rate.
    ///
    /// ## Example
    /// ```yaml
    /// type: experiment
    /// status: shipped
    /// ```
    /// with no `outcome`.
    ///
    /// ## How to fix
    /// State the hypothesis before starting; record the outcome when it ships.
    pub static EXPERIMENT_HYPOTHESIS = {
        code: "CTO411",
        name: "experiment-hypothesis",
        layer: Policy,
        kinds: [Roadmap],
        severity: Error,
        summary: "An experiment has no hypothesis, or a shipped one records no outcome.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(item) = doc.roadmap() else { continue };
        if item.item_type != Some(ItemType::Experiment) {
            continue;
        }
        if !section_has_text(doc, "Hypothesis") {
            out.push(
                Diagnostic::new(
                    &EXPERIMENT_HYPOTHESIS,
                    doc.path(),
                    doc.meta_span(&["type"]),
                    section_problem(doc, "Hypothesis", "an experiment"),
                )
                .with_help("state what you expect to happen and how you will know"),
            );
        }
        if item.is(RoadmapStatus::Shipped) && item.outcome.is_none() {
            out.push(
                Diagnostic::new(
                    &EXPERIMENT_HYPOTHESIS,
                    doc.path(),
                    doc.meta_span(&["status"]),
                    "a shipped experiment records its `outcome`",
                )
                .with_help("add `outcome: validated`, `invalidated` or `inconclusive`"),
            );
        }
    }
}
