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

fn section_record(title: &str, heading: &str, status: &str) -> String {
    format!(
        "# {title}\n\nDate: 2017-11-22\n\n## {heading}\n\n{status}\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n"
    )
}

#[test]
fn statuses_are_read_as_teams_write_them() {
    let repo = Repo::git()
        // MADR's `{…}` placeholders filled in and kept.
        .file(
            "docs/decisions/0001-use-x.md",
            "---\nstatus: { accepted }\ndate: { 2024-05-02 }\n---\n# Use X\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\n* a\n\n## Decision Outcome\n\na\n",
        )
        // A status section in another language, with a dated status line.
        .file(
            "docs/decisions/0002-use-y.md",
            &section_record("2. Use Y", "状态", "2017-11-22 提议"),
        )
        .file(
            "docs/decisions/0003-use-z.md",
            &section_record("3. Use Z", "Status", "✅ Accepted (for the pilot only)"),
        )
        .file(
            "docs/decisions/0004-use-w.md",
            &section_record("4. Use W", "Status", "Living"),
        )
        .file(
            "docs/decisions/0005-use-v.md",
            &section_record("5. Use V", "Statut", "Accepté"),
        )
        .file(
            "docs/decisions/0006-use-u.md",
            "# 6. Use U\n\n日期：2018-01-05\n\n## 状态\n\n已废弃\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n",
        );
    let run = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let got: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap(),
                r["date"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("accepted", "2024-05-02"),
            ("proposed", "2017-11-22"),
            ("accepted", "2017-11-22"),
            // Not in the vocabulary: listed as written, never as "".
            ("living", "2017-11-22"),
            ("accepted", "2017-11-22"),
            ("deprecated", "2018-01-05"),
        ]
    );

    let lint = repo.cto(&["lint", "--format", "json"]);
    let findings = lint.json();
    let codes: Vec<(String, String)> = findings["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            // The braces are worth one fixable warning; the living status one error
            // whose help names the class it likely counts as.
            ("CTO110".into(), "docs/decisions/0001-use-x.md".into()),
            ("CTO104".into(), "docs/decisions/0004-use-w.md".into()),
        ],
        "{}",
        lint.stdout
    );
    assert!(lint.stdout.contains("living: accepted"), "{}", lint.stdout);

    // The fix replaces the braces and nothing else.
    let fix = repo.cto(&["lint", "--fix"]);
    assert_eq!(fix.code, 1, "{}", fix.stderr);
    assert_eq!(
        repo.read("docs/decisions/0001-use-x.md"),
        "---\nstatus: accepted\ndate: { 2024-05-02 }\n---\n# Use X\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\n* a\n\n## Decision Outcome\n\na\n"
    );
}

#[test]
fn people_as_one_string_is_valid_madr_unless_the_team_opts_in() {
    let text = "---\nstatus: accepted\ndate: 2024-03-01\ndecision-makers: Doe, Jane\n---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\nA.\n";
    let repo = Repo::git().file("docs/decisions/0001-use-x.md", text);
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let rules = repo.cto(&["rules", "--format", "json"]);
    let cto111 = rules
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "CTO111")
        .cloned()
        .unwrap();
    assert_eq!(cto111["opt_in"], true);

    let repo = repo.file("cto.yaml", "rules:\n  CTO111: warn\n");
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("warning[CTO111]"), "{}", run.stdout);
}

#[test]
fn init_adopts_the_keys_and_optional_fields_of_the_teams_template() {
    // MADR 4 on a documentation site: status and date left out, the site's keys kept.
    let record = |n: u32| {
        format!(
            "---\nparent: Decision Records\nnav_order: {n}\n---\n\n# Decision {n}\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\nA.\n"
        )
    };
    let mut repo = Repo::git();
    for n in 1..=4 {
        repo = repo.file(
            &format!("docs/decisions/000{n}-decision-{n}.md"),
            &record(n),
        );
    }
    let before = repo.cto(&["lint", "--format", "json"]).findings();
    assert_eq!(
        before.iter().filter(|f| f.1 == "CTO105").count(),
        8,
        "{before:?}"
    );
    assert_eq!(before.iter().filter(|f| f.1 == "CTO107").count(), 8);

    let init = repo.cto(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = repo.read("cto.yaml");
    assert!(config.contains("  optional: [date, status]"), "{config}");
    assert!(config.contains("  fields: [nav_order, parent]"), "{config}");
    assert!(
        init.stderr.contains("`status` made optional: 4 of 4"),
        "{}",
        init.stderr
    );

    let after = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    assert!(after.findings().is_empty(), "{:?}", after.findings());

    // `optional` names required fields only.
    let repo = repo.file("cto.yaml", "adr:\n  optional: [title]\n");
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("not a required field"),
        "{}",
        run.stdout
    );
}

#[test]
fn records_at_the_repository_root_are_found_and_adopted() {
    let record = |n: u32, status: &str| {
        format!(
            "# Architecture Decision Record: Decision {n}\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n\n## Decision\n\nThis.\n\n## Consequences\n\nThat.\n"
        )
    };
    let repo = Repo::git()
        .file("README.md", "# The project\n")
        .file("adr-001-decision-1.md", &record(1, "Accepted"))
        .file("adr-002-decision-2.md", &record(2, "Proposed"))
        .file("adr-003-decision-3.md", &record(3, "Accepted"));
    let init = repo.cto(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stderr.contains("found 3 ADR(s) in ."),
        "{}",
        init.stderr
    );
    let config = repo.read("cto.yaml");
    assert!(config.contains("  dir: \".\"\n"), "{config}");
    // No dates in these records: optional, as the team's template has none.
    assert!(config.contains("  optional: [date]"), "{config}");
    assert!(!repo.exists("docs/decisions/0001-record-architecture-decisions.md"));

    let list = repo.cto(&["adr", "list", "--format", "json"]);
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["id"].as_str().unwrap(),
                r["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            "ADR-0001 accepted",
            "ADR-0002 proposed",
            "ADR-0003 accepted"
        ]
    );
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
}

#[test]
fn date_based_ids_are_a_scheme_not_duplicates() {
    let record = |title: &str| {
        format!(
            "---\nstatus: accepted\ndate: 2020-09-25\n---\n\n# {title}\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\nA.\n"
        )
    };
    let repo = Repo::git()
        .file(
            "docs/adr/20200924-use-markdown-records.md",
            &record("Use markdown records"),
        )
        .file(
            "docs/adr/20200925-use-a-monorepo.md",
            &record("Use a monorepo"),
        )
        .file("docs/adr/20200925-use-prettier.md", &record("Use Prettier"));
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    // The log goes on with today's date, not with 20200926.
    let new = repo.cto(&["adr", "new", "Use Lunr for search"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    let today = support::TODAY.replace('-', "");
    assert_eq!(
        new.stdout.trim(),
        format!("docs/adr/{today}-use-lunr-for-search.md")
    );
}

#[test]
fn a_record_silences_a_rule_for_itself_where_a_reviewer_sees_it() {
    let text = "---\nstatus: accepted\ndate: 2024-03-01\n---\n\n# Use X\n\n<!-- cto-ignore CTO201 -->\n\nOur own sections.\n\n## Why\n\nBecause.\n";
    let repo = Repo::git().file("docs/decisions/0001-use-x.md", text).file(
        "docs/decisions/0002-use-y.md",
        &text
            .replace("# Use X", "# Use Y")
            .replace("<!-- cto-ignore CTO201 -->", ""),
    );
    let findings = repo.cto(&["lint", "--format", "json"]).findings();
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str()))
        .collect();
    // The record that says so has none; the other still has its three missing sections.
    assert!(
        codes.iter().all(|(file, _)| *file == "0002-use-y.md"),
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|(_, c)| *c == "CTO201").count(),
        3,
        "{codes:?}"
    );
}

/// A Nygard-style record with a status and a date line.
fn nygard(title: &str, status: &str) -> String {
    format!(
        "# {title}\n\nDate: 2024-03-01\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n\n## Decision\n\nThis.\n\n## Consequences\n\nThat.\n"
    )
}

/// A monorepo: a root log and one log per package, each numbered from 1.
fn monorepo() -> Repo {
    Repo::git()
        .file(
            "docs/decisions/0001-use-a-monorepo.md",
            &nygard("Use a monorepo", "Accepted"),
        )
        .file(
            "docs/decisions/0002-use-rust.md",
            &nygard("Use Rust", "Accepted"),
        )
        .file(
            "services/a/docs/adr/0001-use-postgres.md",
            &nygard("Use Postgres", "Accepted"),
        )
        .file(
            "services/a/docs/adr/0002-use-grpc.md",
            &nygard("Use gRPC", "Proposed"),
        )
        .file(
            "packages/b/doc/architecture-decisions/0001-use-react.md",
            &nygard("Use React", "Superseded by [ADR-0002](0002-use-vue.md)"),
        )
        .file(
            "packages/b/doc/architecture-decisions/0002-use-vue.md",
            &nygard(
                "Use Vue",
                "Accepted\n\nSupersedes [ADR-0001](0001-use-react.md)",
            ),
        )
}

#[test]
fn a_monorepo_keeps_one_log_per_package() {
    let repo = monorepo();
    let init = repo.cto(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = repo.read("cto.yaml");
    assert!(
        config.contains(
            "  dirs: [docs/decisions, services/a/docs/adr, packages/b/doc/architecture-decisions]"
        ),
        "{config}"
    );
    for dir in [
        "docs/decisions",
        "services/a/docs/adr",
        "packages/b/doc/architecture-decisions",
    ] {
        assert!(
            init.stderr.contains(&format!("found 2 ADR(s) in {dir} (")),
            "{dir}: {}",
            init.stderr
        );
    }
    // Every record listed; ADR-0001 in three logs is three records, not a collision;
    // package b's ADR-0002 supersedes its own ADR-0001, not the root's.
    let list = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(
        list.json().as_array().map(Vec::len),
        Some(6),
        "{}",
        list.stdout
    );
    let lint = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(lint.code, 0, "{:?}", lint.findings());
    assert_eq!(lint.findings(), vec![]);

    // A collision and a gap inside one log are still found, there alone.
    repo.write(
        "services/a/docs/adr/0002-use-rest.md",
        nygard("Use REST", "Accepted").as_bytes(),
    );
    repo.write(
        "services/a/docs/adr/0005-use-kafka.md",
        nygard("Use Kafka", "Accepted").as_bytes(),
    );
    let lint = repo.cto(&["lint", "--format", "json"]);
    let codes: Vec<(String, String)> = lint
        .findings()
        .into_iter()
        .map(|(f, c, _, _)| (f, c))
        .collect();
    assert_eq!(
        codes,
        [
            ("0002-use-grpc.md".to_string(), "CTO301".to_string()),
            ("0002-use-rest.md".to_string(), "CTO301".to_string()),
            ("0005-use-kafka.md".to_string(), "CTO306".to_string()),
        ]
    );
}

#[test]
fn adr_new_writes_to_the_first_log_unless_given_one() {
    let repo = monorepo();
    assert_eq!(repo.cto(&["init"]).code, 0);
    let new = repo.cto(&["adr", "new", "Use Kubernetes"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert!(repo.exists("docs/decisions/0003-use-kubernetes.md"));
    assert!(
        new.stderr
            .contains("writing to docs/decisions, the first of 3 ADR directories"),
        "{}",
        new.stderr
    );
    let new = repo.cto(&["adr", "new", "Use Redis", "--dir", "services/a/docs/adr/"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert!(repo.exists("services/a/docs/adr/0003-use-redis.md"));
    let bad = repo.cto(&["adr", "new", "Use Redis", "--dir", "services/b"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("--dir services/b: not one of the ADR directories of cto.yaml"),
        "{}",
        bad.stderr
    );
}

#[test]
fn bad_adr_dirs_get_a_clear_diagnostic() {
    for (yaml, expected) in [
        (
            "adr:\n  dir: a\n  dirs: [b]\n",
            "`adr.dir` and `adr.dirs` are both set",
        ),
        (
            "adr:\n  dirs: [a, a/]\n",
            "`a` is named twice in `adr.dirs`",
        ),
        ("adr:\n  dirs: []\n", "`adr.dirs` is empty"),
        (
            "adr:\n  dirs: [{ x: 1 }]\n",
            "each of `adr.dirs` must be a directory path",
        ),
        ("adr:\n  dirs: docs\n", "adr.dirs"),
        (
            "adr:\n  dirs: [docs/decisions, ../elsewhere]\n",
            "leaves the repository",
        ),
    ] {
        let repo = Repo::git().file("cto.yaml", yaml);
        let run = repo.cto(&["lint"]);
        assert_eq!(run.code, 2, "{yaml}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains(expected), "{yaml}: {all}");
        assert!(all.contains("cto.yaml:"), "{yaml}: no path in {all}");
    }
}

#[test]
fn section_checks_follow_the_adopted_template() {
    // The team's template: Context, Decision, Consequences, written in its own ways.
    let record = |title: &str, context: &str, consequences: bool| {
        let mut text = format!(
            "---\nstatus: accepted\ndate: 2024-03-01\n---\n\n# {title}\n\n## {context}\n\nWhy.\n\n## Decision\n\nThis.\n"
        );
        if consequences {
            text.push_str("\n## Consequences:\n\nThat.\n");
        }
        text
    };
    let repo = Repo::git()
        .file("docs/adr/0001-a.md", &record("A", "Context", true))
        .file("docs/adr/0002-b.md", &record("B", "1. Context", true))
        .file(
            "docs/adr/0003-c.md",
            &record("C", "Context and Problem Statement", true),
        )
        .file("docs/adr/0004-d.md", &record("D", "context:", true))
        .file("docs/adr/0005-e.md", &record("E", "Context", false));
    let init = repo.cto(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = repo.read("cto.yaml");
    assert!(
        config.contains("  sections: [Context, Decision, Consequences]"),
        "{config}"
    );
    assert!(
        init.stderr.contains(
            "sections checked (in 80% or more of 5 records): Context (5), Decision (5), Consequences (4)"
        ),
        "{}",
        init.stderr
    );
    // Not MADR's sections: only the record without Consequences is missing one.
    let lint = repo.cto(&["lint", "--format", "json"]);
    let findings: Vec<(String, String, String)> = lint
        .findings()
        .into_iter()
        .map(|(f, c, _, m)| (f, c, m))
        .collect();
    assert_eq!(
        findings,
        [(
            "0005-e.md".to_string(),
            "CTO201".to_string(),
            "missing section `## Consequences` (the team's, adr.sections template)".to_string()
        )]
    );
}

#[test]
fn shapes_seen_in_the_wild_are_read() {
    let repo = Repo::git()
        // `adrNNN-` names, a template among them, Docusaurus front matter.
        .file(
            "docs/architecture-decisions/adr001-use-x.md",
            "---\nid: adrs-adr001\n---\n\n# Use X\n\nDatum: 2025-09-11\nStatus: Accepted\n\n## Context\n\nWhy.\n\n## Decision\n\nX.\n",
        )
        .file(
            "docs/architecture-decisions/adr002-use-y.md",
            "---\nid: adrs-adr002\n---\n\n# Use Y\n\n## Status\n\nVorgeschlagen | **Akzeptiert** | Abgelehnt\n\n## Context\n\nWhy.\n\n## Decision\n\nY.\n",
        )
        .file(
            "docs/architecture-decisions/adr003-use-z.md",
            "# Use Z\n\n| Created    | Status   |\n| ---------- | -------- |\n| 2020-02-03 | Proposed |\n\n## Context\n\nWhy.\n\n## Decision\n\nZ.\n",
        )
        .file(
            "docs/architecture-decisions/adr000-template.md",
            "# ADR000: [TITLE]\n\n## Status\n\n{status}\n",
        )
        // MADR in French, with 14-digit timestamps for ids.
        .file(
            "docs/decisions/20240603162604-msw.md",
            "---\nstatut: proposé\ndate: 2024-06-03\n---\n\n# MSW\n\n## Contexte\n\nC.\n",
        )
        .file(
            "docs/decisions/20240603162605-vite.md",
            "---\nstatut: accepté\ndate: 2024-06-03\n---\n\n# Vite\n\n## Contexte\n\nC.\n",
        );
    let list = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let rows: Vec<String> = list
        .json()
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["path"].as_str().unwrap_or(""),
                r["status"],
                r["date"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "docs/decisions/20240603162604-msw.md \"proposed\" \"2024-06-03\"",
            "docs/decisions/20240603162605-vite.md \"accepted\" \"2024-06-03\"",
        ],
        "the conventional directory first, before init"
    );
    let init = repo.cto(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let list = repo.cto(&["adr", "list", "--format", "json"]);
    let rows: Vec<String> = list
        .json()
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| format!("{} {}", r["path"].as_str().unwrap_or(""), r["status"]))
        .collect();
    assert_eq!(
        rows,
        [
            "docs/architecture-decisions/adr001-use-x.md \"accepted\"",
            "docs/architecture-decisions/adr002-use-y.md \"accepted\"",
            "docs/architecture-decisions/adr003-use-z.md \"proposed\"",
            "docs/decisions/20240603162604-msw.md \"proposed\"",
            "docs/decisions/20240603162605-vite.md \"accepted\"",
        ]
    );
    // Timestamps of one day are a date scheme, not duplicates; no invalid file names.
    let lint = repo.cto(&["lint", "--format", "json"]);
    let codes: Vec<String> = lint.findings().into_iter().map(|(_, c, _, _)| c).collect();
    assert!(
        !codes
            .iter()
            .any(|c| ["CTO301", "CTO109", "CTO104", "CTO102"].contains(&c.as_str())),
        "{:?}",
        lint.findings()
    );
}

/// Records in the shapes other teams write, each with the status and date a reader sees.
fn shapes_repo() -> Repo {
    Repo::git()
        // French MADR: the keys in French, the statuses too.
        .file(
            "docs/decisions/20240603162604-mocker-l-api.md",
            "---\nstatut: proposé\ndate: 2024-06-03\ndécideurs: Ana, Bo\n---\n\n# Mocker l'API\n\n## Contexte\n\nPourquoi.\n",
        )
        .file(
            "docs/decisions/20260625000000-sortie-de-vacance.md",
            "---\nstatut: accepté\ndate: 2026-06-25\n---\n\n# Sortie de vacance\n\n## Contexte\n\nPourquoi.\n",
        )
        // MADR 2 bullets in French, bold keys and quoted values.
        .file(
            "docs/decisions/20250527000000-choix-du-modele.md",
            "# Choix du modèle\n\n* **statut** : \"accepté\"\n* date : \"2025-05-27\"\n\n## Contexte\n\nPourquoi.\n",
        )
        // German: the template's options with the chosen one in bold; lines, not bullets.
        .file(
            "docs/decisions/20250910000000-locale.md",
            "# Locale\n\n## Status\n\nVorgeschlagen | **Akzeptiert** | Abgelehnt | Ersetzt\n\n## Kontext\n\nWarum.\n",
        )
        .file(
            "docs/decisions/20250911000000-dev-echo.md",
            "# ADR: Dev-Echo\n\nDatum: 2025-09-11\nStatus: Accepted\nOwner: Platform\n\n## Kontext\n\nWarum.\n",
        )
        // A badge, a status with a link, a metadata table, and broken front matter
        // above a readable status section.
        .file(
            "docs/decisions/20200101000000-use-adrs.md",
            "# Use ADRs\n\n## Status\n\n[![Generic badge](https://badgen.net/badge/ADR/proposed/orange/)](README.md)\n\n## Context\n\nWhy.\n",
        )
        .file(
            "docs/decisions/20200102000000-inflation.md",
            "# Inflation\n\n## Status\n\nImplemented in <https://example.com/pull/1578>\n\n## Context\n\nWhy.\n",
        )
        .file(
            "docs/decisions/20200103000000-luxon.md",
            "---\ntitle: ADR010: Use Luxon\n---\n\n| Created    | Status |\n| ---------- | ------ |\n| 2021-01-16 | Open   |\n\n# Luxon\n\n## Status\n\nProposed\n\n## Context\n\nWhy.\n",
        )
        .file(
            "docs/decisions/20200104000000-catalog-format.md",
            "# Catalog format\n\n| Created    | Status |\n| ---------- | ------ |\n| 2020-05-17 | Accepted |\n\n## Background\n\nWhy.\n",
        )
        .file(
            "docs/decisions/20200105000000-avoid-exports.md",
            "---\ntitle: ADR006: Avoid exports\n---\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n",
        )
        // Tab-indented YAML: invalid, but its lines say the status and date plainly.
        .file(
            "docs/decisions/20200106000000-devcontainer.md",
            "---\nadrs:\n\tid: 1\n\tstatus: accepted\n\tdate: 2025-10-01\n---\n\n# ADR 1: Devcontainer\n\n## Context\n\nWhy.\n",
        )
        // Not records: the team's numbered template and its notes in capitals.
        .file(
            "docs/decisions/0000-adr-template.md",
            "# Title\n\n## Status\n\n{proposed | accepted}\n",
        )
        .file("docs/decisions/PROCESS.md", "# How we decide\n\nWe write ADRs.\n")
}

#[test]
fn statuses_and_dates_are_read_in_the_shapes_teams_write_them() {
    let repo = shapes_repo();
    let run = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let read: Vec<(String, String, String)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let file = r["path"].as_str().unwrap_or_default();
            let file = file.rsplit('/').next().unwrap_or_default();
            (
                file.split_once('-').map_or(file, |(_, s)| s).to_string(),
                r["status"].as_str().unwrap_or_default().to_string(),
                r["date"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected = [
        ("use-adrs.md", "proposed", ""),
        ("inflation.md", "implemented", ""),
        ("luxon.md", "proposed", "2021-01-16"),
        ("catalog-format.md", "accepted", "2020-05-17"),
        ("avoid-exports.md", "accepted", ""),
        ("devcontainer.md", "accepted", "2025-10-01"),
        ("mocker-l-api.md", "proposed", "2024-06-03"),
        ("choix-du-modele.md", "accepted", "2025-05-27"),
        ("locale.md", "accepted", ""),
        ("dev-echo.md", "accepted", "2025-09-11"),
        ("sortie-de-vacance.md", "accepted", "2026-06-25"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(read, expected);

    // Timestamps are ids like dates; a status in the team's language is not rewritten;
    // the broken front matter is the one finding of its record.
    let lint = repo.cto(&["lint", "--format", "json"]);
    let codes: Vec<(String, String)> = lint.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for code in ["CTO109", "CTO110", "CTO205"] {
        assert!(codes.iter().all(|(c, _)| c != code), "{code} in {codes:?}");
    }
    let luxon: Vec<&str> = codes
        .iter()
        .filter(|(_, p)| p.ends_with("luxon.md"))
        .map(|(c, _)| c.as_str())
        .collect();
    assert!(luxon.contains(&"CTO103"), "{codes:?}");
    // Its title sits in the broken block: the YAML error is its one finding.
    let exports: Vec<&str> = codes
        .iter()
        .filter(|(_, p)| p.ends_with("avoid-exports.md"))
        .map(|(c, _)| c.as_str())
        .collect();
    assert!(exports.contains(&"CTO103"), "{codes:?}");
    let titles = repo.cto(&["adr", "list", "--format", "json"]).json();
    assert!(
        titles
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["title"] == "ADR006: Avoid exports"),
        "{titles}"
    );
    assert!(
        !exports.contains(&"CTO204") && !exports.contains(&"CTO105"),
        "{codes:?}"
    );
    assert!(!luxon.contains(&"CTO105"), "{codes:?}");
}

#[test]
fn a_status_edit_writes_under_the_team_s_own_key() {
    let repo = shapes_repo();
    let before = repo.read("docs/decisions/20240603162604-mocker-l-api.md");
    let run = repo.cto(&["adr", "status", "20240603", "accepted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = repo.read("docs/decisions/20240603162604-mocker-l-api.md");
    assert_eq!(after, before.replace("statut: proposé", "statut: accepted"));
}

#[test]
fn a_status_read_from_broken_front_matter_is_never_edited() {
    let repo = shapes_repo();
    let path = "docs/decisions/20200106000000-devcontainer.md";
    let before = repo.read(path);
    let run = repo.cto(&["adr", "status", "20200106", "deprecated"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains(path), "{}", run.stderr);
    assert_eq!(repo.read(path), before);
}
