//! Human output: rustc-style snippets with the offending line and a caret.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::escape::{snippet, visible};
use super::{Item, LintReport};
use crate::check::Severity;

/// Every diagnostic, then the one-line summary.
pub fn render(w: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    render_diagnostics(w, report, color)?;
    render_summary(w, report)
}

/// Diagnostics rendered at a time: in parallel within a chunk, written in order, so the
/// text held at once stays bounded however many findings there are.
const CHUNK: usize = 2048;

/// Every diagnostic as a snippet, without the summary (`--quiet`).
pub fn render_diagnostics(w: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    use rayon::prelude::*;
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut items = report.items();
    loop {
        let chunk: Vec<Item> = items.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let texts: Vec<String> = chunk.par_iter().map(|d| one(&renderer, d)).collect();
        for text in texts {
            w.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// One diagnostic as a snippet and a blank line.
fn one(renderer: &Renderer, d: &Item) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    // What a document wrote is shown, never obeyed: the message, the path and the
    // quoted lines have their control characters escaped.
    let message = visible(d.message);
    let path = visible(d.path);
    let title = level.primary_title(message.as_ref()).id(d.rule.code);
    let mut groups: Vec<Group> = Vec::new();
    match &d.excerpt {
        Some(excerpt) => {
            let (text, s, e) = snippet(excerpt.text, excerpt.start, excerpt.end);
            groups.push(
                title.element(
                    Snippet::source(text)
                        .line_start(d.start.line)
                        .path(path.as_ref())
                        .fold(false)
                        .annotation(AnnotationKind::Primary.span(s..e)),
                ),
            );
        }
        None => {
            let origin = Origin::path(format!("{path}:{}:{}", d.start.line, d.start.column));
            groups.push(title.element(origin));
        }
    }
    let help = d.help.map(visible);
    if let Some(help) = &help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_ref()),
        ));
    }
    format!("{}\n\n", renderer.render(&groups))
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
