//! `cto search QUERY`: full-text search over every kind, best match first.

use std::io::Write;

use super::{Ctx, Exit, UsageError};
use crate::cli::{SearchArgs, SearchFormat};
use crate::model::Kind;
use crate::report::{escape::visible, json};
use crate::search::{Filter, Hit, Query, Results, search_corpus, search_files};
use crate::workspace::Workspace;

pub fn run(ctx: &mut Ctx, args: &SearchArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let query = Query::parse(&args.query.join(" "))
        .map_err(|e| UsageError(visible(&e.to_string()).into()))?;
    if let Some(status) = &args.status {
        check_status(&ws, args.kind, status)?;
    }
    let filter = Filter {
        kind: args.kind,
        status: args.status.clone(),
        owner: args.owner.clone(),
    };
    let limit = (args.limit > 0).then_some(args.limit);
    let results = match ctx.held(&ws) {
        // A server's documents, already read.
        Some(store) => search_corpus(&store.corpus(), &query, &filter, limit),
        None => {
            let (files, _) = ws.document_files();
            search_files(&files, &ws.config.documents, &query, &filter, limit)
        }
    };
    match args.format {
        SearchFormat::Json => json::write_value(ctx.out, &results)?,
        SearchFormat::Human => render(ctx.out, &results, ctx.color)?,
    }
    if !ctx.quiet && args.format == SearchFormat::Human {
        let shown = results.hits.len();
        if shown < results.total {
            writeln!(
                ctx.err,
                "{shown} of {} matching documents shown (--limit 0 shows all); {} searched",
                results.total, results.searched
            )?;
        } else {
            writeln!(
                ctx.err,
                "{} matching document(s); {} searched",
                results.total, results.searched
            )?;
        }
    }
    Ok(if results.total == 0 {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// A status no kind in scope knows is a typo, said with the nearest word.
fn check_status(ws: &Workspace, kind: Option<Kind>, status: &str) -> anyhow::Result<()> {
    let kinds: Vec<Kind> = match kind {
        Some(k) => vec![k],
        None => Kind::ALL.to_vec(),
    };
    let mut names = Vec::new();
    for k in kinds {
        let vocabulary = ws.config.vocabulary(k);
        if vocabulary.parse(status, Default::default()).is_ok() {
            return Ok(());
        }
        names.extend(vocabulary.names().into_iter().map(str::to_string));
    }
    let word = crate::model::status::normalize(status);
    let hint = crate::diagnostic::did_you_mean(&word, names.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Err(UsageError(format!("unknown status `{}`{hint}", visible(status))).into())
}

/// Each hit as two lines: id, status and title; then where the match is, and its line.
fn render(w: &mut dyn Write, results: &Results, color: bool) -> std::io::Result<()> {
    let (bold, reset) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut text = String::new();
    for hit in &results.hits {
        line(&mut text, hit, bold, reset);
    }
    w.write_all(text.as_bytes())
}

fn line(out: &mut String, hit: &Hit, bold: &str, reset: &str) {
    use std::fmt::Write as _;
    let id = hit.id.as_deref().unwrap_or("-");
    let status = if hit.status.is_empty() {
        "-"
    } else {
        &hit.status
    };
    let _ = writeln!(
        out,
        "{bold}{}{reset}  {}  {}",
        visible(id),
        visible(status),
        visible(&hit.title)
    );
    let e = &hit.excerpt;
    let chars: Vec<char> = e.text.chars().collect();
    let piece = |r: std::ops::Range<usize>| -> String {
        chars[r.start.min(chars.len())..r.end.min(chars.len())]
            .iter()
            .collect()
    };
    let _ = writeln!(
        out,
        "  {}:{}:{}: {}{bold}{}{reset}{}",
        visible(&hit.path),
        e.line,
        e.column,
        visible(&piece(0..e.match_start)),
        visible(&piece(e.match_start..e.match_end)),
        visible(&piece(e.match_end..chars.len())),
    );
}
