//! What makes each kind different, one module per kind: its spec (directory, id, fields,
//! statuses and their transitions, sections, list columns), its typed front matter with
//! an enum for every closed set of values, and how it is read from a front matter
//! mapping. Everything else (loading, validation, checks, reports) works from these.
//!
//! Adding a kind is a variant of [`Kind`], a module here registered in the matches of
//! this file (the compiler points at each: none has a catch-all arm), and a template.

pub mod adr;
pub mod incident;
pub mod read;
pub mod risk;
pub mod roadmap;
pub mod slo;

use serde_json::{Map, Value as Json};

use super::spec::KindSpec;
use super::{Document, Kind, Settings, Status};
use crate::diagnostic::Diagnostic;
use crate::parse::yaml::Node;

pub use adr::{AdrFields, AdrStatus};
pub use incident::{ActionItem, IncidentFields, IncidentPolicy, IncidentStatus};
pub use risk::{Acceptance, Bands, RiskFields, RiskLevel, RiskStatus, Treatment};
pub use roadmap::{Horizon, ItemType, Outcome, RoadmapFields, RoadmapStatus};
pub use slo::{Alerting, Sli, SloFields, SloStatus};

/// Declares an enum of the words a field may hold: `ALL`, `WORDS` (for the spec),
/// `as_str`, a lenient `parse` (any case, surrounding space), `Display` and `Serialize`
/// as the word.
macro_rules! words {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The value a word names, in any case, ignoring surrounding space.
            pub fn parse(word: &str) -> Option<Self> {
                let word = word.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(word))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use words;

/// The typed front matter of each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fields {
    Adr(AdrFields),
    Risk(RiskFields),
    Roadmap(RoadmapFields),
    Slo(Box<SloFields>),
    Incident(Box<IncidentFields>),
    /// No readable metadata (the file could not be read, or has no front matter).
    None,
}

impl Kind {
    pub fn spec(self) -> &'static KindSpec {
        match self {
            Kind::Adr => &adr::SPEC,
            Kind::Risk => &risk::SPEC,
            Kind::Slo => &slo::SPEC,
            Kind::Roadmap => &roadmap::SPEC,
            Kind::Incident => &incident::SPEC,
        }
    }
}

impl Fields {
    /// The references a kind's own fields make (`links` aside), with the field that
    /// makes each: what the reference checks and reports follow.
    pub fn references(&self) -> Vec<(&super::Ref, &'static str)> {
        match self {
            Fields::Adr(a) => a.supersedes.iter().map(|r| (r, "supersedes")).collect(),
            Fields::Roadmap(i) => i.depends_on.iter().map(|r| (r, "depends_on")).collect(),
            Fields::Incident(i) => i.references().collect(),
            Fields::Risk(_) | Fields::Slo(_) | Fields::None => Vec::new(),
        }
    }
}

/// What a kind's reader gets besides the mapping.
pub struct ReadContext<'a> {
    pub path: &'a str,
    pub source: &'a crate::source::Source,
    pub format: super::Format,
    pub status: Option<&'a Status>,
    pub settings: &'a Settings,
    /// Whether findings are wanted (not for a list's rows): a reader may skip the work
    /// that only makes them.
    pub findings: bool,
}

/// Reads a kind's typed fields from its metadata mapping, reporting what only the
/// kind knows is wrong.
pub(super) fn read(
    kind: Kind,
    meta: &Node,
    cx: &ReadContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Fields {
    match kind {
        Kind::Adr => Fields::Adr(adr::read(meta, cx, diags)),
        Kind::Risk => Fields::Risk(risk::read(meta, cx, diags)),
        Kind::Slo => Fields::Slo(Box::new(slo::read(meta, cx))),
        Kind::Roadmap => Fields::Roadmap(roadmap::read(meta, cx)),
        Kind::Incident => Fields::Incident(Box::new(incident::read(meta, cx, diags))),
    }
}

/// A document's cells under its kind's `spec().columns`, for tables and CSV.
pub fn cells(doc: &Document, settings: &Settings) -> Vec<String> {
    let id = doc.id.clone().unwrap_or_default();
    let status = match &doc.status {
        Some(s) => s.canonical.clone(),
        None => doc.status_value().to_string(),
    };
    let title = doc.title_text().to_string();
    let own = match &doc.fields {
        Fields::Adr(a) => adr::cells(a),
        Fields::Risk(r) => risk::cells(r, settings),
        Fields::Roadmap(i) => roadmap::cells(i),
        Fields::Slo(s) => slo::cells(s),
        Fields::Incident(i) => incident::cells(i),
        // Unreadable front matter: the row keeps the kind's columns, title last.
        Fields::None => vec![String::new(); doc.kind.spec().columns.len().saturating_sub(3)],
    };
    let mut row = Vec::with_capacity(own.len() + 3);
    row.push(id);
    row.push(status);
    row.extend(own);
    row.push(title);
    row
}

/// A document's JSON row: the common keys, then the kind's own (README "JSON output").
pub fn row(doc: &Document, settings: &Settings) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("id".into(), Json::from(doc.id.clone()));
    m.insert("kind".into(), Json::from(doc.kind.name()));
    m.insert("title".into(), Json::from(doc.title_text()));
    m.insert("status".into(), Json::from(doc.status_value()));
    m.insert("path".into(), Json::from(doc.path()));
    match &doc.fields {
        Fields::Adr(a) => adr::row(doc, a, &mut m),
        Fields::Risk(r) => risk::row(r, settings, &mut m),
        Fields::Roadmap(i) => roadmap::row(i, &mut m),
        Fields::Slo(s) => slo::row(s, &mut m),
        Fields::Incident(i) => incident::row(i, &mut m),
        Fields::None => {}
    }
    m.insert("links".into(), read::ids_json(&doc.links));
    m
}
