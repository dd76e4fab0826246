//! CTO109 invalid-filename: the rule and its page. The reader emits it: `model::load` (the
//! id from the file name).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That a document's file name yields its id: `NNNN-kebab-case-title.md` for ADRs, risks and
    /// roadmap items (an adr-tools style `adr-NNN-` prefix is accepted). README, index and
    /// template files in a documents directory are skipped.
    ///
    /// ## Why
    /// The number in the file name is the document's id (`ADR-0007`): links, supersede chains
    /// and reports refer to it.
    ///
    /// ## Example
    /// `docs/decisions/use-postgres.md`
    ///
    /// ## How to fix
    /// Rename the file with the next free number: `cto adr new` does this for new documents.
    pub static INVALID_FILENAME = {
        code: "CTO109",
        name: "invalid-filename",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A document's file name does not give it an id (`NNNN-title.md`).",
    }
}
