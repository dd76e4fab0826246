//! `cto adr migrate`: adr-tools and MADR 2 records get MADR 4 front matter. Only the
//! metadata moves (the `Date:` line, the `## Status` section, the `- Status:` bullets);
//! every other byte of the record stays as it was.

use std::path::PathBuf;

use anyhow::Context as _;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::edit;
use crate::model::adr::{StatusPart, is_bare_status, status_section};
use crate::model::refs::{markdown_link, parse_ref};
use crate::model::status::normalize;
use crate::model::{Corpus, Document, DocumentFile, Format, Kind, parse_date, parse_document};
use crate::report::yaml::front_matter;
use crate::source::Span;
use crate::workspace::Workspace;

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

/// Where the body starts: after the front matter's closing fence, if there is one.
fn body_start(doc: &Document) -> usize {
    doc.front_matter
        .as_ref()
        .and_then(|f| f.close)
        .map_or(0, |c| c.end)
}

/// What to cut out of a record: the metadata lines and status paragraphs that move into
/// the front matter, each with the blank line that followed it (so the prose keeps its
/// own spacing). Keys already in a front matter, comments, dated notes and prose stay;
/// a `## Status` section goes only when nothing but moved metadata is left in it.
pub fn metadata_spans(doc: &Document) -> Vec<Span> {
    let text = &doc.source.text;
    let from = body_start(doc);
    let mut spans = Vec::new();
    let meta = doc.meta.as_ref();
    let mut cut_lines = |start: usize, end: usize| {
        let mut s = Span::new(whole_line(text, start).start, whole_line(text, end).end);
        if is_blank_line(text, s.end) {
            s = Span::new(s.start, whole_line(text, s.end).end);
        }
        spans.push(s);
    };
    match doc.format {
        Format::AdrTools => {
            if let Some(date) = meta.and_then(|m| m.entry("date"))
                && date.0.span.start >= from
            {
                cut_lines(date.0.span.start, date.0.span.start);
            }
        }
        Format::Bullets => {
            for (k, _) in meta.map(|m| m.entries()).unwrap_or_default() {
                if k.span.start >= from {
                    cut_lines(k.span.start, k.span.start);
                }
            }
        }
        _ => {}
    }
    if doc.format == Format::AdrTools
        && let Some(s) = crate::model::adr::status_heading(&doc.body)
    {
        let parts = status_section(&doc.source, s.content);
        let moves = |(para, part): &(Span, StatusPart)| match part {
            StatusPart::Status => is_bare_status(doc.source.slice(*para)),
            StatusPart::Supersedes | StatusPart::Amends | StatusPart::AmendedBy => true,
            // `Clarified by [9. Help](…)` names a relation front matter has no key for.
            StatusPart::Link | StatusPart::Other => false,
        };
        if parts.iter().all(moves) {
            spans.push(Span::new(s.heading.span.start, s.content.end));
        } else {
            for (para, _) in parts.iter().filter(|p| moves(p)) {
                cut_lines(para.start, para.end.saturating_sub(1).max(para.start));
            }
        }
    }
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
}

/// Why a record's metadata cannot be moved without losing something, if it cannot:
/// a metadata bullet that carries a comment or runs on to a second line.
fn unmovable(doc: &Document) -> Option<String> {
    if doc.format != Format::Bullets {
        return None;
    }
    let text = &doc.source.text;
    let from = body_start(doc);
    for (k, _) in doc.meta.as_ref().map(|m| m.entries()).unwrap_or_default() {
        if k.span.start < from {
            continue;
        }
        let line = whole_line(text, k.span.start);
        let next = whole_line(text, line.end.min(text.len()));
        let next_text = &text[next.range()];
        if text[line.range()].contains("<!--") {
            return Some(format!("`{}` carries a comment", text[line.range()].trim()));
        }
        if line.end < text.len()
            && next_text.starts_with([' ', '\t'])
            && !next_text.trim().is_empty()
        {
            return Some(format!(
                "`{}` runs on to a second line",
                text[line.range()].trim()
            ));
        }
    }
    None
}

/// The MADR 4 front matter a record gets, in MADR's key order; what is empty is left out.
#[derive(Debug, Default, serde::Serialize)]
struct MadrFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(rename = "decision-makers", skip_serializing_if = "Vec::is_empty")]
    decision_makers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    consulted: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    informed: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    supersedes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    amends: Vec<String>,
    #[serde(rename = "amended-by", skip_serializing_if = "Vec::is_empty")]
    amended_by: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<String>,
}

impl MadrFields {
    /// Leaves out each key the record's front matter has already (it is kept as it is).
    fn without(mut self, existing: &[String], notes: &mut Vec<String>) -> MadrFields {
        let mut kept = |key: &str, present: bool| {
            let kept = present && existing.iter().any(|k| k == key);
            if kept {
                notes.push(format!(
                    "`{key}` is in the front matter already; kept as it is"
                ));
            }
            kept
        };
        if kept("status", self.status.is_some()) {
            self.status = None;
        }
        if kept("date", self.date.is_some()) {
            self.date = None;
        }
        for (key, list) in [
            ("decision-makers", &mut self.decision_makers),
            ("consulted", &mut self.consulted),
            ("informed", &mut self.informed),
            ("tags", &mut self.tags),
            ("supersedes", &mut self.supersedes),
            ("amends", &mut self.amends),
            ("amended-by", &mut self.amended_by),
            ("links", &mut self.links),
        ] {
            if kept(key, !list.is_empty()) {
                list.clear();
            }
        }
        self
    }
}

/// The items of a list field of `doc` as written (one string is a list of one).
fn items(doc: &Document, field: &str) -> Vec<String> {
    use crate::parse::yaml::Value;
    match doc.field(field).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(|n| n.scalar_text()).collect(),
        Some(Value::Str(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The ADR ids a relation list of `doc` names (`amends`, `amended-by`), from its front
/// matter or from its adr-tools lines (`Amends [5. Help](0005-help.md)`).
fn related(doc: &Document, field: &str) -> Vec<String> {
    let mut ids: Vec<String> = items(doc, field)
        .iter()
        .filter_map(|s| parse_ref(s, Kind::Adr))
        .collect();
    ids.dedup();
    ids
}

/// Whether `doc`'s list `field` names `other` unmistakably: by its id in front matter,
/// or by a link to its very file (`[9. Help](0009-help.md)`; a link to `0009-old.md`
/// names a record that is not there, not whichever record has number 9 now).
fn names(doc: &Document, field: &str, other: &Document) -> bool {
    let (Some(id), file) = (
        other.id.as_deref(),
        other.path().rsplit('/').next().unwrap_or_default(),
    ) else {
        return false;
    };
    items(doc, field)
        .iter()
        .any(|item| match markdown_link(item) {
            Some((_, target)) => target.trim_start_matches("./") == file,
            None => parse_ref(item, Kind::Adr).as_deref() == Some(id),
        })
}

/// The other side of each `amends` relation: `(field, id)` pairs that `doc` does not say
/// itself but another record says of it (B `amends` A gives A `amended-by` B).
fn other_sides(corpus: &Corpus, doc: &Document) -> Vec<(&'static str, String)> {
    if doc.id.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for other in corpus.of_kind(Kind::Adr).filter(|o| o.path() != doc.path()) {
        let Some(other_id) = &other.id else { continue };
        for (theirs, ours) in [("amends", "amended-by"), ("amended-by", "amends")] {
            if names(other, theirs, doc) && !related(doc, ours).contains(other_id) {
                out.push((ours, other_id.clone()));
            }
        }
    }
    out
}

/// Keys the record's own front matter already has.
fn front_matter_keys(doc: &Document) -> Vec<String> {
    let from = body_start(doc);
    doc.meta
        .as_ref()
        .map(|m| m.entries())
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| k.span.start < from)
        .filter_map(|(k, _)| k.scalar_text())
        .collect()
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
    let (mut migrated, mut unwritten) = (0, 0);
    // Records with front matter this run has changed already (their other side of an
    // `amends`), by path, with their new text.
    let mut others: std::collections::BTreeMap<String, String> = Default::default();
    for doc in docs {
        if !matches!(doc.format, Format::AdrTools | Format::Bullets) {
            continue;
        }
        if let Some(why) = unmovable(doc) {
            writeln!(
                ctx.err,
                "{}: not migrated: {}; move it by hand",
                doc.path(),
                crate::report::escape::visible(&why)
            )?;
            continue;
        }
        let mut notes = Vec::new();
        let mut fields = MadrFields::default();
        match &doc.status {
            Some(s) => fields.status = Some(s.canonical.clone()),
            None => {
                if let Some(raw) = doc.field("status").and_then(|n| n.scalar_text()) {
                    let word = normalize(&raw);
                    match crate::model::AdrStatus::class_of(&word) {
                        Some(to) => {
                            notes.push(format!("status `{}` written as `{to}`", raw.trim()));
                            fields.status = Some(to.to_string());
                        }
                        None => {
                            notes.push(format!("status `{}` kept as written (declare it in cto.yaml, or correct it)", raw.trim()));
                            fields.status = Some(raw.trim().to_string());
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
            fields.date = Some(date);
        } else {
            notes.push("no date in the record".into());
        }
        if let Some(a) = doc.adr() {
            fields.decision_makers = a.decision_makers.clone();
            fields.consulted = a.consulted.clone();
            fields.informed = a.informed.clone();
            fields.tags = a.tags.clone();
            fields.supersedes = a.supersedes.iter().map(|r| r.id.clone()).collect();
        }
        fields.links = doc.links.iter().map(|r| r.id.clone()).collect();
        // `Amends`/`Amended by` become the typed relation, on both records: what another
        // record says of this one is written here too.
        fields.amends = related(doc, "amends");
        fields.amended_by = related(doc, "amended-by");
        for (field, other) in other_sides(&corpus, doc) {
            let (list, says) = if field == "amends" {
                (&mut fields.amends, "is amended by")
            } else {
                (&mut fields.amended_by, "amends")
            };
            if !list.contains(&other) {
                notes.push(format!(
                    "`{field}: [{other}]` added: {other} says it {says} this record"
                ));
                list.push(other);
            }
        }
        let fields = MadrFields {
            links: fields
                .links
                .iter()
                .filter(|l| !fields.amends.contains(l) && !fields.amended_by.contains(l))
                .cloned()
                .collect(),
            ..fields
        };
        let fields = fields.without(&front_matter_keys(doc), &mut notes);
        let text = &doc.source.text;
        let eol = edit::line_ending(text);
        let yaml = front_matter(&fields)
            .context("writing the front matter")?
            .replace('\n', eol);
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
        if let Err(why) = verify(doc, &new_text, ws) {
            writeln!(
                ctx.err,
                "{}: not migrated: {why}; the file is left as it was",
                doc.path()
            )?;
            continue;
        }
        let file = ws.root.join(doc.path());
        let mut plan = edit::Plan::new();
        plan.replace(file.clone(), text.clone(), new_text);
        // A record that has front matter already gets its side of each `amends` in the
        // same all-or-nothing write.
        let mut written_back = Vec::new();
        for (field, ids) in [
            ("amended-by", &fields.amends),
            ("amends", &fields.amended_by),
        ] {
            for other in ids.iter().filter_map(|id| corpus.get(id)) {
                let Some(id) = doc.id.as_ref() else { continue };
                let ours = if field == "amended-by" {
                    "amends"
                } else {
                    "amended-by"
                };
                if other.format != Format::FrontMatter
                    || related(other, field).contains(id)
                    || !names(doc, ours, other)
                {
                    continue;
                }
                let current = others
                    .get(other.path())
                    .cloned()
                    .unwrap_or_else(|| other.source.text.clone());
                match edit::add_to_list(&current, field, id) {
                    Ok(new) => {
                        plan.replace(ws.root.join(other.path()), current, new.clone());
                        written_back.push((other.path().to_string(), new, field));
                    }
                    Err(e) => notes.push(format!(
                        "{} does not list it in `{field}`, and cannot be changed ({e}); add it by hand",
                        other.path()
                    )),
                }
            }
        }
        let _locks = edit::DirLock::all(&plan.dirs(), edit::LOCK_TIMEOUT)?;
        // A file that cannot be written (a link, read-only, changed meanwhile) is said
        // and left; the other records are migrated.
        if let Err(e) = plan.commit() {
            writeln!(
                ctx.err,
                "{}: not migrated: {}",
                doc.path(),
                crate::report::escape::visible(&e.to_string())
            )?;
            unwritten += 1;
            continue;
        }
        writeln!(ctx.out, "{}", ctx.display_path(&file))?;
        for n in notes {
            writeln!(ctx.err, "  {}: {n}", doc.path())?;
        }
        for (path, new, field) in written_back {
            let id = doc.id.as_deref().unwrap_or_default();
            writeln!(ctx.err, "  {path}: now lists {id} in `{field}`")?;
            others.insert(path, new);
        }
        migrated += 1;
    }
    if unwritten > 0 {
        // Like `slo import` with specs it could not import: the run did not do it all.
        return Ok(Exit::Failure);
    }
    if migrated == 0 && !ctx.quiet {
        writeln!(
            ctx.err,
            "nothing to migrate: every ADR already has front matter"
        )?;
    }
    Ok(Exit::Success)
}

/// The migrated text reads as the record did: its front matter parses, its own keys
/// and comments are there as they were, its status and date read the same.
fn verify(doc: &Document, new_text: &str, ws: &Workspace) -> Result<(), String> {
    let old_yaml = doc
        .front_matter
        .as_ref()
        .filter(|f| f.close.is_some())
        .map(|f| doc.source.slice(f.yaml));
    let after = crate::parse::frontmatter::split(new_text)
        .front_matter
        .ok_or("the new front matter is not closed")?;
    if let Some(old) = old_yaml
        && !new_text[after.yaml.range()].starts_with(old)
    {
        return Err("the front matter it had would change".into());
    }
    let migrated = parse_document(
        Kind::Adr,
        crate::source::Source::new(doc.path(), new_text.to_string()),
        &ws.config.documents,
    );
    if let Some(d) = migrated
        .diagnostics
        .iter()
        .find(|d| matches!(d.rule.code, "CTO101" | "CTO103"))
    {
        return Err(format!("the result would not parse: {}", d.message));
    }
    let status = |d: &Document| d.status.as_ref().map(|s| s.counts_as.clone());
    if status(doc).is_some() && status(doc) != status(&migrated) {
        return Err("its status would read otherwise".into());
    }
    let date = |d: &Document| d.adr().and_then(|a| a.date);
    if date(doc).is_some() && date(doc) != date(&migrated) {
        return Err("its date would read otherwise".into());
    }
    for field in ["amends", "amended-by"] {
        if related(doc, field)
            .iter()
            .any(|id| !related(&migrated, field).contains(id))
        {
            return Err(format!("its `{field}` would read otherwise"));
        }
    }
    Ok(())
}
