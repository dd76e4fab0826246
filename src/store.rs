//! The repository's documents held in memory from one run to the next (`cto watch`,
//! `cto mcp`): a refresh reads again only the files whose size, times or inode changed,
//! and everything when cto.yaml changed.
//!
//! Each document is checked on its own when it is read (its findings kept beside it);
//! the checks across documents run over the whole corpus when the findings are asked
//! for. So a change to one file costs one parse and one pass of the checks across
//! documents, not a reading of the repository.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::check::{self, Diagnostic};
use crate::model::{Corpus, Document, DocumentFile, load_document};
use crate::workspace::{Workspace, WorkspaceError};

/// A store shared between the calls of a server.
pub type Held = Arc<Mutex<Store>>;

/// What tells that a file changed without reading it: its size, modification and
/// status-change times and inode. A file rewritten in place with the same size within
/// the file system's time resolution is the one change this misses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: u64,
}

/// The stamp of the file at `path` itself (a link is not followed).
fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        #[cfg(unix)]
        changed: (meta.ctime(), meta.ctime_nsec()),
        #[cfg(unix)]
        inode: meta.ino(),
    })
}

/// What a refresh found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refresh {
    /// cto.yaml changed (or the day did): every document was read again.
    pub reloaded: bool,
    /// Documents read again, new or changed (paths relative to the root).
    pub read: Vec<String>,
    /// Documents gone.
    pub removed: Vec<String>,
    /// The files that could not be walked changed.
    pub walk_changed: bool,
}

impl Refresh {
    /// Nothing changed since the last refresh.
    pub fn is_empty(&self) -> bool {
        !self.reloaded && self.read.is_empty() && self.removed.is_empty() && !self.walk_changed
    }
}

/// The documents of one repository, parsed, with each one's own findings.
pub struct Store {
    ws: Workspace,
    config: Option<Stamp>,
    corpus: Arc<Corpus>,
    stamps: HashMap<String, Stamp>,
    /// The findings of each document checked on its own (only documents with some).
    own: HashMap<String, Vec<Diagnostic>>,
    walk_errors: Vec<Diagnostic>,
    today: jiff::civil::Date,
    /// When watching: the watcher, and whether it saw a change since the last walk.
    watching: Option<Watching>,
}

/// A file-system watcher on the directories the documents are in.
struct Watching {
    watcher: notify::RecommendedWatcher,
    /// Set by the watcher's thread on every change (and when it fails: then every
    /// refresh walks, as without a watcher); cleared before each walk.
    dirty: Arc<AtomicBool>,
    /// What is watched: the root and the ancestors of missing directories alone, each
    /// kind's directory with everything under it.
    watched: BTreeSet<(PathBuf, bool)>,
    /// The kinds' directories, for telling which events in the root matter.
    dirs: Arc<Mutex<Vec<PathBuf>>>,
}

/// The directories to watch and how: the root alone (for cto.yaml), each kind's
/// directory with everything under it, and for a kind's directory that does not exist
/// yet its nearest existing parent inside the root, alone. A directory that resolves
/// outside the repository is not watched.
fn watch_plan(ws: &Workspace) -> BTreeSet<(PathBuf, bool)> {
    let mut out = BTreeSet::new();
    out.insert((ws.root.clone(), false));
    for kind in crate::model::Kind::ALL {
        let dir = ws.abs_dir(kind);
        let mut at = dir.as_path();
        let mut recursive = true;
        loop {
            match at.canonicalize() {
                Ok(real) if real.starts_with(&ws.root) && real.is_dir() => {
                    out.insert((at.to_path_buf(), recursive));
                    break;
                }
                Ok(_) => break,
                Err(_) => {}
            }
            match at.parent() {
                Some(parent) if parent.starts_with(&ws.root) => {
                    at = parent;
                    recursive = false;
                }
                _ => break,
            }
        }
    }
    out
}

/// Whether a changed path can change the documents: cto.yaml, anything in a kind's
/// directory, or a directory on the way to one (made, moved, removed).
fn matters(path: &Path, root: &Path, dirs: &[PathBuf]) -> bool {
    path == config_path(root)
        || dirs
            .iter()
            .any(|d| path.starts_with(d) || d.starts_with(path))
}

impl Store {
    /// Reads the repository at (or above) `start`, as every command finds it.
    pub fn open(start: &Path, today: jiff::civil::Date) -> Result<Store, WorkspaceError> {
        let ws = Workspace::discover(start)?;
        let mut store = Store {
            config: stamp(&config_path(&ws.root)),
            ws,
            corpus: Arc::new(Corpus::new(Vec::new())),
            stamps: HashMap::new(),
            own: HashMap::new(),
            walk_errors: Vec::new(),
            today,
            watching: None,
        };
        store.refresh(today)?;
        Ok(store)
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn root(&self) -> &Path {
        &self.ws.root
    }

    /// The documents as of the last refresh. The store changes them in place when no
    /// one else holds them, and copies them otherwise.
    pub fn corpus(&self) -> Arc<Corpus> {
        Arc::clone(&self.corpus)
    }

    /// Reads again what changed on disk since the last refresh: the files whose stamp
    /// differs, new files, and none of the others; everything when cto.yaml changed or
    /// `today` is another day (reviews fall due).
    pub fn refresh(&mut self, today: jiff::civil::Date) -> Result<Refresh, WorkspaceError> {
        let mut refresh = Refresh::default();
        let config = stamp(&config_path(&self.ws.root));
        if config != self.config || today != self.today {
            // Another configuration may move the directories and changes what is checked.
            let root = self.ws.root.clone();
            self.ws = Workspace::discover(&root)?;
            self.config = config;
            self.today = today;
            self.stamps.clear();
            self.own.clear();
            self.corpus = Arc::new(Corpus::new(Vec::new()));
            refresh.reloaded = true;
        }
        if let Some(w) = &self.watching
            && !refresh.reloaded
            // Cleared before the walk: a change made while it runs is seen next time.
            && !w.dirty.swap(false, Ordering::SeqCst)
        {
            return Ok(refresh);
        }
        // A directory made or moved since: watched from now on.
        self.rewatch();
        let (files, errors) = self.ws.document_files();
        if errors != self.walk_errors {
            self.walk_errors = errors;
            refresh.walk_changed = true;
        }
        // Each file's stamp is taken before it is read: a change while it is read shows
        // as another stamp at the next refresh.
        let stamped: Vec<(&DocumentFile, Option<Stamp>)> =
            files.par_iter().map(|f| (f, stamp(&f.path))).collect();
        let changed: Vec<(&DocumentFile, Option<Stamp>)> = stamped
            .into_iter()
            .filter(|(f, s)| s.is_none() || self.stamps.get(&f.rel) != s.as_ref())
            .collect();
        let present: BTreeSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let removed: Vec<String> = self
            .stamps
            .keys()
            .filter(|p| !present.contains(p.as_str()))
            .cloned()
            .collect();
        if changed.is_empty() && removed.is_empty() {
            return Ok(refresh);
        }
        let ctx = check::Context {
            config: &self.ws.config,
            root: &self.ws.root,
            today: self.today,
        };
        let settings = &self.ws.config.documents;
        let read: Vec<(Document, Vec<Diagnostic>, Option<Stamp>)> = changed
            .par_iter()
            .map(|(f, s)| {
                let doc = load_document(f, settings);
                let kept = doc.diagnostics.clone();
                let (mut doc, own) = check::document(doc, &ctx);
                // The document keeps what loading found, as a corpus loaded anew has it.
                doc.diagnostics = kept;
                (doc, own, *s)
            })
            .collect();
        let shared = std::mem::replace(&mut self.corpus, Arc::new(Corpus::new(Vec::new())));
        let mut documents = match Arc::try_unwrap(shared) {
            Ok(corpus) => corpus.documents,
            Err(shared) => shared.documents.clone(),
        };
        for path in &removed {
            self.stamps.remove(path);
            self.own.remove(path);
            if let Ok(at) = documents.binary_search_by(|d| d.path().cmp(path)) {
                documents.remove(at);
            }
        }
        for (doc, own, s) in read {
            let path = doc.path().to_string();
            match s {
                Some(s) => self.stamps.insert(path.clone(), s),
                None => self.stamps.remove(&path),
            };
            if own.is_empty() {
                self.own.remove(&path);
            } else {
                self.own.insert(path.clone(), own);
            }
            refresh.read.push(path);
            match documents.binary_search_by(|d| d.path().cmp(doc.path())) {
                Ok(at) => documents[at] = doc,
                Err(at) => documents.insert(at, doc),
            }
        }
        refresh.removed = removed;
        refresh.removed.sort();
        self.corpus = Arc::new(Corpus::new(documents));
        Ok(refresh)
    }

    /// Watches the documents' directories and cto.yaml from now on, so that a refresh
    /// walks the directories only after the file system said something changed there;
    /// `on_change` is called (on the watcher's thread) for each change that matters.
    /// The watches follow cto.yaml: a refresh that reads it again plans them again.
    pub fn watch(
        &mut self,
        on_change: impl Fn(&[PathBuf]) + Send + 'static,
    ) -> Result<(), notify::Error> {
        let dirty = Arc::new(AtomicBool::new(true));
        let dirs = Arc::new(Mutex::new(Vec::new()));
        let root = self.ws.root.clone();
        let (seen, kinds) = (Arc::clone(&dirty), Arc::clone(&dirs));
        use notify::Watcher;
        let watcher = notify::RecommendedWatcher::new(
            move |res: notify::Result<notify::Event>| match res {
                // A file read (the store's own reads among them) changes nothing.
                Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => {}
                Ok(e) => {
                    let dirs = kinds.lock().unwrap_or_else(|e| e.into_inner());
                    // No paths: the watcher lost track (a queue overflow); walk.
                    if e.paths.is_empty() || e.paths.iter().any(|p| matters(p, &root, &dirs)) {
                        seen.store(true, Ordering::SeqCst);
                        drop(dirs);
                        on_change(&e.paths);
                    }
                }
                Err(_) => {
                    seen.store(true, Ordering::SeqCst);
                    on_change(&[]);
                }
            },
            // Never into a linked directory: nothing outside the repository is watched.
            notify::Config::default().with_follow_symlinks(false),
        )?;
        self.watching = Some(Watching {
            watcher,
            dirty,
            watched: BTreeSet::new(),
            dirs,
        });
        self.rewatch();
        Ok(())
    }

    /// Plans the watches again for the directories of the workspace as it is now.
    fn rewatch(&mut self) {
        let Some(w) = &mut self.watching else { return };
        let want = watch_plan(&self.ws);
        *w.dirs.lock().unwrap_or_else(|e| e.into_inner()) = crate::model::Kind::ALL
            .iter()
            .map(|k| self.ws.abs_dir(*k))
            .collect();
        use notify::Watcher;
        for (path, _) in w.watched.difference(&want) {
            let _ = w.watcher.unwatch(path);
        }
        let mut failed = false;
        for (path, recursive) in want.difference(&w.watched) {
            let mode = if *recursive {
                notify::RecursiveMode::Recursive
            } else {
                notify::RecursiveMode::NonRecursive
            };
            failed |= w.watcher.watch(path, mode).is_err();
        }
        w.watched = want;
        if failed {
            // Out of watches (inotify's limit), say: walk at every refresh instead.
            self.watching = None;
        }
    }

    /// Whether a watcher tells the store what changed (else every refresh walks).
    pub fn is_watching(&self) -> bool {
        self.watching.is_some()
    }

    /// The files of the documents' directories that could not be read as documents
    /// (links out of the repository, say), as the last refresh found them.
    pub fn walk_errors(&self) -> &[Diagnostic] {
        &self.walk_errors
    }

    /// The findings of `check::run` over the documents, in its order: each document's
    /// own (kept from when it was read) and those of the checks across documents (run
    /// now). cto.yaml's findings and the walk's are not among them.
    pub fn lint(&self) -> Vec<Diagnostic> {
        let ctx = check::Context {
            config: &self.ws.config,
            root: &self.ws.root,
            today: self.today,
        };
        let mut out = Vec::new();
        for own in self.own.values() {
            out.extend(own.iter().cloned());
        }
        out.extend(check::across(&self.corpus, &ctx));
        check::sort(&mut out);
        out
    }
}

fn config_path(root: &Path) -> PathBuf {
    root.join(crate::config::FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn risk(owner: &str) -> String {
        format!(
            "---\ntitle: Vendor lock-in\nowner: {owner}\nstatus: open\ncategory: vendor\nlikelihood: 2\nimpact: 2\ntreatment: accept\n---\n\n## Description\n\nText.\n"
        )
    }

    fn codes(store: &Store) -> Vec<(String, &'static str)> {
        store
            .lint()
            .into_iter()
            .map(|d| (d.path, d.rule.code))
            .collect()
    }

    /// The store's findings after each change are those of a corpus read anew.
    fn same_as_fresh(store: &Store, root: &Path) {
        let fresh = Store::open(root, store.today).unwrap();
        assert_eq!(store.lint(), fresh.lint());
        let paths = |s: &Store| -> Vec<String> {
            s.corpus()
                .documents
                .iter()
                .map(|d| d.path().to_string())
                .collect()
        };
        assert_eq!(paths(store), paths(&fresh));
    }

    #[test]
    fn a_refresh_reads_what_changed_and_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "cto.yaml", "risk: { dir: docs/risks }\n");
        write(&root, "docs/risks/0001-vendor-lock-in.md", &risk("Ana"));
        write(&root, "docs/risks/0002-vendor-lock-in.md", &risk("Ana"));
        let today = jiff::civil::date(2026, 11, 21);
        let mut store = Store::open(&root, today).unwrap();
        let before = codes(&store);
        assert!(store.refresh(today).unwrap().is_empty());

        // One file changed: that one read, a finding appears.
        write(
            &root,
            "docs/risks/0002-vendor-lock-in.md",
            &risk("Ana").replace("status: open", "status: [open"),
        );
        let r = store.refresh(today).unwrap();
        assert_eq!(
            r.read,
            vec!["docs/risks/0002-vendor-lock-in.md".to_string()]
        );
        assert!(!r.reloaded);
        let broken = codes(&store);
        assert!(
            broken
                .iter()
                .any(|(p, _)| p == "docs/risks/0002-vendor-lock-in.md"),
            "{broken:?}"
        );
        same_as_fresh(&store, &root);

        // Renamed: the old path gone, the new one read.
        std::fs::rename(
            root.join("docs/risks/0002-vendor-lock-in.md"),
            root.join("docs/risks/0003-vendor-lock-in.md"),
        )
        .unwrap();
        let r = store.refresh(today).unwrap();
        assert_eq!(
            r.removed,
            vec!["docs/risks/0002-vendor-lock-in.md".to_string()]
        );
        assert_eq!(
            r.read,
            vec!["docs/risks/0003-vendor-lock-in.md".to_string()]
        );
        same_as_fresh(&store, &root);

        // Deleted.
        std::fs::remove_file(root.join("docs/risks/0003-vendor-lock-in.md")).unwrap();
        let r = store.refresh(today).unwrap();
        assert_eq!(r.removed.len(), 1);
        assert_eq!(
            codes(&store),
            before
                .into_iter()
                .filter(|(p, _)| !p.contains("0002"))
                .collect::<Vec<_>>()
        );
        same_as_fresh(&store, &root);

        // cto.yaml changed: everything read again under the new configuration.
        write(
            &root,
            "cto.yaml",
            "risk: { dir: docs/risks }\nrules: { CTO201: off }\n",
        );
        let r = store.refresh(today).unwrap();
        assert!(r.reloaded);
        same_as_fresh(&store, &root);
    }

    #[test]
    fn a_corpus_someone_holds_is_not_changed_under_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "docs/risks/0001-vendor-lock-in.md", &risk("Ana"));
        let today = jiff::civil::date(2026, 11, 21);
        let mut store = Store::open(&root, today).unwrap();
        let held = store.corpus();
        write(&root, "docs/risks/0002-vendor-lock-in.md", &risk("Ana"));
        store.refresh(today).unwrap();
        assert_eq!(held.documents.len(), 1);
        assert_eq!(store.corpus().documents.len(), 2);
    }
}
