//! Completion in the front matter: what the field under the cursor may hold, from the
//! kind's spec, cto.yaml and the repository (statuses, ids, people, services, enums).

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::index::Index;
use crate::config::Config;
use crate::model::Kind;
use crate::model::spec::{FieldSpec, FieldType};
use crate::parse::frontmatter;
use crate::parse::scalar::yaml_scalar;
use crate::report::escape;

/// At most this many items are sent; the list is then marked incomplete, and the
/// client asks again as the user types.
pub const MAX_ITEMS: usize = 200;

/// The field whose value is being typed, and what is typed of it so far.
#[derive(Debug, PartialEq, Eq)]
pub struct Slot<'a> {
    pub key: &'a str,
    /// Byte offset where the typed value starts.
    pub start: usize,
    pub typed: &'a str,
}

/// The slot at `offset`, if it is a value in the front matter: `key: va|`,
/// `key: [A, B|`, or `- va|` under `key:`.
pub fn slot(text: &str, offset: usize) -> Option<Slot<'_>> {
    let fm = frontmatter::split(text).front_matter?;
    if offset < fm.yaml.start || offset > fm.yaml.end.max(fm.yaml.start) || offset > text.len() {
        return None;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..offset)?;
    let trimmed = line.trim_start();
    if let Some(item) = trimmed.strip_prefix('-') {
        // A block list item: the key is the nearest line above that is not an item.
        let typed = item.trim_start();
        let mut key = None;
        for above in text[fm.yaml.start..line_start].lines().rev() {
            let t = above.trim();
            if t.is_empty() || t.starts_with('-') || t.starts_with('#') {
                continue;
            }
            key = t.strip_suffix(':').map(str::trim);
            break;
        }
        return Some(Slot {
            key: key?,
            start: offset - typed.len(),
            typed,
        });
    }
    let (key, value) = trimmed.split_once(':')?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let typed = match value.rfind(['[', ',']) {
        Some(i) => &value[i + 1..],
        None => value,
    }
    .trim_start();
    Some(Slot {
        key,
        start: offset - typed.len(),
        typed,
    })
}

/// The field spec named `key` in `fields` or in a mapping among them.
fn field_spec(fields: &'static [FieldSpec], key: &str) -> Option<&'static FieldSpec> {
    fields.iter().find_map(|f| {
        if f.name == key {
            Some(f)
        } else if let FieldType::Map(inner) = f.ty {
            field_spec(inner, key)
        } else {
            None
        }
    })
}

/// What may be written in `slot` of a document of `kind` whose id is `own` (never
/// offered as a reference to itself): (items, whether the list was cut).
pub fn items(
    slot: &Slot,
    kind: Kind,
    own: Option<&str>,
    index: &Index,
    config: &Config,
    range: lsp_types::Range,
) -> (Vec<CompletionItem>, bool) {
    // (label, detail, kind, text to insert)
    let mut found: Vec<(String, Option<String>, CompletionItemKind, String)> = Vec::new();
    let mut values = |words: Vec<String>, what: CompletionItemKind| {
        for w in words {
            let insert = yaml_scalar(&w);
            found.push((w, None, what, insert));
        }
    };
    let ids = |kinds: &[Kind]| -> Vec<(String, Option<String>, CompletionItemKind, String)> {
        index
            .documents()
            .filter(|d| kinds.contains(&d.kind) && d.id.as_deref() != own)
            .filter_map(|d| {
                let id = d.id.clone()?;
                let detail = format!("{} · {}", d.kind.spec().label, d.title);
                Some((id.clone(), Some(detail), CompletionItemKind::REFERENCE, id))
            })
            .collect()
    };
    match slot.key {
        "status" => {
            let names = config
                .vocabulary(kind)
                .names()
                .into_iter()
                .map(str::to_string)
                .collect();
            values(names, CompletionItemKind::ENUM_MEMBER);
            if kind == Kind::Adr {
                for (id, detail, _, _) in ids(&[Kind::Adr]) {
                    let label = format!("superseded by {id}");
                    found.push((label.clone(), detail, CompletionItemKind::REFERENCE, label));
                }
            }
        }
        "links" => found.extend(ids(&Kind::ALL)),
        "supersedes" | "amends" | "amended-by" => found.extend(ids(&[Kind::Adr])),
        "depends_on" => found.extend(ids(&[Kind::Roadmap])),
        "owner" | "by" | "decision-makers" | "consulted" | "informed" => {
            let people = index.people().into_iter().map(str::to_string).collect();
            values(people, CompletionItemKind::VALUE);
        }
        "service" => {
            let mut services: Vec<String> =
                config.services.iter().map(|s| s.name.clone()).collect();
            services.extend(index.services().into_iter().map(str::to_string));
            services.sort();
            services.dedup();
            values(services, CompletionItemKind::VALUE);
        }
        "category" if kind == Kind::Risk => {
            values(config.risk_categories(), CompletionItemKind::ENUM_MEMBER);
        }
        key => {
            if let Some(FieldSpec {
                ty: FieldType::Enum(options),
                ..
            }) = field_spec(kind.spec().fields, key)
            {
                values(
                    options.iter().map(|s| s.to_string()).collect(),
                    CompletionItemKind::ENUM_MEMBER,
                );
            }
        }
    }
    let typed = slot.typed.to_lowercase();
    let mut matching: Vec<_> = found
        .into_iter()
        .filter(|(label, ..)| {
            // What is typed starts the value, or one of its words.
            let label = label.to_lowercase();
            label.starts_with(&typed) || label.split(' ').any(|w| w.starts_with(&typed))
        })
        .collect();
    let cut = matching.len() > MAX_ITEMS;
    matching.truncate(MAX_ITEMS);
    let items = matching
        .into_iter()
        .enumerate()
        .map(|(i, (label, detail, what, insert))| CompletionItem {
            label: escape::visible(&label).into_owned(),
            kind: Some(what),
            detail: detail.map(|d| escape::visible(&d).into_owned()),
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(label),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: insert,
            })),
            ..CompletionItem::default()
        })
        .collect();
    (items, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(String, String)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        slot(&text, offset).map(|s| (s.key.to_string(), s.typed.to_string()))
    }

    fn s(key: &str, typed: &str) -> Option<(String, String)> {
        Some((key.to_string(), typed.to_string()))
    }

    #[test]
    fn the_slot_is_the_field_being_typed() {
        assert_eq!(at("---\nstatus: acc|\n---\n"), s("status", "acc"));
        assert_eq!(at("---\nstatus: |\n---\n"), s("status", ""));
        assert_eq!(at("---\nlinks: [ADR-0001, RI|\n---\n"), s("links", "RI"));
        assert_eq!(at("---\nlinks: [|\n---\n"), s("links", ""));
        assert_eq!(
            at("---\ndepends_on:\n  - RM-0001\n  - R|\n---\n"),
            s("depends_on", "R")
        );
        assert_eq!(at("---\nacceptance:\n  by: A|\n---\n"), s("by", "A"));
        // Not a value, not in the front matter.
        assert_eq!(at("---\nsta|\n---\n"), None);
        assert_eq!(at("---\nstatus: x\n---\nstatus: |\n"), None);
        assert_eq!(at("no front matter: |\n"), None);
    }
}
