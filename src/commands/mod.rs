//! One file per command: gather inputs, call the engine, hand results to a formatter.

pub mod changes;
pub mod documents;
pub mod hook;
pub mod incident;
pub mod init;
pub mod link;
pub mod lint;
pub mod lsp;
pub mod mcp;
pub mod migrate;
pub mod renumber;
pub mod report;
pub mod rules;
pub mod schema;
pub mod search;
pub mod slo;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::Diagnostic;
use crate::model::{Corpus, DocumentFile, load_documents};
use crate::report::{LintReport, SourceMap, Summary, grouped, human};
use crate::workspace::Workspace;

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done (lint: no errors).
    Success = 0,
    /// Findings: lint found errors, or `slo import` could not import some specs.
    Failure = 1,
    /// Bad usage, bad configuration, an I/O error or an internal error: every `Err` that
    /// reaches `cto::run` ends here.
    Usage = 2,
}

/// A problem with how the command was called: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What every command gets.
pub struct Ctx<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The directory the command runs from (`-C` applied).
    pub cwd: PathBuf,
    pub color: bool,
    /// `-q`: only what was asked for (no summaries, no notes).
    pub quiet: bool,
    /// `-v`: say what was read and how long it took, on stderr.
    pub verbose: bool,
    /// The documents held between commands by a server (`cto mcp`), if any.
    pub store: Option<&'a crate::store::Held>,
}

impl<'a> Ctx<'a> {
    /// The workspace; a cto.yaml with errors stops the command (exit 2) after showing them.
    pub fn workspace(&mut self) -> anyhow::Result<Result<Workspace, Exit>> {
        let ws = Workspace::discover(&self.cwd)?;
        if ws.config_diagnostics.is_empty() {
            return Ok(Ok(ws));
        }
        let sources = SourceMap::new(ws.config.source.iter());
        let findings = grouped(ws.config_diagnostics.clone(), &sources);
        let report = LintReport {
            groups: &findings,
            summary: Summary::count(ws.config_diagnostics.iter().map(|d| d.severity), 1, 0),
            base: Default::default(),
        };
        human::render(self.err, &report, self.color)?;
        let file = match ws.config_diagnostics.iter().find(|d| d.path != "cto.yaml") {
            Some(d) => d.path.clone(),
            None => "cto.yaml".to_string(),
        };
        writeln!(self.err, "error: {file} is invalid; fix it first")?;
        Ok(Err(Exit::Usage))
    }

    /// The store of the repository at `ws`'s root, refreshed, if the command runs with
    /// one (a server's) and it holds that repository.
    pub fn held(&self, ws: &Workspace) -> Option<std::sync::MutexGuard<'a, crate::store::Store>> {
        let held = self.store?;
        // A command that panicked while holding it left nothing half-changed: the store
        // changes its documents only by replacing them whole.
        let mut store = held.lock().unwrap_or_else(|e| e.into_inner());
        if store.root() != ws.root {
            return None;
        }
        store.refresh(today()).ok()?;
        Some(store)
    }

    /// Every document of the workspace: from the server's store when there is one,
    /// else read and parsed.
    pub fn corpus(&self, ws: &Workspace) -> Arc<Corpus> {
        match self.held(ws) {
            Some(store) => store.corpus(),
            None => Arc::new(load_corpus(ws, &[]).0),
        }
    }

    /// A path as the user would type it from where they are.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.cwd)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

/// Adds the files of `extra` that `files` does not hold yet (by path).
fn add_files(files: &mut Vec<DocumentFile>, extra: &[DocumentFile]) {
    let mut known: std::collections::HashSet<String> =
        files.iter().map(|f| f.rel.clone()).collect();
    for f in extra {
        if known.insert(f.rel.clone()) {
            files.push(f.clone());
        }
    }
}

/// Every document of the workspace, read and parsed, plus walking errors.
pub fn load_corpus(ws: &Workspace, extra: &[DocumentFile]) -> (Corpus, Vec<Diagnostic>) {
    let (mut files, errors) = ws.document_files();
    add_files(&mut files, extra);
    let documents = load_documents(&files, &ws.config.documents);
    (Corpus::new(documents), errors)
}

/// The corpus for linting `scope` (paths relative to the root): those documents, what
/// they refer to, and every document of the kinds that the rules of a kind in scope read
/// whole (its spec's `lint_context`: cycles and capacity look at all roadmap items) are
/// parsed; the others are known by the
/// id of their file name only. `cto lint FILE` in a repository of thousands of records
/// reads a handful of them.
pub fn load_scoped(
    ws: &Workspace,
    extra: &[DocumentFile],
    scope: &std::collections::BTreeSet<String>,
) -> (Corpus, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let (mut files, errors) = ws.document_files();
    add_files(&mut files, extra);
    let Ok::<_, std::convert::Infallible>(documents) = scoped_documents(&files, scope, |batch| {
        Ok(batch
            .par_iter()
            .map(|f| crate::model::load_document(f, &ws.config.documents))
            .collect())
    });
    (Corpus::new(documents), errors)
}

/// The documents of `files` for linting `scope`, as [`load_scoped`] chooses them: `load`
/// reads and parses a batch of files (from disk, or from git's index), in order.
pub fn scoped_documents<E>(
    files: &[DocumentFile],
    scope: &std::collections::BTreeSet<String>,
    mut load: impl FnMut(&[&DocumentFile]) -> Result<Vec<crate::model::Document>, E>,
) -> Result<Vec<crate::model::Document>, E> {
    use crate::model::{Kind, refs::parse_ref, stub_document};
    let scoped_kinds: std::collections::BTreeSet<Kind> = files
        .iter()
        .filter(|f| scope.contains(&f.rel))
        .flat_map(|f| f.kind.spec().lint_context.iter().copied())
        .collect();
    let first = |f: &DocumentFile| {
        scope.contains(&f.rel)
            // The kinds the rules of the kinds in scope read whole (`lint_context`).
            || scoped_kinds.contains(&f.kind)
    };
    let (read_first, rest): (Vec<&DocumentFile>, Vec<&DocumentFile>) =
        files.iter().partition(|f| first(f));
    let mut documents = load(&read_first)?;
    // What the documents in scope refer to.
    let mut wanted: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for d in documents.iter().filter(|d| scope.contains(d.path())) {
        // Every kind's references (links, supersedes, depends_on, action items, …).
        wanted.extend(
            crate::check::references_of(d)
                .into_iter()
                .map(|(r, _)| r.id.clone()),
        );
    }
    let mut referenced = Vec::new();
    for f in rest {
        let stub = stub_document(f);
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let wanted_here = stub.id.as_ref().is_some_and(|id| wanted.contains(id))
            || parse_ref(name.trim_end_matches(".md"), f.kind)
                .is_some_and(|id| wanted.contains(&id));
        if wanted_here {
            referenced.push(f);
        } else {
            documents.push(stub);
        }
    }
    documents.extend(load(&referenced)?);
    Ok(documents)
}

/// Today, or `CTO_TODAY` (YYYY-MM-DD) for reproducible output.
pub fn today() -> jiff::civil::Date {
    std::env::var("CTO_TODAY")
        .ok()
        .and_then(|s| crate::model::parse_date(&s).ok())
        .unwrap_or_else(|| jiff::Zoned::now().date())
}

/// Now, to the minute with the local UTC offset (`2026-11-21T09:14:00+01:00`); under
/// `CTO_TODAY`, that day alone, for reproducible output.
pub fn now() -> String {
    if std::env::var_os("CTO_TODAY").is_some() {
        return today().to_string();
    }
    let now = jiff::Zoned::now();
    now.strftime("%Y-%m-%dT%H:%M:00%:z").to_string()
}
