//! CTO413 accepted-adr-changed: the rule, its page and its check.

use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Document, Format};
use crate::source::Span;
use crate::model::{AdrStatus};

declare_rule! {
    /// ## What it checks
    /// With `cto lint --base REF`, that an ADR which was accepted at `REF` has the same body
    /// now: only its status and links may change (for adr-tools records, the `## Status`
    /// section; for MADR 2, the `Status:` line). Line endings and trailing spaces do not count.
    /// An ADR accepted at `REF` and deleted (or renamed) since is reported too.
    ///
    /// ## Why
    /// An accepted decision is a record of what was decided and why, at the time. Rewriting it
    /// hides the history; a new record that supersedes it keeps both.
    ///
    /// ## Example
    /// A pull request adds a sentence to `## Decision Outcome` of an accepted ADR.
    ///
    /// ## How to fix
    /// Revert the edit and write a new ADR: `cto adr new "…" --supersedes N`. Fixing a typo?
    /// Set this rule to `warn` in `cto.yaml` for that change, or supersede.
    pub static ACCEPTED_ADR_CHANGED = {
        code: "CTO413",
        name: "accepted-adr-changed",
        layer: Policy,
        kinds: [Adr],
        severity: Error,
        summary: "An accepted ADR's decision was edited instead of superseded (with `--base REF`).",
    }
}

// This rule compares two revisions, not one corpus: `cto lint --base REV` reads each
// ADR as it was at REV and calls `changed` and `deleted`.

/// The lines of a record's decision: its body without the parts that may change (the
/// adr-tools `## Status` section, a MADR 2 `Status:` line), with their spans.
fn decision_lines(doc: &Document) -> Vec<(String, Span)> {
    let mut excluded: Vec<Span> = Vec::new();
    match doc.format {
        Format::AdrTools => {
            if let Some(s) = crate::model::adr::status_heading(&doc.body) {
                excluded.push(Span::new(s.heading.span.start, s.content.end));
            }
        }
        Format::Bullets => {
            if let Some(n) = doc.field("status") {
                excluded.push(n.span);
            }
        }
        _ => {}
    }
    let text = &doc.source.text;
    let mut out = Vec::new();
    let mut offset = doc.body_start();
    for line in text[offset..].split_inclusive('\n') {
        let span = Span::new(offset, offset + line.trim_end_matches(['\n', '\r']).len());
        offset += line.len();
        if excluded
            .iter()
            .any(|x| span.start < x.end.max(x.start + 1) && x.start < span.end.max(span.start + 1))
        {
            continue;
        }
        out.push((line.trim_end().to_string(), span));
    }
    while out.last().is_some_and(|(l, _)| l.is_empty()) {
        out.pop();
    }
    out
}

/// A hash of a record's decision lines: two records whose prints differ have different
/// decisions, and [`changed`] finds nothing between two records with the same print (but
/// for a 64-bit hash collision). `cto lint --base` keeps this of each ADR instead of its
/// text, and reads again only the records whose print differs from the base's.
pub fn decision_print(doc: &Document) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    // Keyed once per run, at random: prints are compared within one run only, and a
    // fixed key would let an author search ahead for an edit that keeps the print.
    static KEY: std::sync::LazyLock<std::hash::RandomState> =
        std::sync::LazyLock::new(std::hash::RandomState::new);
    let mut h = KEY.build_hasher();
    let lines = decision_lines(doc);
    lines.len().hash(&mut h);
    for (line, _) in &lines {
        line.hash(&mut h);
    }
    h.finish()
}

/// With `--base`: an ADR accepted at the base that is gone since (deleted or renamed).
pub fn deleted(old: &Document, rev: &str) -> Option<Diagnostic> {
    if !old.adr().is_some_and(|a| a.is(AdrStatus::Accepted)) {
        return None;
    }
    let id = old.id.as_deref().unwrap_or("this ADR");
    Some(
        Diagnostic::new(
            &ACCEPTED_ADR_CHANGED,
            old.path(),
            Span::default(),
            format!("{id} was accepted at `{rev}`; it is deleted here (an accepted decision is superseded, not removed)"),
        )
        .with_help("restore it and supersede it: `cto adr new \"…\" --supersedes N`"),
    )
}

/// With `--base`: an ADR accepted at the base whose decision text changed since.
pub fn changed(old: &Document, new: &Document, rev: &str) -> Option<Diagnostic> {
    if !old.adr().is_some_and(|a| a.is(AdrStatus::Accepted)) {
        return None;
    }
    let (a, b) = (decision_lines(old), decision_lines(new));
    let first = a
        .iter()
        .zip(&b)
        .position(|((x, _), (y, _))| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))?;
    let span = b
        .get(first)
        .or(b.last())
        .map_or(Span::empty(new.body_start()), |(_, s)| *s);
    let id = new.id.as_deref().unwrap_or("this ADR");
    Some(
        Diagnostic::new(
            &ACCEPTED_ADR_CHANGED,
            new.path(),
            span,
            format!("{id} was accepted at `{rev}`; its decision changed here (only its status and links may change)"),
        )
        .with_help(format!(
            "revert the edit and supersede it: `cto adr new \"…\" --supersedes {}`",
            new.number.map_or(String::new(), |n| n.to_string())
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Settings, document_from_bytes};

    fn adr(text: &str) -> Document {
        document_from_bytes(
            Kind::Adr,
            "docs/decisions/0001-use-x.md",
            text.as_bytes().to_vec(),
            &Settings::default(),
        )
    }

    /// The print tells what `changed` tells: equal prints where it finds nothing (status,
    /// line endings, trailing spaces), different ones where it finds an edit.
    #[test]
    fn the_decision_print_differs_exactly_when_the_decision_changed() {
        let base = "---\nstatus: accepted\ndate: 2026-01-02\n---\n\n# Use X\n\n## Decision\n\nWe use X.\n\n## Consequences\n\nFaster.\n";
        let old = adr(base);
        let same = [
            base.replace("status: accepted", "status: superseded"),
            base.replace('\n', "\r\n"),
            base.replace("We use X.", "We use X.  "),
            format!("{base}\n\n"),
        ];
        for text in &same {
            let new = adr(text);
            assert!(changed(&old, &new, "HEAD").is_none(), "{text:?}");
            assert_eq!(decision_print(&old), decision_print(&new), "{text:?}");
        }
        let edited = [
            base.replace("We use X.", "We use Y."),
            base.replace("Faster.\n", "Faster.\n\nCheaper.\n"),
            base.replace("Faster.\n", ""),
            base.replace("We use X.", "We use X.\n\nWe use X."),
        ];
        for text in &edited {
            let new = adr(text);
            assert!(changed(&old, &new, "HEAD").is_some(), "{text:?}");
            assert_ne!(decision_print(&old), decision_print(&new), "{text:?}");
        }
    }

    /// The print is keyed for the run: an author cannot search ahead for an edit whose
    /// print is that of the accepted text (a 64-bit hash with a known key is open to a
    /// birthday search), so it is not the hash of the lines under a fixed key.
    #[test]
    fn the_decision_print_is_not_a_hash_anyone_can_compute_ahead() {
        use std::hash::{Hash, Hasher};
        let doc = adr("---\nstatus: accepted\n---\n\n# Use X\n\n## Decision\n\nWe use X.\n");
        let mut fixed = std::hash::DefaultHasher::new();
        let lines = decision_lines(&doc);
        lines.len().hash(&mut fixed);
        for (line, _) in &lines {
            line.hash(&mut fixed);
        }
        assert_ne!(decision_print(&doc), fixed.finish());
        assert_eq!(decision_print(&doc), decision_print(&doc));
    }
}
