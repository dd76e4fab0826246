//! Service level objectives: an objective over a window, an SLI to measure it, alerts.
//! The arithmetic (exact decimals, windows, budgets) is `model::slo`.

use serde::Serialize;
use serde_json::{Map, Value as Json, json};

use super::read::{cell, date, dated, text};
use super::{ReadContext, words};
use crate::model::Kind;
use crate::model::slo::{self as arith, Budget, Decimal, human_duration, parse_window};
use crate::model::spec::{FieldSpec, FieldType, KindSpec, field, required};
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

words! {
    pub enum SloStatus {
        Draft = "draft",
        Active = "active",
        Retired = "retired",
    }
}

const FIELDS: &[FieldSpec] = &[
    field("title", FieldType::Text),
    required("service", FieldType::Text),
    required("owner", FieldType::Text),
    field("status", FieldType::Status),
    field("description", FieldType::Text),
    required("objective", FieldType::Number),
    required("window", FieldType::Text),
    field("window_type", FieldType::Enum(&["rolling", "calendar"])),
    field(
        "calendar",
        FieldType::Map(&[
            field("start", FieldType::Text),
            field("timezone", FieldType::Text),
        ]),
    ),
    field("budgeting", FieldType::Enum(&["occurrences", "timeslices"])),
    // Checked by CTO504 (ratio or threshold shapes).
    required("sli", FieldType::Any),
    field(
        "alerting",
        FieldType::Map(&[
            field("page", FieldType::Bool),
            field("ticket", FieldType::Bool),
            field("runbook", FieldType::Text),
        ]),
    ),
    field("review", FieldType::Map(super::risk::REVIEW)),
    field("tags", FieldType::List),
    field("links", FieldType::Refs),
];

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Slo,
    name: "slo",
    plural: "slos",
    label: "SLO",
    heading: "SLOs",
    id_prefix: None,
    default_dir: "docs/slos",
    fields: FIELDS,
    statuses: SloStatus::WORDS,
    initial_status: "draft",
    transitions: &[
        ("draft", &["active", "retired"]),
        ("active", &["retired"]),
        ("retired", &["active"]),
    ],
    dated_statuses: &[],
    sections: &[],
    columns: &[
        "id",
        "status",
        "service",
        "objective",
        "window",
        "budget",
        "owner",
        "title",
    ],
    template: include_str!("../../../templates/slo.md"),
    lint_context: &[Kind::Slo],
};

/// An SLO's front matter, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SloFields {
    /// The built-in status its status counts as.
    pub status: Option<SloStatus>,
    pub service: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    /// The objective as written (a percent), read from the file's text, not a float.
    pub objective: Option<(Decimal, Span)>,
    /// The window as written, its length in seconds if it parses, and its span.
    pub window: Option<(String, Option<i64>, Span)>,
    pub window_type: Option<String>,
    pub calendar_start: Option<String>,
    pub calendar_timezone: Option<String>,
    pub budgeting: Option<String>,
    pub sli: Option<Sli>,
    pub alerting: Option<Alerting>,
    pub review_last: Option<jiff::civil::Date>,
    pub review_next: Option<(jiff::civil::Date, Span)>,
}

impl SloFields {
    /// The error budget, when the objective and window are usable.
    pub fn budget(&self) -> Option<Budget> {
        let (objective, _) = self.objective?;
        let seconds = self.window.as_ref()?.1?;
        let pct = objective.rational();
        let in_range = pct.num > 0 && pct.den.checked_mul(100).is_some_and(|max| pct.num <= max);
        if in_range {
            arith::budget(objective, seconds)
        } else {
            None
        }
    }

    pub fn window_seconds(&self) -> Option<i64> {
        self.window.as_ref()?.1
    }

    pub fn is(&self, status: SloStatus) -> bool {
        self.status == Some(status)
    }
}

/// How an SLI is measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sli {
    /// Good or bad events over total events.
    Ratio {
        good: Option<String>,
        bad: Option<String>,
        total: Option<String>,
    },
    /// A measurement compared with a value (`latency < 300`).
    Threshold {
        query: Option<String>,
        op: Option<String>,
        value: Option<String>,
    },
    /// A `type` cto does not know, or none.
    Other(Option<String>),
}

/// Where an SLO's alerts go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alerting {
    pub page: bool,
    pub ticket: bool,
    pub runbook: Option<String>,
}

/// An error budget as reports show it: a ratio, seconds, and words.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBudget {
    pub ratio: f64,
    pub seconds: Seconds,
    pub human: String,
}

/// Whole seconds as an integer, else a float.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum Seconds {
    Whole(i128),
    Fraction(f64),
}

impl ErrorBudget {
    pub fn of(slo: &SloFields) -> Option<ErrorBudget> {
        slo.budget().map(|b| ErrorBudget::from_budget(&b))
    }

    pub fn from_budget(b: &Budget) -> ErrorBudget {
        ErrorBudget {
            ratio: b.ratio.to_f64(),
            seconds: if b.seconds.is_integer() {
                Seconds::Whole(b.seconds.num)
            } else {
                Seconds::Fraction(b.seconds.to_f64())
            },
            human: human_duration(b.seconds),
        }
    }
}

pub(super) fn read(meta: &Node, cx: &ReadContext<'_>) -> SloFields {
    let sli = meta.get("sli").map(|s| {
        let q = |k: &str| text(s.get(k));
        match q("type").as_deref() {
            Some("ratio") => Sli::Ratio {
                good: q("good"),
                bad: q("bad"),
                total: q("total"),
            },
            Some("threshold") => Sli::Threshold {
                query: q("query"),
                op: q("op"),
                value: q("value"),
            },
            other => Sli::Other(other.map(str::to_string)),
        }
    });
    let alerting = meta.get("alerting").map(|a| Alerting {
        page: matches!(a.get("page").map(|n| &n.value), Some(Value::Bool(true))),
        ticket: matches!(a.get("ticket").map(|n| &n.value), Some(Value::Bool(true))),
        runbook: text(a.get("runbook")),
    });
    let review = meta.get("review");
    SloFields {
        status: cx.status.and_then(|s| SloStatus::parse(&s.counts_as)),
        service: text(meta.get("service")),
        owner: text(meta.get("owner")),
        description: text(meta.get("description")),
        objective: meta.get("objective").and_then(|n| match n.value {
            // The file's own digits: `99.9` stays 99.9, never 99.90000000000001; more
            // digits than the arithmetic keeps exactly is a finding (CTO501), not a rounding.
            Value::Int(_) | Value::Float(_) => {
                Decimal::parse(cx.source.slice(n.span)).map(|d| (d, n.span))
            }
            _ => None,
        }),
        window: meta.get("window").and_then(|n| {
            let t = n.scalar_text()?;
            Some((t.clone(), parse_window(&t), n.span))
        }),
        window_type: text(meta.get("window_type")),
        calendar_start: text(meta.get("calendar").and_then(|c| c.get("start"))),
        calendar_timezone: text(meta.get("calendar").and_then(|c| c.get("timezone"))),
        budgeting: text(meta.get("budgeting")),
        sli,
        alerting,
        review_last: date(review.and_then(|r| r.get("last"))),
        review_next: dated(review.and_then(|r| r.get("next"))),
    }
}

pub(super) fn cells(s: &SloFields) -> Vec<String> {
    vec![
        cell(s.service.as_ref()),
        cell(s.objective.map(|o| o.0)),
        cell(s.window.as_ref().map(|w| &w.0)),
        cell(s.budget().map(|b| human_duration(b.seconds))),
        cell(s.owner.as_ref()),
    ]
}

pub(super) fn row(s: &SloFields, m: &mut Map<String, Json>) {
    m.insert("service".into(), json!(s.service));
    m.insert("owner".into(), json!(s.owner));
    m.insert(
        "objective".into(),
        json!(s.objective.map(|(o, _)| o.rational().to_f64())),
    );
    m.insert("window".into(), json!(s.window.as_ref().map(|w| &w.0)));
    m.insert("error_budget".into(), json!(ErrorBudget::of(s)));
    m.insert(
        "alerting".into(),
        json!(
            s.alerting
                .as_ref()
                .map(|a| json!({"page": a.page, "ticket": a.ticket, "runbook": a.runbook}))
        ),
    );
}
