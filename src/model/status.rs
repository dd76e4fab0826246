//! Statuses are read leniently and written canonically.

use super::Kind;
use super::refs::{Ref, parse_ref};
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
        let word = normalize(raw);
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
        if let Some(&builtin) = self.kind.spec().statuses.iter().find(|s| **s == word) {
            return Ok(status(builtin, builtin, None));
        }
        if let Some((name, counts_as)) = self.custom.iter().find(|(n, _)| n.to_lowercase() == word)
        {
            return Ok(status(name, counts_as, None));
        }
        Err(UnknownStatus {
            suggestion: crate::diagnostic::did_you_mean(&word, self.names()).map(str::to_string),
            word,
        })
    }
}

/// Lowercase, without leading emoji or markup, without a trailing period.
pub fn normalize(raw: &str) -> String {
    let t = raw.trim();
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    let t = t.trim_end_matches(|c: char| c == '.' || c == '*' || c == '_' || c.is_whitespace());
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
}
