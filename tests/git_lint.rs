//! Lint where teams run it: staged content, a base revision, the pre-commit hook, the
//! output formats for CI, safe fixes, schemas and completions.

mod support;

use std::process::Command;

use support::{Repo, madr};

const ADR: &str = "docs/decisions/0001-use-x.md";

/// Runs git in the repository with a known identity and no user configuration.
fn git(repo: &Repo, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(repo.path())
        .args([
            "-c",
            "user.name=Test User",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("git runs")
}

fn committed(files: &[(&str, &str)]) -> Repo {
    let mut repo = Repo::git();
    for (p, t) in files {
        repo = repo.file(p, t);
    }
    assert!(git(&repo, &["add", "-A"]).status.success());
    let out = git(&repo, &["commit", "-q", "-m", "start", "--no-verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo
}

#[test]
fn staged_content_is_linted_not_the_work_tree() {
    let good = madr("accepted", "Use X");
    let bad = madr("acepted", "Use X");
    let repo = committed(&[
        (ADR, &good),
        ("docs/decisions/0002-use-y.md", &madr("accepted", "Use Y")),
    ]);

    repo.write(ADR, bad.as_bytes());
    git(&repo, &["add", ADR]);
    repo.write(ADR, good.as_bytes());
    let run = repo.cto(&["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "a bad staged file fails: {}", run.stdout);
    let j = run.json();
    assert_eq!(j["diagnostics"][0]["code"], "CTO104");
    assert_eq!(
        j["summary"]["documents"], 1,
        "only the staged document is reported"
    );

    git(&repo, &["add", ADR]);
    repo.write(ADR, bad.as_bytes());
    let run = repo.cto(&["lint", "--staged"]);
    assert_eq!(run.code, 0, "a good staged file passes: {}", run.stdout);
    assert_eq!(repo.cto(&["lint"]).code, 1, "while the work tree is bad");
}

#[test]
fn staged_lint_sees_other_staged_documents_as_context() {
    let repo = committed(&[(ADR, &madr("accepted", "Use X"))]);
    let newer = madr("accepted", "Use Z").replacen("---\n\n#", "supersedes: ADR-0001\n---\n\n#", 1);
    repo.write("docs/decisions/0002-use-z.md", newer.as_bytes());
    repo.write(ADR, madr("superseded by ADR-0002", "Use X").as_bytes());
    git(&repo, &["add", "docs/decisions/0002-use-z.md"]);
    let run = repo.cto(&["lint", "--staged", "--format", "json"]);
    // The index still holds ADR-0001 as accepted: the staged supersede is one-sided.
    assert_eq!(
        run.json()["diagnostics"][0]["code"],
        "CTO303",
        "{}",
        run.stdout
    );
    git(&repo, &["add", ADR]);
    assert_eq!(repo.cto(&["lint", "--staged"]).code, 0);
}

#[test]
fn an_accepted_decision_is_immutable_against_a_base() {
    let repo = committed(&[
        (ADR, &madr("accepted", "Use X")),
        ("docs/decisions/0002-bad.md", &madr("nope", "Bad")),
    ]);
    let edited =
        madr("accepted", "Use X").replace("Chosen option: A.", "Chosen option: A.\nAnd also B.");
    repo.write(ADR, edited.as_bytes());
    let run = repo.cto(&[
        "lint",
        "--base",
        "HEAD",
        "--changed-only",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let j = run.json();
    let codes: Vec<&str> = j["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        vec!["CTO413"],
        "--changed-only leaves out the unchanged bad file"
    );
    assert_eq!(j["diagnostics"][0]["line"], 21);
    assert!(
        j["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("ADR-0001 was accepted at `HEAD`")
    );

    repo.write(
        ADR,
        madr("deprecated", "Use X").replace('\n', "\r\n").as_bytes(),
    );
    let run = repo.cto(&["lint", "--base", "HEAD", "--changed-only"]);
    assert_eq!(
        run.code, 0,
        "a status change (and line endings) pass: {}",
        run.stdout
    );
    assert_eq!(repo.cto(&["lint", "--base", "no-such-ref"]).code, 2);
}

#[test]
fn an_adr_tools_record_may_change_its_status_section_only() {
    let old = "# 1. Use shell\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nA.\n\n## Decision\n\nB.\n\n## Consequences\n\nC.\n";
    let repo = committed(&[("doc/adr/0001-use-shell.md", old)]);
    repo.write(
        "doc/adr/0001-use-shell.md",
        old.replace("Accepted", "Deprecated\n\nAmended by [2. X](0002-x.md)")
            .as_bytes(),
    );
    let run = repo.cto(&["lint", "--base", "HEAD", "--format", "json"]);
    assert!(!run.stdout.contains("CTO413"), "{}", run.stdout);
    repo.write(
        "doc/adr/0001-use-shell.md",
        old.replace("B.", "B, and C.").as_bytes(),
    );
    assert!(
        repo.cto(&["lint", "--base", "HEAD"])
            .stdout
            .contains("CTO413")
    );
}

#[cfg(unix)]
#[test]
fn the_hook_refuses_a_bad_commit_and_takes_a_good_one() {
    let repo = committed(&[(ADR, &madr("accepted", "Use X"))]);
    let run = repo.cto(&["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hook = repo.path().join(".git/hooks/pre-commit");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&hook).expect("hook").permissions().mode() & 0o111,
        0o111
    );
    assert!(repo.read(".git/hooks/pre-commit").contains("lint --staged"));

    repo.write(
        "docs/decisions/0002-bad.md",
        madr("acepted", "Bad").as_bytes(),
    );
    git(&repo, &["add", "-A"]);
    let refused = git(&repo, &["commit", "-q", "-m", "bad"]);
    assert!(!refused.status.success(), "the commit is refused");
    // git shows a hook's output on its standard error.
    assert!(String::from_utf8_lossy(&refused.stderr).contains("CTO104"));

    repo.write(
        "docs/decisions/0002-bad.md",
        madr("accepted", "Good").as_bytes(),
    );
    git(&repo, &["add", "-A"]);
    let taken = git(&repo, &["commit", "-q", "-m", "good"]);
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stdout)
    );
    assert_eq!(
        repo.cto(&["hook", "install"]).code,
        0,
        "reinstalling our own hook is fine"
    );
}

#[cfg(unix)]
#[test]
fn a_foreign_hook_survives_untouched_or_is_chained() {
    let repo = committed(&[(ADR, &madr("accepted", "Use X"))]);
    let foreign = "#!/bin/sh\necho foreign hook ran\n";
    repo.write(".git/hooks/pre-commit", foreign.as_bytes());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        repo.path().join(".git/hooks/pre-commit"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");

    let run = repo.cto(&["hook", "install"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("was not written by cto"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(".git/hooks/pre-commit"), foreign);

    assert_eq!(repo.cto(&["hook", "install", "--chain"]).code, 0);
    assert_eq!(repo.read(".git/hooks/pre-commit.local"), foreign);
    repo.write("docs/decisions/0002-y.md", madr("accepted", "Y").as_bytes());
    git(&repo, &["add", "-A"]);
    let out = git(&repo, &["commit", "-q", "-m", "y"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("foreign hook ran"));
}

fn findings() -> Repo {
    Repo::git().file(
        ADR,
        &madr("acepted", "Use X")
            .replace("Why.", "Why: 50% of \"it\" <now>,\nsee [x](nowhere.md)."),
    )
}

#[test]
fn github_format_is_workflow_commands() {
    let run = findings().cto(&["lint", "--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=docs/decisions/0001-use-x.md,line=2,col=9,endLine=2,endColumn=16,title=CTO104 invalid-value::unknown ADR status `acepted`; expected one of: proposed, accepted, rejected, deprecated, superseded%0Ahelp: did you mean `accepted`?"
    );
    assert!(
        lines[1].starts_with("::error file=docs/decisions/0001-use-x.md,line=12,col=5,"),
        "{}",
        lines[1]
    );
}

#[test]
fn sarif_is_2_1_0_with_rules_and_located_results() {
    let run = findings().cto(&["lint", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let j = run.json();
    assert_eq!(j["version"], "2.1.0");
    assert_eq!(
        j["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let driver = &j["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "cto");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), cto::check::RULES.len());
    let results = j["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(
            region["endColumn"].as_u64() > region["startColumn"].as_u64()
                || region["endLine"].as_u64() > region["startLine"].as_u64()
        );
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            ADR
        );
        assert!(["error", "warning"].contains(&r["level"].as_str().unwrap_or("")));
    }
    assert_eq!(results[0]["ruleId"], "CTO104");
}

#[test]
fn junit_is_xml_with_failures() {
    let repo = findings().file("docs/decisions/0002-ok.md", &madr("accepted", "OK"));
    let run = repo.cto(&["lint", "--format", "junit"]);
    assert_eq!(run.code, 1);
    let x = &run.stdout;
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cto lint\" tests=\"2\" failures=\"2\""), "{x}");
    assert_eq!(x.matches("<testcase ").count(), 2);
    assert_eq!(x.matches("<failure ").count(), 2);
    assert!(x.contains("<failure type=\"CTO104\" message=\"unknown ADR status `acepted`;"));
    assert!(x.contains(
        "name=\"docs/decisions/0002-ok.md\" file=\"docs/decisions/0002-ok.md\">\n    </testcase>"
    ));
    assert_eq!(
        x.matches('<').count(),
        x.matches('>').count(),
        "balanced markup"
    );
    assert!(x.trim_end().ends_with("</testsuites>"));
}

#[test]
fn fix_makes_only_safe_minimal_edits_and_only_when_asked() {
    let text = "---\r\nstatus: '✅ Accepted.'   # keep me\r\ndate: 2024-01-15\r\ndecision-makers: Ana Lima, Bo\r\nconsulted: []\r\n---\r\n\r\n# Use X\r\n\r\n## Context\r\n\r\nA.\r\n\r\n## Decision\r\n\r\nB.\r\n\r\n## Consequences\r\n\r\nC.\r\n";
    let risk = "---\nowner: Ana\nstatus: open\nlikelihood: 4\nimpact: 3\nscore: 9\ntreatment: avoid\n---\n\n# R\n\n## Description\n\nD.\n";
    // CTO111 is opt-in (MADR writes people as one string); this team turned it on.
    let repo = Repo::git()
        .file("cto.yaml", "rules:\n  CTO111: warn\n")
        .file(ADR, text)
        .file("docs/risks/0001-r.md", risk);
    let plain = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(plain.code, 1);
    assert_eq!(repo.read(ADR), text, "never without the flag");

    let run = repo.cto(&["lint", "--fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("fixed 3 finding(s) in 2 file(s)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        repo.read(ADR),
        text.replace("'✅ Accepted.'", "'accepted'")
            .replace("Ana Lima, Bo", "[Ana Lima, Bo]")
    );
    assert_eq!(
        repo.read("docs/risks/0001-r.md"),
        risk.replace("score: 9", "score: 12")
    );
}

#[test]
fn schemas_are_draft_07() {
    let repo = Repo::plain();
    let adr = repo.cto(&["schema", "adr"]).json();
    assert_eq!(adr["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(adr["type"], "object");
    assert_eq!(adr["required"], serde_json::json!(["status", "date"]));
    assert_eq!(adr["properties"]["date"]["pattern"], r"^\d{4}-\d{2}-\d{2}$");
    assert_eq!(adr["additionalProperties"], true);
    let risk = repo.cto(&["schema", "risk"]).json();
    assert_eq!(
        risk["properties"]["likelihood"],
        serde_json::json!({"type": "integer", "minimum": 1, "maximum": 5})
    );
    let config = repo.cto(&["schema", "config"]).json();
    assert_eq!(config["additionalProperties"], false);
    assert!(config["properties"]["adr"]["properties"]["template"].is_object());
    assert_eq!(repo.cto(&["schema", "nope"]).code, 2);
}

#[test]
fn completions_for_each_shell() {
    let repo = Repo::plain();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = repo.cto(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}");
        assert!(
            run.stdout.contains("lint") && run.stdout.contains("adr"),
            "{shell}"
        );
    }
}

#[test]
fn last_change_comes_from_history_and_a_shallow_clone_is_said() {
    let repo = committed(&[
        (ADR, &madr("accepted", "Use X")),
        ("docs/decisions/0002-y.md", &madr("accepted", "Y")),
    ]);
    repo.write(
        "docs/decisions/0002-y.md",
        madr("deprecated", "Y").as_bytes(),
    );
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-a",
            "-m",
            "deprecate",
            "--no-verify",
            "--author",
            "Bo Chen <bo@example.com>",
        ],
    );
    let rows = repo.cto(&["adr", "list", "--format", "json"]).json();
    assert_eq!(rows[0]["last_author"], "Test User");
    assert_eq!(rows[1]["last_author"], "Bo Chen");
    assert!(
        rows[1]["last_changed"]
            .as_str()
            .is_some_and(|d| d.len() == 10)
    );

    let clone = Repo::plain();
    let url = format!("file://{}", repo.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "c"])
        .current_dir(clone.path())
        .output()
        .expect("clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = clone.cto_in(
        &clone.path().join("c"),
        &["adr", "list", "--format", "json"],
    );
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
}

#[test]
fn the_history_cache_follows_new_commits_rewrites_and_corruption() {
    let repo = committed(&[
        (ADR, &madr("accepted", "Use X")),
        ("docs/decisions/0002-y.md", &madr("accepted", "Y")),
    ]);
    let authors = |repo: &Repo| -> Vec<String> {
        let rows = repo.cto(&["adr", "list", "--format", "json"]).json();
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|r| r["last_author"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(authors(&repo), vec!["Test User", "Test User"]);
    let cache = repo.path().join(".git/cto/last-change.json");
    assert!(cache.exists(), "the walk is cached under .git/");

    // One new commit: only it is walked, and the cache follows.
    repo.write(
        "docs/decisions/0002-y.md",
        madr("deprecated", "Y").as_bytes(),
    );
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-a",
            "-m",
            "2",
            "--no-verify",
            "--author",
            "Bo Chen <bo@example.com>",
        ],
    );
    assert_eq!(authors(&repo), vec!["Test User", "Bo Chen"]);

    // History rewritten under the cache: the cached head is gone, so everything is walked.
    git(
        &repo,
        &[
            "commit",
            "-q",
            "--amend",
            "-m",
            "2 again",
            "--no-verify",
            "--author",
            "Cy Diaz <cy@example.com>",
        ],
    );
    assert_eq!(authors(&repo), vec!["Test User", "Cy Diaz"]);

    // A damaged cache is ignored and written again.
    std::fs::write(&cache, b"{not json").expect("write");
    assert_eq!(authors(&repo), vec!["Test User", "Cy Diaz"]);
    assert!(
        std::fs::read_to_string(&cache)
            .expect("cache")
            .starts_with("{\"version\":3")
    );
}

#[cfg(unix)]
#[test]
fn a_staged_symlink_is_reported_not_skipped() {
    let repo = committed(&[(ADR, &madr("accepted", "Use X"))]);
    let link = "docs/decisions/0002-use-y.md";
    std::os::unix::fs::symlink("0001-use-x.md", repo.path().join(link)).expect("symlink");
    git(&repo, &["add", link]);
    let run = repo.cto(&["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let j = run.json();
    assert_eq!(j["diagnostics"][0]["code"], "CTO101", "{}", run.stdout);
    assert_eq!(j["diagnostics"][0]["path"], link);
    let message = j["diagnostics"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("symbolic link"), "{message}");
}

#[test]
fn a_staged_deletion_reports_the_documents_that_refer_to_it() {
    let second = madr("accepted", "Use Y").replacen("---\n\n#", "links: [ADR-0001]\n---\n\n#", 1);
    let repo = committed(&[
        (ADR, &madr("accepted", "Use X")),
        ("docs/decisions/0002-use-y.md", &second),
        ("docs/decisions/0003-use-z.md", &madr("accepted", "Use Z")),
    ]);
    // Only a document that changes is read while nothing is deleted; this one is fine.
    repo.write(
        "docs/decisions/0003-use-z.md",
        madr("accepted", "Use Z")
            .replace("Use Z", "Use Z now")
            .as_bytes(),
    );
    git(&repo, &["add", "docs/decisions/0003-use-z.md"]);
    let run = repo.cto(&["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    git(&repo, &["rm", "-q", ADR]);
    let run = repo.cto(&["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let j = run.json();
    assert_eq!(j["diagnostics"][0]["code"], "CTO302", "{}", run.stdout);
    assert_eq!(j["diagnostics"][0]["path"], "docs/decisions/0002-use-y.md");
}
