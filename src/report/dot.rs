//! Graphviz DOT: the decision graph. Strings are one line, quotes and backslashes escaped.

use super::escape::visible;
use crate::model::{AdrStatus, Document};
use crate::views::graph::Edge;

/// Text inside a quoted DOT string: one line, backslashes and quotes escaped.
fn text(s: &str) -> String {
    visible(s).replace('\\', "\\\\").replace('"', "\\\"")
}

/// The decision graph: ADRs as boxes filled by status, supersedes and links as edges.
pub fn decisions(nodes: &[&Document], edges: &[Edge]) -> String {
    let mut out = String::from(
        "digraph decisions {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\"];\n",
    );
    for d in nodes {
        let id = text(d.id.as_deref().unwrap_or(""));
        let fill = match d.adr().and_then(|a| a.status) {
            Some(AdrStatus::Accepted) => "#e6f4ea",
            Some(AdrStatus::Proposed) => "#fff8e1",
            Some(AdrStatus::Rejected) => "#fdecea",
            Some(AdrStatus::Superseded | AdrStatus::Deprecated) => "#eeeeee",
            None => "#ffffff",
        };
        out.push_str(&format!(
            "  \"{id}\" [label=\"{id}\\n{}\\n({})\", fillcolor=\"{fill}\"];\n",
            text(d.title_text()),
            text(d.status_value())
        ));
    }
    for e in edges {
        if e.supersedes {
            out.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"supersedes\"];\n",
                text(&e.from),
                text(&e.to)
            ));
        } else {
            out.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"links\", style=dashed];\n",
                text(&e.from),
                text(&e.to)
            ));
        }
    }
    out.push_str("}\n");
    out
}
