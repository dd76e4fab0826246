//! The intent journal of a multi-file [`super::Plan`]: once every new text is on disk
//! under a temporary name, the plan is written down before the first file is put in
//! place. A process killed halfway leaves the journal behind, and the next cto writer
//! that locks the directory finishes the plan (rolls it forward) before doing its own
//! work, so a killed `adr new --supersedes` or `adr renumber` never stays half done.
//!
//! A plan may write in several directories. The journal lives in the first of them; each
//! other directory gets an intent naming the journal and its own steps. A directory's
//! steps are finished under that directory's lock, the next time it is locked. The
//! journal appears by an atomic rename after every intent is synced: that rename is the
//! plan's commit point. An intent whose journal does not exist was never committed, and
//! its temporary files are removed.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What one step does, as the journal records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Op {
    Create,
    Replace,
    Move,
}

/// The length and FNV-1a hash of a file's bytes: enough to tell whether it still holds
/// what the plan read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Fingerprint {
    len: u64,
    fnv: u64,
}

impl Fingerprint {
    pub(super) fn of(bytes: &[u8]) -> Fingerprint {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Fingerprint {
            len: bytes.len() as u64,
            fnv: hash,
        }
    }

    /// The fingerprint of the regular file at `path`, if it is no longer than `bound`
    /// (a longer one cannot match the fingerprint it is compared with, and is not read).
    fn of_file(path: &Path, bound: Option<Fingerprint>) -> Option<Fingerprint> {
        let max = bound.map_or(0, |f| f.len);
        crate::files::read_file(path, None, max)
            .ok()
            .map(|b| Fingerprint::of(&b))
    }
}

/// One step: the temporary file holding the new text, where it goes, and what the file
/// it replaces (or moves away from) must still hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub op: Op,
    pub target: PathBuf,
    pub temp: PathBuf,
    pub from: Option<PathBuf>,
    pub old: Option<Fingerprint>,
    /// The temporary file's inode number, as the writer made it: a journal committed to
    /// the repository cannot know the inode a checkout gives its files, so it cannot pass
    /// itself off as a killed writer's.
    #[serde(default)]
    pub temp_ino: Option<u64>,
}

/// A file's inode number (Unix); `None` elsewhere.
pub(super) fn inode(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(path).ok().map(|m| m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct JournalFile {
    /// The intents in the plan's other directories.
    intents: Vec<PathBuf>,
    entries: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct IntentFile {
    journal: PathBuf,
    entries: Vec<Entry>,
}

/// A committed plan's journal and intents, removed by [`Journal::finish`].
pub(super) struct Journal {
    main: PathBuf,
    intents: Vec<PathBuf>,
}

fn dir_of(entry: &Entry) -> PathBuf {
    entry
        .target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn is_name(name: &str, suffix: &str) -> bool {
    name.strip_prefix(".cto-")
        .and_then(|s| s.strip_suffix(suffix))
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

/// Writes the intents, then the journal (the commit point). Called with every
/// directory's lock held and every temporary file written and synced.
pub(super) fn begin(entries: Vec<Entry>, id: &str) -> io::Result<Journal> {
    let mut dirs: Vec<PathBuf> = entries.iter().map(dir_of).collect();
    dirs.sort();
    dirs.dedup();
    let main_dir = dirs.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let main = main_dir.join(format!(".cto-{id}.journal"));
    let mut intents = Vec::new();
    let written = (|| -> io::Result<()> {
        for dir in dirs.iter().skip(1) {
            let intent = IntentFile {
                journal: main.clone(),
                entries: entries
                    .iter()
                    .filter(|e| &dir_of(e) == dir)
                    .cloned()
                    .collect(),
            };
            let path = dir.join(format!(".cto-{id}.intent"));
            write_synced(&path, &serde_json::to_vec(&intent)?)?;
            intents.push(path);
            sync_dir(dir);
        }
        let journal = JournalFile {
            intents: intents.clone(),
            entries: entries
                .iter()
                .filter(|e| dir_of(e) == main_dir)
                .cloned()
                .collect(),
        };
        let staging = main_dir.join(format!(".cto-{id}.journal-new"));
        write_synced(&staging, &serde_json::to_vec(&journal)?)?;
        fs::rename(&staging, &main)?;
        sync_dir(&main_dir);
        Ok(())
    })();
    if let Err(e) = written {
        for p in &intents {
            let _ = fs::remove_file(p);
        }
        let _ = fs::remove_file(main_dir.join(format!(".cto-{id}.journal-new")));
        return Err(e);
    }
    Ok(Journal { main, intents })
}

impl Journal {
    /// The plan is done (or was put back): the intents go first, the journal last.
    pub(super) fn finish(self) {
        for p in &self.intents {
            let _ = fs::remove_file(p);
        }
        let _ = fs::remove_file(&self.main);
    }
}

/// Finishes one step if it is not done yet and the files are as the plan left them.
/// Called only for an entry whose temporary file exists (see [`entry_is_own`]).
fn roll_forward(e: &Entry) {
    match e.op {
        Op::Create => {
            if !super::exists(&e.target) {
                let _ = fs::hard_link(&e.temp, &e.target);
            }
        }
        Op::Replace => {
            if Fingerprint::of_file(&e.target, e.old) == e.old {
                let _ = fs::rename(&e.temp, &e.target);
            }
        }
        Op::Move => {
            if let Some(from) = &e.from
                && Fingerprint::of_file(from, e.old) == e.old
            {
                if !super::exists(&e.target) {
                    let _ = fs::hard_link(&e.temp, &e.target);
                }
                if super::exists(&e.target) {
                    let _ = fs::remove_file(from);
                }
            }
        }
    }
    let _ = fs::remove_file(&e.temp);
}

/// Largest journal or intent read: a plan of thousands of files fits well below it.
const MAX_JOURNAL_BYTES: u64 = 4 * 1024 * 1024;

/// A journal or intent as cto wrote it: a regular file (not a link, not a FIFO) of a
/// sensible size. Anything else is not read.
fn read_journal(path: &Path) -> Option<Vec<u8>> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_JOURNAL_BYTES {
        return None;
    }
    crate::files::read_file(path, None, MAX_JOURNAL_BYTES).ok()
}

/// Whether every path of an entry is a file of `dir` itself, named as cto names it: the
/// temporary file `.cto-PID-N.tmp`, the target and the moved file a `.md` document. A
/// journal is a file in the repository, and a repository is input: an entry that names
/// anything else (another directory, `..`, `.git/hooks/…`, a file that is not a
/// document) makes the whole journal void, and nothing of it is done.
fn entry_is_own(e: &Entry, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    let in_dir = |p: &Path, temp: bool| {
        let Some(name) = p.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return false;
        };
        let named = if temp {
            super::is_temp_name(&name) && name.starts_with(".cto-")
        } else {
            !name.starts_with('.') && name.to_ascii_lowercase().ends_with(".md")
        };
        named
            && p.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_)
                        | std::path::Component::RootDir
                        | std::path::Component::Prefix(_)
                )
            })
            && p.parent()
                .and_then(|d| d.canonicalize().ok())
                .is_some_and(|d| d == dir)
    };
    // The temporary file is the one the writer made (see `temp_ino`); where inodes are not
    // known, the names above are the only check.
    // A temporary file that is gone was put in place already.
    let made_here = cfg!(not(unix))
        || !super::exists(&e.temp)
        || (e.temp_ino.is_some() && inode(&e.temp) == e.temp_ino);
    made_here
        && in_dir(&e.temp, true)
        && in_dir(&e.target, false)
        && e.from.as_deref().is_none_or(|f| in_dir(f, false))
        && (e.op == Op::Create) == e.old.is_none()
        && (e.op == Op::Move) == e.from.is_some()
}

/// Finishes the committed plans a killed process left in `dir` (whose lock the caller
/// holds) and drops the ones it never committed. Journals that are not cto's own (see
/// [`entry_is_own`]) are left alone, unread or undone.
pub(super) fn recover(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = read
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_name(n, ".journal") || is_name(n, ".intent") || is_name(n, ".journal-new"))
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        if is_name(&name, ".journal-new") {
            // Not renamed into place: never committed. Its temporary files go with the
            // other leftovers.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
                let _ = fs::remove_file(&path);
            }
            continue;
        }
        let Some(bytes) = read_journal(&path) else {
            continue;
        };
        if is_name(&name, ".journal") {
            let Ok(journal) = serde_json::from_slice::<JournalFile>(&bytes) else {
                continue;
            };
            if !journal.entries.iter().all(|e| entry_is_own(e, dir))
                || !journal.intents.iter().all(|i| {
                    i.file_name()
                        .is_some_and(|n| is_name(&n.to_string_lossy(), ".intent"))
                })
            {
                continue;
            }
            journal
                .entries
                .iter()
                .filter(|e| super::exists(&e.temp))
                .for_each(roll_forward);
            // Kept while another directory still has its part to finish.
            if !journal.intents.iter().any(|i| super::exists(i)) {
                let _ = fs::remove_file(&path);
            }
        } else {
            let Ok(intent) = serde_json::from_slice::<IntentFile>(&bytes) else {
                continue;
            };
            let journal_named = intent
                .journal
                .file_name()
                .is_some_and(|n| is_name(&n.to_string_lossy(), ".journal"));
            if !journal_named || !intent.entries.iter().all(|e| entry_is_own(e, dir)) {
                continue;
            }
            if super::exists(&intent.journal) {
                intent
                    .entries
                    .iter()
                    .filter(|e| super::exists(&e.temp))
                    .for_each(roll_forward);
            } else {
                for e in &intent.entries {
                    let _ = fs::remove_file(&e.temp);
                }
            }
            let _ = fs::remove_file(&path);
        }
    }
    sync_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_fingerprints() {
        assert!(is_name(".cto-12-3.journal", ".journal"));
        assert!(is_name(".cto-12-3.intent", ".intent"));
        assert!(!is_name(".cto-.journal", ".journal"));
        assert!(!is_name("0001-x.md", ".journal"));
        assert_eq!(Fingerprint::of(b"abc"), Fingerprint::of(b"abc"));
        assert_ne!(Fingerprint::of(b"abc"), Fingerprint::of(b"abd"));
    }

    #[test]
    fn a_journal_naming_files_elsewhere_is_void() {
        let root = tempfile::tempdir().expect("tmp");
        let (dir, victim) = (root.path().join("d"), root.path().join("victim"));
        fs::create_dir_all(&dir)
            .and_then(|()| fs::create_dir_all(&victim))
            .expect("dirs");
        fs::write(victim.join("secret"), "precious").expect("w");
        fs::write(dir.join("payload"), "owned").expect("w");
        fs::write(dir.join(".cto-1-0.tmp"), "owned").expect("w");
        let hostile = [
            // A temp outside the directory: deleted by an uncommitted intent before.
            (Op::Create, dir.join("zz.md"), victim.join("secret")),
            // A target outside the directory.
            (
                Op::Create,
                victim.join("planted.md"),
                dir.join(".cto-1-0.tmp"),
            ),
            // A target that is not a document (a hook), through `..`.
            (
                Op::Create,
                dir.join("../victim/pre-commit"),
                dir.join(".cto-1-0.tmp"),
            ),
            // A temp not named as cto names them.
            (Op::Create, dir.join("yy.md"), dir.join("payload")),
        ];
        for (i, (op, target, temp)) in hostile.into_iter().enumerate() {
            // The right inode, so that only the paths make these void.
            let temp_ino = inode(&temp);
            let entries = vec![Entry {
                op,
                target,
                temp,
                from: None,
                old: None,
                temp_ino,
            }];
            let journal = JournalFile {
                intents: vec![],
                entries: entries.clone(),
            };
            fs::write(
                dir.join(format!(".cto-{i}.journal")),
                serde_json::to_vec(&journal).expect("json"),
            )
            .expect("w");
            let intent = IntentFile {
                journal: dir.join(".cto-99.journal"),
                entries,
            };
            fs::write(
                dir.join(format!(".cto-{i}.intent")),
                serde_json::to_vec(&intent).expect("json"),
            )
            .expect("w");
        }
        recover(&dir);
        assert_eq!(
            fs::read_to_string(victim.join("secret")).expect("kept"),
            "precious"
        );
        assert!(!victim.join("planted.md").exists() && !victim.join("pre-commit").exists());
        assert!(!dir.join("zz.md").exists() && !dir.join("yy.md").exists());
        assert!(dir.join("payload").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_journal_whose_temporary_file_cto_did_not_make_is_void() {
        // As a repository could carry them: a document, a temporary file and a journal
        // that would put the one over the other. The inode it names is not the file's.
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path();
        fs::write(d.join("0001-x.md"), "accepted").expect("w");
        fs::write(d.join(".cto-7-0.tmp"), "rewritten").expect("w");
        let real = inode(&d.join(".cto-7-0.tmp")).expect("inode");
        let journal = JournalFile {
            intents: vec![],
            entries: vec![Entry {
                op: Op::Replace,
                target: d.join("0001-x.md"),
                temp: d.join(".cto-7-0.tmp"),
                from: None,
                old: Some(Fingerprint::of(b"accepted")),
                temp_ino: Some(real + 1),
            }],
        };
        fs::write(
            d.join(".cto-7.journal"),
            serde_json::to_vec(&journal).expect("json"),
        )
        .expect("w");
        recover(d);
        assert_eq!(
            fs::read_to_string(d.join("0001-x.md")).expect("r"),
            "accepted"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_like_a_journal_is_not_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let fifo = dir.path().join(".cto-4.journal");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        // Returns at once; a read would block forever.
        recover(dir.path());
        assert!(fifo.exists());
    }

    #[test]
    fn a_committed_plan_is_finished_and_an_uncommitted_one_dropped() {
        let root = tempfile::tempdir().expect("tmp");
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        fs::create_dir_all(&a)
            .and_then(|()| fs::create_dir_all(&b))
            .expect("dirs");
        fs::write(a.join("1.md"), "old 1").expect("w");
        fs::write(b.join("2.md"), "old 2").expect("w");
        fs::write(a.join(".cto-9-0.tmp"), "new 1").expect("w");
        fs::write(b.join(".cto-9-1.tmp"), "new 2").expect("w");
        let entries = vec![
            Entry {
                op: Op::Replace,
                target: a.join("1.md"),
                temp: a.join(".cto-9-0.tmp"),
                from: None,
                old: Some(Fingerprint::of(b"old 1")),
                temp_ino: inode(&a.join(".cto-9-0.tmp")),
            },
            Entry {
                op: Op::Replace,
                target: b.join("2.md"),
                temp: b.join(".cto-9-1.tmp"),
                from: None,
                old: Some(Fingerprint::of(b"old 2")),
                temp_ino: inode(&b.join(".cto-9-1.tmp")),
            },
        ];
        let journal = begin(entries, "9").expect("begin");
        // Killed here: `b` is finished first (its journal exists), then `a`.
        drop(journal);
        recover(&b);
        assert_eq!(fs::read_to_string(b.join("2.md")).expect("r"), "new 2");
        assert!(!b.join(".cto-9.intent").exists());
        recover(&a);
        assert_eq!(fs::read_to_string(a.join("1.md")).expect("r"), "new 1");
        assert_eq!(
            fs::read_dir(&a).expect("ls").count(),
            1,
            "journal left behind"
        );

        // An intent without its journal was never committed: nothing changes.
        fs::write(b.join(".cto-9-2.tmp"), "newer 2").expect("w");
        let intent = IntentFile {
            journal: a.join(".cto-8.journal"),
            entries: vec![Entry {
                op: Op::Replace,
                target: b.join("2.md"),
                temp: b.join(".cto-9-2.tmp"),
                from: None,
                old: Some(Fingerprint::of(b"new 2")),
                temp_ino: inode(&b.join(".cto-9-2.tmp")),
            }],
        };
        fs::write(
            b.join(".cto-8.intent"),
            serde_json::to_vec(&intent).expect("json"),
        )
        .expect("w");
        recover(&b);
        assert_eq!(fs::read_to_string(b.join("2.md")).expect("r"), "new 2");
        assert_eq!(fs::read_dir(&b).expect("ls").count(), 1);
    }
}
