//! Architecture decision records: MADR 4 front matter, or the metadata adr-tools and
//! MADR 2/3 keep in the body (read by `model::adr`).

use serde_json::{Map, Value as Json};

use super::read::{date, ids_json, people, people_are_certain, refs, strip_word};
use super::{ReadContext, words};
use crate::diagnostic::Diagnostic;
use crate::model::rules::PEOPLE_NOT_A_LIST;
use crate::model::spec::{FieldSpec, FieldType, KindSpec, SectionSet, field, required};
use crate::model::{Document, Format, Kind, Ref, parse_ref};
use crate::parse::scalar::yaml_list;
use crate::parse::yaml::Node;

words! {
    /// The built-in ADR statuses; a team's own (`living`) each count as one of these.
    pub enum AdrStatus {
        Proposed = "proposed",
        Accepted = "accepted",
        Rejected = "rejected",
        Deprecated = "deprecated",
        Superseded = "superseded",
    }
}

impl AdrStatus {
    /// The built-in status a status word teams commonly write counts as (`living`,
    /// `approved` and `final` are accepted; `draft` and `in review` proposed; `withdrawn`
    /// rejected; `obsolete` deprecated): how `init` adopts a team's vocabulary and
    /// `migrate` rewrites it. `word` is normalised (`model::status::normalize`).
    pub fn class_of(word: &str) -> Option<AdrStatus> {
        Some(match word {
            "living" | "approved" | "decided" | "final" | "adopted" | "agreed" | "active"
            | "implemented" | "done" | "complete" | "completed" | "in effect" | "current"
            // Still in force for what was not replaced or amended.
            | "partly superseded" | "partly superseded by" | "partially superseded"
            | "partially superseded by" | "amended" | "amended by" => AdrStatus::Accepted,
            "draft" | "pending" | "review" | "pending review" | "in review" | "under review"
            | "in-progress" | "in progress" | "experimental" | "open" | "wip"
            | "work in progress" | "rfc" | "discussion" | "new" | "planned" | "proposal"
            | "on hold" | "paused" | "postponed" | "deferred" => {
                AdrStatus::Proposed
            }
            "withdrawn" | "stagnant" | "abandoned" | "declined" | "dropped" | "cancelled"
            | "canceled" => AdrStatus::Rejected,
            "obsolete" | "retired" | "archived" | "replaced" | "outdated" => AdrStatus::Deprecated,
            _ => return None,
        })
    }
}

impl AdrStatus {
    /// The built-in ADR status a status written in another language names.
    pub fn translated(word: &str) -> Option<AdrStatus> {
        Some(match word {
            "提议"
            | "提議"
            | "建议"
            | "已提议"
            | "提案"
            | "proposé"
            | "proposée"
            | "propuesto"
            | "propuesta"
            | "proposto"
            | "proposta"
            | "vorgeschlagen"
            | "предложено" => AdrStatus::Proposed,
            "接受" | "已接受" | "采纳" | "已采纳" | "通过" | "已通过" | "承認" | "承認済み"
            | "accepté" | "acceptée" | "adopté" | "adoptée" | "aceptado" | "aceptada"
            | "aceito" | "aceita" | "accettato" | "akzeptiert" | "angenommen" | "принято" => {
                AdrStatus::Accepted
            }
            "拒绝" | "已拒绝" | "否决" | "却下" | "rejeté" | "rejetée" | "refusé" | "refusée"
            | "rechazado" | "rechazada" | "rejeitado" | "rifiutato" | "abgelehnt" | "отклонено" => {
                AdrStatus::Rejected
            }
            "废弃" | "已废弃" | "弃用" | "已弃用" | "過時" | "非推奨" | "obsolète" | "déprécié"
            | "dépréciée" | "obsoleto" | "obsoleta" | "deprecado" | "descontinuado"
            | "veraltet" | "устарело" => AdrStatus::Deprecated,
            "取代" | "已取代" | "被取代" | "已被取代" | "置換" | "remplacé" | "remplacée"
            | "reemplazado" | "sustituido" | "substituído" | "sostituito" | "ersetzt"
            | "заменено" => AdrStatus::Superseded,
            _ => return None,
        })
    }
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

const FIELDS: &[FieldSpec] = &[
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
];

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Adr,
    name: "adr",
    plural: "adrs",
    label: "ADR",
    heading: "ADRs",
    id_prefix: Some("ADR"),
    default_dir: "docs/decisions",
    fields: FIELDS,
    statuses: AdrStatus::WORDS,
    initial_status: "proposed",
    transitions: &[
        ("proposed", &["accepted", "rejected", "superseded"]),
        ("accepted", &["deprecated", "superseded"]),
        ("rejected", &["proposed"]),
        ("deprecated", &["superseded"]),
        ("superseded", &[]),
    ],
    dated_statuses: &[],
    sections: &[MADR_SECTIONS, NYGARD_SECTIONS],
    columns: &["id", "status", "date", "title"],
    template: include_str!("../../../templates/adr-madr.md"),
    lint_context: &[],
};

/// An ADR's front matter, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdrFields {
    /// The built-in status its status counts as.
    pub status: Option<AdrStatus>,
    pub date: Option<jiff::civil::Date>,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub tags: Vec<String>,
    pub supersedes: Vec<Ref>,
}

impl AdrFields {
    pub fn is(&self, status: AdrStatus) -> bool {
        self.status == Some(status)
    }
}

pub(super) fn read(meta: &Node, cx: &ReadContext<'_>, diags: &mut Vec<Diagnostic>) -> AdrFields {
    let mut supersedes = refs(meta.get("supersedes"), Kind::Adr);
    if let Some(node) = meta.get("status") {
        // `accepted; supersedes ADR-0045`
        let raw = node.scalar_text().unwrap_or_default();
        if let Some((_, rest)) = raw.split_once(';')
            && let Some(target) = strip_word(rest.trim(), "supersedes")
            && let Some(id) = parse_ref(target, Kind::Adr)
        {
            supersedes.push(Ref {
                id,
                span: node.span,
            });
        }
    }
    if cx.format == Format::FrontMatter && cx.findings {
        for name in ["decision-makers", "consulted", "informed"] {
            if let Some(node) = meta.get(name)
                && let Some(s) = node.as_str()
            {
                let names: Vec<String> = people(Some(node));
                let list = yaml_list(&names);
                let found = Diagnostic::new(
                    &PEOPLE_NOT_A_LIST,
                    cx.path,
                    node.span,
                    format!("`{name}` is the string `{s}`; write it as a list"),
                );
                diags.push(if people_are_certain(s) {
                    found
                        .with_help(format!("write `{name}: {list}`"))
                        .with_fix(name, list)
                } else {
                    // `Doe, Jane` may be one person, surname first: no fix guesses.
                    found.with_help(format!(
                        "write `{name}: {}` if that is one person, `{name}: {list}` if they are {} people",
                        yaml_list(&[s.trim().to_string()]),
                        names.len()
                    ))
                });
            }
        }
    }
    AdrFields {
        status: cx.status.and_then(|s| AdrStatus::parse(&s.counts_as)),
        date: date(meta.get("date")),
        decision_makers: people(meta.get("decision-makers")),
        consulted: people(meta.get("consulted")),
        informed: people(meta.get("informed")),
        tags: people(meta.get("tags")),
        supersedes,
    }
}

pub(super) fn cells(a: &AdrFields) -> Vec<String> {
    vec![a.date.map_or_else(String::new, |d| d.to_string())]
}

pub(super) fn row(doc: &Document, a: &AdrFields, m: &mut Map<String, Json>) {
    m.insert("date".into(), Json::from(a.date.map(|d| d.to_string())));
    m.insert(
        "superseded_by".into(),
        Json::from(
            doc.status
                .as_ref()
                .and_then(|s| s.superseded_by.as_ref())
                .map(|r| r.id.clone()),
        ),
    );
    m.insert("supersedes".into(), ids_json(&a.supersedes));
    m.insert(
        "decision_makers".into(),
        Json::from(a.decision_makers.clone()),
    );
    m.insert("tags".into(), Json::from(a.tags.clone()));
    m.insert(
        "format".into(),
        serde_json::to_value(doc.format).unwrap_or(Json::Null),
    );
}

/// Headings that name the same section of a decision record: MADR's and Nygard's
/// names for it, and the variants teams write. The first of each is its key.
const SECTION_SYNONYMS: &[&[&str]] = &[
    &[
        "context",
        "context and problem statement",
        "problem statement",
        "context and problem",
        "problem",
        "background",
    ],
    &["decision", "decision outcome", "outcome"],
    &["considered options", "options considered", "options"],
    &["decision drivers", "drivers"],
];

/// The key under which a heading (normalized: lowercase, no number, no trailing colon)
/// is counted and matched: its synonym group's first name, else the heading itself.
pub fn section_key(normalized: &str) -> &str {
    SECTION_SYNONYMS
        .iter()
        .find(|group| group.contains(&normalized))
        .map_or(normalized, |group| group[0])
}

/// Whether a written heading is the section `wanted` (both normalized): the same
/// words, names of one section (`Context` and `Context and Problem Statement`), or
/// `wanted` with more after `and` (`Consequences and risks`).
pub fn section_matches(heading: &str, wanted: &str) -> bool {
    heading == wanted
        || section_key(heading) == section_key(wanted)
        || heading
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with(" and "))
}
