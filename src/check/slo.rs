//! What the SLO rules and the SLO report share.

use crate::model::SloStatus;
use crate::model::{Document, SloFields};
use crate::source::Span;

/// The span of a top-level key (for block values, whose own span starts a line later).
pub fn key_at(doc: &Document, key: &str) -> Span {
    doc.meta
        .as_ref()
        .and_then(|m| m.entry(key))
        .map_or_else(|| doc.meta_span(&[key]), |(k, _)| k.span)
}

/// Whether an SLO counts for a critical service: active, alerting, with a runbook.
pub fn covers(slo: &SloFields) -> bool {
    slo.is(SloStatus::Active)
        && slo
            .alerting
            .as_ref()
            .is_some_and(|a| (a.page || a.ticket) && a.runbook.is_some())
}
