//! The README's console blocks are run, in order, in one new git repository (the
//! tour), and their output must match: the README cannot drift from the binary.
//!
//! Each `$ ` line runs in `sh` with this build's `cto` first on PATH, `CTO_TODAY` set to
//! the day the README shows and `examples/` copied beside the tour. The lines after it
//! are its output (stdout and stderr as a terminal shows them); a line `…` stands for any
//! number of lines. `echo $?` sees the previous command's exit code.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The day the README's dates and overdue reviews are computed for.
const README_TODAY: &str = "2026-11-21";

struct Step {
    line: usize,
    command: String,
    expected: Vec<String>,
}

/// The console blocks' steps, in README order.
fn steps(readme: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut inside = false;
    for (n, line) in readme.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            inside = !inside && line.trim() == "```console";
            continue;
        }
        if !inside {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(command) => steps.push(Step {
                line: n + 1,
                command: command.to_string(),
                expected: Vec::new(),
            }),
            None => match steps.last_mut() {
                Some(step) => step.expected.push(line.trim_end().to_string()),
                None => panic!("README.md:{}: output before any command", n + 1),
            },
        }
    }
    steps
}

/// Whether `actual` matches `expected`, where a `…` line matches any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a == first && matches(rest, more)),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk examples");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn readme_console_blocks_are_true() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let steps = steps(&readme);
    assert!(steps.len() >= 10, "the tour lost its commands");

    let tour = support::Repo::git();
    copy_dir(&root.join("examples"), &tour.path().join("examples"));
    let bin: PathBuf = PathBuf::from(env!("CARGO_BIN_EXE_cto"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut last = 0;
    let mut failures = Vec::new();
    for step in &steps {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("(exit {last}); {{ {}\n}} 2>&1", step.command))
            .current_dir(tour.path())
            .env("PATH", &path)
            .env("CTO_TODAY", README_TODAY)
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .output()
            .expect("sh");
        last = output.status.code().unwrap_or(-1);
        let text = String::from_utf8_lossy(&output.stdout);
        let actual: Vec<&str> = text.lines().map(str::trim_end).collect();
        if !matches(&step.expected, &actual) {
            failures.push(format!(
                "README.md:{}: $ {}\n--- README shows\n{}\n--- cto prints (exit {last})\n{}",
                step.line,
                step.command,
                step.expected.join("\n"),
                actual.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_ellipsis_matches_any_lines_and_nothing_else_does() {
    let e = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&e(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&e(&["a", "…"]), &["a"]));
    assert!(!matches(&e(&["a", "…", "d"]), &["a", "b"]));
    assert!(!matches(&e(&["a"]), &["a", "b"]));
}
