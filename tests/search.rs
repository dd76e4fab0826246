//! `cto search`: ranked full-text hits across kinds, filters, JSON, escaping, exit codes.

mod support;

use support::{Repo, madr};

const D: &str = "docs/decisions";

fn repo() -> Repo {
    Repo::git()
        .file(&format!("{D}/0001-use-postgres.md"), &madr("accepted", "Use Postgres"))
        .file(
            &format!("{D}/0002-cache-reads.md"),
            &madr("proposed", "Cache reads").replace("Why.", "Postgres replicas are slow to catch up."),
        )
        .file(
            "docs/risks/0001-vendor-lock-in.md",
            "---\ntitle: Vendor lock-in\nowner: Ana\nstatus: open\ncategory: vendor\nlikelihood: 2\nimpact: 3\n---\n\n## Description\n\nOur managed Postgres is one vendor's.\n",
        )
        .file(
            "docs/risks/0002-key-person.md",
            "---\ntitle: Key person\nowner: Bo\nstatus: open\ncategory: people\nlikelihood: 2\nimpact: 3\n---\n\n## Description\n\nOne person knows billing.\n",
        )
}

#[test]
fn hits_are_ranked_across_kinds_with_an_excerpt() {
    let run = repo().cto(&["search", "postgres"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "ADR-0001  accepted  Use Postgres\n  \
         docs/decisions/0001-use-postgres.md:7:5: Use Postgres\n\
         ADR-0002  proposed  Cache reads\n  \
         docs/decisions/0002-cache-reads.md:11:1: Postgres replicas are slow to catch up.\n\
         RISK-0001  open  Vendor lock-in\n  \
         docs/risks/0001-vendor-lock-in.md:12:13: Our managed Postgres is one vendor's.\n"
    );
    assert_eq!(run.stderr, "3 matching document(s); 4 searched\n");
}

#[test]
fn json_has_every_field_of_a_hit() {
    let run = repo().cto(&["search", "replicas", "--format", "json"]);
    assert_eq!(run.code, 0);
    let json = run.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["searched"], 4);
    let hit = &json["hits"][0];
    assert_eq!(hit["id"], "ADR-0002");
    assert_eq!(hit["kind"], "adr");
    assert_eq!(hit["title"], "Cache reads");
    assert_eq!(hit["status"], "proposed");
    assert_eq!(hit["path"], "docs/decisions/0002-cache-reads.md");
    assert_eq!(
        hit["excerpt"],
        serde_json::json!({
            "field": "body", "text": "Postgres replicas are slow to catch up.",
            "match_start": 9, "match_end": 17, "line": 11, "column": 10
        })
    );
    assert!(hit["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn filters_narrow_the_hits() {
    let r = repo();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "--format", "json"];
        all.extend_from_slice(args);
        r.cto(&all).json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["postgres", "--kind", "risk"]), ["RISK-0001"]);
    assert_eq!(ids(&["postgres", "--status", "proposed"]), ["ADR-0002"]);
    assert_eq!(ids(&["one", "--owner", "bo"]), ["RISK-0002"]);
    // Every word must match.
    assert_eq!(ids(&["postgres", "vendor"]), ["RISK-0001"]);
    assert_eq!(ids(&["\"managed postgres\""]), ["RISK-0001"]);
}

#[test]
fn the_limit_shows_the_best_and_says_how_many_more() {
    let run = repo().cto(&["search", "postgres", "--limit", "1"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("ADR-0001  accepted  Use Postgres\n"));
    assert_eq!(run.stdout.lines().count(), 2);
    assert_eq!(
        run.stderr,
        "1 of 3 matching documents shown (--limit 0 shows all); 4 searched\n"
    );
}

#[test]
fn no_match_exits_1_and_bad_input_exits_2() {
    let r = repo();
    let none = r.cto(&["search", "kubernetes"]);
    assert_eq!((none.code, none.stdout.as_str()), (1, ""));
    let typo = r.cto(&["search", "postgres", "--status", "acepted"]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "error: unknown status `acepted` (did you mean `accepted`?)\n"
    );
    let quote = r.cto(&["search", "\"open"]);
    assert_eq!(quote.code, 2);
    assert!(quote.stderr.contains("unclosed quote"), "{}", quote.stderr);
    let empty = r.cto(&["search", " "]);
    assert_eq!(empty.code, 2);
}

#[test]
fn control_characters_in_documents_are_shown_not_obeyed() {
    let r = repo().file(
        &format!("{D}/0003-evil.md"),
        &madr("proposed", "Evil\u{1b}[31m title")
            .replace("Why.", "needle \u{202e}reversed\u{7} here"),
    );
    let run = r.cto(&["search", "needle"]);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'));
    assert!(
        run.stdout.contains("Evil\\u{1b}[31m title"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("needle \\u{202e}reversed\\u{7} here"),
        "{}",
        run.stdout
    );
}

#[test]
fn unreadable_files_are_passed_over() {
    let r = repo();
    r.write(&format!("{D}/0009-binary.md"), b"postgres\0\xff");
    r.write(&format!("{D}/0010-latin1.md"), b"postgres \xe9t\xe9");
    let run = r.cto(&["search", "postgres", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.json()["total"], 3);
}
