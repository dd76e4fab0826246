//! The rule catalogue, generated from the units: `RULES`, lookup by code, and the pages
//! that `cto explain` prints and docs/rules/ and the README keep.

use crate::diagnostic::{Layer, Rule};
use crate::model::Kind;

const READ: &[&Rule] = crate::model::rules::UNITS;
const CHECKED: &[&Rule] = super::rules::UNITS;
const COUNT: usize = READ.len() + CHECKED.len();

/// Every rule, in code order: the units of `model/rules/`, then those of `check/rules/`.
pub static RULES: &[&Rule] = &{
    let mut all: [&Rule; COUNT] = [READ[0]; COUNT];
    let mut i = 0;
    while i < COUNT {
        all[i] = if i < READ.len() {
            READ[i]
        } else {
            CHECKED[i - READ.len()]
        };
        i += 1;
    }
    all
};

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The kinds a rule applies to, as words.
pub fn kinds_text(rule: &Rule) -> String {
    if rule.kinds.len() == Kind::ALL.len() {
        "all kinds".to_string()
    } else {
        rule.kinds
            .iter()
            .map(|k| k.spec().label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A rule's full page, as `cto explain` prints it and docs/rules/ keeps it.
pub fn page(rule: &Rule) -> String {
    format!(
        "# {} {}\n\n{}\n\nDefault severity: {}. Applies to: {}. Layer: {}.\n\n{}",
        rule.code,
        rule.name,
        rule.summary,
        rule.default_text(),
        kinds_text(rule),
        rule.layer.words(),
        rule.doc()
    )
}

/// The index of docs/rules/: one table per layer.
pub fn index_page() -> String {
    let mut s = String::from(
        "# Rules

Generated from the rule registry (one unit per rule, under `src/model/rules/` and
`src/check/rules/`); `cto rules` lists the same, `cto explain CODE` prints a page. Set a
rule's severity in `cto.yaml`: `rules: { CTO107: off }` (`off`, `warn` or `error`). One
record silences a rule for itself with a comment a reviewer sees:
`<!-- cto-ignore CTO201 -->` (several codes may follow, separated by spaces or commas).
",
    );
    for layer in Layer::ALL {
        s.push_str(&format!(
            "\n## {}\n\n| code | name | severity | applies to | summary |\n|---|---|---|---|---|\n",
            layer.title()
        ));
        for r in RULES.iter().filter(|r| r.layer == layer) {
            s.push_str(&format!(
                "| [{}]({}.md) | {} | {} | {} | {} |\n",
                r.code,
                r.code,
                r.name,
                r.default_text(),
                kinds_text(r),
                cell(r.summary)
            ));
        }
    }
    s
}

/// The README's rule table (between its `rules` markers).
pub fn readme_table() -> String {
    let mut s = String::from("| code | name | severity | checks |\n| --- | --- | --- | --- |\n");
    for r in RULES {
        s.push_str(&format!(
            "| [{}](docs/rules/{}.md) | {} | {} | {} |\n",
            r.code,
            r.code,
            r.name,
            r.default_text(),
            cell(r.summary)
        ));
    }
    s
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} and {}: codes are unique and listed in order",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "names are unique");
    }

    #[test]
    fn every_page_has_the_four_sections_in_order() {
        for r in RULES {
            let doc = r.doc();
            let at: Vec<Option<usize>> =
                ["## What it checks", "## Why", "## Example", "## How to fix"]
                    .iter()
                    .map(|s| doc.find(&format!("{s}\n")))
                    .collect();
            assert!(
                at.iter().all(Option::is_some),
                "{} lacks a section: {at:?}",
                r.code
            );
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "{}: sections out of order",
                r.code
            );
            assert!(!r.kinds.is_empty() && !r.summary.is_empty(), "{}", r.code);
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}: a kebab-case name",
                r.code
            );
        }
    }

    #[test]
    fn codes_are_numbered_by_layer() {
        for r in RULES {
            let hundred = match r.layer {
                Layer::File => '1',
                Layer::Body => '2',
                Layer::Corpus => '3',
                Layer::Policy => '4',
                Layer::Slo => '5',
                Layer::Incident => '6',
            };
            assert_eq!(
                r.code.chars().nth(3),
                Some(hundred),
                "{} in {:?}",
                r.code,
                r.layer
            );
        }
    }

    /// Every `ctoNNN_*.rs` file of a rules directory is a listed unit, and the other way
    /// round; and the file is named after its rule's code and name.
    #[test]
    fn every_unit_file_is_registered() {
        let dirs = [
            ("src/model/rules", crate::model::rules::FILES),
            ("src/check/rules", super::super::rules::FILES),
        ];
        for (dir, listed) in dirs {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .expect("the rules directory")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
                .filter(|n| n != "mod")
                .collect();
            files.sort();
            let mut units: Vec<String> = listed.iter().map(|(m, _)| m.to_string()).collect();
            units.sort();
            assert_eq!(
                files, units,
                "{dir}: the files and the `rule_units!` list differ"
            );
            for (module, code) in listed {
                let r = rule(code).expect("a listed unit is in RULES");
                let expected = format!("{}_{}", code.to_lowercase(), r.name.replace('-', "_"));
                assert_eq!(
                    *module, expected,
                    "{dir}/{module}.rs holds {code} {}",
                    r.name
                );
            }
        }
        assert_eq!(
            RULES.len(),
            crate::model::rules::FILES.len() + super::super::rules::FILES.len()
        );
    }
}
