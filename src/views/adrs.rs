//! `cto adrs report`: decisions by status and by month, and supersede chains.

use std::collections::{BTreeMap, HashSet};

use serde::{Serialize, Serializer};

use super::{Report, Row, Section, TableView, cell};
use crate::model::{Corpus, Document, Kind};

/// The longest supersede chain followed; a longer one is cut there.
const MAX_CHAIN: usize = 1000;

fn successor(d: &Document) -> Option<&str> {
    d.status
        .as_ref()
        .and_then(|s| s.superseded_by.as_ref())
        .map(|r| r.id.as_str())
}

/// Chains of supersedes, oldest first: `ADR-0003 → ADR-0008 → ADR-0012`. Each record is
/// looked up by id once per step; a chain that loops stops where it would repeat.
pub fn chains(corpus: &Corpus) -> Vec<Vec<String>> {
    let superseded_targets: HashSet<&str> =
        corpus.of_kind(Kind::Adr).filter_map(successor).collect();
    let mut out = Vec::new();
    for start in corpus.of_kind(Kind::Adr) {
        let Some(id) = start.id.as_deref() else {
            continue;
        };
        // A chain starts at a superseded record that no other record's chain leads to.
        if successor(start).is_none() || superseded_targets.contains(id) {
            continue;
        }
        let mut chain = vec![id.to_string()];
        let mut seen: HashSet<&str> = HashSet::from([id]);
        let mut at = start;
        while let Some(n) = successor(at) {
            if !seen.insert(n) || chain.len() > MAX_CHAIN {
                break;
            }
            chain.push(n.to_string());
            match corpus.get(n) {
                Some(d) => at = d,
                None => break,
            }
        }
        out.push(chain);
    }
    out.sort();
    out
}

/// The records of one status; in JSON, their count.
#[derive(Debug, Clone)]
pub struct StatusGroup {
    pub status: String,
    pub ids: Vec<String>,
}

impl Row for StatusGroup {
    const HEADER: &'static [&'static str] = &["status", "count", "ids"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.status.clone(),
            self.ids.len().to_string(),
            self.ids.join(" "),
        ]
    }
}

fn counts<S: Serializer>(groups: &[StatusGroup], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(groups.iter().map(|g| (&g.status, g.ids.len())))
}

#[derive(Debug, Clone)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub decisions: usize,
}

impl Row for Month {
    const HEADER: &'static [&'static str] = &["month", "decisions"];
    fn cells(&self) -> Vec<String> {
        vec![self.month.clone(), self.decisions.to_string()]
    }
}

fn months<S: Serializer>(months: &[Month], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(months.iter().map(|m| (&m.month, m.decisions)))
}

/// A supersede chain, oldest first.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Chain(pub Vec<String>);

impl Row for Chain {
    const HEADER: &'static [&'static str] = &["chain"];
    fn cells(&self) -> Vec<String> {
        vec![self.0.join(" → ")]
    }
}

/// One ADR (`--format csv`).
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub id: String,
    pub status: String,
    pub date: Option<jiff::civil::Date>,
    pub title: String,
}

impl Row for RegisterRow {
    const HEADER: &'static [&'static str] = &["id", "status", "date", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.status.clone(),
            cell(self.date),
            self.title.clone(),
        ]
    }
}

/// The decision log's report; serialised, its `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct AdrReport {
    /// In status order; JSON: status → count.
    #[serde(serialize_with = "counts")]
    pub by_status: Vec<StatusGroup>,
    /// In month order; JSON: month → count.
    #[serde(serialize_with = "months")]
    pub by_month: Vec<Month>,
    pub chains: Vec<Chain>,
    #[serde(skip)]
    pub register: Vec<RegisterRow>,
}

pub fn report(corpus: &Corpus) -> AdrReport {
    let mut docs: Vec<&Document> = corpus.of_kind(Kind::Adr).collect();
    docs.sort_by(|a, b| (a.number, a.path()).cmp(&(b.number, b.path())));

    let mut by_status: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_month: BTreeMap<String, usize> = BTreeMap::new();
    for d in &docs {
        let status = match d.status_value() {
            "" => "(none)",
            s => s,
        };
        by_status
            .entry(status)
            .or_default()
            .push(d.id.clone().unwrap_or_default());
        if let Some(date) = d.adr().and_then(|a| a.date) {
            *by_month
                .entry(format!("{:04}-{:02}", date.year(), date.month()))
                .or_default() += 1;
        }
    }
    let register = docs
        .iter()
        .map(|d| RegisterRow {
            id: d.id.clone().unwrap_or_default(),
            status: d
                .status
                .as_ref()
                .map_or(String::new(), |s| s.canonical.clone()),
            date: d.adr().and_then(|a| a.date),
            title: d.title_text().to_string(),
        })
        .collect();
    AdrReport {
        by_status: by_status
            .into_iter()
            .map(|(status, ids)| StatusGroup {
                status: status.to_string(),
                ids,
            })
            .collect(),
        by_month: by_month
            .into_iter()
            .map(|(month, decisions)| Month { month, decisions })
            .collect(),
        chains: chains(corpus).into_iter().map(Chain).collect(),
        register,
    }
}

impl Report for AdrReport {
    fn title(&self) -> &'static str {
        "Architecture decisions"
    }

    fn sections(&self) -> Vec<Section> {
        vec![
            Section::table(
                "by_status",
                "By status",
                TableView::of(&self.by_status),
                "No ADRs.",
            ),
            Section::table(
                "by_month",
                "By month",
                TableView::of(&self.by_month),
                "No dated ADRs.",
            ),
            Section::table(
                "chains",
                "Supersede chains",
                TableView::of(&self.chains),
                "No ADR is superseded.",
            ),
        ]
    }

    fn csv(&self) -> TableView {
        TableView::of(&self.register)
    }
}
