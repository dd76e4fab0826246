//! Tables for the terminal (comfy-table), fitted to its width.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

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
    let rows: Vec<Vec<String>> = rows.par_iter().map(|r| shown(r)).collect();
    // No width to fit (output that is not a terminal): comfy-table gives every column
    // the width of its widest cell, which is written here row by row, the same bytes
    // (a test holds it to comfy-table) at a fraction of the cost for a long list.
    if table.width().is_none()
        && let Some(text) = unfitted(header, &rows)
    {
        return w.write_all(text.as_bytes());
    }
    for row in rows {
        table.add_row(row);
    }
    writeln!(w, "{table}")
}

/// The table comfy-table draws with `UTF8_FULL_CONDENSED` and no width to fit, and the
/// newline after it; `None` for what it draws otherwise (rows of another length than the
/// header, a cell of several lines, no rows).
fn unfitted(header: &[&str], rows: &[Vec<String>]) -> Option<String> {
    if rows.is_empty()
        || rows.iter().any(|r| r.len() != header.len())
        || header.iter().any(|h| h.contains('\n'))
        || rows.iter().flatten().any(|c| c.contains('\n'))
    {
        return None;
    }
    // comfy-table gives a column at least one character, even an empty one.
    let mut widths: Vec<usize> = header.iter().map(|h| h.width().max(1)).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line_len: usize = widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    // Box-drawing characters are three bytes; cells one per column at least.
    let mut out = String::with_capacity((rows.len() + 4) * (line_len * 3 + 1));
    let border = |out: &mut String, [left, line, cross, right]: [char; 4]| {
        out.push(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                out.push(cross);
            }
            out.extend(std::iter::repeat_n(line, w + 2));
        }
        out.push(right);
        out.push('\n');
    };
    let cells = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        out.push('│');
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                out.push('┆');
            }
            out.push(' ');
            out.push_str(cell);
            out.extend(std::iter::repeat_n(' ', w - cell.width() + 1));
        }
        out.push('│');
        out.push('\n');
    };
    border(&mut out, ['┌', '─', '┬', '┐']);
    cells(&mut out, &mut header.iter().copied());
    border(&mut out, ['╞', '═', '╪', '╡']);
    for row in rows {
        cells(&mut out, &mut row.iter().map(String::as_str));
    }
    border(&mut out, ['└', '─', '┴', '┘']);
    Some(out)
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

#[cfg(test)]
mod unfitted_tables {
    use super::*;
    use proptest::prelude::*;

    fn comfy(header: &[&str], rows: &[Vec<String>]) -> String {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .force_no_tty()
            .set_header(header.to_vec());
        for row in rows {
            table.add_row(row.clone());
        }
        assert_eq!(table.width(), None);
        format!("{table}\n")
    }

    /// Cells of letters, wide CJK and emoji, combining and zero-width characters,
    /// ellipses and spaces (leading, trailing, repeated), as `shown` leaves them.
    fn cell() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "  ",
            "-",
            "0",
            "é",
            "e\u{301}",
            "中",
            "文字",
            "🙂",
            "👩\u{200d}💻",
            "\u{200b}",
            "\u{fe0f}",
            "…",
            "│",
            "┆",
            "ﬁ",
            "\u{ad}",
            "ᄀ",
            "\u{1b}",
            "\t",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|p| shown(&[p.concat()]).remove(0))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn the_same_bytes_as_comfy_table(
            header in prop::collection::vec(cell(), 1..6),
            rows in prop::collection::vec(prop::collection::vec(cell(), 6), 1..20),
        ) {
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let rows: Vec<Vec<String>> =
                rows.into_iter().map(|mut r| { r.truncate(header.len()); r }).collect();
            prop_assert_eq!(unfitted(&header, &rows), Some(comfy(&header, &rows)));
        }
    }

    #[test]
    fn what_it_does_not_draw_is_left_to_comfy_table() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(unfitted(&["id", "title"], &[]), None);
        assert_eq!(unfitted(&["id", "title"], &[row(&["a"])]), None);
        assert_eq!(unfitted(&["id"], &[row(&["a\nb"])]), None);
        // The list's own columns, as `cto adr list` shows them.
        let rows = vec![
            row(&["ADR-0001", "accepted", "2024-01-02", "Use Postgres"]),
            row(&["ADR-10000", "", "", "文字 🙂 e\u{301}"]),
        ];
        let header = ["id", "status", "date", "title"];
        assert_eq!(unfitted(&header, &rows), Some(comfy(&header, &rows)));
    }
}
