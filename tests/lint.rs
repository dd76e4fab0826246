//! `cto lint`: each rule on a fixture, the output formats, exit codes, bad input.

mod support;

use std::time::{Duration, Instant};

use support::{Repo, madr};

const D: &str = "docs/decisions";

fn codes(run: &support::Run) -> Vec<String> {
    let json = run.json();
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

fn lint_json(repo: &Repo) -> support::Run {
    repo.cto(&["lint", "--format", "json"])
}

#[test]
fn a_status_typo_is_an_error_with_its_position_and_a_suggestion() {
    let repo = Repo::git().file(&format!("{D}/0001-use-x.md"), &madr("acepted", "Use X"));
    let human = repo.cto(&["lint"]);
    assert_eq!(human.code, 1);
    assert!(
        human
            .stdout
            .contains("error[CTO104]: unknown ADR status `acepted`"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("--> docs/decisions/0001-use-x.md:2:9"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("help: did you mean `accepted`?"),
        "{}",
        human.stdout
    );

    let run = lint_json(&repo);
    assert_eq!(run.code, 1);
    let json = run.json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "CTO104");
    assert_eq!(d["name"], "invalid-value");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "docs/decisions/0001-use-x.md");
    assert_eq!(d["line"], 2);
    assert_eq!(d["column"], 9);
    assert_eq!(d["end_line"], 2);
    assert_eq!(d["end_column"], 16);
    assert_eq!(d["help"], "did you mean `accepted`?");
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "documents": 1, "errors": 1, "warnings": 0})
    );
}

#[test]
fn usage_errors_exit_2() {
    let repo = Repo::git();
    assert_eq!(repo.cto(&["lint", "--format", "xml"]).code, 2);
    assert_eq!(repo.cto(&["lint", "--no-such-flag"]).code, 2);
    assert_eq!(repo.cto(&["lint", "no/such/file.md"]).code, 2);
}

#[test]
fn a_file_outside_the_documents_directories_is_skipped_with_a_note() {
    let repo = Repo::git()
        .file("README.md", "# Not a decision\n")
        .file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"));
    let run = repo.cto(&["lint", "README.md", "docs/decisions/0001-use-x.md"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("note: skipping README.md"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("in 1 document"), "{}", run.stdout);
}

#[test]
fn exit_code_policy() {
    let warn = Repo::git().file(
        &format!("{D}/0001-use-x.md"),
        &format!("{}\nx: 1\n", madr("accepted", "Use X")).replacen(
            "---\n\n#",
            "x-unknown: 1\n---\n\n#",
            1,
        ),
    );
    let run = warn.cto(&["lint"]);
    assert_eq!(run.code, 0, "warnings alone pass: {}", run.stdout);
    assert!(run.stdout.contains("warning[CTO107]"), "{}", run.stdout);
    assert_eq!(warn.cto(&["lint", "--deny-warnings"]).code, 1);

    let err = Repo::git().file(&format!("{D}/0001-use-x.md"), &madr("nope", "Use X"));
    assert_eq!(err.cto(&["lint"]).code, 1);
    assert_eq!(err.cto(&["lint", "--exit-zero"]).code, 0);
}

#[test]
fn front_matter_and_field_rules() {
    let repo = Repo::git()
        .file(&format!("{D}/0001-unclosed.md"), "---\nstatus: accepted\n# Title\n")
        .file(&format!("{D}/0002-bad-yaml.md"), "---\nstatus: [accepted\n---\n# T\n")
        .file(
            &format!("{D}/0003-fields.md"),
            "---\nstaus: accepted\ndate: 2024-02-30\ntags: {a: 1}\nlinks: [nonsense words]\n---\n# T\n\n## Context\n\nA.\n\n## Decision\n\nB.\n\n## Consequences\n\nC.\n",
        )
        .file(&format!("{D}/use-no-number.md"), &madr("accepted", "No number"))
        .file(&format!("{D}/0004-no-meta.md"), "# Just prose\n\nNothing else.\n");
    let run = lint_json(&repo);
    assert_eq!(run.code, 1);
    let json = run.json();
    let found = run.findings();
    let has = |file: &str, code: &str, line: u64| {
        assert!(
            found
                .iter()
                .any(|(f, c, l, _)| f == file && c == code && *l == line),
            "expected {code} at {file}:{line} in {found:#?}"
        )
    };
    has("0001-unclosed.md", "CTO102", 1);
    has("0002-bad-yaml.md", "CTO103", 2);
    has("0003-fields.md", "CTO107", 2);
    has("0003-fields.md", "CTO105", 1);
    has("0003-fields.md", "CTO108", 3);
    has("0003-fields.md", "CTO106", 4);
    has("0003-fields.md", "CTO104", 5);
    has("use-no-number.md", "CTO109", 1);
    has("0004-no-meta.md", "CTO102", 1);
    let unknown = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "CTO107")
        .expect("CTO107");
    assert_eq!(unknown["help"], "did you mean `status`?");
    assert_eq!(unknown["severity"], "warning");
}

#[test]
fn body_rules_sections_links_title() {
    let missing = "---\nstatus: accepted\ndate: 2024-01-15\n---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy. See [the other](0009-missing.md), [web](https://example.com) and [here](#top).\n\n## Decision Outcome\n\n<!-- later -->\n";
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), missing)
        .file(
            &format!("{D}/0002-untitled.md"),
            "---\nstatus: proposed\ndate: 2024-01-15\n---\n\n## Context\n\nA.\n\n## Decision\n\nB.\n\n## Consequences\n\nC.\n",
        );
    let run = lint_json(&repo);
    let json = run.json();
    let diags = json["diagnostics"].as_array().expect("array");
    let messages: Vec<&str> = diags
        .iter()
        .map(|d| d["message"].as_str().expect("msg"))
        .collect();
    assert!(
        messages.contains(&"missing section `## Considered Options` (MADR template)"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"link target `0009-missing.md` does not exist"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"section `## Decision Outcome` is empty"),
        "{messages:#?}"
    );
    assert!(messages.contains(&"document has no title"), "{messages:#?}");
    assert_eq!(
        diags.iter().filter(|d| d["code"] == "CTO203").count(),
        1,
        "web and anchor links are not checked"
    );
    let link = diags.iter().find(|d| d["code"] == "CTO203").expect("link");
    assert_eq!(
        (link["line"].as_u64(), link["column"].as_u64()),
        (Some(10), Some(10))
    );
}

#[test]
fn a_nygard_adr_passes_under_the_madr_default() {
    let nygard = "---\nstatus: accepted\ndate: 2024-01-15\n---\n# Use X\n\n## Context\n\nA.\n\n## Decision\n\nB.\n\n## Consequences\n\nC.\n";
    let repo = Repo::git().file(&format!("{D}/0001-use-x.md"), nygard);
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn cross_document_rules() {
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))
        .file(&format!("{D}/0001-use-y.md"), &madr("accepted", "Use Y"))
        .file(
            &format!("{D}/0002-use-z.md"),
            &madr("superseded by ADR-0042", "Use Z"),
        )
        .file(
            &format!("{D}/0003-use-w.md"),
            &madr("superseded by ADR-0004", "Use W"),
        )
        .file(
            &format!("{D}/0004-use-v.md"),
            &madr("accepted", "Use V").replacen("---\n\n#", "links: [RISK-0009]\n---\n\n#", 1),
        )
        .file(
            &format!("{D}/0005-use-u.md"),
            &madr("accepted", "Use U").replacen("---\n\n#", "supersedes: ADR-0006\n---\n\n#", 1),
        )
        .file(&format!("{D}/0006-use-t.md"), &madr("accepted", "Use T"));
    let run = lint_json(&repo);
    let json = run.json();
    let diags = json["diagnostics"].as_array().expect("array");
    let msg = |code: &str| -> Vec<String> {
        diags
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                format!(
                    "{}: {}",
                    d["path"].as_str().unwrap_or(""),
                    d["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(msg("CTO301").len(), 2, "{diags:#?}");
    assert!(msg("CTO301")[0].contains("ADR-0001 is also the id of docs/decisions/0001-use-y.md"));
    assert_eq!(
        msg("CTO302"),
        vec![
            "docs/decisions/0002-use-z.md: `status` refers to ADR-0042, which does not exist",
            "docs/decisions/0004-use-v.md: `links` refers to RISK-0009, which does not exist",
        ]
    );
    // ADR-0003 names its successor: no reader is misled, whatever ADR-0004 says. ADR-0006
    // still says accepted although ADR-0005 supersedes it.
    assert_eq!(
        msg("CTO303"),
        vec![
            "docs/decisions/0005-use-u.md: ADR-0005 supersedes ADR-0006, but the status of ADR-0006 is `accepted`: it still looks current"
        ]
    );
}

#[test]
fn lint_of_one_file_uses_the_rest_as_context_and_reports_only_it() {
    let repo = Repo::git()
        .file(
            &format!("{D}/0001-use-x.md"),
            &madr("superseded by ADR-0002", "Use X"),
        )
        .file(
            &format!("{D}/0002-use-y.md"),
            &madr("accepted", "Use Y").replacen("---\n\n#", "supersedes: ADR-0001\n---\n\n#", 1),
        )
        .file(&format!("{D}/0003-bad.md"), &madr("nope", "Bad"));
    let run = repo.cto(&["lint", "docs/decisions/0001-use-x.md", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["summary"]["documents"], 1);
    let all = lint_json(&repo);
    assert_eq!(codes(&all), vec!["CTO104"]);
}

#[test]
fn a_foreign_folder_is_linted_with_kind() {
    let repo = Repo::git().file("vendor-adrs/0001-use-x.md", &madr("acepted", "Use X"));
    let run = repo.cto(&["lint", "vendor-adrs", "--kind", "adr", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(codes(&run), vec!["CTO104"]);
}

#[test]
fn team_statuses_and_rule_levels_from_config() {
    let repo = Repo::git()
        .file("cto.yaml", "adr:\n  statuses: { living: accepted, draft: proposed }\nrules:\n  CTO107: off\n  CTO203: warn\n")
        .file(&format!("{D}/0001-use-x.md"), &madr("living", "Use X").replacen("---\n\n#", "nav_order: 3\n---\n\n#", 1).replace("Why.", "See [x](nowhere.md)."));
    let run = lint_json(&repo);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(codes(&run), vec!["CTO203"]);
    assert_eq!(json["diagnostics"][0]["severity"], "warning");
}

#[test]
fn a_broken_config_is_shown_with_its_line_and_exits_2() {
    let repo = Repo::git().file(
        "cto.yaml",
        "adr:\n  dir: docs/decisions\n  tempate: nygard\n",
    );
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("--> cto.yaml:3:3"), "{}", run.stdout);
    assert!(
        run.stdout.contains("did you mean `adr.template`?"),
        "{}",
        run.stdout
    );
    let new = repo.cto(&["adr", "new", "X"]);
    assert_eq!(new.code, 2);
    assert!(!repo.exists("docs/decisions/0001-x.md"));
}

#[test]
fn bad_input_gets_a_diagnostic_not_a_panic() {
    let repo = Repo::git();
    repo.write(
        &format!("{D}/0001-binary.md"),
        b"---\nstatus: acc\x00epted\n",
    );
    repo.write(
        &format!("{D}/0002-latin1.md"),
        b"---\nstatus: accepted\ndate: 2024-01-15\n---\n# D\xe9cision\n",
    );
    let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..10 {
        let p = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    bomb.push_str("---\n# Bomb\n");
    repo.write(&format!("{D}/0003-alias-bomb.md"), bomb.as_bytes());
    let deep = format!(
        "---\nstatus: {}{}\n---\n# Deep\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    repo.write(&format!("{D}/0004-deep.md"), deep.as_bytes());
    let big = format!(
        "---\nstatus: accepted\n---\n# Big\n{}",
        "x".repeat(11 * 1024 * 1024)
    );
    repo.write(&format!("{D}/0005-big.md"), big.as_bytes());
    repo.write(
        &format!("{D}/0006-dupkeys.md"),
        b"---\nstatus: accepted\nstatus: rejected\n---\n# Dup\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "0007-loop.md",
        repo.path().join(format!("{D}/0007-loop.md")),
    )
    .expect("symlink");
    // Unreadable: a link to nothing (permissions do not stop root, who runs CI).
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/nonexistent/adr.md",
        repo.path().join(format!("{D}/0008-unreadable.md")),
    )
    .expect("symlink");

    let start = Instant::now();
    let run = lint_json(&repo);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let diags = json["diagnostics"].as_array().expect("array");
    let at = |file: &str| -> Vec<(String, u64, u64)> {
        diags
            .iter()
            .filter(|d| d["path"].as_str().is_some_and(|p| p.ends_with(file)))
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    assert_eq!(at("0001-binary.md"), vec![("CTO101".into(), 2, 12)]);
    assert_eq!(at("0002-latin1.md"), vec![("CTO101".into(), 5, 4)]);
    assert!(
        at("0003-alias-bomb.md").iter().any(|d| d.0 == "CTO103"),
        "{:?}",
        at("0003-alias-bomb.md")
    );
    assert!(
        at("0004-deep.md").iter().any(|d| d.0 == "CTO103"),
        "{:?}",
        at("0004-deep.md")
    );
    assert_eq!(at("0005-big.md"), vec![("CTO101".into(), 1, 1)]);
    assert!(
        at("0006-dupkeys.md")
            .iter()
            .any(|d| d.0 == "CTO103" && d.1 == 3),
        "{:?}",
        at("0006-dupkeys.md")
    );
    #[cfg(unix)]
    assert_eq!(
        at("0007-loop.md").first().map(|d| d.0.as_str()),
        Some("CTO101")
    );
    #[cfg(unix)]
    assert_eq!(at("0008-unreadable.md"), vec![("CTO101".into(), 1, 1)]);
}

#[test]
fn crlf_and_bom_files_lint_clean_and_point_at_the_right_column() {
    let text = madr("acepted", "Use X").replace('\n', "\r\n");
    let repo = Repo::git().file(&format!("{D}/0001-use-x.md"), &format!("\u{feff}{text}"));
    let run = lint_json(&repo);
    let json = run.json();
    assert_eq!(codes(&run), vec!["CTO104"]);
    assert_eq!(
        (
            json["diagnostics"][0]["line"].as_u64(),
            json["diagnostics"][0]["column"].as_u64()
        ),
        (Some(2), Some(9))
    );
    assert_eq!(json["diagnostics"][0]["end_column"], 16);
}

#[test]
fn human_output_snapshot() {
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("✅ Accepted.", "Use X"))
        .file(&format!("{D}/0002-use-y.md"), "---\nstatus: acepted\ndate: 2024-13-01\n---\n\n# Use Y\n\n## Context and Problem Statement\n\nSee [X](0001-use-x.md) and [Z](0009-z.md).\n");
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn every_rule_has_a_page_and_a_row() {
    let repo = Repo::plain();
    let run = repo.cto(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let rows = run.json();
    let rows = rows.as_array().expect("array");
    assert!(rows.len() >= 15, "{} rules", rows.len());
    for row in rows {
        let code = row["code"].as_str().expect("code");
        let page = repo.cto(&["explain", code]);
        assert_eq!(page.code, 0, "{code}");
        assert!(page.stdout.starts_with(&format!(
            "# {code} {}\n",
            row["name"].as_str().expect("name")
        )));
        for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
            assert!(page.stdout.contains(section), "{code} lacks {section}");
        }
    }
    let unknown = repo.cto(&["explain", "CTO14"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no rule CTO14"),
        "{}",
        unknown.stderr
    );
}

/// `cto lint FILE` reads only what the rules need; it must say exactly what the full lint
/// says of that file.
fn scoped_equals_full(repo: &Repo) {
    let full = repo.cto(&["lint", "--format", "json"]).json();
    let all = full["diagnostics"].as_array().expect("array").clone();
    let paths: std::collections::BTreeSet<String> = repo
        .snapshot()
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.starts_with("docs/") && p.ends_with(".md"))
        .collect();
    assert!(!paths.is_empty());
    for path in paths {
        let one = repo.cto(&["lint", &path, "--format", "json"]).json();
        // The file's findings: those about the whole repository that land on cto.yaml
        // (an uncovered critical service) are the full lint's to report.
        let expected: Vec<&serde_json::Value> =
            all.iter().filter(|d| d["path"] == path.as_str()).collect();
        let got: Vec<&serde_json::Value> = one["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .collect();
        assert_eq!(got, expected, "{path}");
    }
}

#[test]
fn linting_one_file_says_what_the_full_lint_says_of_it() {
    let repo = Repo::git()
        .file("cto.yaml", "roadmap:\n  capacity: { 2024-Q3: 5 }\nservices:\n  - { name: checkout, tier: critical }\n")
        .file(&format!("{D}/0001-use-x.md"), &madr("superseded by ADR-0002", "Use X"))
        .file(&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y"))
        .file(&format!("{D}/0003-use-z.md"), &madr("accepted", "Use Z").replacen("---\n\n#", "supersedes: ADR-0002\nlinks: [ADR-0042, RISK-0001]\n---\n\n#", 1))
        .file(&format!("{D}/0003-dup.md"), &madr("accepted", "Dup"))
        .file("docs/risks/0001-r.md", "---\nowner: A\nstatus: open\nlikelihood: 5\nimpact: 5\ncategory: security\n---\n\n# R\n\n## Description\n\nD.\n")
        .file("docs/roadmap/0001-a.md", "---\nowner: A\nstatus: planned\nhorizon: now\nquarter: 2024-Q3\neffort: 3\ndepends_on: [RM-0002]\n---\n\n# A\n\n## Outcome\n\nO.\n")
        .file("docs/roadmap/0002-b.md", "---\nowner: A\nstatus: planned\nhorizon: later\nquarter: 2024-Q3\neffort: 3\ndepends_on: [RM-0001]\n---\n\n# B\n\n## Outcome\n\nO.\n")
        .file("docs/slos/checkout.md", "---\nservice: checkout\nowner: A\nstatus: draft\nobjective: 99\nwindow: 30d\nsli: { type: ratio, bad: b, total: t }\n---\n\n# C\n");
    scoped_equals_full(&repo);
}

#[test]
fn linting_one_file_of_the_example_says_what_the_full_lint_says_of_it() {
    let repo = Repo::git();
    repo.copy_tree(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"));
    scoped_equals_full(&repo);
}
