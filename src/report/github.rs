//! `--format github`: GitHub Actions workflow commands, which become annotations.

use std::io::{self, Write};

use super::LintReport;
use super::escape::{visible, workflow_data as data, workflow_property as property};
use crate::check::Severity;

pub fn render(w: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    for d in report.items() {
        let (start, end) = (d.start, d.end);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // One annotation per line: what a document wrote is shown, never obeyed (a
        // newline in a value must not start a workflow command of its own).
        let mut message = visible(d.message).into_owned();
        if let Some(help) = d.help {
            message.push_str("\nhelp: ");
            message.push_str(&visible(help));
        }
        writeln!(
            w,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&visible(&report.base.path(d.path))),
            start.line,
            start.column,
            end.line,
            end.column,
            property(&format!("{} {}", d.rule.code, d.rule.name)),
            data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(
            property(&visible("a\n::error::x")),
            "a\\n%3A%3Aerror%3A%3Ax"
        );
    }
}
