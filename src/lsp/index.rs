//! What the language server knows of every document, read once and then updated one
//! document at a time: ids, titles, statuses, owners, dates, and where each document
//! refers to another.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lsp_types::Range;

use super::position::{Encoding, LineIndex};
use crate::check::references_of;
use crate::model::{Document, Kind};
use crate::source::Span;

/// One document, as far as completion, hover and navigation need it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub kind: Kind,
    pub id: Option<String>,
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub title: String,
    pub status: String,
    pub owner: Option<String>,
    /// The date worth showing, with its name: an ADR's `date`, a risk's `identified`, a
    /// roadmap item's `quarter`.
    pub when: Option<(&'static str, String)>,
    /// Owners and the people of an ADR (`decision-makers`, `consulted`, `informed`) and of
    /// a risk's acceptance.
    pub people: Vec<String>,
    pub service: Option<String>,
    /// Where the title is (the start of the file when there is none).
    pub title_range: Range,
    /// Ids this document refers to, and where.
    pub refs: Vec<(String, Range)>,
}

impl DocInfo {
    pub fn of(doc: &Document, enc: Encoding) -> DocInfo {
        let text = &doc.source.text;
        let lines = LineIndex::new(text);
        let range = |span: Span| lines.range(text, span, enc);
        let mut people: Vec<String> = doc.owner().map(str::to_string).into_iter().collect();
        let mut when = None;
        if let Some(a) = doc.adr() {
            people.extend(a.decision_makers.iter().cloned());
            people.extend(a.consulted.iter().cloned());
            people.extend(a.informed.iter().cloned());
            when = a.date.map(|d| ("date", d.to_string()));
        }
        if let Some(r) = doc.risk() {
            people.extend(r.acceptance.as_ref().and_then(|a| a.by.clone()));
            when = r.identified.map(|d| ("identified", d.to_string()));
        }
        if let Some(r) = doc.roadmap() {
            when = r.quarter.map(|q| ("quarter", q.to_string()));
        }
        people.retain(|p| !p.trim().is_empty());
        DocInfo {
            kind: doc.kind,
            id: doc.id.clone(),
            path: doc.path().to_string(),
            title: doc.title_text().to_string(),
            status: doc
                .status
                .as_ref()
                .map_or(String::new(), |s| s.canonical.clone()),
            owner: doc.owner().map(str::to_string),
            when,
            people,
            service: doc.slo().and_then(|s| s.service.clone()),
            title_range: doc
                .title
                .as_ref()
                .map_or_else(|| range(Span::empty(0)), |t| range(t.span)),
            refs: references_of(doc)
                .into_iter()
                .map(|(r, _)| (r.id.clone(), range(r.span)))
                .collect(),
        }
    }
}

/// Every document by path, and the paths by id.
#[derive(Debug, Default)]
pub struct Index {
    docs: BTreeMap<String, DocInfo>,
    by_id: HashMap<String, BTreeSet<String>>,
}

impl Index {
    pub fn build(infos: impl IntoIterator<Item = DocInfo>) -> Index {
        let mut index = Index::default();
        for info in infos {
            index.update(info);
        }
        index
    }

    /// Replaces what is known of the document at `info.path`.
    pub fn update(&mut self, info: DocInfo) {
        self.remove(&info.path.clone());
        if let Some(id) = &info.id {
            self.by_id
                .entry(id.clone())
                .or_default()
                .insert(info.path.clone());
        }
        self.docs.insert(info.path.clone(), info);
    }

    pub fn remove(&mut self, path: &str) {
        if let Some(old) = self.docs.remove(path)
            && let Some(id) = old.id
            && let Some(paths) = self.by_id.get_mut(&id)
        {
            paths.remove(path);
            if paths.is_empty() {
                self.by_id.remove(&id);
            }
        }
    }

    pub fn at(&self, path: &str) -> Option<&DocInfo> {
        self.docs.get(path)
    }

    /// The document with this id (the first by path, when it is a duplicate).
    pub fn get(&self, id: &str) -> Option<&DocInfo> {
        let path = self.by_id.get(id)?.iter().next()?;
        self.docs.get(path)
    }

    /// Documents with an id, in path order.
    pub fn documents(&self) -> impl Iterator<Item = &DocInfo> {
        self.docs.values().filter(|d| d.id.is_some())
    }

    /// Every person named as an owner, decision-maker, consulted, informed or acceptor.
    pub fn people(&self) -> BTreeSet<&str> {
        self.docs
            .values()
            .flat_map(|d| d.people.iter().map(|p| p.trim()))
            .collect()
    }

    /// Every service an SLO names.
    pub fn services(&self) -> BTreeSet<&str> {
        self.docs
            .values()
            .filter_map(|d| d.service.as_deref())
            .collect()
    }

    /// Where each document refers to `id`: (path, range), in path order.
    pub fn references_to(&self, id: &str) -> Vec<(&str, Range)> {
        self.docs
            .values()
            .flat_map(|d| {
                d.refs
                    .iter()
                    .filter(move |(to, _)| to == id)
                    .map(move |(_, r)| (d.path.as_str(), *r))
            })
            .collect()
    }
}
