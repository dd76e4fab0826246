//! `cto lint --write-baseline`: today's findings recorded in .cto/baseline.json, and
//! later runs reporting only the new ones, whatever lines move around them.

mod support;

use support::Repo;

const RECORD: &str = "---\nstatus: acepted\ndate: 2024-03-01\n---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* X\n";

fn repo() -> Repo {
    Repo::git().file("docs/decisions/0001-use-x.md", RECORD)
}

fn codes(run: &support::Run) -> Vec<String> {
    run.findings().into_iter().map(|(_, c, _, _)| c).collect()
}

fn baselined(repo: &Repo) -> support::Run {
    let write = repo.cto(&["lint", "--write-baseline"]);
    assert_eq!(write.code, 0, "{}{}", write.stdout, write.stderr);
    assert!(
        write
            .stderr
            .contains("wrote .cto/baseline.json: 2 finding(s)"),
        "{}",
        write.stderr
    );
    write
}

#[test]
fn the_baseline_holds_todays_findings_and_only_new_ones_are_reported() {
    let repo = repo();
    let before = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(before.code, 1);
    assert_eq!(codes(&before), ["CTO104", "CTO201"]);
    baselined(&repo);
    let file: serde_json::Value =
        serde_json::from_str(&repo.read(".cto/baseline.json")).expect("JSON");
    assert_eq!(file["version"], 1);
    assert_eq!(file["findings"].as_array().map(Vec::len), Some(2));
    assert!(
        !repo.read(".cto/baseline.json").contains("\"line\""),
        "a line number in the baseline would not survive an edit"
    );

    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(codes(&run), Vec::<String>::new());
    assert_eq!(run.json()["summary"]["baselined"], 2);
    assert!(
        run.stderr
            .contains("note: 2 baselined finding(s) not shown"),
        "{}",
        run.stderr
    );
    // Every format reports the new findings only.
    for format in ["human", "github", "sarif", "junit"] {
        let run = repo.cto(&["lint", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.stdout);
        if format == "sarif" {
            assert_eq!(run.json()["runs"][0]["results"], serde_json::json!([]));
        } else {
            assert!(!run.stdout.contains("acepted"), "{format}: {}", run.stdout);
        }
    }
    // --no-baseline shows everything.
    let all = repo.cto(&["lint", "--no-baseline", "--format", "json"]);
    assert_eq!(all.code, 1);
    assert_eq!(codes(&all), ["CTO104", "CTO201"]);
    assert!(all.json()["summary"].get("baselined").is_none());
}

#[test]
fn line_shifts_and_unrelated_edits_keep_findings_baselined() {
    let repo = repo();
    baselined(&repo);
    // Lines above both findings, and a changed paragraph elsewhere.
    let edited = RECORD
        .replace(
            "---\nstatus",
            "---\ntags: [storage]\nconsulted: [Ann]\nstatus",
        )
        .replace("# Use X\n", "# Use X\n\nA preamble\nof two lines.\n")
        .replace("Why.", "Because the old store is slow.");
    repo.write("docs/decisions/0001-use-x.md", edited.as_bytes());
    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["summary"]["baselined"], 2);
}

#[test]
fn a_new_finding_of_the_same_rule_in_the_same_file_is_reported() {
    let repo = repo();
    baselined(&repo);
    // Considered Options gone: a second CTO201 in the same file, a different section.
    let edited = RECORD.replace("## Considered Options\n\n* X\n", "");
    repo.write("docs/decisions/0001-use-x.md", edited.as_bytes());
    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].1, "CTO201");
    assert!(findings[0].3.contains("Considered Options"), "{findings:?}");
    // Only the new one decides the exit code and is annotated in CI.
    let github = repo.cto(&["lint", "--format", "github"]);
    assert_eq!(github.stdout.lines().count(), 1, "{}", github.stdout);
}

#[test]
fn fixed_findings_drop_out_when_the_baseline_is_written_again() {
    let repo = repo();
    baselined(&repo);
    repo.write(
        "docs/decisions/0001-use-x.md",
        RECORD.replace("acepted", "accepted").as_bytes(),
    );
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("1 baselined finding(s) no longer found"),
        "{}",
        run.stderr
    );
    let write = repo.cto(&["lint", "--write-baseline"]);
    assert!(
        write
            .stderr
            .contains("wrote .cto/baseline.json: 1 finding(s); 1 no longer found, dropped"),
        "{}",
        write.stderr
    );
    // The status broken again: the baseline no longer holds it.
    repo.write("docs/decisions/0001-use-x.md", RECORD.as_bytes());
    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(codes(&run), ["CTO104"]);
}

#[test]
fn a_broken_or_hostile_baseline_is_a_clear_error() {
    let huge_nesting = "[".repeat(200_000);
    for (text, expected) in [
        ("{not json", ".cto/baseline.json is not a cto baseline"),
        ("[]", ".cto/baseline.json is not a cto baseline"),
        ("{\"version\": 7, \"findings\": []}", "is version 7"),
        (
            "{\"version\": 1, \"findings\": [{\"path\": [], \"code\": 1}]}",
            "is not a cto baseline",
        ),
        (huge_nesting.as_str(), "is not a cto baseline"),
    ] {
        let repo = repo();
        repo.write(".cto/baseline.json", text.as_bytes());
        let run = repo.cto(&["lint"]);
        assert_eq!(run.code, 2, "{text:.30}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{text:.30}: {}", run.stderr);
    }
    let bytes = self::repo();
    bytes.write(".cto/baseline.json", b"\xff\xfe{}");
    let run = bytes.cto(&["lint"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().expect("tmp");
        std::fs::write(
            outside.path().join("b.json"),
            "{\"version\": 1, \"findings\": []}",
        )
        .expect("write");
        let repo = self::repo();
        std::fs::create_dir_all(repo.path().join(".cto")).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("b.json"),
            repo.path().join(".cto/baseline.json"),
        )
        .expect("link");
        let run = repo.cto(&["lint"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(".cto/baseline.json"), "{}", run.stderr);
        // A `.cto` that links out of the repository is never written through.
        let repo = self::repo();
        std::os::unix::fs::symlink(outside.path(), repo.path().join(".cto")).expect("link");
        let run = repo.cto(&["lint", "--write-baseline"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(!outside.path().join("baseline.json").exists());
    }
}
