//! Git safety: hooks go where git runs them and never over someone else's, quoting
//! survives any repository path, the history cache never outlives a shallow clone, and
//! `--staged`/`--base` see deletions, submodules and huge blobs without failing or
//! loading them.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{Run, cto_at, madr};

const D: &str = "docs/decisions";

/// git with a known identity and none of the machine's configuration.
fn git_in(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test User",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("HOME", home)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs")
}

/// A scratch directory holding one or more repositories.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// git in `dir`, which must succeed.
    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = git_in(dir, self.dir.path(), args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new repository at `rel` with `files` committed.
    fn repo(&self, rel: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.path(rel);
        fs::create_dir_all(&dir).expect("mkdir");
        self.git(&dir, &["init", "-q"]);
        for (p, text) in files {
            write(&dir, p, text.as_bytes());
        }
        self.git(&dir, &["add", "-A"]);
        self.git(&dir, &["commit", "-q", "--no-verify", "-m", "start"]);
        dir
    }
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write");
}

/// (file name, code) of each finding of a JSON lint.
fn codes(run: &Run) -> Vec<(String, String)> {
    run.findings()
        .into_iter()
        .map(|(file, code, _, _)| (file, code))
        .collect()
}

fn cto_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cto"))
}

fn cto(dir: &Path, args: &[&str]) -> Run {
    cto_at(dir, args)
}

fn superseding_pair() -> [(String, String); 2] {
    [
        (
            format!("{D}/0001-use-x.md"),
            madr("superseded by ADR-0002", "Use X"),
        ),
        (
            format!("{D}/0002-use-y.md"),
            madr("accepted", "Use Y").replacen("---\n\n#", "supersedes: ADR-0001\n---\n\n#", 1),
        ),
    ]
}

fn pairs(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

#[test]
fn a_hook_installed_from_a_linked_worktree_is_one_git_runs() {
    let s = Scratch::new();
    let main = one_record(&s, "main");
    let wt = s.path("wt");
    s.git(
        &main,
        &[
            "worktree",
            "add",
            "-q",
            wt.to_str().expect("utf-8"),
            "-b",
            "side",
        ],
    );

    let run = cto(&wt, &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        main.join(".git/hooks/pre-commit").is_file(),
        "{}",
        run.stdout
    );
    assert!(!main.join(".git/worktrees/wt/hooks/pre-commit").exists());

    // And git runs it: a bad staged ADR stops the commit in the worktree.
    write(
        &wt,
        &format!("{D}/0002-use-y.md"),
        madr("acepted", "Use Y").as_bytes(),
    );
    s.git(&wt, &["add", "-A"]);
    let out = git_in(&wt, s.dir.path(), &["commit", "-q", "-m", "bad"]);
    assert!(!out.status.success(), "the hook ran and refused the commit");
}

#[test]
fn core_hooks_path_is_relative_to_the_work_tree() {
    let s = Scratch::new();
    let main = one_record(&s, "main");
    s.git(&main, &["config", "core.hooksPath", "githooks"]);
    let run = cto(&main.join("docs"), &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(main.join("githooks/pre-commit").is_file());
}

#[test]
fn a_foreign_hook_that_mentions_cto_is_not_replaced() {
    let s = Scratch::new();
    let main = one_record(&s, "main");
    let hook = main.join(".git/hooks/pre-commit");
    let foreign = "#!/bin/sh\n# cto pre-commit hook? no: our own checks, which also run cto\n./run-my-checks\n";
    write(&main, ".git/hooks/pre-commit", foreign.as_bytes());

    let run = cto(&main, &["hook", "install"]);
    assert_ne!(run.code, 0, "refused: {}", run.stdout);
    assert!(run.stderr.contains("not written by cto"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&hook).expect("hook"), foreign);

    let run = cto(&main, &["hook", "install", "--chain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(main.join(".git/hooks/pre-commit.local")).expect("kept"),
        foreign
    );
    // Ours now, and recognised as ours: a second install replaces it in place.
    let run = cto(&main, &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_chained_hook_works_in_a_repository_path_with_quotes_spaces_and_dollars() {
    let s = Scratch::new();
    let main = one_record(&s, "it's a $HOME repo");
    let foreign = "#!/bin/sh\necho ran > chained-ran\n";
    write(&main, ".git/hooks/pre-commit", foreign.as_bytes());
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(
            main.join(".git/hooks/pre-commit"),
            fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    assert_eq!(cto(&main, &["hook", "install", "--chain"]).code, 0);
    let first = fs::read_to_string(main.join(".git/hooks/pre-commit")).expect("hook");
    // Installing again keeps the chain exactly.
    let run = cto(&main, &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = fs::read_to_string(main.join(".git/hooks/pre-commit")).expect("hook");
    assert_eq!(first, second);

    // A good commit passes both hooks, and the old one ran.
    write(
        &main,
        &format!("{D}/0002-use-y.md"),
        madr("accepted", "Use Y").as_bytes(),
    );
    s.git(&main, &["add", format!("{D}/0002-use-y.md").as_str()]);
    let out = git_in(&main, s.dir.path(), &["commit", "-q", "-m", "good"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(main.join("chained-ran").is_file());

    // A bad one is stopped by cto.
    write(
        &main,
        &format!("{D}/0003-use-z.md"),
        madr("acepted", "Use Z").as_bytes(),
    );
    s.git(&main, &["add", format!("{D}/0003-use-z.md").as_str()]);
    let out = git_in(&main, s.dir.path(), &["commit", "-q", "-m", "bad"]);
    assert!(!out.status.success());
    // git sends a hook's output to its standard error.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("CTO104"), "{said}");
}

/// `last_author` of each ADR in `cto adr list --format json`, by file name.
fn authors(dir: &Path) -> Vec<(String, String)> {
    authors_of(&cto(dir, &["adr", "list", "--format", "json"]))
}

/// `last_author` of each ADR in a run of `cto adr list --format json`, by id.
fn authors_of(run: &Run) -> Vec<(String, String)> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["last_author"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_history_cache_of_a_shallow_clone_is_dropped_when_it_is_unshallowed() {
    let s = Scratch::new();
    let origin = s.repo(
        "origin",
        &[
            (&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X")),
            (&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y")),
        ],
    );
    let commit_as = |who: &str, file: &str, text: &str| {
        write(&origin, file, text.as_bytes());
        commit_all_as(&s, &origin, who);
    };
    commit_as(
        "Bo Second",
        &format!("{D}/0002-use-y.md"),
        &madr("accepted", "Use Y!"),
    );
    commit_as("Cy Third", "README.md", "hello\n");

    let url = format!("file://{}", origin.display());
    s.git(
        s.dir.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    let clone = s.path("clone");
    // A shallow clone knows only its one commit.
    let shallow = authors(&clone);
    assert_eq!(
        shallow,
        [
            ("ADR-0001".into(), "Cy Third".into()),
            ("ADR-0002".into(), "Cy Third".into())
        ]
    );
    s.git(&clone, &["fetch", "-q", "--unshallow"]);
    assert_eq!(
        authors(&clone),
        [
            ("ADR-0001".into(), "Test User".into()),
            ("ADR-0002".into(), "Bo Second".into())
        ],
        "the full history, not the shallow clone's cached answers"
    );
}

#[test]
fn a_staged_deletion_of_a_superseded_adr_is_reported_where_it_is_referenced() {
    let s = Scratch::new();
    let files = superseding_pair();
    let main = s.repo("main", &pairs(&files));
    assert_eq!(cto(&main, &["lint"]).code, 0);

    s.git(&main, &["rm", "-q", &files[0].0]);
    let run = cto(&main, &["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        codes(&run),
        [("0002-use-y.md".to_string(), "CTO302".to_string())]
    );
}

#[test]
fn base_sees_deletions() {
    let s = Scratch::new();
    let mut files = superseding_pair().to_vec();
    files.push((format!("{D}/0003-use-z.md"), madr("accepted", "Use Z")));
    let main = s.repo("main", &pairs(&files));
    s.git(&main, &["rm", "-q", &files[0].0, &files[2].0]);
    s.git(&main, &["commit", "-q", "--no-verify", "-m", "delete"]);

    for extra in [&[][..], &["--changed-only"][..]] {
        let mut args = vec!["lint", "--base", "HEAD~1", "--format", "json"];
        args.extend(extra);
        let run = cto(&main, &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        let mut found = codes(&run);
        found.sort();
        assert_eq!(
            found,
            [
                ("0002-use-y.md".to_string(), "CTO302".to_string()),
                ("0003-use-z.md".to_string(), "CTO413".to_string())
            ],
            "{args:?}"
        );
    }
}

#[test]
fn a_staged_submodule_named_like_a_document_is_not_an_error() {
    let s = Scratch::new();
    let main = one_record(&s, "main");
    let head = s.git(&main, &["rev-parse", "HEAD"]);
    let entry = format!("160000,{},{D}/0002-sub.md", head.trim());
    s.git(&main, &["update-index", "--add", "--cacheinfo", &entry]);

    let run = cto(&main, &["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    s.git(&main, &["commit", "-q", "--no-verify", "-m", "sub"]);
    let run = cto(&main, &["lint", "--base", "HEAD~1", "--format", "json"]);
    assert_ne!(run.code, 2, "{}{}", run.stdout, run.stderr);
}

/// Peak memory of a run in KiB, where `/usr/bin/time -v` can say.
fn peak_kib(dir: &Path, args: &[&str]) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let out = Command::new(time)
        .arg("-v")
        .arg(cto_bin())
        .args(args)
        .current_dir(dir)
        .env("CTO_TODAY", support::TODAY)
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn a_huge_staged_blob_is_reported_not_read() {
    let s = Scratch::new();
    let main = one_record(&s, "main");
    // 64 MiB of zeros: over the 10 MiB limit, and large enough to see in memory.
    let big = format!("{D}/0002-big.md");
    let f = fs::File::create(main.join(&big)).expect("create");
    f.set_len(64 * 1024 * 1024).expect("sparse file");
    s.git(&main, &["add", &big]);

    let run = cto(&main, &["lint", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let j = run.json();
    let d = &j["diagnostics"][0];
    assert_eq!(d["code"], "CTO101");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("larger than 10 MiB"),
        "{d}"
    );
    if let Some(kib) = peak_kib(&main, &["lint", "--staged", "--format", "json"]) {
        assert!(kib < 48 * 1024, "peak memory {kib} KiB");
    }

    // At a base revision too.
    s.git(&main, &["commit", "-q", "--no-verify", "-m", "big"]);
    fs::remove_file(main.join(&big)).expect("rm");
    write(&main, &big, madr("accepted", "Big").as_bytes());
    if let Some(kib) = peak_kib(&main, &["lint", "--base", "HEAD", "--format", "json"]) {
        assert!(kib < 48 * 1024, "peak memory {kib} KiB");
    }
    let run = cto(&main, &["lint", "--base", "HEAD", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

/// The last author of every ADR, as `git log` tells it along the first parents (a
/// merge counts as the change it brings to the main line), by ADR id.
fn git_log_authors(s: &Scratch, dir: &Path) -> Vec<(String, String)> {
    let log = s.git(
        dir,
        &[
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--name-only",
            "--format=%x01%an",
        ],
    );
    let mut seen = std::collections::BTreeMap::new();
    for commit in log.split('\u{1}').filter(|c| !c.is_empty()) {
        let mut lines = commit.lines();
        let author = lines.next().unwrap_or("").to_string();
        for path in lines.filter(|l| l.starts_with(D) && l.ends_with(".md")) {
            let name = path.rsplit('/').next().unwrap_or("");
            let id = format!("ADR-{}", &name[..4]);
            seen.entry(id).or_insert_with(|| author.clone());
        }
    }
    seen.into_iter().collect()
}

#[test]
fn last_changes_are_git_logs_in_a_packed_history_with_merges() {
    let s = Scratch::new();
    let files: Vec<(String, String)> = (1..=120)
        .map(|n| {
            (
                format!("{D}/{n:04}-decision-{n}.md"),
                madr("accepted", &format!("Decision {n}")),
            )
        })
        .collect();
    let repo = s.repo("repo", &pairs(&files));
    let commit_as = |who: &str, changes: &[usize]| {
        for &n in changes {
            let path = format!("{D}/{n:04}-decision-{n}.md");
            let text = fs::read_to_string(repo.join(&path)).expect("read");
            write(
                &repo,
                &path,
                format!("{text}\nEdited by {who}.\n").as_bytes(),
            );
        }
        commit_all_as(&s, &repo, who);
    };
    // Commits touching one to three records; every tenth starts a topic branch of two
    // commits, merged after the main line moved on.
    for i in 0..90usize {
        let pick = |k: usize| 1 + (i * 37 + k * 11) % 120;
        let changes: Vec<usize> = (0..1 + i % 3).map(pick).collect();
        if i % 10 == 0 {
            let topic = format!("topic-{i}");
            s.git(&repo, &["checkout", "-q", "-b", &topic]);
            commit_as(&format!("Topic {i}a"), &changes);
            commit_as(&format!("Topic {i}b"), &[pick(5)]);
            s.git(&repo, &["checkout", "-q", "main"]);
            commit_as(&format!("Main {i}"), &[pick(7)]);
            s.git(
                &repo,
                &[
                    "-c",
                    "user.name=Merger",
                    "merge",
                    "-q",
                    "--no-ff",
                    "--no-verify",
                    "-m",
                    "merge",
                    &topic,
                ],
            );
        } else {
            commit_as(&format!("Author {i}"), &changes);
        }
        // Packed as a clone is, the directory's tree versions stored as deltas of each
        // other, with a few commits left loose after the pack.
        if i == 80 {
            s.git(
                &repo,
                &["repack", "-q", "-adf", "--depth=50", "--window=50"],
            );
        }
    }
    let expected = git_log_authors(&s, &repo);
    assert_eq!(expected.len(), 120);
    assert!(
        expected.iter().any(|(_, a)| a == "Merger"),
        "a merge brings a change"
    );
    let mut found = authors(&repo);
    found.sort();
    assert_eq!(found, expected);
    // The same from the cache, and after one more commit on top of it.
    let mut again = authors(&repo);
    again.sort();
    assert_eq!(again, expected);
    commit_as("Last Author", &[7, 8]);
    let mut later = authors(&repo);
    later.sort();
    assert_eq!(later, git_log_authors(&s, &repo));
    assert!(later.contains(&("ADR-0007".into(), "Last Author".into())));
}

/// cto run with a deadline: a run that blocks fails the test instead of hanging it.
fn cto_within(dir: &Path, args: &[&str], secs: u64) -> Run {
    let mut child = Command::new(cto_bin())
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run cto");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cto {args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `last_author` of each ADR, by id, from a run with a deadline.
fn authors_within(dir: &Path) -> Vec<(String, String)> {
    authors_of(&cto_within(dir, &["adr", "list", "--format", "json"], 60))
}

#[cfg(unix)]
#[test]
fn a_history_cache_that_is_a_fifo_a_device_or_a_link_out_is_neither_read_nor_written_through() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new();
    let repo = s.repo(
        "repo",
        &[
            (&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X")),
            (&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y")),
        ],
    );
    let truth = vec![
        ("ADR-0001".to_string(), "Test User".to_string()),
        ("ADR-0002".to_string(), "Test User".to_string()),
    ];
    assert_eq!(authors_within(&repo), truth);
    let dir = repo.join(".git/cto");
    let cache = dir.join("last-change.json");
    // A cache outside the repository naming another author: a link to it is not read.
    let forged = fs::read_to_string(&cache)
        .expect("the cache is written")
        .replace("Test User", "Forged Author");
    let outside = s.path("outside.json");
    fs::write(&outside, &forged).expect("write");
    fs::remove_file(&cache).expect("rm");
    symlink(&outside, &cache).expect("link");
    assert_eq!(authors_within(&repo), truth, "a cache outside was read");
    assert_eq!(fs::read_to_string(&outside).expect("read"), forged);
    // A FIFO and a device: a read of either never ends.
    for special in ["fifo", "/dev/zero"] {
        replace_with_special(&cache, special);
        assert_eq!(authors_within(&repo), truth, "{special}");
    }
    // `.git/cto` a link to a directory outside: nothing is written there.
    fs::remove_dir_all(&dir).expect("rm");
    let away = s.path("away");
    fs::create_dir(&away).expect("mkdir");
    symlink(&away, &dir).expect("link");
    assert_eq!(authors_within(&repo), truth);
    assert_eq!(
        fs::read_dir(&away).expect("list").count(),
        0,
        "written outside"
    );
}

/// A repository `name` of one accepted record, `0001-use-x.md`, committed.
fn one_record(s: &Scratch, name: &str) -> PathBuf {
    s.repo(
        name,
        &[(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))],
    )
}

/// `git verify-pack -v`'s listing of `pack`: id, kind, sizes and offset of each object.
fn pack_listing(s: &Scratch, repo: &Path, pack: &Path) -> String {
    s.git(repo, &["verify-pack", "-v", &pack.display().to_string()])
}

/// Writes `bytes` over a file git wrote read-only (a pack or its index).
fn write_over(path: &Path, bytes: &[u8]) {
    let mut perms = fs::metadata(path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(path, perms).expect("chmod");
    fs::write(path, bytes).expect("write");
}

/// `path` replaced by a FIFO (`special` is "fifo") or by a link to `special`.
fn replace_with_special(path: &Path, special: &str) {
    let _ = fs::remove_file(path);
    if special == "fifo" {
        let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo");
        assert!(ok.success());
    } else {
        std::os::unix::fs::symlink(special, path).expect("link");
    }
}

/// Commits everything in `repo`'s work tree with `who` as author and message.
fn commit_all_as(s: &Scratch, repo: &Path, who: &str) {
    s.git(repo, &["add", "-A"]);
    let author = format!("{who} <{}@example.com>", who.replace(' ', "."));
    s.git(
        repo,
        &[
            "commit",
            "-q",
            "--no-verify",
            "-m",
            who,
            "--author",
            &author,
        ],
    );
}

/// A cold `adr list` in `repo` exits 2, its error saying each of `said`.
fn assert_refused(repo: &Path, said: &[&str]) {
    let _ = fs::remove_dir_all(repo.join(".git/cto"));
    let run = cto_within(repo, &["adr", "list", "--format", "json"], 60);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    for words in said {
        assert!(run.stderr.contains(words), "{words:?} in {}", run.stderr);
    }
}

/// The offset in its pack of the first object of `kind` that `git verify-pack` lists.
fn pack_offset(s: &Scratch, repo: &Path, kind: &str) -> (PathBuf, u64) {
    let pack_dir = repo.join(".git/objects/pack");
    let pack = fs::read_dir(&pack_dir)
        .expect("packs")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    let offset = pack_listing(s, repo, &pack)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() >= 5 && f[1] == kind)
        .map(|f| f[4].parse().expect("offset"))
        .expect("an object of that kind");
    (pack, offset)
}

#[test]
fn a_pack_entry_that_claims_gigabytes_is_a_damaged_repository_not_a_hang() {
    let s = Scratch::new();
    let repo = one_record(&s, "repo");
    write(
        &repo,
        &format!("{D}/0002-use-y.md"),
        madr("accepted", "Use Y").as_bytes(),
    );
    s.git(&repo, &["add", "-A"]);
    s.git(&repo, &["commit", "-q", "--no-verify", "-m", "two"]);
    s.git(&repo, &["repack", "-adq"]);
    // A tree's entry header rewritten to claim 2^32 bytes (type 2, size in varint).
    let (pack, offset) = pack_offset(&s, &repo, "tree");
    let mut bytes = fs::read(&pack).expect("pack");
    let claim = [0xaf, 0xff, 0xff, 0xff, 0x7f];
    let at = usize::try_from(offset).expect("offset");
    bytes[at..at + claim.len()].copy_from_slice(&claim);
    write_over(&pack, &bytes);
    assert_refused(&repo, &["reading tree", "damaged"]);
    // The claim is refused before anything of its size is taken.
    if let Some(kib) = peak_kib(&repo, &["adr", "list", "--format", "json"]) {
        assert!(kib < 512 * 1024, "peak memory {kib} KiB");
    }
}

#[test]
fn an_author_name_that_is_not_utf8_keeps_its_readable_part() {
    let s = Scratch::new();
    let repo = one_record(&s, "repo");
    write(
        &repo,
        &format!("{D}/0001-use-x.md"),
        madr("accepted", "Use X!").as_bytes(),
    );
    s.git(&repo, &["add", "-A"]);
    let tree = s.git(&repo, &["write-tree"]).trim().to_string();
    let parent = s.git(&repo, &["rev-parse", "HEAD"]).trim().to_string();
    // A commit written in Latin-1, as git writes one under `i18n.commitEncoding`.
    let mut raw = format!("tree {tree}\nparent {parent}\nauthor Ren").into_bytes();
    raw.extend_from_slice(b"\xe9 Lat\xedn <r@example.com> 1700000000 +0000\n");
    raw.extend_from_slice(
        b"committer C <c@example.com> 1700000000 +0000\nencoding latin1\n\nlatin\n",
    );
    let file = s.path("commit.raw");
    fs::write(&file, raw).expect("write");
    let id = s.git(
        &repo,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            &file.display().to_string(),
        ],
    );
    s.git(&repo, &["reset", "-q", "--soft", id.trim()]);
    assert_eq!(
        authors_within(&repo),
        [(
            "ADR-0001".to_string(),
            "Ren\u{fffd} Lat\u{fffd}n".to_string()
        )]
    );
}

/// A tree object written as given (`git hash-object --literally`), its id.
fn raw_tree(s: &Scratch, repo: &Path, entries: &[(&str, &str, &str)]) -> String {
    let mut raw = Vec::new();
    for (mode, name, id) in entries {
        raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        let hex = id.trim();
        for i in (0..hex.len()).step_by(2) {
            raw.push(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"));
        }
    }
    let file = s.path("tree.raw");
    fs::write(&file, raw).expect("write");
    let path = file.display().to_string();
    let args = ["hash-object", "-t", "tree", "-w", "--literally", &path];
    s.git(repo, &args).trim().to_string()
}

#[test]
fn a_tree_written_with_zero_padded_modes_is_walked_as_git_walks_it() {
    let s = Scratch::new();
    let repo = s.repo(
        "repo",
        &[
            (&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X")),
            (&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y")),
        ],
    );
    // Another tool's commit: `040000` for a directory (git writes `40000`; it reads both).
    let blob = |text: &str| {
        let file = s.path("blob.raw");
        fs::write(&file, text).expect("write");
        s.git(&repo, &["hash-object", "-w", &file.display().to_string()])
    };
    let one = blob(&madr("accepted", "Use X, padded"));
    let two = s.git(&repo, &["rev-parse", &format!("HEAD:{D}/0002-use-y.md")]);
    let decisions = raw_tree(
        &s,
        &repo,
        &[
            ("100644", "0001-use-x.md", &one),
            ("100644", "0002-use-y.md", &two),
        ],
    );
    let docs = raw_tree(&s, &repo, &[("040000", "decisions", &decisions)]);
    let root = raw_tree(&s, &repo, &[("040000", "docs", &docs)]);
    let out = Command::new("git")
        .current_dir(&repo)
        .args(["commit-tree", &root, "-p", "HEAD", "-m", "padded"])
        .env("GIT_AUTHOR_NAME", "Pat Padded")
        .env("GIT_AUTHOR_EMAIL", "p@example.com")
        .env("GIT_COMMITTER_NAME", "Pat Padded")
        .env("GIT_COMMITTER_EMAIL", "p@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", s.dir.path())
        .output()
        .expect("git commit-tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    s.git(&repo, &["reset", "-q", "--hard", &id]);
    let expected = git_log_authors(&s, &repo);
    assert_eq!(
        expected,
        [
            ("ADR-0001".to_string(), "Pat Padded".to_string()),
            ("ADR-0002".to_string(), "Test User".to_string())
        ]
    );
    assert_eq!(authors_within(&repo), expected);
}

#[test]
fn a_record_named_in_capitals_has_its_last_change_too() {
    let s = Scratch::new();
    let repo = s.repo(
        "repo",
        &[
            (&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X")),
            (&format!("{D}/0002-use-y.MD"), &madr("accepted", "Use Y")),
        ],
    );
    assert_eq!(
        authors_within(&repo),
        [
            ("ADR-0001".to_string(), "Test User".to_string()),
            ("ADR-0002".to_string(), "Test User".to_string())
        ]
    );
}

/// `repo` with one more commit on main adding `path`, through `git fast-import`.
fn commit_path(repo: &Path, path: &str) {
    use std::io::Write as _;
    let mut child = Command::new("git")
        .current_dir(repo)
        .args(["fast-import", "--quiet"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let stream = format!(
        "commit refs/heads/main\ncommitter Deep Diver <d@example.com> 1700000000 +0000\n\
         data 4\ndeep\nfrom refs/heads/main^0\nM 100644 inline {path}\ndata 2\nx\n\n"
    );
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(stream.as_bytes()).expect("write");
    drop(stdin);
    assert!(child.wait().expect("wait").success());
}

#[test]
fn directories_nested_past_gits_limit_are_refused_not_a_crash() {
    let s = Scratch::new();
    let repo = one_record(&s, "repo");
    // Deeper than git's core.maxTreeDepth (4096): git log refuses it as well. (Committed
    // only: no file system checks out such a path.)
    commit_path(&repo, &format!("{}/f.md", vec!["a"; 30_000].join("/")));
    let run = cto_within(&repo, &["adr", "list", "--format", "json"], 120);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("deeper than 4096"), "{}", run.stderr);
    // Within the limit, it is walked.
    let repo = one_record(&s, "within");
    commit_path(&repo, &format!("{}/f.md", vec!["a"; 4_000].join("/")));
    assert_eq!(
        authors_within(&repo),
        [("ADR-0001".to_string(), "Test User".to_string())]
    );
}

/// A repository of `commits` commits, each changing one of seven ADRs, packed whole
/// (`repack` arguments), with one commit left loose on top. Returns the repository and
/// its only pack (without extension).
fn packed_history(s: &Scratch, rel: &str, commits: usize, repack: &[&str]) -> (PathBuf, PathBuf) {
    let repo = s.repo(
        rel,
        &[(
            &format!("{D}/0001-decision-1.md"),
            &madr("accepted", "Decision 1"),
        )],
    );
    for i in 0..commits {
        let k = 1 + i % 7;
        let path = format!("{D}/{k:04}-decision-{k}.md");
        let text = format!(
            "{}\n{}",
            madr("accepted", &format!("Decision {k}")),
            "Line.\n".repeat(i)
        );
        write(&repo, &path, text.as_bytes());
        commit_all_as(s, &repo, &format!("Author {i}"));
    }
    s.git(&repo, repack);
    let pack = fs::read_dir(repo.join(".git/objects/pack"))
        .expect("packs")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack")
        .with_extension("");
    write(
        &repo,
        &format!("{D}/0001-decision-1.md"),
        b"---\nstatus: accepted\n---\n\n# Loose\n",
    );
    s.git(
        &repo,
        &[
            "commit",
            "-qam",
            "loose",
            "--author",
            "Loose <l@example.com>",
        ],
    );
    (repo, pack)
}

#[cfg(unix)]
#[test]
fn a_pack_that_is_a_fifo_or_a_device_is_never_opened() {
    let s = Scratch::new();
    let (repo, pack) = packed_history(&s, "repo", 12, &["repack", "-adq"]);
    let data = pack.with_extension("pack");
    assert!(!authors_within(&repo).is_empty());
    // The pack replaced by a FIFO (an open of it waits for a writer), then by a link to
    // a device: the history it held is missing, said as such.
    for special in ["fifo", "/dev/zero"] {
        replace_with_special(&data, special);
        let _ = fs::remove_dir_all(repo.join(".git/cto"));
        let run = cto_within(&repo, &["adr", "list", "--format", "json"], 60);
        assert_eq!(run.code, 2, "{special}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("reading commit"),
            "{special}: {}",
            run.stderr
        );
    }
}

/// The pack index of `pack` with every object's offset replaced by `offset`.
fn point_every_object_at(pack: &Path, offset: u32) {
    let idx = pack.with_extension("idx");
    let mut bytes = fs::read(&idx).expect("idx");
    // Version 2: magic, version, 256 fan-out counts, then ids, CRCs, offsets.
    let count = u32::from_be_bytes(bytes[8 + 255 * 4..8 + 256 * 4].try_into().expect("4"));
    let offsets = 8 + 256 * 4 + count as usize * 24;
    for i in 0..count as usize {
        bytes[offsets + 4 * i..offsets + 4 * i + 4].copy_from_slice(&offset.to_be_bytes());
    }
    write_over(&idx, &bytes);
}

#[test]
fn a_pack_index_that_gives_one_commit_for_every_id_is_damage_not_an_endless_walk() {
    let s = Scratch::new();
    let (repo, pack) = packed_history(&s, "repo", 12, &["repack", "-adq"]);
    // The pack's first entry, the newest commit packed: read for every id, its parent
    // is read as itself again, a history without end (git log runs forever on it).
    let listing = pack_listing(&s, &repo, &pack);
    assert!(
        listing
            .lines()
            .any(|l| l.contains(" commit ") && l.split_whitespace().nth(4) == Some("12")),
        "{listing}"
    );
    point_every_object_at(&pack, 12);
    assert_refused(&repo, &["reading commit", "damaged"]);
}

#[test]
fn a_pack_that_does_not_open_is_named_when_its_objects_are_missing() {
    let s = Scratch::new();
    let (repo, pack) = packed_history(&s, "repo", 12, &["repack", "-adq"]);
    let name = pack
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let idx = pack.with_extension("idx");
    // A fan-out table that goes down: the index does not open.
    let good = fs::read(&idx).expect("idx");
    let mut bytes = good.clone();
    bytes[8 + 10 * 4..8 + 11 * 4].copy_from_slice(&u32::MAX.to_be_bytes());
    write_over(&idx, &bytes);
    assert_refused(
        &repo,
        &["reading commit", &format!("{name}.idx"), "damaged"],
    );
    // The index whole again, its pack gone: the same.
    fs::write(&idx, &good).expect("write idx");
    fs::remove_file(pack.with_extension("pack")).expect("rm pack");
    assert_refused(&repo, &[&format!("{name}.pack"), "damaged"]);
}

#[test]
fn an_object_read_for_a_commit_that_is_no_commit_is_damage() {
    let s = Scratch::new();
    let (repo, pack) = packed_history(&s, "repo", 12, &["repack", "-adq"]);
    // Every id read as the pack's first tree, so the commits below HEAD are trees.
    let listing = pack_listing(&s, &repo, &pack);
    let tree: u32 = listing
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() == 5 && f[1] == "tree")
        .map(|f| f[4].parse().expect("offset"))
        .expect("a tree stored whole");
    point_every_object_at(&pack, tree);
    assert_refused(
        &repo,
        &["reading commit", "a tree, not a commit", "damaged"],
    );
}

/// Commits on top of `repo`'s HEAD a directory `bomb` of `depth` levels, each holding its
/// level below twice (`a` and `b`): 2^depth paths from `depth` + 1 trees.
fn commit_tree_bomb(s: &Scratch, repo: &Path, depth: usize) {
    let mktree = |listing: String| {
        let mut child = Command::new("git")
            .current_dir(repo)
            .arg("mktree")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("git mktree");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(listing.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .expect("id")
            .trim()
            .to_string()
    };
    let blob = s.git(repo, &["hash-object", "-w", &format!("{D}/0001-use-x.md")]);
    let mut tree = mktree(format!("100644 blob {}\tx.md\n", blob.trim()));
    for _ in 0..depth {
        tree = mktree(format!("040000 tree {tree}\ta\n040000 tree {tree}\tb\n"));
    }
    let root = s.git(repo, &["cat-file", "-p", "HEAD^{tree}"]);
    let root = mktree(format!("{root}040000 tree {tree}\tbomb\n"));
    let commit = s.git(repo, &["commit-tree", &root, "-p", "HEAD", "-m", "bomb"]);
    s.git(repo, &["update-ref", "refs/heads/main", commit.trim()]);
}

#[test]
fn a_tree_that_repeats_its_subtrees_past_millions_of_paths_is_refused_not_walked() {
    let s = Scratch::new();
    let files = [(format!("{D}/0001-use-x.md"), madr("accepted", "Use X"))];
    // A thousand paths: walked.
    let repo = s.repo("small", &pairs(&files));
    commit_tree_bomb(&s, &repo, 10);
    assert_eq!(authors_within(&repo), git_log_authors(&s, &repo));
    // 2^30 paths from 31 trees: a walk of them never ends, and a list of them takes
    // all memory.
    let repo = s.repo("bomb", &pairs(&files));
    commit_tree_bomb(&s, &repo, 30);
    let run = cto_within(&repo, &["adr", "list", "--format", "json"], 120);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("reading tree") && run.stderr.contains("entries"),
        "{}",
        run.stderr
    );
    if let Some(kib) = peak_kib(&repo, &["adr", "list", "--format", "json"]) {
        assert!(kib < 1024 * 1024, "peak memory {kib} KiB");
    }
}
