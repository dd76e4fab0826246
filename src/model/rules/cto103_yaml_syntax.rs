//! CTO103 yaml-syntax: the rule and its page. The reader emits it: `model::load` (parsing
//! the front matter) and `config` (cto.yaml).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That the front matter parses as a YAML mapping: valid syntax, no duplicate keys, no
    /// aliases that expand beyond reason, no nesting deeper than 64 levels.
    ///
    /// ## Why
    /// Other tools (static site generators, GitHub's renderer) read the same block; a syntax
    /// error means each of them sees something different, or nothing.
    ///
    /// ## Example
    /// ```yaml
    /// status: accepted
    /// decision-makers: [Ana, Bo
    /// ```
    ///
    /// ## How to fix
    /// Fix the YAML at the position shown. Quote values that contain `: ` or start with `[`,
    /// `{`, `*`, `&`, `!`, `%` or `@`.
    pub static YAML_SYNTAX = {
        code: "CTO103",
        name: "yaml-syntax",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "The front matter is not valid YAML (syntax, duplicate keys, or a document too large or deep).",
    }
}
