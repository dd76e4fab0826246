//! Graphs of the corpus as values: the decision graph (ADRs and the edges between them),
//! the roadmap laid out in quarters for a gantt, and the ADR index. `report::mermaid`,
//! `report::dot` and `report::markdown` write them as text.

use std::collections::{HashMap, HashSet};

use crate::model::{Corpus, Document, Kind, Quarter};
use crate::model::{Horizon, RoadmapStatus};

/// An edge of the decision graph: `from` supersedes or links to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub supersedes: bool,
}

/// ADRs (in number order) and the edges between them, each edge once, in the order
/// they are first met.
pub fn decisions(corpus: &Corpus) -> (Vec<&Document>, Vec<Edge>) {
    let mut nodes: Vec<&Document> = corpus
        .of_kind(Kind::Adr)
        .filter(|d| d.id.is_some())
        .collect();
    nodes.sort_by(|a, b| (a.number, a.path()).cmp(&(b.number, b.path())));
    nodes.dedup_by(|a, b| a.id == b.id);
    let ids: HashSet<&str> = nodes.iter().filter_map(|d| d.id.as_deref()).collect();
    let mut seen: HashSet<(&str, &str, bool)> = HashSet::new();
    let mut edges = Vec::new();
    let mut add = |from: &str, to: &str, supersedes: bool| {
        let (Some(&f), Some(&t)) = (ids.get(from), ids.get(to)) else {
            return;
        };
        if f != t && seen.insert((f, t, supersedes)) {
            edges.push(Edge {
                from: f.to_string(),
                to: t.to_string(),
                supersedes,
            });
        }
    };
    for d in &nodes {
        let Some(from) = d.id.as_deref() else {
            continue;
        };
        if let Some(a) = d.adr() {
            for r in &a.supersedes {
                add(from, &r.id, true);
            }
        }
        // A one-sided supersede still draws (lint reports it).
        if let Some(by) = d.status.as_ref().and_then(|s| s.superseded_by.as_ref()) {
            add(&by.id, from, true);
        }
        for r in d.links.iter().filter(|r| r.id.starts_with("ADR-")) {
            add(from, &r.id, false);
        }
    }
    (nodes, edges)
}

/// The first day of a quarter and its length in days.
pub fn quarter_span(q: Quarter) -> (jiff::civil::Date, i64) {
    let month = (q.q - 1) * 3 + 1;
    let start = jiff::civil::Date::new(q.year, month as i8, 1).unwrap_or_default();
    let next = start
        .checked_add(jiff::Span::new().months(3))
        .unwrap_or(start);
    (start, (next - start).get_days() as i64)
}

/// A roadmap item placed on the gantt: its quarter as dates, and its dependencies split
/// into those that constrain its start (`after`) and those done before its quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GanttItem {
    pub id: String,
    pub title: String,
    /// `done` (shipped) or `active` (in progress).
    pub state: Option<&'static str>,
    pub start: jiff::civil::Date,
    pub days: i64,
    /// Dependencies that end in or after the quarter before this one.
    pub after: Vec<String>,
    /// Dependencies done before its quarter: drawn where they were, noted.
    pub earlier: Vec<String>,
}

/// A section of the gantt: `Now`, `Next`, `Later`, `Unscheduled`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GanttSection {
    pub title: &'static str,
    pub items: Vec<GanttItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gantt {
    /// Sections with at least one item.
    pub sections: Vec<GanttSection>,
    /// Items without a quarter, not drawn.
    pub unplaced: Vec<String>,
}

/// The roadmap as a gantt: a section per horizon, one bar per item in its quarter.
pub fn gantt(corpus: &Corpus) -> Gantt {
    let mut docs: Vec<&Document> = corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| !d.roadmap().is_some_and(|i| i.is(RoadmapStatus::Dropped)))
        .collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    // The first item of each id, in id order: one lookup per dependency.
    let mut quarters: HashMap<&str, Option<Quarter>> = HashMap::new();
    for d in &docs {
        if let Some(id) = d.id.as_deref() {
            quarters
                .entry(id)
                .or_insert_with(|| d.roadmap().and_then(|i| i.quarter));
        }
    }
    let quarter_of = |id: &str| -> Option<Quarter> { quarters.get(id).copied().flatten() };
    let mut sections: Vec<GanttSection> = Horizon::ALL
        .iter()
        .map(|h| h.heading())
        .chain(["Unscheduled"])
        .map(|title| GanttSection {
            title,
            items: Vec::new(),
        })
        .collect();
    let mut unplaced = Vec::new();
    for d in &docs {
        let Some(item) = d.roadmap() else { continue };
        let section = match item.horizon {
            Some(Horizon::Now) => 0,
            Some(Horizon::Next) => 1,
            Some(Horizon::Later) => 2,
            None => 3,
        };
        let id = d.id.as_deref().unwrap_or("");
        let Some(q) = item.quarter else {
            unplaced.push((section, id.to_string()));
            continue;
        };
        let (start, days) = quarter_span(q);
        // `after` only where the dependency constrains the start: it ends in or after
        // the quarter before this one. An older one is drawn where it was, noted.
        let (after, earlier): (Vec<_>, Vec<_>) = item
            .depends_on
            .iter()
            .filter_map(|r| Some((r.id.clone(), quarter_of(&r.id)?)))
            .partition(|(_, dq)| {
                let (ds, dd) = quarter_span(*dq);
                ds.checked_add(jiff::Span::new().days(dd))
                    .is_ok_and(|end| end >= start)
            });
        sections[section].items.push(GanttItem {
            id: id.to_string(),
            title: d.title_text().to_string(),
            state: match item.status {
                Some(RoadmapStatus::Shipped) => Some("done"),
                Some(RoadmapStatus::InProgress) => Some("active"),
                _ => None,
            },
            start,
            days,
            after: after.into_iter().map(|(id, _)| id).collect(),
            earlier: earlier.into_iter().map(|(id, _)| id).collect(),
        });
    }
    sections.retain(|s| !s.items.is_empty());
    // Listed section by section, as they would have been drawn.
    unplaced.sort_by_key(|(section, _)| *section);
    Gantt {
        sections,
        unplaced: unplaced.into_iter().map(|(_, id)| id).collect(),
    }
}

/// An entry of the ADR index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    /// The file, relative to the ADR directory.
    pub link: String,
    /// The status as written canonically, or `no status`.
    pub status: String,
    pub date: Option<jiff::civil::Date>,
}

/// The ADR index, in number order; links relative to the ADR directory.
pub fn toc(corpus: &Corpus, adr_dir: &str) -> Vec<TocEntry> {
    let (nodes, _) = decisions(corpus);
    let prefix = format!("{}/", adr_dir.trim_end_matches('/'));
    nodes
        .into_iter()
        .map(|d| TocEntry {
            id: d.id.clone().unwrap_or_default(),
            title: d.title_text().to_string(),
            link: d
                .path()
                .strip_prefix(&prefix)
                .unwrap_or(d.path())
                .to_string(),
            status: d
                .status
                .as_ref()
                .map_or("no status".to_string(), |s| s.canonical.clone()),
            date: d.adr().and_then(|a| a.date),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_as_dates() {
        let (start, days) = quarter_span(Quarter { year: 2027, q: 1 });
        assert_eq!((start.to_string(), days), ("2027-01-01".to_string(), 90));
        assert_eq!(quarter_span(Quarter { year: 2024, q: 1 }).1, 91);
        assert_eq!(quarter_span(Quarter { year: 2026, q: 4 }).1, 92);
    }
}
