//! A test repository builder that reads like a sentence:
//! `Repo::git().file("docs/decisions/0001-x.md", "...").cto(&["lint"])`.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const TODAY: &str = "2024-05-01";

pub struct Repo {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A finding of `cto lint --format json`: file name, code, line, message.
pub type Finding = (String, String, u64, String);

impl Run {
    /// The findings of a JSON lint run, with file names (not paths).
    pub fn findings(&self) -> Vec<Finding> {
        let field = |d: &serde_json::Value, k: &str| d[k].as_str().unwrap_or("").to_string();
        self.json()["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                let path = field(d, "path");
                (
                    path.rsplit('/').next().unwrap_or("").to_string(),
                    field(d, "code"),
                    d["line"].as_u64().unwrap_or(0),
                    field(d, "message"),
                )
            })
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

impl Repo {
    /// An empty directory, not a git repository.
    pub fn plain() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A new git repository whose user is "Test User".
    pub fn git() -> Repo {
        let repo = Repo::plain();
        let git = git2::Repository::init(repo.path()).expect("git init");
        git.config()
            .and_then(|mut c| c.set_str("user.name", "Test User"))
            .expect("git config");
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, rel: &str, text: &str) -> Repo {
        self.write(rel, text.as_bytes());
        self
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, bytes).expect("write");
    }

    /// Copies every file below `src` into the repository, keeping relative paths; returns
    /// the relative directory of the first file found (where a corpus keeps its records).
    pub fn copy_tree(&self, src: &Path) -> String {
        let mut first_dir = None;
        for entry in walkdir::WalkDir::new(src)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry
                .path()
                .strip_prefix(src)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            first_dir.get_or_insert_with(|| {
                Path::new(&rel)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            self.write(&rel, &fs::read(entry.path()).expect("read"));
        }
        first_dir.unwrap_or_default()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Every file below the root (but .git), relative, sorted, with its bytes.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(self.path())
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(self.path())
                    .expect("inside")
                    .to_path_buf();
                (rel, fs::read(e.path()).expect("read"))
            })
            .collect();
        out.sort();
        out
    }

    pub fn cto(&self, args: &[&str]) -> Run {
        self.cto_in(self.path(), args)
    }

    pub fn cto_in(&self, dir: &Path, args: &[&str]) -> Run {
        cto_at(dir, args)
    }
}

/// Runs cto in `dir` with a fixed today, no colour, no editor and no system git config.
pub fn cto_at(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("cto")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .env("CTO_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .output()
        .expect("run cto");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A minimal MADR ADR that lints clean.
pub fn madr(status: &str, title: &str) -> String {
    format!(
        "---\nstatus: {status}\ndate: 2024-01-15\ndecision-makers: [Ana]\n---\n\n# {title}\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* A\n* B\n\n## Decision Outcome\n\nChosen option: A.\n"
    )
}

/// The shared corpus of real documents, beside the project.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real")
}

/// Every directory of the corpus holding markdown files (its ADR folders).
pub fn adr_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(corpus())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.path().starts_with(corpus().join("slo")))
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    assert!(
        dirs.len() >= 8,
        "the corpus is beside the project: {dirs:?}"
    );
    dirs
}
