//! `--format csv`: RFC 4180, a header row then one row per record.

use std::io::{self, Write};

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn render(w: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let line = |cells: Vec<String>| cells.join(",");
    writeln!(w, "{}", line(header.iter().map(|h| field(h)).collect()))?;
    for row in rows {
        writeln!(w, "{}", line(row.iter().map(|c| field(c)).collect()))?;
    }
    Ok(())
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
