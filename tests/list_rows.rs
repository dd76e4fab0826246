//! `list` reads a document only as deep as its row needs (`Depth::Row`): the rows it
//! makes are held here to those of the full parse, on generated and hostile shapes, on
//! the example repository, on every rule fixture and on the real corpus.

mod support;

use std::path::Path;

use proptest::prelude::*;

use cto::model::kinds::{cells, row};
use cto::model::{
    Depth, Document, Kind, Settings, load_document, load_row, parse_at, parse_document,
};
use cto::source::Source;
use cto::workspace::Workspace;

/// Everything a row shows or a list filters and sorts on.
fn shown(doc: &Document, settings: &Settings) -> String {
    format!(
        "number {:?}\nid {:?}\ncells {:?}\nrow {:?}\nstatus {:?} {:?}\nowner {:?}\nfields {:?}\nformat {:?}\ntitle {:?}\nlinks {:?}",
        doc.number,
        doc.id,
        cells(doc, settings),
        row(doc, settings),
        doc.status,
        doc.status_written,
        doc.owner(),
        doc.fields,
        doc.format,
        doc.title,
        doc.links,
    )
}

fn same_rows(kind: Kind, path: &str, text: &str, settings: &Settings) {
    let full = parse_document(kind, Source::new(path, text.to_string()), settings);
    let lean = parse_at(
        kind,
        Source::new(path, text.to_string()),
        settings,
        Depth::Row,
    );
    assert_eq!(
        shown(&lean, settings),
        shown(&full, settings),
        "{kind} {path}:\n{text:?}"
    );
}

/// Every document of the repository at `root`, read as `list` reads it and whole.
fn same_rows_in(root: &Path) -> usize {
    let ws = Workspace::discover(root).expect("workspace");
    let settings = &ws.config.documents;
    let (files, _) = ws.document_files();
    for f in &files {
        assert_eq!(
            shown(&load_row(f, settings), settings),
            shown(&load_document(f, settings), settings),
            "{}",
            f.rel
        );
    }
    files.len()
}

const KINDS: [Kind; 5] = [
    Kind::Adr,
    Kind::Risk,
    Kind::Slo,
    Kind::Roadmap,
    Kind::Incident,
];

const FRONT: &[&str] = &[
    "",
    "---\nstatus: accepted\ndate: 2024-01-02\ndecision-makers: Ana Lima, Bo Chen\n---\n",
    "---\ntitle: Use Postgres\nstatus: proposed\n---\n",
    "---\ntitle: \"Quoted: title\"\nstatus: Accepted.\ndate: 2024-01-02\n---\n",
    "---\ndescription: |\n  # Not a title\n  Status: rejected\n  ## Status\nstatus: accepted\n---\n",
    "---\nstatus: [\n---\n",
    "---\ntitle: ADR010: Use Luxon\n\tstatus: accepted\n---\n",
    "---\ndecision-makers: Ana, Bo\nstatut: accepté\ndate: 2023-05-06\n---\n",
    "---\ntitle:\nstatus:\n---\n",
    "---\nstatus: accepted\n",
    "---\n---\n",
    "---\nstatus: {accepted}\ndate: {2024-01-02}\n---\n",
    "---\ntitle: Checkout latency\nowner: ana\nlikelihood: 3\nimpact: 4\nstatus: open\nservice: checkout\nhorizon: now\nseverity: sev2\n---\n",
    "---\nstatus: superseded by [ADR-0002](0002-x.md)\nsupersedes: [ADR-0001]\n---\n",
];

const BODY: &[&str] = &[
    "# Title",
    "# 12. Numbered title",
    "#\tTab title",
    "#  Spaced  title  ",
    "# `Code` title",
    "# *Em* title",
    "# Title #",
    "# Title \\#",
    "# A &amp; B",
    "# [ref] title",
    "[ref]: http://example.com",
    "# Ünïcödé 文字 🙂",
    "# \u{a0}nbsp title\u{a0}",
    "#",
    "# ",
    "Setext title\n===",
    "Setext two\n---",
    "```\n# In code\n## Status\nAccepted\n```",
    "~~~\n## Status\n~~~",
    "<!--\n# In a comment\n## Status\n-->",
    "<!-- # inline comment -->",
    "    # indented code",
    "> # Quoted title",
    "> ## Status",
    "- # In a list",
    "1. Status\n   ---",
    "## Status",
    "## status:",
    "## 1. Status",
    "### Decision Status",
    "## St*a*tus",
    "## St&#97;tus",
    "## St<b>atus</b>",
    "Status\n------",
    "Decision\nstatus\n===",
    "Stat\n------",
    "## Statut",
    "## Estado",
    "## Zustand",
    "## 状态",
    "## Статус",
    "## Statement",
    "## Context and Problem Statement",
    "Accepted",
    "Superseded by [2. New](0002-new.md)",
    "Supersedes [1. Old](0001-old.md)",
    "Amends [5. Help](0005-help.md)",
    "Date: 2020-01-02",
    "date : 2020-01-02",
    "- Status: accepted",
    "* **Status**: proposed",
    "**Date:** 2021-03-04",
    "Status： accepted",
    "Deciders: Ana, Bo",
    "* Décideurs: Ana",
    "Tags: a, b",
    "| Status | Date |\n|---|---|\n| accepted | 2020-01-02 |",
    "| Created | x |\n|-|-|\n| 2021-01-16 | y |",
    "| Option | Pros |\n|---|---|\n| database | fast |",
    "Chosen option: \"Option one\", because it is simple.",
    "Prose about the database, an update and a candidate.",
    "* Good, because it is fast",
    "---",
    "***",
    "",
    "   ",
    "\t",
    "a lone\rcarriage return",
    "<!-- cto-ignore CTO201 -->",
    "\u{feff}# BOM inside",
];

fn document() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::sample::select(FRONT),
        prop::collection::vec(prop::sample::select(BODY), 0..9),
        any::<bool>(),
    )
        .prop_map(|(bom, front, body, crlf)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(front);
            text.push_str(&body.join("\n\n"));
            text.push('\n');
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]
    #[test]
    fn generated_shapes_give_the_rows_of_the_full_parse(
        text in document(),
        kind in prop::sample::select(KINDS.as_slice()),
        team in any::<bool>(),
    ) {
        let settings = Settings {
            adr_statuses: if team { vec![("living".into(), "accepted".into())] } else { vec![] },
            ..Settings::default()
        };
        same_rows(kind, "docs/decisions/0007-use-x.md", &text, &settings);
        same_rows(kind, "docs/decisions/no-number.md", &text, &settings);
    }
}

#[test]
fn every_shape_alone_and_every_pair_give_the_rows_of_the_full_parse() {
    let settings = Settings::default();
    for front in FRONT {
        for piece in BODY {
            // A paragraph after it: what a status section would hold.
            // Under a plain title too, which the lean reading takes without a parse.
            for text in [
                format!("{front}{piece}\n\nAccepted\n"),
                format!("{front}# Title\n\n{piece}\n\nAccepted\n"),
            ] {
                for kind in KINDS {
                    same_rows(kind, "docs/decisions/0007-use-x.md", &text, &settings);
                    let crlf = text.replace('\n', "\r\n");
                    same_rows(kind, "docs/decisions/0007-use-x.md", &crlf, &settings);
                }
            }
        }
    }
    for front in [FRONT[0], FRONT[1], FRONT[2]] {
        for first in BODY {
            for second in BODY {
                let text = format!("{front}{first}\n{second}\n\nAccepted\n");
                same_rows(Kind::Adr, "docs/decisions/0007-use-x.md", &text, &settings);
            }
        }
    }
}

#[test]
fn a_plain_record_is_not_parsed_whole_and_one_with_body_metadata_is() {
    let settings = Settings::default();
    let madr = "---\nstatus: accepted\ndate: 2024-01-02\n---\n\n# Use Postgres\n\n## Context and Problem Statement\n\nWe need a database.\n\n## Decision Outcome\n\nChosen option: \"Postgres\", because it is there.\n";
    let lean = parse_at(
        Kind::Adr,
        Source::new("a/0001-x.md", madr.into()),
        &settings,
        Depth::Row,
    );
    let full = parse_document(
        Kind::Adr,
        Source::new("a/0001-x.md", madr.into()),
        &settings,
    );
    // The title alone, against every heading: the body was not parsed.
    assert_eq!(lean.body.headings.len(), 1);
    assert_eq!(full.body.headings.len(), 3);
    assert_eq!(lean.title, full.title);
    let nygard =
        "# 1. Record decisions\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nX.\n";
    let lean = parse_at(
        Kind::Adr,
        Source::new("a/0001-x.md", nygard.into()),
        &settings,
        Depth::Row,
    );
    assert_eq!(lean.body.headings.len(), 3);
    assert_eq!(lean.status_value(), "accepted");
    assert_eq!(
        lean.adr().and_then(|a| a.date).map(|d| d.to_string()),
        Some("2020-01-02".into())
    );
}

#[test]
fn hostile_files_give_the_rows_of_the_full_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("cto.yaml"), "adr:\n  dir: docs/decisions\n").expect("cto.yaml");
    let adr = root.join("docs/decisions");
    std::fs::create_dir_all(&adr).expect("dir");
    let files: &[(&str, &[u8])] = &[
        ("0001-crlf.md", b"---\r\nstatus: accepted\r\n---\r\n\r\n# CRLF title\r\n\r\n## Context\r\n"),
        ("0002-bom.md", "\u{feff}---\nstatus: accepted\n---\n# BOM title\n".as_bytes()),
        ("0003-setext.md", b"---\nstatus: accepted\n---\nSetext title\n============\n\nStatus\n------\n\nRejected\n"),
        ("0004-fenced.md", b"---\nstatus: accepted\n---\n```\n# Not the title\n```\n\n# The title\n"),
        ("0005-comment.md", b"<!--\n# Not the title\n-->\n# 5. The title\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n"),
        ("0006-untitled.md", b"---\nstatus: proposed\ndate: 2024-01-02\n---\n\nNo heading at all.\n"),
        ("0007-block-scalar.md", b"---\nsummary: |\n  # Not a title\nstatus: accepted\n---\n# Block title\n"),
        ("0008-invalid-utf8.md", b"---\nstatus: accepted\n---\n# Bad \xff byte\n"),
        ("0009-binary.md", b"---\nstatus: accepted\n---\n\x00\x01"),
        ("0010-empty.md", b""),
        ("0011-lone-cr.md", b"---\nstatus: accepted\n---\n# Lone\rStatus\n---\n"),
        ("0012-bullets.md", b"# 12. MADR 2\n\n* Status: accepted\n* Deciders: Ana, Bo\n* Date: 2019-01-02\n\n## Context\n"),
        ("0013-table.md", b"# 13. Table\n\n| Created | Status |\n|---|---|\n| 2021-01-16 | Open |\n\n## Context\n"),
    ];
    for (name, bytes) in files {
        std::fs::write(adr.join(name), bytes).expect("write");
    }
    assert_eq!(same_rows_in(root), files.len());
}

#[test]
fn the_example_repository_gives_the_rows_of_the_full_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    assert!(same_rows_in(&root) > 20);
}

#[test]
fn every_rule_fixture_gives_the_rows_of_the_full_parse() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut files = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if dir.is_dir() {
            files += same_rows_in(&dir);
        }
    }
    assert!(files > 100, "{files} fixture files");
}

/// Every markdown file under `dir`.
fn markdown_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_corpus_file_gives_the_rows_of_the_full_parse() {
    let mut files = Vec::new();
    for dir in support::adr_dirs() {
        markdown_files(&dir, &mut files);
    }
    markdown_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        &mut files,
    );
    files.sort();
    files.dedup();
    assert!(files.len() > 200, "{} corpus files", files.len());
    let settings = Settings::default();
    for path in &files {
        let bytes = std::fs::read(path).expect("read");
        // Bytes that are not text are refused before either reading starts.
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let name = path.file_name().expect("name").to_string_lossy();
        for kind in KINDS {
            same_rows(kind, &format!("docs/decisions/{name}"), &text, &settings);
        }
    }
}
