//! `cto watch`: the binary runs in a temporary repository; files are changed under it
//! and the output is polled (with a generous deadline, never a timed assertion) until
//! it shows what the change must bring.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for a loaded machine; a passing run takes a fraction of it.
const DEADLINE: Duration = Duration::from_secs(90);

struct Watch {
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

fn collect(mut from: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let into = Arc::clone(&text);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    text
}

impl Watch {
    fn start(root: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("cto"))
            .arg("watch")
            .args(args)
            .current_dir(root)
            .env("CTO_TODAY", "2026-11-21")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cto watch starts");
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        let w = Watch { child, out, err };
        w.wait_for("the first run", |o| o.contains("run 1 at"));
        w
    }

    fn output(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    /// The output of run `n` on (the text after its header).
    fn run_text(&self, n: usize) -> String {
        let out = self.output();
        let header = format!("] run {n} at");
        let start = out.find(&header).unwrap_or(out.len());
        out[start..].to_string()
    }

    fn runs(&self) -> usize {
        self.output().matches("[cto watch] run ").count()
    }

    /// Polls the output until `ok` holds; fails with the output at the deadline.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            if ok(&self.output()) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "waited {DEADLINE:?} for {what}; output:\n{}\nerrors:\n{}",
                    self.output(),
                    self.err.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for a run after run `after` whose text satisfies `ok`; returns its number.
    fn wait_for_run(&self, after: usize, what: &str, ok: impl Fn(&str) -> bool) -> usize {
        self.wait_for(what, |_| {
            (after + 1..=self.runs()).any(|n| ok(&self.run_text(n)))
        });
        (after + 1..=self.runs())
            .find(|&n| ok(&self.run_text(n)))
            .unwrap()
    }

    /// Ctrl-C: the exit code.
    fn interrupt(mut self) -> i32 {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited, not killed by the signal");
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("cto watch did not stop on SIGINT");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn risk(title: &str) -> String {
    format!(
        "---\ntitle: {title}\nowner: Ana Lima\nstatus: open\ncategory: vendor\nlikelihood: 2\nimpact: 2\ntreatment: accept\nidentified: 2026-01-10\nacceptance: {{ by: Ana Lima, date: 2026-01-10, expires: 2027-06-01 }}\nreview: {{ last: 2026-10-01, next: 2027-01-01 }}\n---\n\n# {title}\n\n## Description\n\nOne vendor holds the queue.\n"
    )
}

/// A repository with cto.yaml and two risks, no findings.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("cto.yaml"), "risk: { dir: docs/risks }\n").unwrap();
    fs::create_dir_all(root.join("docs/risks")).unwrap();
    fs::write(
        root.join("docs/risks/0001-vendor-lock-in.md"),
        risk("Vendor lock-in"),
    )
    .unwrap();
    fs::write(
        root.join("docs/risks/0002-queue-outage.md"),
        risk("Queue outage"),
    )
    .unwrap();
    (dir, root)
}

#[test]
fn a_finding_comes_with_the_change_and_goes_with_the_fix() {
    let (_dir, root) = repo();
    let dashboard = root.join("dashboard.html");
    let w = Watch::start(&root, &["--dashboard", "dashboard.html"]);
    assert!(
        w.run_text(1).contains("no findings in 2 documents"),
        "{}",
        w.output()
    );
    w.wait_for("the dashboard", |o| {
        o.contains("dashboard written to dashboard.html")
    });
    let page = fs::read_to_string(&dashboard).unwrap();
    assert!(
        page.contains("Vendor lock-in"),
        "the dashboard lists the risks"
    );

    // Broken: the YAML error, with its path and line.
    let path = root.join("docs/risks/0002-queue-outage.md");
    fs::write(
        &path,
        risk("Queue outage").replace("status: open", "status: [open"),
    )
    .unwrap();
    let broken = w.wait_for_run(1, "the YAML error", |t| {
        t.contains("1 file read again") && t.contains("docs/risks/0002-queue-outage.md:")
    });
    assert!(w.run_text(broken).contains("error[CTO1"), "{}", w.output());
    // The dashboard was written again with the error counted.
    w.wait_for("the dashboard again", |_| {
        fs::read_to_string(&dashboard).is_ok_and(|p| p != page)
    });

    // Fixed: no findings again.
    fs::write(&path, risk("Queue outage")).unwrap();
    let fixed = w.wait_for_run(broken, "no findings", |t| {
        t.contains("no findings in 2 documents")
    });

    // A document referred to, deleted: the reference dangles.
    fs::write(
        root.join("docs/risks/0003-linked.md"),
        risk("Linked").replace("treatment: accept", "treatment: accept\nlinks: [RISK-0001]"),
    )
    .unwrap();
    let added = w.wait_for_run(fixed, "the new document", |t| {
        t.contains("no findings in 3 documents")
    });
    fs::remove_file(root.join("docs/risks/0001-vendor-lock-in.md")).unwrap();
    let deleted = w.wait_for_run(added, "the dangling reference", |t| {
        t.contains("1 file gone") && t.contains("RISK-0001") && t.contains("0003-linked.md")
    });

    // Renamed back into place under its number: the reference resolves again.
    fs::write(
        root.join("docs/risks/0009-vendor-lock-in.md"),
        risk("Vendor lock-in"),
    )
    .unwrap();
    fs::rename(
        root.join("docs/risks/0009-vendor-lock-in.md"),
        root.join("docs/risks/0001-vendor-lock-in.md"),
    )
    .unwrap();
    w.wait_for_run(deleted, "the reference resolved", |t| {
        t.contains("no findings in 3 documents")
    });

    // A file moved to another name: the old one gone, the new one read.
    let before = w.runs();
    fs::rename(
        root.join("docs/risks/0003-linked.md"),
        root.join("docs/risks/0004-linked.md"),
    )
    .unwrap();
    w.wait_for_run(before, "the rename", |t| {
        t.contains("1 file read again, 1 file gone") && t.contains("3 documents")
    });

    assert_eq!(w.interrupt(), 0, "Ctrl-C exits 0");
}

#[test]
fn a_burst_of_a_thousand_files_is_one_run_not_a_thousand() {
    let (_dir, root) = repo();
    let w = Watch::start(&root, &["--debounce", "500"]);
    for i in 10..1010 {
        fs::write(
            root.join(format!("docs/risks/{i:04}-burst-{i}.md")),
            risk(&format!("Burst {i}")),
        )
        .unwrap();
    }
    let burst = w.wait_for_run(1, "the thousand files", |t| t.contains("1002 documents"));
    // Then one more change, to know every run of the burst has been shown.
    fs::remove_file(root.join("docs/risks/0010-burst-10.md")).unwrap();
    let after = w.wait_for_run(burst, "the deletion", |t| t.contains("1001 documents"));
    assert_eq!(after, burst + 1);
    // The burst took a run or two (on a loaded machine the writes may pause longer
    // than the debounce once), never one per file.
    assert!(burst - 1 <= 3, "{} runs for one burst", burst - 1);
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_is_never_followed() {
    let (_dir, root) = repo();
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("0005-secret.md"),
        risk("Secret outside text"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("0005-secret.md"),
        root.join("docs/risks/0005-secret.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("docs/risks/outside")).unwrap();
    let w = Watch::start(&root, &[]);
    let first = w.run_text(1);
    assert!(first.contains("CTO101"), "the link is reported:\n{first}");
    assert!(!first.contains("Secret outside text"));
    // A change outside, behind the links, is not seen; a change inside is.
    fs::write(outside.path().join("0005-secret.md"), "---\nstatus: [\n").unwrap();
    fs::write(outside.path().join("0006-new.md"), "---\nstatus: [\n").unwrap();
    fs::write(
        root.join("docs/risks/0002-queue-outage.md"),
        risk("Queue outage renamed"),
    )
    .unwrap();
    let next = w.wait_for_run(1, "the change inside", |t| t.contains("1 file read again"));
    let text = w.run_text(next);
    assert!(!text.contains("0006-new.md"), "{text}");
    assert!(!text.contains("CTO103"), "{text}");
}

#[test]
fn a_directory_made_after_the_start_is_watched() {
    let (_dir, root) = repo();
    let w = Watch::start(&root, &[]);
    // docs/roadmap does not exist yet: its parent tells of it, then it is watched.
    fs::create_dir_all(root.join("docs/roadmap")).unwrap();
    let item = "---\ntitle: Pool connections\nowner: Ana Lima\nstatus: planned\nhorizon: next\nquarter: 2027-Q1\ntype: debt\neffort: 3\n---\n\n# Pool connections\n\n## Outcome\n\nFewer errors.\n";
    fs::write(root.join("docs/roadmap/0001-pool-connections.md"), item).unwrap();
    let seen = w.wait_for_run(1, "the new directory's document", |t| {
        t.contains("3 documents")
    });
    // A change inside it is seen too (the directory is watched now).
    fs::write(
        root.join("docs/roadmap/0001-pool-connections.md"),
        item.replace("status: planned", "status: [planned"),
    )
    .unwrap();
    w.wait_for_run(seen, "the broken roadmap item", |t| {
        t.contains("docs/roadmap/0001-pool-connections.md:")
    });
}

#[test]
fn a_dashboard_path_that_holds_another_file_is_refused_not_overwritten() {
    let (_dir, root) = repo();
    let doc = "docs/risks/0001-vendor-lock-in.md";
    for target in ["cto.yaml", doc, "notes.txt"] {
        if target == "notes.txt" {
            fs::write(root.join(target), "my notes\n").unwrap();
        }
        let before = fs::read(root.join(target)).unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("cto"))
            .args(["watch", "--dashboard", target])
            .current_dir(&root)
            .env("CTO_TODAY", "2026-11-21")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cto watch starts");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            fs::read(root.join(target)).unwrap() == before,
            "{target} was overwritten"
        );
        let status = status.unwrap_or_else(|| panic!("{target}: cto watch did not refuse"));
        assert_eq!(status.code(), Some(2), "{target}");
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(err.contains("is not an HTML page"), "{target}: {err}");
    }
    // A page cto wrote before is written again.
    fs::write(root.join("report.html"), "<!DOCTYPE html>\n<html></html>\n").unwrap();
    let w = Watch::start(&root, &["--dashboard", "report.html"]);
    w.wait_for("the dashboard", |o| o.contains("dashboard written to"));
    let page = fs::read_to_string(root.join("report.html")).unwrap();
    assert!(page.contains("Vendor lock-in"), "{page:.200}");
    assert_eq!(w.interrupt(), 0);
}

#[test]
fn a_documents_directory_swapped_for_a_link_out_of_the_repository_is_not_read() {
    let (_dir, root) = repo();
    let outside = tempfile::tempdir().unwrap();
    // Broken: were it read, its finding would name it.
    fs::write(
        outside.path().join("0007-secret.md"),
        "---\ntitle: Secret outside text\nstatus: [\n",
    )
    .unwrap();
    let w = Watch::start(&root, &[]);
    // cto.yaml is unchanged: only the walk sees that the directory now leads out.
    fs::rename(root.join("docs/risks"), root.join("docs/risks-old")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("docs/risks")).unwrap();
    let next = w.wait_for_run(1, "the directory's change", |t| {
        t.contains("outside the repository") || t.contains("0007-secret.md")
    });
    let text = w.run_text(next);
    assert!(!text.contains("0007-secret.md"), "{text}");
    assert!(
        !w.output().contains("Secret outside text"),
        "{}",
        w.output()
    );
    assert!(text.contains("docs/risks"), "{text}");
}
