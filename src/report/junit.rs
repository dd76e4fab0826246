//! `--format junit`: JUnit XML, one test case per document, a failure per finding.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Item, LintReport, escape_markup as xml};
use crate::check::Severity;

/// `paths` are every document linted, so that clean ones appear as passing cases.
pub fn render(w: &mut dyn Write, report: &LintReport, paths: &[&str]) -> io::Result<()> {
    let mut by_path: BTreeMap<&str, Vec<Item>> = paths.iter().map(|p| (*p, Vec::new())).collect();
    for d in report.items() {
        by_path.entry(d.path).or_default().push(d);
    }
    let failures = report
        .items()
        .filter(|d| d.severity == Severity::Error)
        .count();
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="cto lint" tests="{}" failures="{failures}" errors="0">"#,
        by_path.len()
    )?;
    writeln!(
        w,
        r#"  <testsuite name="cto lint" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
        by_path.len()
    )?;
    for (path, diags) in &by_path {
        // Values a document controls are single lines, their controls shown.
        // Relative to the work tree's top, as CI places files.
        let path = xml(&report.base.path(path));
        writeln!(
            w,
            r#"    <testcase classname="cto.lint" name="{path}" file="{path}">"#
        )?;
        for d in diags {
            let start = d.start;
            let message = xml(d.message);
            // Escaped piece by piece: the line break before the help is cto's own.
            let text = format!(
                "{}:{}:{}: {message} [{}]{}",
                xml(&report.base.path(d.path)),
                start.line,
                start.column,
                d.rule.code,
                d.help
                    .map_or(String::new(), |h| format!("\nhelp: {}", xml(h)))
            );
            match d.severity {
                Severity::Error => writeln!(
                    w,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    d.rule.code, message, text
                )?,
                Severity::Warning => writeln!(w, "      <system-out>warning: {text}</system-out>")?,
            }
        }
        writeln!(w, "    </testcase>")?;
    }
    writeln!(w, "  </testsuite>")?;
    writeln!(w, "</testsuites>")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(
            super::xml("a<b & \"c\"\u{1}\u{fffe}"),
            "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{fffe}"
        );
    }
}
