//! A hostile repository: links out of it, FIFOs and devices, directories configured
//! outside it, sizes and numbers beyond the arithmetic. Each case ends in a diagnostic or
//! a refusal naming the path and the reason, with an exact exit code, in bounded time;
//! nothing outside the repository is read, written or created.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Repo, Run, TODAY, madr};

const D: &str = "docs/decisions";
const MARKER: &str = "HOSTILE-MARKER-7f3a9c";

/// Runs cto in `dir` with stdin a pipe that stays open, killing it after `limit`: a run
/// that blocks (on a FIFO, on stdin) fails the test instead of hanging the suite.
fn bounded(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cto"))
        .current_dir(dir)
        .args(args)
        .env("CTO_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("HOSTILE_ENV", MARKER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cto");
    // Kept open (never written, never closed) until the child is gone.
    let stdin = child.stdin.take();
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cto {args:?} still ran after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&reader.join().expect("stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().expect("stderr")).into_owned(),
    }
}

fn run(repo: &Repo, args: &[&str]) -> Run {
    bounded(repo.path(), args, Duration::from_secs(20))
}

/// A repository with one clean ADR.
fn repo() -> Repo {
    Repo::git().file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, repo: &Repo, rel: &str) {
    let at = repo.path().join(rel);
    std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, at).expect("symlink");
}

/// A secret outside the repository: a well-formed ADR whose title and status carry the
/// marker, so that any read of it would show.
fn secret() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secret.md");
    std::fs::write(
        &path,
        format!(
            "---\nstatus: {MARKER}\ndate: 2024-01-15\n---\n\n# {MARKER} secret title\n\n{MARKER}\n"
        ),
    )
    .expect("write secret");
    (dir, path)
}

/// The CTO101 findings of a JSON lint, as (file name, message).
fn unreadable(run: &Run) -> Vec<(String, String)> {
    run.findings()
        .into_iter()
        .filter(|f| f.1 == "CTO101")
        .map(|f| (f.0, f.3))
        .collect()
}

fn no_marker(run: &Run, what: &str) {
    assert!(
        !run.stdout.contains(MARKER) && !run.stderr.contains(MARKER),
        "{what} shows what is outside the repository:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_the_repository_is_never_read() {
    let (_keep, secret) = secret();
    let repo = repo();
    link(&secret, &repo, &format!("{D}/0003-x.md"));

    let human = run(&repo, &["lint"]);
    no_marker(&human, "lint");
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stdout.contains("error[CTO101]")
            && human.stdout.contains("0003-x.md")
            && human.stdout.contains("outside the repository; not read"),
        "{}",
        human.stdout
    );
    let json = run(&repo, &["lint", "--format", "json"]);
    no_marker(&json, "lint --format json");
    assert_eq!(json.code, 1);
    let found = unreadable(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "0003-x.md");
    assert!(found[0].1.contains("outside the repository"), "{found:?}");

    for args in [
        &["adr", "list"][..],
        &["adr", "list", "--format", "json"],
        &["report", "--format", "md"],
        &["report", "--format", "html"],
    ] {
        let r = run(&repo, args);
        no_marker(&r, &format!("{args:?}"));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Use X"), "{args:?}: {}", r.stdout);
    }
    let status = run(&repo, &["adr", "status", "3", "accepted"]);
    no_marker(&status, "adr status");
    assert_eq!(status.code, 2, "{}", status.stderr);
    assert_eq!(
        std::fs::read_to_string(&secret)
            .expect("secret")
            .lines()
            .nth(1),
        Some(format!("status: {MARKER}").as_str()),
        "the secret is unchanged"
    );

    // A directory given on the command line: the link in it is one finding.
    let dir = run(&repo, &["lint", "--format", "json", D]);
    no_marker(&dir, "lint DIR");
    assert_eq!(dir.code, 1, "{}", dir.stderr);
    assert_eq!(unreadable(&dir).len(), 1, "{}", dir.stdout);

    // Named on the command line, the link is refused: the path, the reason, exit 2.
    for args in [
        &["lint", "--format", "json", "docs/decisions/0003-x.md"][..],
        &["lint", "--kind", "adr", "docs/decisions/0003-x.md"],
    ] {
        let named = run(&repo, args);
        no_marker(&named, &format!("{args:?}"));
        assert_eq!(named.code, 2, "{args:?}: {}", named.stderr);
        assert!(
            named.stderr.contains("0003-x.md: it resolves to")
                && named.stderr.contains("outside the repository; not read"),
            "{args:?}: {}",
            named.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_is_read() {
    let repo = repo().file("shared/0002-use-y.md", &madr("accepted", "Use Y"));
    link(
        "../../shared/0002-use-y.md",
        &repo,
        &format!("{D}/0002-use-y.md"),
    );
    let list = run(&repo, &["adr", "list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.json()[1]["title"], "Use Y");
    assert_eq!(run(&repo, &["lint"]).code, 0);
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_to_proc_self_environ_is_never_read() {
    let repo = repo();
    link("/proc/self/environ", &repo, &format!("{D}/0004-env.md"));
    for args in [
        &["lint", "--format", "json"][..],
        &["lint"],
        &["adr", "list"],
        &["report", "--format", "md"],
    ] {
        let r = run(&repo, args);
        no_marker(&r, &format!("{args:?}"));
    }
    let json = run(&repo, &["lint", "--format", "json"]);
    assert_eq!(json.code, 1);
    let found = unreadable(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].0 == "0004-env.md" && found[0].1.contains("outside the repository; not read"),
        "{found:?}"
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_link_to_a_fifo_is_refused_without_blocking() {
    let repo = repo();
    std::fs::create_dir_all(repo.path().join("pipes")).expect("mkdir");
    mkfifo(&repo.path().join("pipes/fifo"));
    link("../../pipes/fifo", &repo, &format!("{D}/0005-fifo.md"));
    let json = run(&repo, &["lint", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_eq!(
        unreadable(&json),
        vec![(
            "0005-fifo.md".to_string(),
            "it is a FIFO, not a regular file; not read".to_string()
        )]
    );
    for args in [
        &["adr", "list"][..],
        &["report", "--format", "html"],
        &["adr", "status", "1", "deprecated"],
    ] {
        let r = run(&repo, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    // A FIFO in the documents directory itself, not behind a link.
    let direct = self::repo();
    mkfifo(&direct.path().join(format!("{D}/0007-fifo.md")));
    let json = run(&direct, &["lint", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_eq!(
        unreadable(&json),
        vec![(
            "0007-fifo.md".to_string(),
            "it is a FIFO, not a regular file; not read".to_string()
        )]
    );
    // Named on the command line too.
    let named = run(
        &repo,
        &["lint", "--format", "json", "--kind", "adr", "pipes/fifo"],
    );
    assert_eq!(named.code, 1, "{}", named.stderr);
    assert!(
        unreadable(&named)
            .iter()
            .any(|(_, m)| m.contains("a FIFO, not a regular file")),
        "{}",
        named.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_stdin_is_refused_while_stdin_stays_open() {
    let repo = repo();
    link("/dev/stdin", &repo, &format!("{D}/0006-stdin.md"));
    for args in [
        &["lint"][..],
        &["adr", "list"],
        &["report", "--format", "md"],
        &["adr", "status", "1", "deprecated"],
    ] {
        let r = bounded(repo.path(), args, Duration::from_secs(10));
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    }
    let json = bounded(
        repo.path(),
        &["lint", "--format", "json"],
        Duration::from_secs(10),
    );
    assert_eq!(json.code, 1);
    let found = unreadable(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].0 == "0006-stdin.md" && found[0].1.contains("not a regular file; not read"),
        "{found:?}"
    );
}

/// Every file and directory below `dir`, with the bytes of the files.
fn listing(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("read"));
            (e.path().to_path_buf(), bytes)
        })
        .collect();
    out.sort();
    out
}

/// A repository at `outer/a/repo` with a fixable ADR beside it at `outer/outside`.
fn nested() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().expect("temp dir");
    let root = outer.path().join("a/repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    git2::Repository::init(&root).expect("git init");
    let outside = outer.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    // A non-canonical status: `lint --fix` would rewrite it.
    std::fs::write(outside.join("0001-outside.md"), madr("Accepted", "Outside")).expect("write");
    (outer, root)
}

fn in_dir(root: &Path, args: &[&str]) -> Run {
    bounded(root, args, Duration::from_secs(20))
}

#[test]
fn configured_directories_outside_the_repository_are_refused() {
    // (file, text); `{OUTSIDE}` is the absolute path of the directory beside the repository.
    let cases = [
        ("cto.yaml", "adr:\n  dir: ../../outside\n"),
        ("cto.yaml", "adr:\n  dir: ../..\n"),
        ("cto.yaml", "adr:\n  dir: {OUTSIDE}\n"),
        ("cto.yaml", "risk:\n  dir: a/../../..\n"),
        (".adr-dir", "../../outside\n"),
        (".adr-dir", "{OUTSIDE}\n"),
    ];
    for (file, template) in cases {
        let (outer, root) = nested();
        let text = template.replace(
            "{OUTSIDE}",
            &outer.path().join("outside").display().to_string(),
        );
        let name = format!("{file}: {}", text.trim());
        std::fs::write(root.join(file), &text).expect("write config");
        let before = listing(outer.path());

        let fix = in_dir(&root, &["lint", "--fix"]);
        assert_eq!(fix.code, 2, "{name}: {}{}", fix.stdout, fix.stderr);
        let shown = format!("{}{}", fix.stdout, fix.stderr);
        assert!(
            shown.contains("the directory is not used") && shown.contains(&format!("--> {file}:")),
            "{name}: {shown}"
        );
        let new = in_dir(&root, &["adr", "new", "Escape"]);
        assert_eq!(new.code, 2, "{name}: {}", new.stderr);
        assert!(
            new.stderr.contains("the directory is not used")
                && new.stderr.contains(&format!("error: {file} is invalid")),
            "{name}: {}",
            new.stderr
        );
        let risk = in_dir(&root, &["risk", "new", "Escape"]);
        assert_eq!(risk.code, 2, "{name}: {}", risk.stderr);
        assert_eq!(
            listing(outer.path()),
            before,
            "{name}: something changed outside the repository"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_documents_directory_that_links_out_is_refused() {
    let (outer, root) = nested();
    std::fs::create_dir_all(root.join("docs")).expect("mkdir");
    std::os::unix::fs::symlink(outer.path().join("outside"), root.join(D)).expect("symlink");
    let before = listing(outer.path());
    for args in [&["lint", "--fix"][..], &["adr", "new", "Escape"], &["init"]] {
        let r = in_dir(&root, args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            format!("{}{}", r.stdout, r.stderr).contains("outside the repository"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(listing(outer.path()), before);
}

#[cfg(unix)]
#[test]
fn cto_yaml_and_templates_that_link_out_are_refused() {
    let (_keep, secret) = secret();
    let config = repo();
    link(&secret, &config, "cto.yaml");
    let r = run(&config, &["lint"]);
    no_marker(&r, "a cto.yaml link");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("outside the repository; not read"),
        "{}",
        r.stderr
    );

    for (rel, yaml) in [
        (".cto/templates/adr.md", None),
        ("tpl.md", Some("adr:\n  template: tpl.md\n")),
    ] {
        let repo = repo();
        link(&secret, &repo, rel);
        if let Some(y) = yaml {
            repo.write("cto.yaml", y.as_bytes());
        }
        let before = repo.snapshot();
        let r = run(&repo, &["adr", "new", "Leak"]);
        no_marker(&r, "adr new with a template link");
        assert_eq!(r.code, 2, "{rel}: {}", r.stderr);
        assert!(
            r.stderr.contains("reading template") && r.stderr.contains("outside the repository"),
            "{rel}: {}",
            r.stderr
        );
        assert_eq!(repo.snapshot(), before, "{rel}: nothing is created");
    }
    // A template path leaving the repository, with no link at all.
    let repo = repo();
    let up = format!(
        "adr:\n  template: {}\n",
        relative_from(repo.path(), &secret).display()
    );
    repo.write("cto.yaml", up.as_bytes());
    let r = run(&repo, &["adr", "new", "Leak"]);
    no_marker(&r, "adr new with ../ template");
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// `to` as a `../../…` path from `from`.
fn relative_from(from: &Path, to: &Path) -> PathBuf {
    let from = from.canonicalize().expect("canonical");
    let to = to.canonicalize().expect("canonical");
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut p = PathBuf::new();
    for _ in common..from.components().count() {
        p.push("..");
    }
    for c in to.components().skip(common) {
        p.push(c);
    }
    p
}

#[cfg(unix)]
#[test]
fn config_files_and_templates_that_are_fifos_do_not_block() {
    let repo = repo();
    mkfifo(&repo.path().join(".adr-dir"));
    let r = run(&repo, &["adr", "list"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(".adr-dir") && r.stderr.contains("a FIFO, not a regular file"),
        "{}",
        r.stderr
    );

    let repo = self::repo();
    mkfifo(&repo.path().join("cto.yaml"));
    for args in [&["lint"][..], &["adr", "list"]] {
        let r = run(&repo, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("cto.yaml: it is a FIFO, not a regular file; not read"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let init = run(&repo, &["init"]);
    assert_eq!(init.code, 2);
    assert!(
        init.stderr.contains("cto.yaml already exists"),
        "{}",
        init.stderr
    );

    let repo = self::repo();
    std::fs::create_dir_all(repo.path().join(".cto/templates")).expect("mkdir");
    mkfifo(&repo.path().join(".cto/templates/risk.md"));
    let r = run(&repo, &["risk", "new", "Y"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("reading template")
            && r.stderr
                .contains("it is a FIFO, not a regular file; not read"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn slo_import_refuses_fifos_devices_and_huge_files_in_bounded_time() {
    let repo = Repo::git();
    mkfifo(&repo.path().join("spec.yaml"));
    let fifo = bounded(
        repo.path(),
        &["slo", "import", "spec.yaml", "--owner", "SRE"],
        Duration::from_secs(10),
    );
    assert_eq!(fifo.code, 2, "{}", fifo.stderr);
    assert!(
        fifo.stderr
            .contains("spec.yaml: it is a FIFO, not a regular file; not read"),
        "{}",
        fifo.stderr
    );
    let zero = bounded(
        repo.path(),
        &["slo", "import", "/dev/zero", "--owner", "SRE"],
        Duration::from_secs(10),
    );
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    assert!(
        zero.stderr
            .contains("/dev/zero: it is a character device, not a regular file; not read"),
        "{}",
        zero.stderr
    );
    // A regular file over 10 MiB: refused from its length, not read.
    let big = repo.path().join("big.yaml");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(11 * 1024 * 1024).expect("set_len");
    let huge = bounded(
        repo.path(),
        &["slo", "import", "big.yaml", "--owner", "SRE"],
        Duration::from_secs(10),
    );
    assert_eq!(huge.code, 2, "{}", huge.stderr);
    assert!(
        huge.stderr
            .contains("big.yaml: file is larger than 10 MiB; not read"),
        "{}",
        huge.stderr
    );
}

#[test]
fn a_review_cadence_beyond_the_calendar_is_a_config_error() {
    let repo = repo().file("cto.yaml", "risk:\n  review_every: 7305000d\n");
    for args in [&["adr", "new", "X"][..], &["risk", "new", "Y"]] {
        let r = run(&repo, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("`risk.review_every` is more than 100 years")
                && r.stderr.contains("cto.yaml:2:17"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let lint = run(&repo, &["lint", "--format", "json"]);
    assert_eq!(lint.code, 2);
    assert_eq!(
        lint.findings(),
        vec![(
            "cto.yaml".to_string(),
            "CTO104".to_string(),
            2,
            "`risk.review_every` is more than 100 years".to_string()
        )]
    );
    // A unit that is not ASCII is a finding, not a panic.
    let accent = Repo::git().file("cto.yaml", "risk:\n  review_every: 90é\n");
    let lint = run(&accent, &["lint", "--format", "json"]);
    assert_eq!(lint.code, 2, "{}", lint.stderr);
    assert_eq!(lint.findings()[0].1, "CTO104");
    // 100 years is still a cadence.
    let ok = repo.file("cto.yaml", "risk:\n  review_every: 36525d\n");
    assert_eq!(run(&ok, &["risk", "new", "Y"]).code, 0);
    let lint = run(&ok, &["lint", "--format", "json"]);
    assert!(
        lint.findings().iter().all(|f| f.0 != "cto.yaml"),
        "{}",
        lint.stdout
    );
}

/// An active SLO with this objective and window.
fn slo(objective: &str, window: &str) -> String {
    format!(
        "---\nservice: checkout\nowner: SRE\nstatus: active\nobjective: {objective}\nwindow: {window}\nsli:\n  type: ratio\n  bad: 'sum(rate(errors[{{{{.window}}}}]))'\n  total: 'sum(rate(requests[{{{{.window}}}}]))'\nalerting:\n  page: true\n  runbook: https://runbooks.example.com/checkout\n---\n\n# Checkout availability\n"
    )
}

#[test]
fn extreme_objectives_and_windows_end_in_findings_never_a_panic() {
    let cases = [
        // (objective, window, code, message)
        (
            "99999999999999999999.5",
            "30d",
            "CTO501",
            "objective 99999999999999999999.5 is not a percent above 0 and at most 100",
        ),
        (
            "9999999999999999999999999999999999999999.5",
            "30d",
            "CTO501",
            "objective has too many digits (at most 30 significant digits)",
        ),
        (
            "99.0000000000000000001",
            "30d",
            "CTO501",
            "objective has more than 18 decimals",
        ),
        (
            "99.9",
            "7305000000d",
            "CTO503",
            "window `7305000000d` is longer than 100 years",
        ),
        (
            "99.9",
            "99999999999999999999999w",
            "CTO503",
            "window `99999999999999999999999w` is longer than 100 years",
        ),
    ];
    for (objective, window, code, message) in cases {
        let repo = Repo::git().file("docs/slos/checkout.md", &slo(objective, window));
        let lint = run(&repo, &["lint", "--format", "json"]);
        assert_eq!(lint.code, 1, "{objective} {window}: {}", lint.stderr);
        let found = lint.findings();
        assert!(
            found.iter().any(|f| f.1 == code && f.3 == message),
            "{objective} {window}: {found:?}"
        );
        for args in [
            &["slo", "list"][..],
            &["slo", "report"],
            &["slo", "report", "--format", "json"],
            &["report", "--format", "md"],
        ] {
            let r = run(&repo, args);
            assert_eq!(r.code, 0, "{objective} {window} {args:?}: {}", r.stderr);
        }
        let export = run(&repo, &["slo", "export", "--to", "prometheus"]);
        assert!(
            export.code == 0 || export.code == 1,
            "{objective} {window}: {}",
            export.stderr
        );
    }
    // The extremes that are valid are exact: the smallest objective over the longest window.
    let repo = Repo::git().file(
        "docs/slos/checkout.md",
        &slo("0.000000000000000001", "36525d"),
    );
    let j = run(&repo, &["slo", "report", "--format", "json"]).json();
    assert_eq!(j["slos"][0]["error_budget"]["human"], "36525d", "{j}");
}

#[test]
fn exit_codes_at_the_edge() {
    let repo = repo();
    let missing = run(&repo, &["-C", "/nonexistent/cto-test", "lint"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr,
        "error: -C /nonexistent/cto-test: no such directory\n"
    );
    let file = repo.path().join(format!("{D}/0001-use-x.md"));
    let not_dir = run(&repo, &["-C", file.to_str().expect("utf-8"), "adr", "list"]);
    assert_eq!(not_dir.code, 2);
    assert_eq!(
        not_dir.stderr,
        format!("error: -C {}: not a directory\n", file.display())
    );
    // An I/O error: the risk directory is a file, so `risk new` cannot create in it.
    let io = repo.file("docs/risks", "not a directory");
    let r = run(&io, &["risk", "new", "Y"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: creating "), "{}", r.stderr);
    let cause = r.stderr.trim_end().rsplit(": ").next().unwrap_or("");
    assert_eq!(
        r.stderr.matches(cause).count(),
        1,
        "the cause is printed once: {}",
        r.stderr
    );
    // Findings are still 1, and clean is 0.
    assert_eq!(run(&io, &["lint", D]).code, 0);
    let bad = io.file(&format!("{D}/0002-bad.md"), &madr("acepted", "Bad"));
    assert_eq!(run(&bad, &["lint"]).code, 1);
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_of_the_work_tree_that_is_not_a_document_is_not_read() {
    let repo = repo();
    repo.write(".env", format!("GH_TOKEN={MARKER}\n").as_bytes());
    repo.write(".git/cto-secret.md", format!("{MARKER}\n").as_bytes());
    repo.write("notes/token.txt", format!("{MARKER}\n").as_bytes());
    link("../../.env", &repo, &format!("{D}/0003-y.md"));
    link("../../.git/cto-secret.md", &repo, &format!("{D}/0004-z.md"));
    link("../../notes/token.txt", &repo, &format!("{D}/0006-t.md"));
    // A link to another document is fine.
    link("0001-use-x.md", &repo, &format!("{D}/0005-same.md"));
    for format in ["human", "json", "github", "sarif", "junit"] {
        let run = run(&repo, &["lint", "--format", format]);
        no_marker(&run, &format!("lint --format {format}"));
    }
    let found = unreadable(&run(&repo, &["lint", "--format", "json"]));
    assert_eq!(
        found,
        vec![
            (
                "0003-y.md".to_string(),
                "it is a link to .env, which is not a markdown file of the work tree; not read"
                    .to_string()
            ),
            (
                "0004-z.md".to_string(),
                "it is a link to .git/cto-secret.md, which is not a markdown file of the work tree; not read"
                    .to_string()
            ),
            (
                "0006-t.md".to_string(),
                "it is a link to notes/token.txt, which is not a markdown file of the work tree; not read"
                    .to_string()
            ),
        ]
    );
}
