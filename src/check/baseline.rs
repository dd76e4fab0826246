//! The lint baseline: today's findings recorded in a committed file, so that a team
//! adopting cto on an old repository sees only the findings it adds from then on.
//!
//! A finding is known by its rule, its file and a hash of its message (with white
//! space collapsed), never by its line: a line added above it, or an edit elsewhere in
//! the file, leaves it baselined. Findings alike in all three are counted: a file with
//! two in the baseline and three now has one new finding.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;

/// Where the baseline is kept, relative to the cto root.
pub const FILE: &str = ".cto/baseline.json";

/// The largest baseline read (a hostile or runaway file is refused, not read).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

const VERSION: u32 = 1;

/// What the file holds: one entry per finding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One baselined finding. `message` is kept for the reader of a diff; the match is on
/// `code`, `path` and `fingerprint`, and `occurrence` counts findings alike in those.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    #[serde(default)]
    pub occurrence: usize,
    #[serde(default)]
    pub message: String,
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{FILE} is not a cto baseline ({0}); `cto lint --write-baseline` writes a new one")]
    Invalid(String),
    #[error(
        "{FILE} is version {0}; this cto reads version {VERSION} (`cto lint --write-baseline` writes one)"
    )]
    Version(u32),
}

/// The hash of a finding's rule, file and message, white space collapsed.
pub fn fingerprint(d: &Diagnostic) -> String {
    fingerprint_of(d.rule.code, &d.path, &d.message)
}

/// [`fingerprint`] of a finding given by its rule's code, its file and its message.
pub fn fingerprint_of(code: &str, path: &str, message: &str) -> String {
    let message: Vec<&str> = message.split_whitespace().collect();
    let mut hash = Sha256::new();
    for part in [code, path, &message.join(" ")] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

type Key = (String, String, String);

fn key(code: &str, path: &str, message: &str) -> Key {
    (
        path.to_string(),
        code.to_string(),
        fingerprint_of(code, path, message),
    )
}

impl Baseline {
    /// The baseline of these findings, each given by its rule's code, its file and its
    /// message (in the order lint reports them).
    pub fn of<'d>(findings: impl IntoIterator<Item = (&'d str, &'d str, &'d str)>) -> Baseline {
        let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
        let mut findings: Vec<Entry> = findings
            .into_iter()
            .map(|(code, path, message)| {
                let (path, code, fingerprint) = key(code, path, message);
                let n = seen
                    .entry((path.clone(), code.clone(), fingerprint.clone()))
                    .or_default();
                *n += 1;
                Entry {
                    path,
                    code,
                    fingerprint,
                    occurrence: *n - 1,
                    message: message.split_whitespace().collect::<Vec<_>>().join(" "),
                }
            })
            .collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Reads a baseline file's text; anything but one this version wrote is an error.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let version: Version =
            serde_json::from_str(text).map_err(|e| BaselineError::Invalid(e.to_string()))?;
        if version.version != VERSION {
            return Err(BaselineError::Version(version.version));
        }
        serde_json::from_str(text).map_err(|e| BaselineError::Invalid(e.to_string()))
    }

    /// The file's text: pretty JSON, one finding per entry, sorted (diffs stay small).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Splits findings into the new ones (kept, in order) and those the baseline
    /// holds (taken out), and counts the baselined findings no longer found.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> Matched {
        let mut budget = self.budget();
        diagnostics.retain(|d| !budget.take(d.rule.code, &d.path, &d.message));
        budget.matched()
    }

    /// What the baseline holds, to be drawn on finding by finding.
    pub fn budget(&self) -> Budget {
        let mut left: BTreeMap<Key, usize> = BTreeMap::new();
        for e in &self.findings {
            *left
                .entry((e.path.clone(), e.code.clone(), e.fingerprint.clone()))
                .or_default() += 1;
        }
        Budget { left, taken: 0 }
    }
}

/// The baselined findings not yet matched in a run.
#[derive(Debug)]
pub struct Budget {
    left: BTreeMap<Key, usize>,
    taken: usize,
}

impl Budget {
    /// Whether the baseline holds this finding, given by its rule's code, its file and
    /// its message (one of its kind fewer is left then).
    pub fn take(&mut self, code: &str, path: &str, message: &str) -> bool {
        match self.left.get_mut(&key(code, path, message)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                self.taken += 1;
                true
            }
            _ => false,
        }
    }

    pub fn matched(&self) -> Matched {
        Matched {
            baselined: self.taken,
            fixed: self.left.values().sum(),
        }
    }
}

/// What a baseline did to one run's findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matched {
    /// Findings the baseline holds: not reported.
    pub baselined: usize,
    /// Baselined findings no longer found: dropped when the baseline is written again.
    pub fixed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::{INVALID_VALUE, MISSING_FIELD};
    use crate::source::Span;

    fn d(rule: &'static crate::diagnostic::Rule, path: &str, at: usize, msg: &str) -> Diagnostic {
        Diagnostic::new(rule, path, Span::empty(at), msg.to_string())
    }

    #[test]
    fn findings_are_matched_by_rule_file_and_message_not_by_place() {
        let old = [
            d(&MISSING_FIELD, "a.md", 10, "missing `date`"),
            d(&INVALID_VALUE, "a.md", 20, "bad  value `x`"),
            d(&INVALID_VALUE, "a.md", 30, "bad value `x`"),
        ];
        let baseline = Baseline::parse(
            &Baseline::of(
                old.iter()
                    .map(|d| (d.rule.code, d.path.as_str(), d.message.as_str())),
            )
            .to_json(),
        )
        .expect("reads its own");
        assert_eq!(baseline.findings.len(), 3);
        // Moved, white space changed: still baselined; a third alike is new; another
        // file's is new; the missing date is fixed.
        let mut now = vec![
            d(&INVALID_VALUE, "a.md", 120, "bad value `x`"),
            d(&INVALID_VALUE, "a.md", 130, "bad value\n`x`"),
            d(&INVALID_VALUE, "a.md", 140, "bad value `x`"),
            d(&INVALID_VALUE, "b.md", 20, "bad value `x`"),
        ];
        let matched = baseline.filter(&mut now);
        assert_eq!(
            matched,
            Matched {
                baselined: 2,
                fixed: 1
            }
        );
        let left: Vec<(usize, &str)> = now
            .iter()
            .map(|d| (d.span.start, d.path.as_str()))
            .collect();
        assert_eq!(left, [(140, "a.md"), (20, "b.md")]);
    }

    #[test]
    fn a_broken_baseline_is_an_error_never_a_panic() {
        for text in [
            "",
            "{",
            "[]",
            "{\"version\": 1}",
            "{\"version\": 2, \"findings\": []}",
            "{\"version\": 1, \"findings\": [{\"path\": 1}]}",
            &"[".repeat(100_000),
        ] {
            assert!(Baseline::parse(text).is_err(), "{text:.40}");
        }
    }
}
