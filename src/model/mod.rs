//! The model every command works on: a Corpus of Documents; what each kind is and how
//! its front matter reads is in `kinds`.

pub mod adr;
pub mod kinds;
mod load;
pub mod refs;
pub mod rules;
mod settings;
pub mod slo;
pub mod spec;
pub mod status;
mod validate;
pub mod values;

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::frontmatter::FrontMatter;
use crate::parse::markdown::Body;
use crate::parse::yaml::Node;
use crate::source::{Source, Span};

pub use crate::kind::Kind;
pub use kinds::{
    Acceptance, ActionItem, AdrFields, AdrStatus, Alerting, Bands, Fields, Horizon, IncidentFields,
    IncidentPolicy, IncidentStatus, ItemType, Outcome, RiskFields, RiskLevel, RiskStatus,
    RoadmapFields, RoadmapStatus, Sli, SloFields, SloStatus, Treatment,
};
pub use load::{
    Depth, DocumentFile, MAX_FILE_BYTES, document_from_bytes, load_document, load_documents,
    load_row, parse_at, parse_document, read_source, stub_document, too_large_document,
};
pub use refs::{Ref, parse_ref};
pub use settings::Settings;
pub use spec::KindSpec;
pub use status::{Status, StatusVocabulary};
pub use validate::parse_date;
pub use values::{Moment, Points, Quarter};

/// Validates a mapping against field specs (used for cto.yaml as for documents).
pub fn validate_mapping(
    map: &Node,
    fields: &[spec::FieldSpec],
    kind: Kind,
    path: &str,
    unknown: Severity,
    out: &mut Vec<Diagnostic>,
) {
    validate::Validator {
        path,
        kind,
        unknown,
        extra: &[],
        optional: &[],
        out,
    }
    .mapping(map, fields, Span::empty(0), "");
}

impl Kind {
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kind named by a command word, singular or plural, any case.
    pub fn from_name(name: &str) -> Option<Kind> {
        let name = name.to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.spec().name == name || k.spec().plural == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a document's metadata came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// YAML front matter (MADR 4 and every other kind).
    FrontMatter,
    /// adr-tools: a `Date:` line and a `## Status` section.
    AdrTools,
    /// MADR 2/3: `- Status:` and `- Date:` bullets under the title.
    Bullets,
    /// No metadata found.
    None,
}

/// A string value and where it stands in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// One file of one kind, parsed once, with everything the checks and reports read.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    pub source: Source,
    /// `ADR-0007`, `RISK-0003`, `RM-0012`, or an SLO's name; `None` if the file name gives none.
    pub id: Option<String>,
    pub number: Option<u32>,
    pub format: Format,
    pub front_matter: Option<FrontMatter>,
    /// The front matter is there but could not be read (invalid YAML, not a mapping):
    /// what it holds is unknown, and its error is the finding.
    pub front_matter_broken: bool,
    /// The metadata as a mapping: the front matter, or one built from adr-tools lines.
    pub meta: Option<Node>,
    pub title: Option<Text>,
    pub status: Option<Status>,
    /// The status word as written when it is none of the kind's vocabulary (`living`
    /// in a repository that has not declared it): listed as written, never as "".
    pub status_written: Option<String>,
    /// Rule codes the document silences for itself: `<!-- cto-ignore CTO201 CTO107 -->`.
    pub ignore: Vec<String>,
    pub links: Vec<Ref>,
    pub fields: Fields,
    pub body: Body,
    /// False when the content is not available: the file could not be read as text
    /// (CTO101), or was not read (a stub, known by its file name only).
    pub readable: bool,
    /// What reading and validating the file found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    pub fn path(&self) -> &str {
        &self.source.path
    }

    /// Where the markdown body starts (after the front matter).
    pub fn body_start(&self) -> usize {
        self.front_matter
            .as_ref()
            .and_then(|f| f.close)
            .map_or(0, |c| c.end)
    }

    pub fn title_text(&self) -> &str {
        self.title.as_ref().map_or("", |t| t.value.as_str())
    }

    /// The status word (`accepted`, `superseded`, a team's `living`), as written when
    /// it is not in the vocabulary, or "" when there is none.
    pub fn status_value(&self) -> &str {
        match (&self.status, &self.status_written) {
            (Some(s), _) => s.value.as_str(),
            (None, Some(w)) => w.as_str(),
            (None, None) => "",
        }
    }

    pub fn adr(&self) -> Option<&AdrFields> {
        match &self.fields {
            Fields::Adr(f) => Some(f),
            _ => None,
        }
    }

    pub fn risk(&self) -> Option<&RiskFields> {
        match &self.fields {
            Fields::Risk(f) => Some(f),
            _ => None,
        }
    }

    pub fn roadmap(&self) -> Option<&RoadmapFields> {
        match &self.fields {
            Fields::Roadmap(f) => Some(f),
            _ => None,
        }
    }

    pub fn incident(&self) -> Option<&IncidentFields> {
        match &self.fields {
            Fields::Incident(f) => Some(f),
            _ => None,
        }
    }

    pub fn slo(&self) -> Option<&SloFields> {
        match &self.fields {
            Fields::Slo(f) => Some(f),
            _ => None,
        }
    }

    /// The owner, for the kinds that have one.
    pub fn owner(&self) -> Option<&str> {
        match &self.fields {
            Fields::Risk(f) => f.owner.as_deref(),
            Fields::Roadmap(f) => f.owner.as_deref(),
            Fields::Slo(f) => f.owner.as_deref(),
            Fields::Incident(f) => f.owner.as_deref().or(f.commander.as_deref()),
            _ => self.field("owner").and_then(|n| n.as_str()),
        }
    }

    /// The span of a front matter value (`["review", "next"]`), or of the front matter's
    /// opening line when it is absent: where a finding about that field points.
    pub fn meta_span(&self, path: &[&str]) -> Span {
        let mut node = self.meta.as_ref();
        for key in path {
            node = node.and_then(|n| n.get(key));
        }
        node.map_or_else(
            || {
                self.front_matter
                    .as_ref()
                    .map_or(Span::empty(0), |f| f.open)
            },
            |n| n.span,
        )
    }

    /// A front matter value, for the generic listings.
    pub fn field(&self, name: &str) -> Option<&Node> {
        self.meta.as_ref().and_then(|m| m.get(name))
    }
}

/// All documents of a repository, in path order, indexed by id.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    by_id: HashMap<String, Vec<usize>>,
}

impl Corpus {
    /// Documents of a kind in number order (then path).
    pub fn sorted(&self, kind: Kind) -> Vec<&Document> {
        let mut docs: Vec<&Document> = self.of_kind(kind).collect();
        // Compared in place: a key of owned strings would be built for every comparison.
        docs.sort_by(|a, b| {
            (a.number.unwrap_or(u32::MAX), a.id.as_deref(), a.path()).cmp(&(
                b.number.unwrap_or(u32::MAX),
                b.id.as_deref(),
                b.path(),
            ))
        });
        docs
    }

    pub fn new(mut documents: Vec<Document>) -> Self {
        // Usually in path order already (walked and sorted): a stable sort's buffer is
        // as large as the documents, so it is made only when needed.
        if !documents.is_sorted_by(|a, b| a.source.path <= b.source.path) {
            documents.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        }
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in documents.iter().enumerate() {
            if let Some(id) = &d.id {
                by_id.entry(id.clone()).or_default().push(i);
            }
        }
        Corpus { documents, by_id }
    }

    /// Documents with this id (more than one is a duplicate).
    pub fn by_id(&self, id: &str) -> impl Iterator<Item = &Document> {
        self.by_id
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.documents[i])
    }

    pub fn get(&self, id: &str) -> Option<&Document> {
        self.by_id(id).next()
    }

    /// The document an id in `from` means: in a repository with several ADR logs, the
    /// one in `from`'s own log first (`ADR-0003` in a package's record is that
    /// package's), else the first that has the id.
    pub fn resolve(&self, id: &str, from: &Document, settings: &Settings) -> Option<&Document> {
        let log = settings.log_of(from.kind, from.path());
        self.by_id(id)
            .find(|d| log.is_some() && settings.log_of(d.kind, d.path()) == log)
            .or_else(|| self.get(id))
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(move |d| d.kind == kind)
    }

    /// The document at `path` (the documents are in path order: a binary search).
    pub fn at_path(&self, path: &str) -> Option<&Document> {
        self.documents
            .binary_search_by(|d| d.source.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.documents[i])
    }

    pub fn source(&self, path: &str) -> Option<&Source> {
        self.at_path(path).map(|d| &d.source)
    }
}
