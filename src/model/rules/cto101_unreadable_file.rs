//! CTO101 unreadable-file: the rule and its page. The reader emits it: `model::load`
//! (reading a file) and `workspace` (walking the directories).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That every document file can be read as UTF-8 text of a sensible size (at most 10 MiB,
    /// no NUL bytes), and that it is a regular file inside the repository. A symbolic link
    /// that resolves outside the repository root, or to something that is not a regular file
    /// (a FIFO, a device, `/dev/stdin`, a directory), is reported and never opened.
    ///
    /// ## Why
    /// A file that cannot be read cannot be checked or reported on; it usually means a binary
    /// was saved with a `.md` name, an editor wrote a legacy encoding, or permissions are wrong.
    /// A committed link to `/etc/shadow` would otherwise print its first line in a snippet, and
    /// a link to a FIFO would block every command that reads the documents.
    ///
    /// ## Example
    /// A file saved as Latin-1 with `Décision` in its title: the `é` is byte 0xE9, which is not
    /// UTF-8. The diagnostic points at the line and column of the first invalid byte.
    ///
    /// ## How to fix
    /// Re-save the file as UTF-8 (most editors: "Save with encoding"), or move the binary out
    /// of the documents directory.
    pub static UNREADABLE_FILE = {
        code: "CTO101",
        name: "unreadable-file",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A document could not be read: I/O error, not UTF-8, binary, too large, a link out of the repository, or not a regular file.",
    }
}
