//! The shape of a kind's spec; each kind's own is in `model::kinds`.

use super::Kind;

/// The type a front matter field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A point in time: RFC 3339 with a UTC offset (`2026-03-01T14:05:00+01:00`), or a
    /// date alone (`2026-03-01`) where the time is not known.
    Timestamp,
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
    /// A list of mappings, each with these fields (an incident's action items).
    Records(&'static [FieldSpec]),
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

pub(crate) const fn field(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
    }
}

pub(crate) const fn required(name: &'static str, ty: FieldType) -> FieldSpec {
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

/// Everything the engine needs to know about one kind.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: Kind,
    /// Singular command name (`adr`); the plural (`adrs`) works too.
    pub name: &'static str,
    pub plural: &'static str,
    /// How people write it (`ADR`, `risk`).
    pub label: &'static str,
    /// How a count of them is headed (`ADRs`, `roadmap items`).
    pub heading: &'static str,
    /// Id prefix (`ADR` gives `ADR-0007`); `None` when the id is the file's name (SLOs).
    pub id_prefix: Option<&'static str>,
    pub default_dir: &'static str,
    pub fields: &'static [FieldSpec],
    pub statuses: &'static [&'static str],
    /// The status a new document starts in.
    pub initial_status: &'static str,
    /// Allowed status changes: from → to.
    pub transitions: &'static [(&'static str, &'static [&'static str])],
    /// Statuses (what they count as) that record the day they were entered in a date
    /// field the file does not have yet: (status, field).
    pub dated_statuses: &'static [(&'static str, &'static str)],
    /// Alternative sets of required sections; a document passes if it meets any.
    pub sections: &'static [SectionSet],
    /// The columns of `list` (id and status first, title last).
    pub columns: &'static [&'static str],
    /// The built-in template of `new` (`templates/<kind>.md`, embedded).
    pub template: &'static str,
    /// The kinds whose every document this kind's rules read (roadmap items for the
    /// capacity and cycles of one): `cto lint FILE` parses them all for a file of it.
    pub lint_context: &'static [Kind],
}
