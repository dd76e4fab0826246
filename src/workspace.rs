//! The repository cto works on: its root, configuration, and the files of each kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::model::{DocumentFile, Kind};
use crate::source::Source;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot use {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} is not inside a documents directory ({1}); pass --kind adr|risk|slo|roadmap")]
    UnknownKind(String, String),
    #[error("{path}: {reason}")]
    Refused { path: String, reason: ReadRefusal },
}

pub use crate::files::{MAX_CONFIG_BYTES, ReadRefusal, check_file, file_type_name, read_file};

/// A directory named in the configuration (`adr.dir`, `.adr-dir`), relative to the root:
/// `..` and `.` normalised away, and, where it exists, its links resolved; it must stay
/// inside the root. The error says why not.
pub fn resolve_dir(root: &Path, dir: &str) -> Result<String, String> {
    let path = Path::new(dir);
    if path.has_root() || path.is_absolute() || dir.starts_with('/') || dir.starts_with('\\') {
        return Err(format!(
            "`{dir}` is an absolute path; a documents directory is a path inside the repository"
        ));
    }
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(format!("`{dir}` leaves the repository"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "`{dir}` is an absolute path; a documents directory is a path inside the repository"
                ));
            }
        }
    }
    let rel = if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    };
    // The deepest part that exists, links resolved, must still be inside the root.
    let full = root.join(&rel);
    if let Some(existing) = full.ancestors().find(|a| a.symlink_metadata().is_ok()) {
        match existing.canonicalize() {
            Ok(real) if real.starts_with(root) => {}
            Ok(real) => {
                return Err(format!(
                    "`{dir}` resolves to {}, outside the repository",
                    real.display()
                ));
            }
            Err(e) => return Err(format!("`{dir}` cannot be resolved: {e}")),
        }
    }
    Ok(rel)
}

#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    /// The enclosing git work tree, if any.
    pub git_root: Option<PathBuf>,
    pub config: Config,
    /// Findings in cto.yaml.
    pub config_diagnostics: Vec<Diagnostic>,
    /// Each kind's directory, relative to the root.
    dirs: BTreeMap<Kind, String>,
    /// The ADR directories after the first, in a repository that keeps several logs.
    more_adr_dirs: Vec<String>,
    /// Kinds whose configured directory is refused (outside the root): never walked.
    refused: BTreeSet<Kind>,
}

/// Files in a documents directory that are not documents: READMEs, indexes, tables of
/// contents, templates and the directory's own notes in capitals (`PROCESS.md`). A
/// numbered file is a document whatever its title says, except the template teams number
/// zero (`0000-adr-template.md`, `adr000-template.md`).
fn is_not_a_document(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.') || lower.starts_with('_') {
        return true;
    }
    let stem = lower.strip_suffix(".md").unwrap_or(&lower);
    if let Some(number) = crate::model::refs::number_of_file_name(&lower) {
        return number == 0 && stem.contains("template");
    }
    let original = name.get(..stem.len()).unwrap_or(stem);
    let capitals = original.len() >= 3
        && original
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        && original.chars().any(|c| c.is_ascii_uppercase());
    capitals
        || stem.starts_with("readme")
        || stem.starts_with("changelog")
        || stem == "index"
        // The pages a log keeps beside its records: its process, a summary, a contents.
        || ["summary", "process", "toc", "glossary", "_sidebar", "sidebar", "contributing"]
            .contains(&stem)
        || stem.starts_with("template")
        || stem.ends_with("template")
        || stem.starts_with("adr-template")
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

impl Workspace {
    /// Finds the root from `start`: the nearest directory holding cto.yaml, else the git
    /// work tree, else `start` itself.
    pub fn discover(start: &Path) -> Result<Workspace, WorkspaceError> {
        let start = start.canonicalize().map_err(|source| WorkspaceError::Io {
            path: start.display().to_string(),
            source,
        })?;
        let git_root = crate::git::work_tree(&start).and_then(|p| p.canonicalize().ok());
        let root = start
            .ancestors()
            .find(|d| d.join(config::FILE_NAME).is_file())
            .map(Path::to_path_buf)
            .or_else(|| git_root.clone())
            .unwrap_or_else(|| start.clone());
        Self::at(root, git_root, &start)
    }

    fn at(
        root: PathBuf,
        git_root: Option<PathBuf>,
        start: &Path,
    ) -> Result<Workspace, WorkspaceError> {
        let config_path = root.join(config::FILE_NAME);
        let (config, mut config_diagnostics) = if config_path.symlink_metadata().is_ok() {
            let bytes =
                read_file(&config_path, Some(&root), MAX_CONFIG_BYTES).map_err(|reason| {
                    WorkspaceError::Refused {
                        path: config_path.display().to_string(),
                        reason,
                    }
                })?;
            let text = String::from_utf8(bytes).map_err(|e| WorkspaceError::Io {
                path: config_path.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
            })?;
            Config::parse(Source::new(config::FILE_NAME, text), crate::check::RULES)
        } else {
            (Config::default(), Vec::new())
        };
        let mut dirs = BTreeMap::new();
        let mut refused = BTreeSet::new();
        let mut more_adr_dirs = Vec::new();
        let mut config = config;
        for kind in Kind::ALL {
            let configured: Vec<(String, crate::source::Span)> = if kind == Kind::Adr {
                config
                    .adr_dirs()
                    .into_iter()
                    .map(|(d, s)| (d.to_string(), s))
                    .collect()
            } else {
                config
                    .dirs
                    .get(&kind)
                    .map(|d| {
                        (
                            d.clone(),
                            config.dir_spans.get(&kind).copied().unwrap_or_default(),
                        )
                    })
                    .into_iter()
                    .collect()
            };
            let mut chosen: Vec<String> = Vec::new();
            if !configured.is_empty() {
                for (d, span) in &configured {
                    match resolve_dir(&root, d) {
                        Ok(d) if chosen.contains(&d) => {}
                        Ok(d) => chosen.push(d),
                        Err(why) => config_diagnostics.push(
                            Diagnostic::new(
                                &crate::model::rules::INVALID_VALUE,
                                config::FILE_NAME,
                                *span,
                                format!("`{}.dir`: {why}; the directory is not used", kind.name()),
                            )
                            .with_help(
                                "name a directory inside the repository, e.g. `docs/decisions`",
                            ),
                        ),
                    }
                }
                if chosen.is_empty() {
                    refused.insert(kind);
                }
            } else {
                let found = if kind == Kind::Adr {
                    match discover_adr_dirs(&root, start) {
                        Ok(d) => d,
                        Err(d) => {
                            config_diagnostics.push(*d);
                            refused.insert(kind);
                            Vec::new()
                        }
                    }
                } else {
                    vec![kind.spec().default_dir.to_string()]
                };
                // A default or discovered directory may be a link out of the repository too.
                for dir in found {
                    match resolve_dir(&root, &dir) {
                        Ok(d) if chosen.contains(&d) => {}
                        Ok(d) => chosen.push(d),
                        Err(why) => {
                            config_diagnostics.push(
                                Diagnostic::new(
                                    &crate::model::rules::INVALID_VALUE,
                                    &dir,
                                    Default::default(),
                                    format!(
                                        "the {} directory {why}; the directory is not used",
                                        kind.spec().label
                                    ),
                                )
                                .with_help(format!(
                                    "make it a directory inside the repository, or set `{}.dir` in cto.yaml",
                                    kind.name()
                                )),
                            );
                        }
                    }
                }
                if chosen.is_empty() {
                    refused.insert(kind);
                }
            }
            let mut chosen = chosen.into_iter();
            let first = chosen
                .next()
                .unwrap_or_else(|| kind.spec().default_dir.to_string());
            if kind == Kind::Adr {
                more_adr_dirs = chosen.collect();
            }
            dirs.insert(kind, first);
        }
        // Several logs: each document knows which it belongs to (numbering, duplicates
        // and links are per log).
        if !more_adr_dirs.is_empty() {
            config.documents.adr_dirs = std::iter::once(dirs[&Kind::Adr].clone())
                .chain(more_adr_dirs.iter().cloned())
                .collect();
        }
        Ok(Workspace {
            root,
            git_root,
            config,
            config_diagnostics,
            dirs,
            more_adr_dirs,
            refused,
        })
    }

    /// A kind's directory, relative to the root.
    pub fn dir(&self, kind: Kind) -> &str {
        self.dirs
            .get(&kind)
            .map_or(kind.spec().default_dir, String::as_str)
    }

    pub fn abs_dir(&self, kind: Kind) -> PathBuf {
        self.root.join(self.dir(kind))
    }

    /// Every directory of a kind, the first (where `new` writes by default) first: an
    /// ADR log per package in a monorepo, one directory for the other kinds.
    pub fn dirs(&self, kind: Kind) -> Vec<&str> {
        let mut all = vec![self.dir(kind)];
        if kind == Kind::Adr {
            all.extend(self.more_adr_dirs.iter().map(String::as_str));
        }
        all
    }

    /// Reads the ADRs of these directories (resolved, inside the root), the first first:
    /// what `cto init` adopts, surveyed before cto.yaml is written.
    pub fn set_adr_dirs(&mut self, dirs: Vec<String>) {
        let mut dirs = dirs.into_iter();
        if let Some(first) = dirs.next() {
            self.dirs.insert(Kind::Adr, first);
            self.refused.remove(&Kind::Adr);
        }
        self.more_adr_dirs = dirs.collect();
        self.config.documents.adr_dirs = if self.more_adr_dirs.is_empty() {
            Vec::new()
        } else {
            self.dirs(Kind::Adr)
                .into_iter()
                .map(str::to_string)
                .collect()
        };
    }

    /// Every directory of every kind, absolute (for the interrupted-edit journals).
    pub fn every_dir(&self) -> Vec<PathBuf> {
        Kind::ALL
            .into_iter()
            .flat_map(|k| self.dirs(k).into_iter().map(|d| self.root.join(d)))
            .collect()
    }

    /// Every directory of every kind that is read, absolute, with its kind.
    fn all_dirs(&self) -> impl Iterator<Item = (Kind, PathBuf)> + '_ {
        Kind::ALL
            .into_iter()
            .filter(|k| !self.refused.contains(k))
            .flat_map(move |k| {
                self.dirs(k)
                    .into_iter()
                    .map(move |d| (k, self.root.join(d)))
            })
    }

    /// `path` relative to the root, `/`-separated (with `..` for a path outside it).
    pub fn rel_path(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(rel) => {
                let s = rel.to_string_lossy();
                if std::path::MAIN_SEPARATOR == '/' {
                    s.into_owned()
                } else {
                    s.replace(std::path::MAIN_SEPARATOR, "/")
                }
            }
            Err(_) => relative(&self.root, path),
        }
    }

    /// The kind whose directory holds `path` (the deepest match wins).
    pub fn kind_of(&self, path: &Path) -> Option<Kind> {
        self.all_dirs()
            .filter(|(_, d)| path.starts_with(d))
            .max_by_key(|(_, d)| d.components().count())
            .map(|(k, _)| k)
    }

    /// The kind of a path relative to the root, if it names a document there (a markdown
    /// file in a kind's directory that is not a README, index or template).
    pub fn document_kind(&self, rel: &str) -> Option<Kind> {
        self.document_kinds()(rel)
    }

    /// [`Workspace::document_kind`] for many paths (every entry of the index): the
    /// kinds' directories are listed once, as the names below the root they stand for,
    /// and a plain relative path (`/`-separated names, none empty, `.` or `..`, as git
    /// keeps them) is matched name by name, without building and parsing its full path.
    pub fn document_kinds(&self) -> impl Fn(&str) -> Option<Kind> + '_ {
        let root: Vec<Component<'_>> = self.root.components().collect();
        // (kind, directory, its depth, the names below the root it holds: none when it
        // is not below the root, all paths when it is the root or above it).
        let dirs: Vec<(Kind, PathBuf, usize, Option<Vec<String>>)> = self
            .all_dirs()
            .map(|(k, d)| {
                let comps: Vec<Component<'_>> = d.components().collect();
                let below = if comps.starts_with(&root) {
                    comps[root.len()..]
                        .iter()
                        .map(|c| c.as_os_str().to_str().map(str::to_string))
                        .collect::<Option<Vec<String>>>()
                } else if root.starts_with(&comps) {
                    Some(Vec::new())
                } else {
                    None
                };
                (k, d.clone(), comps.len(), below)
            })
            .collect();
        move |rel| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let plain = rel
                .split('/')
                .all(|n| !n.is_empty() && n != "." && n != "..");
            // A plain path's last name is its full path's: no full path is made for it.
            let path = (!plain).then(|| self.root.join(rel));
            let markdown = path
                .as_deref()
                .map_or_else(|| is_markdown(Path::new(name)), is_markdown);
            if !markdown || is_not_a_document(name) {
                return None;
            }
            // As `kind_of`: the deepest directory holding it (the last of equals).
            dirs.iter()
                .filter(|(_, d, _, below)| match (below, &path) {
                    (Some(names), None) => {
                        let mut parts = rel.split('/');
                        names.iter().all(|n| parts.next() == Some(n.as_str()))
                    }
                    (_, Some(path)) => path.starts_with(d),
                    (None, None) => self.root.join(rel).starts_with(d),
                })
                .max_by_key(|(_, _, depth, _)| *depth)
                .map(|(k, _, _, _)| *k)
        }
    }

    /// The root relative to the git work tree, as a path prefix (`""` or `examples/`).
    pub fn git_prefix(&self, work_tree: &Path) -> String {
        let p = relative(work_tree, &self.root);
        if p.is_empty() { p } else { format!("{p}/") }
    }

    /// Every document of every kind, in path order.
    pub fn document_files(&self) -> (Vec<DocumentFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let dirs: Vec<(Kind, PathBuf)> = self.all_dirs().collect();
        let root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        for (kind, dir) in &dirs {
            // cto.yaml's directories were inside when it was read; one swapped since for
            // a link out of the repository (a long-running watch) is not walked.
            if let Ok(real) = dir.canonicalize()
                && !real.starts_with(&root)
            {
                errors.push(Diagnostic::new(
                    &crate::model::rules::UNREADABLE_FILE,
                    self.rel_path(dir),
                    Default::default(),
                    format!(
                        "the directory resolves to {}, outside the repository; not read",
                        real.display()
                    ),
                ));
                continue;
            }
            if dir.is_dir() {
                // When another kind's directory sits inside this one (records at the
                // root), each file takes the kind of the deepest directory holding it.
                let nested = dirs
                    .iter()
                    .any(|(k, d)| k != kind && d != dir && d.starts_with(dir));
                let kind = (!nested).then_some(*kind);
                self.walk(dir, &self.root, kind, &mut files, &mut errors);
            }
        }
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        files.dedup_by(|a, b| a.rel == b.rel);
        (files, errors)
    }

    /// The documents under `path` (a file or a directory), each of the kind of its
    /// directory, or of `kind` when given. A path inside the repository that links out of
    /// it is refused (an error naming it), never read.
    pub fn files_at(
        &self,
        path: &Path,
        kind: Option<Kind>,
        files: &mut Vec<DocumentFile>,
        errors: &mut Vec<Diagnostic>,
    ) -> Result<(), WorkspaceError> {
        let abs = path.canonicalize().map_err(|source| WorkspaceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        // Where the path sits before its own link is followed: a path inside the
        // repository that links out of it is refused; a path named outside it is read as
        // asked (someone else's folder of ADRs), but links there stay inside that folder.
        let located = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => parent
                .canonicalize()
                .map(|p| p.join(name))
                .unwrap_or_else(|_| abs.clone()),
            _ => abs.clone(),
        };
        if located.starts_with(&self.root) && !abs.starts_with(&self.root) {
            return Err(WorkspaceError::Refused {
                path: path.display().to_string(),
                reason: ReadRefusal::Outside(abs.display().to_string()),
            });
        }
        if abs.is_dir() {
            let bound = if abs.starts_with(&self.root) {
                self.root.clone()
            } else {
                abs.clone()
            };
            self.walk(&abs, &bound, kind, files, errors);
            return Ok(());
        }
        let kind = kind.or_else(|| self.kind_of(&abs)).ok_or_else(|| {
            WorkspaceError::UnknownKind(path.display().to_string(), self.dirs_summary())
        })?;
        files.push(DocumentFile {
            rel: self.rel_path(&abs),
            path: abs,
            kind,
        });
        Ok(())
    }

    /// Whether a canonical path is a markdown file of the work tree: inside the root,
    /// named `*.md`, and with no hidden part (`.git/`, `.env`, `.aws/…`) on the way.
    fn is_markdown_of_work_tree(&self, real: &Path) -> bool {
        real.strip_prefix(&self.root).is_ok_and(|rel| {
            is_markdown(rel)
                && rel
                    .components()
                    .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    fn dirs_summary(&self) -> String {
        Kind::ALL
            .iter()
            .map(|k| format!("{}: {}", k.name(), self.dirs(*k).join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The documents below `dir`; a link is followed only to a regular file inside `bound`.
    fn walk(
        &self,
        dir: &Path,
        bound: &Path,
        kind: Option<Kind>,
        files: &mut Vec<DocumentFile>,
        errors: &mut Vec<Diagnostic>,
    ) {
        // Walked unsorted (sorting every directory's entries costs a third of the walk);
        // what this walk found is sorted by path once, at the end.
        let (first_file, first_error) = (files.len(), errors.len());
        let walker = WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    errors.push(Diagnostic::new(
                        &crate::model::rules::UNREADABLE_FILE,
                        self.rel_path(&at),
                        Default::default(),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy();
            // Files and links: a link that loops or dangles is reported when read.
            let link = entry.path_is_symlink();
            let file_type = entry.file_type();
            // A FIFO or a device named like a document is reported, never opened.
            if !link
                && !file_type.is_file()
                && !file_type.is_dir()
                && is_markdown(path)
                && !is_not_a_document(&name)
            {
                errors.push(Diagnostic::new(
                    &crate::model::rules::UNREADABLE_FILE,
                    self.rel_path(path),
                    Default::default(),
                    ReadRefusal::NotRegular(file_type_name(&file_type)).to_string(),
                ));
                continue;
            }
            if !(file_type.is_file() || link) || !is_markdown(path) || is_not_a_document(&name) {
                continue;
            }
            let Some(kind) = kind.or_else(|| self.kind_of(path)) else {
                continue;
            };
            // A link out of the repository, or to a FIFO, a device or a directory, is
            // never opened.
            if link && path.exists() {
                // A link is followed only to a document: a regular file inside one of the
                // documents directories. A committed link to `.env`, `.git/config` or any
                // other file of the work tree would otherwise print it in a snippet.
                let refused = match check_file(path, Some(bound)) {
                    Err(reason) => Some(reason.to_string()),
                    Ok(()) => match path.canonicalize() {
                        Ok(real) if self.is_markdown_of_work_tree(&real) => None,
                        Ok(real) => Some(format!(
                            "it is a link to {}, which is not a markdown file of the work tree; not read",
                            self.rel_path(&real)
                        )),
                        Err(e) => Some(ReadRefusal::Io(e).to_string()),
                    },
                };
                if let Some(reason) = refused {
                    errors.push(Diagnostic::new(
                        &crate::model::rules::UNREADABLE_FILE,
                        self.rel_path(path),
                        Default::default(),
                        reason,
                    ));
                    continue;
                }
            }
            files.push(DocumentFile {
                rel: self.rel_path(path),
                path: path.to_path_buf(),
                kind,
            });
        }
        files[first_file..].sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        errors[first_error..].sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// `path` relative to `base`, `/`-separated; both absolute.
pub fn relative(base: &Path, path: &Path) -> String {
    let names = |p: &Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let (base, path) = (names(base), names(path));
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(path[common..].iter().cloned());
    parts.join("/")
}

/// The ADR directories of a repository that `cto init` did not make: an adr-tools
/// `.adr-dir` (walking up from `start`), else the first conventional directory present,
/// else every directory where records are found (see [`crate::discover`]; a monorepo
/// keeps one per package), else the default.
/// An `.adr-dir` that cannot be read or names a directory outside the root is an error.
fn discover_adr_dirs(root: &Path, start: &Path) -> Result<Vec<String>, Box<Diagnostic>> {
    for dir in start.ancestors() {
        let marker = dir.join(".adr-dir");
        if marker.symlink_metadata().is_ok() {
            let rel_marker = relative(root, &marker);
            let refuse = |why: String| {
                Box::new(
                    Diagnostic::new(
                        &crate::model::rules::INVALID_VALUE,
                        &rel_marker,
                        Default::default(),
                        format!("{why}; the directory is not used"),
                    )
                    .with_help("write the ADR directory relative to `.adr-dir`, e.g. `doc/adr`"),
                )
            };
            let bytes = read_file(&marker, Some(root), MAX_CONFIG_BYTES)
                .map_err(|e| refuse(format!("`.adr-dir`: {e}")))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| refuse("the file is not UTF-8 text".to_string()))?;
            let prefix = relative(root, dir);
            let joined = if prefix.is_empty() {
                text.trim().to_string()
            } else {
                format!("{prefix}/{}", text.trim())
            };
            let absolute = Path::new(text.trim()).has_root();
            return resolve_dir(root, if absolute { text.trim() } else { &joined })
                .map(|d| vec![d])
                .map_err(|why| refuse(format!("`.adr-dir`: {why}")));
        }
        if dir == root {
            break;
        }
    }
    let conventional = [
        "docs/decisions",
        "docs/adr",
        "doc/adr",
        "docs/architecture/decisions",
    ]
    .into_iter()
    .find(|d| root.join(d).is_dir());
    if let Some(dir) = conventional {
        return Ok(vec![dir.to_string()]);
    }
    // Elsewhere: where records are, by their names and content (log4brains' folder,
    // `content/ADR-12-x.md`, `doc/architecture-decisions/001-x.md`, a package's log).
    let found: Vec<String> = crate::discover::adr_dirs(root)
        .into_iter()
        .map(|f| f.dir)
        .collect();
    if found.is_empty() {
        return Ok(vec![Kind::Adr.spec().default_dir.to_string()]);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_of_many_paths_are_the_kinds_of_each() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("cto.yaml"),
            "adr:\n  dir: ./docs//decisions/\nrisk:\n  dir: docs/decisions/risks\nslo:\n  dir: .\nroadmap:\n  dir: ../elsewhere\n",
        )
        .expect("cto.yaml");
        let ws = Workspace::discover(dir.path()).expect("workspace");
        let kinds = ws.document_kinds();
        let mut named = 0;
        for rel in [
            "docs/decisions/0001-a.md",
            "docs/decisions/risks/0002-b.md",
            "docs/decisionsx/0003-c.md",
            "docs/decisions/sub/0004-d.md",
            "docs/decisions/README.md",
            "docs/decisions/0005-e.txt",
            "checkout.md",
            "a/b/c/latency.md",
            "docs//decisions/0006-f.md",
            "./docs/decisions/0007-g.md",
            "../elsewhere/0008-h.md",
            "docs/decisions/../x.md",
        ] {
            let path = ws.root.join(rel);
            let one = (is_markdown(&path)
                && !is_not_a_document(rel.rsplit('/').next().unwrap_or(rel)))
            .then(|| ws.kind_of(&path))
            .flatten();
            assert_eq!(kinds(rel), one, "{rel}");
            named += usize::from(one.is_some());
        }
        assert!(named >= 6, "{named}");
    }

    #[test]
    fn which_files_are_documents() {
        assert!(is_not_a_document("README.md"));
        assert!(is_not_a_document("index.md"));
        assert!(is_not_a_document("adr-template.md"));
        assert!(is_not_a_document("adr-template-bare-minimal.md"));
        assert!(is_not_a_document("template.md"));
        assert!(is_not_a_document("0000-adr-template.md"));
        assert!(is_not_a_document("adr000-template.md"));
        assert!(is_not_a_document("summary.md"));
        assert!(!is_not_a_document("0003-use-a-template-engine.md"));
        assert!(is_not_a_document(".draft.md"));
        assert!(is_not_a_document("PROCESS.md"));
        assert!(is_not_a_document("SUMMARY.md"));
        assert!(!is_not_a_document("0007-adopt-the-madr-template.md"));
        assert!(!is_not_a_document(
            "0005-use-minijinja-for-document-templates.md"
        ));
        assert!(!is_not_a_document(
            "0000-use-markdown-architectural-decision-records.md"
        ));
        assert!(
            !is_not_a_document("use-postgres.md"),
            "reported as a bad file name instead"
        );
    }

    #[test]
    fn configured_directories_stay_inside_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        assert_eq!(resolve_dir(&root, "docs/adr").as_deref(), Ok("docs/adr"));
        assert_eq!(
            resolve_dir(&root, "./docs/x/../adr").as_deref(),
            Ok("docs/adr")
        );
        assert_eq!(resolve_dir(&root, "docs/..").as_deref(), Ok("."));
        for bad in ["..", "../x", "docs/../../x", "/etc", "/"] {
            assert!(resolve_dir(&root, bad).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().expect("temp dir");
            std::os::unix::fs::symlink(outside.path(), root.join("out")).expect("symlink");
            let why = resolve_dir(&root, "out/adr").expect_err("a link out");
            assert!(why.contains("outside the repository"), "{why}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_inside_the_bound_are_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::write(root.join("a.md"), "text").expect("write");
        assert_eq!(
            read_file(&root.join("a.md"), Some(&root), 10).expect("read"),
            b"text"
        );
        assert!(matches!(
            read_file(&root.join("a.md"), Some(&root), 3),
            Err(ReadRefusal::TooLarge(3))
        ));
        assert!(matches!(
            read_file(Path::new("/dev/zero"), None, 10),
            Err(ReadRefusal::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_file(&root, None, 10),
            Err(ReadRefusal::NotRegular("a directory"))
        ));
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("s.md"), "secret").expect("write");
        std::os::unix::fs::symlink(outside.path().join("s.md"), root.join("l.md"))
            .expect("symlink");
        assert!(matches!(
            read_file(&root.join("l.md"), Some(&root), 10),
            Err(ReadRefusal::Outside(_))
        ));
        assert_eq!(
            read_file(&root.join("l.md"), None, 10).expect("unbounded"),
            b"secret"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/r"), Path::new("/r/docs/a.md")),
            "docs/a.md"
        );
        assert_eq!(
            relative(Path::new("/r/x"), Path::new("/r/y/a.md")),
            "../y/a.md"
        );
    }
}
