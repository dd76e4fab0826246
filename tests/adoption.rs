//! Day one on a repository that has records already: cto finds them where they are and
//! `cto init` adopts the team's directory and statuses instead of starting a second log.

mod support;

use support::Repo;

fn record(status: &str, title: &str) -> String {
    format!(
        "---\nstatus: {status}\ndate: 2024-03-01\n---\n\n# {title}\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\nA.\n"
    )
}

fn team_repo() -> Repo {
    let mut repo = Repo::git();
    for (n, status) in [
        (12, "Living"),
        (13, "Living"),
        (14, "Living"),
        (15, "Draft"),
        (16, "acepted"),
    ] {
        repo = repo.file(
            &format!("content/ADR-{n}-decision-{n}.md"),
            &record(status, &format!("Decision {n}")),
        );
    }
    // Numbered pages that are not records, and a nested copy in dependencies.
    repo.file("guide/001-install.md", "# Install\n\nRun it.\n")
        .file("guide/002-use.md", "# Use\n\nRun it.\n")
        .file("node_modules/x/doc/adr/0001-a.md", &record("accepted", "A"))
        .file("node_modules/x/doc/adr/0002-b.md", &record("accepted", "B"))
}

#[test]
fn lint_finds_records_where_they_are_without_init() {
    let repo = team_repo();
    let run = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let paths: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(
        paths.iter().all(|p| p.starts_with("content/ADR-")),
        "{paths:?}"
    );
}

#[test]
fn init_adopts_the_directory_and_the_team_statuses() {
    let repo = team_repo();
    let dry = repo.cto(&["init", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(!repo.exists("cto.yaml"), "--dry-run wrote cto.yaml");
    assert!(dry.stdout.contains("  dir: content\n"), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains("statuses: { draft: proposed, living: accepted }"),
        "{}",
        dry.stdout
    );
    for line in [
        "found 5 ADR(s) in content (5 files named like records)",
        "adopted status `living` (3) as accepted",
        "adopted status `draft` (1) as proposed",
        "likely a typo, not adopted: `acepted` (1); did you mean `accepted`?",
    ] {
        assert!(
            dry.stderr.contains(line),
            "missing `{line}` in:\n{}",
            dry.stderr
        );
    }

    let run = repo.cto(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "cto.yaml", "a second log was started");
    assert!(!repo.exists("docs/decisions"));
    let lint = repo.cto(&["lint", "--format", "json"]);
    let codes: Vec<(String, String)> = lint
        .findings()
        .into_iter()
        .map(|(file, code, _, _)| (file, code))
        .collect();
    // Only the real problem is left: the misspelt status.
    assert_eq!(
        codes,
        vec![("ADR-16-decision-16.md".to_string(), "CTO104".to_string())],
        "{}",
        lint.stdout
    );
    let list = repo.cto(&["adr", "list", "--status", "accepted", "--format", "json"]);
    assert_eq!(list.json().as_array().map(Vec::len), Some(3));
}
