//! What the body rules and the policy rules both ask of a document's body.

use crate::config::{AdrTemplate, Config};
use crate::model::kinds::adr::{MADR_SECTIONS, NYGARD_SECTIONS, section_matches};
use crate::model::spec::SectionSet;
use crate::model::{Document, Format, Kind};
use crate::parse::markdown::{Section, normalize_heading};
use crate::source::Span;

/// Where a finding about the whole document points: its title, else its body's start.
pub fn title_anchor(doc: &Document) -> Span {
    doc.title
        .as_ref()
        .map_or(Span::empty(doc.body_start()), |t| t.span)
}

/// The sections a document is held to, and the name of their template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template<'a> {
    pub name: &'a str,
    pub sections: Vec<&'a str>,
}

impl From<SectionSet> for Template<'static> {
    fn from(set: SectionSet) -> Self {
        Template {
            name: set.name,
            sections: set.sections.to_vec(),
        }
    }
}

/// The section of a document that a template's `name` asks for. For an ADR, a
/// variant heading counts (`## 1. Context and Problem Statement:` is `Context`).
pub fn section_of<'d>(doc: &'d Document, name: &str) -> Option<Section<'d>> {
    if doc.kind != Kind::Adr {
        return doc.body.section(name);
    }
    let wanted = normalize_heading(name);
    doc.body
        .sections()
        .find(|s| s.heading.level >= 2 && section_matches(&s.heading.normalized, &wanted))
}

/// The sections a document is held to, and whether it has all of them: the team's
/// own (`adr.sections`) for an ADR when cto.yaml names them; else the first set it
/// meets completely, else the template it is expected to follow.
pub fn required_sections<'c>(doc: &Document, config: &'c Config) -> Option<(Template<'c>, bool)> {
    if doc.kind == Kind::Adr
        && let Some(sections) = &config.adr_sections
    {
        let template = Template {
            name: "the team's, adr.sections",
            sections: sections.iter().map(String::as_str).collect(),
        };
        let complete = template
            .sections
            .iter()
            .all(|s| section_of(doc, s).is_some());
        return Some((template, complete));
    }
    let sets = doc.kind.spec().sections;
    if sets.is_empty() {
        return None;
    }
    let complete = sets
        .iter()
        .find(|set| set.sections.iter().all(|s| section_of(doc, s).is_some()));
    match complete {
        Some(set) => Some(((*set).into(), true)),
        None => preferred(doc, config, sets).map(|set| (set.into(), false)),
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
pub fn is_blank(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_sections() {
        assert!(is_blank("\n<!-- fill in -->\n{describe the context}\n"));
        assert!(!is_blank("\nWe chose X.\n"));
    }
}
