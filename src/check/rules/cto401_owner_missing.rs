//! CTO401 owner-missing: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Horizon};

declare_rule! {
    /// ## What it checks
    /// That every roadmap item on the `now` or `next` horizon names an `owner`. Risks and SLOs
    /// always require one (CTO105).
    ///
    /// ## Why
    /// Work that is about to start without a named owner does not start.
    ///
    /// ## Example
    /// ```yaml
    /// horizon: now
    /// # owner: missing
    /// ```
    ///
    /// ## How to fix
    /// Add `owner: <name or team>` to the front matter.
    pub static OWNER_MISSING = {
        code: "CTO401",
        name: "owner-missing",
        layer: Policy,
        kinds: [Roadmap],
        severity: Error,
        summary: "A roadmap item on the now or next horizon has no owner.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(item) = doc.roadmap() else { continue };
        if let Some(horizon @ (Horizon::Now | Horizon::Next)) = item.horizon
            && item.is_open()
            && item.owner.is_none()
        {
            out.push(
                Diagnostic::new(
                    &OWNER_MISSING,
                    doc.path(),
                    doc.meta_span(&["horizon"]),
                    format!(
                        "a `{}` item needs an owner",
                        horizon
                    ),
                )
                .with_help("add `owner: <name or team>`"),
            );
        }
    }
}
