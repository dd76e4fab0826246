//! CTO107 unknown-field: the rule and its page. The reader emits it: `model::validate` (in
//! documents a warning, in cto.yaml an error).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That each front matter key is a field of the document's kind. The value is kept as it is
    /// and nothing is lost; the warning catches typos (`staus:`) with a "did you mean".
    /// In `cto.yaml`, an unknown key is an error.
    ///
    /// ## Why
    /// A misspelt key means the real field is missing, and the value never reaches a report.
    ///
    /// ## Example
    /// ```yaml
    /// staus: accepted
    /// ```
    ///
    /// ## How to fix
    /// Correct the key, or set this rule to `off` in `cto.yaml` (`rules: { CTO107: off }`) when
    /// the repository keeps other tools' keys (Jekyll's `nav_order`, say) in its front matter.
    pub static UNKNOWN_FIELD = {
        code: "CTO107",
        name: "unknown-field",
        layer: File,
        kinds: ALL,
        severity: Warning,
        summary: "A front matter key is not one of the kind's fields (often a typo).",
    }
}
