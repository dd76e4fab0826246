//! Everything git, through git2 (never a subprocess), behind a small interface.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{what}: {source}")]
    Git {
        what: String,
        #[source]
        source: git2::Error,
    },
    #[error("not inside a git repository")]
    NoRepository,
}

fn ctx(what: impl Into<String>) -> impl FnOnce(git2::Error) -> GitError {
    let what = what.into();
    move |source| GitError::Git { what, source }
}

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

/// The last commit that changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    pub date: jiff::civil::Date,
    pub author: String,
    pub commit: String,
}

/// A repository opened once for the questions a command asks of it. Paths are relative
/// to the work tree, `/`-separated.
pub struct Repo {
    repo: git2::Repository,
    pub work_tree: PathBuf,
}

impl Repo {
    pub fn discover(start: &Path) -> Result<Repo, GitError> {
        let repo = git2::Repository::discover(start).map_err(|_| GitError::NoRepository)?;
        let work_tree = repo
            .workdir()
            .ok_or(GitError::NoRepository)?
            .canonicalize()
            .map_err(|_| GitError::NoRepository)?;
        Ok(Repo { repo, work_tree })
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The directory hooks live in (`core.hooksPath`, else `.git/hooks`).
    pub fn hooks_dir(&self) -> PathBuf {
        let configured = self
            .repo
            .config()
            .ok()
            .and_then(|c| c.get_path("core.hooksPath").ok());
        match configured {
            Some(p) if p.is_absolute() => p,
            Some(p) => self.work_tree.join(p),
            None => self.repo.path().join("hooks"),
        }
    }

    fn head_tree(&self) -> Option<git2::Tree<'_>> {
        self.repo.head().ok()?.peel_to_tree().ok()
    }

    /// Paths added or modified in the index relative to HEAD (every path before the
    /// first commit).
    pub fn staged_paths(&self) -> Result<BTreeSet<String>, GitError> {
        let index = self.repo.index().map_err(ctx("reading the index"))?;
        let head = self.head_tree();
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), Some(&index), None)
            .map_err(ctx("comparing the index with HEAD"))?;
        Ok(diff
            .deltas()
            .filter(|d| !matches!(d.status(), git2::Delta::Deleted))
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect())
    }

    /// Every file in the index under `prefix` (a directory, `/`-terminated or empty), with
    /// its staged content.
    pub fn index_files(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let index = self.repo.index().map_err(ctx("reading the index"))?;
        let mut out = Vec::new();
        for entry in index.iter() {
            let path = String::from_utf8_lossy(&entry.path).into_owned();
            if !path.starts_with(prefix) {
                continue;
            }
            let blob = self
                .repo
                .find_blob(entry.id)
                .map_err(ctx(format!("reading {path} from the index")))?;
            out.push((path, blob.content().to_vec()));
        }
        Ok(out)
    }

    fn tree_at(&self, rev: &str) -> Result<git2::Tree<'_>, GitError> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_tree())
            .map_err(ctx(format!("resolving `{rev}`")))
    }

    /// A file's content at a revision, or `None` if it did not exist there.
    pub fn file_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let tree = self.tree_at(rev)?;
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            return Ok(None);
        };
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(ctx(format!("reading {path} at {rev}")))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// Paths that differ between a revision and the work tree (staged or not).
    pub fn changed_since(&self, rev: &str) -> Result<BTreeSet<String>, GitError> {
        let tree = self.tree_at(rev)?;
        let mut opts = git2::DiffOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
            .map_err(ctx(format!("comparing `{rev}` with the work tree")))?;
        Ok(diff
            .deltas()
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect())
    }

    /// The last change of each path, found in one walk of history from HEAD (first
    /// parents, newest first), stopping as soon as every path has been seen.
    pub fn last_changes(
        &self,
        paths: &BTreeSet<String>,
    ) -> Result<BTreeMap<String, LastChange>, GitError> {
        let mut out = BTreeMap::new();
        let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) else {
            return Ok(out);
        };
        let mut walk = self.repo.revwalk().map_err(ctx("walking history"))?;
        walk.push(head.id()).map_err(ctx("walking history"))?;
        walk.simplify_first_parent()
            .map_err(ctx("walking history"))?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
            .map_err(ctx("walking history"))?;
        for oid in walk {
            if out.len() == paths.len() {
                break;
            }
            let oid = oid.map_err(ctx("walking history"))?;
            let commit = self
                .repo
                .find_commit(oid)
                .map_err(ctx("reading a commit"))?;
            let tree = commit.tree().map_err(ctx("reading a tree"))?;
            let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
            let diff = self
                .repo
                .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
                .map_err(ctx("comparing commits"))?;
            for delta in diff.deltas() {
                let Some(p) = delta.new_file().path() else {
                    continue;
                };
                let p = p.to_string_lossy().replace('\\', "/");
                if paths.contains(&p) && !out.contains_key(&p) {
                    let when = commit.author().when();
                    let date = jiff::Timestamp::from_second(when.seconds())
                        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
                        .unwrap_or_default();
                    out.insert(
                        p,
                        LastChange {
                            date,
                            author: commit.author().name().unwrap_or("").to_string(),
                            commit: oid.to_string(),
                        },
                    );
                }
            }
        }
        Ok(out)
    }
}
