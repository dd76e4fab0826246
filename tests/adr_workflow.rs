//! The ADR workflow end to end: init, new, supersede, status, list.

mod support;

use support::{Repo, TODAY, madr};

#[test]
fn init_writes_config_and_adr_0001_and_refuses_a_second_time() {
    let repo = Repo::git();
    let run = repo.cto(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(repo.exists("cto.yaml"));
    for dir in ["docs/decisions", "docs/risks", "docs/slos", "docs/roadmap"] {
        assert!(repo.path().join(dir).is_dir(), "{dir}");
    }
    let first = repo.read("docs/decisions/0001-record-architecture-decisions.md");
    assert!(
        first
            .starts_with("---\nstatus: accepted\ndate: 2024-05-01\ndecision-makers: [Test User]\n")
    );
    assert!(first.contains("\n# Record architecture decisions\n"));
    assert_eq!(repo.cto(&["lint"]).code, 0);

    let before = repo.snapshot();
    let again = repo.cto(&["init"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("cto.yaml already exists"),
        "{}",
        again.stderr
    );
    assert_eq!(repo.snapshot(), before, "a second init changes no file");
}

#[test]
fn init_keeps_an_existing_adr_directory() {
    let repo = Repo::git().file("doc/adr/0001-use-x.md", &madr("accepted", "Use X"));
    assert_eq!(repo.cto(&["init"]).code, 0);
    assert!(repo.read("cto.yaml").contains("dir: doc/adr"));
    assert!(!repo.exists("doc/adr/0002-record-architecture-decisions.md"));
}

#[test]
fn new_adr_has_madr_front_matter_today_and_the_git_user() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let run = repo.cto(&["adr", "new", "Use PostgreSQL for orders"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/decisions/0002-use-postgresql-for-orders.md"
    );
    let text = repo.read("docs/decisions/0002-use-postgresql-for-orders.md");
    let front = format!(
        "---\nstatus: proposed\ndate: {TODAY}\ndecision-makers: [Test User]\nconsulted: []\ninformed: []\n---\n\n# Use PostgreSQL for orders\n"
    );
    assert!(text.starts_with(&front), "{text}");
    for section in [
        "## Context and Problem Statement",
        "## Considered Options",
        "## Decision Outcome",
    ] {
        assert!(text.contains(section), "{section}");
    }
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    assert!(
        lint.stdout.contains("0 errors, 0 warnings in 2 documents"),
        "{}",
        lint.stdout
    );
}

#[test]
fn supersedes_writes_the_new_adr_and_changes_only_the_old_status_line() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    repo.cto(&["adr", "new", "Use PostgreSQL for orders"]);
    let old_path = "docs/decisions/0002-use-postgresql-for-orders.md";
    let before = repo.read(old_path);

    let run = repo.cto(&[
        "adr",
        "new",
        "Use CockroachDB for orders",
        "--supersedes",
        "2",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/decisions/0003-use-cockroachdb-for-orders.md"
    );
    let new = repo.read("docs/decisions/0003-use-cockroachdb-for-orders.md");
    assert!(new.contains("\nsupersedes: ADR-0002\n"), "{new}");

    let after = repo.read(old_path);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        vec![("status: proposed", "status: superseded by ADR-0003")]
    );
    assert_eq!(before.lines().count(), after.lines().count());

    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    assert!(
        lint.stdout.contains("0 errors, 0 warnings"),
        "{}",
        lint.stdout
    );
}

#[test]
fn supersedes_a_missing_adr_writes_nothing() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let before = repo.snapshot();
    let run = repo.cto(&["adr", "new", "Use X", "--supersedes", "7"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("there is no ADR-0007"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_title_cannot_escape_the_adr_directory() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let before: Vec<_> = repo.snapshot().into_iter().map(|(p, _)| p).collect();
    let run = repo.cto(&["adr", "new", "../../etc/passwd"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "docs/decisions/0002-etc-passwd.md");
    let after: Vec<_> = repo.snapshot().into_iter().map(|(p, _)| p).collect();
    let added: Vec<_> = after.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(
        added,
        vec![&std::path::PathBuf::from(
            "docs/decisions/0002-etc-passwd.md"
        )]
    );
    assert!(
        repo.read("docs/decisions/0002-etc-passwd.md")
            .contains("\n# ../../etc/passwd\n")
    );
}

#[test]
fn slugs_keep_any_script() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let run = repo.cto(&["adr", "new", "在 list 展示"]);
    assert_eq!(run.stdout.trim(), "docs/decisions/0002-在-list-展示.md");
}

#[test]
fn status_follows_the_allowed_transitions() {
    let repo = Repo::git().file("docs/decisions/0001-use-x.md", &madr("proposed", "Use X"));
    let run = repo.cto(&["adr", "status", "1", "Accepted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "ADR-0001: proposed → accepted");
    assert!(
        repo.read("docs/decisions/0001-use-x.md")
            .starts_with("---\nstatus: accepted\n")
    );

    let before = repo.snapshot();
    let refused = repo.cto(&["adr", "status", "ADR-0001", "proposed"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("it can become: deprecated, superseded"),
        "{}",
        refused.stderr
    );
    assert_eq!(repo.snapshot(), before);

    assert_eq!(
        repo.cto(&["adr", "status", "1", "proposed", "--force"])
            .code,
        0
    );
    let typo = repo.cto(&["adr", "status", "1", "acepted"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `accepted`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn status_edit_keeps_crlf_bom_quotes_and_comments() {
    let text = "\u{feff}---\r\nstatus: \"proposed\" # to be reviewed\r\ndate: 2024-01-15\r\nx-team: core\r\n---\r\n\r\n# Use X\r\n\r\n## Context\r\n\r\nA.\r\n\r\n## Decision\r\n\r\nB.\r\n\r\n## Consequences\r\n\r\nC.\r\n";
    let repo = Repo::git().file("docs/decisions/0001-use-x.md", text);
    assert_eq!(repo.cto(&["adr", "status", "1", "accepted"]).code, 0);
    let expected = text.replace("\"proposed\"", "\"accepted\"");
    assert_eq!(
        repo.bytes("docs/decisions/0001-use-x.md"),
        expected.into_bytes()
    );
}

#[test]
fn superseding_an_adr_tools_record_writes_its_status_in_its_own_style() {
    let old = "# 1. Use shell\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nA.\n\n## Decision\n\nB.\n\n## Consequences\n\nC.\n";
    let repo = Repo::git().file("doc/adr/0001-use-shell.md", old);
    let run = repo.cto(&["adr", "new", "Use Rust", "--supersedes", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        repo.read("doc/adr/0001-use-shell.md"),
        old.replace(
            "\nAccepted\n",
            "\nSuperseded by [2. Use Rust](0002-use-rust.md)\n"
        )
    );
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
}

#[test]
fn list_filters_by_status_and_gives_json_rows() {
    let repo = Repo::git()
        .file("docs/decisions/0001-use-x.md", &madr("accepted", "Use X"))
        .file("docs/decisions/0002-use-y.md", &madr("proposed", "Use Y"));
    let run = repo.cto(&["adr", "list", "--format", "json", "--status", "accepted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "ADR-0001");
    assert_eq!(rows[0]["kind"], "adr");
    assert_eq!(rows[0]["title"], "Use X");
    assert_eq!(rows[0]["status"], "accepted");
    assert_eq!(rows[0]["date"], "2024-01-15");
    assert_eq!(rows[0]["path"], "docs/decisions/0001-use-x.md");

    let table = repo.cto(&["adr", "list"]);
    assert!(
        table.stdout.contains("ADR-0002") && table.stdout.contains("Use Y"),
        "{}",
        table.stdout
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn an_adr_tools_repository_is_read_as_it_is() {
    let repo = Repo::git();
    let src = support::corpus().join("nygard/npryce__adr-tools/doc/adr");
    for entry in std::fs::read_dir(&src).expect("corpus") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        repo.write(
            &format!("doc/adr/{name}"),
            &std::fs::read(entry.path()).expect("read"),
        );
    }
    let run = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 9);
    let first = &rows[0];
    assert_eq!(first["id"], "ADR-0001");
    assert_eq!(first["title"], "Record architecture decisions");
    assert_eq!(first["status"], "accepted");
    assert_eq!(first["date"], "2016-02-12");
    assert_eq!(first["format"], "adr-tools");
    let last = &rows[8];
    assert_eq!(last["title"], "Help scripts");
    assert_eq!(last["date"], "2018-06-26");
    assert_eq!(last["links"], serde_json::json!(["ADR-0005"]));
    assert!(rows.iter().all(|r| r["status"] == "accepted"));
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[test]
fn adr_dir_is_found_through_adr_tools_marker() {
    let repo = Repo::git().file(".adr-dir", "architecture/records\n").file(
        "architecture/records/0001-use-x.md",
        &madr("accepted", "Use X"),
    );
    let run = repo.cto(&["adr", "list", "--format", "json"]);
    assert_eq!(run.json()[0]["path"], "architecture/records/0001-use-x.md");
}

#[test]
fn concurrent_new_commands_take_distinct_numbers() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let bin = assert_cmd::cargo::cargo_bin("cto");
    let children: Vec<_> = (0..16)
        .map(|i| {
            std::process::Command::new(&bin)
                .current_dir(repo.path())
                .args(["adr", "new", &format!("Decision {i}")])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let mut numbers: Vec<String> = std::fs::read_dir(repo.path().join("docs/decisions"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy()[..4].to_string())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=17).map(|n| format!("{n:04}")).collect();
    assert_eq!(numbers, expected, "16 files with 16 distinct numbers");
}

#[cfg(unix)]
#[test]
fn an_edit_killed_before_its_rename_leaves_the_old_file_intact() {
    let repo = Repo::git().file("docs/decisions/0001-use-x.md", &madr("proposed", "Use X"));
    let before = repo.bytes("docs/decisions/0001-use-x.md");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cto"))
        .current_dir(repo.path())
        .args(["adr", "status", "1", "accepted"])
        .env("CTO_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the new text is written to its temporary file, then kill the edit.
    let dir = repo.path().join("docs/decisions");
    let started = std::time::Instant::now();
    let temp = loop {
        let found = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(".cto-") && n.ends_with(".tmp"));
        if let Some(t) = found {
            break t;
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "the edit never wrote its temporary file"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        std::fs::read_to_string(dir.join(&temp))
            .expect("temp")
            .contains("status: accepted")
    );
    assert_eq!(
        repo.bytes("docs/decisions/0001-use-x.md"),
        before,
        "the old file is intact"
    );
    // The leftover is not a document, and the next edit goes through.
    assert_eq!(repo.cto(&["lint"]).code, 0);
    assert_eq!(repo.cto(&["adr", "status", "1", "accepted"]).code, 0);
    assert!(
        repo.read("docs/decisions/0001-use-x.md")
            .starts_with("---\nstatus: accepted\n")
    );
}

#[test]
fn the_nygard_template_and_a_repository_template_are_used() {
    let repo = Repo::git().file("cto.yaml", "adr:\n  template: nygard\n");
    repo.cto(&["adr", "new", "Use X"]);
    let text = repo.read("docs/decisions/0001-use-x.md");
    assert!(
        text.contains("\n## Context\n") && text.contains("\n## Consequences\n"),
        "{text}"
    );
    assert!(!text.contains("Considered Options"));

    let custom = "---\nstatus: {{ status }}\ndate: {{ date }}\n---\n\n# {{ title }} ({{ id }})\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n";
    let repo = Repo::git().file(".cto/templates/adr.md", custom);
    repo.cto(&["adr", "new", "Use Y"]);
    assert_eq!(
        repo.read("docs/decisions/0001-use-y.md"),
        format!(
            "---\nstatus: proposed\ndate: {TODAY}\n---\n\n# Use Y (ADR-0001)\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n"
        )
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[cfg(unix)]
#[test]
fn edit_opens_the_new_file_in_the_editor() {
    let repo = Repo::git();
    let script = repo.path().join("editor.sh");
    std::fs::write(&script, "#!/bin/sh\necho 'edited' >> \"$1\"\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = assert_cmd::Command::cargo_bin("cto")
        .expect("binary")
        .current_dir(repo.path())
        .env("EDITOR", &script)
        .env_remove("VISUAL")
        .args(["adr", "new", "Use Z", "--edit"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        repo.read("docs/decisions/0001-use-z.md")
            .ends_with("edited\n")
    );
}
