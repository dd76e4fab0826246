//! The leadership dashboard as a value: what needs attention first, then each kind's
//! picture, read from the typed reports. The HTML formatter draws it; nothing here knows
//! about HTML.

use serde::Serialize;

use super::Reports;
use super::graph::{Edge, decisions};
use super::roadmap::Board;
use crate::check::Context;
use crate::model::RoadmapStatus;
use crate::model::{Corpus, Kind, Quarter};

/// What lint found, counted once for the whole report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LintCounts {
    pub errors: usize,
    pub warnings: usize,
}

impl LintCounts {
    /// The errors and warnings among `diagnostics`.
    pub fn of(diagnostics: &[crate::check::Diagnostic]) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == crate::check::Severity::Error)
            .count();
        LintCounts {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

/// Why something needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Concern {
    Escalation,
    Uncovered,
    Overdue,
    Expiring,
    Lint,
}

impl Concern {
    pub fn as_str(self) -> &'static str {
        match self {
            Concern::Escalation => "escalation",
            Concern::Uncovered => "uncovered",
            Concern::Overdue => "overdue",
            Concern::Expiring => "expiring",
            Concern::Lint => "lint",
        }
    }
}

/// Something a leadership review should hear about first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attention {
    pub category: Concern,
    /// Empty for what is about the whole repository (lint).
    pub id: String,
    pub what: String,
}

/// Who owns a document and when it last changed (git), where the dashboard lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stamp {
    pub owner: Option<String>,
    /// `YYYY-MM-DD` of the last commit that changed the file; `None` outside git or
    /// before the first commit.
    pub changed: Option<String>,
}

/// Where the live SLO figures come from, for the section's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LiveSource {
    /// No Prometheus was given (`--prometheus`, `slo.prometheus`).
    None,
    /// Prometheus at `url`, asked for the figures at `at` (RFC 3339).
    Prometheus { url: String, at: String },
}

/// One SLO's budget measured: the share spent on the scale of its own budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpentBudget {
    /// Share of the budget spent, for drawing (1 = all of it; above 1: overspent).
    pub consumed: f64,
    /// The same, exact, as people read it: `68.06%`.
    pub consumed_text: String,
    pub remaining_text: String,
    /// What is left as time (`13m 47.989s`; negative when overspent).
    pub remaining_human: String,
    /// `ok`, `warning` or `exhausted`.
    pub health: &'static str,
    /// The alert conditions that would fire now: `page 1h/5m: 20× (above 14.4×)`.
    pub firing: Vec<String>,
}

/// One SLO against live data, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LiveBudget {
    Measured(SpentBudget),
    Unavailable { reason: String },
}

/// What the dashboard shows besides the documents: live SLO figures and each document's
/// owner and last change, gathered by the command (Prometheus, git).
#[derive(Debug, Clone)]
pub struct Observed {
    pub source: LiveSource,
    /// SLO id → its budget; an active SLO missing here was not measured.
    pub budgets: std::collections::BTreeMap<String, LiveBudget>,
    /// Document id → the date of its last change.
    pub changed: std::collections::HashMap<String, String>,
}

impl Observed {
    /// Nothing observed: no Prometheus, no git.
    pub fn none() -> Observed {
        Observed {
            source: LiveSource::None,
            budgets: Default::default(),
            changed: Default::default(),
        }
    }

    /// The owner (from the corpus) and last change of the document `id`.
    pub fn stamp(&self, corpus: &Corpus, id: &str) -> Stamp {
        Stamp {
            owner: corpus.get(id).and_then(|d| d.owner()).map(str::to_string),
            changed: self.changed.get(id).cloned(),
        }
    }
}

/// What needs attention, most pressing first: escalations (risks, then repeated
/// incidents), uncovered critical services, overdue reviews and postmortems, expiring
/// acceptances, lint errors.
pub fn attention(reports: &Reports, lint: LintCounts) -> Vec<Attention> {
    let (risks, slos) = (&reports.risks, &reports.slos);
    let id = |id: &Option<String>| id.clone().unwrap_or_default();
    let mut out = Vec::new();
    for e in &risks.escalations {
        out.push(Attention {
            category: Concern::Escalation,
            id: id(&e.id),
            what: e.reason.clone(),
        });
    }
    for r in reports.incidents.escalations() {
        out.push(Attention {
            category: Concern::Escalation,
            id: r.service.clone(),
            what: r.escalation.clone().unwrap_or_default(),
        });
    }
    for s in &slos.uncovered {
        out.push(Attention {
            category: Concern::Uncovered,
            id: s.0.clone(),
            what: format!(
                "critical service `{}` has no active SLO with alerting and a runbook",
                s.0
            ),
        });
    }
    for o in &risks.overdue {
        out.push(Attention {
            category: Concern::Overdue,
            id: id(&o.id),
            what: format!(
                "risk review overdue by {} days ({})",
                o.days_overdue, o.title
            ),
        });
    }
    for p in &reports.incidents.postmortems_overdue {
        out.push(Attention {
            category: Concern::Overdue,
            id: id(&p.id),
            what: format!(
                "postmortem overdue by {} days ({})",
                p.days_overdue, p.title
            ),
        });
    }
    for r in slos.reviews_due.iter().filter(|r| r.days_left < 0) {
        out.push(Attention {
            category: Concern::Overdue,
            id: id(&r.id),
            what: format!("SLO review overdue by {} days", -r.days_left),
        });
    }
    for x in &risks.expiring {
        let what = if x.days_left < 0 {
            format!("risk acceptance expired {} days ago", -x.days_left)
        } else {
            format!("risk acceptance expires in {} days", x.days_left)
        };
        out.push(Attention {
            category: Concern::Expiring,
            id: id(&x.id),
            what,
        });
    }
    if lint.errors > 0 {
        out.push(Attention {
            category: Concern::Lint,
            id: String::new(),
            what: format!("{} lint errors: run `cto lint`", lint.errors),
        });
    }
    out
}

/// One risk in a heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellRisk {
    pub id: String,
    pub title: String,
}

/// `[impact - 1][likelihood - 1]` → the risks there.
pub type RiskGrid = Vec<Vec<Vec<CellRisk>>>;

/// A roadmap item on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineItem {
    pub id: String,
    pub title: String,
    pub quarter: Quarter,
    pub horizon: String,
    pub status: String,
    pub depends_on: Vec<String>,
    pub stamp: Stamp,
}

/// An ADR in the decision graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionNode {
    pub id: String,
    pub title: String,
    pub status: String,
    /// The decision's own `date`, if any.
    pub date: Option<String>,
    pub stamp: Stamp,
}

/// An SLO's budget, for the bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetBar {
    pub id: String,
    pub service: String,
    pub objective: String,
    pub window: String,
    pub budget: String,
    pub budget_seconds: f64,
    pub status: String,
    pub stamp: Stamp,
    /// Against live data; `None` for an SLO that is not active (nothing to measure).
    pub live: Option<LiveBudget>,
}

/// The incidents of one quarter by severity (most severe first), for the trend picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentBar {
    pub quarter: String,
    /// (severity, count), in the order of the configured severities.
    pub counts: Vec<(String, usize)>,
    pub total: usize,
}

/// How many documents of a kind, with the word for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: &'static str,
    pub n: usize,
}

#[derive(Debug, Clone)]
pub struct Dashboard<'a> {
    pub title: &'static str,
    pub date: String,
    pub counts: Vec<Count>,
    pub lint: LintCounts,
    pub attention: Vec<Attention>,
    /// Owner and last change of each attention item's document (same order).
    pub attention_stamps: Vec<Stamp>,
    pub inherent: RiskGrid,
    pub residual: RiskGrid,
    /// The level of each cell's score, `[impact - 1][likelihood - 1]`.
    pub levels: Vec<Vec<&'static str>>,
    pub timeline: Vec<TimelineItem>,
    pub board: &'a Board,
    /// The last change of each board item, by id.
    pub changed: &'a std::collections::HashMap<String, String>,
    /// Effort against capacity per quarter (the roadmap report's).
    pub capacity: &'a [super::roadmap::QuarterEffort],
    pub budgets: Vec<BudgetBar>,
    pub live_source: &'a LiveSource,
    pub incidents: Vec<IncidentBar>,
    pub decisions: Vec<DecisionNode>,
    pub edges: Vec<Edge>,
    /// The full reports, as tables below the pictures.
    pub reports: &'a Reports,
}

pub fn build<'a>(
    corpus: &Corpus,
    ctx: &Context,
    reports: &'a Reports,
    lint: LintCounts,
    observed: &'a Observed,
) -> Dashboard<'a> {
    // Heat maps, with titles for the tooltips (one lookup by id per risk), and the
    // incidents that realised each risk (those that link to it).
    let mut realised: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for d in corpus.of_kind(Kind::Incident) {
        for r in d.links.iter().filter(|r| r.id.starts_with("RISK-")) {
            realised
                .entry(r.id.as_str())
                .or_default()
                .extend(d.id.as_deref());
        }
    }
    let grid = |g: &super::risks::Grid| -> RiskGrid {
        g.iter()
            .map(|row| {
                row.iter()
                    .map(|ids| {
                        ids.iter()
                            .map(|id| CellRisk {
                                id: id.clone(),
                                title: with_incidents(
                                    corpus
                                        .get(id)
                                        .map(|d| d.title_text().to_string())
                                        .unwrap_or_default(),
                                    realised.get(id.as_str()),
                                ),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    let levels = (1..=5u8)
        .map(|i| {
            (1..=5u8)
                .map(|l| ctx.config.bands.level(i * l).as_str())
                .collect()
        })
        .collect();

    let mut timeline: Vec<TimelineItem> = corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| !d.roadmap().is_some_and(|i| i.is(RoadmapStatus::Dropped)))
        .filter_map(|d| {
            let i = d.roadmap()?;
            Some(TimelineItem {
                id: d.id.clone()?,
                title: d.title_text().to_string(),
                quarter: i.quarter?,
                horizon: i.horizon.map_or_else(String::new, |h| h.to_string()),
                status: d.status_value().to_string(),
                depends_on: i.depends_on.iter().map(|r| r.id.clone()).collect(),
                stamp: observed.stamp(corpus, d.id.as_deref()?),
            })
        })
        .collect();
    timeline.sort_by(|a, b| (a.quarter, &a.id).cmp(&(b.quarter, &b.id)));

    let budgets =
        reports
            .slos
            .slos
            .iter()
            .map(|s| BudgetBar {
                id: s.id.clone().unwrap_or_default(),
                service: s.service.clone().unwrap_or_default(),
                objective: s.objective.map_or(String::new(), |o| format!("{o}%")),
                window: s.window.clone().unwrap_or_default(),
                budget: s
                    .error_budget
                    .map_or("-".into(), |b| crate::model::slo::human_duration(b.seconds)),
                budget_seconds: s.error_budget.map_or(0.0, |b| b.seconds.to_f64()),
                status: s.status.clone(),
                stamp: s
                    .id
                    .as_deref()
                    .map(|id| observed.stamp(corpus, id))
                    .unwrap_or_default(),
                live: s
                    .id
                    .as_deref()
                    .filter(|id| {
                        corpus
                            .get(id)
                            .and_then(|d| d.slo())
                            .is_some_and(|f| f.is(crate::model::SloStatus::Active))
                    })
                    .map(|id| {
                        observed.budgets.get(id).cloned().unwrap_or_else(|| {
                            LiveBudget::Unavailable {
                                reason: match observed.source {
                                    LiveSource::None => "no Prometheus to ask".into(),
                                    LiveSource::Prometheus { .. } => "not measured".into(),
                                },
                            }
                        })
                    }),
            })
            .collect();

    let severities = &reports.incidents.severities;
    let incidents = reports
        .incidents
        .by_quarter
        .iter()
        .map(|g| IncidentBar {
            quarter: g.name.clone(),
            counts: severities
                .iter()
                .map(|s| (s.clone(), g.by_severity.get(s).copied().unwrap_or(0)))
                .collect(),
            total: g.total,
        })
        .collect();

    let (nodes, edges) = decisions(corpus);
    let decisions = nodes
        .iter()
        .map(|d| DecisionNode {
            id: d.id.clone().unwrap_or_default(),
            title: d.title_text().to_string(),
            status: d.status_value().to_string(),
            date: d.field("date").and_then(|n| n.as_str()).map(str::to_string),
            stamp: d
                .id
                .as_deref()
                .map(|id| observed.stamp(corpus, id))
                .unwrap_or_default(),
        })
        .collect();
    let attention = attention(reports, lint);
    let attention_stamps = attention
        .iter()
        .map(|a| observed.stamp(corpus, &a.id))
        .collect();

    Dashboard {
        title: "Engineering leadership report",
        date: ctx.today.to_string(),
        counts: Kind::ALL
            .into_iter()
            .map(|k| Count {
                label: k.spec().heading,
                n: corpus.of_kind(k).count(),
            })
            .collect(),
        lint,
        attention,
        attention_stamps,
        inherent: grid(&reports.risks.heatmap.inherent),
        residual: grid(&reports.risks.heatmap.residual),
        levels,
        timeline,
        board: &reports.roadmaps.board,
        changed: &observed.changed,
        capacity: &reports.roadmaps.capacity,
        budgets,
        live_source: &observed.source,
        incidents,
        decisions,
        edges,
        reports,
    }
}

/// A risk's title, and the incidents that realised it.
fn with_incidents(title: String, incidents: Option<&Vec<&str>>) -> String {
    match incidents {
        Some(ids) if !ids.is_empty() => format!("{title} (realised by {})", ids.join(", ")),
        _ => title,
    }
}
