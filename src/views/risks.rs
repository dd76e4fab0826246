//! `cto risks report`: heat maps, top risks, overdue reviews, expiring acceptances,
//! escalations, load per owner.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::{ReportView, SectionView, TableView, section};
use crate::check::Context;
use crate::check::policy::{escalation, review_due, risk_is_live};
use crate::model::{Corpus, Document, Kind, RiskFields};

/// Days before expiry from which an acceptance is listed as expiring.
pub const EXPIRING_WITHIN_DAYS: i32 = 30;

fn live(corpus: &Corpus) -> Vec<(&Document, &RiskFields)> {
    let mut v: Vec<_> = corpus
        .of_kind(Kind::Risk)
        .filter(|d| risk_is_live(d))
        .filter_map(|d| Some((d, d.risk()?)))
        .collect();
    v.sort_by_key(|(d, _)| d.id.clone());
    v
}

fn id(d: &Document) -> String {
    d.id.clone().unwrap_or_default()
}

/// Ids in a 5×5 grid, `[impact - 1][likelihood - 1]`.
fn grid(risks: &[(&Document, &RiskFields)], residual: bool) -> Vec<Vec<Vec<String>>> {
    let mut g = vec![vec![Vec::new(); 5]; 5];
    for (d, r) in risks {
        let rating = if residual {
            r.residual.or(r.likelihood.zip(r.impact))
        } else {
            r.likelihood.zip(r.impact)
        };
        if let Some((l, i)) = rating {
            g[usize::from(i) - 1][usize::from(l) - 1].push(id(d));
        }
    }
    g
}

fn grid_table(g: &[Vec<Vec<String>>], caption: &str) -> TableView {
    let rows = (1..=5)
        .rev()
        .map(|impact| {
            let mut row = vec![format!("impact {impact}")];
            row.extend(g[impact - 1].iter().map(|ids| ids.join(" ")));
            row
        })
        .collect();
    TableView::new(&["", "L1", "L2", "L3", "L4", "L5"], rows).caption(caption)
}

pub fn view(corpus: &Corpus, ctx: &Context) -> ReportView {
    let bands = ctx.config.bands;
    let risks = live(corpus);

    let inherent = grid(&risks, false);
    let residual = grid(&risks, true);
    let heatmap = SectionView {
        key: "heatmap",
        title: "Heat map (likelihood × impact)".into(),
        tables: vec![
            grid_table(&inherent, "Inherent"),
            grid_table(&residual, "Residual"),
        ],
        notes: vec!["Risks without a residual rating are shown at their inherent rating.".into()],
        json: json!({
            "rows": "impact 1..5",
            "columns": "likelihood 1..5",
            "inherent": inherent,
            "residual": residual,
        }),
    };

    let mut ranked: Vec<_> = risks.iter().filter(|(_, r)| r.score().is_some()).collect();
    ranked.sort_by_key(|(d, r)| (std::cmp::Reverse(r.score()), d.id.clone()));
    let top_json: Vec<Json> = ranked
        .iter()
        .map(|(d, r)| {
            json!({
                "id": d.id, "title": d.title_text(), "score": r.score(),
                "level": r.score().map(|s| bands.level(s)),
                "residual_score": r.residual_score(),
                "residual_level": r.residual_score().map(|s| bands.level(s)),
                "owner": r.owner, "category": r.category, "status": d.status_value(),
            })
        })
        .collect();
    let top_rows: Vec<Vec<String>> = ranked
        .iter()
        .take(10)
        .map(|(d, r)| {
            let s = r.score().unwrap_or(0);
            vec![
                id(d),
                s.to_string(),
                bands.level(s).to_string(),
                r.residual_score().map_or("-".into(), |x| x.to_string()),
                r.owner.clone().unwrap_or_default(),
                d.title_text().to_string(),
            ]
        })
        .collect();
    let top = section(
        "top",
        "Top risks by score",
        TableView::new(
            &["id", "score", "level", "residual", "owner", "title"],
            top_rows,
        ),
        "No scored risks.",
        Json::Array(top_json),
    );

    let mut overdue_rows = Vec::new();
    let mut overdue_json = Vec::new();
    for (d, r) in &risks {
        if let Some(due) = review_due(r, ctx)
            && due < ctx.today
        {
            let days = (ctx.today - due).get_days();
            overdue_rows.push(vec![
                id(d),
                due.to_string(),
                days.to_string(),
                r.owner.clone().unwrap_or_default(),
                d.title_text().into(),
            ]);
            overdue_json.push(json!({"id": d.id, "title": d.title_text(), "owner": r.owner, "due": due.to_string(), "days_overdue": days}));
        }
    }
    let overdue = section(
        "overdue",
        "Overdue reviews",
        TableView::new(&["id", "due", "days over", "owner", "title"], overdue_rows),
        "No review is overdue.",
        Json::Array(overdue_json),
    );

    let mut exp_rows = Vec::new();
    let mut exp_json = Vec::new();
    for (d, r) in &risks {
        if d.status_value() != "accepted" {
            continue;
        }
        let Some(a) = &r.acceptance else { continue };
        let Some(expires) = a.expires else { continue };
        let left = (expires - ctx.today).get_days();
        if left <= EXPIRING_WITHIN_DAYS {
            exp_rows.push(vec![
                id(d),
                expires.to_string(),
                left.to_string(),
                a.by.clone().unwrap_or_default(),
                d.title_text().into(),
            ]);
            exp_json.push(json!({"id": d.id, "title": d.title_text(), "accepted_by": a.by, "expires": expires.to_string(), "days_left": left}));
        }
    }
    let expiring = section(
        "expiring",
        &format!("Acceptances expiring within {EXPIRING_WITHIN_DAYS} days (or expired)"),
        TableView::new(
            &["id", "expires", "days left", "accepted by", "title"],
            exp_rows,
        ),
        "No acceptance is expiring.",
        Json::Array(exp_json),
    );

    let mut esc_rows = Vec::new();
    let mut esc_json = Vec::new();
    for (d, r) in &risks {
        if let Some(why) = escalation(d, r, ctx) {
            esc_rows.push(vec![
                id(d),
                why.clone(),
                r.owner.clone().unwrap_or_default(),
                d.title_text().into(),
            ]);
            esc_json.push(
                json!({"id": d.id, "title": d.title_text(), "owner": r.owner, "reason": why}),
            );
        }
    }
    let escalations = section(
        "escalations",
        "Escalations",
        TableView::new(&["id", "why", "owner", "title"], esc_rows),
        "No escalation.",
        Json::Array(esc_json),
    );

    let mut owners: BTreeMap<String, Vec<(&Document, &RiskFields)>> = BTreeMap::new();
    for (d, r) in &risks {
        owners
            .entry(r.owner.clone().unwrap_or_else(|| "(no owner)".into()))
            .or_default()
            .push((d, r));
    }
    let mut load: Vec<(String, usize, u32, u8, Vec<String>)> = owners
        .into_iter()
        .map(|(o, rs)| {
            let total: u32 = rs
                .iter()
                .filter_map(|(_, r)| r.score())
                .map(u32::from)
                .sum();
            let max = rs.iter().filter_map(|(_, r)| r.score()).max().unwrap_or(0);
            (
                o,
                rs.len(),
                total,
                max,
                rs.iter().map(|(d, _)| id(d)).collect(),
            )
        })
        .collect();
    load.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let by_owner = section(
        "by_owner",
        "Load per owner",
        TableView::new(
            &["owner", "risks", "total score", "highest", "ids"],
            load.iter()
                .map(|(o, n, t, m, ids)| vec![o.clone(), n.to_string(), t.to_string(), bands.level(*m).to_string(), ids.join(" ")])
                .collect(),
        ),
        "No live risks.",
        Json::Array(
            load.iter()
                .map(|(o, n, t, m, ids)| json!({"owner": o, "risks": n, "total_score": t, "highest_level": bands.level(*m), "ids": ids}))
                .collect(),
        ),
    );

    let csv_rows = corpus
        .of_kind(Kind::Risk)
        .filter_map(|d| {
            let r = d.risk()?;
            let opt = |v: Option<String>| v.unwrap_or_default();
            Some(vec![
                id(d),
                d.status_value().to_string(),
                opt(r.category.clone()),
                opt(r.likelihood.map(|x| x.to_string())),
                opt(r.impact.map(|x| x.to_string())),
                opt(r.score().map(|x| x.to_string())),
                opt(r.score().map(|x| bands.level(x).to_string())),
                opt(r.residual_score().map(|x| x.to_string())),
                opt(r.treatment.clone()),
                opt(r.owner.clone()),
                opt(review_due(r, ctx).map(|x| x.to_string())),
                d.title_text().to_string(),
            ])
        })
        .collect();
    ReportView {
        title: "Risk register".into(),
        sections: vec![heatmap, top, overdue, expiring, escalations, by_owner],
        csv: TableView::new(
            &[
                "id",
                "status",
                "category",
                "likelihood",
                "impact",
                "score",
                "level",
                "residual_score",
                "treatment",
                "owner",
                "review_due",
                "title",
            ],
            csv_rows,
        ),
    }
}
