//! Tables for the terminal (comfy-table), fitted to its width.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::escape::visible;
use crate::views::{Report, TableView};

/// Cells as they are shown: one line each, control characters escaped.
/// The most characters a terminal table shows of one cell: a longer one (a list of
/// thousands of ids, a megabyte title) is cut with `…`, as no terminal shows it whole
/// and wrapping it costs more than the rest of the table (JSON and CSV keep it whole).
const MAX_CELL: usize = 400;

fn shown(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|c| {
            let c = visible(c);
            match c.char_indices().nth(MAX_CELL) {
                Some((at, _)) => format!("{}…", &c[..at]),
                None => c.into_owned(),
            }
        })
        .collect()
}

pub fn render(w: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(shown(row));
    }
    writeln!(w, "{table}")
}

fn table_string(view: &TableView) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(shown(&view.header));
    for row in &view.rows {
        table.add_row(shown(row));
    }
    let mut out = String::new();
    if let Some(c) = &view.caption {
        out.push_str(&visible(c));
        out.push('\n');
    }
    out.push_str(&table.to_string());
    out
}

/// Blocks of text side by side, each padded to its widest line.
fn side_by_side(blocks: &[String]) -> String {
    let lines: Vec<Vec<&str>> = blocks.iter().map(|b| b.lines().collect()).collect();
    let widths: Vec<usize> = lines
        .iter()
        .map(|l| l.iter().map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let height = lines.iter().map(Vec::len).max().unwrap_or(0);
    (0..height)
        .map(|r| {
            let row: Vec<String> = lines
                .iter()
                .zip(&widths)
                .map(|(l, w)| {
                    let s = l.get(r).copied().unwrap_or("");
                    format!("{s}{}", " ".repeat(w - s.chars().count()))
                })
                .collect();
            row.join("   ").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A report for the terminal: each section's title, its tables, its notes.
pub fn render_view(w: &mut dyn Write, view: &impl Report) -> io::Result<()> {
    writeln!(w, "{}", visible(view.title()))?;
    for section in &view.sections() {
        writeln!(w, "\n{}", visible(&section.title))?;
        let blocks: Vec<String> = section.tables.iter().map(table_string).collect();
        if !blocks.is_empty() {
            writeln!(w, "{}", side_by_side(&blocks))?;
        }
        for note in &section.notes {
            writeln!(w, "{}", visible(note))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod long_cells {
    use super::*;

    #[test]
    fn a_long_cell_is_cut_in_the_terminal_and_a_short_one_kept() {
        let long = "INC-0001 ".repeat(10_000);
        let shown = shown(&[long, "short".into()]);
        assert_eq!(shown[0].chars().count(), MAX_CELL + 1);
        assert!(shown[0].ends_with('…'));
        assert_eq!(shown[1], "short");
    }
}
