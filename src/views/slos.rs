//! `cto slo report`: objectives and budgets, burn-rate thresholds, critical services
//! without an SLO, SLOs without alerting, reviews due.

use std::collections::HashSet;

use serde::{Serialize, Serializer};

use super::{Report, Row, Section, TableView, cell};
use crate::check::Context;
use crate::check::slo::covers;
use crate::model::SloStatus;
use crate::model::slo::prometheus_duration;
use crate::model::slo::{
    Budget, BurnRate, Decimal, Rational, alert_windows_for, burn_rates_with, human_duration,
};
use crate::model::{Corpus, Document, Kind, SloFields};

/// Reviews due within this many days are listed with the overdue ones.
pub const DUE_WITHIN_DAYS: i32 = 14;

pub use crate::model::kinds::slo::{ErrorBudget, Seconds};

#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub id: Option<String>,
    pub title: String,
    pub service: Option<String>,
    pub status: String,
    /// The objective in percent.
    #[serde(serialize_with = "percent")]
    pub objective: Option<Decimal>,
    pub window: Option<String>,
    pub window_seconds: Option<i64>,
    #[serde(serialize_with = "budget")]
    pub error_budget: Option<Budget>,
}

fn percent<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    v.map(|o| o.rational().to_f64()).serialize(s)
}

fn budget<S: Serializer>(v: &Option<Budget>, s: S) -> Result<S::Ok, S::Error> {
    v.as_ref().map(ErrorBudget::from_budget).serialize(s)
}

impl Row for Objective {
    const HEADER: &'static [&'static str] = &[
        "id",
        "service",
        "objective",
        "window",
        "budget",
        "budget ratio",
        "status",
    ];
    fn cells(&self) -> Vec<String> {
        let b = self.error_budget;
        vec![
            cell(self.id.as_ref()),
            cell(self.service.as_ref()),
            self.objective.map_or(String::new(), |o| format!("{o}%")),
            cell(self.window.as_ref()),
            b.map_or("-".into(), |b| human_duration(b.seconds)),
            b.map_or("-".into(), |b| b.ratio.decimal(12)),
            self.status.clone(),
        ]
    }
}

/// An SLO's four burn-rate alert conditions.
#[derive(Debug, Clone, Serialize)]
pub struct BurnRates {
    pub id: Option<String>,
    pub conditions: Vec<Condition>,
}

/// One multi-window, multi-burn-rate condition.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The SLO's id, for the table.
    pub slo: String,
    pub rate: BurnRate,
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json {
            severity: &'static str,
            long_window: String,
            short_window: String,
            factor: f64,
            error_ratio_threshold: f64,
            budget_spent: f64,
        }
        let r = &self.rate;
        Json {
            severity: r.severity,
            long_window: prometheus_duration(r.long_window),
            short_window: prometheus_duration(r.short_window),
            factor: r.factor.to_f64(),
            error_ratio_threshold: r.threshold.to_f64(),
            budget_spent: r.budget_spent.to_f64(),
        }
        .serialize(s)
    }
}

impl Row for Condition {
    const HEADER: &'static [&'static str] = &[
        "id",
        "severity",
        "windows",
        "burn rate",
        "error ratio above",
        "budget spent",
    ];
    fn cells(&self) -> Vec<String> {
        let r = &self.rate;
        vec![
            self.slo.clone(),
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
        ]
    }
}

/// A critical service without an active SLO that alerts and has a runbook.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Uncovered(pub String);

impl Row for Uncovered {
    const HEADER: &'static [&'static str] = &["service"];
    fn cells(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
}

/// A live SLO without alerting and a runbook; its JSON is its id.
#[derive(Debug, Clone)]
pub struct WithoutAlerting {
    pub id: Option<String>,
    pub status: String,
    pub service: Option<String>,
}

impl Serialize for WithoutAlerting {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.id.serialize(s)
    }
}

impl Row for WithoutAlerting {
    const HEADER: &'static [&'static str] = &["id", "status", "service"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            self.status.clone(),
            cell(self.service.as_ref()),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewDue {
    pub id: Option<String>,
    pub due: String,
    /// Negative once overdue.
    pub days_left: i32,
    pub owner: Option<String>,
}

impl Row for ReviewDue {
    const HEADER: &'static [&'static str] = &["id", "due", "days left", "owner"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            self.due.clone(),
            self.days_left.to_string(),
            cell(self.owner.as_ref()),
        ]
    }
}

/// One SLO, retired or not (`--format csv`).
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub id: String,
    pub status: String,
    pub service: Option<String>,
    pub objective: Option<Decimal>,
    pub window: Option<String>,
    pub budget: Option<Budget>,
    pub owner: Option<String>,
    pub title: String,
}

impl Row for RegisterRow {
    const HEADER: &'static [&'static str] = &[
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
    ];
    fn cells(&self) -> Vec<String> {
        let b = self.budget;
        vec![
            self.id.clone(),
            self.status.clone(),
            cell(self.service.as_ref()),
            cell(self.objective),
            cell(self.window.as_ref()),
            b.map_or(String::new(), |b| b.ratio.decimal(12)),
            b.map_or(String::new(), |b| b.seconds.decimal(3)),
            b.map_or(String::new(), |b| human_duration(b.seconds)),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

/// The SLO report; serialised, its `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct SloReport {
    /// Live (not retired) SLOs.
    pub slos: Vec<Objective>,
    pub burn_rates: Vec<BurnRates>,
    pub uncovered: Vec<Uncovered>,
    pub no_alerting: Vec<WithoutAlerting>,
    pub reviews_due: Vec<ReviewDue>,
    #[serde(skip)]
    pub register: Vec<RegisterRow>,
}

fn alerts(s: &SloFields) -> bool {
    s.alerting
        .as_ref()
        .is_some_and(|a| (a.page || a.ticket) && a.runbook.is_some())
}

pub fn report(corpus: &Corpus, ctx: &Context) -> SloReport {
    let mut all: Vec<(&Document, &SloFields)> = corpus
        .of_kind(Kind::Slo)
        .filter_map(|d| Some((d, d.slo()?)))
        .collect();
    all.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let id = |d: &Document| d.id.clone().unwrap_or_default();

    let mut slos = Vec::new();
    let mut burn = Vec::new();
    let mut no_alerting = Vec::new();
    let mut reviews_due = Vec::new();
    for &(d, s) in all.iter().filter(|(_, s)| !s.is(SloStatus::Retired)) {
        let budget = s.budget();
        slos.push(Objective {
            id: d.id.clone(),
            title: d.title_text().to_string(),
            service: s.service.clone(),
            status: d.status_value().to_string(),
            objective: s.objective.map(|(o, _)| o),
            window: s.window.as_ref().map(|w| w.0.clone()),
            window_seconds: s.window_seconds(),
            error_budget: budget,
        });
        if let (Some(b), Some(w)) = (budget, s.window_seconds()) {
            burn.push(BurnRates {
                id: d.id.clone(),
                conditions: burn_rates_with(&b, &alert_windows_for(w, &ctx.config.alert_windows))
                    .into_iter()
                    .map(|rate| Condition { slo: id(d), rate })
                    .collect(),
            });
        }
        if !alerts(s) {
            no_alerting.push(WithoutAlerting {
                id: d.id.clone(),
                status: d.status_value().to_string(),
                service: s.service.clone(),
            });
        }
        let due = s.review_next.map(|(x, _)| x).or_else(|| {
            s.review_last?
                .checked_add(jiff::Span::new().days(ctx.config.review_every_days))
                .ok()
        });
        if let Some(due) = due {
            let left = (due - ctx.today).get_days();
            if left <= DUE_WITHIN_DAYS {
                reviews_due.push(ReviewDue {
                    id: d.id.clone(),
                    due: due.to_string(),
                    days_left: left,
                    owner: s.owner.clone(),
                });
            }
        }
    }

    // Services with a covering SLO, found once.
    let covered: HashSet<&str> = all
        .iter()
        .filter(|(_, s)| covers(s))
        .filter_map(|(_, s)| s.service.as_deref())
        .collect();
    let uncovered = ctx
        .config
        .critical_services()
        .filter(|svc| !covered.contains(svc.name.as_str()))
        .map(|svc| Uncovered(svc.name.clone()))
        .collect();

    let register = all
        .iter()
        .map(|&(d, s)| RegisterRow {
            id: id(d),
            status: d.status_value().to_string(),
            service: s.service.clone(),
            objective: s.objective.map(|(o, _)| o),
            window: s.window.as_ref().map(|w| w.0.clone()),
            budget: s.budget(),
            owner: s.owner.clone(),
            title: d.title_text().to_string(),
        })
        .collect();

    SloReport {
        slos,
        burn_rates: burn,
        uncovered,
        no_alerting,
        reviews_due,
        register,
    }
}

impl Report for SloReport {
    fn title(&self) -> &'static str {
        "Service level objectives"
    }

    fn sections(&self) -> Vec<Section> {
        vec![
            Section::table(
                "slos",
                "Objectives and error budgets",
                TableView::of(&self.slos),
                "No SLOs.",
            ),
            Section::table(
                "burn_rates",
                "Burn-rate alert thresholds (multi-window, multi-burn-rate)",
                TableView::of(self.burn_rates.iter().flat_map(|b| &b.conditions)),
                "No SLO has an objective and a window.",
            ),
            Section::table(
                "uncovered",
                "Critical services without an active, alerting SLO",
                TableView::of(&self.uncovered),
                "Every critical service has an active SLO with alerting and a runbook.",
            ),
            Section::table(
                "no_alerting",
                "SLOs without alerting and a runbook",
                TableView::of(&self.no_alerting),
                "Every SLO alerts and has a runbook.",
            ),
            Section::table(
                "reviews_due",
                &format!("Reviews due within {DUE_WITHIN_DAYS} days (or overdue)"),
                TableView::of(&self.reviews_due),
                "No review is due.",
            ),
        ]
    }

    fn csv(&self) -> TableView {
        TableView::of(&self.register)
    }
}
