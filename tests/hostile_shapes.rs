//! Status edits on records read through the lenient shapes (a metadata table, a
//! template's option list, a badge, a team's own key): each changes only the status it
//! means to, keeps the rest of the record byte for byte, or refuses and leaves the file.

mod support;

use support::Repo;

const ADR: &str = "docs/decisions/0001-use-x.md";

fn status_of(repo: &Repo) -> String {
    let rows = repo.cto(&["adr", "list", "--format", "json"]).json();
    rows[0]["status"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_table_cell_with_an_escaped_bar_is_one_cell() {
    let text = "# 1. Use X\n\n| Created | Status | Owner |\n|---|---|---|\n| 2024-01-01 | proposed \\| draft | Ana |\n\n## Context\n\nWhy.\n";
    let repo = Repo::plain().file(ADR, text);
    // The cell is `proposed \| draft`, not `proposed \`.
    let rows = repo.cto(&["adr", "list", "--format", "json"]).json();
    assert_eq!(rows[0]["date"], "2024-01-01", "{rows}");
    assert_ne!(rows[0]["status"], "proposed \\", "{rows}");
    let run = repo.cto(&["adr", "status", "1", "rejected", "--force"]);
    let after = repo.read(ADR);
    if run.code == 0 {
        // The cell is replaced whole: three columns still, the owner kept.
        assert_eq!(
            after,
            text.replace("proposed \\| draft", "Rejected"),
            "{}",
            run.stderr
        );
        assert_eq!(status_of(&repo), "rejected");
    } else {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(after, text);
    }
}

#[test]
fn a_quoted_localized_key_is_edited_where_it_is_not_added_again() {
    for key in ["\"statut\"", "'Status'"] {
        let text = format!(
            "---\ntitle: Use X\n{key}: proposed # chosen by the team\ndate: 2024-01-01\n---\n\n# Use X\n"
        );
        let repo = Repo::plain().file(ADR, &text);
        assert_eq!(status_of(&repo), "proposed", "{key}");
        let run = repo.cto(&["adr", "status", "1", "accepted"]);
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        assert_eq!(
            repo.read(ADR),
            text.replace(": proposed #", ": accepted #"),
            "{key}"
        );
    }
}

#[test]
fn an_option_list_keeps_its_options_and_moves_the_bold() {
    let text = "# 1. Use X\n\n## Status\n\nProposed | **Accepted** | Rejected | Deprecated\n\n## Context\n\nWhy.\n";
    let repo = Repo::plain().file(ADR, text);
    assert_eq!(status_of(&repo), "accepted");
    let run = repo.cto(&["adr", "status", "1", "deprecated"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        repo.read(ADR),
        text.replace(
            "Proposed | **Accepted** | Rejected | Deprecated",
            "Proposed | Accepted | Rejected | **Deprecated**"
        )
    );
    assert_eq!(status_of(&repo), "deprecated");

    // A status the list does not offer: refused, the options left as they were.
    let text = "# 1. Use X\n\nStatus: Vorgeschlagen | __Akzeptiert__ | Abgelehnt\n\n## Kontext\n\nWarum.\n";
    let repo = Repo::plain().file(ADR, text);
    assert_eq!(status_of(&repo), "accepted");
    let run = repo.cto(&["adr", "status", "1", "deprecated"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("docs/decisions/0001-use-x.md:3:9: the status is chosen from a list"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(ADR), text);
}

#[test]
fn a_status_badge_is_refused_not_replaced_by_words() {
    for status in [
        "[![Generic badge](https://badgen.net/badge/ADR/proposed/orange/)](README.md)",
        "![proposed](https://img.shields.io/badge/status-proposed-orange)",
    ] {
        let text = format!("# 1. Use X\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n");
        let repo = Repo::plain().file(ADR, &text);
        assert_eq!(status_of(&repo), "proposed", "{status}");
        let run = repo.cto(&["adr", "status", "1", "accepted"]);
        assert_eq!(run.code, 2, "{status}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("docs/decisions/0001-use-x.md:5:1: the status is a badge"),
            "{}",
            run.stderr
        );
        assert_eq!(repo.read(ADR), text, "{status}");
    }
}
