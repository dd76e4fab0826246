//! Everything git, through libraries (never a subprocess), behind a small interface:
//! git2 for the repository, its configuration, index and trees; gitoxide's packs and
//! object database for the walk of history, which keeps the objects its next reads are
//! stored as deltas of, as git does ([`objects`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

mod objects;
use objects::{Objects, Packs};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{what}: {source}")]
    Git {
        what: String,
        #[source]
        source: git2::Error,
    },
    #[error("{what}: {source}")]
    Objects {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("not inside a git repository")]
    NoRepository,
}

fn objects_error<E: std::error::Error + Send + Sync + 'static>(
    what: impl Into<String>,
) -> impl FnOnce(E) -> GitError {
    let what = what.into();
    move |source| GitError::Objects {
        what,
        source: Box::new(source),
    }
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastChange {
    /// `YYYY-MM-DD`, in UTC.
    pub date: String,
    pub author: String,
    pub commit: String,
}

/// A file's content as git holds it, read only when it is at most the size asked for
/// (known from the object's header, so a huge blob is never loaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// What the index changes relative to HEAD (or to nothing, before the first commit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagedChanges {
    /// Added, modified, renamed to, copied or retyped.
    pub changed: BTreeSet<String>,
    /// Deleted (or renamed from).
    pub deleted: BTreeSet<String>,
}

/// A file of the index: its path, mode and object id.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub path: String,
    pub mode: u32,
    id: git2::Oid,
}

impl IndexEntry {
    /// A regular file (`100644`, `100755`).
    pub fn is_regular(&self) -> bool {
        is_regular_file(self.mode)
    }

    /// A symbolic link (`120000`): its blob is the link's target, not a document.
    pub fn is_symlink(&self) -> bool {
        self.mode & 0o170000 == 0o120000
    }
}

/// A repository opened once for the questions a command asks of it. Paths are relative
/// to the work tree, `/`-separated.
pub struct Repo {
    repo: git2::Repository,
    pub work_tree: PathBuf,
}

impl Repo {
    pub fn discover(start: &Path) -> Result<Repo, GitError> {
        // libgit2 re-hashes every object it reads (SHA-1 with collision detection) by
        // default; cto only reads (base trees, staged blobs), as git does without that
        // check.
        git2::opts::strict_hash_verification(false);
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

    /// The directory git runs hooks from: `core.hooksPath` (relative to the work tree),
    /// else the `hooks` of the common directory, which a linked worktree shares with the
    /// main one (git never looks in `.git/worktrees/NAME/hooks`).
    pub fn hooks_dir(&self) -> PathBuf {
        let configured = self
            .repo
            .config()
            .ok()
            .and_then(|c| c.get_path("core.hooksPath").ok());
        match configured {
            Some(p) if p.is_absolute() => p,
            Some(p) => self.work_tree.join(p),
            None => self.repo.commondir().join("hooks"),
        }
    }

    fn head_tree(&self) -> Option<git2::Tree<'_>> {
        self.repo.head().ok()?.peel_to_tree().ok()
    }

    /// Paths the index changes relative to HEAD (every path before the first commit).
    pub fn staged_changes(&self) -> Result<StagedChanges, GitError> {
        let index = self.repo.index().map_err(ctx("reading the index"))?;
        let head = self.head_tree();
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), Some(&index), None)
            .map_err(ctx("comparing the index with HEAD"))?;
        Ok(changes(&diff))
    }

    /// Content of a blob if it is at most `max` bytes; its size from the object header
    /// otherwise, without reading it.
    fn blob(&self, id: git2::Oid, max: u64, what: &str) -> Result<Content, GitError> {
        let odb = self
            .repo
            .odb()
            .map_err(ctx("opening the object database"))?;
        let (size, _) = odb
            .read_header(id)
            .map_err(ctx(format!("reading {what}")))?;
        if size as u64 > max {
            return Ok(Content::TooLarge(size as u64));
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(ctx(format!("reading {what}")))?;
        Ok(Content::Bytes(blob.content().to_vec()))
    }

    /// Every entry of the index under `prefix` (a directory, `/`-terminated or empty),
    /// nothing read yet: what is staged is read with [`Repo::staged_content`], and only
    /// where it is needed.
    pub fn index_entries(&self, prefix: &str) -> Result<Vec<IndexEntry>, GitError> {
        let index = self.repo.index().map_err(ctx("reading the index"))?;
        let mut out = Vec::new();
        for entry in index.iter() {
            if !entry.path.starts_with(prefix.as_bytes()) {
                continue;
            }
            out.push(IndexEntry {
                path: String::from_utf8_lossy(&entry.path).into_owned(),
                mode: entry.mode,
                id: entry.id,
            });
        }
        Ok(out)
    }

    /// The staged content of a regular file of the index (none over `max` bytes is read).
    pub fn staged_content(&self, entry: &IndexEntry, max: u64) -> Result<Content, GitError> {
        self.blob(entry.id, max, &format!("{} from the index", entry.path))
    }

    fn tree_at(&self, rev: &str) -> Result<git2::Tree<'_>, GitError> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_tree())
            .map_err(ctx(format!("resolving `{rev}`")))
    }

    /// A file's content at a revision (none over `max` bytes is read), or `None` if it
    /// was not a regular file there.
    pub fn file_at(&self, rev: &str, path: &str, max: u64) -> Result<Option<Content>, GitError> {
        self.files_at(rev)?.get(path, max)
    }

    /// The files of a revision, for reading many of them: each directory's tree is
    /// looked up once (a path looked up from the root each time reads a directory of
    /// thousands of records again for every one of them).
    pub fn files_at(&self, rev: &str) -> Result<FilesAt<'_>, GitError> {
        Ok(FilesAt {
            repo: self,
            rev: rev.to_string(),
            root: self.tree_at(rev)?,
            dirs: HashMap::new(),
        })
    }

    /// Paths that differ between a revision and the work tree (staged or not): changed
    /// ones, and deleted ones.
    pub fn changed_since(&self, rev: &str) -> Result<StagedChanges, GitError> {
        let tree = self.tree_at(rev)?;
        let mut opts = git2::DiffOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
            .map_err(ctx(format!("comparing `{rev}` with the work tree")))?;
        Ok(changes(&diff))
    }

    /// The last change of each of `paths`: from the cache under `.git/cto/` when it is
    /// current, else from one walk of history (stopping at the cached head, whose entries
    /// it then updates), after which the cache is written again.
    pub fn last_changes(
        &self,
        paths: &BTreeSet<String>,
    ) -> Result<BTreeMap<String, LastChange>, GitError> {
        let all = self.last_changes_of_markdown()?;
        Ok(all.into_iter().filter(|(p, _)| paths.contains(p)).collect())
    }

    /// The commits a shallow clone's history stops at (`shallow` in the common directory),
    /// sorted; empty for a full clone.
    fn shallow_roots(&self) -> Vec<String> {
        let text =
            std::fs::read_to_string(self.repo.commondir().join("shallow")).unwrap_or_default();
        let mut roots: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        roots.sort();
        roots
    }

    fn cache_path(&self) -> PathBuf {
        self.repo.path().join("cto").join("last-change.json")
    }

    /// The cache's bytes, if it is a regular file of a real `cto` directory of the git
    /// directory, at most [`MAX_CACHE_BYTES`]: a link out of the repository, a FIFO, a
    /// device or a huge file is not read (the walk is made again instead).
    fn read_cache(&self) -> Option<Vec<u8>> {
        let path = self.cache_path();
        let dir = path.parent()?;
        if !is_real_dir(dir) || !std::fs::symlink_metadata(&path).ok()?.is_file() {
            return None;
        }
        let bound = dir.canonicalize().ok()?;
        crate::files::read_file(&path, Some(&bound), MAX_CACHE_BYTES).ok()
    }

    /// The last change of every markdown file, through the cache.
    pub fn last_changes_of_markdown(&self) -> Result<BTreeMap<String, LastChange>, GitError> {
        let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) else {
            return Ok(BTreeMap::new());
        };
        let head_id = head.id().to_string();
        let shallow = self.shallow_roots();
        // A cache made by another version of cto, or from another set of shallow roots
        // (`git fetch --unshallow` or `--deepen` since), is of no use: walk again.
        let cached: Option<HistoryCache> = self
            .read_cache()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|c: &HistoryCache| c.version == CACHE_VERSION && c.shallow == shallow);
        if let Some(c) = &cached
            && c.head == head_id
        {
            return Ok(c.entries.clone());
        }
        let stop = cached.as_ref().map(|c| c.head.clone());
        // Markdown as the workspace takes it: `.md` in any case.
        let markdown = |p: &str| {
            p.get(p.len().saturating_sub(3)..)
                .is_some_and(|e| e.eq_ignore_ascii_case(".md"))
        };
        let (found, reached) = self.walk(markdown, stop.as_deref())?;
        let entries = match (cached, reached) {
            (Some(mut c), true) => {
                c.entries.extend(found);
                c.entries
            }
            _ => found,
        };
        let cache = HistoryCache {
            version: CACHE_VERSION,
            head: head_id,
            shallow,
            entries,
        };
        // A cache that cannot be written only costs the next run a walk.
        if let Ok(text) = serde_json::to_string(&cache) {
            let path = self.cache_path();
            if path.parent().is_some_and(|d| {
                let _ = std::fs::create_dir(d);
                is_real_dir(d)
            }) {
                let _ = crate::edit::write_cache(&path, &text);
            }
        }
        Ok(cache.entries)
    }

    /// One walk of history from HEAD (first parents, newest first) recording the latest
    /// change of every path `want` accepts; stops at `stop`, saying whether it got there.
    /// A commit named in `shallow` is a root: its parents are not in the repository.
    fn walk(
        &self,
        want: impl Fn(&str) -> bool + Sync,
        stop: Option<&str>,
    ) -> Result<(BTreeMap<String, LastChange>, bool), GitError> {
        let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) else {
            return Ok((BTreeMap::new(), false));
        };
        let mut out = BTreeMap::new();
        let objects_dir = self.repo.commondir().join("objects");
        let packs = Packs::open(&objects_dir, MAX_OBJECT_BYTES);
        // Commits only: no delta-base cache to speak of.
        let mut objects = Objects::open(&packs, &objects_dir, 1 << 20)?;
        let shallow: HashSet<gix_hash::ObjectId> = self
            .shallow_roots()
            .iter()
            .filter_map(|s| gix_hash::ObjectId::from_hex(s.as_bytes()).ok())
            .collect();
        // The first-parent line, newest first, up to the cached head: a walk that stops
        // early reads only the commits it needs. A cached head that is no object id is
        // never reached: all of history is walked.
        let stop = stop.and_then(|s| gix_hash::ObjectId::from_hex(s.as_bytes()).ok());
        let mut line = Vec::new();
        let mut reached = false;
        let mut next = match gix_hash::ObjectId::try_from(head.id().as_bytes()) {
            Ok(id) => Some((id, read_commit(&mut objects, &id)?)),
            Err(_) => None,
        };
        // The commits of the line so far: one met again is an object database that
        // gives the wrong object for an id (git walks such a line forever).
        let mut seen = HashSet::new();
        while let Some((id, (tree, parent))) = next.take() {
            if stop == Some(id) {
                reached = true;
                break;
            }
            seen.insert(id);
            let parent = parent.filter(|_| !shallow.contains(&id));
            next = match parent {
                Some(p) if seen.contains(&p) => {
                    return Err(GitError::Objects {
                        what: format!("reading commit {p}"),
                        source: "the first-parent line from HEAD comes back to it: the \
                                 object database is damaged (`git fsck` says where)"
                            .into(),
                    });
                }
                Some(p) => Some((p, read_commit(&mut objects, &p)?)),
                None => None,
            };
            line.push(Step {
                id,
                tree,
                parent_tree: next.as_ref().map(|(_, (tree, _))| *tree),
            });
        }
        // What each commit changed: the line cut in stretches, one per core, each read
        // through its own reader and delta-base cache, walking its stretch newest first
        // (a commit's parent tree is the next commit's tree, read once).
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let stretches = cores
            .min(MAX_WALKERS)
            .min(line.len().div_ceil(MIN_STRETCH))
            .max(1);
        let changed: Vec<Vec<String>> = std::thread::scope(|scope| {
            let walkers: Vec<_> = line
                .chunks(line.len().div_ceil(stretches).max(1))
                .map(|steps| {
                    let (packs, objects_dir, want) = (&packs, &objects_dir, &want);
                    // git's cache, shared out: the walk holds no more than git would.
                    let cache = DELTA_BASE_CACHE_BYTES / stretches;
                    // The tree comparison takes a call per directory level, up to
                    // git's limit: room for them all (only the stack used is taken).
                    std::thread::Builder::new()
                        .name("cto-history".into())
                        .stack_size(WALK_STACK_BYTES)
                        .spawn_scoped(scope, move || {
                            changes_along(packs, objects_dir, cache, steps, want)
                        })
                })
                .collect();
            let mut all = Vec::with_capacity(line.len());
            for walker in walkers {
                let walker = walker.map_err(objects_error("starting the walk of history"))?;
                match walker.join() {
                    Ok(changes) => all.extend(changes?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok::<_, GitError>(all)
        })?;
        // Newest first: the first commit to change a path made its last change.
        for (step, paths) in line.iter().zip(changed) {
            let mut change: Option<LastChange> = None;
            for p in paths {
                if out.contains_key(&p) {
                    continue;
                }
                let change = match &mut change {
                    Some(c) => c,
                    None => change.insert(last_change(&mut objects, &step.id)?),
                };
                out.insert(p, change.clone());
            }
        }
        Ok((out, reached))
    }
}

/// A commit of the first-parent line: its tree and its parent's.
struct Step {
    id: gix_hash::ObjectId,
    tree: gix_hash::ObjectId,
    parent_tree: Option<gix_hash::ObjectId>,
}

/// At most this many threads walk history (each holds a delta-base cache).
const MAX_WALKERS: usize = 4;
/// A stretch of history shorter than this is not worth a thread of its own.
const MIN_STRETCH: usize = 256;

/// The paths `want` accepts that each of `steps` changed, in order.
fn changes_along(
    packs: &Packs,
    objects_dir: &Path,
    cache_bytes: usize,
    steps: &[Step],
    want: &(impl Fn(&str) -> bool + Sync),
) -> Result<Vec<Vec<String>>, GitError> {
    let mut trees = TreeCache {
        objects: Objects::open(packs, objects_dir, cache_bytes)?,
        current: OidMap::default(),
        previous: OidMap::default(),
        entries: 0,
    };
    let mut path = String::new();
    steps
        .iter()
        .map(|step| {
            let mut changed = Vec::new();
            changed_paths(
                &mut trees,
                step.parent_tree,
                step.tree,
                &mut path,
                want,
                &mut changed,
            )?;
            trees.next_commit();
            Ok(changed)
        })
        .collect()
}

/// A directory itself, not a link to one (which may lead out of the repository).
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Largest history cache read: forty times that of 100,000 documents (13 MiB).
const MAX_CACHE_BYTES: u64 = 512 << 20;

/// Largest commit or tree read in the walk of history: a directory of a million
/// records is a tree of some 50 MiB.
const MAX_OBJECT_BYTES: u64 = 256 << 20;

/// The walk's stack: room for [`MAX_TREE_DEPTH`] levels of the tree comparison in an
/// unoptimized build (under 16 KiB each: 64 MiB held them), reserved, not taken.
const WALK_STACK_BYTES: usize = 128 << 20;

/// Most tree entries compared for one commit: twenty times the files of the largest
/// source trees (a few hundred thousand); 40 trees holding each subtree twice make 2^40
/// paths, which would take the walk forever and its list of them all memory.
const MAX_ENTRIES_PER_COMMIT: usize = 4_000_000;

/// `core.maxTreeDepth`'s default in git: the deepest directory the walk enters.
const MAX_TREE_DEPTH: usize = 4096;

/// `core.deltaBaseCacheLimit`'s default in git (96 MiB).
const DELTA_BASE_CACHE_BYTES: usize = 96 << 20;

/// A commit's tree and first parent.
fn read_commit(
    objects: &mut Objects<'_>,
    id: &gix_hash::oid,
) -> Result<(gix_hash::ObjectId, Option<gix_hash::ObjectId>), GitError> {
    let data = find_commit(objects, id)?;
    let mut commit = gix_object::CommitRefIter::from_bytes(&data, gix_hash::Kind::Sha1);
    let tree = commit.tree_id().map_err(unreadable_commit(id))?;
    let parent = commit.parent_ids().next();
    Ok((tree, parent))
}

/// The commit `id`, which must be one: an object database that gives another kind of
/// object for it is damaged.
fn find_commit(objects: &mut Objects<'_>, id: &gix_hash::oid) -> Result<objects::Object, GitError> {
    let (kind, data) = objects.find(id, &format!("reading commit {id}"))?;
    if kind != gix_object::Kind::Commit {
        return Err(GitError::Objects {
            what: format!("reading commit {id}"),
            source: format!(
                "the object is a {kind}, not a commit: the object database is damaged \
                 (`git fsck` says where)"
            )
            .into(),
        });
    }
    Ok(data)
}

/// A commit that does not parse.
fn unreadable_commit<E: std::fmt::Display>(id: &gix_hash::oid) -> impl FnOnce(E) -> GitError {
    let what = format!("reading commit {id}");
    move |e| GitError::Objects {
        what,
        source: format!("{e}: the object database is damaged (`git fsck` says where)").into(),
    }
}

/// The author and day (UTC) of a commit.
fn last_change(objects: &mut Objects<'_>, id: &gix_hash::oid) -> Result<LastChange, GitError> {
    let data = find_commit(objects, id)?;
    let author = gix_object::CommitRefIter::from_bytes(&data, gix_hash::Kind::Sha1)
        .author()
        .map_err(unreadable_commit(id))?;
    let date = jiff::Timestamp::from_second(author.seconds())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_default();
    Ok(LastChange {
        date,
        // A name that is not UTF-8 (a commit made with another `i18n.commitEncoding`)
        // keeps its readable part, each byte that is not text a replacement character.
        author: String::from_utf8_lossy(author.name).into_owned(),
        commit: id.to_string(),
    })
}

/// The files of one revision ([`Repo::files_at`]), its directories' trees kept.
pub struct FilesAt<'r> {
    repo: &'r Repo,
    rev: String,
    root: git2::Tree<'r>,
    /// Trees by directory path (`docs/decisions`); `None` where there is no directory.
    dirs: HashMap<String, Option<git2::Tree<'r>>>,
}

impl FilesAt<'_> {
    /// A file's content (none over `max` bytes is read), or `None` if it was not a
    /// regular file there.
    pub fn get(&mut self, path: &str, max: u64) -> Result<Option<Content>, GitError> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let id = {
            let tree = if dir.is_empty() {
                Some(&self.root)
            } else {
                if !self.dirs.contains_key(dir) {
                    let tree = self
                        .root
                        .get_path(Path::new(dir))
                        .ok()
                        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
                        .and_then(|e| self.repo.repo.find_tree(e.id()).ok());
                    self.dirs.insert(dir.to_string(), tree);
                }
                self.dirs.get(dir).and_then(Option::as_ref)
            };
            match tree.and_then(|t| t.get_name(name)) {
                Some(entry) if is_regular_file(entry.filemode() as u32) => entry.id(),
                _ => return Ok(None),
            }
        };
        self.repo
            .blob(id, max, &format!("{path} at {}", self.rev))
            .map(Some)
    }
}

/// Regular files (`100644`, `100755`); not symbolic links (`120000`), submodules
/// (`160000`) or trees.
fn is_regular_file(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

fn slash_path(p: Option<&Path>) -> Option<String> {
    p.map(|p| p.to_string_lossy().replace('\\', "/"))
}

/// A diff's paths as changed and deleted.
fn changes(diff: &git2::Diff<'_>) -> StagedChanges {
    let mut out = StagedChanges::default();
    for d in diff.deltas() {
        let (old, new) = (
            slash_path(d.old_file().path()),
            slash_path(d.new_file().path()),
        );
        match d.status() {
            git2::Delta::Deleted => out.deleted.extend(old),
            git2::Delta::Renamed => {
                out.deleted.extend(old);
                out.changed.extend(new);
            }
            _ => out.changed.extend(new),
        }
    }
    out
}

/// Git's order of tree entries (`base_name_compare`): by name, a tree's name compared as
/// if it ended in `/`. No allocation: it runs for every entry of every commit.
fn entry_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {}
        other => return other,
    }
    let end = |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
    end(a, a_tree).cmp(&end(b, b_tree))
}

/// One entry of a raw tree object: `<octal mode> <name>\0<20-byte id>`.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    name: &'a [u8],
    tree: bool,
    id: &'a [u8],
    /// The whole entry as stored.
    raw: &'a [u8],
}

/// The entry of a raw tree object that starts at `at`, if a whole one does.
fn raw_entry(data: &[u8], at: usize) -> Option<RawEntry<'_>> {
    let rest = data.get(at..)?;
    // A mode is at most six octal digits; a name ends at the first NUL (core's memchr,
    // a word at a time).
    let space = rest.iter().take(8).position(|&b| b == b' ')?;
    let name_len = std::ffi::CStr::from_bytes_until_nul(&rest[space + 1..])
        .ok()?
        .to_bytes()
        .len();
    let nul = space + 1 + name_len;
    let id = rest.get(nul + 1..nul + 21)?;
    // Trees are mode 40000; blobs 100644/100755, links 120000, submodules 160000. Some
    // tools wrote a tree's mode as `040000`, which git reads as a tree too.
    let mode = &rest[..space];
    let zeros = mode.iter().take_while(|&&b| b == b'0').count();
    Some(RawEntry {
        tree: &mode[zeros..] == b"40000",
        name: &rest[space + 1..nul],
        id,
        raw: &rest[..nul + 21],
    })
}

/// Hashes an object id by its first bytes: ids are uniformly distributed already.
#[derive(Default)]
struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
}

type OidMap<V> =
    std::collections::HashMap<gix_hash::ObjectId, V, std::hash::BuildHasherDefault<OidHasher>>;

/// Raw trees read during a walk, kept for one more commit: the tree a commit is compared
/// against is the tree the next (older) commit shows, so each is decompressed once.
struct TreeCache<'p> {
    objects: Objects<'p>,
    current: OidMap<objects::Object>,
    previous: OidMap<objects::Object>,
    /// Tree entries compared for the commit at hand (see [`MAX_ENTRIES_PER_COMMIT`]).
    entries: usize,
}

impl TreeCache<'_> {
    fn get(&mut self, id: gix_hash::ObjectId) -> Result<objects::Object, GitError> {
        if let Some(o) = self.current.get(&id) {
            return Ok(o.clone());
        }
        let o = match self.previous.get(&id) {
            Some(o) => o.clone(),
            None => {
                let what = || format!("reading tree {id}");
                let (kind, tree) = self.objects.find(&id, &what())?;
                if kind != gix_object::Kind::Tree {
                    return Err(GitError::Objects {
                        what: what(),
                        source: format!("the object is a {kind}, not a tree").into(),
                    });
                }
                tree
            }
        };
        self.current.insert(id, o.clone());
        Ok(o)
    }

    fn next_commit(&mut self) {
        self.entries = 0;
        self.previous = std::mem::take(&mut self.current);
    }
}

/// Paths of blobs that differ between two trees, found as git finds them: entries are
/// compared in order and a subtree is entered only when its id changed. `path` holds the
/// directory's path (`docs/`) and is left as it was found. Both trees are read in step:
/// an entry stored identically in both is passed over whole, and once the rest of both
/// trees is the same bytes, nothing more is read.
fn changed_paths(
    cache: &mut TreeCache<'_>,
    old: Option<gix_hash::ObjectId>,
    new: gix_hash::ObjectId,
    path: &mut String,
    want: &impl Fn(&str) -> bool,
    out: &mut Vec<String>,
) -> Result<(), GitError> {
    if old == Some(new) {
        return Ok(());
    }
    let new_obj = cache.get(new)?;
    let old_obj = match old {
        Some(o) => Some(cache.get(o)?),
        None => None,
    };
    let new_data = &new_obj[..];
    let old_data = old_obj.as_ref().map_or(&[][..], |o| &o[..]);
    let (mut i, mut j) = (0, 0);
    while let Some(entry) = raw_entry(new_data, i) {
        i += entry.raw.len();
        cache.entries += 1;
        if cache.entries > MAX_ENTRIES_PER_COMMIT {
            return Err(GitError::Objects {
                what: format!("reading tree {new}"),
                source: format!(
                    "a commit's trees hold more than {MAX_ENTRIES_PER_COMMIT} entries to \
                     compare (a tree that holds its subtrees again and again?): the \
                     history is not walked"
                )
                .into(),
            });
        }
        if old_data.get(j..j + entry.raw.len()) == Some(entry.raw) {
            j += entry.raw.len();
            continue;
        }
        // Entries only the old tree has come first in git's order: deleted, passed over.
        let mut before = None;
        while let Some(o) = raw_entry(old_data, j) {
            match entry_order(o.name, o.tree, entry.name, entry.tree) {
                std::cmp::Ordering::Less => j += o.raw.len(),
                std::cmp::Ordering::Equal => {
                    j += o.raw.len();
                    before = Some(o);
                    break;
                }
                std::cmp::Ordering::Greater => break,
            }
        }
        if before.is_none_or(|o| o.id != entry.id || o.tree != entry.tree) {
            let Ok(id) = gix_hash::ObjectId::try_from(entry.id) else {
                continue;
            };
            let len = path.len();
            path.push_str(&String::from_utf8_lossy(entry.name));
            if entry.tree {
                // One call per directory level: a tree nested past git's own limit is
                // refused (as git log refuses it) before the stack runs out.
                if path.bytes().filter(|&b| b == b'/').count() >= MAX_TREE_DEPTH {
                    return Err(GitError::Objects {
                        what: format!("reading tree {new}"),
                        source: format!(
                            "directories nested deeper than {MAX_TREE_DEPTH} (git's \
                             core.maxTreeDepth): the history is not walked"
                        )
                        .into(),
                    });
                }
                let old_id = before
                    .filter(|o| o.tree)
                    .and_then(|o| gix_hash::ObjectId::try_from(o.id).ok());
                path.push('/');
                changed_paths(cache, old_id, id, path, want, out)?;
            } else if want(path) {
                out.push(path.clone());
            }
            path.truncate(len);
        }
        // The rest the same in both: nothing more changed here.
        if new_data[i..] == old_data[j.min(old_data.len())..] {
            break;
        }
    }
    Ok(())
}

/// 3: paths ending in `.MD` (any case) are kept too.
const CACHE_VERSION: u32 = 3;

/// `.git/cto/last-change.json`: the last change of every markdown file as of `head`, in
/// a history that stops at the `shallow` roots (none: all of it).
#[derive(serde::Serialize, serde::Deserialize)]
struct HistoryCache {
    version: u32,
    head: String,
    #[serde(default)]
    shallow: Vec<String>,
    entries: BTreeMap<String, LastChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits the files (path, content; `None` deletes) on top of HEAD.
    pub(super) fn commit(repo: &git2::Repository, files: &[(&str, Option<&str>)]) -> git2::Oid {
        let root = repo.workdir().expect("work tree").to_path_buf();
        let mut index = repo.index().expect("index");
        for (path, content) in files {
            let full = root.join(path);
            match content {
                Some(text) => {
                    if full.is_dir() {
                        std::fs::remove_dir_all(&full).expect("remove dir");
                        index.remove_dir(Path::new(path), 0).expect("unstage dir");
                    }
                    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&full, text).expect("write");
                    index.add_path(Path::new(path)).expect("add");
                }
                None => {
                    std::fs::remove_file(&full).expect("remove");
                    index.remove_path(Path::new(path)).expect("unstage");
                }
            }
        }
        index.write().expect("write index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("find tree");
        let sig = git2::Signature::new("T", "t@example.com", &git2::Time::new(1, 0)).expect("sig");
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
            .expect("commit")
    }

    /// A history long enough to be walked in stretches on several threads gives each
    /// path the commit that last changed it, as the plain reading of the line does.
    #[test]
    fn a_walk_in_stretches_finds_each_paths_last_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let mut last: BTreeMap<String, git2::Oid> = BTreeMap::new();
        let n = MIN_STRETCH * 2 + 7;
        for i in 0..n {
            // Three directories; now and then a file goes, and one comes back later.
            let path = format!("d{}/f{}.md", i % 3, (i * 7) % 40);
            let content = format!("{i}");
            let mut files = vec![(path.as_str(), Some(content.as_str()))];
            let gone = format!("d{}/f{}.md", (i + 1) % 3, (i * 11) % 40);
            let remove = i % 17 == 0 && gone != path && dir.path().join(&gone).exists();
            if remove {
                files.push((gone.as_str(), None));
            }
            let id = commit(&repo, &files);
            last.insert(path, id);
            if remove {
                last.remove(&gone);
            }
        }
        let repo = Repo::discover(dir.path()).expect("repo");
        let (found, reached) = repo.walk(|p| p.ends_with(".md"), None).expect("walk");
        assert!(!reached);
        // Deleted paths are in the walk too (their last change was a deletion or before).
        for (path, id) in &last {
            assert_eq!(
                found.get(path).map(|c| c.commit.as_str()),
                Some(id.to_string().as_str()),
                "{path}"
            );
        }
        assert!(found.len() >= last.len());
    }

    /// Files read from one revision, directories looked up once, are the files of that
    /// revision: at the root, nested, missing, a directory, and after a later commit.
    #[test]
    fn files_at_a_revision() {
        let dir = tempfile::tempdir().expect("temp dir");
        let raw = git2::Repository::init(dir.path()).expect("init");
        let first = commit(
            &raw,
            &[
                ("top.md", Some("top")),
                ("docs/decisions/0001-a.md", Some("one")),
                ("docs/decisions/0002-b.md", Some("two")),
                ("docs/decisions/deep/0003-c.md", Some("three")),
            ],
        );
        commit(&raw, &[("docs/decisions/0001-a.md", Some("changed"))]);
        let repo = Repo::discover(dir.path()).expect("repo");
        let text = |c: Option<Content>| match c {
            Some(Content::Bytes(b)) => Some(String::from_utf8(b).expect("utf-8")),
            _ => None,
        };
        let mut files = repo.files_at(&first.to_string()).expect("revision");
        for (path, want) in [
            ("top.md", Some("top")),
            ("docs/decisions/0001-a.md", Some("one")),
            ("docs/decisions/0002-b.md", Some("two")),
            ("docs/decisions/deep/0003-c.md", Some("three")),
            ("docs/decisions/0009-gone.md", None),
            ("docs/nothing/0001-a.md", None),
            ("docs/decisions/deep", None),
        ] {
            let got = text(files.get(path, 100).expect("read"));
            assert_eq!(got.as_deref(), want, "{path}");
        }
        assert!(matches!(
            files.get("docs/decisions/0002-b.md", 2).expect("read"),
            Some(Content::TooLarge(_))
        ));
        let now = repo.file_at("HEAD", "docs/decisions/0001-a.md", 100);
        assert_eq!(text(now.expect("read")).as_deref(), Some("changed"));
    }

    #[test]
    fn changed_paths_are_what_git_diff_finds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let steps: Vec<Vec<(&str, Option<&str>)>> = vec![
            vec![
                ("a.md", Some("1")),
                ("a-b.md", Some("1")),
                ("b/x.md", Some("1")),
                ("b/y.txt", Some("1")),
                ("b/c/z.md", Some("1")),
                ("d.md", Some("1")),
                ("e/f.md", Some("1")),
            ],
            vec![("b/c/z.md", Some("2")), ("a-b.md", Some("2"))],
            vec![("b/y.txt", Some("2"))],
            // A file becomes a directory, a directory a file, a file goes.
            vec![("d.md", None), ("d.md/g.md", Some("1"))],
            vec![("e/f.md", None), ("e", Some("now a file"))],
            vec![("a.md", None), ("b/x.md", Some("3")), ("zz.md", Some("1"))],
            // Identical content under another name: same blob id, another path.
            vec![("b/c/copy.md", Some("2"))],
        ];
        let mut commits = Vec::new();
        for files in &steps {
            commits.push(commit(&repo, files));
        }
        let dir = repo.path().join("objects");
        let packs = Packs::open(&dir, MAX_OBJECT_BYTES);
        let mut cache = TreeCache {
            objects: Objects::open(&packs, &dir, 1 << 20).expect("objects"),
            current: OidMap::default(),
            previous: OidMap::default(),
            entries: 0,
        };
        let md = |p: &str| p.ends_with(".md");
        for (i, id) in commits.iter().enumerate() {
            let new = repo.find_commit(*id).expect("commit").tree().expect("tree");
            let old = (i > 0).then(|| {
                repo.find_commit(commits[i - 1])
                    .expect("commit")
                    .tree()
                    .expect("tree")
            });
            let diff = repo
                .diff_tree_to_tree(old.as_ref(), Some(&new), None)
                .expect("diff");
            let mut expected: Vec<String> = diff
                .deltas()
                .filter(|d| d.status() != git2::Delta::Deleted)
                .filter_map(|d| slash_path(d.new_file().path()))
                .filter(|p| md(p))
                .collect();
            let mut found = Vec::new();
            let mut path = String::new();
            let id = |t: &git2::Tree<'_>| {
                gix_hash::ObjectId::try_from(t.id().as_bytes()).expect("sha-1")
            };
            changed_paths(
                &mut cache,
                old.as_ref().map(id),
                id(&new),
                &mut path,
                &md,
                &mut found,
            )
            .expect("walk");
            cache.next_commit();
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "commit {i}");
            assert!(path.is_empty());
        }
    }
}
