//! `cto adr migrate`: adr-tools and MADR 2 records get MADR 4 front matter. Only the
//! metadata moves (the `Date:` line, the `## Status` section, the `- Status:` bullets);
//! every other byte of the record stays as it was.

use std::path::PathBuf;

use anyhow::Context as _;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::edit;
use crate::model::status::normalize;
use crate::model::{Document, DocumentFile, Format, Kind, parse_date};
use crate::report::yaml::{Y, to_string};
use crate::source::Span;
use crate::workspace::Workspace;

/// Statuses teams write that mean a built-in one.
const SYNONYMS: &[(&str, &str)] = &[
    ("approved", "accepted"),
    ("agreed", "accepted"),
    ("done", "accepted"),
    ("pending", "proposed"),
    ("proposal", "proposed"),
    ("draft", "proposed"),
    ("in progress", "proposed"),
    ("under review", "proposed"),
    ("declined", "rejected"),
    ("obsolete", "deprecated"),
];

/// The span of the whole line holding `at`, with its line ending.
fn whole_line(text: &str, at: usize) -> Span {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Span::new(start, end)
}

fn is_blank_line(text: &str, at: usize) -> bool {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[at..end].trim().is_empty() && at < text.len()
}

/// What to cut out of a record: its metadata lines and sections, each with the blank line
/// that followed it (so the prose keeps its own spacing).
pub fn metadata_spans(doc: &Document) -> Vec<Span> {
    let text = &doc.source.text;
    let mut spans = Vec::new();
    let meta = doc.meta.as_ref();
    let mut cut_line = |at: usize| {
        let mut s = whole_line(text, at);
        if is_blank_line(text, s.end) {
            s = Span::new(s.start, whole_line(text, s.end).end);
        }
        spans.push(s);
    };
    match doc.format {
        Format::AdrTools => {
            if let Some(date) = meta.and_then(|m| m.entry("date")) {
                cut_line(date.0.span.start);
            }
        }
        Format::Bullets => {
            for (k, _) in meta.map(|m| m.entries()).unwrap_or_default() {
                cut_line(k.span.start);
            }
        }
        _ => {}
    }
    if doc.format == Format::AdrTools
        && let Some(s) = doc.body.section("status")
    {
        spans.push(Span::new(s.heading.span.start, s.content.end));
    }
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
}

pub fn run(ctx: &mut Ctx, ws: &Workspace, paths: &[PathBuf]) -> anyhow::Result<Exit> {
    let mut requested: Vec<DocumentFile> = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        ws.files_at(
            &ctx.cwd.join(p),
            Some(Kind::Adr),
            &mut requested,
            &mut errors,
        )
        .map_err(|e| UsageError(e.to_string()))?;
    }
    let (corpus, _) = load_corpus(ws, &requested);
    let wanted = |d: &Document| requested.is_empty() || requested.iter().any(|f| f.rel == d.path());
    let docs: Vec<&Document> = corpus
        .of_kind(Kind::Adr)
        .filter(|d| wanted(d) && d.readable)
        .collect();
    let mut migrated = 0;
    for doc in docs {
        if !matches!(doc.format, Format::AdrTools | Format::Bullets) {
            continue;
        }
        let mut notes = Vec::new();
        let mut fields: Vec<(&str, Y)> = Vec::new();
        match &doc.status {
            Some(s) => fields.push(("status", Y::s(&s.canonical))),
            None => {
                if let Some(raw) = doc.field("status").and_then(|n| n.scalar_text()) {
                    let word = normalize(&raw);
                    match SYNONYMS.iter().find(|(w, _)| *w == word) {
                        Some((_, to)) => {
                            notes.push(format!("status `{}` written as `{to}`", raw.trim()));
                            fields.push(("status", Y::s(*to)));
                        }
                        None => {
                            notes.push(format!("status `{}` kept as written (declare it in cto.yaml, or correct it)", raw.trim()));
                            fields.push(("status", Y::s(raw.trim())));
                        }
                    }
                }
            }
        }
        if let Some(date) = doc.field("date").and_then(|n| n.scalar_text()) {
            let date = date.trim().to_string();
            if parse_date(&date).is_err() {
                notes.push(format!(
                    "date `{date}` kept as written; it is not YYYY-MM-DD"
                ));
            }
            fields.push(("date", Y::s(date)));
        } else {
            notes.push("no date in the record".into());
        }
        if let Some(a) = doc.adr() {
            for (key, list) in [
                ("decision-makers", &a.decision_makers),
                ("consulted", &a.consulted),
                ("informed", &a.informed),
                ("tags", &a.tags),
            ] {
                if !list.is_empty() {
                    fields.push((key, Y::Seq(list.iter().map(Y::s).collect())));
                }
            }
            if !a.supersedes.is_empty() {
                fields.push((
                    "supersedes",
                    Y::Seq(a.supersedes.iter().map(|r| Y::s(&r.id)).collect()),
                ));
            }
        }
        if !doc.links.is_empty() {
            fields.push((
                "links",
                Y::Seq(doc.links.iter().map(|r| Y::s(&r.id)).collect()),
            ));
        }
        let text = &doc.source.text;
        let eol = edit::line_ending(text);
        let yaml = to_string(&Y::map(fields)).replace('\n', eol);
        let mut body = text.clone();
        for span in metadata_spans(doc).iter().rev() {
            body = edit::replace(&body, *span, "");
        }
        let new_text = match doc
            .front_matter
            .as_ref()
            .and_then(|f| f.close.map(|c| (f, c)))
        {
            // Keep the keys of another tool's front matter; add ours before the fence.
            Some((_, close)) => {
                let cut: usize = metadata_spans(doc)
                    .iter()
                    .filter(|s| s.end <= close.start)
                    .map(|s| s.end - s.start)
                    .sum();
                edit::replace(&body, Span::empty(close.start - cut), &yaml)
            }
            None => {
                let bom = if body.starts_with('\u{feff}') {
                    "\u{feff}"
                } else {
                    ""
                };
                format!("{bom}---{eol}{yaml}---{eol}{eol}{}", &body[bom.len()..])
            }
        };
        let file = ws.root.join(doc.path());
        edit::write_atomic(&file, &new_text)
            .with_context(|| format!("writing {}", file.display()))?;
        writeln!(ctx.out, "{}", ctx.display_path(&file))?;
        for n in notes {
            writeln!(ctx.err, "  {}: {n}", doc.path())?;
        }
        migrated += 1;
    }
    if migrated == 0 && !ctx.quiet {
        writeln!(
            ctx.err,
            "nothing to migrate: every ADR already has front matter"
        )?;
    }
    Ok(Exit::Success)
}
