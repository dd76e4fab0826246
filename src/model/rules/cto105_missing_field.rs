//! CTO105 missing-field: the rule and its page. The reader emits it: `model::validate`
//! (required fields) and `config` (cto.yaml).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That the fields a kind requires are present: for an ADR, `status` and `date`.
    ///
    /// ## Why
    /// A decision without a status cannot be told apart from a draft; one without a date cannot
    /// be placed in the history the reports show.
    ///
    /// ## Example
    /// ```yaml
    /// ---
    /// decision-makers: [Ana]
    /// ---
    /// ```
    ///
    /// ## How to fix
    /// Add the field to the front matter (`status: proposed`, `date: 2024-03-01`).
    pub static MISSING_FIELD = {
        code: "CTO105",
        name: "missing-field",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A required front matter field is missing.",
    }
}
