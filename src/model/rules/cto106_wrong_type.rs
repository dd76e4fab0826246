//! CTO106 wrong-type: the rule and its page. The reader emits it: `model::validate` (field
//! types), `model::load` (`status`) and `config` (cto.yaml).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That every known field has the type its kind defines: strings, lists of strings, dates,
    /// numbers, mappings.
    ///
    /// ## Why
    /// A wrongly typed value is dropped or misread by every report and export that uses it.
    ///
    /// ## Example
    /// ```yaml
    /// tags: storage
    /// links: ADR-0002
    /// ```
    ///
    /// ## How to fix
    /// Write the value in the expected form (`tags: [storage]`, `links: [ADR-0002]`).
    pub static WRONG_TYPE = {
        code: "CTO106",
        name: "wrong-type",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A field has the wrong type (a list where a string belongs, a number where a date belongs).",
    }
}
