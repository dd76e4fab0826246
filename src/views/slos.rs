//! `cto slo report`: objectives and budgets, burn-rate thresholds, critical services
//! without an SLO, SLOs without alerting, reviews due.

use serde_json::{Value as Json, json};

use super::{ReportView, TableView, section};
use crate::check::Context;
use crate::check::slo::covers;
use crate::model::slo::{
    Rational, alert_windows_for, burn_rates_with, human_duration, prometheus_duration,
};
use crate::model::{Corpus, Document, Kind, SloFields};

/// Reviews due within this many days are listed with the overdue ones.
pub const DUE_WITHIN_DAYS: i32 = 14;

pub fn view(corpus: &Corpus, ctx: &Context) -> ReportView {
    let mut slos: Vec<(&Document, &SloFields)> = corpus
        .of_kind(Kind::Slo)
        .filter_map(|d| Some((d, d.slo()?)))
        .collect();
    slos.sort_by_key(|(d, _)| d.id.clone());
    let live: Vec<_> = slos
        .iter()
        .filter(|(d, _)| d.status_value() != "retired")
        .collect();
    let id = |d: &Document| d.id.clone().unwrap_or_default();

    let mut rows = Vec::new();
    let mut items = Vec::new();
    for (d, s) in &live {
        let b = s.budget();
        rows.push(vec![
            id(d),
            s.service.clone().unwrap_or_default(),
            s.objective.map_or(String::new(), |o| format!("{}%", o.0)),
            s.window.as_ref().map_or(String::new(), |w| w.0.clone()),
            b.map_or("-".into(), |b| human_duration(b.seconds)),
            b.map_or("-".into(), |b| b.ratio.decimal(12)),
            d.status_value().to_string(),
        ]);
        items.push(json!({
            "id": d.id, "title": d.title_text(), "service": s.service, "status": d.status_value(),
            "objective": s.objective.map(|o| o.0.rational().to_f64()),
            "window": s.window.as_ref().map(|w| &w.0),
            "window_seconds": s.window_seconds(),
            "error_budget": crate::commands::documents::budget_json(s),
        }));
    }
    let objectives = section(
        "slos",
        "Objectives and error budgets",
        TableView::new(
            &[
                "id",
                "service",
                "objective",
                "window",
                "budget",
                "budget ratio",
                "status",
            ],
            rows,
        ),
        "No SLOs.",
        Json::Array(items),
    );

    let mut burn_rows = Vec::new();
    let mut burn_json = Vec::new();
    for (d, s) in &live {
        let (Some(b), Some(w)) = (s.budget(), s.window_seconds()) else {
            continue;
        };
        let rates = burn_rates_with(&b, &alert_windows_for(w, &ctx.config.alert_windows));
        for r in &rates {
            burn_rows.push(vec![
                id(d),
                r.severity.to_string(),
                format!(
                    "{} / {}",
                    prometheus_duration(r.long_window),
                    prometheus_duration(r.short_window)
                ),
                format!("{}×", r.factor.decimal(4)),
                r.threshold.decimal(12),
                format!(
                    "{}%",
                    r.budget_spent
                        .checked_mul(Rational::int(100))
                        .unwrap_or(Rational::ZERO)
                        .decimal(2)
                ),
            ]);
        }
        burn_json.push(json!({
            "id": d.id,
            "conditions": rates.iter().map(|r| json!({
                "severity": r.severity,
                "long_window": prometheus_duration(r.long_window),
                "short_window": prometheus_duration(r.short_window),
                "factor": r.factor.to_f64(),
                "error_ratio_threshold": r.threshold.to_f64(),
                "budget_spent": r.budget_spent.to_f64(),
            })).collect::<Vec<_>>(),
        }));
    }
    let burn = section(
        "burn_rates",
        "Burn-rate alert thresholds (multi-window, multi-burn-rate)",
        TableView::new(
            &[
                "id",
                "severity",
                "windows",
                "burn rate",
                "error ratio above",
                "budget spent",
            ],
            burn_rows,
        ),
        "No SLO has an objective and a window.",
        Json::Array(burn_json),
    );

    let uncovered: Vec<&str> = ctx
        .config
        .services
        .iter()
        .filter(|svc| svc.tier.as_deref() == Some("critical"))
        .filter(|svc| {
            !slos
                .iter()
                .any(|(d, s)| s.service.as_deref() == Some(svc.name.as_str()) && covers(d, s))
        })
        .map(|svc| svc.name.as_str())
        .collect();
    let uncovered_section = section(
        "uncovered",
        "Critical services without an active, alerting SLO",
        TableView::new(
            &["service"],
            uncovered.iter().map(|s| vec![s.to_string()]).collect(),
        ),
        "Every critical service has an active SLO with alerting and a runbook.",
        json!(uncovered),
    );

    let no_alerting: Vec<&(&Document, &SloFields)> = live
        .iter()
        .copied()
        .filter(|(_, s)| {
            !s.alerting
                .as_ref()
                .is_some_and(|a| (a.page || a.ticket) && a.runbook.is_some())
        })
        .collect();
    let no_alerting_section = section(
        "no_alerting",
        "SLOs without alerting and a runbook",
        TableView::new(
            &["id", "status", "service"],
            no_alerting
                .iter()
                .map(|(d, s)| {
                    vec![
                        id(d),
                        d.status_value().into(),
                        s.service.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        "Every SLO alerts and has a runbook.",
        json!(
            no_alerting
                .iter()
                .map(|(d, _)| d.id.clone())
                .collect::<Vec<_>>()
        ),
    );

    let mut due_rows = Vec::new();
    let mut due_json = Vec::new();
    for (d, s) in &live {
        let due = s.review_next.map(|(x, _)| x).or_else(|| {
            s.review_last?
                .checked_add(jiff::Span::new().days(ctx.config.review_every_days))
                .ok()
        });
        if let Some(due) = due {
            let left = (due - ctx.today).get_days();
            if left <= DUE_WITHIN_DAYS {
                due_rows.push(vec![
                    id(d),
                    due.to_string(),
                    left.to_string(),
                    s.owner.clone().unwrap_or_default(),
                ]);
                due_json.push(json!({"id": d.id, "due": due.to_string(), "days_left": left, "owner": s.owner}));
            }
        }
    }
    let reviews = section(
        "reviews_due",
        &format!("Reviews due within {DUE_WITHIN_DAYS} days (or overdue)"),
        TableView::new(&["id", "due", "days left", "owner"], due_rows),
        "No review is due.",
        Json::Array(due_json),
    );

    let csv_rows = slos
        .iter()
        .map(|(d, s)| {
            let b = s.budget();
            vec![
                id(d),
                d.status_value().to_string(),
                s.service.clone().unwrap_or_default(),
                s.objective.map_or(String::new(), |o| o.0.to_string()),
                s.window.as_ref().map_or(String::new(), |w| w.0.clone()),
                b.map_or(String::new(), |b| b.ratio.decimal(12)),
                b.map_or(String::new(), |b| b.seconds.decimal(3)),
                b.map_or(String::new(), |b| human_duration(b.seconds)),
                s.owner.clone().unwrap_or_default(),
                d.title_text().to_string(),
            ]
        })
        .collect();
    ReportView {
        title: "Service level objectives".into(),
        sections: vec![
            objectives,
            burn,
            uncovered_section,
            no_alerting_section,
            reviews,
        ],
        csv: TableView::new(
            &[
                "id",
                "status",
                "service",
                "objective",
                "window",
                "budget_ratio",
                "budget_seconds",
                "budget",
                "owner",
                "title",
            ],
            csv_rows,
        ),
    }
}
