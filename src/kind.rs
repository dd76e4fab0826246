//! The kinds of document, as a plain enum every layer can name.

use serde::Serialize;

/// A kind of document. What each kind is (directory, id, fields, statuses) is its spec,
/// `Kind::spec()` in the model. Every list of kinds is [`Kind::ALL`]; the command line's
/// choices come from this enum too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Adr,
    Risk,
    Slo,
    Roadmap,
    Incident,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Adr,
        Kind::Risk,
        Kind::Slo,
        Kind::Roadmap,
        Kind::Incident,
    ];
}
