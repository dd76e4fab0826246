//! References between documents: `ADR-0007`, `RISK-0003`, `RM-0012`, an SLO's name.

use super::Kind;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The canonical id (`ADR-0007`).
    pub id: String,
    pub span: Span,
}

/// The canonical id of a numbered document.
pub fn format_id(kind: Kind, number: u32) -> String {
    match kind.spec().id_prefix {
        Some(prefix) => format!("{prefix}-{number:04}"),
        None => number.to_string(),
    }
}

/// Numbers from here up are dates (`20210114-x.md`, log4brains' scheme), not a sequence:
/// two records of one day share the number and are told apart by their slug.
pub const DATE_LIKE: u32 = 10_000_000;

/// Leading number of a file name, after an optional `adr-` prefix: `0007-x.md` → 7.
pub fn number_of_file_name(name: &str) -> Option<u32> {
    let name = name.rsplit('/').next().unwrap_or(name);
    // `adr-005-x.md`, `ADR_5-x.md`, `adr005-x.md` (no separator).
    let rest = strip_prefix_ci(name, "adr-")
        .or_else(|| strip_prefix_ci(name, "adr_"))
        .or_else(|| {
            strip_prefix_ci(name, "adr").filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .unwrap_or(name);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let after = &rest[digits.len()..];
    if !(after.is_empty() || after.starts_with(['-', '_', '.'])) {
        return None;
    }
    // A timestamp (`20240516132303-x.md`) is numbered by its date: a date-based id.
    if digits.len() > 9 && digits.len() <= 14 {
        return digits[..8].parse().ok().filter(|n| *n >= DATE_LIKE);
    }
    digits.parse().ok()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Reads a reference as people write it: `ADR-0007`, `adr-7`, `RM-12`, `7` (in the
/// context of `kind`), `[ADR-0007](0007-x.md)`, `[7. Title](0007-x.md)`, an SLO name.
pub fn parse_ref(text: &str, context: Kind) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some((label, target)) = markdown_link(text) {
        // Where the link points wins over what its label says.
        let file = target.rsplit('/').next().unwrap_or(target);
        return number_of_file_name(file)
            .map(|n| format_id(context, n))
            .or_else(|| parse_ref(label, context));
    }
    for kind in Kind::ALL {
        let Some(prefix) = kind.spec().id_prefix else {
            continue;
        };
        if let Some(rest) = strip_prefix_ci(text, prefix).and_then(|r| r.strip_prefix('-')) {
            return number(rest).map(|n| format_id(kind, n));
        }
    }
    if context.spec().id_prefix.is_some() {
        // `7`, `0007`, or adr-tools' `7. Title`.
        let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = &text[digits.len()..];
        if !digits.is_empty() && (after.is_empty() || after.starts_with('.')) {
            return digits.parse().ok().map(|n| format_id(context, n));
        }
        return None;
    }
    is_label(text).then(|| text.to_string())
}

/// A `links` entry: a document id as [`parse_ref`] reads it, or an SLO by its name
/// (`links: [checkout-availability]`) from any kind.
pub fn parse_link(text: &str, context: Kind) -> Option<String> {
    parse_ref(text, context).or_else(|| {
        let text = text.trim();
        (is_label(text) && !text.chars().all(|c| c.is_ascii_digit())).then(|| text.to_string())
    })
}

fn number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// An RFC 1123 label: at most 63 of `[a-z0-9-]`, not starting or ending with `-`.
pub fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// `[label](target)` as the whole text.
pub fn markdown_link(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find("](")?;
    let label = &rest[..close];
    let target = rest[close + 2..].strip_suffix(')')?;
    Some((label, target.split('#').next().unwrap_or(target)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_people_write_them() {
        assert_eq!(
            parse_ref("ADR-0007", Kind::Adr).as_deref(),
            Some("ADR-0007")
        );
        assert_eq!(parse_ref("adr-7", Kind::Risk).as_deref(), Some("ADR-0007"));
        assert_eq!(parse_ref("RM-12", Kind::Adr).as_deref(), Some("RM-0012"));
        assert_eq!(parse_ref("risk-3", Kind::Adr).as_deref(), Some("RISK-0003"));
        assert_eq!(parse_ref("7", Kind::Adr).as_deref(), Some("ADR-0007"));
        assert_eq!(
            parse_ref("[ADR-0012](0012-x.md)", Kind::Adr).as_deref(),
            Some("ADR-0012")
        );
        assert_eq!(
            parse_ref("[3. Use Kafka](0003-use-kafka.md)", Kind::Adr).as_deref(),
            Some("ADR-0003")
        );
        assert_eq!(
            parse_ref("[the new one](0009-help-scripts.md)", Kind::Adr).as_deref(),
            Some("ADR-0009")
        );
        assert_eq!(
            parse_ref("checkout-availability", Kind::Slo).as_deref(),
            Some("checkout-availability")
        );
        assert_eq!(parse_ref("Use Kafka", Kind::Adr), None);
        assert_eq!(
            parse_ref("[9. Help scripts](0012-help-scripts.md)", Kind::Adr).as_deref(),
            Some("ADR-0012"),
            "the target wins over a stale label"
        );
        assert_eq!(
            parse_ref("[ADR-0012](https://x)", Kind::Adr).as_deref(),
            Some("ADR-0012")
        );
        assert_eq!(parse_ref("", Kind::Adr), None);
    }

    #[test]
    fn file_numbers() {
        assert_eq!(number_of_file_name("0007-use-x.md"), Some(7));
        assert_eq!(number_of_file_name("adr-012-config.md"), Some(12));
        assert_eq!(number_of_file_name("20200924-use-madr.md"), Some(20200924));
        assert_eq!(number_of_file_name("use-x.md"), None);
        assert_eq!(number_of_file_name("7zip.md"), None);
    }
}
