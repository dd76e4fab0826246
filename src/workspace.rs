//! The repository cto works on: its root, configuration, and the files of each kind.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::check::Diagnostic;
use crate::config::{self, Config};
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
}

/// Files in a documents directory that are not documents: READMEs, indexes and
/// templates. A numbered file is always a document, whatever its title says.
fn is_not_a_document(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.') || lower.starts_with('_') {
        return true;
    }
    if crate::model::refs::number_of_file_name(&lower).is_some() {
        return false;
    }
    let stem = lower.strip_suffix(".md").unwrap_or(&lower);
    stem.starts_with("readme")
        || stem.starts_with("changelog")
        || stem == "index"
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
        let (config, config_diagnostics) = if config_path.is_file() {
            let text =
                std::fs::read_to_string(&config_path).map_err(|source| WorkspaceError::Io {
                    path: config_path.display().to_string(),
                    source,
                })?;
            Config::parse(Source::new(config::FILE_NAME, text))
        } else {
            (Config::default(), Vec::new())
        };
        let mut dirs = BTreeMap::new();
        for kind in Kind::ALL {
            let dir = match config.dirs.get(&kind) {
                Some(d) => d.clone(),
                None if kind == Kind::Adr => discover_adr_dir(&root, start),
                None => kind.spec().default_dir.to_string(),
            };
            dirs.insert(kind, dir);
        }
        Ok(Workspace {
            root,
            git_root,
            config,
            config_diagnostics,
            dirs,
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
        Kind::ALL
            .into_iter()
            .filter(|k| path.starts_with(self.abs_dir(*k)))
            .max_by_key(|k| self.abs_dir(*k).components().count())
    }

    /// The kind of a path relative to the root, if it names a document there (a markdown
    /// file in a kind's directory that is not a README, index or template).
    pub fn document_kind(&self, rel: &str) -> Option<Kind> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let path = self.root.join(rel);
        if !is_markdown(&path) || is_not_a_document(name) {
            return None;
        }
        self.kind_of(&path)
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
        for kind in Kind::ALL {
            let dir = self.abs_dir(kind);
            if dir.is_dir() {
                self.walk(&dir, Some(kind), &mut files, &mut errors);
            }
        }
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        files.dedup_by(|a, b| a.rel == b.rel);
        (files, errors)
    }

    /// The documents under `path` (a file or a directory), each of the kind of its
    /// directory, or of `kind` when given.
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
        if abs.is_dir() {
            self.walk(&abs, kind, files, errors);
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

    fn dirs_summary(&self) -> String {
        Kind::ALL
            .iter()
            .map(|k| format!("{}: {}", k.name(), self.dir(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn walk(
        &self,
        dir: &Path,
        kind: Option<Kind>,
        files: &mut Vec<DocumentFile>,
        errors: &mut Vec<Diagnostic>,
    ) {
        let walker = WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
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
                        &crate::check::rules::UNREADABLE_FILE,
                        self.rel_path(&at),
                        Default::default(),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy();
            // Files and links to files: a link that loops or dangles is reported when read.
            let is_file = entry.file_type().is_file() || entry.path_is_symlink() && !path.is_dir();
            if !is_file || !is_markdown(path) || is_not_a_document(&name) {
                continue;
            }
            let Some(kind) = kind.or_else(|| self.kind_of(path)) else {
                continue;
            };
            files.push(DocumentFile {
                rel: self.rel_path(path),
                path: path.to_path_buf(),
                kind,
            });
        }
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

/// The ADR directory of a repository that `cto init` did not make: an adr-tools
/// `.adr-dir` (walking up from `start`), else the first conventional directory present.
fn discover_adr_dir(root: &Path, start: &Path) -> String {
    for dir in start.ancestors() {
        let marker = dir.join(".adr-dir");
        if let Ok(text) = std::fs::read_to_string(&marker) {
            let target = dir.join(text.trim());
            let rel = target.strip_prefix(root).unwrap_or(&target);
            return rel.to_string_lossy().replace('\\', "/");
        }
        if dir == root {
            break;
        }
    }
    [
        "docs/decisions",
        "docs/adr",
        "doc/adr",
        "docs/architecture/decisions",
    ]
    .into_iter()
    .find(|d| root.join(d).is_dir())
    .unwrap_or(Kind::Adr.spec().default_dir)
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_files_are_documents() {
        assert!(is_not_a_document("README.md"));
        assert!(is_not_a_document("index.md"));
        assert!(is_not_a_document("adr-template.md"));
        assert!(is_not_a_document("adr-template-bare-minimal.md"));
        assert!(is_not_a_document("template.md"));
        assert!(is_not_a_document(".draft.md"));
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
