//! CTO102 front-matter: the rule and its page. The reader emits it: `model::load`
//! (splitting the front matter).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That a document opens with a YAML front matter block (`---` on the first line, closed by
    /// `---` or `...`) when its kind needs one, and that an opened block is closed. ADRs written
    /// in the adr-tools or MADR 2 styles (a `## Status` section, `- Status:` bullets) are read
    /// without front matter.
    ///
    /// ## Why
    /// The front matter carries the fields every report is built from. An unclosed block turns
    /// the whole document into YAML, or the YAML into prose.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// status: accepted
    /// date: 2024-03-01
    /// # Use PostgreSQL
    /// ```
    ///
    /// ## How to fix
    /// Close the block with a line holding only `---`, or add one at the top of the file.
    pub static FRONT_MATTER = {
        code: "CTO102",
        name: "front-matter",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "Front matter is missing where it is required, or is never closed.",
    }
}
