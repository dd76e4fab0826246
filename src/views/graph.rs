//! Graphs of the corpus as text: the decision graph (Mermaid, Graphviz DOT), the roadmap
//! as a Mermaid gantt, and the ADR index.

use std::collections::{HashMap, HashSet};

use crate::model::{Corpus, Document, Kind, Quarter};
use crate::report::escape::{markdown, visible};

/// An edge of the decision graph: `from` supersedes or links to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub supersedes: bool,
}

/// ADRs (in number order) and the edges between them, each edge once, in the order
/// they are first met.
pub fn decisions(corpus: &Corpus) -> (Vec<&Document>, Vec<Edge>) {
    let mut nodes: Vec<&Document> = corpus
        .of_kind(Kind::Adr)
        .filter(|d| d.id.is_some())
        .collect();
    nodes.sort_by(|a, b| (a.number, a.path()).cmp(&(b.number, b.path())));
    nodes.dedup_by(|a, b| a.id == b.id);
    let ids: HashSet<&str> = nodes.iter().filter_map(|d| d.id.as_deref()).collect();
    let mut seen: HashSet<(&str, &str, bool)> = HashSet::new();
    let mut edges = Vec::new();
    let mut add = |from: &str, to: &str, supersedes: bool| {
        let (Some(&f), Some(&t)) = (ids.get(from), ids.get(to)) else {
            return;
        };
        if f != t && seen.insert((f, t, supersedes)) {
            edges.push(Edge {
                from: f.to_string(),
                to: t.to_string(),
                supersedes,
            });
        }
    };
    for d in &nodes {
        let Some(from) = d.id.as_deref() else {
            continue;
        };
        if let Some(a) = d.adr() {
            for r in &a.supersedes {
                add(from, &r.id, true);
            }
        }
        // A one-sided supersede still draws (lint reports it).
        if let Some(by) = d.status.as_ref().and_then(|s| s.superseded_by.as_ref()) {
            add(&by.id, from, true);
        }
        for r in d.links.iter().filter(|r| r.id.starts_with("ADR-")) {
            add(from, &r.id, false);
        }
    }
    (nodes, edges)
}

fn mermaid_id(id: &str) -> String {
    id.replace(['-', '.'], "_")
}

/// Text inside a quoted Mermaid label: one line, no quote to end it, no HTML of its own.
fn mermaid_text(s: &str) -> String {
    visible(s)
        .replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub fn mermaid(corpus: &Corpus) -> String {
    let (nodes, edges) = decisions(corpus);
    let mut out = String::from("flowchart TD\n");
    for d in &nodes {
        let id = d.id.as_deref().unwrap_or("");
        let status = if d.status_value().is_empty() {
            "none"
        } else {
            d.status_value()
        };
        out.push_str(&format!(
            "  {}[\"{}: {}<br/><i>{}</i>\"]:::{}\n",
            mermaid_id(id),
            mermaid_text(id),
            mermaid_text(d.title_text()),
            mermaid_text(status),
            status.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        ));
    }
    for e in &edges {
        if e.supersedes {
            out.push_str(&format!(
                "  {} -- supersedes --> {}\n",
                mermaid_id(&e.from),
                mermaid_id(&e.to)
            ));
        } else {
            out.push_str(&format!(
                "  {} -. links .-> {}\n",
                mermaid_id(&e.from),
                mermaid_id(&e.to)
            ));
        }
    }
    for (class, style) in [
        ("accepted", "fill:#e6f4ea,stroke:#1e7e34"),
        ("proposed", "fill:#fff8e1,stroke:#b8860b"),
        ("superseded", "fill:#eeeeee,stroke:#888888,color:#555555"),
        ("deprecated", "fill:#eeeeee,stroke:#888888,color:#555555"),
        ("rejected", "fill:#fdecea,stroke:#b00020"),
    ] {
        out.push_str(&format!("  classDef {class} {style}\n"));
    }
    out
}

/// Text inside a quoted DOT string: one line, backslashes and quotes escaped.
fn dot_text(s: &str) -> String {
    visible(s).replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(corpus: &Corpus) -> String {
    let (nodes, edges) = decisions(corpus);
    let mut out = String::from(
        "digraph decisions {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\"];\n",
    );
    for d in &nodes {
        let id = dot_text(d.id.as_deref().unwrap_or(""));
        let fill = match d.status_value() {
            "accepted" => "#e6f4ea",
            "proposed" => "#fff8e1",
            "rejected" => "#fdecea",
            "superseded" | "deprecated" => "#eeeeee",
            _ => "#ffffff",
        };
        out.push_str(&format!(
            "  \"{id}\" [label=\"{id}\\n{}\\n({})\", fillcolor=\"{fill}\"];\n",
            dot_text(d.title_text()),
            dot_text(d.status_value())
        ));
    }
    for e in &edges {
        if e.supersedes {
            out.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"supersedes\"];\n",
                dot_text(&e.from),
                dot_text(&e.to)
            ));
        } else {
            out.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"links\", style=dashed];\n",
                dot_text(&e.from),
                dot_text(&e.to)
            ));
        }
    }
    out.push_str("}\n");
    out
}

/// The first day of a quarter and its length in days.
pub fn quarter_span(q: Quarter) -> (jiff::civil::Date, i64) {
    let month = (q.q - 1) * 3 + 1;
    let start = jiff::civil::Date::new(q.year, month as i8, 1).unwrap_or_default();
    let next = start
        .checked_add(jiff::Span::new().months(3))
        .unwrap_or(start);
    (start, (next - start).get_days() as i64)
}

/// The roadmap as a Mermaid gantt: a section per horizon, one bar per item in its
/// quarter, dependencies with `after`.
pub fn gantt(corpus: &Corpus) -> String {
    let mut docs: Vec<&Document> = corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| d.status_value() != "dropped")
        .collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out =
        String::from("gantt\n  title Roadmap\n  dateFormat YYYY-MM-DD\n  axisFormat %Y-%m\n");
    // The first item of each id, in id order: one lookup per dependency.
    let mut quarters: HashMap<&str, Option<Quarter>> = HashMap::new();
    for d in &docs {
        if let Some(id) = d.id.as_deref() {
            quarters
                .entry(id)
                .or_insert_with(|| d.roadmap().and_then(|i| i.quarter));
        }
    }
    let quarter_of = |id: &str| -> Option<Quarter> { quarters.get(id).copied().flatten() };
    let mut unplaced = Vec::new();
    for (horizon, title) in [
        ("now", "Now"),
        ("next", "Next"),
        ("later", "Later"),
        ("", "Unscheduled"),
    ] {
        let items: Vec<&&Document> = docs
            .iter()
            .filter(|d| {
                d.roadmap()
                    .map_or("", |i| i.horizon.as_deref().unwrap_or(""))
                    == horizon
                    || (horizon.is_empty()
                        && !matches!(
                            d.roadmap().and_then(|i| i.horizon.as_deref()),
                            Some("now" | "next" | "later")
                        ))
            })
            .collect();
        let mut lines = Vec::new();
        for d in items {
            let Some(item) = d.roadmap() else { continue };
            let id = d.id.as_deref().unwrap_or("");
            let Some(q) = item.quarter else {
                unplaced.push(id.to_string());
                continue;
            };
            let (start, days) = quarter_span(q);
            let state = match d.status_value() {
                "shipped" => "done, ",
                "in-progress" => "active, ",
                _ => "",
            };
            // `after` only where the dependency constrains the start: it ends in or after
            // the quarter before this one. An older one is drawn where it was, noted.
            let (binding, earlier): (Vec<_>, Vec<_>) = item
                .depends_on
                .iter()
                .filter_map(|r| Some((r.id.as_str(), quarter_of(&r.id)?)))
                .partition(|(_, dq)| {
                    let (ds, dd) = quarter_span(*dq);
                    ds.checked_add(jiff::Span::new().days(dd))
                        .is_ok_and(|end| end >= start)
                });
            let when = if binding.is_empty() {
                format!("{start}, {days}d")
            } else {
                let ids: Vec<String> = binding.iter().map(|(id, _)| mermaid_id(id)).collect();
                format!("after {}, {days}d", ids.join(" "))
            };
            if !earlier.is_empty() {
                let ids: Vec<&str> = earlier.iter().map(|(id, _)| *id).collect();
                lines.push(format!(
                    "  %% {id} depends on {} (done before its quarter)\n",
                    ids.join(", ")
                ));
            }
            let name: String = visible(&format!("{id} {}", d.title_text()))
                .chars()
                .map(|c| if matches!(c, ':' | '#' | ';') { ' ' } else { c })
                .collect();
            lines.push(format!("  {name} :{state}{}, {when}\n", mermaid_id(id)));
        }
        if !lines.is_empty() {
            out.push_str(&format!("  section {title}\n"));
            out.extend(lines);
        }
    }
    if !unplaced.is_empty() {
        out.push_str(&format!(
            "  %% without a quarter, not drawn: {}\n",
            unplaced.join(", ")
        ));
    }
    out
}

/// A relative path as a markdown link target: every byte but unreserved ones and `/`
/// percent-encoded, so no space, parenthesis or control character ends or breaks it.
fn link_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The ADR index: a markdown list of links (relative to the ADR directory).
pub fn toc(corpus: &Corpus, adr_dir: &str) -> String {
    let (nodes, _) = decisions(corpus);
    let prefix = format!("{}/", adr_dir.trim_end_matches('/'));
    let mut out = String::from("# Architecture decisions\n\n");
    for d in nodes {
        let link = d.path().strip_prefix(&prefix).unwrap_or(d.path());
        let status = d
            .status
            .as_ref()
            .map_or("no status".to_string(), |s| s.canonical.clone());
        let date = d
            .adr()
            .and_then(|a| a.date)
            .map_or(String::new(), |x| format!(", {x}"));
        out.push_str(&format!(
            "- [{}: {}]({}) — {}{date}\n",
            markdown(d.id.as_deref().unwrap_or("")),
            markdown(d.title_text()),
            link_target(link),
            markdown(&status)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_as_dates() {
        let (start, days) = quarter_span(Quarter { year: 2027, q: 1 });
        assert_eq!((start.to_string(), days), ("2027-01-01".to_string(), 90));
        assert_eq!(quarter_span(Quarter { year: 2024, q: 1 }).1, 91);
        assert_eq!(quarter_span(Quarter { year: 2026, q: 4 }).1, 92);
    }
}
