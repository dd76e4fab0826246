//! Safe writes: new files with create-new semantics, edits as minimal byte replacements
//! written to a temporary file in the same directory and renamed over the original.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::source::Span;

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

/// Writes a new file; fails if anything already exists at `path`.
pub fn create_new(path: &Path, contents: &str) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    let result = f.write_all(contents.as_bytes()).and_then(|()| f.sync_all());
    if result.is_err() {
        // Leave no half-written document behind.
        let _ = fs::remove_file(path);
    }
    result
}

/// Replaces `path` with `contents` atomically: readers see the old file or the new one,
/// never a mix, and an interrupted write leaves the old file intact.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.cto-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A lock on a directory, held while a new document's number is chosen and its file
/// created, so that concurrent `cto … new` runs take distinct numbers.
pub struct DirLock {
    path: PathBuf,
}

const LOCK_NAME: &str = ".cto.lock";
/// A lock older than this was left by a process that died; it is taken over.
const STALE_AFTER: Duration = Duration::from_secs(30);

impl DirLock {
    pub fn acquire(dir: &Path, timeout: Duration) -> io::Result<DirLock> {
        let path = dir.join(LOCK_NAME);
        let start = Instant::now();
        let mut wait = Duration::from_millis(2);
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(DirLock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > STALE_AFTER);
                    if stale {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if start.elapsed() > timeout {
                        return Err(io::Error::new(
                            io::ErrorKind::WouldBlock,
                            format!("{} is held by another cto process", path.display()),
                        ));
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(50));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Opens nothing, writes nothing: whether a file exists at `path` right now.
pub fn exists(path: &Path) -> bool {
    File::open(path).is_ok() || fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn lock_is_exclusive_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DirLock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
        assert!(DirLock::acquire(dir.path(), Duration::from_millis(30)).is_err());
        drop(lock);
        assert!(DirLock::acquire(dir.path(), Duration::from_millis(30)).is_ok());
    }
}
