//! `cto lint`: every document, or the files given with the rest as context; the index's
//! content with `--staged`; accepted ADRs held to a base revision with `--base`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context as _;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::check::{self, Diagnostic, Fix, Severity};
use crate::cli::{KindArg, LintArgs, LintFormat};
use crate::edit;
use crate::git;
use crate::model::{Corpus, Kind, document_from_bytes};
use crate::report::{LintReport, SourceMap, Summary, github, human, json, junit, sarif};
use crate::workspace::{Workspace, WorkspaceError};

fn git_error(e: git::GitError) -> UsageError {
    UsageError(match e {
        git::GitError::NoRepository => "this needs a git repository, and there is none here".into(),
        other => other.to_string(),
    })
}

/// The documents as staged in the index, and which of them the commit changes.
fn staged_corpus(ws: &Workspace) -> anyhow::Result<(Corpus, BTreeSet<String>)> {
    let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let staged = repo.staged_paths().map_err(git_error)?;
    let mut docs = Vec::new();
    let mut scope = BTreeSet::new();
    for (path, bytes) in repo.index_files(&prefix).map_err(git_error)? {
        let rel = &path[prefix.len()..];
        let Some(kind) = ws.document_kind(rel) else {
            continue;
        };
        if staged.contains(&path) {
            scope.insert(rel.to_string());
        }
        docs.push(document_from_bytes(kind, rel, bytes, &ws.config));
    }
    Ok((Corpus::new(docs), scope))
}

/// CTO413 for every ADR that was accepted at `rev` and whose decision changed since.
fn against_base(ws: &Workspace, corpus: &Corpus, rev: &str) -> anyhow::Result<Vec<Diagnostic>> {
    let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let mut out = Vec::new();
    for doc in corpus.of_kind(Kind::Adr) {
        let Some(bytes) = repo
            .file_at(rev, &format!("{prefix}{}", doc.path()))
            .map_err(git_error)?
        else {
            continue;
        };
        let old = document_from_bytes(Kind::Adr, doc.path(), bytes, &ws.config);
        out.extend(check::policy::accepted_adr_changed(&old, doc, rev));
    }
    Ok(out)
}

/// Applies the fixes of `diagnostics` file by file (non-overlapping, each file written
/// once, atomically, and only if it still holds the text that was linted). Returns the
/// number of fixes and of files changed.
fn apply_fixes(
    ws: &Workspace,
    corpus: &Corpus,
    diagnostics: &[Diagnostic],
) -> anyhow::Result<(usize, usize)> {
    let mut by_path: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(fix) = &d.fix {
            by_path.entry(d.path.as_str()).or_default().push(fix);
        }
    }
    let (mut fixes, mut files) = (0, 0);
    for (path, mut list) in by_path {
        let Some(source) = corpus.source(path) else {
            continue;
        };
        let file = ws.root.join(path);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(source.text.as_str()) {
            continue;
        }
        list.sort_by_key(|f| std::cmp::Reverse(f.span.start));
        let mut text = source.text.clone();
        let mut floor = usize::MAX;
        for fix in list {
            if fix.span.end > floor {
                continue;
            }
            text = edit::replace(&text, fix.span, &fix.replacement);
            floor = fix.span.start;
            fixes += 1;
        }
        edit::write_atomic(&file, &text).with_context(|| format!("writing {}", file.display()))?;
        files += 1;
    }
    Ok((fixes, files))
}

pub fn run(ctx: &mut Ctx, args: &LintArgs) -> anyhow::Result<Exit> {
    let ws = Workspace::discover(&ctx.cwd)?;
    let kind = args.kind.map(|k| match k {
        KindArg::Adr => Kind::Adr,
        KindArg::Risk => Kind::Risk,
        KindArg::Slo => Kind::Slo,
        KindArg::Roadmap => Kind::Roadmap,
    });

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
    let corpus = if args.staged {
        let (corpus, staged) = staged_corpus(&ws)?;
        scope = Some(match scope {
            Some(asked) => asked.intersection(&staged).cloned().collect(),
            None => staged,
        });
        corpus
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
    let config_broken = diagnostics.iter().any(|d| d.severity == Severity::Error);
    diagnostics.extend(walk_errors);
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: super::today(),
    };
    diagnostics.extend(check::run(&corpus, &check_ctx));
    if let Some(rev) = &args.base {
        let mut base = against_base(&ws, &corpus, rev)?;
        check::apply_levels(&mut base, &ws.config);
        diagnostics.extend(base);
        if args.changed_only {
            let repo = git::Repo::discover(&ws.root).map_err(git_error)?;
            let prefix = ws.git_prefix(&repo.work_tree);
            let changed: BTreeSet<String> = repo
                .changed_since(rev)
                .map_err(git_error)?
                .into_iter()
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
        diagnostics.retain(|d| scope.contains(&d.path) || config_errors.contains(d));
    }
    if args.fix {
        let (fixes, files) = apply_fixes(&ws, &corpus, &diagnostics)?;
        if !ctx.quiet {
            writeln!(ctx.err, "fixed {fixes} finding(s) in {files} file(s)")?;
        }
        // Report what is left, as the files are now.
        let again = LintArgs {
            fix: false,
            ..args.clone()
        };
        return run(ctx, &again);
    }
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
    let report = LintReport {
        summary: Summary::count(&diagnostics, files, documents),
        sources: SourceMap::new(
            corpus
                .documents
                .iter()
                .map(|d| &d.source)
                .chain(ws.config.source.iter()),
        ),
        diagnostics: &diagnostics,
    };
    match args.format {
        LintFormat::Human => {
            if !(ctx.quiet && diagnostics.is_empty()) {
                human::render(ctx.out, &report, ctx.color)?;
            }
        }
        LintFormat::Json => json::render(ctx.out, &report)?,
        LintFormat::Github => github::render(ctx.out, &report)?,
        LintFormat::Sarif => sarif::render(ctx.out, &report)?,
        LintFormat::Junit => junit::render(ctx.out, &report, &paths)?,
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
