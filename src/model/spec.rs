//! What differs between kinds, as data: directory, id, fields, statuses, sections.

use super::Kind;

/// The type a front matter field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    Bool,
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// The kind's status vocabulary (read leniently; see `model::status`).
    Status,
    /// A list of strings, or one comma-separated string (people, tags).
    Names,
    /// A list of strings.
    List,
    /// References to documents: a list of ids, or one id.
    Refs,
    /// A whole number in an inclusive range.
    Int {
        min: i64,
        max: i64,
    },
    Number,
    Map(&'static [FieldSpec]),
    /// A calendar quarter, `YYYY-Qn`.
    Quarter,
    /// Anything: checked by the kind's own rules.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
}

const fn field(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
    }
}

const fn required(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: true,
    }
}

/// A template's required sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSet {
    pub name: &'static str,
    pub sections: &'static [&'static str],
}

pub const MADR_SECTIONS: SectionSet = SectionSet {
    name: "MADR",
    sections: &[
        "Context and Problem Statement",
        "Considered Options",
        "Decision Outcome",
    ],
};

pub const NYGARD_SECTIONS: SectionSet = SectionSet {
    name: "Nygard",
    sections: &["Context", "Decision", "Consequences"],
};

/// Everything the engine needs to know about one kind.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: Kind,
    /// Singular command name (`adr`); the plural (`adrs`) works too.
    pub name: &'static str,
    pub plural: &'static str,
    /// How people write it (`ADR`, `risk`).
    pub label: &'static str,
    /// Id prefix (`ADR` gives `ADR-0007`); `None` when the id is the file's name (SLOs).
    pub id_prefix: Option<&'static str>,
    pub default_dir: &'static str,
    pub fields: &'static [FieldSpec],
    pub statuses: &'static [&'static str],
    /// The status a new document starts in.
    pub initial_status: &'static str,
    /// Allowed status changes: from → to.
    pub transitions: &'static [(&'static str, &'static [&'static str])],
    /// Alternative sets of required sections; a document passes if it meets any.
    pub sections: &'static [SectionSet],
}

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

const REVIEW: &[FieldSpec] = &[
    field("last", FieldType::Date),
    field("next", FieldType::Date),
];

pub static ADR: KindSpec = KindSpec {
    kind: Kind::Adr,
    name: "adr",
    plural: "adrs",
    label: "ADR",
    id_prefix: Some("ADR"),
    default_dir: "docs/decisions",
    fields: &[
        field("title", FieldType::Text),
        required("status", FieldType::Status),
        required("date", FieldType::Date),
        field("decision-makers", FieldType::Names),
        field("consulted", FieldType::Names),
        field("informed", FieldType::Names),
        field("tags", FieldType::Names),
        field("links", FieldType::Refs),
        field("supersedes", FieldType::Refs),
        field("amends", FieldType::Refs),
        field("amended-by", FieldType::Refs),
    ],
    statuses: &[
        "proposed",
        "accepted",
        "rejected",
        "deprecated",
        "superseded",
    ],
    initial_status: "proposed",
    transitions: &[
        ("proposed", &["accepted", "rejected", "superseded"]),
        ("accepted", &["deprecated", "superseded"]),
        ("rejected", &["proposed"]),
        ("deprecated", &["superseded"]),
        ("superseded", &[]),
    ],
    sections: &[MADR_SECTIONS, NYGARD_SECTIONS],
};

pub static RISK: KindSpec = KindSpec {
    kind: Kind::Risk,
    name: "risk",
    plural: "risks",
    label: "risk",
    id_prefix: Some("RISK"),
    default_dir: "docs/risks",
    fields: &[
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
        field(
            "treatment",
            FieldType::Enum(&["mitigate", "accept", "transfer", "avoid"]),
        ),
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
    ],
    statuses: &[
        "open",
        "mitigating",
        "accepted",
        "transferred",
        "avoided",
        "closed",
    ],
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
    sections: &[SectionSet {
        name: "risk",
        sections: &["Description"],
    }],
};

pub static SLO: KindSpec = KindSpec {
    kind: Kind::Slo,
    name: "slo",
    plural: "slos",
    label: "SLO",
    id_prefix: None,
    default_dir: "docs/slos",
    fields: &[
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
        field("review", FieldType::Map(REVIEW)),
        field("tags", FieldType::List),
        field("links", FieldType::Refs),
    ],
    statuses: &["draft", "active", "retired"],
    initial_status: "draft",
    transitions: &[
        ("draft", &["active", "retired"]),
        ("active", &["retired"]),
        ("retired", &["active"]),
    ],
    sections: &[],
};

pub static ROADMAP: KindSpec = KindSpec {
    kind: Kind::Roadmap,
    name: "roadmap",
    plural: "roadmaps",
    label: "roadmap item",
    id_prefix: Some("RM"),
    default_dir: "docs/roadmap",
    fields: &[
        field("title", FieldType::Text),
        field("owner", FieldType::Text),
        required("status", FieldType::Status),
        field("horizon", FieldType::Enum(&["now", "next", "later"])),
        field("quarter", FieldType::Quarter),
        field(
            "type",
            FieldType::Enum(&["feature", "migration", "platform", "debt", "experiment"]),
        ),
        field("effort", FieldType::Number),
        field("depends_on", FieldType::Refs),
        field("shipped", FieldType::Date),
        field(
            "outcome",
            FieldType::Enum(&["validated", "invalidated", "inconclusive"]),
        ),
        field("tags", FieldType::List),
        field("links", FieldType::Refs),
    ],
    statuses: &["exploring", "planned", "in-progress", "shipped", "dropped"],
    initial_status: "exploring",
    transitions: &[
        ("exploring", &["planned", "dropped"]),
        ("planned", &["in-progress", "exploring", "dropped"]),
        ("in-progress", &["shipped", "planned", "dropped"]),
        ("shipped", &[]),
        ("dropped", &["exploring"]),
    ],
    sections: &[SectionSet {
        name: "roadmap",
        sections: &["Outcome"],
    }],
};

impl Kind {
    pub fn spec(self) -> &'static KindSpec {
        match self {
            Kind::Adr => &ADR,
            Kind::Risk => &RISK,
            Kind::Slo => &SLO,
            Kind::Roadmap => &ROADMAP,
        }
    }
}
