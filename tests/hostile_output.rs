//! Values a document controls are shown, never obeyed: no output of cto carries a
//! terminal escape, a carriage return, a forged GitHub workflow command, a character XML
//! cannot hold, or a markdown row of its own.

mod support;

use support::Repo;

const D: &str = "docs/decisions";

/// A forged workflow command, two terminal escapes, a carriage return, a table cell, a
/// character XML forbids and a right-to-left override (YAML escapes, so the file is text).
const HOSTILE: &str =
    r#"Use X\n::error file=x,line=1::forged \x1b]0;pwned\x07 \x1b[2J \r | \uFFFE \u202E end"#;

/// Characters that must never reach any output as they are.
const RAW: [char; 5] = ['\x1b', '\r', '\x07', '\u{fffe}', '\u{202e}'];

fn adr(title: &str, status: &str, extra: &str, context: &str) -> String {
    format!(
        "---\ntitle: {title}\nstatus: {status}\ndate: 2024-01-15\ndecision-makers: [Ana]\n{extra}---\n\n# Title\n\n## Context and Problem Statement\n\n{context}\n\n## Considered Options\n\n* A\n* B\n\n## Decision Outcome\n\nChosen option: A.\n"
    )
}

fn hostile_repo() -> Repo {
    let repo = Repo::git()
        // Escapes in the values.
        .file(
            &format!("{D}/0001-use-x.md"),
            &adr(
                &format!("\"{HOSTILE}\""),
                r#""acceptedd\n::error file=x,line=1::forged\x1b]0;pwned\x07 | \uFFFE""#,
                "",
                "Why.",
            ),
        )
        // A formula for a spreadsheet, an escaped `|` for a markdown table, a link so that
        // the graph has an edge, and raw bytes in the text itself next to a broken link
        // (quoted in human output's snippet).
        .file(
            &format!("{D}/0002-use-y.md"),
            &adr(
                r#""=HYPERLINK(\"http://x\") \x1b]0;pwned\x07 \x1b[2J \\| b""#,
                r#""acceptd \x1b[2J\x1b]0;pwned\x07\r \\| end""#,
                "links: [ADR-0001]\n",
                "Why \x1b[2J\x1b]0;pwned\x07\r see [x](0099-nope.md).",
            ),
        );
    // A file name with a newline and a forged command in it.
    #[cfg(unix)]
    repo.write(
        &format!("{D}/0003-evil\n::error file=y,line=1::forged \x1b[2J.md"),
        adr("Use Z", "acepted", "", "Why.").as_bytes(),
    );
    repo
}

/// No raw control character; no line that a GitHub runner would take as a command.
fn assert_inert(what: &str, out: &str) {
    for c in RAW {
        assert!(
            !out.contains(c),
            "{what}: raw {:?} in the output:\n{out}",
            c
        );
    }
    for line in out.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line reads as a workflow command: {line:?}\n{out}"
        );
    }
}

/// JSON escapes what it must; the output parses and has no raw controls.
fn assert_json(what: &str, out: &str) {
    for c in ['\x1b', '\r', '\x07'] {
        assert!(!out.contains(c), "{what}: raw {c:?}");
    }
    serde_json::from_str::<serde_json::Value>(out)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{out}"));
}

/// The `|` that separate markdown table cells (not those escaped as `\|`).
fn cell_separators(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n
}

/// Every row of every markdown table has as many cells as its header; no text line
/// outside a table holds an unescaped `|` that could start one.
fn assert_tables(what: &str, out: &str) {
    let mut header: Option<usize> = None;
    for line in out.lines() {
        if line.starts_with('|') {
            let n = cell_separators(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(n, h, "{what}: a row with other cells: {line:?}\n{out}"),
            }
        } else {
            header = None;
        }
    }
}

fn run_ok(repo: &Repo, args: &[&str]) -> String {
    let run = repo.cto(args);
    assert!(
        run.code == 0 || run.code == 1,
        "{args:?} exited {}: {}",
        run.code,
        run.stderr
    );
    assert_inert(&format!("{args:?} (stderr)"), &run.stderr);
    run.stdout
}

#[test]
fn lint_human_output_shows_controls_in_messages_paths_and_snippets() {
    let repo = hostile_repo();
    let out = run_ok(&repo, &["lint"]);
    assert_inert("lint", &out);
    assert!(
        out.contains(r"acceptedd\n::error file=x,line=1::forged"),
        "{out}"
    );
    // The raw bytes of 0002's text are quoted escaped.
    assert!(
        out.contains(r"Why \u{1b}[2J\u{1b}]0;pwned\u{7}\r see [x](0099-nope.md)."),
        "{out}"
    );
    #[cfg(unix)]
    assert!(
        out.contains(r"0003-evil\n::error file=y,line=1::forged"),
        "{out}"
    );
}

#[test]
fn lint_github_output_is_one_annotation_per_finding() {
    let repo = hostile_repo();
    let findings = repo.cto(&["lint", "--format", "json"]).findings().len();
    let out = run_ok(&repo, &["lint", "--format", "github"]);
    for c in RAW {
        assert!(!out.contains(c), "raw {c:?} in:\n{out}");
    }
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings, "{out}");
    for line in lines {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line:?}"
        );
        // The message is the last part: no second command in it, no forged file.
        let (props, message) = line
            .trim_start_matches("::")
            .split_once("::")
            .expect("a message");
        assert!(!message.is_empty(), "{line:?}");
        // The properties are cto's six, each once: a value cannot add one.
        let keys: Vec<&str> = props
            .split_once(' ')
            .expect("properties")
            .1
            .split(',')
            .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line:?}"
        );
    }
}

#[test]
fn lint_junit_output_is_valid_xml_text() {
    let repo = hostile_repo();
    let out = run_ok(&repo, &["lint", "--format", "junit"]);
    assert_inert("junit", &out);
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    assert!(!out.chars().any(forbidden), "{out}");
    assert_eq!(out.matches("<testcase ").count(), 3, "{out}");
    assert_eq!(out.matches("</testcase>").count(), 3, "{out}");
}

#[test]
fn lint_json_and_sarif_are_json() {
    let repo = hostile_repo();
    for format in ["json", "sarif"] {
        let out = run_ok(&repo, &["lint", "--format", format]);
        assert_json(format, &out);
    }
}

#[test]
fn adr_list_in_every_format() {
    let repo = hostile_repo();
    let table = run_ok(&repo, &["adr", "list"]);
    assert_inert("adr list", &table);

    let csv = run_ok(&repo, &["adr", "list", "--format", "csv"]);
    assert_inert("adr list --format csv", &csv);
    assert_csv("adr list --format csv", &csv, 3);

    assert_json(
        "adr list --format json",
        &run_ok(&repo, &["adr", "list", "--format", "json"]),
    );
}

/// One record a line, as many fields as the header, none a spreadsheet would run.
fn assert_csv(what: &str, out: &str, records: usize) {
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), records + 1, "{what}:\n{out}");
    let fields = |line: &str| -> Vec<String> {
        let mut out = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    out.last_mut().expect("field").push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(String::new()),
                c => out.last_mut().expect("field").push(c),
            }
        }
        out
    };
    let width = fields(lines[0]).len();
    for line in &lines[1..] {
        let f = fields(line);
        assert_eq!(f.len(), width, "{what}: {line:?}");
        for field in f {
            assert!(
                !field.starts_with(['=', '+', '-', '@']) || field.parse::<f64>().is_ok(),
                "{what}: a formula: {field:?}"
            );
        }
    }
}

#[test]
fn adr_toc_and_graphs() {
    let repo = hostile_repo();
    let toc = run_ok(&repo, &["adr", "toc"]);
    assert_inert("adr toc", &toc);
    let items: Vec<&str> = toc.lines().filter(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(items.len(), 3, "one line per ADR:\n{toc}");
    assert!(items.iter().all(|l| l.starts_with("- [ADR-")), "{toc}");
    // Link text and target stay whole: `](` once per line, no `|` cell.
    for l in &items {
        assert_eq!(l.matches("](").count(), 1, "{l:?}");
        assert_eq!(cell_separators(l), 0, "{l:?}");
    }

    let mermaid = run_ok(&repo, &["adr", "graph", "--format", "mermaid"]);
    assert_inert("adr graph mermaid", &mermaid);
    let nodes: Vec<&str> = mermaid.lines().filter(|l| l.contains("[\"")).collect();
    assert_eq!(nodes.len(), 3, "{mermaid}");
    for n in nodes {
        // One quoted label, ended where cto ended it.
        assert_eq!(n.matches('"').count(), 2, "{n:?}");
        assert!(n.contains("\"]:::"), "{n:?}");
    }

    let dot = run_ok(&repo, &["adr", "graph", "--format", "dot"]);
    assert_inert("adr graph dot", &dot);
    for line in dot.lines().skip(1) {
        let l = line.trim();
        assert!(
            l.ends_with(';') || l == "}",
            "every DOT statement is one line: {line:?}\n{dot}"
        );
    }
    assert_eq!(dot.matches("fillcolor=\"#").count(), 4, "{dot}");
}

#[test]
fn reports_in_every_format() {
    let repo = hostile_repo();
    for format in ["table", "md", "csv"] {
        let out = run_ok(&repo, &["adr", "report", "--format", format]);
        assert_inert(&format!("adr report {format}"), &out);
        if format == "md" {
            assert_tables("adr report md", &out);
        }
        if format == "csv" {
            assert_csv("adr report csv", &out, 3);
        }
    }
    assert_json(
        "adr report json",
        &run_ok(&repo, &["adr", "report", "--format", "json"]),
    );

    let md = run_ok(&repo, &["report", "--format", "md"]);
    assert_inert("report md", &md);
    assert_tables("report md", &md);
    let html = run_ok(&repo, &["report", "--format", "html"]);
    assert_inert("report html", &html);
    assert_json(
        "report json",
        &run_ok(&repo, &["report", "--format", "json"]),
    );
}

#[test]
fn sarif_uris_keep_every_character_of_a_file_name() {
    // A URL parser drops tabs and line breaks: the URI must still name this file.
    let name = "0001-new\nline\tand:colon%0A.md";
    let repo = Repo::git().file(&format!("{D}/{name}"), &adr("Use X", "acepted", "", "Why."));
    let run = repo.cto(&["lint", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log = run.json();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .expect("a uri")
        .to_string();
    assert_eq!(uri, "docs/decisions/0001-new%0Aline%09and%3Acolon%250A.md");
}
