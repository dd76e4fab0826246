//! Findings and the rules they belong to: the leaf every layer that reports can use.
//!
//! A rule is declared once, in its own unit file, with [`declare_rule!`]; the registry
//! (`check::RULES`) is generated from the units by [`rule_units!`]. Nothing here knows
//! about documents, configuration or checks: the model, cto.yaml and the checks all
//! report through these types without importing one another.

use serde::Serialize;

use crate::kind::Kind;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where in the pipeline a rule looks. Codes are numbered by layer (1xx, 2xx, …), but
/// the layer is this field, not the code's first digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// One file as it is read: bytes, file name, front matter and its fields.
    File,
    /// One document's markdown body: sections, links, title.
    Body,
    /// Several documents together: ids, references, supersedes, dependencies.
    Corpus,
    /// The CTO's own standards for a document (owners, reviews, plans).
    Policy,
    /// One SLO's numbers and alerting, and the services of cto.yaml.
    Slo,
    /// Incidents: postmortems, action items, timestamps, repeated incidents.
    Incident,
}

impl Layer {
    pub const ALL: [Layer; 6] = [
        Layer::File,
        Layer::Body,
        Layer::Corpus,
        Layer::Policy,
        Layer::Slo,
        Layer::Incident,
    ];

    /// The layer in a sentence: "file and front matter", "across documents", …
    pub fn words(self) -> &'static str {
        match self {
            Layer::File => "file and front matter",
            Layer::Body => "body",
            Layer::Corpus => "across documents",
            Layer::Policy => "policy",
            Layer::Slo => "SLO",
            Layer::Incident => "incident",
        }
    }

    /// The layer as a heading: "File and front matter", "Across documents", …
    pub fn title(self) -> &'static str {
        match self {
            Layer::File => "File and front matter",
            Layer::Body => "Body",
            Layer::Corpus => "Across documents",
            Layer::Policy => "Policy",
            Layer::Slo => "SLOs",
            Layer::Incident => "Incidents",
        }
    }
}

/// A rule's metadata and documentation. Each rule is one `static` of this type,
/// declared with [`declare_rule!`] in its own unit file.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    /// Kebab-case, unique, stable (JSON output and SARIF carry it).
    pub name: &'static str,
    pub layer: Layer,
    pub kinds: &'static [Kind],
    pub severity: Severity,
    pub summary: &'static str,
    /// Off unless cto.yaml turns it on (`rules: { CTO111: warn }`): a style rule, not a
    /// problem in every repository.
    pub opt_in: bool,
    /// The unit's doc comment, as written (`///` lines, each with its leading space):
    /// the sections What it checks / Why / Example / How to fix. See [`Rule::doc`].
    pub doc_comment: &'static str,
}

impl Rule {
    /// The default severity in words: `error`, `warning`, or `off (opt-in: warning)`.
    pub fn default_text(&self) -> String {
        if self.opt_in {
            format!("off (opt-in: {})", self.severity.as_str())
        } else {
            self.severity.as_str().to_string()
        }
    }

    /// The rule's page body, in fixed sections, as `cto explain` prints it.
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.doc_comment.len());
        for line in self.doc_comment.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a rule: its doc comment (four sections) and metadata, as a `static Rule`.
///
/// ```text
/// declare_rule! {
///     /// ## What it checks
///     /// …
///     pub static MISSING_TITLE = {
///         code: "CTO204", name: "missing-title", layer: Body, kinds: ALL,
///         severity: Error, summary: "…",
///     }
/// }
/// ```
///
/// `kinds` is `ALL` or a list of `Kind` variants in brackets (`[Risk, Slo]`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            layer: $layer:ident,
            kinds: $kinds:tt,
            severity: $severity:ident,
            summary: $summary:literal
            $(, opt_in: $opt_in:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::diagnostic::Rule = $crate::diagnostic::Rule {
            code: $code,
            name: $name,
            layer: $crate::diagnostic::Layer::$layer,
            kinds: $crate::diagnostic::declare_rule!(@kinds $kinds),
            severity: $crate::diagnostic::Severity::$severity,
            summary: $summary,
            opt_in: false $(|| $opt_in)?,
            doc_comment: concat!($($doc, "\n"),*),
        };
    };
    (@kinds ALL) => { &$crate::kind::Kind::ALL };
    (@kinds [$($kind:ident),+ $(,)?]) => { &[$($crate::kind::Kind::$kind),+] };
}
pub(crate) use declare_rule;

/// Lists the rule units of a directory: declares each unit module, re-exports its rule,
/// and builds `UNITS` (every rule of the directory, in the order listed). A unit marked
/// `=> check` has a `check(&Corpus, &Context, &mut Vec<Diagnostic>)`, and the generated
/// `check` of the directory runs them all; the module that lists such units imports
/// `Corpus`, `Context` and `Diagnostic` (this leaf names none of them).
macro_rules! rule_units {
    ($($unit:ident :: $rule:ident $(=> $run:ident $($across:ident)?)?,)*) => {
        $(pub mod $unit;)*
        $(pub use $unit::$rule;)*

        /// Every rule of this directory, in code order.
        pub const UNITS: &[&$crate::diagnostic::Rule] = &[$(&$unit::$rule),*];

        /// Each unit module with its rule's code, to hold the list against the files.
        #[cfg(test)]
        pub const FILES: &[(&str, &str)] = &[$((stringify!($unit), $unit::$rule.code)),*];

        $crate::diagnostic::rule_units!(@run $($unit $($run $($across)?)?,)*);
    };
    (@run $($unit:ident,)*) => {};
    (@run $($unit:ident $($run:ident $($across:ident)?)?,)*) => {
        /// Runs every unit of this directory that checks a loaded corpus.
        pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
            check_each(corpus, ctx, out);
            check_across(corpus, ctx, out);
        }

        /// Runs the units that look at one document at a time (each document alone:
        /// a corpus of one gives the same findings as the whole).
        pub fn check_each(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
            $($($crate::diagnostic::rule_units!(@each $unit $run $($across)?; corpus, ctx, out);)?)*
        }

        /// Runs the units marked `across`: those that compare documents with one another.
        pub fn check_across(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
            $($($crate::diagnostic::rule_units!(@across $unit $run $($across)?; corpus, ctx, out);)?)*
        }
    };
    (@each $unit:ident $run:ident; $($arg:ident),*) => { $unit::$run($($arg),*) };
    (@each $unit:ident $run:ident across; $($arg:ident),*) => {};
    (@across $unit:ident $run:ident; $($arg:ident),*) => {};
    (@across $unit:ident $run:ident across; $($arg:ident),*) => { $unit::$run($($arg),*) };
}
pub(crate) use rule_units;

/// One finding: a rule, where it applies, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// Byte span in the file's text (empty for a file that could not be read).
    pub span: Span,
    pub help: Option<String>,
    /// A safe, minimal edit that resolves the finding (`cto lint --fix` applies it).
    pub fix: Option<Fix>,
}

/// Set the front-matter field `field` to `value` (YAML text), by the verified minimal
/// edit of `edit::set_field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub field: String,
    pub value: String,
}

impl Diagnostic {
    pub fn new(
        rule: &'static Rule,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            path: path.into(),
            span,
            help: None,
            fix: None,
        }
    }

    pub fn with_fix(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            field: field.into(),
            value: value.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// The closest candidate to a misspelt word, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    // Rows and the candidate's characters, reused: this runs for every unknown key of
    // every document.
    let (mut other, mut prev, mut cur) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let limit = (c.chars().count().max(3) / 3).max(1);
        other.clear();
        if c.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            other.extend(c.to_lowercase().chars());
        } else {
            other.extend(c.chars());
        }
        // The distance is at least the difference in length.
        if other.len().abs_diff(word.len()) > limit {
            continue;
        }
        let d = edit_distance(&word, &other, &mut prev, &mut cur);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, in two rows of scratch space.
fn edit_distance(a: &[char], b: &[char], prev: &mut Vec<usize>, cur: &mut Vec<usize>) -> usize {
    prev.clear();
    prev.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        cur.clear();
        cur.resize(b.len() + 1, i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The suggestion as first written: every candidate lowercased and compared whole.
    fn did_you_mean_plain<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        fn distance(a: &str, b: &str) -> usize {
            let b: Vec<char> = b.chars().collect();
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.chars().enumerate() {
                let mut cur = vec![i + 1; b.len() + 1];
                for (j, cb) in b.iter().enumerate() {
                    let cost = usize::from(ca != *cb);
                    cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
                }
                prev = cur;
            }
            prev[b.len()]
        }
        let word = word.to_lowercase();
        candidates
            .iter()
            .map(|c| (distance(&word, &c.to_lowercase()), *c))
            .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1))
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    #[test]
    fn pruned_suggestions_are_the_plain_ones() {
        let candidates = [
            "status",
            "date",
            "decision-makers",
            "consulted",
            "informed",
            "supersedes",
            "Superseded-By",
            "tags",
            "statut",
            "Zustand",
            "状态",
            "estado",
            "ab",
            "a",
        ];
        let mut words: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
        // Each candidate with one, two and three characters dropped, doubled or changed.
        for c in candidates {
            let chars: Vec<char> = c.chars().collect();
            for i in 0..chars.len() {
                for cut in 1..=3.min(chars.len() - i) {
                    let mut w = chars.clone();
                    w.drain(i..i + cut);
                    words.push(w.iter().collect());
                    let mut w = chars.clone();
                    w.insert(i, 'X');
                    words.push(w.iter().collect());
                    let mut w = chars.clone();
                    w[i] = 'é';
                    words.push(w.iter().collect());
                }
            }
        }
        words.extend(["", "number", "NUMBER", "Stauts", "dat", "decisionmakers"].map(String::from));
        for w in &words {
            assert_eq!(
                did_you_mean(w, candidates),
                did_you_mean_plain(w, &candidates),
                "{w:?}"
            );
        }
        assert!(words.len() > 500);
    }

    #[test]
    fn suggestions_for_near_misses_only() {
        let statuses = ["proposed", "accepted", "rejected", "deprecated"];
        assert_eq!(did_you_mean("acepted", statuses), Some("accepted"));
        assert_eq!(did_you_mean("Acceptd", statuses), Some("accepted"));
        assert_eq!(did_you_mean("banana", statuses), None);
        assert_eq!(did_you_mean("staus", ["status", "date"]), Some("status"));
    }

    declare_rule! {
        /// ## What it checks
        /// Something.
        ///
        ///   indented
        pub static EXAMPLE = {
            code: "CTO999",
            name: "example",
            layer: Body,
            kinds: [Adr, Slo],
            severity: Warning,
            summary: "An example.",
        }
    }

    #[test]
    fn a_declared_rule_keeps_its_doc_comment() {
        assert_eq!(EXAMPLE.kinds, &[Kind::Adr, Kind::Slo]);
        assert_eq!(EXAMPLE.layer, Layer::Body);
        assert_eq!(
            EXAMPLE.doc(),
            "## What it checks\nSomething.\n\n  indented\n"
        );
    }
}
