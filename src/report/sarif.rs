//! `--format sarif`: SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::json;

use super::LintReport;
use crate::check::{RULES, Severity};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(w: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    // Every rule is listed, so that rule indexes and ids are stable across runs.
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc(), "markdown": r.doc()},
                "defaultConfiguration": {"level": match r.severity { Severity::Error => "error", Severity::Warning => "warning" }},
                "properties": {"kinds": r.kinds},
            })
        })
        .collect();
    let results: Vec<_> = report
        .items()
        .map(|d| {
            let (start, end) = (d.start, d.end);
            let index = RULES.iter().position(|r| r.code == d.rule.code).unwrap_or(0);
            let mut message = d.message.to_string();
            if let Some(help) = d.help {
                message.push_str(" (");
                message.push_str(help);
                message.push(')');
            }
            json!({
                "ruleId": d.rule.code,
                "ruleIndex": index,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column.max(start.column + usize::from(end.line == start.line && end.column == start.column)),
                        }
                    }
                }],
            })
        })
        .collect();
    let artifacts: BTreeSet<&str> = report.items().map(|d| d.path).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cto",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/cto-rs/cto",
                "rules": rules,
            }},
            "artifacts": artifacts.iter().map(|p| json!({"location": {"uri": p, "uriBaseId": "%SRCROOT%"}})).collect::<Vec<_>>(),
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json::write_value(w, &log)
}
