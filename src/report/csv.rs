//! `--format csv`: RFC 4180, a header row then one row per record; every field one line,
//! safe to open in a spreadsheet (see `escape::csv_field`).

use std::io::{self, Write};

use super::escape::csv_field as field;

pub fn render(w: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    render_rows(w, header, rows)
}

/// The header, then each row as it comes (rows built one at a time are written one at
/// a time).
pub fn render_rows<R: AsRef<[String]>>(
    w: &mut dyn Write,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let line = |cells: Vec<String>| cells.join(",");
    writeln!(w, "{}", line(header.iter().map(|h| field(h)).collect()))?;
    for row in rows {
        writeln!(
            w,
            "{}",
            line(row.as_ref().iter().map(|c| field(c)).collect())
        )?;
    }
    Ok(())
}

/// A table of a report (its header row, then its rows).
pub fn render_table(w: &mut dyn Write, t: &crate::views::TableView) -> io::Result<()> {
    let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
    render(w, &header, &t.rows)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting() {
        let mut out = Vec::new();
        super::render(
            &mut out,
            &["a", "b"],
            &[vec!["x, y".into(), "say \"hi\"".into()]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"
        );
    }
}
