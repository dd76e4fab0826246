//! `cto adr new|list|status`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;

use super::{Ctx, Exit, UsageError, load_corpus, today};
use crate::cli::{AdrCommand, ListArgs, ListFormat, NewArgs, StatusArgs};
use crate::edit::{self, DirLock};
use crate::model::refs::{format_id, number_of_file_name, parse_ref};
use crate::model::{Corpus, Document, Format, Kind, Status};
use crate::parse::yaml::Value;
use crate::report::{json, table};
use crate::slug::slugify;
use crate::source::Span;
use crate::templates::{self, yaml_list};
use crate::workspace::Workspace;

pub fn run(ctx: &mut Ctx, command: &AdrCommand) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    match command {
        AdrCommand::New(args) => new(ctx, &ws, args),
        AdrCommand::List(args) => list(ctx, &ws, args),
        AdrCommand::Status(args) => status(ctx, &ws, args),
    }
}

fn new(ctx: &mut Ctx, ws: &Workspace, args: &NewArgs) -> anyhow::Result<Exit> {
    let vocab = ws.config.vocabulary(Kind::Adr);
    let initial = vocab
        .parse(&args.status, Span::default())
        .map_err(|e| unknown_status(&args.status, e.suggestion))?;
    let supersedes = match &args.supersedes {
        Some(n) => Some(parse_ref(n, Kind::Adr).ok_or_else(|| {
            UsageError(format!(
                "`{n}` is not an ADR number or id (try `2` or `ADR-0002`)"
            ))
        })?),
        None => None,
    };
    let path = create(
        ctx,
        ws,
        &args.title,
        &initial.canonical,
        supersedes.as_deref(),
        false,
    )?;
    writeln!(ctx.out, "{}", ctx.display_path(&path))?;
    if args.edit {
        open_editor(&path)?;
    }
    Ok(Exit::Success)
}

fn unknown_status(word: &str, suggestion: Option<String>) -> UsageError {
    let hint = suggestion.map_or(String::new(), |s| format!("; did you mean `{s}`?"));
    UsageError(format!("unknown ADR status `{word}`{hint}"))
}

/// A title fit for a heading: one line, no control characters.
fn clean_title(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a new ADR with the next free number; with `supersedes`, also marks the old one
/// superseded (both files are checked before either is written). Returns its path.
pub fn create(
    ctx: &mut Ctx,
    ws: &Workspace,
    title: &str,
    status: &str,
    supersedes: Option<&str>,
    first: bool,
) -> anyhow::Result<PathBuf> {
    let title = clean_title(title);
    if title.is_empty() {
        return Err(UsageError("the title is empty".into()).into());
    }
    let dir = ws.abs_dir(Kind::Adr);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let corpus = supersedes.map(|_| load_corpus(ws, &[]).0);
    let old = match (supersedes, &corpus) {
        (Some(id), Some(corpus)) => Some(
            corpus
                .get(id)
                .ok_or_else(|| UsageError(format!("there is no {id} in {}", ws.dir(Kind::Adr))))?,
        ),
        _ => None,
    };
    let template = if first {
        templates::ADR_FIRST.to_string()
    } else {
        templates::adr_template(&ws.root, &ws.config.adr_template)?
    };
    let people: Vec<String> = crate::git::user_name(&ws.root).into_iter().collect();

    let _lock = DirLock::acquire(&dir, Duration::from_secs(10))?;
    let number = next_number(&dir)?;
    let file_name = format!("{number:04}-{}.md", slugify(&title));
    let path = dir.join(&file_name);
    // The slug cannot hold a separator; this guards the promise all the same.
    if path.parent() != Some(dir.as_path()) {
        bail!("refusing to write outside {}", dir.display());
    }
    let id = format_id(Kind::Adr, number);
    let text = templates::render(
        &template,
        minijinja::context! {
            title => title,
            status => status,
            date => today().to_string(),
            number => number,
            id => id,
            decision_makers => yaml_list(&people),
            supersedes => old.and(supersedes),
        },
    )?;
    let old_edit = match old {
        Some(doc) => {
            let new_status = format!("superseded by {id}");
            Some((doc, status_edit(doc, &new_status, &id, &title, &file_name)?))
        }
        None => None,
    };
    edit::create_new(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    if let Some((doc, new_text)) = old_edit {
        let old_path = ws.root.join(doc.path());
        if let Err(e) = edit::write_atomic(&old_path, &new_text) {
            let _ = fs::remove_file(&path);
            return Err(anyhow!(e).context(format!("updating {}", old_path.display())));
        }
        if !ctx.quiet {
            writeln!(
                ctx.err,
                "{}: status is now `superseded by {id}`",
                doc.path()
            )?;
        }
    }
    Ok(path)
}

/// One more than the highest number in the directory.
fn next_number(dir: &Path) -> anyhow::Result<u32> {
    let mut max = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let name = entry?.file_name();
        if let Some(n) = number_of_file_name(&name.to_string_lossy()) {
            max = max.max(n);
        }
    }
    max.checked_add(1)
        .ok_or_else(|| anyhow!("no ADR number is left"))
}

/// The document's text with only its status changed, in the style the file uses.
fn status_edit(
    doc: &Document,
    canonical: &str,
    new_id: &str,
    new_title: &str,
    new_file: &str,
) -> anyhow::Result<String> {
    let text = &doc.source.text;
    let superseded = canonical.starts_with("superseded by");
    let number = new_id.trim_start_matches("ADR-").trim_start_matches('0');
    let status_entry = doc.meta.as_ref().and_then(|m| m.entry("status"));
    match (doc.format, status_entry) {
        (Format::AdrTools, Some((_, value))) => {
            let line = if superseded {
                format!("Superseded by [{number}. {new_title}]({new_file})")
            } else {
                capitalize(canonical)
            };
            Ok(edit::replace(text, value.span, &line))
        }
        (Format::Bullets, Some((_, value))) => {
            let word = if superseded {
                format!("superseded by [{new_id}]({new_file})")
            } else {
                canonical.to_string()
            };
            Ok(edit::replace(text, value.span, &word))
        }
        (_, Some((key, value))) => {
            if matches!(value.value, Value::Null) {
                let colon = Span::new(key.span.end, key.span.end + 1);
                return Ok(edit::replace(text, colon, &format!(": {canonical}")));
            }
            let original = doc.source.slice(value.span);
            let new = match original.chars().next() {
                Some('"') => serde_json::to_string(canonical)?,
                Some('\'') => format!("'{}'", canonical.replace('\'', "''")),
                _ => canonical.to_string(),
            };
            Ok(edit::replace(text, value.span, &new))
        }
        (_, None) => match doc.front_matter.as_ref().filter(|f| f.close.is_some()) {
            Some(fm) => {
                let eol = edit::line_ending(text);
                let at = Span::empty(fm.open.end + eol.len());
                Ok(edit::replace(
                    text,
                    at,
                    &format!("status: {canonical}{eol}"),
                ))
            }
            None => bail!(
                "{} has no status to change (no front matter, no `## Status` section)",
                doc.path()
            ),
        },
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn open_editor(path: &Path) -> anyhow::Result<()> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .map_err(|_| UsageError("--edit needs $VISUAL or $EDITOR".into()))?;
    let mut words = editor.split_whitespace();
    let program = words
        .next()
        .ok_or_else(|| UsageError("$EDITOR is empty".into()))?;
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("{program} exited with {status}");
    }
    Ok(())
}

#[derive(Serialize)]
struct AdrRow<'a> {
    id: Option<&'a str>,
    kind: Kind,
    title: &'a str,
    status: &'a str,
    path: &'a str,
    date: Option<String>,
    superseded_by: Option<&'a str>,
    supersedes: Vec<&'a str>,
    decision_makers: &'a [String],
    tags: &'a [String],
    links: Vec<&'a str>,
    format: Format,
}

fn row(doc: &Document) -> AdrRow<'_> {
    AdrRow {
        id: doc.id.as_deref(),
        kind: doc.kind,
        title: doc.title_text(),
        status: doc.status_value(),
        path: doc.path(),
        date: doc.adr().and_then(|a| a.date).map(|d| d.to_string()),
        superseded_by: doc
            .status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .map(|r| r.id.as_str()),
        supersedes: doc.adr().map_or(Vec::new(), |a| {
            a.supersedes.iter().map(|r| r.id.as_str()).collect()
        }),
        decision_makers: doc.adr().map_or(&[][..], |a| &a.decision_makers),
        tags: doc.adr().map_or(&[][..], |a| &a.tags),
        links: doc.links.iter().map(|r| r.id.as_str()).collect(),
        format: doc.format,
    }
}

fn list(ctx: &mut Ctx, ws: &Workspace, args: &ListArgs) -> anyhow::Result<Exit> {
    let (corpus, _) = load_corpus(ws, &[]);
    let wanted = match &args.status {
        Some(s) => Some(
            ws.config
                .vocabulary(Kind::Adr)
                .parse(s, Span::default())
                .map_err(|e| unknown_status(s, e.suggestion))?,
        ),
        None => None,
    };
    let matches = |st: &Option<Status>| match (&wanted, st) {
        (None, _) => true,
        (Some(w), Some(s)) => w.value == s.value || w.value == s.counts_as,
        (Some(_), None) => false,
    };
    let docs: Vec<&Document> = sorted(&corpus).filter(|d| matches(&d.status)).collect();
    match args.format {
        ListFormat::Json => {
            let rows: Vec<AdrRow> = docs.iter().map(|d| row(d)).collect();
            json::write_value(ctx.out, &rows)?;
        }
        ListFormat::Table => {
            let rows: Vec<Vec<String>> = docs
                .iter()
                .map(|d| {
                    let status = d
                        .status
                        .as_ref()
                        .map_or(String::new(), |s| s.canonical.clone());
                    vec![
                        d.id.clone().unwrap_or_default(),
                        status,
                        d.adr()
                            .and_then(|a| a.date)
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                        d.title_text().to_string(),
                    ]
                })
                .collect();
            table::render(ctx.out, &["id", "status", "date", "title"], &rows)?;
        }
    }
    Ok(Exit::Success)
}

/// ADRs in number order (then path).
fn sorted(corpus: &Corpus) -> impl Iterator<Item = &Document> {
    let mut docs: Vec<&Document> = corpus.of_kind(Kind::Adr).collect();
    docs.sort_by_key(|d| (d.number.unwrap_or(u32::MAX), d.path().to_string()));
    docs.into_iter()
}

fn status(ctx: &mut Ctx, ws: &Workspace, args: &StatusArgs) -> anyhow::Result<Exit> {
    let id = parse_ref(&args.id, Kind::Adr)
        .ok_or_else(|| UsageError(format!("`{}` is not an ADR number or id", args.id)))?;
    let (corpus, _) = load_corpus(ws, &[]);
    let doc = corpus
        .get(&id)
        .ok_or_else(|| UsageError(format!("there is no {id} in {}", ws.dir(Kind::Adr))))?;
    let vocab = ws.config.vocabulary(Kind::Adr);
    let new = vocab
        .parse(&args.status, Span::default())
        .map_err(|e| unknown_status(&args.status, e.suggestion))?;
    let (by_id, by_title, by_file) = match &new.superseded_by {
        Some(r) => {
            let newer = corpus
                .get(&r.id)
                .ok_or_else(|| UsageError(format!("there is no {}", r.id)))?;
            let file = newer
                .path()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            (r.id.clone(), newer.title_text().to_string(), file)
        }
        None if new.value == "superseded" => {
            return Err(UsageError(
                "say which ADR supersedes it: `superseded by ADR-NNNN` (or use `cto adr new --supersedes`)".into(),
            )
            .into());
        }
        None => Default::default(),
    };
    let from = doc.status.as_ref().map_or("", |s| s.counts_as.as_str());
    if let Some(current) = &doc.status
        && current.canonical == new.canonical
    {
        writeln!(ctx.err, "{id} is already `{}`", new.canonical)?;
        return Ok(Exit::Success);
    }
    let allowed = Kind::Adr
        .spec()
        .transitions
        .iter()
        .find(|(f, _)| *f == from)
        .map_or(&[][..], |(_, to)| *to);
    if !from.is_empty() && !allowed.contains(&new.counts_as.as_str()) && !args.force {
        let options = if allowed.is_empty() {
            "none".to_string()
        } else {
            allowed.join(", ")
        };
        bail!("{id} is `{from}`; it can become: {options} (--force to change it anyway)");
    }
    let text = status_edit(doc, &new.canonical, &by_id, &by_title, &by_file)?;
    let path = ws.root.join(doc.path());
    edit::write_atomic(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    let was = doc.status.as_ref().map_or("none", |s| s.canonical.as_str());
    writeln!(ctx.out, "{id}: {was} → {}", new.canonical)?;
    Ok(Exit::Success)
}
