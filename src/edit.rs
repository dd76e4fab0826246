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
        pause_for_tests();
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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

/// `CTO_TEST_PAUSE_BEFORE_RENAME_MS`: lets a test kill an edit between writing the new
/// text and renaming it into place, to show the old file survives.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("CTO_TEST_PAUSE_BEFORE_RENAME_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms.min(60_000)));
    }
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

/// Why a field could not be set by a minimal edit.
#[derive(Debug, thiserror::Error)]
pub enum FieldEditError {
    #[error("the file has no closed front matter block to edit")]
    NoFrontMatter,
    #[error("`{0}` is written as a block or a nested value; edit it by hand")]
    NotScalar(String),
    #[error("`{0}` is written as a flow mapping (`{{ … }}`); edit it by hand")]
    FlowMapping(String),
    #[error("only `key` or `parent.child` can be set, not `{0}`")]
    TooDeep(String),
}

/// Sets `key` or `parent.child` in the front matter to `value` (YAML text), touching only
/// the bytes of that value, or adding one line where the key is missing.
pub fn set_field(
    text: &str,
    front: &crate::parse::frontmatter::FrontMatter,
    meta: &crate::parse::yaml::Node,
    key: &str,
    value: &str,
) -> Result<String, FieldEditError> {
    use crate::parse::yaml::Value;
    let close = front.close.ok_or(FieldEditError::NoFrontMatter)?;
    let eol = line_ending(text);
    let parts: Vec<&str> = key.split('.').collect();
    let replace_value = |k: &crate::parse::yaml::Node, v: &crate::parse::yaml::Node| {
        let original = &text[v.span.range()];
        match &v.value {
            Value::Null => {
                // `key:` with nothing after it: write after the colon.
                let colon = Span::new(k.span.end, k.span.end + 1);
                Ok(replace(text, colon, &format!(": {value}")))
            }
            Value::Seq(_) | Value::Map(_)
                if !(original.starts_with('[') || original.starts_with('{')) =>
            {
                Err(FieldEditError::NotScalar(key.to_string()))
            }
            Value::Seq(_) | Value::Map(_) => {
                // A flow collection's span covers its opening bracket only.
                let end = flow_end(text, v.span.start)
                    .ok_or_else(|| FieldEditError::NotScalar(key.to_string()))?;
                Ok(replace(text, Span::new(v.span.start, end), value))
            }
            _ => Ok(replace(text, v.span, value)),
        }
    };
    let before_close = Span::empty(close.start);
    match parts.as_slice() {
        [name] => match meta.entry(name) {
            Some((k, v)) => replace_value(k, v),
            None => Ok(replace(
                text,
                before_close,
                &format!("{name}: {value}{eol}"),
            )),
        },
        [parent, child] => match meta.entry(parent) {
            None => Ok(replace(
                text,
                before_close,
                &format!("{parent}:{eol}  {child}: {value}{eol}"),
            )),
            Some((pk, pv)) => {
                if text[pv.span.range()].starts_with('{') {
                    return Err(FieldEditError::FlowMapping(parent.to_string()));
                }
                match &pv.value {
                    Value::Map(entries) => match pv.entry(child) {
                        Some((k, v)) => replace_value(k, v),
                        None => {
                            let (first_key, _) = &entries[0];
                            let line_start = text[..first_key.span.start]
                                .rfind('\n')
                                .map_or(0, |i| i + 1);
                            let indent = &text[line_start..first_key.span.start];
                            let last_end = entries.last().map_or(pv.span.end, |(_, v)| v.span.end);
                            let at = text[last_end..]
                                .find('\n')
                                .map_or(text.len(), |i| last_end + i + 1);
                            Ok(replace(
                                text,
                                Span::empty(at),
                                &format!("{indent}{child}: {value}{eol}"),
                            ))
                        }
                    },
                    Value::Null => {
                        let colon = Span::new(pk.span.end, pk.span.end + 1);
                        Ok(replace(text, colon, &format!(":{eol}  {child}: {value}")))
                    }
                    _ => Err(FieldEditError::NotScalar(parent.to_string())),
                }
            }
        },
        _ => Err(FieldEditError::TooDeep(key.to_string())),
    }
}

/// The end (exclusive) of the flow collection opening at `start`, quotes respected.
fn flow_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod field_tests {
    use super::*;
    use crate::parse::{frontmatter, yaml};

    fn set(text: &str, key: &str, value: &str) -> Result<String, FieldEditError> {
        let split = frontmatter::split(text);
        let fm = split.front_matter.expect("front matter");
        let mut meta = yaml::parse(&text[fm.yaml.range()])
            .expect("yaml")
            .expect("map");
        meta.shift(fm.yaml.start);
        set_field(text, &fm, &meta, key, value)
    }

    const DOC: &str = "---\nowner: Ana # lead\nlikelihood: 3\nreview:\n  last: 2024-01-01\n  next: 2024-04-01\nlinks: []\nempty:\n---\n# T\n";

    #[test]
    fn replaces_only_the_value() {
        assert_eq!(
            set(DOC, "likelihood", "4").unwrap(),
            DOC.replace("likelihood: 3", "likelihood: 4")
        );
        assert_eq!(
            set(DOC, "review.next", "2024-05-01").unwrap(),
            DOC.replace("next: 2024-04-01", "next: 2024-05-01")
        );
        assert_eq!(
            set(DOC, "links", "[RM-0001]").unwrap(),
            DOC.replace("links: []", "links: [RM-0001]")
        );
        let two = DOC.replace("links: []", "links: [RM-0001, \"a]b\"]");
        assert_eq!(set(&two, "links", "[]").unwrap(), DOC);
        assert_eq!(
            set(DOC, "empty", "x").unwrap(),
            DOC.replace("empty:\n", "empty: x\n")
        );
    }

    #[test]
    fn adds_missing_keys_in_place() {
        assert_eq!(
            set(DOC, "impact", "5").unwrap(),
            DOC.replace("empty:\n---", "empty:\nimpact: 5\n---")
        );
        assert_eq!(
            set(DOC, "review.owner", "Bo").unwrap(),
            DOC.replace("  next: 2024-04-01\n", "  next: 2024-04-01\n  owner: Bo\n")
        );
        assert_eq!(
            set(DOC, "residual.impact", "2").unwrap(),
            DOC.replace("empty:\n---", "empty:\nresidual:\n  impact: 2\n---")
        );
    }

    #[test]
    fn refuses_what_it_cannot_edit_minimally() {
        let flow = "---\nreview: { next: 2024-01-01 }\n---\n";
        assert!(matches!(
            set(flow, "review.last", "x"),
            Err(FieldEditError::FlowMapping(_))
        ));
        assert!(matches!(
            set(DOC, "a.b.c", "x"),
            Err(FieldEditError::TooDeep(_))
        ));
        let crlf = DOC.replace('\n', "\r\n");
        assert_eq!(
            set(&crlf, "impact", "5").unwrap(),
            crlf.replace("empty:\r\n---", "empty:\r\nimpact: 5\r\n---")
        );
    }
}
