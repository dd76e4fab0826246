//! Edits on the value shapes real repositories hold, lost updates, crashes and races:
//! every write changes only what it means to, or refuses and leaves the files alone.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Repo, madr};

const ADR: &str = "docs/decisions/0001-use-x.md";

fn adr_with(front: &str) -> String {
    format!("---\n{front}---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n")
}

fn cto_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("cto")
}

#[test]
fn status_edits_rewrite_flow_block_and_null_values_whole() {
    let cases = [
        (
            "status: { accepted }\ndate: 2024-01-01\n",
            "status: deprecated\ndate: 2024-01-01\n",
        ),
        (
            "status: {proposed}\ndate: 2024-01-01\n",
            "status: deprecated\ndate: 2024-01-01\n",
        ),
        (
            "status: [accepted]\ndate: 2024-01-01\n",
            "status: deprecated\ndate: 2024-01-01\n",
        ),
        (
            "status: |\n  Accepted\ndate: 2024-01-01\n",
            "status: deprecated\ndate: 2024-01-01\n",
        ),
        (
            "status: >-\n  Accepted\ndecision-makers: >-\n  Ana\ndate: 2024-01-01\n",
            "status: deprecated\ndecision-makers: >-\n  Ana\ndate: 2024-01-01\n",
        ),
        (
            "status: ~ # to do\ndate: 2024-01-01\n",
            "status: deprecated # to do\ndate: 2024-01-01\n",
        ),
    ];
    for (front, want) in cases {
        let repo = Repo::plain().file(ADR, &adr_with(front));
        let run = repo.cto(&["adr", "status", "1", "deprecated", "--force"]);
        assert_eq!(run.code, 0, "{front:?}: {}", run.stderr);
        assert_eq!(repo.read(ADR), adr_with(want), "{front:?}");
    }
}

#[test]
fn fix_rewrites_a_block_scalar_status_without_eating_the_next_key() {
    let front = "status: |\n  Accepted\ndate: 2024-01-01\ndecision-makers: [Ana]\n";
    let repo = Repo::plain().file(ADR, &adr_with(front));
    let run = repo.cto(&["lint", "--fix"]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(
        repo.read(ADR),
        adr_with("status: accepted\ndate: 2024-01-01\ndecision-makers: [Ana]\n")
    );
}

#[test]
fn a_risk_closed_over_a_null_date_and_a_flow_front_matter() {
    let risk = "docs/risks/0001-vendor.md";
    let text = "---\ntitle: Vendor\nstatus: open\nowner: Ana\ncategory: security\nlikelihood: 3\nimpact: 4\nclosed: ~\n---\n\n# Vendor\n\n## Mitigation\n\nA plan.\n";
    let repo = Repo::plain().file(risk, text);
    let run = repo.cto(&["risk", "status", "1", "closed", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = repo.read(risk);
    assert!(after.contains("\nclosed: 2024-05-01\n"), "{after}");
    assert!(!after.contains('~'), "{after}");

    let flow = "---\n{title: Vendor, status: open, owner: Ana}\n---\n\n# Vendor\n";
    let repo = Repo::plain().file(risk, flow);
    let run = repo.cto(&["risk", "status", "1", "closed", "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("flow mapping"), "{}", run.stderr);
    assert_eq!(repo.read(risk), flow);
}

#[test]
fn a_status_paragraph_of_prose_is_refused_not_replaced() {
    let text = "# 3. Use X\n\nDate: 2020-01-01\n\n## Status\n\nPartially superseded by [ADR 17](0017-y.md). To look at the files\nas they were, browse [this commit](https://example.com/c/1).\n\n## Context\n\nWhy.\n\n## Decision\n\nX.\n\n## Consequences\n\nSome.\n";
    let repo = Repo::plain().file("docs/decisions/0003-use-x.md", text);
    let run = repo.cto(&["adr", "status", "3", "deprecated", "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("docs/decisions/0003-use-x.md:7:1: the status is a paragraph of prose"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("docs/decisions/0003-use-x.md"), text);
}

#[test]
fn migrate_keeps_keys_comments_and_notes_and_invents_no_links() {
    let madr2 = "---\nparent: Decisions\n# Jekyll\nnav_order: 13\n---\n# Use X\n\n* Status: accepted\n* Deciders: Ana\n\nTechnical Story: [x](https://github.com/o/r/pull/742)\n\n## Context and Problem Statement\n\nWhy.\n";
    let tools = "# 2. Use Y\n\nDate: 2019-03-04\n\n## Status\n\nAccepted\n\n2020-01-01: we revisited this, see [the PR](https://github.com/o/r/pull/742).\n\n## Context\n\nWhy.\n";
    let repo = Repo::plain()
        .file("docs/decisions/0013-use-x.md", madr2)
        .file("docs/decisions/0002-use-y.md", tools);
    let run = repo.cto(&["adr", "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a = repo.read("docs/decisions/0013-use-x.md");
    assert!(
        a.starts_with("---\nparent: Decisions\n# Jekyll\nnav_order: 13\n"),
        "{a}"
    );
    assert!(
        a.contains("Technical Story: [x](https://github.com/o/r/pull/742)"),
        "{a}"
    );
    let b = repo.read("docs/decisions/0002-use-y.md");
    assert!(b.contains("2020-01-01: we revisited this"), "{b}");
    assert!(
        !a.contains("ADR-0742") && !b.contains("ADR-0742"),
        "{a}\n{b}"
    );
    assert!(
        b.starts_with("---\nstatus: accepted\ndate: 2019-03-04\n"),
        "{b}"
    );
}

#[test]
fn field_values_keep_their_type() {
    let repo = Repo::plain();
    let run = repo.cto(&[
        "risk",
        "new",
        "Vendor",
        "--field",
        "owner=12e3",
        "--field",
        "category=security",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = repo.read(run.stdout.trim());
    assert!(text.contains("owner: \"12e3\""), "{text}");
    let run = repo.cto(&["risk", "new", "Other", "--field", "owner="]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = repo.cto(&["risk", "new", "Third", "--field", "likelihood=0x10"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = repo.cto(&[
        "slo",
        "new",
        "Checkout availability",
        "--field",
        "service=x' #",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!repo.exists("docs/slos/checkout-availability.md"));
}

/// Runs `cto` in the background with the pause before a write is put into place.
fn spawn_paused(repo: &Repo, args: &[&str], pause_ms: u64) -> std::process::Child {
    Command::new(cto_bin())
        .current_dir(repo.path())
        .args(args)
        .env("CTO_TODAY", support::TODAY)
        .env("CTO_TEST_PAUSE_BEFORE_RENAME_MS", pause_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cto")
}

#[test]
fn a_change_made_during_an_edit_is_not_reverted() {
    let repo = Repo::plain().file(ADR, &madr("proposed", "Use X"));
    let child = spawn_paused(&repo, &["adr", "status", "1", "accepted"], 1500);
    std::thread::sleep(Duration::from_millis(500));
    let theirs = madr("proposed", "Use X, edited meanwhile");
    repo.write(ADR, theirs.as_bytes());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("changed since cto read it"));
    assert_eq!(repo.read(ADR), theirs);
}

#[test]
fn supersede_is_all_or_nothing() {
    let repo = Repo::plain().file(ADR, &madr("accepted", "Use X"));
    let child = spawn_paused(&repo, &["adr", "new", "Use Z", "--supersedes", "1"], 1500);
    std::thread::sleep(Duration::from_millis(500));
    let theirs = madr("accepted", "Use X, edited meanwhile");
    repo.write(ADR, theirs.as_bytes());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(repo.read(ADR), theirs);
    assert!(
        !repo.exists("docs/decisions/0002-use-z.md"),
        "the new ADR was created alone"
    );
}

#[cfg(unix)]
#[test]
fn sigkill_never_leaves_an_empty_document_a_lock_or_a_temporary_file() {
    let repo = Repo::plain().file(ADR, &madr("accepted", "Use X"));
    // An old lock file from an earlier version means nothing now.
    repo.write("docs/decisions/.cto.lock", b"4242\n");
    for i in 0..40u64 {
        let mut child = spawn_paused(&repo, &["adr", "new", &format!("Try {i}")], 30);
        std::thread::sleep(Duration::from_millis((i * 7) % 60));
        let _ = child.kill();
        let _ = child.wait();
    }
    let started = Instant::now();
    let run = repo.cto(&["adr", "new", "After the storm"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the next new waited"
    );
    let mut numbers = Vec::new();
    for (path, bytes) in repo.snapshot() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "left behind: {name}");
        if name.ends_with(".md") {
            assert!(!bytes.is_empty(), "empty document: {name}");
            assert!(
                String::from_utf8_lossy(&bytes).contains("\n# "),
                "half a document: {name}"
            );
            numbers.push(name[..4].to_string());
        }
    }
    let count = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), count, "two documents share a number");
}

#[test]
fn concurrent_new_takes_distinct_numbers() {
    let repo = Repo::plain().file(ADR, &madr("accepted", "Use X"));
    let children: Vec<_> = (0..12)
        .map(|i| spawn_paused(&repo, &["adr", "new", &format!("Parallel {i}")], 5))
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let names: Vec<String> = repo
        .snapshot()
        .into_iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    let mut numbers: Vec<&str> = names.iter().map(|n| &n[..4]).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 13, "{names:?}");
}

#[test]
fn status_edits_skip_comments_headings_and_code_in_the_status_section() {
    let cases = [
        "## Status\n\n<!--\n  One of:\n\n  Proposed\n\n-->\n\nProposed\n\n## Context\n\nc\n",
        "## Status\n\n```text\n\nProposed\n\n```\n\n## Context\n\nc\n",
        "## Status\n\n### History\n\nProposed\n\n## Context\n\nc\n",
    ];
    for section in cases {
        let text = format!("# 1. Use X\n\nDate: 2020-01-01\n\n{section}");
        let repo = Repo::plain().file(ADR, &text);
        let run = repo.cto(&["adr", "status", "1", "accepted", "--force"]);
        let after = repo.read(ADR);
        if run.code == 0 {
            // Only a visible status line may change, and it now reads accepted.
            let (a, b) = (
                text.lines().collect::<Vec<_>>(),
                after.lines().collect::<Vec<_>>(),
            );
            assert_eq!(a.len(), b.len(), "{section:?}");
            let changed: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
            assert_eq!(
                changed,
                [(&"Proposed", &"Accepted")],
                "{section:?}\n{after}"
            );
            assert!(
                !text.contains("<!--") || after.contains("  Proposed\n"),
                "{after}"
            );
        } else {
            assert_eq!(after, text, "{section:?}");
        }
        assert!(!after.contains("```text\n\nAccepted"), "{after}");
        assert!(
            after.contains("### History") || !section.contains("### History"),
            "{after}"
        );
    }
}

#[test]
fn a_commented_bullet_is_not_the_status_and_a_trailing_comment_stays() {
    let text = "# Use X\n\n<!--\n* Status: proposed\n-->\n* Status: rejected\n* Date: 2020-01-01\n\n## Context\n\nc\n";
    let repo = Repo::plain().file(ADR, text);
    let run = repo.cto(&["adr", "status", "1", "accepted", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        repo.read(ADR),
        text.replace("* Status: rejected", "* Status: accepted")
    );

    let text = "# Use X\n\n* Status: proposed <!-- owner: ana -->\n* Date: 2020-01-01\n\n## Context\n\nc\n";
    let repo = Repo::plain().file(ADR, text);
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        repo.read(ADR),
        text.replace("proposed <!--", "accepted <!--")
    );
}

#[test]
fn migrate_keeps_what_front_matter_cannot_say() {
    let cases = [
        "# 1. Use X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [the old wiki page](../wiki/old.md)\n\nAmended by [the runbook](../ops/runbook.md)\n\n## Context\n\nc\n",
        "# 5. Use X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes ADR 3 and ADR 4\n\n## Context\n\nc\n",
        "# 5. Use X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [3. A](0003-a.md), [4. B](0004-b.md)\n\n## Context\n\nc\n",
    ];
    // (`Amended by [9. Help](0009-help.md)` names a record: it becomes `amended-by`.)
    for text in cases {
        let repo = Repo::plain().file(ADR, text);
        let run = repo.cto(&["adr", "migrate"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let after = repo.read(ADR);
        for line in text
            .lines()
            .filter(|l| l.starts_with("Supersedes") || l.starts_with("Amended"))
        {
            assert!(after.contains(line), "lost `{line}`:\n{after}");
        }
    }
    let bullets = "# Use X\n\n* Status: accepted <!-- was\n  draft -->\n* Deciders: Ana,\n  Bo, Cy\n* Date: 2020-01-01\n\n## Context\n\nc\n";
    let repo = Repo::plain().file(ADR, bullets);
    let run = repo.cto(&["adr", "migrate"]);
    assert!(run.stderr.contains("not migrated"), "{}", run.stderr);
    assert_eq!(repo.read(ADR), bullets);
}

#[test]
fn closing_a_risk_keeps_a_closed_value_the_author_wrote() {
    let risk = "docs/risks/0001-vendor.md";
    let text = "---\ntitle: Vendor\nstatus: open\nowner: Ana\ncategory: security\nlikelihood: 3\nimpact: 4\nclosed: \"when the DR drill passes\"\n---\n\n# Vendor\n\n## Mitigation\n\nA plan.\n";
    let repo = Repo::plain().file(risk, text);
    let run = repo.cto(&["risk", "status", "1", "closed", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        repo.read(risk)
            .contains("closed: \"when the DR drill passes\"")
    );
}

#[cfg(unix)]
#[test]
fn a_linked_document_is_not_replaced_by_a_copy() {
    let repo = Repo::plain().file("shared/0001-a.md", &madr("proposed", "A"));
    std::fs::create_dir_all(repo.path().join("docs/decisions")).unwrap();
    std::os::unix::fs::symlink(
        repo.path().join("shared/0001-a.md"),
        repo.path().join("docs/decisions/0001-a.md"),
    )
    .unwrap();
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    let meta = std::fs::symlink_metadata(repo.path().join("docs/decisions/0001-a.md")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert_eq!(repo.read("shared/0001-a.md"), madr("proposed", "A"));
}

#[test]
fn new_counts_the_numbers_of_subdirectories() {
    let repo = Repo::plain().file(ADR, &madr("accepted", "Use X")).file(
        "docs/decisions/archive/0011-old.md",
        &madr("deprecated", "Old"),
    );
    let run = repo.cto(&["adr", "new", "Fresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        repo.exists("docs/decisions/0012-fresh.md"),
        "{}",
        run.stdout
    );
}

/// Waits until `path` exists (or fails the test after 20 s).
fn wait_for(path: &std::path::Path) {
    let started = std::time::Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed().as_secs() < 20,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(unix)]
#[test]
fn a_supersede_killed_halfway_is_finished_by_the_next_writer() {
    let repo = Repo::plain().file(ADR, &madr("accepted", "Use X"));
    let mut child = Command::new(cto_bin())
        .current_dir(repo.path())
        .args(["adr", "new", "Use Z", "--supersedes", "1"])
        .env("CTO_TODAY", support::TODAY)
        .env("CTO_TEST_PAUSE_AFTER_FIRST_STEP_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn cto");
    // The new ADR is in place, the old one not yet marked: kill it there.
    wait_for(&repo.path().join("docs/decisions/0002-use-z.md"));
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        repo.read(ADR).contains("status: accepted"),
        "marked before the kill"
    );
    let leftovers = |repo: &Repo| -> Vec<String> {
        std::fs::read_dir(repo.path().join("docs/decisions"))
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    };
    assert!(
        !leftovers(&repo).is_empty(),
        "no journal was left to finish the plan"
    );

    // The next writer in the directory finishes the plan before its own work.
    let run = repo.cto(&["adr", "new", "Use W"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        repo.read(ADR).contains("status: superseded by ADR-0002"),
        "{}",
        repo.read(ADR)
    );
    assert_eq!(leftovers(&repo), Vec::<String>::new());
    assert_eq!(repo.cto(&["lint", "--format", "json"]).findings().len(), 0);
}

#[cfg(unix)]
#[test]
fn a_renumber_killed_halfway_is_finished_by_the_next_writer() {
    let newer = madr("accepted", "Use Y").replacen(
        "decision-makers: [Ana]\n",
        "decision-makers: [Ana]\nlinks: [ADR-0001]\n",
        1,
    );
    let repo = Repo::plain()
        .file(ADR, &madr("accepted", "Use X"))
        .file("docs/decisions/0002-use-y.md", &newer);
    let mut child = Command::new(cto_bin())
        .current_dir(repo.path())
        .args(["adr", "renumber", "1", "7"])
        .env("CTO_TEST_PAUSE_AFTER_FIRST_STEP_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn cto");
    let dir = repo.path().join("docs/decisions");
    let started = std::time::Instant::now();
    // Whichever step comes first, wait until it is done.
    while repo.read("docs/decisions/0002-use-y.md") == newer && !dir.join("0007-use-x.md").exists()
    {
        assert!(started.elapsed().as_secs() < 20, "renumber never began");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let run = repo.cto(&["adr", "status", "2", "deprecated"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("0007-use-x.md").exists() && !repo.exists(ADR));
    assert!(
        repo.read("docs/decisions/0002-use-y.md")
            .contains("links: [ADR-0007]")
    );
}

#[test]
fn every_status_refusal_names_the_file_the_place_and_the_real_cause() {
    // (file, bytes, what the refusal must say, where)
    let cases: [(&str, &[u8], &str, &str); 8] = [
        (
            "0002-broken.md",
            b"---\nstatus: [proposed\ndate: 2024-01-01\n---\n\n# Broken\n",
            "invalid YAML",
            "0002-broken.md:3:5:",
        ),
        (
            "0002-unclosed.md",
            b"---\nstatus: proposed\ndate: 2024-01-01\n\n# Unclosed\n",
            "never closed",
            "0002-unclosed.md:1:1:",
        ),
        (
            "0002-dup.md",
            b"---\nstatus: proposed\nstatus: accepted\n---\n\n# Dup\n",
            "duplicate",
            "0002-dup.md:3:",
        ),
        (
            "0002-scalar.md",
            b"---\njust a string\n---\n\n# S\n",
            "mapping",
            "0002-scalar.md:2:1:",
        ),
        (
            "0002-bin.md",
            b"---\nstatus: proposed\n---\n\n# Bin \xff\n",
            "UTF-8",
            "0002-bin.md:5:7:",
        ),
        (
            "0002-flow.md",
            b"---\n{status: proposed, date: 2024-01-01}\n---\n\n# Flow\n",
            "flow mapping",
            "0002-flow.md:2:",
        ),
        (
            "0002-list.md",
            b"---\nstatus: [proposed, accepted]\n---\n\n# List\n",
            "is a list, not one status",
            "0002-list.md:2:1:",
        ),
        (
            "0002-map.md",
            b"---\nstatus:\n  value: proposed\n---\n\n# Map\n",
            "is a mapping, not one status",
            "0002-map.md:2:1:",
        ),
    ];
    for (name, bytes, cause, place) in cases {
        let rel = format!("docs/decisions/{name}");
        let repo = Repo::plain();
        repo.write(&rel, bytes);
        let run = repo.cto(&["adr", "status", "2", "accepted"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(cause), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(place), "{name}: {}", run.stderr);
        assert!(
            !run.stderr.contains("has no status"),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(repo.bytes(&rel), bytes, "{name}");
    }

    // No front matter and no `## Status` section.
    let repo = Repo::plain().file(ADR, "# Use X\n\nJust prose.\n");
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0001-use-x.md:1:1: ADR-0001 cannot be changed: no metadata"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(ADR), "# Use X\n\nJust prose.\n");

    // MADR 2 bullets without a status line: that is the cause, not a missing front matter.
    let bullets = "# Use X\n\n- Date: 2020-10-28\n\n## Context\n\nc\n";
    let repo = Repo::plain().file(ADR, bullets);
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0001-use-x.md:1:1: its metadata bullets have no `- Status:` line"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(ADR), bullets);

    // A template's placeholder is no structure: it is replaced without --force.
    let repo = Repo::plain().file(ADR, &adr_with("status: { proposed | accepted }\n"));
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(repo.read(ADR), adr_with("status: accepted\n"));

    // Two files with one number: neither is guessed.
    let repo = Repo::plain()
        .file("docs/decisions/0002-a.md", &madr("proposed", "A"))
        .file("docs/decisions/0002-b.md", &madr("proposed", "B"));
    let run = repo.cto(&["adr", "status", "2", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0002-a.md and docs/decisions/0002-b.md"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("docs/decisions/0002-a.md"), madr("proposed", "A"));
    assert_eq!(repo.read("docs/decisions/0002-b.md"), madr("proposed", "B"));
}

#[cfg(unix)]
#[test]
fn a_status_change_of_a_file_not_read_says_why_it_was_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, madr("proposed", "Secret")).unwrap();
    let repo = Repo::plain().file("docs/decisions/0001-use-x.md", &madr("accepted", "X"));
    std::os::unix::fs::symlink(&secret, repo.path().join("docs/decisions/0002-out.md")).unwrap();
    let run = repo.cto(&["adr", "status", "2", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("docs/decisions/0002-out.md:1:1:")
            && run.stderr.contains("outside the repository"),
        "{}",
        run.stderr
    );
    let run = repo.cto(&["adr", "new", "Use Y", "--supersedes", "2"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn fix_never_splits_one_person_written_surname_first() {
    let front = "status: accepted\ndate: 2024-01-01\ndecision-makers: Doe, Jane\nconsulted: Ana Lima, Bo Chen\ninformed: \"@ana, @bo\"\n";
    // CTO111 is opt-in; this team turned it on.
    let repo = Repo::plain()
        .file("cto.yaml", "rules:\n  CTO111: warn\n")
        .file(ADR, &adr_with(front));
    let run = repo.cto(&["lint", "--fix"]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(
        repo.read(ADR),
        adr_with(
            "status: accepted\ndate: 2024-01-01\ndecision-makers: Doe, Jane\nconsulted: [Ana Lima, Bo Chen]\ninformed: [\"@ana\", \"@bo\"]\n"
        )
    );
    let run = repo.cto(&["lint"]);
    assert!(
        run.stdout
            .contains("write `decision-makers: [\"Doe, Jane\"]` if that is one person"),
        "{}",
        run.stdout
    );
    // Names separated by `;` are certain, commas and all.
    let repo = Repo::plain()
        .file("cto.yaml", "rules:\n  CTO111: warn\n")
        .file(
            ADR,
            &adr_with("status: accepted\ndecision-makers: Doe, Jane; Roe, Rick\n"),
        );
    repo.cto(&["lint", "--fix"]);
    assert_eq!(
        repo.read(ADR),
        adr_with("status: accepted\ndecision-makers: [\"Doe, Jane\", \"Roe, Rick\"]\n")
    );
}

#[cfg(unix)]
#[test]
fn a_hard_linked_document_is_not_split_from_its_other_names() {
    let text = madr("proposed", "A");
    let repo = Repo::plain().file("shared/a.md", &text);
    std::fs::create_dir_all(repo.path().join("docs/decisions")).unwrap();
    std::fs::hard_link(
        repo.path().join("shared/a.md"),
        repo.path().join("docs/decisions/0001-a.md"),
    )
    .unwrap();
    let run = repo.cto(&["adr", "status", "1", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hard links"), "{}", run.stderr);
    assert_eq!(repo.read("docs/decisions/0001-a.md"), text);
    assert_eq!(repo.read("shared/a.md"), text);
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(repo.path().join("docs/decisions/0001-a.md")).unwrap();
    assert_eq!(meta.nlink(), 2, "still one file with two names");
}

#[test]
fn link_refusals_name_the_file_and_the_cause() {
    let tools = "# 2. Use Y\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n";
    let block = "---\nstatus: accepted\nlinks: |\n  ADR-0009\n---\n\n# Use Z\n";
    let repo = Repo::plain()
        .file(ADR, &madr("accepted", "Use X"))
        .file("docs/decisions/0002-use-y.md", tools)
        .file("docs/decisions/0003-use-z.md", block);
    let before = repo.snapshot();
    let run = repo.cto(&["adr", "link", "1", "relates-to", "1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("ADR-0001 cannot relate to itself"),
        "{}",
        run.stderr
    );
    let run = repo.cto(&["adr", "link", "1", "amends", "2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("docs/decisions/0002-use-y.md keeps its metadata in its body"),
        "{}",
        run.stderr
    );
    let run = repo.cto(&["adr", "link", "3", "relates-to", "1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("docs/decisions/0003-use-z.md:3:1: `links`"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.snapshot(), before, "no file changed");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_root_adr_directory_is_named_as_the_cause() {
    let repo = Repo::plain().file("cto.yaml", "adr: { dir: . }\n");
    let made = Command::new("mkfifo")
        .arg(repo.path().join("0002-fifo.md"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed");
    let run = repo.cto(&["adr", "status", "2", "accepted"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0002-fifo.md:1:1: ADR-0002 cannot be changed")
            && run.stderr.contains("FIFO"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn fix_skips_a_file_it_cannot_write_and_fixes_the_others() {
    let linked = "---\nstatus: accepted\ndecision-makers: Ana Lima, Bo Chen\n---\n\n# A\n";
    let repo = Repo::plain()
        .file("cto.yaml", "rules:\n  CTO111: warn\n")
        .file("shared/a.md", linked)
        .file(
            "docs/decisions/0002-b.md",
            "---\nstatus: accepted\ndecision-makers: Cy Dee, Di Eff\n---\n\n# B\n",
        );
    std::os::unix::fs::symlink(
        "../../shared/a.md",
        repo.path().join("docs/decisions/0001-a.md"),
    )
    .unwrap();
    let run = repo.cto(&["lint", "--fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("0001-a.md: not fixed:") && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    assert!(
        repo.read("docs/decisions/0002-b.md")
            .contains("decision-makers: [Cy Dee, Di Eff]\n"),
        "{}",
        repo.read("docs/decisions/0002-b.md")
    );
    assert_eq!(repo.read("shared/a.md"), linked);
}

#[cfg(unix)]
#[test]
fn migrate_skips_a_file_it_cannot_write_and_migrates_the_others() {
    let tools = |n: u32| {
        format!("# {n}. Use X\n\nDate: 2020-01-0{n}\n\n## Status\n\nAccepted\n\n## Context\n\nc\n")
    };
    let repo = Repo::plain()
        .file("shared/a.md", &tools(1))
        .file("docs/decisions/0002-b.md", &tools(2));
    std::os::unix::fs::symlink(
        "../../shared/a.md",
        repo.path().join("docs/decisions/0001-a.md"),
    )
    .unwrap();
    let run = repo.cto(&["adr", "migrate"]);
    assert_eq!(run.code, 1, "not every record was migrated");
    assert!(
        run.stderr.contains("0001-a.md: not migrated:") && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    assert!(
        repo.read("docs/decisions/0002-b.md")
            .starts_with("---\nstatus: accepted\ndate: 2020-01-02\n---\n"),
        "{}",
        repo.read("docs/decisions/0002-b.md")
    );
    assert_eq!(repo.read("shared/a.md"), tools(1));
}
