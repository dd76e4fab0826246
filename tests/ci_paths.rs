//! CI formats place files from the top of the git work tree, which may hold the cto
//! root deeper down: `cto -C examples lint --format github` from the repository's root.

mod support;

use support::Repo;

const BROKEN: &str = "---\nstatus: acepted\ndate: 2024-03-01\n---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* X\n\n## Decision Outcome\n\nX.\n";

fn nested() -> Repo {
    Repo::git()
        .file("README.md", "# A project\n")
        .file("examples/cto.yaml", "adr:\n  dir: docs/decisions\n")
        .file("examples/docs/decisions/0001-use x#1.md", BROKEN)
}

#[test]
fn github_annotations_name_files_from_the_work_tree_top() {
    let repo = nested();
    let run = repo.cto(&["-C", "examples", "lint", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("::error file=examples/docs/decisions/0001-use x#1.md,line=2,col=9,"),
        "{}",
        run.stdout
    );
    // JSON keeps paths relative to the cto root (its documented shape).
    let json = repo.cto(&["-C", "examples", "lint", "--format", "json"]);
    assert_eq!(
        json.json()["diagnostics"][0]["path"],
        "docs/decisions/0001-use x#1.md"
    );
    // Outside git, the cto root is the base.
    let plain = Repo::plain().file("docs/decisions/0001-use-x.md", BROKEN);
    let run = plain.cto(&["lint", "--format", "github"]);
    assert!(
        run.stdout
            .starts_with("::error file=docs/decisions/0001-use-x.md,"),
        "{}",
        run.stdout
    );
}

#[test]
fn sarif_uris_are_relative_to_srcroot_which_names_the_work_tree() {
    let repo = nested();
    let run = repo.cto(&["-C", "examples", "lint", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log = run.json();
    let result = &log["runs"][0]["results"][0];
    let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(
        location["uri"],
        "examples/docs/decisions/0001-use%20x%231.md"
    );
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let top = repo.path().canonicalize().expect("canonical");
    let expected = format!("file://{}/", top.display()).replace(' ', "%20");
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        expected.as_str()
    );
    assert_eq!(
        log["runs"][0]["artifacts"][0]["location"]["uri"],
        "examples/docs/decisions/0001-use%20x%231.md"
    );
}

#[test]
fn junit_files_are_relative_to_the_work_tree_top() {
    let repo = nested();
    let run = repo.cto(&["-C", "examples", "lint", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(r#"file="examples/docs/decisions/0001-use x#1.md""#),
        "{}",
        run.stdout
    );
}
