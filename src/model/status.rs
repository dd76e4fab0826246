//! Statuses are read leniently and written canonically.

use super::refs::{Ref, parse_ref};
use super::{AdrStatus, Kind};
use crate::source::Span;

/// A document's status as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// As written in the file.
    pub raw: String,
    pub span: Span,
    /// The status word (`accepted`, `superseded`, or a team's own `living`).
    pub value: String,
    /// The built-in status it counts as (`living` counts as `accepted`).
    pub counts_as: String,
    /// For `superseded by ADR-0012`.
    pub superseded_by: Option<Ref>,
    /// How cto writes it.
    pub canonical: String,
}

impl Status {
    pub fn is_canonical(&self) -> bool {
        self.raw.trim() == self.canonical
    }
}

/// The statuses a kind accepts: its built-in ones plus the team's declared ones.
#[derive(Debug, Clone)]
pub struct StatusVocabulary {
    pub kind: Kind,
    /// Declared statuses and the built-in one each counts as.
    pub custom: Vec<(String, String)>,
}

/// Why a status could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus {
    pub word: String,
    pub suggestion: Option<String>,
}

impl StatusVocabulary {
    pub fn builtin(kind: Kind) -> Self {
        StatusVocabulary {
            kind,
            custom: Vec::new(),
        }
    }

    /// Every valid status word.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.kind.spec().statuses.to_vec();
        names.extend(self.custom.iter().map(|(n, _)| n.as_str()));
        names
    }

    pub fn parse(&self, raw: &str, span: Span) -> Result<Status, UnknownStatus> {
        // A badge (`[![ADR](https://badgen.net/badge/ADR/proposed/orange)](…)`): the
        // first of its words that is a status.
        if let Some(words) = badge_words(raw) {
            let found = words
                .iter()
                .find_map(|w| self.parse_text(raw, w, span).ok());
            if let Some(status) = found {
                return Ok(status);
            }
        }
        self.parse_text(raw, chosen_option(raw), span)
    }

    fn parse_text(&self, raw: &str, text: &str, span: Span) -> Result<Status, UnknownStatus> {
        let word = normalize(text);
        let word = strip_leading_date(&word);
        let status = |value: &str, counts_as: &str, superseded_by: Option<Ref>| {
            let canonical = match &superseded_by {
                Some(r) => format!("superseded by {}", r.id),
                None => value.to_string(),
            };
            Status {
                raw: raw.to_string(),
                span,
                value: value.to_string(),
                counts_as: counts_as.to_string(),
                superseded_by,
                canonical,
            }
        };
        if self.kind == Kind::Adr {
            for prefix in ["superseded by", "superceded by"] {
                if let Some(rest) = word.strip_prefix(prefix) {
                    // Read the target from the original text: link targets keep their case.
                    let original = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
                    let target = original.get(prefix.len()..).unwrap_or(rest);
                    let target = target
                        .trim()
                        .trim_end_matches(['.', '*', '_'])
                        .trim_matches(['*', '_']);
                    let by = parse_ref(target, Kind::Adr).map(|id| Ref { id, span });
                    return Ok(status("superseded", "superseded", by));
                }
            }
        }
        // The whole text, then the word before a remark (`Accepted (for the pilot only)`).
        let bare = status_word(&word);
        for word in [word.as_str(), bare.as_str()] {
            if let Some(&builtin) = self.kind.spec().statuses.iter().find(|s| **s == word) {
                return Ok(status(builtin, builtin, None));
            }
            if let Some((name, counts_as)) =
                self.custom.iter().find(|(n, _)| n.to_lowercase() == word)
            {
                return Ok(status(name, counts_as, None));
            }
            // The built-in statuses in the languages ADRs are written in.
            if self.kind == Kind::Adr
                && let Some(builtin) = AdrStatus::translated(word)
            {
                return Ok(status(builtin.as_str(), builtin.as_str(), None));
            }
        }
        let word = bare;
        Err(UnknownStatus {
            suggestion: crate::diagnostic::did_you_mean(&word, self.names()).map(str::to_string),
            word,
        })
    }
}

/// The status before a remark: `accepted (for the pilot only)`, `rejected (see [12](…))`,
/// `deprecated - nothing replaces it`, `accepted, 2020-01-02`, `implemented in
/// <https://…>` all give the first word(s).
pub fn status_word(normalized: &str) -> String {
    let Some(at) = normalized
        .find(['(', ',', ';', ':', '—', '–', '[', '<'])
        .or_else(|| normalized.find(" - "))
    else {
        return normalized
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .to_string();
    };
    let mut cut = normalized[..at].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    // The remark's own preposition: `implemented in <url>`, `accepted by [the board](…)`.
    for word in [" in", " by", " at", " on", " via", " with", " from", " see"] {
        if let Some(before) = cut.strip_suffix(word) {
            cut = before.trim_end();
            break;
        }
    }
    cut.to_string()
}

/// The option a record marked in its template's list: `Proposed | **Accepted** |
/// Rejected` gives `Accepted`. A list with no option marked stays as written.
fn chosen_option(raw: &str) -> &str {
    if !raw.contains('|') {
        return raw;
    }
    let marked: Vec<&str> = raw
        .split('|')
        .map(str::trim)
        .filter(|o| {
            o.len() > 4
                && ((o.starts_with("**") && o.ends_with("**"))
                    || (o.starts_with("__") && o.ends_with("__")))
        })
        .collect();
    match marked.as_slice() {
        [one] => one,
        _ => raw,
    }
}

/// The words of a status badge: its alt text and the path of its image after `badge/`
/// (`https://img.shields.io/badge/ADR-accepted-green`, `…/badge/ADR/proposed/orange`).
fn badge_words(raw: &str) -> Option<Vec<&str>> {
    let t = raw.trim();
    let t = t.strip_prefix('[').unwrap_or(t);
    let rest = t.strip_prefix("![")?;
    let (alt, after) = rest.split_once("](")?;
    let url = after.split([')', ' ']).next()?;
    let path = url.split_once("/badge/").map_or("", |(_, p)| p);
    let mut words: Vec<&str> = path
        .split(['/', '-', '?'])
        .filter(|w| !w.is_empty())
        .collect();
    words.push(alt);
    Some(words)
}

/// Without a leading date: `2017-11-22 提议`, `2020-01-02: accepted`.
fn strip_leading_date(word: &str) -> String {
    let bytes = word.as_bytes();
    let is_date = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if is_date {
        let rest =
            word[10..].trim_start_matches(|c: char| c.is_whitespace() || ":-–—,".contains(c));
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    word.to_string()
}

/// Lowercase, without leading emoji or markup, without a trailing period.
pub fn normalize(raw: &str) -> String {
    let t = raw.trim();
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    let t = t.trim_end_matches(|c: char| {
        matches!(c, '.' | '*' | '_' | '"' | '\'' | '`' | '»' | '”') || c.is_whitespace()
    });
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Status, UnknownStatus> {
        StatusVocabulary::builtin(Kind::Adr).parse(raw, Span::default())
    }

    #[test]
    fn lenient_reading() {
        let s = parse("✅ Accepted.").unwrap();
        assert_eq!(s.value, "accepted");
        assert!(!s.is_canonical());
        assert!(parse("accepted").unwrap().is_canonical());
        assert_eq!(parse("**Proposed**").unwrap().value, "proposed");
        assert_eq!(
            parse("Vorgeschlagen | **Accepted** | Abgelehnt")
                .unwrap()
                .value,
            "accepted"
        );
        assert_eq!(
            parse(
                "[![Generic badge](https://badgen.net/badge/ADR/proposed/orange.svg)](https://x)"
            )
            .unwrap()
            .value,
            "proposed"
        );
        assert_eq!(
            parse("[![ADR](https://img.shields.io/badge/ADR-accepted-green)](https://x)")
                .unwrap()
                .value,
            "accepted"
        );
    }

    #[test]
    fn superseded_with_a_link() {
        let s = parse("Superseded by [ADR-0012](0012-x.md)").unwrap();
        assert_eq!(s.value, "superseded");
        assert_eq!(s.canonical, "superseded by ADR-0012");
        let s = parse("Superceded by [3. Use X](0003-use-x.md)").unwrap();
        assert_eq!(s.superseded_by.unwrap().id, "ADR-0003");
        assert!(parse("superseded by ADR-0012").unwrap().is_canonical());
    }

    #[test]
    fn unknown_with_suggestion_and_custom_vocabulary() {
        let err = parse("acepted").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("accepted"));
        let vocab = StatusVocabulary {
            kind: Kind::Adr,
            custom: vec![("living".into(), "accepted".into())],
        };
        let s = vocab.parse("Living", Span::default()).unwrap();
        assert_eq!(
            (s.value.as_str(), s.counts_as.as_str()),
            ("living", "accepted")
        );
    }

    #[test]
    fn remarks_dates_and_other_languages() {
        assert_eq!(
            parse("✅ Accepted (for the pilot only)").unwrap().value,
            "accepted"
        );
        assert_eq!(
            parse("❌ Rejected (see [12](0012-x.md))").unwrap().value,
            "rejected"
        );
        assert_eq!(
            parse("Deprecated - nothing replaces it").unwrap().value,
            "deprecated"
        );
        assert_eq!(parse("2017-11-22 提议").unwrap().value, "proposed");
        assert_eq!(parse("2020-01-02: Accepted").unwrap().value, "accepted");
        assert_eq!(parse("Accepté").unwrap().value, "accepted");
        assert_eq!(
            parse("Implemented in <https://github.com/x/y/pull/1578>")
                .unwrap_err()
                .word,
            "implemented"
        );
        assert_eq!(
            parse("Vorgeschlagen | **Akzeptiert** | Abgelehnt | Ersetzt")
                .unwrap()
                .value,
            "accepted"
        );
        // A template's list with nothing chosen is no status.
        assert!(parse("proposed | rejected | accepted").is_err());
        assert_eq!(
            parse("[![Generic badge](https://badgen.net/badge/ADR/proposed/orange/)](README.md)")
                .unwrap()
                .value,
            "proposed"
        );
        assert_eq!(
            parse("![status](https://img.shields.io/badge/status-accepted-green)")
                .unwrap()
                .value,
            "accepted"
        );
        assert_eq!(parse("\"accepté\"").unwrap().value, "accepted");
        // A date alone is no status, and prose stays unknown.
        assert!(parse("2020-01-02").is_err());
        let prose = parse("We will revisit this once the pilot ends").unwrap_err();
        assert_eq!(prose.word, "we will revisit this once the pilot ends");
    }
}
