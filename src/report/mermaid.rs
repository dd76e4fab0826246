//! Mermaid: the decision graph as a flowchart, the roadmap as a gantt. Labels are one
//! line of visible text that cannot end their quotes.

use super::escape::visible;
use crate::model::{AdrStatus, Document};
use crate::views::graph::{Edge, Gantt};

/// A node id Mermaid accepts: `ADR-0008` is `ADR_0008`.
fn node_id(id: &str) -> String {
    id.replace(['-', '.'], "_")
}

/// Text inside a quoted Mermaid label: one line, no quote to end it, no HTML of its own.
fn text(s: &str) -> String {
    visible(s)
        .replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The decision graph: ADRs as boxes coloured by status, supersedes and links as arrows.
pub fn flowchart(nodes: &[&Document], edges: &[Edge]) -> String {
    let mut out = String::from("flowchart TD\n");
    for d in nodes {
        let id = d.id.as_deref().unwrap_or("");
        let status = if d.status_value().is_empty() {
            "none"
        } else {
            d.status_value()
        };
        // Styled by the built-in status it counts as: a team's `living` is `accepted`.
        let class = d
            .adr()
            .and_then(|a| a.status)
            .map_or("none", AdrStatus::as_str);
        out.push_str(&format!(
            "  {}[\"{}: {}<br/><i>{}</i>\"]:::{}\n",
            node_id(id),
            text(id),
            text(d.title_text()),
            text(status),
            class
        ));
    }
    for e in edges {
        if e.supersedes {
            out.push_str(&format!(
                "  {} -- supersedes --> {}\n",
                node_id(&e.from),
                node_id(&e.to)
            ));
        } else {
            out.push_str(&format!(
                "  {} -. links .-> {}\n",
                node_id(&e.from),
                node_id(&e.to)
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

/// The roadmap: a section per horizon, one bar per item in its quarter, dependencies that
/// constrain its start with `after`.
pub fn gantt(g: &Gantt) -> String {
    let mut out =
        String::from("gantt\n  title Roadmap\n  dateFormat YYYY-MM-DD\n  axisFormat %Y-%m\n");
    for section in &g.sections {
        out.push_str(&format!("  section {}\n", section.title));
        for item in &section.items {
            if !item.earlier.is_empty() {
                out.push_str(&format!(
                    "  %% {} depends on {} (done before its quarter)\n",
                    item.id,
                    item.earlier.join(", ")
                ));
            }
            let when = if item.after.is_empty() {
                format!("{}, {}d", item.start, item.days)
            } else {
                let ids: Vec<String> = item.after.iter().map(|a| node_id(a)).collect();
                format!("after {}, {}d", ids.join(" "), item.days)
            };
            let state = item.state.map_or(String::new(), |s| format!("{s}, "));
            let name: String = visible(&format!("{} {}", item.id, item.title))
                .chars()
                .map(|c| if matches!(c, ':' | '#' | ';') { ' ' } else { c })
                .collect();
            out.push_str(&format!("  {name} :{state}{}, {when}\n", node_id(&item.id)));
        }
    }
    if !g.unplaced.is_empty() {
        out.push_str(&format!(
            "  %% without a quarter, not drawn: {}\n",
            g.unplaced.join(", ")
        ));
    }
    out
}
