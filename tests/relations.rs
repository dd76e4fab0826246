//! Relations between ADRs (`link`, `new --supersedes`, `status "superseded by"`), each
//! kind's own command line, and what `-q`/`-v` and `rules --format csv` print.

mod support;

use support::{Repo, madr};

const D: &str = "docs/decisions";

fn three() -> Repo {
    Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))
        .file(&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y"))
        .file(&format!("{D}/0003-use-z.md"), &madr("proposed", "Use Z"))
}

/// The lines of `after` that differ from `before`, and the lines added.
fn diff(before: &str, after: &str) -> Vec<String> {
    let old: Vec<&str> = before.lines().collect();
    after
        .lines()
        .filter(|l| !old.contains(l))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_kind_offers_only_its_own_commands() {
    let repo = Repo::git();
    let help = |args: &[&str]| {
        let run = repo.cto(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    for kind in ["risk", "slo", "roadmap"] {
        let text = help(&[kind, "--help"]);
        for adr_only in ["graph", "toc", "renumber", "migrate", "link"] {
            assert!(
                !text.contains(&format!("  {adr_only} ")),
                "`cto {kind} --help` offers {adr_only}:\n{text}"
            );
        }
        assert!(text.contains("  new "), "{text}");
        let new = help(&[kind, "new", "--help"]);
        assert!(!new.contains("--supersedes"), "{new}");
        assert!(new.contains("Example:"), "{new}");
    }
    let adr = help(&["adr", "--help"]);
    for cmd in ["graph", "toc", "renumber", "migrate", "link"] {
        assert!(adr.contains(&format!("  {cmd} ")), "{adr}");
    }
    assert!(help(&["adr", "new", "--help"]).contains("--supersedes"));
    // Only the roadmap's report draws a gantt.
    assert!(help(&["roadmap", "report", "--help"]).contains("mermaid"));
    for kind in ["adr", "risk", "slo"] {
        let text = help(&[kind, "report", "--help"]);
        assert!(!text.contains("mermaid"), "{kind}: {text}");
    }
    let refused = repo.cto(&["risk", "report", "--format", "mermaid"]);
    assert_eq!(refused.code, 2);
    // Kinds are the command line's choices everywhere.
    let lint = help(&["lint", "--help"]);
    assert!(lint.contains("adr, risk, slo, roadmap"), "{lint}");
}

#[test]
fn new_supersedes_several_and_refuses_an_adr_superseded_already() {
    let repo = three();
    let run = repo.cto(&[
        "adr",
        "new",
        "Use W",
        "--supersedes",
        "1",
        "--supersedes",
        "ADR-0002",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = repo.read(&format!("{D}/0004-use-w.md"));
    assert!(
        new.contains("\nsupersedes: [ADR-0001, ADR-0002]\n"),
        "{new}"
    );
    for old in ["0001-use-x.md", "0002-use-y.md"] {
        let text = repo.read(&format!("{D}/{old}"));
        assert!(text.contains("status: superseded by ADR-0004\n"), "{text}");
    }
    assert_eq!(repo.cto(&["lint"]).code, 0);

    // ADR-0001 is superseded by ADR-0004 already: refused, nothing written.
    let before = repo.snapshot();
    let again = repo.cto(&["adr", "new", "Use V", "--supersedes", "1"]);
    assert_eq!(again.code, 2, "{}", again.stdout);
    assert!(
        again
            .stderr
            .contains("ADR-0001 is already superseded by ADR-0004"),
        "{}",
        again.stderr
    );
    assert_eq!(repo.snapshot(), before, "a refused `new` wrote something");

    let forced = repo.cto(&["adr", "new", "Use V", "--supersedes", "1", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        repo.read(&format!("{D}/0001-use-x.md"))
            .contains("status: superseded by ADR-0005\n")
    );
}

#[test]
fn status_superseded_by_updates_both_records() {
    let repo = three();
    let before_new = repo.read(&format!("{D}/0003-use-z.md"));
    let run = repo.cto(&["adr", "status", "1", "superseded by ADR-0003"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "ADR-0001: accepted → superseded by ADR-0003"
    );
    assert!(
        repo.read(&format!("{D}/0001-use-x.md"))
            .contains("status: superseded by ADR-0003\n")
    );
    let after_new = repo.read(&format!("{D}/0003-use-z.md"));
    assert_eq!(
        diff(&before_new, &after_new),
        vec!["supersedes: [ADR-0001]"]
    );
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);

    // Superseded already, by another: refused without --force, both files untouched.
    let before = repo.snapshot();
    let refused = repo.cto(&["adr", "status", "1", "superseded by ADR-0002"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("already superseded by ADR-0003"),
        "{}",
        refused.stderr
    );
    assert_eq!(repo.snapshot(), before);

    // The newer record keeps its metadata in an adr-tools body: refused, not half done.
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))
        .file(
            &format!("{D}/0002-use-y.md"),
            "# 2. Use Y\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n\n## Decision\n\nD.\n\n## Consequences\n\nE.\n",
        );
    let before = repo.snapshot();
    let refused = repo.cto(&["adr", "status", "1", "superseded by ADR-0002"]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.stderr.contains("adr-tools"), "{}", refused.stderr);
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn link_writes_each_relation_on_both_sides() {
    let repo = three();
    let x = format!("{D}/0001-use-x.md");
    let y = format!("{D}/0002-use-y.md");
    let z = format!("{D}/0003-use-z.md");
    let (bx, by, bz) = (repo.read(&x), repo.read(&y), repo.read(&z));

    let run = repo.cto(&["adr", "link", "3", "amends", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(diff(&bz, &repo.read(&z)), vec!["amends: [ADR-0002]"]);
    assert_eq!(diff(&by, &repo.read(&y)), vec!["amended-by: [ADR-0003]"]);

    let run = repo.cto(&["adr", "link", "ADR-0003", "relates-to", "ADR-0001"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(diff(&bx, &repo.read(&x)), vec!["links: [ADR-0003]"]);
    assert!(repo.read(&z).contains("\nlinks: [ADR-0001]\n"));

    let run = repo.cto(&["adr", "link", "3", "supersedes", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xt = repo.read(&x);
    assert!(xt.contains("status: superseded by ADR-0003\n"), "{xt}");
    assert!(repo.read(&z).contains("\nsupersedes: [ADR-0001]\n"));

    // Recorded already: nothing to do, nothing written.
    let before = repo.snapshot();
    let again = repo.cto(&["adr", "link", "3", "amends", "2"]);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("already"), "{}", again.stderr);
    assert_eq!(repo.snapshot(), before);

    let lint = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(lint.findings(), vec![], "{}", lint.stdout);

    // Itself, or an ADR that is not there: usage errors.
    assert_eq!(repo.cto(&["adr", "link", "3", "amends", "3"]).code, 2);
    assert_eq!(repo.cto(&["adr", "link", "3", "amends", "9"]).code, 2);
}

#[test]
fn link_keeps_a_block_list_a_block_list() {
    let text = madr("accepted", "Use Y").replacen(
        "decision-makers: [Ana]\n",
        "decision-makers: [Ana]\nlinks:\n  - ADR-0001 \n  - RISK-0001\n",
        1,
    );
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("accepted", "Use X"))
        .file(&format!("{D}/0002-use-y.md"), &text)
        .file(&format!("{D}/0003-use-z.md"), &madr("accepted", "Use Z"));
    let run = repo.cto(&["adr", "link", "2", "relates-to", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = repo.read(&format!("{D}/0002-use-y.md"));
    assert_eq!(
        after,
        text.replacen("  - RISK-0001\n", "  - RISK-0001\n  - ADR-0003\n", 1)
    );
}

#[test]
fn status_names_a_status_it_does_not_know_and_needs_force() {
    let repo = Repo::git().file(&format!("{D}/0001-use-x.md"), &madr("Living", "Use X"));
    let before = repo.snapshot();
    let run = repo.cto(&["adr", "status", "1", "deprecated"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("status `Living` is not one cto knows"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("statuses: { living: accepted }"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.snapshot(), before);
    let forced = repo.cto(&["adr", "status", "1", "deprecated", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(forced.stdout.trim(), "ADR-0001: Living → deprecated");
}

#[test]
fn quiet_prints_findings_only_and_verbose_says_what_was_read() {
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &madr("acepted", "Use X"))
        .file(&format!("{D}/0002-use-y.md"), &madr("accepted", "Use Y"));
    let loud = repo.cto(&["lint"]);
    assert_eq!(loud.code, 1);
    assert!(
        loud.stdout.contains("1 error, 0 warnings in 2 documents"),
        "{}",
        loud.stdout
    );
    let quiet = repo.cto(&["-q", "lint"]);
    assert_eq!(quiet.code, 1);
    assert!(quiet.stdout.contains("CTO104"), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("in 2 documents"), "{}", quiet.stdout);

    let verbose = repo.cto(&["-v", "lint"]);
    assert_eq!(verbose.code, 1);
    assert!(
        verbose.stderr.contains("configuration built in (no cto.yaml); 2 document(s) read (2 adr); 2 in scope; 1 finding(s)"),
        "{}",
        verbose.stderr
    );
    assert_eq!(repo.cto(&["-q", "-v", "lint"]).code, 2);
}

#[test]
fn rules_as_csv_is_csv() {
    let run = Repo::plain().cto(&["rules", "--format", "csv"]);
    assert_eq!(run.code, 0);
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("code,name,severity,kinds,summary"));
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("CTO101,unreadable-file,error,all,"),
        "{first}"
    );
    assert!(!run.stdout.contains('│') && !run.stdout.contains('┌'));
}

#[test]
fn links_name_an_slo_by_its_name() {
    let slo = "---\nservice: checkout\nowner: Ana\nstatus: active\nobjective: 99.9\nwindow: 30d\nsli:\n  type: ratio\n  good: sum(rate(ok[{{.window}}]))\n  total: sum(rate(all[{{.window}}]))\nalerting: { page: true, ticket: true, runbook: https://x.org/r }\n---\n\n# Checkout availability\n";
    let text = madr("accepted", "Use X").replacen(
        "decision-makers: [Ana]\n",
        "decision-makers: [Ana]\nlinks: [checkout-availability, nosuch-slo]\n",
        1,
    );
    let repo = Repo::git()
        .file("docs/slos/checkout-availability.md", slo)
        .file(&format!("{D}/0001-use-x.md"), &text);
    let run = repo.cto(&["lint", "--format", "json", &format!("{D}/0001-use-x.md")]);
    let found: Vec<(String, String)> = run
        .findings()
        .into_iter()
        .map(|(_, code, _, message)| (code, message))
        .collect();
    assert_eq!(
        found,
        vec![(
            "CTO302".to_string(),
            "`links` refers to nosuch-slo, which does not exist".to_string()
        )],
        "{}",
        run.stdout
    );
}

#[test]
fn a_record_cannot_supersede_the_one_that_supersedes_it() {
    let old = madr("superseded by ADR-0002", "Use X");
    let newer = madr("accepted", "Use Y").replacen(
        "decision-makers: [Ana]\n",
        "decision-makers: [Ana]\nsupersedes: [ADR-0001]\n",
        1,
    );
    let repo = Repo::git()
        .file(&format!("{D}/0001-use-x.md"), &old)
        .file(&format!("{D}/0002-use-y.md"), &newer);
    let before = repo.snapshot();
    let run = repo.cto(&["adr", "link", "1", "supersedes", "2"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot supersede it in turn"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.snapshot(), before);
}
