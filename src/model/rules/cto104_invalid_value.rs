//! CTO104 invalid-value: the rule and its page. The reader emits it: `model::validate`
//! (enum fields, ids, quarters), `model::load` (statuses, risk categories), `config` and
//! `workspace` (cto.yaml).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That enumerated fields (`status`, and per kind fields such as a risk's `category`) hold
    /// one of their allowed values. Near misses get a "did you mean". Teams with their own
    /// ADR statuses declare them under `adr.statuses` in `cto.yaml`.
    ///
    /// ## Why
    /// Reports group and count by these values; a typo silently drops a document from a
    /// column of the board or from the count of accepted decisions.
    ///
    /// ## Example
    /// ```yaml
    /// status: acepted
    /// ```
    ///
    /// ## How to fix
    /// Use one of the listed values (`accepted`), or declare the team's own status in
    /// `cto.yaml`:
    /// ```yaml
    /// adr:
    ///   statuses: { living: accepted }
    /// ```
    pub static INVALID_VALUE = {
        code: "CTO104",
        name: "invalid-value",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A field holds a value outside its allowed set (a status, an enum).",
    }
}
