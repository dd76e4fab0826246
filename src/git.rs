//! Everything git, through git2 (never a subprocess), behind a small interface.

use std::path::{Path, PathBuf};

/// The work tree containing `start`, if any.
pub fn work_tree(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// `user.name` from the repository's configuration (which includes the global one).
pub fn user_name(start: &Path) -> Option<String> {
    let config = match git2::Repository::discover(start) {
        Ok(repo) => repo.config().ok()?,
        Err(_) => git2::Config::open_default().ok()?,
    };
    config
        .get_string("user.name")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
