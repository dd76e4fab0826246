//! `--format sarif`: SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
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
    // Paths are URI references relative to the work tree's top, `%SRCROOT%`, which the
    // log names as a file URI (percent-encoded) so that a viewer can place them.
    let base = report
        .base
        .root
        .as_deref()
        .and_then(|r| url::Url::from_directory_path(r).ok());
    let uri = |rel: &str| relative_uri(&report.base.path(rel));
    let result = |d: crate::report::Item| {
        let (start, end) = (d.start, d.end);
        let index = RULES
            .iter()
            .position(|r| r.code == d.rule.code)
            .unwrap_or(0);
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
                    "artifactLocation": {"uri": uri(d.path), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column.max(start.column + usize::from(end.line == start.line && end.column == start.column)),
                    }
                }
            }],
        })
    };
    let artifacts: BTreeSet<&str> = report.items().map(|d| d.path).collect();
    // Written as it is serialized (a result is built when the writer reaches it), with
    // the keys in the order of a JSON object of serde_json: sorted.
    let log = Log {
        schema: SCHEMA,
        runs: [Run {
            artifacts: Lazy(|| {
                artifacts
                    .iter()
                    .map(|p| json!({"location": {"uri": uri(p), "uriBaseId": "%SRCROOT%"}}))
            }),
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: base
                .as_ref()
                .map(|base| json!({"%SRCROOT%": {"uri": base.as_str()}})),
            results: Lazy(|| report.items().map(result)),
            tool: json!({"driver": {
                "name": "cto",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/cto-rs/cto",
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    };
    super::json::write_value(w, &log)
}

#[derive(Serialize)]
struct Log<R: Serialize> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [R; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<A: Serialize, R: Serialize> {
    artifacts: A,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<serde_json::Value>,
    results: R,
    tool: serde_json::Value,
}

/// A sequence whose items are made as the serializer reaches them.
struct Lazy<F>(F);

impl<F: Fn() -> I, I: Iterator<Item = T>, T: Serialize> Serialize for Lazy<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// A `/`-separated relative path as a relative URI reference: each segment
/// percent-encoded (a space, `%`, `#`, `?` or `:` in a file name stays part of the
/// path; a tab or a line break is encoded, not dropped as a URL parser drops it).
fn relative_uri(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let mut out = String::with_capacity(segment.len());
            for b in segment.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        let base = url::Url::from_directory_path("/work/my repo").expect("absolute");
        assert_eq!(base.as_str(), "file:///work/my%20repo/");
        assert_eq!(
            relative_uri("examples/docs/a b#1?.md"),
            "examples/docs/a%20b%231%3F.md"
        );
        assert_eq!(relative_uri("docs/100%.md"), "docs/100%25.md");
        assert_eq!(relative_uri("a:b/ü\n\t.md"), "a%3Ab/%C3%BC%0A%09.md");
    }
}
