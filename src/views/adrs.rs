//! `cto adrs report`: decisions by status and by month, and supersede chains.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::{ReportView, TableView, section};
use crate::model::{Corpus, Document, Kind};

/// Chains of supersedes, oldest first: `ADR-0003 → ADR-0008 → ADR-0012`.
pub fn chains(corpus: &Corpus) -> Vec<Vec<String>> {
    let next = |d: &Document| {
        d.status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .map(|r| r.id.clone())
    };
    let superseded_targets: Vec<String> = corpus.of_kind(Kind::Adr).filter_map(next).collect();
    let mut out = Vec::new();
    for start in corpus.of_kind(Kind::Adr) {
        let Some(id) = start.id.clone() else { continue };
        // A chain starts at a superseded record that no other record's chain leads to.
        if next(start).is_none() || superseded_targets.contains(&id) {
            continue;
        }
        let mut chain = vec![id];
        let mut at = start;
        while let Some(n) = next(at) {
            if chain.contains(&n) || chain.len() > 1000 {
                break;
            }
            chain.push(n.clone());
            match corpus.get(&n) {
                Some(d) => at = d,
                None => break,
            }
        }
        out.push(chain);
    }
    out.sort();
    out
}

pub fn view(corpus: &Corpus) -> ReportView {
    let mut docs: Vec<&Document> = corpus.of_kind(Kind::Adr).collect();
    docs.sort_by_key(|d| (d.number, d.path().to_string()));

    let mut by_status: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_month: BTreeMap<String, usize> = BTreeMap::new();
    for d in &docs {
        let status = if d.status_value().is_empty() {
            "(none)"
        } else {
            d.status_value()
        };
        by_status
            .entry(status.to_string())
            .or_default()
            .push(d.id.clone().unwrap_or_default());
        if let Some(date) = d.adr().and_then(|a| a.date) {
            *by_month
                .entry(format!("{:04}-{:02}", date.year(), date.month()))
                .or_default() += 1;
        }
    }
    let status_section = section(
        "by_status",
        "By status",
        TableView::new(
            &["status", "count", "ids"],
            by_status
                .iter()
                .map(|(s, ids)| vec![s.clone(), ids.len().to_string(), ids.join(" ")])
                .collect(),
        ),
        "No ADRs.",
        json!(
            by_status
                .iter()
                .map(|(s, ids)| (s.clone(), json!(ids.len())))
                .collect::<serde_json::Map<_, _>>()
        ),
    );
    let month_section = section(
        "by_month",
        "By month",
        TableView::new(
            &["month", "decisions"],
            by_month
                .iter()
                .map(|(m, n)| vec![m.clone(), n.to_string()])
                .collect(),
        ),
        "No dated ADRs.",
        json!(by_month),
    );
    let chains = chains(corpus);
    let chain_section = section(
        "chains",
        "Supersede chains",
        TableView::new(
            &["chain"],
            chains.iter().map(|c| vec![c.join(" → ")]).collect(),
        ),
        "No ADR is superseded.",
        Json::Array(chains.iter().map(|c| json!(c)).collect()),
    );
    let csv_rows = docs
        .iter()
        .map(|d| {
            vec![
                d.id.clone().unwrap_or_default(),
                d.status
                    .as_ref()
                    .map_or(String::new(), |s| s.canonical.clone()),
                d.adr()
                    .and_then(|a| a.date)
                    .map_or(String::new(), |x| x.to_string()),
                d.title_text().to_string(),
            ]
        })
        .collect();
    ReportView {
        title: "Architecture decisions".into(),
        sections: vec![status_section, month_section, chain_section],
        csv: TableView::new(&["id", "status", "date", "title"], csv_rows),
    }
}
