//! Safe writes: new files with create-new semantics, edits as minimal byte replacements
//! written to a temporary file in the same directory and renamed over the original.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::source::Span;

pub mod field;
mod journal;

pub use field::{FieldEditError, add_to_list, set_field};

/// `text` with `span` replaced by `new`; every other byte stays as it was.
pub fn replace(text: &str, span: Span, new: &str) -> String {
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..span.start]);
    out.push_str(new);
    out.push_str(&text[span.end..]);
    out
}

/// The line ending a text uses (CRLF if its first line ends with one).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// A temporary file beside `path`, named so that a later writer in the same directory
/// can tell it was left behind (see [`DirLock::acquire`]), and short whatever the
/// document's name (a 254-byte name is legal).
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    dir.join(format!(".cto-{}.tmp", next_id()))
}

/// `PID-N`, unique among this machine's live processes: names temporary files and
/// journals.
fn next_id() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{n}", std::process::id())
}

fn is_temp_name(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    name.strip_prefix(".cto-")
        .and_then(|s| s.strip_suffix(".tmp"))
        .is_some_and(digits)
        // The names of earlier versions: `.NAME.cto-PID.tmp`.
        || name.starts_with('.')
            && name
                .strip_suffix(".tmp")
                .and_then(|s| s.rsplit_once(".cto-"))
                .is_some_and(|(_, pid)| digits(pid))
}

/// Writes `contents` to a new temporary file beside `path`, synced, with `path`'s
/// permissions (and, where it may, owner) when it exists.
fn write_temp(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    write_temp_like(path, path, contents)
}

/// [`write_temp`] for `path`, keeping the permissions and owner of `like`.
fn write_temp_like(path: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    let tmp = temp_path(path);
    let _ = fs::remove_file(&tmp);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = fs::metadata(like) {
            f.set_permissions(meta.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Only root may give a file away; for others this is a no-op or fails.
                let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
            }
        }
        f.write_all(contents)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes a new file; fails if anything already exists at `path`. The file appears
/// whole or not at all: its text is written and synced under a temporary name, then
/// linked into place (a link never replaces an existing file).
pub fn create_new(path: &Path, contents: &str) -> io::Result<()> {
    if exists(path) {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists already", path.display()),
        ));
    }
    let tmp = write_temp(path, contents.as_bytes())?;
    pause_for_tests("CTO_TEST_PAUSE_BEFORE_RENAME_MS");
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        // A file system without hard links (and only that): create-new, then write.
        Err(e) if !no_hard_links(&e) => Err(e),
        Err(_) => {
            let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
            let result = f.write_all(contents.as_bytes()).and_then(|()| f.sync_all());
            if result.is_err() {
                let _ = fs::remove_file(path);
            }
            result
        }
    }
}

/// Whether a failed link says the file system has no hard links.
fn no_hard_links(e: &io::Error) -> bool {
    // EPERM (vfat and friends on Linux), EOPNOTSUPP, EXDEV never apply to one directory.
    e.kind() == io::ErrorKind::Unsupported || matches!(e.raw_os_error(), Some(1 | 95))
}

/// Replaces `path` with `contents` atomically: readers see the old file or the new one,
/// never a mix, and an interrupted write leaves the old file intact.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    let tmp = write_temp(path, contents.as_bytes())?;
    pause_for_tests("CTO_TEST_PAUSE_BEFORE_RENAME_MS");
    let result = fs::rename(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Why a planned write was not made.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} changed since cto read it; nothing was written (run the command again)")]
    Changed(PathBuf),
    #[error("{0} exists already; cto never overwrites a document")]
    Exists(PathBuf),
    #[error("{0} is a symbolic link; cto edits only regular files (edit the file it points to)")]
    Link(PathBuf),
    #[error("{0} is read-only; cto leaves it as it is")]
    ReadOnly(PathBuf),
    #[error(
        "{0} has {1} names (hard links); a new version would leave the others with the old text, so cto leaves it as it is"
    )]
    HardLinked(PathBuf, u64),
    #[error("writing {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// One file of a [`Plan`].
#[derive(Debug)]
enum Step {
    /// A new file: create-new semantics.
    Create { path: PathBuf, contents: String },
    /// An existing file that must still hold `old` when it is replaced.
    Replace {
        path: PathBuf,
        old: String,
        new: String,
    },
    /// An existing file renamed (and maybe edited): `from` must still hold `old`.
    Move {
        from: PathBuf,
        to: PathBuf,
        old: String,
        new: String,
    },
}

/// Writes to several files that are made together or not at all: every file is checked
/// and every new text written to a temporary file before the first one is replaced; a
/// failure on the way puts back what was already replaced.
#[derive(Debug, Default)]
pub struct Plan {
    steps: Vec<Step>,
}

/// How many names a file has (1 where the platform does not say).
fn links(meta: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

fn still_holds(path: &Path, old: &str) -> Result<(), WriteError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Link(path.to_path_buf())),
        Ok(m) if !m.is_file() => {
            return Err(WriteError::Io {
                path: path.to_path_buf(),
                source: io::Error::other("not a regular file any more"),
            });
        }
        Ok(m) if m.permissions().readonly() => {
            return Err(WriteError::ReadOnly(path.to_path_buf()));
        }
        Ok(m) if links(&m) > 1 => {
            return Err(WriteError::HardLinked(path.to_path_buf(), links(&m)));
        }
        _ => {}
    }
    // Read no more than what was read before: a file that grew (to gigabytes, say) has
    // changed, whatever it holds now; a FIFO put in its place is refused without a wait.
    match crate::files::read_file(path, None, old.len() as u64) {
        Ok(now) if now == old.as_bytes() => Ok(()),
        Ok(_) | Err(crate::files::ReadRefusal::TooLarge(_)) => {
            Err(WriteError::Changed(path.to_path_buf()))
        }
        Err(e) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source: io::Error::other(e.to_string()),
        }),
    }
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    pub fn create(&mut self, path: PathBuf, contents: String) {
        self.steps.push(Step::Create { path, contents });
    }

    /// Replaces `path`, which must still hold `old` when the plan is carried out.
    pub fn replace(&mut self, path: PathBuf, old: String, new: String) {
        if old != new {
            self.steps.push(Step::Replace { path, old, new });
        }
    }

    /// Renames `from` to `to` (which must not exist) with the text `new`.
    pub fn rename(&mut self, from: PathBuf, to: PathBuf, old: String, new: String) {
        self.steps.push(Step::Move { from, to, old, new });
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many files the plan writes.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Every directory the plan writes in, sorted: the ones to lock.
    pub fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .steps
            .iter()
            .flat_map(|s| match s {
                Step::Create { path, .. } | Step::Replace { path, .. } => vec![path],
                Step::Move { from, to, .. } => vec![from, to],
            })
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Carries the plan out (the caller holds the locks of [`Plan::dirs`]).
    pub fn commit(self) -> Result<(), WriteError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { path, source }
        };
        // 1. Everything is as it was read, and no new file is taken.
        for step in &self.steps {
            match step {
                Step::Create { path, .. } if exists(path) => {
                    return Err(WriteError::Exists(path.clone()));
                }
                Step::Move { to, .. } if exists(to) => return Err(WriteError::Exists(to.clone())),
                Step::Replace { path, old, .. }
                | Step::Move {
                    from: path, old, ..
                } => still_holds(path, old)?,
                Step::Create { .. } => {}
            }
        }
        // 2. Every new text on disk under a temporary name.
        let mut temps: Vec<PathBuf> = Vec::new();
        let cleanup = |temps: &[PathBuf]| {
            for t in temps {
                let _ = fs::remove_file(t);
            }
        };
        for step in &self.steps {
            let (target, like, text) = match step {
                Step::Create { path, contents } => (path, path, contents),
                Step::Replace { path, new, .. } => (path, path, new),
                Step::Move { from, to, new, .. } => (to, from, new),
            };
            match write_temp_like(target, like, text.as_bytes()) {
                Ok(t) => temps.push(t),
                Err(e) => {
                    cleanup(&temps);
                    return Err(io(target)(e));
                }
            }
        }
        pause_for_tests("CTO_TEST_PAUSE_BEFORE_RENAME_MS");
        // 3. Several files: the plan is written down first, so that a process killed
        // halfway is finished by the next writer (see `journal`).
        let journal = if self.steps.len() > 1 {
            let entries = self
                .steps
                .iter()
                .zip(&temps)
                .map(|(step, tmp)| match step {
                    Step::Create { path, .. } => journal::Entry {
                        op: journal::Op::Create,
                        target: path.clone(),
                        temp: tmp.clone(),
                        from: None,
                        old: None,
                        temp_ino: journal::inode(tmp),
                    },
                    Step::Replace { path, old, .. } => journal::Entry {
                        op: journal::Op::Replace,
                        target: path.clone(),
                        temp: tmp.clone(),
                        from: None,
                        old: Some(journal::Fingerprint::of(old.as_bytes())),
                        temp_ino: journal::inode(tmp),
                    },
                    Step::Move { from, to, old, .. } => journal::Entry {
                        op: journal::Op::Move,
                        target: to.clone(),
                        temp: tmp.clone(),
                        from: Some(from.clone()),
                        old: Some(journal::Fingerprint::of(old.as_bytes())),
                        temp_ino: journal::inode(tmp),
                    },
                })
                .collect();
            match journal::begin(entries, &next_id()) {
                Ok(j) => Some(j),
                Err(e) => {
                    cleanup(&temps);
                    let dir = self.dirs().into_iter().next().unwrap_or_default();
                    return Err(io(&dir)(e));
                }
            }
        } else {
            None
        };
        // 4. Into place, one by one; on a failure, back out what was done.
        let mut done: Vec<&Step> = Vec::new();
        let mut failure = None;
        for (step, tmp) in self.steps.iter().zip(&temps) {
            if !done.is_empty() {
                pause_for_tests("CTO_TEST_PAUSE_AFTER_FIRST_STEP_MS");
            }
            let result = match step {
                Step::Create { path, .. } => fs::hard_link(tmp, path).map_err(io(path)).map(|()| {
                    let _ = fs::remove_file(tmp);
                }),
                Step::Replace { path, old, .. } => {
                    still_holds(path, old).and_then(|()| fs::rename(tmp, path).map_err(io(path)))
                }
                // The old name goes before the temporary file, so that a process killed
                // in between leaves a journal entry that finishes the move.
                Step::Move { from, to, old, .. } => still_holds(from, old)
                    .and_then(|()| fs::hard_link(tmp, to).map_err(io(to)))
                    .and_then(|()| {
                        fs::remove_file(from).map_err(io(from)).inspect_err(|_| {
                            // The old name stays: take the new one back.
                            let _ = fs::remove_file(to);
                        })
                    })
                    .map(|()| {
                        let _ = fs::remove_file(tmp);
                    }),
            };
            match result {
                Ok(()) => done.push(step),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        cleanup(&temps);
        let Some(failure) = failure else {
            if let Some(j) = journal {
                j.finish();
            }
            return Ok(());
        };
        for step in done.into_iter().rev() {
            match step {
                Step::Create { path, .. } => {
                    let _ = fs::remove_file(path);
                }
                Step::Replace { path, old, .. } => {
                    let _ = write_atomic(path, old);
                }
                Step::Move { from, to, old, .. } => {
                    let _ = create_new(from, old);
                    let _ = fs::remove_file(to);
                }
            }
        }
        if let Some(j) = journal {
            j.finish();
        }
        Err(failure)
    }
}

/// Replaces a cache file: renamed into place like any write (a reader never sees half of
/// it), but not synced to disk, since losing a cache only costs a recomputation.
pub fn write_cache(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".cache-{}.tmp", std::process::id()));
    let result = fs::write(&tmp, contents).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `CTO_TEST_PAUSE_BEFORE_RENAME_MS` lets a test kill a write between writing the new
/// text and putting it into place, to show the old file survives;
/// `CTO_TEST_PAUSE_AFTER_FIRST_STEP_MS`, halfway through a multi-file plan, to show the
/// next writer finishes it.
fn pause_for_tests(variable: &str) {
    if let Some(ms) = std::env::var(variable)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms.min(60_000)));
    }
}

/// An exclusive lock on a directory, held while a new document's number is chosen and
/// its file created, and while files in it are edited. It is the operating system's
/// advisory lock on the directory itself: no lock file exists to be committed or left
/// behind, and the kernel releases it when the process ends, however it ends.
pub struct DirLock {
    _dir: File,
}

impl DirLock {
    pub fn acquire(dir: &Path, timeout: Duration) -> io::Result<DirLock> {
        let handle = File::open(dir)?;
        let start = Instant::now();
        let mut wait = Duration::from_millis(1);
        loop {
            match handle.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() > timeout {
                        return Err(io::Error::new(
                            io::ErrorKind::WouldBlock,
                            format!("{} is locked by another cto process", dir.display()),
                        ));
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        // Every cto writer in this directory holds this lock while its temporary files
        // exist, so any found now were left by a process that died: a plan it had
        // committed is finished first, then the leftovers go.
        journal::recover(dir);
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                if is_temp_name(&entry.file_name().to_string_lossy()) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        Ok(DirLock { _dir: handle })
    }

    /// Locks every directory in `dirs` (sorted, so two processes never wait on each other).
    pub fn all(dirs: &[PathBuf], timeout: Duration) -> io::Result<Vec<DirLock>> {
        let mut sorted: Vec<&PathBuf> = dirs.iter().collect();
        sorted.sort();
        sorted.dedup();
        sorted
            .into_iter()
            .map(|d| DirLock::acquire(d, timeout))
            .collect()
    }
}

/// Finishes what a killed cto writer left in these directories (see [`DirLock::acquire`]):
/// a command that edits calls it before it reads the files it will edit, so it reads
/// them as they are meant to be.
pub fn finish_interrupted(dirs: &[PathBuf]) -> io::Result<()> {
    let existing: Vec<PathBuf> = dirs.iter().filter(|d| d.is_dir()).cloned().collect();
    DirLock::all(&existing, LOCK_TIMEOUT).map(drop)
}

/// How long a write waits for another cto process's lock.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether anything exists at `path` right now (a dangling link counts).
pub fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recheck_before_a_write_reads_no_more_than_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("0001-x.md");
        fs::write(&p, "one").unwrap();
        assert!(still_holds(&p, "one").is_ok());
        // Grown meanwhile: changed, known from its length (a sparse terabyte is not read).
        let f = fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(1 << 40).unwrap();
        assert!(matches!(
            still_holds(&p, "one"),
            Err(WriteError::Changed(_))
        ));
        #[cfg(unix)]
        {
            // Swapped for a FIFO: refused at once, no wait for a writer.
            fs::remove_file(&p).unwrap();
            let made = std::process::Command::new("mkfifo").arg(&p).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed");
            assert!(still_holds(&p, "one").is_err());
        }
    }

    #[test]
    fn replace_touches_only_the_span() {
        let text = "---\r\nstatus: accepted # keep\r\n---\r\n";
        let at = text.find("accepted").unwrap();
        let out = replace(text, Span::new(at, at + 8), "superseded by ADR-0003");
        assert_eq!(
            out,
            "---\r\nstatus: superseded by ADR-0003 # keep\r\n---\r\n"
        );
        assert_eq!(line_ending(text), "\r\n");
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        create_new(&p, "one").unwrap();
        assert!(create_new(&p, "two").is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "one");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        fs::write(&p, "old").unwrap();
        write_atomic(&p, "new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_plan_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        // b changed since it was read: nothing is written, a keeps its text.
        let mut plan = Plan::new();
        plan.replace(a.clone(), "a".into(), "A".into());
        plan.replace(b.clone(), "old b".into(), "B".into());
        plan.create(dir.path().join("c.md"), "c".into());
        assert!(matches!(plan.commit(), Err(WriteError::Changed(_))));
        assert_eq!(fs::read_to_string(&a).unwrap(), "a");
        assert!(!dir.path().join("c.md").exists());
        // A step that fails after others were done puts them back.
        let mut plan = Plan::new();
        plan.replace(a.clone(), "a".into(), "A".into());
        plan.rename(
            b.clone(),
            dir.path().join("missing/b.md"),
            "b".into(),
            "B".into(),
        );
        assert!(plan.commit().is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn leftover_temporary_files_are_removed_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join(".0001-a.md.cto-4242.tmp");
        fs::write(&left, "half").unwrap();
        fs::write(dir.path().join(".keep.tmp"), "").unwrap();
        let _lock = DirLock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
        assert!(!left.exists());
        assert!(dir.path().join(".keep.tmp").exists());
        // No lock file is left in the directory.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn lock_is_exclusive_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DirLock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
        assert!(DirLock::acquire(dir.path(), Duration::from_millis(30)).is_err());
        drop(lock);
        assert!(DirLock::acquire(dir.path(), Duration::from_millis(30)).is_ok());
    }
}
