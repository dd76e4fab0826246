//! `--format json`: the stable machine-readable shape (see README "JSON output").

use std::io::{self, Write};

use serde::Serialize;

use super::{LintReport, Summary};

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'r, 'a> {
    diagnostics: Diagnostics<'r, 'a>,
    summary: Summary,
}

/// The diagnostics, serialized one by one as they are written (no list of them all).
struct Diagnostics<'r, 'a>(&'r LintReport<'a>);

impl Serialize for Diagnostics<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.items().map(|d| JsonDiagnostic {
            code: d.rule.code,
            name: d.rule.name,
            severity: d.severity.as_str(),
            message: d.message,
            path: d.path,
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            help: d.help,
        }))
    }
}

pub fn render(w: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    write_value(
        w,
        &JsonReport {
            diagnostics: Diagnostics(report),
            summary: report.summary,
        },
    )
}

/// Pretty JSON and a final newline, written in large blocks (a terminal's stdout is
/// line-buffered: one write per line otherwise).
pub fn write_value(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}
