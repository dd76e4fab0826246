//! Risk register entries: likelihood × impact, treatment, reviews, acceptance.

use serde_json::{Map, Value as Json, json};

use super::read::{cell, date, dated, scale, text, word};
use super::{ReadContext, words};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::rules::INVALID_VALUE;
use crate::model::spec::{FieldSpec, FieldType, KindSpec, SectionSet, field, required};
use crate::model::{Kind, Settings};
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

words! {
    pub enum RiskStatus {
        Open = "open",
        Mitigating = "mitigating",
        Accepted = "accepted",
        Transferred = "transferred",
        Avoided = "avoided",
        Closed = "closed",
    }
}

words! {
    pub enum Treatment {
        Mitigate = "mitigate",
        Accept = "accept",
        Transfer = "transfer",
        Avoid = "avoid",
    }
}

words! {
    /// A score's band (`risk.bands` in cto.yaml).
    pub enum RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

/// The categories a risk may have unless cto.yaml names its own.
pub const RISK_CATEGORIES: &[&str] = &[
    "security",
    "reliability",
    "compliance",
    "delivery",
    "vendor",
    "people",
    "cost",
    "other",
];

pub(crate) const REVIEW: &[FieldSpec] = &[
    field("last", FieldType::Date),
    field("next", FieldType::Date),
];

const FIELDS: &[FieldSpec] = &[
    field("title", FieldType::Text),
    required("owner", FieldType::Text),
    required("status", FieldType::Status),
    // Checked against `risk.categories` of cto.yaml (default: RISK_CATEGORIES).
    field("category", FieldType::Text),
    field("likelihood", FieldType::Int { min: 1, max: 5 }),
    field("impact", FieldType::Int { min: 1, max: 5 }),
    field(
        "residual",
        FieldType::Map(&[
            field("likelihood", FieldType::Int { min: 1, max: 5 }),
            field("impact", FieldType::Int { min: 1, max: 5 }),
        ]),
    ),
    field("score", FieldType::Int { min: 1, max: 25 }),
    field("treatment", FieldType::Enum(Treatment::WORDS)),
    field("identified", FieldType::Date),
    field("review", FieldType::Map(REVIEW)),
    field(
        "acceptance",
        FieldType::Map(&[
            field("by", FieldType::Text),
            field("date", FieldType::Date),
            field("expires", FieldType::Date),
        ]),
    ),
    field("closed", FieldType::Date),
    field("tags", FieldType::List),
    field("links", FieldType::Refs),
];

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Risk,
    name: "risk",
    plural: "risks",
    label: "risk",
    heading: "risks",
    id_prefix: Some("RISK"),
    default_dir: "docs/risks",
    fields: FIELDS,
    statuses: RiskStatus::WORDS,
    initial_status: "open",
    transitions: &[
        (
            "open",
            &["mitigating", "accepted", "transferred", "avoided", "closed"],
        ),
        (
            "mitigating",
            &["open", "accepted", "transferred", "avoided", "closed"],
        ),
        ("accepted", &["open", "mitigating", "closed"]),
        ("transferred", &["open", "closed"]),
        ("avoided", &["open", "closed"]),
        ("closed", &["open"]),
    ],
    dated_statuses: &[("closed", "closed")],
    sections: &[SectionSet {
        name: "risk",
        sections: &["Description"],
    }],
    columns: &[
        "id", "status", "score", "level", "category", "owner", "title",
    ],
    template: include_str!("../../../templates/risk.md"),
    lint_context: &[],
};

/// Risk score bands: a score up to `low` is low, up to `medium` medium, up to `high`
/// high, and above it critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    pub low: u8,
    pub medium: u8,
    pub high: u8,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            low: 4,
            medium: 9,
            high: 15,
        }
    }
}

impl Bands {
    pub fn level(&self, score: u8) -> RiskLevel {
        if score <= self.low {
            RiskLevel::Low
        } else if score <= self.medium {
            RiskLevel::Medium
        } else if score <= self.high {
            RiskLevel::High
        } else {
            RiskLevel::Critical
        }
    }
}

/// A risk's front matter, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskFields {
    /// The built-in status its status counts as.
    pub status: Option<RiskStatus>,
    pub owner: Option<String>,
    pub category: Option<String>,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    /// Residual (likelihood, impact) after treatment.
    pub residual: Option<(u8, u8)>,
    /// A `score` written in the file, with where it stands.
    pub typed_score: Option<(i64, Span)>,
    pub treatment: Option<Treatment>,
    pub identified: Option<jiff::civil::Date>,
    pub review_last: Option<jiff::civil::Date>,
    pub review_next: Option<(jiff::civil::Date, Span)>,
    pub acceptance: Option<Acceptance>,
    pub closed: Option<jiff::civil::Date>,
}

impl RiskFields {
    /// Inherent score, likelihood × impact (1–25).
    pub fn score(&self) -> Option<u8> {
        Some(self.likelihood? * self.impact?)
    }

    pub fn residual_score(&self) -> Option<u8> {
        self.residual.map(|(l, i)| l * i)
    }

    pub fn is(&self, status: RiskStatus) -> bool {
        self.status == Some(status)
    }

    /// Still a risk: not closed or avoided.
    pub fn is_live(&self) -> bool {
        !matches!(self.status, Some(RiskStatus::Closed | RiskStatus::Avoided))
    }
}

/// Who accepted a risk, when, and until when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acceptance {
    pub by: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub expires: Option<jiff::civil::Date>,
    pub span: Span,
}

pub(super) fn read(meta: &Node, cx: &ReadContext<'_>, diags: &mut Vec<Diagnostic>) -> RiskFields {
    let category = meta.get("category");
    if let Some(node) = category
        && let Some(c) = node.as_str()
    {
        let allowed = cx.settings.risk_categories();
        if !allowed.iter().any(|a| a == c) {
            let mut d = Diagnostic::new(
                &INVALID_VALUE,
                cx.path,
                node.span,
                format!(
                    "`category` is `{c}`, which is not one of: {}",
                    allowed.join(", ")
                ),
            );
            if let Some(m) = did_you_mean(c, allowed.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{m}`?"));
            }
            diags.push(d);
        }
    }
    let residual = meta.get("residual");
    let acceptance = meta.get("acceptance").map(|a| Acceptance {
        by: text(a.get("by")),
        date: date(a.get("date")),
        expires: date(a.get("expires")),
        span: a.span,
    });
    let review = meta.get("review");
    RiskFields {
        status: cx.status.and_then(|s| RiskStatus::parse(&s.counts_as)),
        owner: text(meta.get("owner")),
        category: text(category),
        likelihood: scale(meta.get("likelihood")),
        impact: scale(meta.get("impact")),
        residual: residual
            .and_then(|r| Some((scale(r.get("likelihood"))?, scale(r.get("impact"))?))),
        typed_score: meta.get("score").and_then(|n| match n.value {
            Value::Int(i) => Some((i, n.span)),
            _ => None,
        }),
        treatment: word(meta.get("treatment"), Treatment::parse),
        identified: date(meta.get("identified")),
        review_last: date(review.and_then(|r| r.get("last"))),
        review_next: dated(review.and_then(|r| r.get("next"))),
        acceptance,
        closed: date(meta.get("closed")),
    }
}

pub(super) fn cells(r: &RiskFields, settings: &Settings) -> Vec<String> {
    vec![
        cell(r.score()),
        cell(r.score().map(|s| settings.bands.level(s))),
        cell(r.category.as_ref()),
        cell(r.owner.as_ref()),
    ]
}

pub(super) fn row(r: &RiskFields, settings: &Settings, m: &mut Map<String, Json>) {
    let bands = settings.bands;
    m.insert("owner".into(), json!(r.owner));
    m.insert("category".into(), json!(r.category));
    m.insert("likelihood".into(), json!(r.likelihood));
    m.insert("impact".into(), json!(r.impact));
    m.insert("score".into(), json!(r.score()));
    m.insert("level".into(), json!(r.score().map(|s| bands.level(s))));
    m.insert(
        "residual".into(),
        match r.residual {
            Some((l, i)) => {
                json!({"likelihood": l, "impact": i, "score": l * i, "level": bands.level(l * i)})
            }
            None => Json::Null,
        },
    );
    m.insert("treatment".into(), json!(r.treatment));
    m.insert(
        "review_next".into(),
        json!(r.review_next.map(|(d, _)| d.to_string())),
    );
}
