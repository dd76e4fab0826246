//! `cto adr link A REL B`: a relation between two ADRs, written on both sides in one
//! checked edit (`new --supersedes` and `status "superseded by …"` use it too).

use std::path::PathBuf;

use anyhow::bail;

use super::documents::status_edit;
use super::{Ctx, Exit, UsageError, load_corpus};
use crate::cli::{LinkArgs, Relation};
use crate::edit::{self, DirLock};
use crate::model::refs::parse_ref;
use crate::model::{Corpus, Document, Format, Kind, parse_document};
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
    Ok(Some(edit::add_to_list(text, field, id)?))
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
        return Err(UsageError(format!("{a_id} cannot {} itself", relation.verb())).into());
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
pub fn find<'c>(corpus: &'c Corpus, ws: &Workspace, word: &str) -> anyhow::Result<&'c Document> {
    let id = parse_ref(word, Kind::Adr)
        .filter(|id| id.starts_with("ADR-"))
        .ok_or_else(|| UsageError(format!("`{word}` is not an ADR number or id")))?;
    let mut found = corpus.by_id(&id);
    let doc = found
        .next()
        .ok_or_else(|| UsageError(format!("there is no {id} in {}", ws.dir(Kind::Adr))))?;
    if found.next().is_some() {
        return Err(UsageError(format!(
            "two ADRs are numbered {id}; give one a new number first (`cto adr renumber`)"
        ))
        .into());
    }
    Ok(doc)
}

pub fn run(ctx: &mut Ctx, ws: &Workspace, args: &LinkArgs) -> anyhow::Result<Exit> {
    let (corpus, _) = load_corpus(ws, &[]);
    let a = find(&corpus, ws, &args.from)?;
    let b = find(&corpus, ws, &args.to)?;
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
