//! CTO3xx: rules across documents (ids, references, supersede pairs).

use super::Diagnostic;
use super::rules::{DANGLING_REFERENCE, DUPLICATE_ID, SUPERSEDE_NOT_MUTUAL};
use crate::model::{Corpus, Document, Kind, Ref};
use crate::source::Span;

pub fn check(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        duplicates(corpus, doc, out);
        references(corpus, doc, out);
        if doc.kind == Kind::Adr {
            supersedes(corpus, doc, out);
        }
    }
}

fn duplicates(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(id) = &doc.id else { return };
    let others: Vec<&str> = corpus
        .by_id(id)
        .filter(|d| d.path() != doc.path())
        .map(Document::path)
        .collect();
    if !others.is_empty() {
        let msg = format!("{id} is also the id of {}", others.join(", "));
        out.push(
            Diagnostic::new(&DUPLICATE_ID, doc.path(), Span::empty(0), msg)
                .with_help("give one of them the next free number and update its references"),
        );
    }
}

fn references(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut refs: Vec<(&Ref, &str)> = doc.links.iter().map(|r| (r, "links")).collect();
    refs.extend(doc.adr.supersedes.iter().map(|r| (r, "supersedes")));
    if let Some(r) = doc.status.as_ref().and_then(|s| s.superseded_by.as_ref()) {
        refs.push((r, "status"));
    }
    for (r, field) in refs {
        if corpus.get(&r.id).is_none() {
            let msg = format!("`{field}` refers to {}, which does not exist", r.id);
            out.push(Diagnostic::new(
                &DANGLING_REFERENCE,
                doc.path(),
                r.span,
                msg,
            ));
        }
    }
}

fn supersedes(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(id) = &doc.id else { return };
    // This ADR says it is superseded by another: that one must say it supersedes this.
    if let Some(by) = doc.status.as_ref().and_then(|s| s.superseded_by.as_ref())
        && let Some(newer) = corpus.get(&by.id)
        && !newer.adr.supersedes.iter().any(|r| &r.id == id)
    {
        let msg = format!(
            "{id} is superseded by {}, but {} does not say it supersedes {id}",
            by.id, by.id
        );
        out.push(
            Diagnostic::new(&SUPERSEDE_NOT_MUTUAL, doc.path(), by.span, msg)
                .with_help(format!("add `supersedes: {id}` to {}", newer.path())),
        );
    }
    // This ADR says it supersedes another: that one's status must name this one.
    for old in &doc.adr.supersedes {
        let Some(older) = corpus.get(&old.id) else {
            continue;
        };
        let names_us = older
            .status
            .as_ref()
            .and_then(|s| s.superseded_by.as_ref())
            .is_some_and(|r| &r.id == id);
        if !names_us {
            let was = older.status.as_ref().map_or("none", |s| s.raw.trim());
            let msg = format!(
                "{id} supersedes {}, but the status of {} is `{was}`",
                old.id, old.id
            );
            out.push(
                Diagnostic::new(&SUPERSEDE_NOT_MUTUAL, doc.path(), old.span, msg).with_help(
                    format!("set the status of {} to `superseded by {id}`", older.path()),
                ),
            );
        }
    }
}
