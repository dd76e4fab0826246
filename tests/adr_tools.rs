//! `cto adr renumber` and `cto adr migrate`, on fixtures and on the real adr-tools corpus.

mod support;

use std::collections::BTreeSet;

use support::{Repo, corpus, madr};

fn copy_corpus(repo: &Repo, from: &str) -> String {
    repo.copy_tree(&corpus().join(from))
}

fn findings(repo: &Repo, dir: &str) -> BTreeSet<(String, String)> {
    let d = if dir.is_empty() { "." } else { dir };
    repo.cto(&["lint", d, "--kind", "adr", "--format", "json"])
        .json()["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| {
            (
                x["path"].as_str().unwrap_or("").to_string(),
                x["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn renumber_renames_and_fixes_every_reference() {
    let old = madr("accepted", "Use X");
    let citing = madr("accepted", "Use Y")
        .replacen("---\n\n#", "links: [ADR-0001]\n---\n\n#", 1)
        .replace(
            "Why.",
            "Builds on ADR-0001 ([the record](0001-use-x.md)); not ADR-00012.",
        );
    let risk = "---\nowner: A\nstatus: open\nlinks: [ADR-0001]\n---\n\n# R\n\n## Description\n\nSee ADR-0001.\n";
    let repo = Repo::git()
        .file("docs/decisions/0001-use-x.md", &old)
        .file("docs/decisions/0002-use-y.md", &citing)
        .file("docs/risks/0001-r.md", risk);
    let run = repo.cto(&["adr", "renumber", "1", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/decisions/0001-use-x.md → docs/decisions/0005-use-x.md"
    );
    assert!(!repo.exists("docs/decisions/0001-use-x.md"));
    assert_eq!(repo.read("docs/decisions/0005-use-x.md"), old);
    assert_eq!(
        repo.read("docs/decisions/0002-use-y.md"),
        citing
            .replace("links: [ADR-0001]", "links: [ADR-0005]")
            .replace(
                "on ADR-0001 ([the record](0001-use-x.md))",
                "on ADR-0005 ([the record](0005-use-x.md))"
            ),
        "ADR-00012 is another number and stays"
    );
    assert_eq!(
        repo.read("docs/risks/0001-r.md"),
        risk.replace("ADR-0001", "ADR-0005")
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);

    let before = repo.snapshot();
    let taken = repo.cto(&["adr", "renumber", "5", "2"]);
    assert_eq!(taken.code, 2, "a taken number is a usage error");
    assert!(
        taken.stderr.contains("already has number 2"),
        "{}",
        taken.stderr
    );
    assert_eq!(
        repo.snapshot(),
        before,
        "nothing changes when the number is taken"
    );
}

#[test]
fn renumber_leaves_code_and_html_comments_as_written() {
    let quoted = "Builds on ADR-0001 and [X](0001-use-x.md), not `ADR-0001` or `0001-use-x.md`.\n\n```sh\ncto adr show ADR-0001   # 0001-use-x.md\n```\n\n    ADR-0001 indented\n\n<!-- ADR-0001 was\n[X](0001-use-x.md) -->\n\nInline <!-- ADR-0001 --> and after ADR-0001.";
    let citing = madr("accepted", "Use Y").replace("Why.", quoted);
    let repo = Repo::plain()
        .file("docs/decisions/0001-use-x.md", &madr("accepted", "Use X"))
        .file("docs/decisions/0002-use-y.md", &citing);
    let run = repo.cto(&["adr", "renumber", "1", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = quoted
        .replacen(
            "on ADR-0001 and [X](0001-use-x.md)",
            "on ADR-0005 and [X](0005-use-x.md)",
            1,
        )
        .replace("after ADR-0001.", "after ADR-0005.");
    assert_eq!(
        repo.read("docs/decisions/0002-use-y.md"),
        madr("accepted", "Use Y").replace("Why.", &want)
    );
}

fn adr_tools_record(n: u32, title: &str, status_lines: &str) -> String {
    format!(
        "# {n}. {title}\n\nDate: 2020-01-0{n}\n\n## Status\n\nAccepted\n\n{status_lines}## Context\n\nWhy.\n\n## Decision\n\nX.\n\n## Consequences\n\nSome.\n"
    )
}

#[test]
fn migrate_writes_amends_as_typed_fields_on_both_records() {
    let d = "docs/decisions";
    let c = "---\nstatus: accepted\ndate: 2020-01-03\n---\n\n# Use C\n\n## Context and Problem Statement\n\nWhy.\n";
    let repo = Repo::plain()
        .file(
            &format!("{d}/0001-use-a.md"),
            &adr_tools_record(1, "Use A", ""),
        )
        .file(
            &format!("{d}/0002-use-b.md"),
            &adr_tools_record(2, "Use B", "Amends [1. Use A](0001-use-a.md)\n\n"),
        )
        .file(&format!("{d}/0003-use-c.md"), c)
        .file(
            &format!("{d}/0004-use-d.md"),
            &adr_tools_record(4, "Use D", "Amends [3. Use C](0003-use-c.md)\n\n"),
        );
    let run = repo.cto(&["adr", "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = |n: u32, title: &str| {
        format!(
            "\n# {n}. {title}\n\n## Context\n\nWhy.\n\n## Decision\n\nX.\n\n## Consequences\n\nSome.\n"
        )
    };
    // What only B says is written on A too, and said.
    assert_eq!(
        repo.read(&format!("{d}/0001-use-a.md")),
        format!(
            "---\nstatus: accepted\ndate: 2020-01-01\namended-by:\n  - ADR-0002\n---\n{}",
            body(1, "Use A")
        )
    );
    assert!(
        run.stderr.contains("ADR-0002 says it amends this record"),
        "{}",
        run.stderr
    );
    assert_eq!(
        repo.read(&format!("{d}/0002-use-b.md")),
        format!(
            "---\nstatus: accepted\ndate: 2020-01-02\namends:\n  - ADR-0001\n---\n{}",
            body(2, "Use B")
        )
    );
    // A record with front matter gets its side by a verified list edit.
    assert_eq!(
        repo.read(&format!("{d}/0003-use-c.md")),
        c.replace("---\n\n#", "amended-by: [ADR-0004]\n---\n\n#")
    );
    assert!(
        repo.read(&format!("{d}/0004-use-d.md"))
            .contains("\namends:\n  - ADR-0003\n---\n"),
        "{}",
        repo.read(&format!("{d}/0004-use-d.md"))
    );
    // A link to a file that is not there names no record: number 9 now is another one.
    let nine = "---\nstatus: accepted\n---\n\n# Use Nine\n";
    let stale = Repo::plain()
        .file(
            &format!("{d}/0006-use-e.md"),
            &adr_tools_record(6, "Use E", "Amended by [9. Old](0009-old.md)\n\n"),
        )
        .file(&format!("{d}/0009-use-nine.md"), nine);
    assert_eq!(stale.cto(&["adr", "migrate"]).code, 0);
    assert_eq!(stale.read(&format!("{d}/0009-use-nine.md")), nine);
    for f in ["0001-use-a.md", "0002-use-b.md", "0004-use-d.md"] {
        assert!(
            !repo.read(&format!("{d}/{f}")).contains("](0"),
            "{f}: no link stays behind"
        );
    }
}

#[test]
fn renumber_resolves_a_collision_from_two_branches() {
    let repo = Repo::git()
        .file(
            "docs/decisions/0007-use-kafka.md",
            &madr("accepted", "Use Kafka"),
        )
        .file(
            "docs/decisions/0007-use-nats.md",
            &madr("accepted", "Use NATS"),
        );
    assert_eq!(
        repo.cto(&["lint", "--format", "json"]).json()["diagnostics"][0]["code"],
        "CTO301"
    );
    let ambiguous = repo.cto(&["adr", "renumber", "7", "8"]);
    assert_eq!(ambiguous.code, 2);
    assert!(
        ambiguous.stderr.contains("give the path"),
        "{}",
        ambiguous.stderr
    );
    let run = repo.cto(&["adr", "renumber", "docs/decisions/0007-use-nats.md", "8"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("references to it were left as they are")
    );
    assert!(repo.exists("docs/decisions/0008-use-nats.md"));
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn renumber_in_an_adr_tools_repository() {
    let repo = Repo::git();
    copy_corpus(&repo, "nygard/npryce__adr-tools");
    let run = repo.cto(&["adr", "renumber", "9", "12"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let renamed = repo.read("doc/adr/0012-help-scripts.md");
    assert!(renamed.starts_with("# 12. Help scripts\n"), "{renamed}");
    assert!(
        repo.read("doc/adr/0005-help-comments.md")
            .contains("Amended by [12. Help scripts](0012-help-scripts.md)")
    );
    assert_eq!(
        repo.cto(&["lint"]).code,
        0,
        "{}",
        repo.cto(&["lint"]).stdout
    );
}

/// The record without its metadata, computed without cto: the `Date:` line and the
/// `## Status` section (its status, `Supersedes`, `Amends` and `Amended by` lines all
/// move to the front matter) go, each with the blank line after it.
fn prose(original: &str) -> String {
    let lines: Vec<&str> = original.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_status = false;
    while i < lines.len() {
        let l = lines[i];
        let bare = l.trim_end();
        if bare.starts_with("## ") {
            in_status = bare == "## Status";
        }
        if in_status {
            i += 1;
            continue;
        }
        if bare.starts_with("Date:") {
            i += 1;
            if lines.get(i).is_some_and(|n| n.trim().is_empty()) {
                i += 1;
            }
            continue;
        }
        out.push_str(l);
        i += 1;
    }
    out
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn migrate_keeps_the_prose_byte_identical_and_lints_clean() {
    let repo = Repo::git();
    let dir = copy_corpus(&repo, "nygard/npryce__adr-tools");
    let originals: Vec<(String, String)> = std::fs::read_dir(repo.path().join(&dir))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.clone(), repo.read(&format!("{dir}/{name}")))
        })
        .collect();
    let run = repo.cto(&["adr", "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 9);
    for (name, original) in &originals {
        let migrated = repo.read(&format!("{dir}/{name}"));
        assert!(
            migrated.starts_with("---\nstatus: accepted\ndate: 20"),
            "{name}: {migrated}"
        );
        let close = migrated[4..].find("\n---\n").expect("closed") + 4 + 5;
        assert_eq!(
            &migrated[close..],
            format!("\n{}", prose(original)),
            "{name}"
        );
    }
    assert!(
        repo.read(&format!("{dir}/0005-help-comments.md"))
            .contains("\namended-by:\n  - ADR-0009\n---\n")
    );
    assert!(
        repo.read(&format!("{dir}/0009-help-scripts.md"))
            .contains("\namends:\n  - ADR-0005\n---\n")
    );
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    let list = repo.cto(&["adr", "list", "--format", "json"]).json();
    assert!(
        list.as_array()
            .expect("rows")
            .iter()
            .all(|r| r["format"] == "front-matter")
    );
    let again = repo.cto(&["adr", "migrate"]);
    assert!(
        again.stderr.contains("nothing to migrate"),
        "{}",
        again.stderr
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn migrate_never_adds_a_finding_on_any_adr_tools_folder() {
    for folder in [
        "nygard/alphagov__govuk-aws",
        "nygard/arachne-framework__architecture",
        "nygard/cloudfoundry__cf-k8s-networking",
        "madr/thomvaill__log4brains",
    ] {
        let repo = Repo::git();
        let dir = copy_corpus(&repo, folder);
        let before = findings(&repo, &dir);
        let d = if dir.is_empty() {
            ".".to_string()
        } else {
            dir.clone()
        };
        let run = repo.cto(&["adr", "migrate", &d]);
        assert_eq!(run.code, 0, "{folder}: {}", run.stderr);
        let after = findings(&repo, &dir);
        let added: Vec<_> = after.difference(&before).collect();
        assert!(added.is_empty(), "{folder}: migration added {added:?}");
    }
}

#[test]
fn migrate_keeps_crlf_and_bom() {
    let text = "\u{feff}# 1. Use X\r\n\r\nDate: 2020-01-02\r\n\r\n## Status\r\n\r\nAccepted\r\n\r\n## Context\r\n\r\nA.\r\n\r\n## Decision\r\n\r\nB.\r\n\r\n## Consequences\r\n\r\nC.\r\n";
    let repo = Repo::git().file("doc/adr/0001-use-x.md", text);
    assert_eq!(repo.cto(&["adr", "migrate"]).code, 0);
    assert_eq!(
        repo.read("doc/adr/0001-use-x.md"),
        "\u{feff}---\r\nstatus: accepted\r\ndate: 2020-01-02\r\n---\r\n\r\n# 1. Use X\r\n\r\n## Context\r\n\r\nA.\r\n\r\n## Decision\r\n\r\nB.\r\n\r\n## Consequences\r\n\r\nC.\r\n"
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);
}
