//! `cto lint`: every document, or the files given with the rest as context; the index's
//! content with `--staged`; accepted ADRs held to a base revision with `--base`.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::Arc;

use anyhow::Context as _;
use rayon::prelude::*;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::check::rules::{DANGLING_REFERENCE, cto413_accepted_adr_changed};
use crate::check::{self, Diagnostic, Fix, Severity};
use crate::cli::{LintArgs, LintFormat};
use crate::edit;
use crate::git;
use crate::model::{
    AdrFields, Corpus, Document, DocumentFile, Fields, Kind, MAX_FILE_BYTES, document_from_bytes,
    read_source, too_large_document,
};
use crate::report::{
    Finding, Group, LintReport, Located, SourceMap, Summary, github, grouped, human, json, junit,
    sarif,
};
use crate::source::Source;
use crate::workspace::{Workspace, WorkspaceError};

fn git_error(e: git::GitError) -> UsageError {
    UsageError(match e {
        git::GitError::NoRepository => "this needs a git repository, and there is none here".into(),
        other => other.to_string(),
    })
}

/// A document from git's copy of a file: parsed, or CTO101 when it is too large to read.
fn document_of(kind: Kind, rel: &str, content: git::Content, ws: &Workspace) -> Document {
    match content {
        git::Content::Bytes(bytes) => document_from_bytes(kind, rel, bytes, &ws.config.documents),
        git::Content::TooLarge(_) => too_large_document(kind, rel, &ws.config.documents),
    }
}

/// The ids of the documents at `paths` (repository paths) as they were at `rev`.
fn ids_at(
    repo: &git::Repo,
    ws: &Workspace,
    prefix: &str,
    rev: &str,
    paths: &BTreeSet<String>,
) -> anyhow::Result<Vec<Document>> {
    let mut out = Vec::new();
    if paths.is_empty() {
        return Ok(out);
    }
    let mut files = repo.files_at(rev).map_err(git_error)?;
    for path in paths {
        let Some(rel) = path.strip_prefix(prefix) else {
            continue;
        };
        let Some(kind) = ws.document_kind(rel) else {
            continue;
        };
        if let Some(content) = files.get(path, MAX_FILE_BYTES).map_err(git_error)? {
            out.push(document_of(kind, rel, content, ws));
        }
    }
    Ok(out)
}

/// Documents that refer to one of `gone` (ids no document in `corpus` has any more):
/// their dangling references are reported even when they are not in scope themselves.
fn referring_to(corpus: &Corpus, gone: &[Document]) -> BTreeSet<String> {
    let gone: BTreeSet<&str> = gone
        .iter()
        .filter_map(|d| d.id.as_deref())
        .filter(|id| corpus.get(id).is_none())
        .collect();
    corpus
        .documents
        .iter()
        .filter(|d| {
            check::references_of(d)
                .iter()
                .any(|(r, _)| gone.contains(r.id.as_str()))
        })
        .map(|d| d.path().to_string())
        .collect()
}

/// What `--staged` lints: the documents of the index as [`super::load_scoped`] reads
/// the work tree's (those staged, what they refer to, and every roadmap item or SLO
/// when one is staged; the others known by their file names), or all of them when the
/// commit deletes a document (to find those that refer to it); the staged documents
/// and the documents that refer to a deleted one; and CTO101 for a staged symbolic link
/// (its blob is the link's target, not a document).
struct Staged {
    corpus: Corpus,
    scope: BTreeSet<String>,
    referring: BTreeSet<String>,
    refused: Vec<Diagnostic>,
}

fn staged_corpus(ws: &Workspace) -> anyhow::Result<Staged> {
    let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let staged = repo.staged_changes().map_err(git_error)?;
    let mut entries = std::collections::HashMap::new();
    let mut files = Vec::new();
    let mut scope = BTreeSet::new();
    let mut refused = Vec::new();
    let document_kind = ws.document_kinds();
    for entry in repo.index_entries(&prefix).map_err(git_error)? {
        let rel = entry.path[prefix.len()..].to_string();
        let Some(kind) = document_kind(&rel) else {
            continue;
        };
        if staged.changed.contains(&entry.path) {
            scope.insert(rel.clone());
        }
        // A staged link is reported as the walk reports one it will not follow; a
        // submodule is a directory in the work tree, not a document.
        if entry.is_symlink() {
            refused.push(Diagnostic::new(
                &crate::model::rules::UNREADABLE_FILE,
                &rel,
                Default::default(),
                crate::workspace::ReadRefusal::NotRegular("a symbolic link").to_string(),
            ));
            continue;
        }
        if !entry.is_regular() {
            continue;
        }
        files.push(DocumentFile {
            path: ws.root.join(&rel),
            rel: rel.clone(),
            kind,
        });
        entries.insert(rel, entry);
    }
    // Blobs are read one by one (a repository handle is not shared between threads),
    // then parsed in parallel.
    let mut load = |batch: &[&DocumentFile]| -> anyhow::Result<Vec<Document>> {
        let mut read = Vec::with_capacity(batch.len());
        for f in batch {
            if let Some(entry) = entries.get(&f.rel) {
                let content = repo
                    .staged_content(entry, MAX_FILE_BYTES)
                    .map_err(git_error)?;
                read.push((*f, content));
            }
        }
        Ok(read
            .into_par_iter()
            .map(|(f, content)| document_of(f.kind, &f.rel, content, ws))
            .collect())
    };
    let docs = if staged.deleted.is_empty() {
        super::scoped_documents(&files, &scope, &mut load)?
    } else {
        load(&files.iter().collect::<Vec<_>>())?
    };
    let corpus = Corpus::new(docs);
    let deleted = ids_at(&repo, ws, &prefix, "HEAD", &staged.deleted)?;
    let referring = referring_to(&corpus, &deleted);
    Ok(Staged {
        corpus,
        scope,
        referring,
        refused,
    })
}

/// What `--base` finds: CTO413 for every ADR that was accepted at `rev` and whose
/// decision changed or that is gone since; and the documents that refer to a document
/// deleted since.
fn against_base(
    ws: &Workspace,
    corpus: &Corpus,
    rev: &str,
) -> anyhow::Result<(Vec<Diagnostic>, BTreeSet<String>)> {
    let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let mut out = Vec::new();
    adrs_at(ws, &repo, &prefix, corpus, rev, |doc, old| {
        out.extend(cto413_accepted_adr_changed::changed(&old, doc, rev));
    })?;
    let deleted = repo.changed_since(rev).map_err(git_error)?.deleted;
    let gone = ids_at(&repo, ws, &prefix, rev, &deleted)?;
    for old in gone.iter().filter(|d| d.kind == Kind::Adr) {
        if corpus.source(old.path()).is_none() {
            out.extend(cto413_accepted_adr_changed::deleted(old, rev));
        }
    }
    Ok((out, referring_to(corpus, &gone)))
}

/// Each ADR of `corpus` with the record at its path at `rev` (those that were there),
/// the revision's tree read once, when the first is asked for.
fn adrs_at<'c>(
    ws: &Workspace,
    repo: &git::Repo,
    prefix: &str,
    corpus: &'c Corpus,
    rev: &str,
    mut each: impl FnMut(&'c Document, Document),
) -> anyhow::Result<()> {
    let mut files: Option<git::FilesAt> = None;
    for doc in corpus.of_kind(Kind::Adr) {
        let files = match &mut files {
            Some(f) => f,
            None => files.insert(repo.files_at(rev).map_err(git_error)?),
        };
        let Some(content) = files
            .get(&format!("{prefix}{}", doc.path()), MAX_FILE_BYTES)
            .map_err(git_error)?
        else {
            continue;
        };
        each(doc, document_of(Kind::Adr, doc.path(), content, ws));
    }
    Ok(())
}

/// A text's length and hash: enough to tell that a file read again is the file linted.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Fingerprint(usize, u64);

impl Fingerprint {
    fn of(text: &str) -> Self {
        let mut h = std::hash::DefaultHasher::new();
        text.hash(&mut h);
        Fingerprint(text.len(), h.finish())
    }
}

/// What a lint over every document keeps of each besides its findings.
#[derive(Clone, Copy, Default)]
struct Keep {
    /// The lines a finding covers (human output shows them).
    excerpts: bool,
    /// The fixes of its findings (`--fix`).
    fixes: bool,
    /// An ADR's decision print (`--base`).
    decisions: bool,
}

/// A fix of a finding in one file, with where the finding starts and its rule's code:
/// the order the fixes of one file are made in.
type PlacedFix = (usize, &'static str, Fix);

/// A document as the checks across documents read it, with the findings of its own.
struct Linted {
    doc: Document,
    rest: Rest,
}

/// What is kept of a document besides what the checks across documents read.
struct Rest {
    /// Its findings, located and in order.
    own: Vec<Finding>,
    /// Findings it made about another file (located later).
    others: Vec<Diagnostic>,
    /// Its text's fingerprint, when the text was let go.
    released: Option<Fingerprint>,
    /// The fixes of its own findings, in order (with [`Keep::fixes`]).
    fixes: Vec<PlacedFix>,
    /// Its decision print, for an ADR (with [`Keep::decisions`]).
    decision: Option<u64>,
}

/// Whether the checks across documents read this document's text: CTO412 reads the
/// text of an accepted ADR for the quarter it waives, when cto.yaml sets capacities.
fn text_needed_across(doc: &Document, ws: &Workspace) -> bool {
    doc.kind == Kind::Adr
        && !ws.config.capacity.is_empty()
        && doc
            .status
            .as_ref()
            .is_some_and(|s| s.counts_as == "accepted")
}

/// Reads, parses and checks one document; keeps of it what the checks across
/// documents read (its id, number, status, links and typed fields), and lets its text,
/// front matter, body and title go, its own findings located first.
fn lint_one(file: &DocumentFile, ws: &Workspace, ctx: &check::Context, keep: Keep) -> Linted {
    let doc = crate::model::load_document(file, &ws.config.documents);
    let (mut doc, diagnostics) = check::document(doc, ctx);
    let (mut mine, others): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.path == doc.path());
    check::sort(&mut mine);
    let own: Vec<Finding> = mine
        .iter()
        .map(|d| Finding::new(d, located(Some(&doc.source), d, keep.excerpts)))
        .collect();
    let fixes = if keep.fixes {
        mine.into_iter()
            .filter_map(|d| Some((d.span.start, d.rule.code, d.fix?)))
            .collect()
    } else {
        Vec::new()
    };
    let decision = (keep.decisions && doc.kind == Kind::Adr)
        .then(|| cto413_accepted_adr_changed::decision_print(&doc));
    let released = (!text_needed_across(&doc, ws)).then(|| {
        let print = Fingerprint::of(&doc.source.text);
        doc.source = Source::new(doc.source.path.clone(), String::new());
        doc.front_matter = None;
        doc.meta = None;
        doc.body = Default::default();
        doc.title = None;
        doc.links.shrink_to_fit();
        // Of the typed fields, the checks across documents read an ADR's supersedes, a
        // roadmap item's and an SLO's: the people of an ADR and a risk's fields go too.
        match &mut doc.fields {
            Fields::Adr(adr) => {
                let mut supersedes = std::mem::take(&mut adr.supersedes);
                supersedes.shrink_to_fit();
                *adr = AdrFields {
                    supersedes,
                    ..AdrFields::default()
                };
            }
            Fields::Risk(risk) => *risk = Default::default(),
            _ => {}
        }
        print
    });
    Linted {
        doc,
        rest: Rest {
            own,
            others,
            released,
            fixes,
            decision,
        },
    }
}

/// The text of a document read again, if it is the text that was linted (`print`).
fn read_again(file: &DocumentFile, print: Fingerprint) -> Option<Source> {
    let source = read_source(file);
    (Fingerprint::of(&source.text) == print).then_some(source)
}

/// Where `d` points; the lines it covers only when they are shown (`excerpts`).
fn located(src: Option<&Source>, d: &Diagnostic, excerpts: bool) -> Located {
    let mut at = Located::new(src, d);
    if !excerpts {
        at.excerpt = None;
    }
    at
}

/// A finding made outside a document's own checks, and the file it is in.
type Extra = (String, Finding);

/// What [`lint_all`] leaves: the documents as the checks across documents read them, the
/// findings, and what else was asked for ([`Keep`]).
struct Whole {
    corpus: Corpus,
    /// The findings, in groups of one file each, in the order they are shown.
    groups: Vec<Group>,
    /// Files that changed while they were linted (their findings shown without lines).
    changed: Vec<String>,
    /// For each file of the list, its text's fingerprint when the text was let go.
    prints: Vec<Option<Fingerprint>>,
    /// For each file of the list, its decision print when it is an ADR (`--base`).
    decisions: Vec<Option<u64>>,
    /// The fixes of each file (its place in the list) that has any, in the order they
    /// are made (`--fix`).
    fixes: Vec<(usize, Vec<Fix>)>,
}

/// `cto lint` over every document with bounded memory: each document is checked where
/// it is parsed and kept only as far as the checks across documents need, its findings
/// kept compact ([`Finding`]); a finding those checks make in a document whose text was
/// let go is located by reading the file again (one file at a time, the text let go
/// once its findings are located), and shown without its lines if the file changed in
/// between (the paths of such files are returned). `extra` are findings made elsewhere
/// (cto.yaml, the walk), already located. The findings come in groups, one per file, in
/// the order they are shown: no list of them all is ever copied or sorted whole. The
/// lines they cover are kept only with [`Keep::excerpts`] (for human output); fixes and
/// decision prints only when asked.
fn lint_all(
    ws: &Workspace,
    files: &[DocumentFile],
    ctx: &check::Context,
    keep: Keep,
    extra: Vec<Extra>,
) -> Whole {
    // The documents straight into their own list (no second copy of them all).
    let (docs, linted): (Vec<Document>, Vec<Rest>) = files
        .par_iter()
        .map(|f| {
            let l = lint_one(f, ws, ctx, keep);
            (l.doc, l.rest)
        })
        .unzip();
    let mut groups = Vec::with_capacity(linted.len());
    let mut prints = Vec::with_capacity(linted.len());
    let mut decisions = Vec::with_capacity(if keep.decisions { linted.len() } else { 0 });
    let mut fixes: Vec<(usize, Vec<PlacedFix>)> = Vec::new();
    let mut pending = Vec::new();
    for (i, rest) in linted.into_iter().enumerate() {
        groups.push(rest.own);
        pending.extend(rest.others);
        prints.push(rest.released);
        if keep.decisions {
            decisions.push(rest.decision);
        }
        if !rest.fixes.is_empty() {
            fixes.push((i, rest.fixes));
        }
    }
    let index: std::collections::HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.rel.as_str(), i))
        .collect();
    let released = |path: &str| index.get(path).and_then(|&i| prints[i]);
    let corpus = Corpus::new(docs);
    pending.extend(check::across(&corpus, ctx));
    check::sort(&mut pending);

    if keep.fixes {
        // The fixes of the checks across documents join their file's, after the file's
        // own among equals (as its findings are shown).
        let mut across: Vec<(usize, PlacedFix)> = pending
            .iter()
            .filter_map(|d| {
                let i = *index.get(d.path.as_str())?;
                Some((i, (d.span.start, d.rule.code, d.fix.clone()?)))
            })
            .collect();
        if !across.is_empty() {
            across.sort_by_key(|(i, _)| *i);
            let mut merged: BTreeMap<usize, Vec<PlacedFix>> = fixes.into_iter().collect();
            for (i, fix) in across {
                merged.entry(i).or_default().push(fix);
            }
            fixes = merged.into_iter().collect();
            for (_, list) in &mut fixes {
                list.sort_by_key(|(start, code, _)| (*start, *code));
            }
        }
    }
    let fixes = fixes
        .into_iter()
        .map(|(i, list)| (i, list.into_iter().map(|(_, _, fix)| fix).collect()))
        .collect();

    // The findings still to locate, one file at a time: a text read again (the file's
    // text was let go) is dropped once that file's findings are located.
    let located: Vec<(Vec<Extra>, Option<&str>)> = pending
        .chunk_by(|a, b| a.path == b.path)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|chunk| {
            let path = chunk[0].path.as_str();
            let again;
            let (source, changed) = match (released(path), index.get(path)) {
                (Some(print), Some(&i)) => {
                    again = read_again(&files[i], print);
                    (again.as_ref(), again.is_none())
                }
                _ if path == crate::config::FILE_NAME => (ws.config.source.as_ref(), false),
                _ => (corpus.at_path(path).map(|d| &d.source), false),
            };
            let found = chunk
                .iter()
                .map(|d| {
                    (
                        d.path.clone(),
                        Finding::new(d, located(source, d, keep.excerpts)),
                    )
                })
                .collect();
            (found, changed.then_some(path))
        })
        .collect();
    let mut changed = Vec::new();
    let mut extra = extra;
    for (found, path) in located {
        extra.extend(found);
        changed.extend(path.map(str::to_string));
    }
    // Stable: cto.yaml's findings and the files that could not be walked come first
    // among equals.
    extra.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.order(y)));
    let groups = merge_groups(files, groups, extra);
    Whole {
        corpus,
        groups,
        changed,
        prints,
        decisions,
        fixes,
    }
}

/// The findings of `files` (one list per file, each in order, the files in path order)
/// with `extra` (in order) merged in: into the group of their file, or as groups of
/// their own where no file of `files` has their path.
fn merge_groups(
    files: &[DocumentFile],
    groups: Vec<Vec<Finding>>,
    extra: Vec<Extra>,
) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    let push = |out: &mut Vec<Group>, (path, finding): Extra| match out.last_mut() {
        Some(last) if last.path == path => last.findings.push(finding),
        _ => out.push(Group {
            path,
            findings: vec![finding],
        }),
    };
    let mut extra = extra.into_iter().peekable();
    for (file, mut group) in files.iter().zip(groups) {
        // Paths before this file's that are no document of the list (cto.yaml, walk errors).
        while let Some(e) = extra.next_if(|(path, _)| path.as_str() < file.rel.as_str()) {
            push(&mut out, e);
        }
        let before = group.len();
        while let Some((_, f)) = extra.next_if(|(path, _)| *path == file.rel) {
            group.push(f);
        }
        if group.len() > before {
            // Stable: the document's own findings first among equals.
            group.sort_by(Finding::order);
        }
        if !group.is_empty() {
            out.push(Group {
                path: file.rel.clone(),
                findings: group,
            });
        }
    }
    for e in extra {
        push(&mut out, e);
    }
    out
}

/// `text` with the fixes made, the first of each field only, and how many were made;
/// a fix that cannot be made is said in `refused`.
fn fixed_text<'f>(
    path: &str,
    text: &str,
    fixes: impl IntoIterator<Item = &'f Fix>,
    refused: &mut Vec<String>,
) -> (String, usize) {
    let mut text = text.to_string();
    let mut done = BTreeSet::new();
    let mut made = 0;
    for fix in fixes {
        if !done.insert(fix.field.as_str()) {
            continue;
        }
        match edit::set_field(&text, &fix.field, &fix.value) {
            Ok(new) => {
                text = new;
                made += 1;
            }
            Err(e) => refused.push(format!("{path}: not fixed: {e}")),
        }
    }
    (text, made)
}

/// Applies the fixes of `diagnostics` file by file: each fix a verified field edit,
/// each file written once, atomically, and only if it still holds the text that was
/// linted. A fix that cannot be made safely is skipped and said. Returns the number of
/// fixes and of files changed, and the refusals.
fn apply_fixes(
    ws: &Workspace,
    corpus: &Corpus,
    diagnostics: &[Diagnostic],
) -> anyhow::Result<(usize, usize, Vec<String>)> {
    let mut by_path: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(fix) = &d.fix {
            by_path.entry(d.path.as_str()).or_default().push(fix);
        }
    }
    let (mut fixes, mut refused) = (0, Vec::new());
    // One plan per file: the fixes of one file do not depend on another's, so a file
    // that cannot be written (a link, read-only, changed meanwhile) is said and skipped.
    let mut plans: Vec<(&str, usize, edit::Plan)> = Vec::new();
    for (path, list) in by_path {
        let Some(source) = corpus.source(path) else {
            continue;
        };
        let (text, made) = fixed_text(path, &source.text, list.iter().copied(), &mut refused);
        let mut plan = edit::Plan::new();
        plan.replace(ws.root.join(path), source.text.clone(), text);
        if !plan.is_empty() {
            plans.push((path, made, plan));
        }
    }
    let dirs: Vec<_> = plans.iter().flat_map(|(_, _, p)| p.dirs()).collect();
    let _locks = edit::DirLock::all(&dirs, edit::LOCK_TIMEOUT)?;
    let mut files = 0;
    for (path, made, plan) in plans {
        match plan.commit() {
            Ok(()) => {
                fixes += made;
                files += 1;
            }
            Err(e) => refused.push(format!("{path}: not fixed: {e}")),
        }
    }
    Ok((fixes, files, refused))
}

/// Applies the fixes a lint over every document kept ([`Whole::fixes`]) file by file,
/// holding one file's text at a time: each file is read again (a text let go after its
/// checks) and fixed only if it is the text that was linted, each fix a verified field
/// edit, each file written once, atomically, and only if it still holds the text read
/// (the re-read check of [`edit::Plan`]). A fix that cannot be made safely is skipped and
/// said. Returns the number of fixes and of files changed, and the refusals.
fn apply_fixes_each(
    ws: &Workspace,
    files: &[DocumentFile],
    whole: &Whole,
) -> anyhow::Result<(usize, usize, Vec<String>)> {
    let (mut fixes, mut changed_files) = (0, 0);
    // Refusals of an edit come before those of a write, as when every plan was made
    // before the first was carried out.
    let (mut refused, mut unwritten) = (Vec::new(), Vec::new());
    let dirs: Vec<_> = whole
        .fixes
        .iter()
        .filter_map(|(i, _)| ws.root.join(&files[*i].rel).parent().map(Into::into))
        .collect();
    let _locks = edit::DirLock::all(&dirs, edit::LOCK_TIMEOUT)?;
    for (i, list) in &whole.fixes {
        let file = &files[*i];
        let path = file.rel.as_str();
        let full = ws.root.join(path);
        let old = match whole.prints[*i] {
            Some(print) => match read_again(file, print) {
                Some(source) => source.text,
                None => {
                    unwritten.push(format!(
                        "{path}: not fixed: {}",
                        edit::WriteError::Changed(full)
                    ));
                    continue;
                }
            },
            None => match whole.corpus.source(path) {
                Some(source) => source.text.clone(),
                None => continue,
            },
        };
        let (text, made) = fixed_text(path, &old, list.iter(), &mut refused);
        let mut plan = edit::Plan::new();
        plan.replace(full, old, text);
        if plan.is_empty() {
            continue;
        }
        match plan.commit() {
            Ok(()) => {
                fixes += made;
                changed_files += 1;
            }
            Err(e) => unwritten.push(format!("{path}: not fixed: {e}")),
        }
    }
    refused.extend(unwritten);
    Ok((fixes, changed_files, refused))
}

/// What `--base` finds over a lint of every document ([`Whole`]), as [`against_base`]
/// finds it over the whole corpus: an ADR accepted at `rev` is read again only when its
/// decision print differs from the one kept (its text was let go), and its finding
/// located there. Returns the findings, located, and the files that changed while they
/// were linted.
fn against_base_each(
    ws: &Workspace,
    files: &[DocumentFile],
    whole: &Whole,
    rev: &str,
    excerpts: bool,
) -> anyhow::Result<(Vec<Extra>, Vec<String>)> {
    let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let index: std::collections::HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.rel.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut changed = Vec::new();
    let mut push = |d: Option<Diagnostic>, source: Option<&Source>| {
        let mut list: Vec<Diagnostic> = d.into_iter().collect();
        check::apply_levels(&mut list, &ws.config);
        for d in list {
            let finding = Finding::new(&d, located(source, &d, excerpts));
            out.push((d.path, finding));
        }
    };
    adrs_at(ws, &repo, &prefix, &whole.corpus, rev, |doc, old| {
        if !old
            .adr()
            .is_some_and(|a| a.is(crate::model::AdrStatus::Accepted))
        {
            return;
        }
        let i = index.get(doc.path()).copied();
        let print = i.and_then(|i| whole.decisions.get(i).copied().flatten());
        if print.is_some_and(|p| p == cto413_accepted_adr_changed::decision_print(&old)) {
            return;
        }
        match i.and_then(|i| Some((i, whole.prints[i]?))) {
            // Its text was let go: the record is read and parsed again.
            Some((i, print)) => {
                let new = crate::model::load_document(&files[i], &ws.config.documents);
                if Fingerprint::of(&new.source.text) != print {
                    changed.push(doc.path().to_string());
                }
                push(
                    cto413_accepted_adr_changed::changed(&old, &new, rev),
                    Some(&new.source),
                );
            }
            None => push(
                cto413_accepted_adr_changed::changed(&old, doc, rev),
                Some(&doc.source),
            ),
        }
    })?;
    let deleted = repo.changed_since(rev).map_err(git_error)?.deleted;
    let gone = ids_at(&repo, ws, &prefix, rev, &deleted)?;
    for old in gone.iter().filter(|d| d.kind == Kind::Adr) {
        if whole.corpus.source(old.path()).is_none() {
            push(cto413_accepted_adr_changed::deleted(old, rev), None);
        }
    }
    Ok((out, changed))
}

/// `groups` (in path order) with `extra` merged in: into the group of their file, after
/// its findings among equals, or as groups of their own.
fn merge_into(groups: Vec<Group>, mut extra: Vec<Extra>) -> Vec<Group> {
    if extra.is_empty() {
        return groups;
    }
    extra.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.order(y)));
    let mut out: Vec<Group> = Vec::with_capacity(groups.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    let own = |out: &mut Vec<Group>, (path, finding): Extra| match out.last_mut() {
        Some(last) if last.path == path => last.findings.push(finding),
        _ => out.push(Group {
            path,
            findings: vec![finding],
        }),
    };
    for mut group in groups {
        while let Some(e) = extra.next_if(|(path, _)| *path < group.path) {
            own(&mut out, e);
        }
        let before = group.findings.len();
        while let Some((_, f)) = extra.next_if(|(path, _)| *path == group.path) {
            group.findings.push(f);
        }
        if group.findings.len() > before {
            group.findings.sort_by(Finding::order);
        }
        out.push(group);
    }
    for e in extra {
        own(&mut out, e);
    }
    out
}

/// Says what `--fix` did, then reports what is left, as the files are now.
fn report_fixes(
    ctx: &mut Ctx,
    args: &LintArgs,
    fixes: usize,
    files: usize,
    refused: &[String],
) -> anyhow::Result<Exit> {
    for line in refused {
        writeln!(ctx.err, "{}", crate::report::escape::visible(line))?;
    }
    if !ctx.quiet {
        writeln!(ctx.err, "fixed {fixes} finding(s) in {files} file(s)")?;
    }
    let again = LintArgs {
        fix: false,
        ..args.clone()
    };
    run(ctx, &again)
}

pub fn run(ctx: &mut Ctx, args: &LintArgs) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let ws = Workspace::discover(&ctx.cwd)?;
    let kind = args.kind;

    // The files asked for (relative paths are from where cto was started).
    let mut requested = Vec::new();
    let mut walk_errors = Vec::new();
    for path in &args.paths {
        let full = ctx.cwd.join(path);
        match ws.files_at(&full, kind, &mut requested, &mut walk_errors) {
            Ok(()) => {}
            // Pre-commit passes every staged markdown file: one that is not a document
            // (a README, say) is skipped, not an error.
            Err(WorkspaceError::UnknownKind(..)) => {
                if !ctx.quiet {
                    writeln!(
                        ctx.err,
                        "note: skipping {}: not in a documents directory (--kind lints it as one)",
                        path.display()
                    )?;
                }
            }
            Err(e) => return Err(UsageError(e.to_string()).into()),
        }
    }
    let mut scope: Option<BTreeSet<String>> = (!args.paths.is_empty()).then(|| {
        requested
            .iter()
            .map(|f| &f.rel)
            .chain(walk_errors.iter().map(|d| &d.path))
            .cloned()
            .collect()
    });
    // Documents whose dangling references are reported though they are out of scope:
    // those that refer to a document the change deletes.
    let mut referring = BTreeSet::new();
    if args.fix {
        let dirs = ws.every_dir();
        edit::finish_interrupted(&dirs)?;
    }
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: super::today(),
    };
    let config_broken = ws
        .config_diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    let config_sources = SourceMap::new(ws.config.source.iter());
    let whole = scope.is_none() && !args.staged && !args.changed_only;
    let plain = whole && !args.fix && args.base.is_none();
    let held = if plain { ctx.held(&ws) } else { None };
    let (corpus, groups) = if let Some(store) = held {
        // A server's documents: each one's own findings were kept when it was read.
        let mut diagnostics = ws.config_diagnostics.clone();
        diagnostics.extend(store.walk_errors().iter().cloned());
        diagnostics.extend(store.lint());
        check::sort(&mut diagnostics);
        let corpus = store.corpus();
        drop(store);
        let findings = in_groups(&ws, &corpus, diagnostics);
        (corpus, findings)
    } else if whole {
        // Every document, each checked where it is parsed: memory stays bounded.
        let (files, errors) = ws.document_files();
        // cto.yaml's findings and the files that could not be walked come first (the
        // sort below is stable).
        let extra: Vec<Extra> = ws
            .config_diagnostics
            .iter()
            .map(|d| {
                let at = Located::new(config_sources.get(&d.path), d);
                (d.path.clone(), Finding::new(d, at))
            })
            .chain(walk_errors.into_iter().chain(errors).map(|d| {
                let finding = Finding::new(&d, Located::START);
                (d.path, finding)
            }))
            .collect();
        let excerpts = args.format == LintFormat::Human && !args.fix;
        let keep = Keep {
            excerpts,
            fixes: args.fix,
            decisions: args.base.is_some(),
        };
        let mut linted = lint_all(&ws, &files, &check_ctx, keep, extra);
        if let Some(rev) = &args.base {
            let (base, changed) = against_base_each(&ws, &files, &linted, rev, excerpts)?;
            linted.groups = merge_into(linted.groups, base);
            linted.changed.extend(changed);
        }
        if args.fix {
            let (fixes, files, refused) = apply_fixes_each(&ws, &files, &linted)?;
            drop(linted);
            return report_fixes(ctx, args, fixes, files, &refused);
        }
        let Whole {
            corpus,
            groups,
            mut changed,
            ..
        } = linted;
        changed.sort();
        changed.dedup();
        for path in &changed {
            writeln!(
                ctx.err,
                "warning: {} changed while it was linted; its findings are shown without its lines",
                crate::report::escape::visible(path)
            )?;
        }
        (Arc::new(corpus), groups)
    } else {
        let corpus = if args.staged {
            let staged = staged_corpus(&ws)?;
            referring = staged.referring;
            walk_errors.extend(staged.refused);
            scope = Some(match scope {
                Some(asked) => asked.intersection(&staged.scope).cloned().collect(),
                None => staged.scope,
            });
            staged.corpus
        } else {
            let (corpus, errors) = match &scope {
                // A few files: their context is read only as far as the rules need it.
                Some(scope) if args.base.is_none() && !args.fix => {
                    super::load_scoped(&ws, &requested, scope)
                }
                _ => load_corpus(&ws, &requested),
            };
            // A link refused while walking a path given is found again in the whole walk.
            let errors: Vec<_> = errors
                .into_iter()
                .filter(|e| !walk_errors.contains(e))
                .collect();
            walk_errors.extend(errors);
            corpus
        };

        let mut diagnostics = ws.config_diagnostics.clone();
        diagnostics.extend(walk_errors);
        diagnostics.extend(check::run(&corpus, &check_ctx));
        if let Some(rev) = &args.base {
            let (mut base, refer) = against_base(&ws, &corpus, rev)?;
            check::apply_levels(&mut base, &ws.config);
            diagnostics.extend(base);
            referring.extend(refer);
            if args.changed_only {
                let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
                let prefix = ws.git_prefix(&repo.work_tree);
                let since = repo.changed_since(rev).map_err(git_error)?;
                let changed: BTreeSet<String> = since
                    .changed
                    .into_iter()
                    .chain(since.deleted)
                    .filter_map(|p| p.strip_prefix(&prefix).map(str::to_string))
                    .collect();
                scope = Some(match scope {
                    Some(asked) => asked.intersection(&changed).cloned().collect(),
                    None => changed,
                });
            }
        }
        check::sort(&mut diagnostics);

        if let Some(scope) = &scope {
            // The files asked for, and cto.yaml's own errors (which change what is checked).
            let config_errors = &ws.config_diagnostics;
            diagnostics.retain(|d| {
                scope.contains(&d.path)
                    || config_errors.contains(d)
                    || (d.rule.code == DANGLING_REFERENCE.code && referring.contains(&d.path))
            });
        }
        if args.fix {
            let (fixes, files, refused) = apply_fixes(&ws, &corpus, &diagnostics)?;
            drop(corpus);
            return report_fixes(ctx, args, fixes, files, &refused);
        }
        let findings = in_groups(&ws, &corpus, diagnostics);
        (Arc::new(corpus), findings)
    };
    let mut groups = groups;
    let baselined = apply_baseline(ctx, &ws, args, &mut groups, config_broken, scope.is_none())?;
    let paths: Vec<&str> = match &scope {
        Some(scope) => corpus
            .documents
            .iter()
            .map(|d| d.path())
            .filter(|p| scope.contains(*p))
            .collect(),
        None => corpus.documents.iter().map(|d| d.path()).collect(),
    };
    let documents = paths.len();
    let files = documents + usize::from(ws.config.source.is_some());
    let mut summary = Summary::count(
        groups
            .iter()
            .flat_map(|g| g.findings.iter().map(|f| f.severity)),
        files,
        documents,
    );
    summary.baselined = baselined;
    let report = LintReport {
        summary,
        groups: &groups,
        base: ci_base(&ws),
    };
    // One buffered writer for the whole output (stdout is line-buffered).
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, &mut *ctx.out);
    match args.format {
        LintFormat::Human if ctx.quiet => {
            human::render_diagnostics(&mut out, &report, ctx.color)?;
        }
        LintFormat::Human => human::render(&mut out, &report, ctx.color)?,
        LintFormat::Json => json::render(&mut out, &report)?,
        LintFormat::Github => github::render(&mut out, &report)?,
        LintFormat::Sarif => sarif::render(&mut out, &report)?,
        LintFormat::Junit => junit::render(&mut out, &report, &paths)?,
    }
    out.flush()?;
    drop(out);

    if ctx.verbose {
        let mut per_kind = BTreeMap::new();
        for d in &corpus.documents {
            *per_kind.entry(d.kind.name()).or_insert(0usize) += 1;
        }
        let kinds: Vec<String> = per_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(
            ctx.err,
            "note: repository {}; configuration {}; {} document(s) read ({}); {} in scope; {} finding(s); {} ms",
            ws.root.display(),
            if ws.config.source.is_some() {
                "cto.yaml"
            } else {
                "built in (no cto.yaml)"
            },
            corpus.documents.iter().filter(|d| d.readable).count(),
            if kinds.is_empty() {
                "none".to_string()
            } else {
                kinds.join(", ")
            },
            documents,
            report.items().count(),
            started.elapsed().as_millis(),
        )?;
    }
    let summary = report.summary;
    Ok(if config_broken {
        Exit::Usage
    } else if args.exit_zero {
        Exit::Success
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// Where CI formats place files from: the git work tree's top when the cto root is in
/// one (`cto -C examples lint --format github` from the repository's root gives
/// `examples/docs/…`, which GitHub can place), else the cto root.
fn ci_base(ws: &Workspace) -> crate::report::PathBase {
    match &ws.git_root {
        Some(top) if ws.root.starts_with(top) => crate::report::PathBase {
            prefix: ws.git_prefix(top),
            root: Some(top.clone()),
        },
        _ => crate::report::PathBase {
            prefix: String::new(),
            root: Some(ws.root.clone()),
        },
    }
}

/// `diagnostics` (sorted) located in the documents of `corpus` and cto.yaml, in groups
/// of one file each.
pub fn in_groups(ws: &Workspace, corpus: &Corpus, diagnostics: Vec<Diagnostic>) -> Vec<Group> {
    let sources = SourceMap::new(
        corpus
            .documents
            .iter()
            .map(|d| &d.source)
            .chain(ws.config.source.iter()),
    );
    grouped(diagnostics, &sources)
}

/// With `--write-baseline`, records every finding in the baseline file (atomically);
/// then, unless `--no-baseline`, takes the baselined findings out of `groups` and says
/// how many there are (and how many are fixed, for a whole lint). Returns how many were
/// taken out, or `None` when no baseline is used.
fn apply_baseline(
    ctx: &mut Ctx,
    ws: &Workspace,
    args: &LintArgs,
    groups: &mut Vec<Group>,
    config_broken: bool,
    whole: bool,
) -> anyhow::Result<Option<usize>> {
    use crate::check::baseline::{self, Baseline};
    let path = ws.root.join(baseline::FILE);
    let read = |path: &std::path::Path| -> anyhow::Result<Option<Baseline>> {
        if path.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = crate::files::read_file(path, Some(&ws.root), baseline::MAX_BYTES)
            .map_err(|why| UsageError(format!("{}: {why}", baseline::FILE)))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            UsageError(format!(
                "{}: not UTF-8 text; `cto lint --write-baseline` writes a new one",
                baseline::FILE
            ))
        })?;
        Ok(Some(
            Baseline::parse(&text).map_err(|e| UsageError(e.to_string()))?,
        ))
    };
    let current = if args.write_baseline {
        if config_broken {
            return Err(UsageError(format!(
                "cto.yaml has errors; fix them before writing {}",
                baseline::FILE
            ))
            .into());
        }
        // The old one is read only to say what was dropped; a broken one is replaced.
        let old = read(&path).ok().flatten();
        let new = Baseline::of(
            groups
                .iter()
                .flat_map(Group::items)
                .map(|i| (i.rule.code, i.path, i.message)),
        );
        let dir = ws.root.join(".cto");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        // `.cto` may be a link: the baseline is written inside the repository or not at all.
        let real = dir
            .canonicalize()
            .with_context(|| format!("resolving {}", dir.display()))?;
        if !real.starts_with(&ws.root) {
            return Err(UsageError(format!(
                ".cto resolves to {}, outside the repository; the baseline is not written",
                crate::report::escape::visible(&real.display().to_string())
            ))
            .into());
        }
        edit::write_atomic(&path, &new.to_json())
            .with_context(|| format!("writing {}", baseline::FILE))?;
        if !ctx.quiet {
            let dropped = old.map_or(0, |old| {
                let mut kept: Vec<&crate::check::baseline::Entry> = old.findings.iter().collect();
                kept.retain(|e| !new.findings.contains(e));
                kept.len()
            });
            writeln!(
                ctx.err,
                "wrote {}: {} finding(s){}",
                baseline::FILE,
                new.findings.len(),
                if dropped > 0 {
                    format!("; {dropped} no longer found, dropped")
                } else {
                    String::new()
                }
            )?;
        }
        Some(new)
    } else if args.no_baseline {
        None
    } else {
        read(&path)?
    };
    let Some(current) = current else {
        return Ok(None);
    };
    let mut budget = current.budget();
    for group in groups.iter_mut() {
        let path = std::mem::take(&mut group.path);
        group.findings.retain(|f| {
            let item = f.item(&path);
            !budget.take(item.rule.code, item.path, item.message)
        });
        group.path = path;
    }
    groups.retain(|g| !g.findings.is_empty());
    let matched = budget.matched();
    if !ctx.quiet && !args.write_baseline && matched.baselined + matched.fixed > 0 {
        let fixed = if whole && matched.fixed > 0 {
            format!(
                "; {} baselined finding(s) no longer found (`cto lint --write-baseline` drops them)",
                matched.fixed
            )
        } else {
            String::new()
        };
        writeln!(
            ctx.err,
            "note: {} baselined finding(s) not shown ({}; `--no-baseline` shows them){fixed}",
            matched.baselined,
            baseline::FILE
        )?;
    }
    Ok(Some(matched.baselined))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules' context for `ws` on a fixed day.
    fn context(ws: &Workspace) -> check::Context<'_> {
        check::Context {
            config: &ws.config,
            root: &ws.root,
            today: crate::model::parse_date("2026-11-21").expect("date"),
        }
    }

    #[test]
    fn a_text_read_again_is_used_only_if_it_is_the_text_linted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("0001-x.md");
        std::fs::write(&path, "# X\n").expect("write");
        let file = DocumentFile {
            path: path.clone(),
            rel: "0001-x.md".into(),
            kind: Kind::Adr,
        };
        let linted = Fingerprint::of("# X\n");
        assert_eq!(
            read_again(&file, linted).map(|s| s.text),
            Some("# X\n".into())
        );
        // Changed since, even to the same length: not shown as the lines linted.
        std::fs::write(&path, "# Y\n").expect("write");
        assert!(read_again(&file, linted).is_none());
        std::fs::remove_file(&path).expect("remove");
        assert!(read_again(&file, linted).is_none());
    }

    /// Copies the regular files and directories of `from` (not a `.base/`) into `to`.
    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            let (path, name) = (entry.path(), entry.file_name());
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() && name != ".base" {
                std::fs::create_dir_all(to.join(&name)).expect("mkdir");
                copy_tree(&path, &to.join(&name));
            } else if kind.is_file() {
                std::fs::copy(&path, to.join(&name)).expect("copy");
            }
        }
    }

    /// Every finding of every rule fixture and of the example repository, as `cto lint`
    /// finds it with each document checked where it is parsed and then let go, is the
    /// finding of every rule over the whole corpus kept in memory, at the same place.
    #[test]
    fn checked_where_parsed_finds_what_the_whole_corpus_finds() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut repos: Vec<std::path::PathBuf> =
            std::fs::read_dir(manifest.join("tests/fixtures/rules"))
                .expect("fixtures")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
        repos.push(manifest.join("examples"));
        assert!(repos.len() > 40);
        let (mut compared, mut fixes) = (0, 0);
        for repo in repos {
            let dir = tempfile::tempdir().expect("temp dir");
            std::fs::create_dir(dir.path().join(".git")).expect(".git");
            copy_tree(&repo, dir.path());
            let ws = Workspace::discover(dir.path()).expect("workspace");
            let ctx = context(&ws);
            let (files, _) = ws.document_files();
            let whole = Corpus::new(crate::model::load_documents(&files, &ws.config.documents));
            let sources = SourceMap::new(
                whole
                    .documents
                    .iter()
                    .map(|d| &d.source)
                    .chain(ws.config.source.iter()),
            );
            let diagnostics = check::run(&whole, &ctx);
            // The fixes `--fix` makes over the whole corpus: each file's, in order.
            let mut want_fixes: BTreeMap<String, Vec<Fix>> = BTreeMap::new();
            for d in &diagnostics {
                if let (Some(fix), Some(_)) = (&d.fix, whole.source(&d.path)) {
                    want_fixes
                        .entry(d.path.clone())
                        .or_default()
                        .push(fix.clone());
                }
            }
            let keep = Keep {
                fixes: true,
                ..Keep::default()
            };
            let kept = lint_all(&ws, &files, &ctx, keep, Vec::new());
            let found_fixes: BTreeMap<String, Vec<Fix>> = kept
                .fixes
                .into_iter()
                .map(|(i, list)| (files[i].rel.clone(), list))
                .collect();
            assert_eq!(found_fixes, want_fixes, "{}", repo.display());
            fixes += want_fixes.values().map(Vec::len).sum::<usize>();
            let expected = grouped(diagnostics, &sources);
            for excerpts in [true, false] {
                let keep = Keep {
                    excerpts,
                    ..Keep::default()
                };
                let whole = lint_all(&ws, &files, &ctx, keep, Vec::new());
                let found: Vec<_> = whole.groups.iter().flat_map(Group::items).collect();
                assert!(whole.changed.is_empty());
                let want: Vec<_> = expected
                    .iter()
                    .flat_map(Group::items)
                    .map(|mut item| {
                        if !excerpts {
                            item.excerpt = None;
                        }
                        item
                    })
                    .collect();
                assert_eq!(found, want, "{}", repo.display());
                compared += want.len();
            }
        }
        assert!(compared > 40, "{compared} findings compared");
        assert!(fixes >= 2, "{fixes} fixes compared");
    }

    /// `--fix` reads each file again when it writes it: a file changed since it was
    /// linted is left as it is and said, the others are fixed and read back.
    #[test]
    fn a_fix_is_made_only_in_the_text_linted() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect(".git");
        let adr = dir.path().join("docs/decisions");
        std::fs::create_dir_all(&adr).expect("mkdir");
        std::fs::write(dir.path().join("cto.yaml"), "rules:\n  CTO111: warn\n").expect("cto.yaml");
        let text = "---\nstatus: accepted\ndate: 2026-01-02\ndecision-makers: Ana Lima, Bo Chen\n---\n\n# Use X\n\n## Context\n\nC.\n\n## Decision\n\nD.\n\n## Consequences\n\nE.\n";
        for name in ["0001-use-x.md", "0002-use-x.md"] {
            std::fs::write(adr.join(name), text.replace("Use X", "Use x")).expect("write");
        }
        let ws = Workspace::discover(dir.path()).expect("workspace");
        let ctx = context(&ws);
        let (files, _) = ws.document_files();
        let keep = Keep {
            fixes: true,
            ..Keep::default()
        };
        let whole = lint_all(&ws, &files, &ctx, keep, Vec::new());
        assert_eq!(whole.fixes.len(), 2, "both files have a fix");
        assert!(whole.prints.iter().all(Option::is_some), "texts let go");
        // The second file changes after it was linted, to a text of the same length.
        let changed = text.replace("Use X", "Use y").replace("C.", "c.");
        std::fs::write(adr.join("0002-use-x.md"), &changed).expect("write");
        let (fixes, written, refused) = apply_fixes_each(&ws, &files, &whole).expect("fix");
        assert_eq!((fixes, written), (1, 1));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0].starts_with("docs/decisions/0002-use-x.md: not fixed: ")
                && refused[0].contains("changed since cto read it"),
            "{refused:?}"
        );
        let first = std::fs::read_to_string(adr.join("0001-use-x.md")).expect("read");
        assert!(
            first.contains("decision-makers: [Ana Lima, Bo Chen]\n"),
            "{first}"
        );
        assert_eq!(
            std::fs::read_to_string(adr.join("0002-use-x.md")).expect("read"),
            changed
        );
    }
}
