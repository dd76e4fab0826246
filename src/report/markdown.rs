//! `--format md`: GitHub-flavoured markdown to paste into a wiki or a pull request.

use std::io::{self, Write};

use super::escape::{markdown as cell, visible};
use crate::views::graph::TocEntry;
use crate::views::{Report, TableView};

pub fn table(w: &mut dyn Write, t: &TableView) -> io::Result<()> {
    if let Some(c) = &t.caption {
        writeln!(w, "**{}**\n", cell(c))?;
    }
    let header: Vec<String> = t
        .header
        .iter()
        .map(|h| if h.is_empty() { " ".into() } else { cell(h) })
        .collect();
    writeln!(w, "| {} |", header.join(" | "))?;
    writeln!(w, "|{}|", vec!["---"; header.len()].join("|"))?;
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        writeln!(w, "| {} |", cells.join(" | "))?;
    }
    writeln!(w)
}

/// A report; `level` is the heading level of its title (1 alone, 2 inside `cto report`).
pub fn render_view(w: &mut dyn Write, view: &impl Report, level: usize) -> io::Result<()> {
    writeln!(w, "{} {}\n", "#".repeat(level), cell(view.title()))?;
    for section in &view.sections() {
        writeln!(w, "{} {}\n", "#".repeat(level + 1), cell(&section.title))?;
        for t in &section.tables {
            table(w, t)?;
        }
        for note in &section.notes {
            // Notes are cto's own sentences, which may hold `code`.
            writeln!(w, "{}\n", visible(note))?;
        }
    }
    Ok(())
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
pub fn toc(entries: &[TocEntry]) -> String {
    let mut out = String::from("# Architecture decisions\n\n");
    for e in entries {
        let date = e.date.map_or(String::new(), |x| format!(", {x}"));
        out.push_str(&format!(
            "- [{}: {}]({}) — {}{date}\n",
            cell(&e.id),
            cell(&e.title),
            link_target(&e.link),
            cell(&e.status)
        ));
    }
    out
}
