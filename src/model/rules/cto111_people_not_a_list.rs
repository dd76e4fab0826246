//! CTO111 people-not-a-list: the rule and its page. The reader emits it: `model::load`
//! (reading the people fields of an ADR), with a fix.

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That `decision-makers`, `consulted` and `informed` in YAML front matter are lists, as
    /// MADR 4 writes them. A comma-separated string is read correctly, and `--fix` rewrites it
    /// when the split is certain: names separated by `;`, or by commas where no two
    /// neighbouring parts are single words. `Doe, Jane` may be one person written surname
    /// first, so `--fix` leaves it and the help shows both lists.
    ///
    /// ## Why
    /// Other tools (log4brains, site generators, scripts) read these fields as lists; a string
    /// becomes one person called `Ana, Bo`. MADR's own template writes a string, so the rule is
    /// a style choice, off unless cto.yaml turns it on: `rules: { CTO111: warn }`.
    ///
    /// ## Example
    /// ```yaml
    /// decision-makers: Ana Lima, Bo Chen
    /// ```
    ///
    /// ## How to fix
    /// `cto lint --fix`, or write `decision-makers: [Ana Lima, Bo Chen]`.
    pub static PEOPLE_NOT_A_LIST = {
        code: "CTO111",
        name: "people-not-a-list",
        layer: File,
        kinds: [Adr],
        severity: Warning,
        summary: "A people field (`decision-makers`, `consulted`, `informed`) is a string, not a list.",
        opt_in: true,
    }
}
