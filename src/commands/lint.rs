//! `cto lint`: every document, or the files given with the rest as context.

use std::collections::BTreeSet;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::check::{self, Severity};
use crate::cli::{KindArg, LintArgs, LintFormat};
use crate::model::Kind;
use crate::report::{LintReport, SourceMap, Summary, human, json};
use crate::workspace::WorkspaceError;

pub fn run(ctx: &mut Ctx, args: &LintArgs) -> anyhow::Result<Exit> {
    let ws = crate::workspace::Workspace::discover(&ctx.cwd)?;
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
    let (corpus, errors) = load_corpus(&ws, &requested);
    walk_errors.extend(errors);

    let mut diagnostics = ws.config_diagnostics.clone();
    let config_broken = diagnostics.iter().any(|d| d.severity == Severity::Error);
    diagnostics.extend(walk_errors);
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: super::today(),
    };
    diagnostics.extend(check::run(&corpus, &check_ctx));
    check::sort(&mut diagnostics);

    let scope: Option<BTreeSet<&str>> =
        (!args.paths.is_empty()).then(|| requested.iter().map(|f| f.rel.as_str()).collect());
    if let Some(scope) = &scope {
        diagnostics
            .retain(|d| scope.contains(d.path.as_str()) || d.path == crate::config::FILE_NAME);
    }
    let documents = scope.as_ref().map_or(corpus.documents.len(), BTreeSet::len);
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
