//! CTO110 non-canonical-status: the rule and its page. The reader emits it: `model::load`
//! (reading `status`), with a fix.

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That a status read leniently (`✅ Accepted.`, `Superseded by [ADR-0012](0012-x.md)`) is
    /// written the way cto writes it (`accepted`, `superseded by ADR-0012`).
    ///
    /// ## Why
    /// Other tools and scripts compare status strings exactly; one spelling keeps them all
    /// working.
    ///
    /// ## Example
    /// ```yaml
    /// status: Accepted.
    /// ```
    ///
    /// ## How to fix
    /// Write the canonical form shown in the message; `cto lint --fix` does it.
    pub static NON_CANONICAL_STATUS = {
        code: "CTO110",
        name: "non-canonical-status",
        layer: File,
        kinds: [Adr],
        severity: Warning,
        summary: "A status is understood but not written in its canonical form.",
    }
}
