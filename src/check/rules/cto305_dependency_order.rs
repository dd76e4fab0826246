//! CTO305 dependency-order: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Document, Horizon, Kind, RoadmapStatus};

declare_rule! {
    /// ## What it checks
    /// That an item on the `now` horizon depends only on items that are `now` too (or shipped):
    /// not on a `later` item and not on a `dropped` one.
    ///
    /// ## Why
    /// The board promises work that cannot be done yet: its prerequisite is not scheduled.
    ///
    /// ## Example
    /// ```yaml
    /// horizon: now
    /// depends_on: [RM-0009]   # RM-0009 is horizon: later
    /// ```
    ///
    /// ## How to fix
    /// Bring the dependency forward, move this item back, or remove the dependency.
    pub static DEPENDENCY_ORDER = {
        code: "CTO305",
        name: "dependency-order",
        layer: Corpus,
        kinds: [Roadmap],
        severity: Error,
        summary: "A `now` item depends on an item planned for later, or dropped.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Roadmap) {
        dependency_order(corpus, doc, out);
    }
}

fn dependency_order(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(item) = doc.roadmap() else { return };
    if item.horizon != Some(Horizon::Now) || !item.is_open() {
        return;
    }
    for dep in &item.depends_on {
        let Some(other) = corpus.get(&dep.id) else {
            continue;
        };
        let Some(o) = other.roadmap() else { continue };
        let why = if o.is(RoadmapStatus::Dropped) {
            "was dropped".to_string()
        } else if o.horizon == Some(Horizon::Later) && !o.is(RoadmapStatus::Shipped) {
            "is planned for later".to_string()
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &DEPENDENCY_ORDER,
                doc.path(),
                dep.span,
                format!(
                    "{} is a `now` item but depends on {}, which {why}",
                    doc.id.as_deref().unwrap_or(""),
                    dep.id
                ),
            )
            .with_help("bring the dependency forward, move this item back, or drop the dependency"),
        );
    }
}
