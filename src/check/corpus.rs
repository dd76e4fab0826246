//! What the rules across documents and the reports share: references, effort per quarter.

use std::collections::BTreeMap;

use crate::model::RoadmapStatus;
use crate::model::{Corpus, Document, Kind, Points, Quarter, Ref};

/// Every reference a document makes to another, with the field that makes it.
pub fn references_of(doc: &Document) -> Vec<(&Ref, &'static str)> {
    let mut refs: Vec<(&Ref, &'static str)> = doc.links.iter().map(|r| (r, "links")).collect();
    refs.extend(doc.fields.references());
    if let Some(r) = doc.status.as_ref().and_then(|s| s.superseded_by.as_ref()) {
        refs.push((r, "status"));
    }
    refs
}

/// Planned effort per quarter: (total, items with their effort), dropped items aside.
pub fn effort_by_quarter(corpus: &Corpus) -> BTreeMap<Quarter, (Points, Vec<&Document>)> {
    let mut by: BTreeMap<Quarter, (Points, Vec<&Document>)> = BTreeMap::new();
    for doc in corpus.of_kind(Kind::Roadmap) {
        let Some(item) = doc.roadmap() else { continue };
        let (Some(q), Some((effort, _))) = (item.quarter, item.effort) else {
            continue;
        };
        if item.is(RoadmapStatus::Dropped) {
            continue;
        }
        let entry = by.entry(q).or_default();
        entry.0 = entry.0 + effort;
        entry.1.push(doc);
    }
    by
}
