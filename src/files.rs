//! Reading a file the way every document, cto.yaml, `.adr-dir` and template is read:
//! only a regular file, only inside the repository, never more than a bound, never a
//! read that can block.

use std::io::Read;
use std::path::Path;

/// Why a file was not read. Documents, cto.yaml, `.adr-dir` and templates are regular
/// files inside the repository: anything else is refused before it is opened.
#[derive(Debug, thiserror::Error)]
pub enum ReadRefusal {
    #[error("it resolves to {0}, outside the repository; not read")]
    Outside(String),
    #[error("it is {0}, not a regular file; not read")]
    NotRegular(&'static str),
    #[error("file is larger than {}; not read", size_text(*.0))]
    TooLarge(u64),
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file that is not a regular file is, in words.
pub fn file_type_name(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Whether `path` may be opened: it is (links followed) a regular file, and, with
/// `bound`, it resolves inside `bound` (a canonical directory). Nothing is opened here:
/// a FIFO, a device or `/dev/stdin` is refused before a read could block.
pub fn check_file(path: &Path, bound: Option<&Path>) -> Result<(), ReadRefusal> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadRefusal::NotRegular(file_type_name(&meta.file_type())));
    }
    if let Some(bound) = bound {
        let real = path.canonicalize()?;
        if !real.starts_with(bound) {
            return Err(ReadRefusal::Outside(real.display().to_string()));
        }
    }
    Ok(())
}

/// The bytes of a file that [`check_file`] accepts, at most `max` of them. The open
/// handle is checked again (the path may have changed since) and its length refuses a
/// huge file before any of it is read; the read itself is bounded too.
pub fn read_file(path: &Path, bound: Option<&Path>, max: u64) -> Result<Vec<u8>, ReadRefusal> {
    check_file(path, bound)?;
    read_checked(path, max)
}

/// [`read_file`] of a path already checked: one that `Workspace::document_files` found
/// (a regular file, or a link it checked to lead to one inside the repository). Looking
/// the path up again to check it costs as much as opening it; the open handle is still
/// checked, so a file swapped since for anything else is refused before it is read.
pub fn read_checked(path: &Path, max: u64) -> Result<Vec<u8>, ReadRefusal> {
    // Opened without blocking: a file swapped for a FIFO after the check above would
    // otherwise wait for a writer forever. The handle's own type is checked next.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadRefusal::NotRegular(file_type_name(&meta.file_type())));
    }
    if meta.len() > max {
        return Err(ReadRefusal::TooLarge(max));
    }
    // Sized from the length, one byte over: a file read whole is one `read`, and the
    // next one (which finds the end) needs no larger buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n + 1));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadRefusal::TooLarge(max));
    }
    Ok(bytes)
}

/// Largest cto.yaml, `.adr-dir` or template read.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
