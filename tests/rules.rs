//! One fixture and one snapshot per rule: `tests/fixtures/rules/CODE/` is a repository in
//! which `cto lint` finds that rule and no other, and `snapshots/rules__CODE.snap` is what
//! it prints. A rule without a fixture, or whose fixture does not trigger it, fails here.
//!
//! A fixture with a `.base/` directory is linted with `--base HEAD`: `.base/` is
//! committed first, then the rest of the fixture is written over it.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use cto::check::RULES;
use support::Repo;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// Copies the files below `src` into `repo`, leaving out `.base/` (unless it is `src`).
fn copy(repo: &Repo, src: &Path) {
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".base")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(src).expect("inside the fixture");
        repo.write(
            &rel.to_string_lossy(),
            &fs::read(entry.path()).expect("read"),
        );
    }
}

fn commit_all(repo: &Repo) {
    let git = git2::Repository::open(repo.path()).expect("open");
    let mut index = git.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let who = git2::Signature::now("Test User", "test@example.com").expect("signature");
    git.commit(Some("HEAD"), &who, &who, "base", &tree, &[])
        .expect("commit");
}

/// What `cto lint` prints over a copy of the fixture.
fn lint(fixture: &Path) -> String {
    let repo = Repo::git();
    let base = fixture.join(".base");
    let mut args = vec!["lint"];
    if base.is_dir() {
        copy(&repo, &base);
        commit_all(&repo);
        args.extend(["--base", "HEAD"]);
    }
    copy(&repo, fixture);
    let run = repo.cto(&args);
    assert!(
        run.stderr.is_empty(),
        "{}: {}",
        fixture.display(),
        run.stderr
    );
    run.stdout
}

#[test]
fn every_rule_has_a_fixture_that_finds_it_and_a_snapshot() {
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|code| !fixtures().join(code).is_dir())
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture in tests/fixtures/rules/: {missing:?}"
    );
    for rule in RULES {
        let out = lint(&fixtures().join(rule.code));
        let codes: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
            .filter_map(|l| l.split_once('[')?.1.split_once(']'))
            .map(|(code, _)| code)
            .collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == rule.code),
            "the fixture of {} finds {codes:?}:\n{out}",
            rule.code
        );
        insta::assert_snapshot!(rule.code, out);
    }
}

#[test]
fn every_fixture_belongs_to_a_rule() {
    let orphans: Vec<String> = fs::read_dir(fixtures())
        .expect("tests/fixtures/rules")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| !RULES.iter().any(|r| r.code == name))
        .collect();
    assert!(orphans.is_empty(), "fixtures of no rule: {orphans:?}");
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let stale: Vec<String> = fs::read_dir(snapshots)
        .expect("tests/snapshots")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            Some(
                name.strip_prefix("rules__")?
                    .strip_suffix(".snap")?
                    .to_string(),
            )
        })
        .filter(|code| !RULES.iter().any(|r| r.code == code))
        .collect();
    assert!(stale.is_empty(), "snapshots of no rule: {stale:?}");
}
