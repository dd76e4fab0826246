//! `cto adr link A REL B`: a relation between two ADRs, written on both sides in one
//! checked edit (`new --supersedes` and `status "superseded by …"` use it too).

use std::path::PathBuf;

use anyhow::bail;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::cli::{LinkArgs, Relation};
use crate::diagnostic::{Diagnostic, Severity};
use crate::edit::{self, DirLock};
use crate::model::refs::{format_id, number_of_file_name, parse_ref};
use crate::model::{Corpus, Document, Format, Kind, parse_document};
use crate::parse::scalar::{requote, yaml_scalar};
use crate::report::escape;
use crate::source::Source;
use crate::workspace::Workspace;

impl Relation {
    /// The front matter list each side keeps: (on A, on B); `None` where a status says it.
    fn fields(self) -> (&'static str, Option<&'static str>) {
        match self {
            Relation::Supersedes => ("supersedes", None),
            Relation::Amends => ("amends", Some("amended-by")),
            Relation::RelatesTo => ("links", Some("links")),
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Relation::Supersedes => "supersedes",
            Relation::Amends => "amends",
            Relation::RelatesTo => "relates to",
        }
    }
}

/// One file's new text, to be written with the others or not at all.
pub struct Change {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
    pub rel: String,
}

/// The ids a front matter list of `doc` holds (`supersedes`, `links`, `amends`, …).
fn listed(doc: &Document, field: &str) -> Vec<String> {
    use crate::parse::yaml::Value;
    let items = match doc.field(field).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(|n| n.scalar_text()).collect(),
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::Int(i)) => vec![i.to_string()],
        _ => Vec::new(),
    };
    items
        .iter()
        .filter_map(|s| parse_ref(s, Kind::Adr))
        .collect()
}

/// `text` with `id` added to the list `field` of `doc`, unless the list has it already.
fn add(doc: &Document, text: &str, field: &str, id: &str) -> anyhow::Result<Option<String>> {
    if listed(doc, field).iter().any(|i| i == id) {
        return Ok(None);
    }
    if doc.format != Format::FrontMatter {
        bail!(
            "{} keeps its metadata in its body ({}); give it front matter first with `cto adr migrate {}`",
            doc.path(),
            match doc.format {
                Format::AdrTools => "adr-tools",
                Format::Bullets => "MADR 2 bullets",
                _ => "no front matter",
            },
            doc.path()
        );
    }
    edit::add_to_list(text, field, id)
        .map(Some)
        .map_err(|e| edit_refusal(doc, field, &e))
}

/// The edits that record `a REL b`, both sides, each checked by reading it again.
/// Empty when the relation is recorded already.
pub fn relate(
    ws: &Workspace,
    a: &Document,
    relation: Relation,
    b: &Document,
    force: bool,
) -> anyhow::Result<Vec<Change>> {
    let (a_id, b_id) = match (&a.id, &b.id) {
        (Some(x), Some(y)) => (x.clone(), y.clone()),
        _ => bail!("both ADRs need a number in their file name"),
    };
    if a_id == b_id {
        let verb = match relation {
            Relation::Supersedes => "supersede",
            Relation::Amends => "amend",
            Relation::RelatesTo => "relate to",
        };
        return Err(UsageError(format!("{a_id} cannot {verb} itself")).into());
    }
    // A record cannot supersede the one that supersedes it: that is a cycle, and
    // neither would read as current.
    if relation == Relation::Supersedes
        && a.status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .is_some_and(|r| r.id == b_id)
    {
        return Err(UsageError(format!(
            "{a_id} is superseded by {b_id}; it cannot supersede it in turn"
        ))
        .into());
    }
    let (on_a, on_b) = relation.fields();
    let mut changes = Vec::new();
    // A's side.
    if let Some(new) = add(a, &a.source.text, on_a, &b_id)? {
        changes.push((a, new));
    }
    // B's side: a list, or for `supersedes` its status.
    let b_new = match on_b {
        Some(field) => add(b, &b.source.text, field, &a_id)?,
        None => {
            let current = b.status.as_ref().and_then(|s| s.superseded_by.as_ref());
            match current {
                Some(r) if r.id == a_id => None,
                Some(r) if !force => {
                    return Err(UsageError(format!(
                        "{b_id} is already superseded by {}; --force to supersede it by {a_id} instead",
                        r.id
                    ))
                    .into());
                }
                _ => {
                    let file = a.path().rsplit('/').next().unwrap_or_default();
                    Some(status_edit(
                        b,
                        &format!("superseded by {a_id}"),
                        &a_id,
                        a.title_text(),
                        file,
                        &ws.config,
                    )?)
                }
            }
        }
    };
    if let Some(new) = b_new {
        changes.push((b, new));
    }
    // Each side, read again, holds the relation.
    for (doc, new) in &changes {
        let again = parse_document(
            Kind::Adr,
            Source::new(doc.path(), new.clone()),
            &ws.config.documents,
        );
        let holds = if doc.id.as_deref() == Some(a_id.as_str()) {
            match relation {
                Relation::Supersedes => again
                    .adr()
                    .is_some_and(|f| f.supersedes.iter().any(|r| r.id == b_id)),
                _ => listed(&again, on_a).contains(&b_id),
            }
        } else {
            match on_b {
                Some(field) => listed(&again, field).contains(&a_id),
                None => again
                    .status
                    .as_ref()
                    .and_then(|s| s.superseded_by.as_ref())
                    .is_some_and(|r| r.id == a_id),
            }
        };
        if !holds {
            bail!(
                "{}: after the edit the relation would not read back; the file is left as it was",
                doc.path()
            );
        }
    }
    Ok(changes
        .into_iter()
        .map(|(doc, new)| Change {
            path: ws.root.join(doc.path()),
            old: doc.source.text.clone(),
            new,
            rel: doc.path().to_string(),
        })
        .collect())
}

/// Writes the changes all or none, under the lock of their directories.
pub fn commit(changes: &[Change]) -> anyhow::Result<()> {
    let mut plan = edit::Plan::new();
    for c in changes {
        plan.replace(c.path.clone(), c.old.clone(), c.new.clone());
    }
    let _locks = DirLock::all(&plan.dirs(), edit::LOCK_TIMEOUT)?;
    plan.commit()?;
    Ok(())
}

/// The ADR a command-line word names.
pub fn find<'c>(
    corpus: &'c Corpus,
    unread: &[Diagnostic],
    ws: &Workspace,
    word: &str,
) -> anyhow::Result<&'c Document> {
    let id = parse_ref(word, Kind::Adr)
        .filter(|id| id.starts_with("ADR-"))
        .ok_or_else(|| UsageError(format!("`{word}` is not an ADR number or id")))?;
    find_editable(corpus, unread, ws, Kind::Adr, &id)
}

/// Where an offset of a document is: `path:line:column`.
pub fn location(doc: &Document, at: usize) -> String {
    let lc = doc.source.line_col(at);
    format!("{}:{}:{}", doc.path(), lc.line, lc.column)
}

/// The one document of `kind` with id `id` that an edit can start from: exactly one
/// file has the id, it was read, and its front matter is closed and parses. Otherwise
/// the refusal names the file, the line and column, and the reason (`unread` holds the
/// files the workspace refused to read: links out of the repository, FIFOs).
pub fn find_editable<'c>(
    corpus: &'c Corpus,
    unread: &[Diagnostic],
    ws: &Workspace,
    kind: Kind,
    id: &str,
) -> anyhow::Result<&'c Document> {
    let all: Vec<&Document> = corpus.by_id(id).filter(|d| d.kind == kind).collect();
    let doc = match all.as_slice() {
        [one] => *one,
        [] => {
            let named = |path: &str| {
                let name = path.rsplit('/').next().unwrap_or(path);
                match kind.spec().id_prefix {
                    Some(_) => number_of_file_name(name).map(|n| format_id(kind, n)),
                    None => name.strip_suffix(".md").map(str::to_string),
                }
                .as_deref()
                    == Some(id)
            };
            let dir = ws.dir(kind);
            let dir = dir.trim_start_matches("./").trim_end_matches('/');
            let within = |path: &str| {
                matches!(dir, "" | ".")
                    || path
                        .strip_prefix(dir)
                        .is_some_and(|rest| rest.starts_with('/'))
            };
            if let Some(d) = unread.iter().find(|d| within(&d.path) && named(&d.path)) {
                return Err(UsageError(format!(
                    "{}:1:1: {id} cannot be changed: {}",
                    d.path,
                    escape::visible(&d.message)
                ))
                .into());
            }
            return Err(UsageError(format!("there is no {id} in {}", ws.dir(kind))).into());
        }
        many => {
            let paths: Vec<&str> = many.iter().map(|d| d.path()).collect();
            let how = if kind == Kind::Adr {
                "give one a new number first (`cto adr renumber PATH N`)"
            } else {
                "give one a new number first (rename its file)"
            };
            return Err(UsageError(format!(
                "{id} is the number of {}: {how}",
                paths.join(" and ")
            ))
            .into());
        }
    };
    // A file that was not read, or whose front matter is broken, is not edited: the
    // reason is the reader's own finding, at its place.
    if let Some(d) = doc.diagnostics.iter().find(|d| {
        d.severity == Severity::Error && matches!(d.rule.code, "CTO101" | "CTO102" | "CTO103")
    }) {
        return Err(UsageError(format!(
            "{}: {id} cannot be changed: {}",
            location(doc, d.span.start),
            escape::visible(&d.message)
        ))
        .into());
    }
    Ok(doc)
}

/// A field edit's refusal, with the place of the field (or of the front matter).
pub fn edit_refusal(doc: &Document, field: &str, e: &edit::FieldEditError) -> anyhow::Error {
    let at = doc
        .front_matter
        .as_ref()
        .map(|f| {
            doc.meta
                .as_ref()
                .and_then(|m| m.entry(field))
                .filter(|(k, _)| k.span.start >= f.yaml.start && k.span.end <= f.yaml.end)
                .map_or(f.open.start, |(k, _)| k.span.start)
        })
        .unwrap_or(0);
    let said = e.to_string();
    let tail = if said.ends_with("left as it was") {
        ""
    } else {
        "; the file is left as it was"
    };
    anyhow::anyhow!("{}: {said}{tail}", location(doc, at))
}

pub fn run(ctx: &mut Ctx, ws: &Workspace, args: &LinkArgs) -> anyhow::Result<Exit> {
    let (corpus, unread) = load_corpus(ws, &[]);
    let a = find(&corpus, &unread, ws, &args.from)?;
    let b = find(&corpus, &unread, ws, &args.to)?;
    let changes = relate(ws, a, args.relation, b, args.force)?;
    let (a_id, b_id) = (
        a.id.as_deref().unwrap_or_default(),
        b.id.as_deref().unwrap_or_default(),
    );
    if changes.is_empty() {
        writeln!(
            ctx.err,
            "{a_id} {} {b_id} already; nothing to change",
            args.relation.verb()
        )?;
        return Ok(Exit::Success);
    }
    commit(&changes)?;
    for c in &changes {
        writeln!(ctx.out, "{}", c.rel)?;
    }
    if !ctx.quiet {
        writeln!(ctx.err, "{a_id} {} {b_id}", args.relation.verb())?;
    }
    Ok(Exit::Success)
}

/// The document's text with only its status changed, in the style the file uses, and
/// checked: read again, the document has the new status.
pub fn status_edit(
    doc: &Document,
    canonical: &str,
    new_id: &str,
    new_title: &str,
    new_file: &str,
    config: &crate::config::Config,
) -> anyhow::Result<String> {
    let text = &doc.source.text;
    let superseded = canonical.starts_with("superseded by");
    let number = new_id.trim_start_matches("ADR-").trim_start_matches('0');
    let status_entry = doc.meta.as_ref().and_then(|m| m.entry("status"));
    let body_line = |value: &crate::parse::yaml::Node, line: String| {
        let written = doc.source.slice(value.span);
        // A badge is a picture of the status (its colour, its link): not rewritten as words.
        if written.contains("![") {
            bail!(
                "{}: the status is a badge ({}); cto changes only a status written in words: \
                 edit the badge by hand",
                location(doc, value.span.start),
                first_words(written)
            );
        }
        // A template's options with the chosen one marked: the mark moves, the options stay.
        if let Some(marker) = option_marker(written) {
            let vocabulary = config.vocabulary(doc.kind);
            let chosen = |option: &str| {
                vocabulary
                    .parse(option, crate::source::Span::default())
                    .is_ok_and(|s| s.canonical == canonical)
            };
            let Some(moved) = move_option_mark(written, marker, chosen) else {
                bail!(
                    "{}: the status is chosen from a list of options ({}), and `{canonical}` is \
                     not one of them: edit it by hand",
                    location(doc, value.span.start),
                    first_words(written)
                );
            };
            return Ok(edit::replace(text, value.span, &moved));
        }
        if !crate::model::adr::is_bare_status(written) {
            bail!(
                "{}: the status is a paragraph of prose, not a status line ({}); \
                 cto changes only a status written on its own: edit it by hand",
                location(doc, value.span.start),
                first_words(written)
            );
        }
        Ok(edit::replace(text, value.span, &line))
    };
    let new_text = match (doc.format, status_entry) {
        (Format::AdrTools, Some((_, value))) => body_line(
            value,
            if superseded {
                format!(
                    "Superseded by [{number}. {}]({new_file})",
                    link_label(new_title)
                )
            } else {
                capitalize(canonical)
            },
        )?,
        (Format::Bullets, Some((_, value))) => body_line(
            value,
            if superseded {
                format!("superseded by [{new_id}]({new_file})")
            } else {
                canonical.to_string()
            },
        )?,
        (_, Some((key, value))) => {
            let original = doc.source.slice(value.span);
            let written = requote(original, canonical);
            // The key as the team writes it (`statut:`), read as `status`.
            // A quoted key (`"statut":`) is found by its text, without the quotes.
            let name = doc.source.slice(key.span).trim_matches(['"', '\'']);
            let name = if crate::model::adr::is_status_key(name) {
                name
            } else {
                "status"
            };
            edit::set_field(text, name, &written).map_err(|e| edit_refusal(doc, "status", &e))?
        }
        (_, None) if doc.front_matter.as_ref().is_some_and(|f| f.close.is_some()) => {
            edit::set_field(text, "status", &yaml_scalar(canonical))
                .map_err(|e| edit_refusal(doc, "status", &e))?
        }
        (Format::Bullets, None) => bail!(
            "{}:1:1: its metadata bullets have no `- Status:` line to change; add one, or give it front matter with `cto adr migrate`",
            doc.path()
        ),
        (Format::AdrTools, None) => bail!(
            "{}:1:1: it has no status line under `## Status` to change; add one, or give it front matter with `cto adr migrate`",
            doc.path()
        ),
        (_, None) => bail!(
            "{}:1:1: there is no status to change (no front matter, no `## Status` section)",
            doc.path()
        ),
    };
    let again = parse_document(
        doc.kind,
        Source::new(doc.path(), new_text.clone()),
        &config.documents,
    );
    if again.status.as_ref().map(|s| s.canonical.as_str()) != Some(canonical) {
        let at = status_entry.map_or(0, |(k, _)| k.span.start);
        bail!(
            "{}: after the edit the status would not read `{canonical}`; the file is left as it was",
            location(doc, at)
        );
    }
    Ok(new_text)
}

/// The mark (`**` or `__`) of the one chosen option of a template's list
/// (`Proposed | **Accepted** | Rejected`), if the status is written so.
fn option_marker(written: &str) -> Option<&'static str> {
    if !written.contains('|') {
        return None;
    }
    let marked: Vec<&'static str> = written
        .split('|')
        .filter_map(|o| {
            let o = o.trim();
            ["**", "__"]
                .into_iter()
                .find(|m| o.len() > 2 * m.len() && o.starts_with(m) && o.ends_with(m))
        })
        .collect();
    match marked.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The list with its mark moved to the first option `chosen` accepts (every byte
/// around the options kept), or `None` when no option is chosen.
fn move_option_mark(written: &str, marker: &str, chosen: impl Fn(&str) -> bool) -> Option<String> {
    let mut out = String::with_capacity(written.len() + 2 * marker.len());
    let mut found = false;
    for (i, part) in written.split('|').enumerate() {
        if i > 0 {
            out.push('|');
        }
        let option = part.trim();
        let lead = &part[..part.len() - part.trim_start().len()];
        let trail = &part[lead.len() + option.len()..];
        let plain = option
            .strip_prefix(marker)
            .and_then(|o| o.strip_suffix(marker))
            .filter(|o| !o.is_empty())
            .unwrap_or(option);
        out.push_str(lead);
        if !found && !plain.is_empty() && chosen(plain) {
            found = true;
            out.push_str(marker);
            out.push_str(plain);
            out.push_str(marker);
        } else {
            out.push_str(plain);
        }
        out.push_str(trail);
    }
    found.then_some(out)
}

/// A title as a markdown link's label: brackets and backslashes escaped, so a title
/// such as `Use [beta] APIs` cannot end the label early.
fn link_label(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The start of a text, on one line, for a message.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let head = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 8 {
        format!("`{}…`", crate::report::escape::visible(&head))
    } else {
        format!("`{}`", crate::report::escape::visible(&head))
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
