//! `cto <kind> new|list|status|report`: one implementation for every kind.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use rayon::prelude::*;
use serde_json::{Map, Value as Json, json};

use super::{Ctx, Exit, UsageError, load_corpus, now, today};
use crate::check::did_you_mean;
use crate::cli::{GraphFormat, LinkArgs, ListArgs, ListFormat, NewArgs, ReportFormat, StatusArgs};
use crate::edit::{self, DirLock};
use crate::model::refs::{format_id, number_of_file_name, parse_ref};
use crate::model::spec::{FieldSpec, FieldType};
use crate::model::{Document, Kind, Quarter, Status, parse_document};
use crate::parse::yaml::Value as YamlValue;
use crate::report::{csv, json as json_out, table};
use crate::slug::slugify;
use crate::source::{Source, Span};
use crate::templates::{self, yaml_list, yaml_scalar};
use crate::workspace::Workspace;

/// What a kind's command asks for, whichever kind's command line it came from.
pub enum Action<'a> {
    New {
        args: &'a NewArgs,
        /// ADRs this one supersedes (ADRs only).
        supersedes: &'a [String],
        force: bool,
        /// The directory to write to, of the kind's (`--dir`).
        dir: Option<&'a str>,
    },
    List(&'a ListArgs),
    Status(&'a StatusArgs),
    Report(ReportFormat),
    Link(&'a LinkArgs),
    Graph(GraphFormat),
    Toc,
    Renumber(&'a str, &'a str),
    Migrate(&'a [PathBuf]),
}

impl<'a> Action<'a> {
    /// `new` for a kind without relations to give.
    pub fn new(args: &'a NewArgs) -> Self {
        Action::New {
            args,
            supersedes: &[],
            force: false,
            dir: None,
        }
    }
}

pub fn run(ctx: &mut Ctx, kind: Kind, action: Action) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    if !matches!(
        action,
        Action::List(_) | Action::Report(_) | Action::Graph(_) | Action::Toc
    ) {
        let dirs = ws.every_dir();
        edit::finish_interrupted(&dirs)?;
    }
    match action {
        Action::New {
            args,
            supersedes,
            force,
            dir,
        } => new(ctx, &ws, kind, args, supersedes, force, dir),
        Action::List(args) => list(ctx, &ws, kind, args, &|_| true),
        Action::Status(args) => status(ctx, &ws, kind, args),
        Action::Report(format) => super::report::kind_report(ctx, &ws, kind, format),
        Action::Link(args) => super::link::run(ctx, &ws, args),
        Action::Graph(format) => super::report::graph(ctx, &ws, kind, format),
        Action::Toc => super::report::toc(ctx, &ws, kind),
        Action::Renumber(from, to) => super::renumber::run(ctx, &ws, from, to),
        Action::Migrate(paths) => super::migrate::run(ctx, &ws, paths),
    }
}

fn unknown_status(kind: Kind, word: &str, suggestion: Option<String>) -> UsageError {
    let hint = suggestion.map_or(String::new(), |s| format!("; did you mean `{s}`?"));
    UsageError(format!(
        "unknown {} status `{word}`{hint}",
        kind.spec().label
    ))
}

fn new(
    ctx: &mut Ctx,
    ws: &Workspace,
    kind: Kind,
    args: &NewArgs,
    supersedes: &[String],
    force: bool,
    dir: Option<&str>,
) -> anyhow::Result<Exit> {
    let dirs = ws.dirs(kind);
    let dir = match dir {
        Some(d) => {
            let want = crate::workspace::resolve_dir(&ws.root, d).map_err(UsageError)?;
            match dirs.iter().find(|c| **c == want) {
                Some(c) => Some(c.to_string()),
                None => {
                    return Err(UsageError(format!(
                        "--dir {}: not one of the {} directories of cto.yaml ({})",
                        crate::report::escape::visible(d),
                        kind.spec().label,
                        dirs.join(", ")
                    ))
                    .into());
                }
            }
        }
        None => {
            if dirs.len() > 1 && !ctx.quiet {
                writeln!(
                    ctx.err,
                    "writing to {}, the first of {} {} directories (`--dir` picks another: {})",
                    dirs[0],
                    dirs.len(),
                    kind.spec().label,
                    dirs[1..].join(", ")
                )?;
            }
            None
        }
    };
    let vocab = ws.config.vocabulary(kind);
    let word = args.status.as_deref().unwrap_or(kind.spec().initial_status);
    let initial = vocab
        .parse(word, Span::default())
        .map_err(|e| unknown_status(kind, word, e.suggestion))?;
    let mut ids: Vec<String> = Vec::new();
    for n in supersedes {
        let id = parse_ref(n, Kind::Adr)
            .filter(|id| id.starts_with("ADR-"))
            .ok_or_else(|| {
                UsageError(format!(
                    "`{n}` is not an ADR number or id (try `2` or `ADR-0002`)"
                ))
            })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let fields = parse_fields(kind, &args.fields)?;
    let (path, superseded) = create(
        ws,
        kind,
        &args.title,
        &initial.canonical,
        &ids,
        force,
        &fields,
        false,
        dir.as_deref(),
    )?;
    writeln!(ctx.out, "{}", ctx.display_path(&path))?;
    if !ctx.quiet {
        for (old, status) in &superseded {
            writeln!(ctx.err, "{old}: status is now `{status}`")?;
        }
    }
    if args.edit {
        open_editor(&path)?;
    }
    Ok(Exit::Success)
}

/// `key=value` pairs, each key a field of the kind (`parent.child` for nested ones),
/// each value written as YAML of the field's type: a text field always reads back as
/// the text given (`12e3` stays `12e3`), a number or date must be one.
fn parse_fields(kind: Kind, raw: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for item in raw {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| UsageError(format!("--field takes KEY=VALUE, not `{item}`")))?;
        let key = key.trim();
        if matches!(key, "status" | "title") {
            return Err(UsageError(format!(
                "set the {key} with the {} argument, not --field",
                if key == "title" { "TITLE" } else { "--status" }
            ))
            .into());
        }
        let ty = field_type(kind.spec().fields, key, "")?;
        out.push((key.to_string(), yaml_value(key, ty, value.trim())?));
    }
    Ok(out)
}

fn field_type(fields: &[FieldSpec], key: &str, prefix: &str) -> anyhow::Result<FieldType> {
    let (head, rest) = key
        .split_once('.')
        .map_or((key, None), |(h, r)| (h, Some(r)));
    let Some(spec) = fields.iter().find(|f| f.name == head) else {
        let hint = did_you_mean(head, fields.iter().map(|f| f.name))
            .map_or(String::new(), |s| format!("; did you mean `{prefix}{s}`?"));
        return Err(UsageError(format!("unknown field `{prefix}{head}`{hint}")).into());
    };
    match (rest, spec.ty) {
        (None, ty) => Ok(ty),
        (Some(r), FieldType::Map(children)) => field_type(children, r, &format!("{prefix}{head}.")),
        (Some(_), _) => {
            Err(UsageError(format!("`{prefix}{head}` has no fields of its own")).into())
        }
    }
}

/// A command-line value as the YAML of its field's type.
fn yaml_value(key: &str, ty: FieldType, v: &str) -> anyhow::Result<String> {
    let wrong = |what: &str| UsageError(format!("--field {key}: `{v}` is not {what}"));
    // `[a, "b, c", 'it''s']`: read as YAML, so quotes and escapes mean what they mean.
    let list = || -> anyhow::Result<String> {
        use crate::parse::yaml::{self, Value};
        let source = format!("v: {v}\n");
        let node = yaml::parse(&source)
            .ok()
            .flatten()
            .and_then(|n| n.get("v").cloned());
        let Some(Value::Seq(items)) = node.map(|n| n.value) else {
            return Err(wrong("a list such as [a, b]").into());
        };
        // Each item as the text given: `12e3` stays `12e3`, `"b, c"` is `b, c`.
        let items: Vec<String> = items
            .iter()
            .map(|n| match &n.value {
                Value::Map(_) | Value::Seq(_) => Err(wrong("a list of plain values")),
                Value::Str(_) => n
                    .scalar_text()
                    .ok_or_else(|| wrong("a list of plain values")),
                _ => source
                    .get(n.span.range())
                    .map(|t| t.trim().to_string())
                    .ok_or_else(|| wrong("a list of plain values")),
            })
            .collect::<Result<_, _>>()?;
        Ok(yaml_list(&items))
    };
    Ok(match ty {
        FieldType::Int { .. } => v
            .parse::<i64>()
            .map_err(|_| wrong("a whole number"))?
            .to_string(),
        FieldType::Number => {
            let ok = !v.is_empty()
                && v.chars().all(|c| c.is_ascii_digit() || c == '.')
                && v.parse::<f64>().is_ok_and(f64::is_finite);
            if !ok {
                return Err(wrong("a number such as 99.9").into());
            }
            v.to_string()
        }
        FieldType::Date => {
            crate::model::parse_date(v).map_err(|_| wrong("a date (YYYY-MM-DD)"))?;
            v.to_string()
        }
        FieldType::Bool => match v {
            "true" | "false" => v.to_string(),
            _ => return Err(wrong("true or false").into()),
        },
        FieldType::List | FieldType::Refs | FieldType::Names if v.starts_with('[') => list()?,
        FieldType::Map(_) => {
            return Err(
                UsageError(format!("--field {key}: set its fields, `{key}.NAME=VALUE`")).into(),
            );
        }
        _ => {
            if v.is_empty() {
                return Err(wrong("a value (it is empty)").into());
            }
            yaml_scalar(v)
        }
    })
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

fn next_quarter(date: jiff::civil::Date) -> Quarter {
    let q = Quarter::of(date);
    if q.q == 4 {
        Quarter {
            year: q.year + 1,
            q: 1,
        }
    } else {
        Quarter {
            year: q.year,
            q: q.q + 1,
        }
    }
}

/// Writes a new document with the next free number and returns its path, and the path
/// and new status of each record it supersedes. With
/// `supersedes` (ADRs), each old record's status is updated too: every file is checked
/// before any is written, and an ADR another one supersedes already is refused unless
/// `force`.
#[allow(clippy::too_many_arguments)]
pub fn create(
    ws: &Workspace,
    kind: Kind,
    title: &str,
    status: &str,
    supersedes: &[String],
    force: bool,
    fields: &[(String, String)],
    first: bool,
    in_dir: Option<&str>,
) -> anyhow::Result<(PathBuf, Vec<(String, String)>)> {
    let title = clean_title(title);
    if title.is_empty() {
        return Err(UsageError("the title is empty".into()).into());
    }
    let dir = in_dir.map_or_else(|| ws.abs_dir(kind), |d| ws.root.join(d));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let corpus = (!supersedes.is_empty()).then(|| load_corpus(ws, &[]));
    let mut olds: Vec<&Document> = Vec::new();
    if let Some((corpus, unread)) = &corpus {
        for id in supersedes {
            olds.push(super::link::find(corpus, unread, ws, id)?);
        }
    }
    let template = if first {
        templates::ADR_FIRST.to_string()
    } else {
        templates::template(kind, &ws.root, &ws.config.adr_template)?
    };
    let user = crate::git::user_name(&ws.root);
    let today = today();
    let review_next = today
        .checked_add(jiff::Span::new().days(ws.config.review_every_days))
        .unwrap_or(today);
    let item_type = fields
        .iter()
        .find(|(k, _)| k == "type")
        .map_or("feature".to_string(), |(_, v)| {
            v.trim_matches('"').to_string()
        });

    if let Some(service) = fields.iter().find(|(k, _)| k == "service").map(|(_, v)| v) {
        let name = service.trim_matches('"');
        if !crate::slug::is_label(name) {
            return Err(UsageError(format!(
                "--field service: `{}` is not a service name (letters, digits, `-`, `_` and `.`; it goes into the SLI queries)",
                crate::report::escape::visible(name)
            ))
            .into());
        }
    }
    // The directory of the new document and of the one it supersedes, locked while the
    // number is chosen and both are written.
    let mut lock_dirs = vec![dir.clone()];
    for doc in &olds {
        if let Some(parent) = ws.root.join(doc.path()).parent() {
            lock_dirs.push(parent.to_path_buf());
        }
    }
    let _locks = DirLock::all(&lock_dirs, edit::LOCK_TIMEOUT)?;
    // Numbered kinds take the next number; an SLO is named by its RFC 1123 name.
    let (number, file_name, id) = match kind.spec().id_prefix {
        Some(_) => {
            let number = next_number(&dir)?;
            let file_name = format!("{number:04}-{}.md", slugify(&title));
            (number, file_name, format_id(kind, number))
        }
        None => {
            let name = crate::slug::label(&title).ok_or_else(|| {
                UsageError("an SLO's name comes from its title: use ASCII letters or digits".into())
            })?;
            (0, format!("{name}.md"), name)
        }
    };
    let path = dir.join(&file_name);
    // The slug cannot hold a separator; this guards the promise all the same.
    if path.parent() != Some(dir.as_path()) {
        bail!("refusing to write outside {}", dir.display());
    }
    let field = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.trim_matches('"').to_string())
    };
    let mut text = templates::render(
        &template,
        minijinja::context! {
            title => title,
            status => status,
            date => today.to_string(),
            now => now(),
            number => number,
            id => id,
            owner => user.as_deref().map(yaml_scalar).unwrap_or_default(),
            decision_makers => yaml_list(&user.iter().cloned().collect::<Vec<_>>()),
            supersedes => match supersedes {
                [] => None,
                [one] => Some(one.clone()),
                many => Some(format!("[{}]", many.join(", "))),
            },
            review_next => review_next.to_string(),
            quarter => next_quarter(today).to_string(),
            type => item_type,
            name => id,
            service => field("service").map(|s| yaml_scalar(&s)).unwrap_or_default(),
            service_label => field("service").unwrap_or_else(|| "SERVICE".into()).replace(['"', '\\'], ""),
        },
    )?;
    let rel = ws.rel_path(&path);
    for (key, value) in fields {
        text =
            set_field(&text, key, value).map_err(|e| UsageError(format!("--field {key}: {e}")))?;
    }
    let doc = parse_document(kind, Source::new(rel, text.clone()), &ws.config.documents);
    let problems: Vec<String> = doc
        .diagnostics
        .iter()
        // Wrong values are refused; fields left empty are for the author to fill in
        // (lint says so).
        .filter(|d| {
            d.severity == crate::check::Severity::Error
                && d.rule.code.starts_with("CTO1")
                && d.rule.code != "CTO105"
        })
        .map(|d| d.message.clone())
        .collect();
    if !problems.is_empty() {
        return Err(UsageError(format!(
            "the new document would not be valid: {}",
            problems.join("; ")
        ))
        .into());
    }
    // Each superseded ADR: its status, and the new ADR's `supersedes` (which the
    // template writes; a team's own template may not, and then it is added here).
    let mut plan = edit::Plan::new();
    let mut doc = doc;
    let mut others = Vec::new();
    for old in &olds {
        for c in super::link::relate(ws, &doc, crate::cli::Relation::Supersedes, old, force)? {
            if c.rel == doc.path() {
                doc = parse_document(kind, Source::new(doc.path(), c.new), &ws.config.documents);
            } else {
                others.push(c);
            }
        }
    }
    plan.create(path.clone(), doc.source.text.clone());
    let superseded = others
        .iter()
        .map(|c| (c.rel.clone(), format!("superseded by {id}")))
        .collect();
    for c in others {
        plan.replace(c.path, c.old, c.new);
    }
    plan.commit().map_err(|e| match e {
        edit::WriteError::Exists(_) | edit::WriteError::Changed(_) => {
            anyhow!(UsageError(e.to_string()))
        }
        e => anyhow!(e),
    })?;
    Ok((path, superseded))
}

/// Sets one front matter field of a text by a verified minimal edit.
fn set_field(text: &str, key: &str, value: &str) -> anyhow::Result<String> {
    Ok(edit::set_field(text, key, value)?)
}

/// One more than the highest number in the directory.
fn next_number(dir: &Path) -> anyhow::Result<u32> {
    // Subdirectories too (an `archive/`): the corpus reads them, so their numbers count.
    let mut max = 0;
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .max_depth(8)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if let Some(n) = number_of_file_name(&entry.file_name().to_string_lossy()) {
            max = max.max(n);
        }
    }
    // A log of date-based numbers (`20210114-x.md`) continues with today's date.
    if max >= crate::model::refs::DATE_LIKE {
        let today = today();
        let date = u32::try_from(today.year()).unwrap_or(0) * 10_000
            + u32::from(today.month().unsigned_abs()) * 100
            + u32::from(today.day().unsigned_abs());
        return Ok(date.max(max));
    }
    max.checked_add(1)
        .ok_or_else(|| anyhow!("no number is left"))
}

/// Whether the front matter has no value for `key` (absent, `~` or empty).
fn unset(doc: &Document, key: &str) -> bool {
    doc.field(key)
        .is_none_or(|n| matches!(n.value, crate::parse::yaml::Value::Null))
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

/// A document's row: common keys, then the kind's own (see README "JSON output").
pub fn row(doc: &Document, ws: &Workspace) -> Map<String, Json> {
    crate::model::kinds::row(doc, &ws.config.documents)
}

/// `list`: the documents of a kind with the status and owner asked for, and that `keep`
/// keeps (a kind's own filters).
pub fn list(
    ctx: &mut Ctx,
    ws: &Workspace,
    kind: Kind,
    args: &ListArgs,
    keep: &(dyn Fn(&Document) -> bool + Sync),
) -> anyhow::Result<Exit> {
    let wanted = match &args.status {
        Some(s) => Some(
            ws.config
                .vocabulary(kind)
                .parse(s, Span::default())
                .map_err(|e| unknown_status(kind, s, e.suggestion))?,
        ),
        None => None,
    };
    let status_ok = |st: &Option<Status>| match (&wanted, st) {
        (None, _) => true,
        (Some(w), Some(s)) => w.value == s.value || w.value == s.counts_as,
        (Some(_), None) => false,
    };
    let owner_ok = |d: &Document| match &args.owner {
        None => true,
        Some(o) => d
            .owner()
            .is_some_and(|own| own.eq_ignore_ascii_case(o.trim())),
    };
    let shown = |d: &Document| status_ok(&d.status) && owner_ok(d) && keep(d);
    let settings = &ws.config.documents;
    let json = args.format == ListFormat::Json;
    // A document's row, made where it is read (the document is let go there).
    let row_of = |d: &Document| {
        if json {
            Listed::Json(row(d, ws))
        } else {
            Listed::Cells(crate::model::kinds::cells(d, settings))
        }
    };
    // Each row with its document's path, in the order of `Corpus::sorted`.
    let listed: Vec<(String, Listed)> = match ctx.held(ws) {
        Some(store) => store
            .corpus()
            .sorted(kind)
            .into_iter()
            .filter(|d| shown(d))
            .map(|d| (d.path().to_string(), row_of(d)))
            .collect(),
        None => {
            // A row reads its own document only, as deep as the row needs: the other
            // kinds are not read, and the checks do not run.
            let (files, _) = ws.document_files();
            let mut rows: Vec<(ListOrder, Listed)> = files
                .par_iter()
                .filter(|f| f.kind == kind)
                .filter_map(|f| {
                    let d = crate::model::load_row(f, settings);
                    shown(&d).then(|| {
                        let key = (d.number.unwrap_or(u32::MAX), d.id.clone(), f.rel.clone());
                        (key, row_of(&d))
                    })
                })
                .collect();
            rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            rows.into_iter()
                .map(|((_, _, path), r)| (path, r))
                .collect()
        }
    };
    match args.format {
        ListFormat::Json => {
            let paths: Vec<&str> = listed.iter().map(|(p, _)| p.as_str()).collect();
            let history = super::changes::last_changes_of(ctx, ws, &paths)?;
            let rows: Vec<Json> = listed
                .into_iter()
                .filter_map(|(path, r)| {
                    let Listed::Json(mut r) = r else { return None };
                    let change = history.get(&path);
                    r.insert(
                        "last_changed".into(),
                        json!(change.map(|c| c.date.to_string())),
                    );
                    r.insert(
                        "last_author".into(),
                        json!(change.map(|c| c.author.clone())),
                    );
                    Some(Json::Object(r))
                })
                .collect();
            json_out::write_value(ctx.out, &rows)?;
        }
        ListFormat::Table | ListFormat::Csv => {
            let rows: Vec<Vec<String>> = listed
                .into_iter()
                .filter_map(|(_, r)| match r {
                    Listed::Cells(c) => Some(c),
                    Listed::Json(_) => None,
                })
                .collect();
            if args.format == ListFormat::Csv {
                csv::render(ctx.out, kind.spec().columns, &rows)?;
            } else {
                table::render(ctx.out, kind.spec().columns, &rows)?;
            }
        }
    }
    Ok(Exit::Success)
}

/// Where a row stands in a list: `Corpus::sorted`'s order (number, id, path).
type ListOrder = (u32, Option<String>, String);

/// A listed document's row, as its format shows it.
enum Listed {
    Cells(Vec<String>),
    Json(Map<String, Json>),
}

fn status(ctx: &mut Ctx, ws: &Workspace, kind: Kind, args: &StatusArgs) -> anyhow::Result<Exit> {
    let label = kind.spec().label;
    let id = parse_ref(&args.id, kind)
        .filter(|id| kind.spec().id_prefix.is_none_or(|p| id.starts_with(p)))
        .ok_or_else(|| UsageError(format!("`{}` is not a {label} number or id", args.id)))?;
    let (corpus, unread) = load_corpus(ws, &[]);
    let doc = super::link::find_editable(&corpus, &unread, ws, kind, &id)?;
    let vocab = ws.config.vocabulary(kind);
    let new = vocab
        .parse(&args.status, Span::default())
        .map_err(|e| unknown_status(kind, &args.status, e.suggestion))?;
    if kind == Kind::Adr && new.value == "superseded" && new.superseded_by.is_none() {
        return Err(UsageError(
            "say which ADR supersedes it: `superseded by ADR-NNNN` (or use `cto adr new --supersedes`)".into(),
        )
        .into());
    }
    if let Some(current) = &doc.status
        && current.canonical == new.canonical
    {
        writeln!(ctx.err, "{id} is already `{}`", new.canonical)?;
        return Ok(Exit::Success);
    }
    // The status as found: one cto knows, one it does not (named, and a change from it
    // needs --force), or none.
    let written = doc
        .field("status")
        .and_then(|n| n.scalar_text())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let from = doc.status.as_ref().map_or("", |s| s.counts_as.as_str());
    // A list or a mapping where one status belongs: what it means is the author's to say.
    // A template's placeholder (`{ proposed | accepted }`, `[accepted]`) is replaced.
    let structure = |v: &YamlValue| match v {
        YamlValue::Seq(items) => items.len() > 1,
        YamlValue::Map(entries) => entries
            .iter()
            .any(|(_, v)| !matches!(v.value, YamlValue::Null)),
        _ => false,
    };
    if let Some((key, node)) = doc.meta.as_ref().and_then(|m| m.entry("status"))
        && structure(&node.value)
        && !args.force
    {
        return Err(UsageError(format!(
            "{}: {id}'s status is a {}, not one status; write one by hand, or replace it with --force",
            super::link::location(doc, key.span.start),
            if matches!(node.value, YamlValue::Seq(_)) { "list" } else { "mapping" }
        ))
        .into());
    }
    if doc.status.is_none()
        && let Some(written) = &written
        && !args.force
    {
        return Err(UsageError(format!(
            "{id}'s status `{}` is not one cto knows; declare it in cto.yaml (`{}: {{ statuses: {{ {}: accepted }} }}`) or change it with --force",
            crate::report::escape::visible(written),
            kind.name(),
            crate::slug::slugify(written)
        ))
        .into());
    }
    let allowed = kind
        .spec()
        .transitions
        .iter()
        .find(|(f, _)| *f == from)
        .map_or(&[][..], |(_, to)| *to);
    // Superseded by another ADR: `relate` names the one that supersedes it now.
    let resupersede = from == "superseded" && new.superseded_by.is_some();
    if !from.is_empty() && !allowed.contains(&new.counts_as.as_str()) && !args.force && !resupersede
    {
        let options = if allowed.is_empty() {
            "none".to_string()
        } else {
            allowed.join(", ")
        };
        bail!("{id} is `{from}`; it can become: {options} (--force to change it anyway)");
    }
    let was = match (&doc.status, &written) {
        (Some(s), _) => s.canonical.clone(),
        (None, Some(w)) => crate::report::escape::visible(w).into_owned(),
        (None, None) => "none".to_string(),
    };
    // `superseded by ADR-M`: both records, in one checked edit.
    if let Some(r) = &new.superseded_by {
        let newer = super::link::find(&corpus, &unread, ws, &r.id)?;
        let changes =
            super::link::relate(ws, newer, crate::cli::Relation::Supersedes, doc, args.force)?;
        super::link::commit(&changes)?;
        writeln!(ctx.out, "{id}: {was} → {}", new.canonical)?;
        if !ctx.quiet {
            for c in changes.iter().filter(|c| c.rel != doc.path()) {
                writeln!(ctx.err, "{}: now lists {id} in `supersedes`", c.rel)?;
            }
        }
        return Ok(Exit::Success);
    }
    let mut text = super::link::status_edit(doc, &new.canonical, "", "", "", &ws.config)?;
    // Record the date a risk closes or an item ships, if the file does not say.
    // Only where the file says nothing: a value it has, date or not, is the author's.
    let dated = kind
        .spec()
        .dated_statuses
        .iter()
        .find(|(status, field)| *status == new.counts_as && unset(doc, field))
        .map(|(_, field)| *field);
    if let Some(field) = dated {
        // A timestamp field records the time too (an incident's `resolved`).
        let timed = field_type(kind.spec().fields, field, "").ok() == Some(FieldType::Timestamp);
        let value = if timed { now() } else { today().to_string() };
        text = set_field(&text, field, &value)?;
    }
    let path = ws.root.join(doc.path());
    let mut plan = edit::Plan::new();
    plan.replace(path.clone(), doc.source.text.clone(), text);
    let _locks = DirLock::all(&plan.dirs(), edit::LOCK_TIMEOUT)?;
    plan.commit()?;
    writeln!(ctx.out, "{id}: {was} → {}", new.canonical)?;
    Ok(Exit::Success)
}
