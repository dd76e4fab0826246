//! Roadmap items: Now/Next/Later, quarters, effort, dependencies, outcomes.

use serde_json::{Map, Value as Json, json};

use super::read::{cell, date, ids_json, refs, text, word};
use super::{ReadContext, words};
use crate::model::spec::{FieldSpec, FieldType, KindSpec, SectionSet, field, required};
use crate::model::{Kind, Points, Quarter, Ref};
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

words! {
    pub enum RoadmapStatus {
        Exploring = "exploring",
        Planned = "planned",
        InProgress = "in-progress",
        Shipped = "shipped",
        Dropped = "dropped",
    }
}

words! {
    /// Now / Next / Later.
    pub enum Horizon {
        Now = "now",
        Next = "next",
        Later = "later",
    }
}

words! {
    pub enum ItemType {
        Feature = "feature",
        Migration = "migration",
        Platform = "platform",
        Debt = "debt",
        Experiment = "experiment",
    }
}

words! {
    /// What an experiment's hypothesis turned out to be.
    pub enum Outcome {
        Validated = "validated",
        Invalidated = "invalidated",
        Inconclusive = "inconclusive",
    }
}

impl Horizon {
    /// As a board's column is headed.
    pub fn heading(self) -> &'static str {
        match self {
            Horizon::Now => "Now",
            Horizon::Next => "Next",
            Horizon::Later => "Later",
        }
    }
}

const FIELDS: &[FieldSpec] = &[
    field("title", FieldType::Text),
    field("owner", FieldType::Text),
    required("status", FieldType::Status),
    field("horizon", FieldType::Enum(Horizon::WORDS)),
    field("quarter", FieldType::Quarter),
    field("type", FieldType::Enum(ItemType::WORDS)),
    field("effort", FieldType::Number),
    field("depends_on", FieldType::Refs),
    field("shipped", FieldType::Date),
    field("outcome", FieldType::Enum(Outcome::WORDS)),
    field("tags", FieldType::List),
    field("links", FieldType::Refs),
];

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Roadmap,
    name: "roadmap",
    plural: "roadmaps",
    label: "roadmap item",
    heading: "roadmap items",
    id_prefix: Some("RM"),
    default_dir: "docs/roadmap",
    fields: FIELDS,
    statuses: RoadmapStatus::WORDS,
    initial_status: "exploring",
    transitions: &[
        ("exploring", &["planned", "dropped"]),
        ("planned", &["in-progress", "exploring", "dropped"]),
        ("in-progress", &["shipped", "planned", "dropped"]),
        ("shipped", &[]),
        ("dropped", &["exploring"]),
    ],
    dated_statuses: &[("shipped", "shipped")],
    sections: &[SectionSet {
        name: "roadmap",
        sections: &["Outcome"],
    }],
    columns: &[
        "id", "status", "horizon", "quarter", "type", "effort", "owner", "title",
    ],
    template: include_str!("../../../templates/roadmap.md"),
    lint_context: &[Kind::Roadmap],
};

/// A roadmap item's front matter, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoadmapFields {
    /// The built-in status its status counts as.
    pub status: Option<RoadmapStatus>,
    pub owner: Option<String>,
    pub horizon: Option<Horizon>,
    pub quarter: Option<Quarter>,
    /// The item's `type`.
    pub item_type: Option<ItemType>,
    pub effort: Option<(Points, Span)>,
    pub depends_on: Vec<Ref>,
    pub shipped: Option<jiff::civil::Date>,
    pub outcome: Option<Outcome>,
    pub tags: Vec<String>,
}

impl RoadmapFields {
    pub fn is(&self, status: RoadmapStatus) -> bool {
        self.status == Some(status)
    }

    /// Neither shipped nor dropped.
    pub fn is_open(&self) -> bool {
        !matches!(
            self.status,
            Some(RoadmapStatus::Shipped | RoadmapStatus::Dropped)
        )
    }
}

pub(super) fn read(meta: &Node, cx: &ReadContext<'_>) -> RoadmapFields {
    RoadmapFields {
        status: cx.status.and_then(|s| RoadmapStatus::parse(&s.counts_as)),
        owner: text(meta.get("owner")),
        horizon: word(meta.get("horizon"), Horizon::parse),
        quarter: text(meta.get("quarter")).and_then(|q| Quarter::parse(&q)),
        item_type: word(meta.get("type"), ItemType::parse),
        effort: meta.get("effort").and_then(|n| match n.value {
            Value::Int(_) | Value::Float(_) => Some((Points::parse(&n.scalar_text()?)?, n.span)),
            _ => None,
        }),
        depends_on: refs(meta.get("depends_on"), Kind::Roadmap),
        shipped: date(meta.get("shipped")),
        outcome: word(meta.get("outcome"), Outcome::parse),
        tags: match meta.get("tags").map(|n| &n.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(|t| Some(t.scalar_text()?.trim().to_string()))
                .collect(),
            _ => Vec::new(),
        },
    }
}

pub(super) fn cells(i: &RoadmapFields) -> Vec<String> {
    vec![
        cell(i.horizon),
        cell(i.quarter),
        cell(i.item_type),
        cell(i.effort.map(|e| e.0)),
        cell(i.owner.as_ref()),
    ]
}

pub(super) fn row(i: &RoadmapFields, m: &mut Map<String, Json>) {
    m.insert("horizon".into(), json!(i.horizon));
    m.insert("quarter".into(), json!(i.quarter));
    m.insert("owner".into(), json!(i.owner));
    m.insert("effort".into(), json!(i.effort.map(|e| e.0)));
    m.insert("type".into(), json!(i.item_type));
    m.insert("depends_on".into(), ids_json(&i.depends_on));
    m.insert("shipped".into(), json!(i.shipped.map(|d| d.to_string())));
    m.insert("outcome".into(), json!(i.outcome));
}
