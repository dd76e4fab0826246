//! CTO304 dependency-cycle: the rule, its page and its check.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That `depends_on` between roadmap items has no cycle. The message names the cycle.
    ///
    /// ## Why
    /// Items in a cycle can never start: each waits for another. A cycle usually means one of
    /// the dependencies is really a shared piece of work that should be its own item.
    ///
    /// ## Example
    /// `RM-0003` depends on `RM-0005`, and `RM-0005` depends on `RM-0003`.
    ///
    /// ## How to fix
    /// Remove one of the dependencies, or split the shared work into an item both depend on.
    pub static DEPENDENCY_CYCLE = {
        code: "CTO304",
        name: "dependency-cycle",
        layer: Corpus,
        kinds: [Roadmap],
        severity: Error,
        summary: "Roadmap items depend on each other in a cycle.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
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
