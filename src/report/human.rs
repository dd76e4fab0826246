//! Human output: rustc-style snippets with the offending line and a caret.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::LintReport;
use super::escape::{snippet, visible};
use crate::check::Severity;

/// Every diagnostic, then the one-line summary.
pub fn render(w: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    render_diagnostics(w, report, color)?;
    render_summary(w, report)
}

/// Every diagnostic as a snippet, without the summary (`--quiet`).
pub fn render_diagnostics(w: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in report.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let (start, end) = report.locate(d);
        // What a document wrote is shown, never obeyed: the message, the path and the
        // quoted lines have their control characters escaped.
        let message = visible(&d.message);
        let path = visible(&d.path);
        let title = level.primary_title(message.as_ref()).id(d.rule.code);
        let source = report.sources.get(&d.path).filter(|s| !s.text.is_empty());
        let mut groups: Vec<Group> = Vec::new();
        match source {
            Some(src) => {
                // Show the lines the span covers (at most three), numbered as in the file.
                let last = end.line.min(start.line + 2);
                let from = src.line_range(start.line).start;
                let to = src.line_range(last).end;
                let (text, s, e) = snippet(
                    &src.text[from..to],
                    d.span.start.clamp(from, to) - from,
                    d.span.end.clamp(from, to) - from,
                );
                groups.push(
                    title.element(
                        Snippet::source(text)
                            .line_start(start.line)
                            .path(path.as_ref())
                            .fold(false)
                            .annotation(AnnotationKind::Primary.span(s..e)),
                    ),
                );
            }
            None => {
                let origin = Origin::path(format!("{path}:{}:{}", start.line, start.column));
                groups.push(title.element(origin));
            }
        }
        let help = d.help.as_deref().map(visible);
        if let Some(help) = &help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        writeln!(w, "{}", renderer.render(&groups))?;
        writeln!(w)?;
    }
    Ok(())
}

/// `2 errors, 1 warning in 14 documents`.
pub fn render_summary(w: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    let s = &report.summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        w,
        "{}, {} in {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.documents, "document"),
    )
}
