//! CTO2xx: the body of one document (sections, links, title).

use std::path::Path;

use super::Diagnostic;
use super::rules::{BROKEN_LINK, EMPTY_SECTION, MISSING_SECTION, MISSING_TITLE};
use crate::config::{AdrTemplate, Config};
use crate::model::spec::{MADR_SECTIONS, NYGARD_SECTIONS, SectionSet};
use crate::model::{Document, Format, Kind};
use crate::source::Span;

pub fn check(doc: &Document, config: &Config, root: &Path, out: &mut Vec<Diagnostic>) {
    if !doc.readable {
        return;
    }
    let path = doc.path();
    let anchor = doc
        .title
        .as_ref()
        .map_or(Span::empty(doc.body_start()), |t| t.span);
    if doc.title.is_none() {
        out.push(
            Diagnostic::new(&MISSING_TITLE, path, anchor, "document has no title")
                .with_help("add a `# Title` heading after the front matter"),
        );
    }
    sections(doc, config, anchor, out);
    links(doc, root, out);
}

fn sections(doc: &Document, config: &Config, anchor: Span, out: &mut Vec<Diagnostic>) {
    let sets = doc.kind.spec().sections;
    if sets.is_empty() {
        return;
    }
    let present = |set: &SectionSet| {
        set.sections
            .iter()
            .filter(|s| doc.body.section(s).is_some())
            .count()
    };
    let complete = sets.iter().find(|s| present(s) == s.sections.len());
    let Some(set) = complete.copied().or_else(|| preferred(doc, config, sets)) else {
        return;
    };
    for name in set.sections {
        match doc.body.section(name) {
            None if complete.is_none() => {
                let msg = format!("missing section `## {name}` ({} template)", set.name);
                out.push(
                    Diagnostic::new(&MISSING_SECTION, doc.path(), anchor, msg)
                        .with_help(format!("add a `## {name}` section")),
                );
            }
            None => {}
            Some(section) if !is_draft(doc) && is_blank(doc.source.slice(section.content)) => {
                let msg = format!("section `## {name}` is empty");
                out.push(Diagnostic::new(
                    &EMPTY_SECTION,
                    doc.path(),
                    section.heading.span,
                    msg,
                ));
            }
            Some(_) => {}
        }
    }
}

/// Only a document in force must have its sections filled in: a draft may still be
/// incomplete, and a rejected or superseded one is history.
fn is_draft(doc: &Document) -> bool {
    let Some(status) = &doc.status else {
        return true;
    };
    match doc.kind {
        Kind::Adr => status.counts_as != "accepted",
        _ => status.counts_as == doc.kind.spec().initial_status,
    }
}

/// The template a document is held to when it meets none completely.
fn preferred(doc: &Document, config: &Config, sets: &[SectionSet]) -> Option<SectionSet> {
    if doc.kind != Kind::Adr {
        return sets.first().copied();
    }
    if doc.format == Format::AdrTools {
        return Some(NYGARD_SECTIONS);
    }
    match config.adr_template {
        AdrTemplate::Nygard => Some(NYGARD_SECTIONS),
        AdrTemplate::Madr | AdrTemplate::Path(_) => Some(MADR_SECTIONS),
    }
}

/// Whether the document has a section of this name with some text in it.
pub fn section_has_text(doc: &Document, name: &str) -> bool {
    doc.body
        .section(name)
        .is_some_and(|s| !is_blank(doc.source.slice(s.content)))
}

/// No text besides white space, HTML comments and `{placeholders}`.
fn is_blank(text: &str) -> bool {
    let mut rest = text;
    let mut kept = String::new();
    while let Some(start) = rest.find("<!--") {
        kept.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    kept.push_str(rest);
    kept.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || (l.starts_with('{') && l.ends_with('}'))
    })
}

fn links(doc: &Document, root: &Path, out: &mut Vec<Diagnostic>) {
    let file = root.join(doc.path());
    let Some(dir) = file.parent() else { return };
    for link in &doc.body.links {
        let Some(target) = relative_target(&link.dest) else {
            continue;
        };
        if !dir.join(&target).exists() {
            let msg = format!("link target `{target}` does not exist");
            out.push(
                Diagnostic::new(&BROKEN_LINK, doc.path(), link.span, msg)
                    .with_help("links are relative to the document's directory"),
            );
        }
    }
}

/// The file a link points at, if it is a relative link to a file.
fn relative_target(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let scheme = dest.find(':').is_some_and(|i| {
        dest[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if dest.is_empty() || scheme || dest.starts_with(['#', '/', '?']) || dest.starts_with("//") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    if path.is_empty() {
        return None;
    }
    Some(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_links_are_checked() {
        assert_eq!(relative_target("0002-x.md").as_deref(), Some("0002-x.md"));
        assert_eq!(
            relative_target("../a%20b.md#top").as_deref(),
            Some("../a b.md")
        );
        assert_eq!(relative_target("https://example.com/x.md"), None);
        assert_eq!(relative_target("mailto:a@b.c"), None);
        assert_eq!(relative_target("#anchor"), None);
        assert_eq!(relative_target("%é%").as_deref(), Some("%é%"));
    }

    #[test]
    fn blank_sections() {
        assert!(is_blank("\n<!-- fill in -->\n{describe the context}\n"));
        assert!(!is_blank("\nWe chose X.\n"));
    }
}
