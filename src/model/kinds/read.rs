//! Small readers the kinds share: text, dates, scales, people, references.

use serde_json::Value as Json;

use crate::model::Kind;
use crate::model::refs::{Ref, parse_ref};
use crate::model::validate::parse_date;
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

/// A non-empty scalar, trimmed.
pub fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A value of one of a kind's word enums (`horizon: now`).
pub fn word<T>(node: Option<&Node>, parse: fn(&str) -> Option<T>) -> Option<T> {
    text(node).and_then(|t| parse(&t))
}

pub fn date(node: Option<&Node>) -> Option<jiff::civil::Date> {
    node.and_then(Node::as_str).and_then(|s| parse_date(s).ok())
}

/// A date and where it stands (`review.next`, which findings point at).
pub fn dated(node: Option<&Node>) -> Option<(jiff::civil::Date, Span)> {
    let n = node?;
    Some((n.as_str().and_then(|s| parse_date(s).ok())?, n.span))
}

/// A 1–5 scale.
pub fn scale(node: Option<&Node>) -> Option<u8> {
    match node.map(|n| &n.value) {
        Some(Value::Int(i)) if (1..=5).contains(i) => Some(*i as u8),
        _ => None,
    }
}

/// Strings of a people field: a list, or one string of names separated by `;` or, when
/// it has no `;`, by commas.
pub fn people(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(Value::Str(s)) => s
            .split(if s.contains(';') { ';' } else { ',' })
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        Some(Value::Seq(items)) => items.iter().filter_map(Node::scalar_text).collect(),
        _ => Vec::new(),
    }
}

/// References to documents: a list of ids, or one id.
pub fn refs(node: Option<&Node>, kind: Kind) -> Vec<Ref> {
    refs_with(node, kind, parse_ref)
}

pub fn refs_with(
    node: Option<&Node>,
    kind: Kind,
    read: fn(&str, Kind) -> Option<String>,
) -> Vec<Ref> {
    let items: Vec<&Node> = match node {
        Some(
            n @ Node {
                value: Value::Str(_) | Value::Int(_),
                ..
            },
        ) => vec![n],
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => items.iter().collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|n| {
            let id = read(&n.scalar_text()?, kind)?;
            Some(Ref { id, span: n.span })
        })
        .collect()
}

pub fn ids_json(refs: &[Ref]) -> Json {
    Json::from(refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
}

/// Whether a people string splits into people without a guess: parts separated by `;`,
/// or comma-separated parts of which no two neighbours are single words and none is a
/// suffix (`Doe, Jane`, `Jane Doe, Jr.` and `Ana, Bo` may each be one person; handles
/// such as `@ana, @bo` are people).
pub fn people_are_certain(s: &str) -> bool {
    if s.contains(';') {
        return true;
    }
    const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];
    let parts: Vec<&str> = s
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // A handle or an address (`@ana`, `ana@x.org`) is a whole person.
    let single = |p: &str| p.split_whitespace().count() == 1 && !p.contains('@');
    let suffix = |p: &str| {
        let word = p
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .replace('.', "");
        SUFFIXES.contains(&word.as_str())
    };
    !parts.iter().any(|p| suffix(p)) && !parts.windows(2).any(|w| single(w[0]) && single(w[1]))
}

/// `text` after a leading `word` (any case), trimmed.
pub fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    head.eq_ignore_ascii_case(word)
        .then(|| text[word.len()..].trim())
}

/// An optional value as a table cell.
pub fn cell<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}
