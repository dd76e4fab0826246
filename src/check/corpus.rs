//! CTO3xx: rules across documents (ids, references, supersede pairs).

use std::collections::{BTreeMap, BTreeSet};

use super::rules::{
    DANGLING_REFERENCE, DEPENDENCY_CYCLE, DEPENDENCY_ORDER, DUPLICATE_ID, OVER_CAPACITY,
    SUPERSEDE_NOT_MUTUAL,
};
use super::{Context, Diagnostic};
use crate::model::{Corpus, Document, Kind, Points, Quarter, Ref};
use crate::source::Span;

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        duplicates(corpus, doc, out);
        references(corpus, doc, out);
        if doc.kind == Kind::Adr {
            supersedes(corpus, doc, out);
        }
        if doc.kind == Kind::Roadmap {
            dependency_order(corpus, doc, out);
        }
    }
    cycles(corpus, out);
    capacity(corpus, ctx, out);
}

/// The dependency graph of roadmap items: id → ids it depends on (existing ones only).
fn graph(corpus: &Corpus) -> BTreeMap<&str, Vec<&str>> {
    corpus
        .of_kind(Kind::Roadmap)
        .filter_map(|d| {
            let id = d.id.as_deref()?;
            let deps = d.roadmap()?.depends_on.iter().map(|r| r.id.as_str());
            Some((id, deps.filter(|dep| corpus.get(dep).is_some()).collect()))
        })
        .collect()
}

/// Strongly connected components with more than one node, or a node depending on
/// itself (Tarjan's algorithm, iterative so deep chains cannot overflow the stack).
pub fn cycles_of<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>) -> Vec<Vec<&'a str>> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for &root in graph.keys() {
        if index.contains_key(root) {
            continue;
        }
        let mut work: Vec<(&str, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && !index.contains_key(v) {
                index.insert(v, next);
                low.insert(v, next);
                next += 1;
                stack.push(v);
                on_stack.insert(v);
            }
            let edges = graph.get(v).map_or(&[][..], Vec::as_slice);
            if let Some(&w) = edges.get(*i) {
                *i += 1;
                if !index.contains_key(w) {
                    work.push((w, 0));
                } else if on_stack.contains(w) {
                    let lw = index[w].min(low[v]);
                    low.insert(v, lw);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let lp = low[parent].min(low[v]);
                low.insert(parent, lp);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack.remove(w);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = edges.contains(&v);
                if component.len() > 1 || self_loop {
                    component.sort();
                    out.push(component);
                }
            }
        }
    }
    out
}

/// A path around a component, from its smallest id back to it: `A → B → A`.
fn cycle_path<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>, component: &[&'a str]) -> Vec<&'a str> {
    let start = component[0];
    let members: BTreeSet<&str> = component.iter().copied().collect();
    // Breadth-first from start to any node with an edge back to start.
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen: BTreeSet<&str> = BTreeSet::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in graph.get(v).map_or(&[][..], Vec::as_slice) {
            if w == start {
                let mut path = vec![start];
                let mut at = v;
                let mut back = vec![];
                while at != start {
                    back.push(at);
                    at = prev[at];
                }
                back.reverse();
                path.extend(back);
                path.push(start);
                return path;
            }
            if members.contains(w) && seen.insert(w) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

fn cycles(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let graph = graph(corpus);
    for component in cycles_of(&graph) {
        let path = cycle_path(&graph, &component).join(" → ");
        let members: BTreeSet<&str> = component.iter().copied().collect();
        for id in &component {
            let Some(doc) = corpus.get(id) else { continue };
            let Some(item) = doc.roadmap() else { continue };
            for dep in item
                .depends_on
                .iter()
                .filter(|r| members.contains(r.id.as_str()))
            {
                out.push(
                    Diagnostic::new(
                        &DEPENDENCY_CYCLE,
                        doc.path(),
                        dep.span,
                        format!("dependency cycle: {path}"),
                    )
                    .with_help("remove one dependency, or split the shared work into its own item"),
                );
            }
        }
    }
}

fn dependency_order(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(item) = doc.roadmap() else { return };
    if item.horizon.as_deref() != Some("now") || matches!(doc.status_value(), "shipped" | "dropped")
    {
        return;
    }
    for dep in &item.depends_on {
        let Some(other) = corpus.get(&dep.id) else {
            continue;
        };
        let Some(o) = other.roadmap() else { continue };
        let why = if other.status_value() == "dropped" {
            "was dropped".to_string()
        } else if o.horizon.as_deref() == Some("later") && other.status_value() != "shipped" {
            "is planned for later".to_string()
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &DEPENDENCY_ORDER,
                doc.path(),
                dep.span,
                format!(
                    "{} is a `now` item but depends on {}, which {why}",
                    doc.id.as_deref().unwrap_or(""),
                    dep.id
                ),
            )
            .with_help("bring the dependency forward, move this item back, or drop the dependency"),
        );
    }
}

/// Planned effort per quarter: (total, items with their effort), dropped items aside.
pub fn effort_by_quarter(corpus: &Corpus) -> BTreeMap<Quarter, (Points, Vec<&Document>)> {
    let mut by: BTreeMap<Quarter, (Points, Vec<&Document>)> = BTreeMap::new();
    for doc in corpus.of_kind(Kind::Roadmap) {
        let Some(item) = doc.roadmap() else { continue };
        let (Some(q), Some((effort, _))) = (item.quarter, item.effort) else {
            continue;
        };
        if doc.status_value() == "dropped" {
            continue;
        }
        let entry = by.entry(q).or_default();
        entry.0 = entry.0 + effort;
        entry.1.push(doc);
    }
    by
}

fn capacity(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (quarter, (total, docs)) in effort_by_quarter(corpus) {
        let Some(&cap) = ctx.config.capacity.get(&quarter) else {
            continue;
        };
        if total <= cap {
            continue;
        }
        let trade_off = docs.iter().any(|d| {
            d.links
                .iter()
                .any(|r| r.id.starts_with("ADR-") && corpus.get(&r.id).is_some())
        });
        if trade_off {
            continue;
        }
        let Some(biggest) = docs
            .iter()
            .max_by_key(|d| d.roadmap().and_then(|i| i.effort).map(|e| e.0))
        else {
            continue;
        };
        let items: Vec<String> = docs
            .iter()
            .filter_map(|d| Some(format!("{} {}", d.id.as_deref()?, d.roadmap()?.effort?.0)))
            .collect();
        let span = biggest
            .roadmap()
            .and_then(|i| i.effort)
            .map_or(Span::empty(0), |e| e.1);
        out.push(
            Diagnostic::new(
                &OVER_CAPACITY,
                biggest.path(),
                span,
                format!(
                    "{quarter} plans {total} points against a capacity of {cap} ({})",
                    items.join(", ")
                ),
            )
            .with_help(
                "move an item to a later quarter, or link the ADR that records the trade-off",
            ),
        );
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

/// Every reference a document makes to another, with the field that makes it.
pub fn references_of(doc: &Document) -> Vec<(&Ref, &'static str)> {
    let mut refs: Vec<(&Ref, &'static str)> = doc.links.iter().map(|r| (r, "links")).collect();
    if let Some(adr) = doc.adr() {
        refs.extend(adr.supersedes.iter().map(|r| (r, "supersedes")));
    }
    if let Some(item) = doc.roadmap() {
        refs.extend(item.depends_on.iter().map(|r| (r, "depends_on")));
    }
    if let Some(r) = doc.status.as_ref().and_then(|s| s.superseded_by.as_ref()) {
        refs.push((r, "status"));
    }
    refs
}

fn references(corpus: &Corpus, doc: &Document, out: &mut Vec<Diagnostic>) {
    for (r, field) in references_of(doc) {
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
        && !newer
            .adr()
            .is_some_and(|a| a.supersedes.iter().any(|r| &r.id == id))
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
    let Some(adr) = doc.adr() else { return };
    for old in &adr.supersedes {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found_and_named() {
        let g: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
            ("RM-0001", vec!["RM-0002"]),
            ("RM-0002", vec!["RM-0003"]),
            ("RM-0003", vec!["RM-0001"]),
            ("RM-0004", vec!["RM-0001"]),
            ("RM-0005", vec!["RM-0005"]),
        ]);
        let found = cycles_of(&g);
        assert_eq!(
            found,
            vec![vec!["RM-0001", "RM-0002", "RM-0003"], vec!["RM-0005"]]
        );
        assert_eq!(
            cycle_path(&g, &found[0]).join(" → "),
            "RM-0001 → RM-0002 → RM-0003 → RM-0001"
        );
        assert_eq!(cycle_path(&g, &found[1]).join(" → "), "RM-0005 → RM-0005");
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let ids: Vec<String> = (0..100_000).map(|i| format!("RM-{i}")).collect();
        let g: BTreeMap<&str, Vec<&str>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.as_str(),
                    ids.get(i + 1).map(|n| vec![n.as_str()]).unwrap_or_default(),
                )
            })
            .collect();
        assert!(cycles_of(&g).is_empty());
    }
}
