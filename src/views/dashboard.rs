//! The leadership dashboard as a value: what needs attention first, then each kind's
//! picture and tables. The HTML formatter draws it; nothing here knows about HTML.

use serde_json::Value as Json;

use super::graph::{Edge, decisions};
use super::{ReportView, adrs, risks, roadmap, slos};
use crate::check::{self, Context, Severity};
use crate::model::{Corpus, Kind, Quarter};

/// Something a leadership review should hear about first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attention {
    /// `escalation`, `overdue`, `expiring`, `uncovered`, `lint`.
    pub category: &'static str,
    pub id: String,
    pub what: String,
}

/// One risk in a heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRisk {
    pub id: String,
    pub title: String,
}

/// A roadmap item on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineItem {
    pub id: String,
    pub title: String,
    pub quarter: Quarter,
    pub horizon: String,
    pub status: String,
    pub depends_on: Vec<String>,
}

/// An ADR in the decision graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionNode {
    pub id: String,
    pub title: String,
    pub status: String,
}

/// An SLO's budget, for the bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetBar {
    pub id: String,
    pub service: String,
    pub objective: String,
    pub window: String,
    pub budget: String,
    pub budget_seconds: f64,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub title: String,
    pub date: String,
    pub counts: Vec<(String, usize)>,
    pub lint_errors: usize,
    pub lint_warnings: usize,
    pub attention: Vec<Attention>,
    /// `[impact - 1][likelihood - 1]` → risks; and the level of each cell's score.
    pub inherent: Vec<Vec<Vec<CellRisk>>>,
    pub residual: Vec<Vec<Vec<CellRisk>>>,
    pub levels: Vec<Vec<&'static str>>,
    pub timeline: Vec<TimelineItem>,
    pub board: Vec<(String, Vec<(String, String)>)>,
    pub budgets: Vec<BudgetBar>,
    pub decisions: Vec<DecisionNode>,
    pub edges: Vec<Edge>,
    /// The full reports, as tables below the pictures.
    pub reports: Vec<ReportView>,
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn build(corpus: &Corpus, ctx: &Context) -> Dashboard {
    let diagnostics = check::run(corpus, ctx);
    let lint_errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let risk_view = risks::view(corpus, ctx);
    let slo_view = slos::view(corpus, ctx);
    let roadmap_view = roadmap::view(corpus, ctx);
    let adr_view = adrs::view(corpus);
    let risk_json = risk_view.json();
    let slo_json = slo_view.json();

    let mut attention = Vec::new();
    let item = |v: &Json, key: &str| v[key].as_str().unwrap_or("").to_string();
    for e in risk_json["escalations"].as_array().into_iter().flatten() {
        attention.push(Attention {
            category: "escalation",
            id: item(e, "id"),
            what: item(e, "reason"),
        });
    }
    for s in strings(&slo_json["uncovered"]) {
        attention.push(Attention {
            category: "uncovered",
            id: s.clone(),
            what: format!("critical service `{s}` has no active SLO with alerting and a runbook"),
        });
    }
    for o in risk_json["overdue"].as_array().into_iter().flatten() {
        attention.push(Attention {
            category: "overdue",
            id: item(o, "id"),
            what: format!(
                "risk review overdue by {} days ({})",
                o["days_overdue"],
                item(o, "title")
            ),
        });
    }
    for r in slo_json["reviews_due"].as_array().into_iter().flatten() {
        if r["days_left"].as_i64().is_some_and(|d| d < 0) {
            attention.push(Attention {
                category: "overdue",
                id: item(r, "id"),
                what: format!(
                    "SLO review overdue by {} days",
                    -r["days_left"].as_i64().unwrap_or(0)
                ),
            });
        }
    }
    for x in risk_json["expiring"].as_array().into_iter().flatten() {
        let left = x["days_left"].as_i64().unwrap_or(0);
        let what = if left < 0 {
            format!("risk acceptance expired {} days ago", -left)
        } else {
            format!("risk acceptance expires in {left} days")
        };
        attention.push(Attention {
            category: "expiring",
            id: item(x, "id"),
            what,
        });
    }
    if lint_errors > 0 {
        attention.push(Attention {
            category: "lint",
            id: String::new(),
            what: format!("{lint_errors} lint errors: run `cto lint`"),
        });
    }

    // Heat maps, with titles for the tooltips.
    let title_of = |id: &str| {
        corpus
            .get(id)
            .map(|d| d.title_text().to_string())
            .unwrap_or_default()
    };
    let grid = |key: &str| -> Vec<Vec<Vec<CellRisk>>> {
        (0..5)
            .map(|i| {
                (0..5)
                    .map(|l| {
                        strings(&risk_json["heatmap"][key][i][l])
                            .into_iter()
                            .map(|id| CellRisk {
                                title: title_of(&id),
                                id,
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    let levels = (1..=5u8)
        .map(|i| (1..=5u8).map(|l| ctx.config.bands.level(i * l)).collect())
        .collect();

    let mut timeline: Vec<TimelineItem> = corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| d.status_value() != "dropped")
        .filter_map(|d| {
            let i = d.roadmap()?;
            Some(TimelineItem {
                id: d.id.clone()?,
                title: d.title_text().to_string(),
                quarter: i.quarter?,
                horizon: i.horizon.clone().unwrap_or_default(),
                status: d.status_value().to_string(),
                depends_on: i.depends_on.iter().map(|r| r.id.clone()).collect(),
            })
        })
        .collect();
    timeline.sort_by(|a, b| (a.quarter, &a.id).cmp(&(b.quarter, &b.id)));

    let rm_json = roadmap_view.json();
    let board = ["now", "next", "later"]
        .iter()
        .map(|h| {
            let items = rm_json["board"][*h]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| (item(x, "id"), item(x, "title")))
                .collect();
            (h.to_string(), items)
        })
        .collect();

    let budgets = slo_json["slos"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| BudgetBar {
            id: item(s, "id"),
            service: item(s, "service"),
            objective: s["objective"]
                .as_f64()
                .map_or(String::new(), |o| format!("{o}%")),
            window: item(s, "window"),
            budget: s["error_budget"]["human"]
                .as_str()
                .unwrap_or("-")
                .to_string(),
            budget_seconds: s["error_budget"]["seconds"].as_f64().unwrap_or(0.0),
            status: item(s, "status"),
        })
        .collect();

    let (nodes, edges) = decisions(corpus);
    let decisions = nodes
        .iter()
        .map(|d| DecisionNode {
            id: d.id.clone().unwrap_or_default(),
            title: d.title_text().to_string(),
            status: d.status_value().to_string(),
        })
        .collect();

    Dashboard {
        title: "Engineering leadership report".into(),
        date: ctx.today.to_string(),
        counts: [Kind::Adr, Kind::Risk, Kind::Slo, Kind::Roadmap]
            .iter()
            .map(|k| (k.spec().plural.to_string(), corpus.of_kind(*k).count()))
            .collect(),
        lint_errors,
        lint_warnings: diagnostics.len() - lint_errors,
        attention,
        inherent: grid("inherent"),
        residual: grid("residual"),
        levels,
        timeline,
        board,
        budgets,
        decisions,
        edges,
        reports: vec![adr_view, risk_view, slo_view, roadmap_view],
    }
}
