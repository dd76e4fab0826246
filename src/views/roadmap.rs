//! `cto roadmap report`: the Now / Next / Later board, effort per quarter against
//! capacity, dependency order, and how experiments turned out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use super::{ReportView, SectionView, TableView, ratio, section};
use crate::check::Context;
use crate::check::effort_by_quarter;
use crate::model::{Corpus, Document, Kind};

const HORIZONS: [&str; 3] = ["now", "next", "later"];

fn live(d: &Document) -> bool {
    !matches!(d.status_value(), "shipped" | "dropped")
}

fn item_json(d: &Document) -> Json {
    let i = d.roadmap();
    json!({
        "id": d.id, "title": d.title_text(), "status": d.status_value(),
        "owner": i.and_then(|i| i.owner.clone()),
        "quarter": i.and_then(|i| i.quarter),
        "type": i.and_then(|i| i.item_type.clone()),
        "effort": i.and_then(|i| i.effort).map(|e| e.0),
        "depends_on": i.map(|i| i.depends_on.iter().map(|r| r.id.clone()).collect::<Vec<_>>()),
    })
}

/// Items in an order that puts every dependency before what depends on it (Kahn's
/// algorithm, ties by id); items caught in a cycle come last, marked.
pub fn dependency_order(corpus: &Corpus) -> (Vec<&Document>, Vec<&Document>) {
    let items: BTreeMap<&str, &Document> = corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| d.status_value() != "dropped")
        .filter_map(|d| Some((d.id.as_deref()?, d)))
        .collect();
    fn deps<'a>(d: &'a Document, items: &BTreeMap<&str, &Document>) -> Vec<&'a str> {
        d.roadmap()
            .map(|i| {
                i.depends_on
                    .iter()
                    .map(|r| r.id.as_str())
                    .filter(|id| items.contains_key(id))
                    .collect()
            })
            .unwrap_or_default()
    }
    let mut waiting: BTreeMap<&str, usize> = items
        .iter()
        .map(|(id, d)| (*id, deps(d, &items).len()))
        .collect();
    let mut ready: BTreeSet<&str> = waiting
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| *id)
        .collect();
    let mut order = Vec::new();
    while let Some(id) = ready.pop_first() {
        waiting.remove(id);
        order.push(items[id]);
        for (other, d) in &items {
            if deps(d, &items).contains(&id)
                && let Some(n) = waiting.get_mut(other)
            {
                *n -= 1;
                if *n == 0 {
                    ready.insert(other);
                }
            }
        }
    }
    let stuck = waiting.keys().map(|id| items[id]).collect();
    (order, stuck)
}

pub fn view(corpus: &Corpus, ctx: &Context) -> ReportView {
    let mut docs: Vec<&Document> = corpus.of_kind(Kind::Roadmap).collect();
    docs.sort_by_key(|d| d.id.clone());

    // The board.
    let column = |h: &str| -> Vec<&Document> {
        docs.iter()
            .copied()
            .filter(|d| live(d) && d.roadmap().and_then(|i| i.horizon.as_deref()) == Some(h))
            .collect()
    };
    let columns: Vec<Vec<&Document>> = HORIZONS.iter().map(|h| column(h)).collect();
    let depth = columns.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |d: &Document| {
        let owner = d
            .roadmap()
            .and_then(|i| i.owner.clone())
            .map_or(String::new(), |o| format!(" ({o})"));
        format!(
            "{} {}{owner}",
            d.id.as_deref().unwrap_or(""),
            d.title_text()
        )
    };
    let board_rows: Vec<Vec<String>> = (0..depth)
        .map(|r| {
            columns
                .iter()
                .map(|c| c.get(r).map_or(String::new(), |d| cell(d)))
                .collect()
        })
        .collect();
    let mut board_json = serde_json::Map::new();
    for (h, c) in HORIZONS.iter().zip(&columns) {
        board_json.insert(
            h.to_string(),
            Json::Array(c.iter().map(|d| item_json(d)).collect()),
        );
    }
    let shipped: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| d.status_value() == "shipped")
        .collect();
    board_json.insert(
        "shipped".into(),
        Json::Array(shipped.iter().map(|d| item_json(d)).collect()),
    );
    let board = section(
        "board",
        "Now / Next / Later",
        TableView::new(&["Now", "Next", "Later"], board_rows),
        "No items on the board.",
        Json::Object(board_json),
    );

    // Effort against capacity.
    let by_quarter = effort_by_quarter(corpus);
    let mut quarters: BTreeSet<_> = by_quarter.keys().copied().collect();
    quarters.extend(ctx.config.capacity.keys().copied());
    let mut cap_rows = Vec::new();
    let mut cap_json = Vec::new();
    for q in quarters {
        let (total, items) = by_quarter.get(&q).cloned().unwrap_or_default();
        let cap = ctx.config.capacity.get(&q).copied();
        let over = cap.is_some_and(|c| total > c);
        cap_rows.push(vec![
            q.to_string(),
            total.to_string(),
            cap.map_or("-".into(), |c| c.to_string()),
            if over { "over".into() } else { String::new() },
            items
                .iter()
                .filter_map(|d| d.id.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ]);
        cap_json.push(json!({
            "quarter": q, "effort": total, "capacity": cap, "over": over,
            "items": items.iter().filter_map(|d| d.id.clone()).collect::<Vec<_>>(),
        }));
    }
    let capacity = section(
        "capacity",
        "Effort per quarter",
        TableView::new(&["quarter", "effort", "capacity", "", "items"], cap_rows),
        "No item has a quarter and an effort.",
        Json::Array(cap_json),
    );

    // Dependency order.
    let (order, stuck) = dependency_order(corpus);
    let mut order_rows: Vec<Vec<String>> = order
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let deps = d.roadmap().map(|i| {
                i.depends_on
                    .iter()
                    .map(|r| r.id.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            vec![
                (n + 1).to_string(),
                d.id.clone().unwrap_or_default(),
                deps.unwrap_or_default(),
                d.title_text().into(),
            ]
        })
        .collect();
    order_rows.extend(stuck.iter().map(|d| {
        vec![
            "cycle".into(),
            d.id.clone().unwrap_or_default(),
            String::new(),
            d.title_text().into(),
        ]
    }));
    let mut order_section = section(
        "order",
        "Dependency order",
        TableView::new(&["#", "id", "depends on", "title"], order_rows),
        "No items.",
        json!({
            "order": order.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
            "in_cycles": stuck.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
        }),
    );
    if !stuck.is_empty() {
        order_section
            .notes
            .push("Items marked `cycle` depend on each other; see `cto lint` (CTO304).".into());
    }

    // Experiments.
    let experiments: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| d.roadmap().and_then(|i| i.item_type.as_deref()) == Some("experiment"))
        .collect();
    let outcome = |o: &str| {
        experiments
            .iter()
            .filter(|d| d.roadmap().and_then(|i| i.outcome.as_deref()) == Some(o))
            .count()
    };
    let (validated, invalidated, inconclusive) = (
        outcome("validated"),
        outcome("invalidated"),
        outcome("inconclusive"),
    );
    let concluded = validated + invalidated + inconclusive;
    let rate = ratio(validated, concluded);
    let experiments_section = SectionView {
        key: "experiments",
        title: "Experiments".into(),
        tables: vec![TableView::new(
            &[
                "experiments",
                "concluded",
                "validated",
                "invalidated",
                "inconclusive",
                "validation rate",
            ],
            vec![vec![
                experiments.len().to_string(),
                concluded.to_string(),
                validated.to_string(),
                invalidated.to_string(),
                inconclusive.to_string(),
                rate.map_or("-".into(), |r| format!("{:.0}%", r * 100.0)),
            ]],
        )],
        notes: Vec::new(),
        json: json!({
            "total": experiments.len(), "concluded": concluded, "validated": validated,
            "invalidated": invalidated, "inconclusive": inconclusive, "validation_rate": rate,
        }),
    };

    let csv_rows = docs
        .iter()
        .filter_map(|d| {
            let i = d.roadmap()?;
            let opt = |v: Option<String>| v.unwrap_or_default();
            Some(vec![
                d.id.clone().unwrap_or_default(),
                d.status_value().to_string(),
                opt(i.horizon.clone()),
                opt(i.quarter.map(|q| q.to_string())),
                opt(i.item_type.clone()),
                opt(i.effort.map(|e| e.0.to_string())),
                opt(i.owner.clone()),
                i.depends_on
                    .iter()
                    .map(|r| r.id.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                d.title_text().to_string(),
            ])
        })
        .collect();
    ReportView {
        title: "Roadmap".into(),
        sections: vec![board, capacity, order_section, experiments_section],
        csv: TableView::new(
            &[
                "id",
                "status",
                "horizon",
                "quarter",
                "type",
                "effort",
                "owner",
                "depends_on",
                "title",
            ],
            csv_rows,
        ),
    }
}
