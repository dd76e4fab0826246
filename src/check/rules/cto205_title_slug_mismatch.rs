//! CTO205 title-slug-mismatch: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};
use crate::slug::slugify;

declare_rule! {
    /// ## What it checks
    /// That a numbered document's file name still says what its title says: the file
    /// name's slug (after the number) and the title share at least one word that carries
    /// meaning (not `use`, `for`, `the`, …; `flag` matches `flags`, `postgres` matches
    /// `postgresql`). Short file names (`0004-key-person-on-search.md` for "One engineer
    /// knows the search cluster") pass; a record whose title now names another decision
    /// does not.
    ///
    /// ## Why
    /// People find records by file name in their editor, in links and in `git log`; a
    /// file that says one decision and holds another sends them to the wrong record.
    ///
    /// ## Example
    /// `docs/decisions/0007-use-postgresql.md` whose heading is `# Use CockroachDB for
    /// orders`.
    ///
    /// ## How to fix
    /// Rename the file to the title's slug (`git mv`; links to the old name are reported
    /// by CTO203), or, if the title drifted, put it back.
    pub static TITLE_SLUG_MISMATCH = {
        code: "CTO205",
        name: "title-slug-mismatch",
        layer: Body,
        kinds: [Adr, Risk, Roadmap],
        severity: Warning,
        summary: "A numbered document's file name names another subject than its title.",
    }
}

/// Words that say nothing of a subject.
const STOP: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "use", "using", "with", "adr", "record", "decision",
];

/// The words of a slug that carry meaning, without the leading number.
/// The words of a slug, lowercase and without accents (`modèle` is `modele`, as file
/// names often write it).
fn words(slug: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    slug.split(['-', '_'])
        .map(|w| {
            if w.is_ascii() {
                // Nothing to decompose: most file names and titles.
                return w.to_ascii_lowercase();
            }
            w.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| {
            !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && !STOP.contains(&w.as_str())
        })
        .collect()
}

/// The same word, or forms of one (`flag`/`flags`, `postgres`/`postgresql`,
/// `entry`/`entries`): a common start of at least four letters that leaves at most two
/// of the shorter word.
fn same_word(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    a == b || (common >= 4 && common + 2 >= shorter)
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable && d.kind != Kind::Slo) {
        let Some(title) = &doc.title else { continue };
        let file = doc.path().rsplit('/').next().unwrap_or_default();
        let stem = file.strip_suffix(".md").unwrap_or(file);
        let (named, titled) = (words(stem), words(&slugify(&title.value)));
        if named.is_empty() || titled.is_empty() {
            continue;
        }
        // A title in another script (`SDK 文档结构`) cannot be compared with a file name
        // in Latin letters.
        let other_script = |words: &[String]| {
            words
                .iter()
                .any(|w| w.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
        };
        if other_script(&titled) != other_script(&named) {
            continue;
        }
        if named.iter().any(|n| titled.iter().any(|t| same_word(n, t))) {
            continue;
        }
        let expected = match stem.find(|c: char| c.is_ascii_digit()) {
            Some(start) => {
                let digits = stem[start..].chars().take_while(char::is_ascii_digit).count();
                format!("{}-{}.md", &stem[..start + digits], slugify(&title.value))
            }
            None => format!("{}.md", slugify(&title.value)),
        };
        out.push(
            Diagnostic::new(
                &TITLE_SLUG_MISMATCH,
                doc.path(),
                title.span,
                format!("the title names another subject than the file name `{file}`"),
            )
            .with_help(format!("rename the file to `{expected}`, or restore the title")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn forms_of_a_word() {
        for (a, b) in [("flag", "flags"), ("postgres", "postgresql"), ("bibentries", "bibentry")] {
            assert!(same_word(a, b), "{a} {b}");
        }
        assert_eq!(super::words("0000-modèle-adr"), ["modele"]);
        for (a, b) in [("kafka", "postgres"), ("order", "ownership"), ("search", "security")] {
            assert!(!same_word(a, b), "{a} {b}");
        }
    }
}
