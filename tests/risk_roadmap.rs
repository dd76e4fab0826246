//! Risks and roadmap items: new, lint (policy rules), list, status, reports.

mod support;

use support::{Repo, TODAY};

const R: &str = "docs/risks";
const M: &str = "docs/roadmap";

/// A risk that lints clean (TODAY is 2024-05-01), with `extra` front matter lines.
fn risk(extra: &str) -> String {
    format!(
        "---\nowner: Ana\nstatus: open\ncategory: delivery\nlikelihood: 2\nimpact: 3\ntreatment: mitigate\nreview:\n  last: 2024-04-01\n  next: 2024-07-01\n{extra}---\n\n# A risk\n\n## Description\n\nWhat could happen.\n\n## Mitigation\n\nWhat we do.\n"
    )
}

/// A roadmap item that lints clean, with `extra` front matter lines and body.
fn item(extra: &str, body: &str) -> String {
    format!(
        "---\nowner: Bo\nstatus: planned\nhorizon: next\nquarter: 2024-Q3\ntype: feature\n{extra}---\n\n# An item\n\n## Outcome\n\nConversion up 2%.\n{body}"
    )
}

/// The findings of the rules under test. The fixtures are named for what they test,
/// not after their titles, and numbered with gaps: file-name and numbering rules
/// (CTO205, CTO306) have tests of their own.
fn diags(repo: &Repo) -> Vec<support::Finding> {
    repo.cto(&["lint", "--format", "json"])
        .findings()
        .into_iter()
        .filter(|d| d.1 != "CTO205" && d.1 != "CTO306")
        .collect()
}

fn codes_of(repo: &Repo, file: &str) -> Vec<String> {
    diags(repo)
        .into_iter()
        .filter(|d| d.0 == file)
        .map(|d| d.1)
        .collect()
}

#[test]
fn new_risk_and_roadmap_item_lint_clean_once_filled_in() {
    let repo = Repo::git();
    repo.cto(&["init"]);
    let run = repo.cto(&[
        "risk",
        "new",
        "Single cloud region",
        "--field",
        "category=reliability",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "docs/risks/0001-single-cloud-region.md");
    let text = repo.read("docs/risks/0001-single-cloud-region.md");
    assert!(
        text.starts_with("---\nowner: Test User\nstatus: open\ncategory: reliability"),
        "{text}"
    );
    assert!(text.contains(&format!("identified: {TODAY}\n")), "{text}");
    assert!(
        text.contains("  next: 2024-07-30\n"),
        "90 days after today: {text}"
    );

    let run = repo.cto(&[
        "roadmap",
        "new",
        "Move to managed Kafka",
        "--field",
        "type=migration",
        "--field",
        "effort=13",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/roadmap/0001-move-to-managed-kafka.md"
    );
    let text = repo.read("docs/roadmap/0001-move-to-managed-kafka.md");
    assert!(
        text.contains("quarter: 2024-Q3\n") && text.contains("effort: 13\n"),
        "{text}"
    );
    assert!(
        text.contains("## Rollback plan") && text.contains("## Observability"),
        "{text}"
    );

    // Placeholders are not a plan: lint says what is left to write.
    assert_eq!(repo.cto(&["lint"]).code, 1);
    let fill = |rel: &str| {
        let t = repo.read(rel);
        let filled: String = t
            .lines()
            .map(|l| {
                if l.starts_with('{') {
                    "Written.".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        repo.write(rel, format!("{filled}\n").as_bytes());
    };
    fill("docs/risks/0001-single-cloud-region.md");
    fill("docs/roadmap/0001-move-to-managed-kafka.md");
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    assert!(
        lint.stdout.contains("0 errors, 0 warnings in 3 documents"),
        "{}",
        lint.stdout
    );
}

#[test]
fn fields_are_checked_before_anything_is_written() {
    let repo = Repo::git();
    let bad = repo.cto(&["risk", "new", "X", "--field", "likelyhood=3"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("did you mean `likelihood`?"),
        "{}",
        bad.stderr
    );
    let out_of_range = repo.cto(&["risk", "new", "X", "--field", "likelihood=7"]);
    assert_eq!(out_of_range.code, 2);
    assert!(
        out_of_range
            .stderr
            .contains("`likelihood` must be between 1 and 5, found 7"),
        "{}",
        out_of_range.stderr
    );
    assert!(!repo.exists("docs/risks/0001-x.md"));
    let nested = repo.cto(&[
        "risk",
        "new",
        "Y",
        "--field",
        "residual.impact=2",
        "--field",
        "residual.likelihood=1",
    ]);
    assert_eq!(nested.code, 0, "{}", nested.stderr);
    assert!(
        repo.read("docs/risks/0001-y.md")
            .contains("residual:\n  impact: 2\n  likelihood: 1\n")
    );
}

#[test]
fn a_likelihood_of_7_fails_at_its_line() {
    let repo = Repo::git().file(
        &format!("{R}/0001-a.md"),
        &risk("").replace("likelihood: 2", "likelihood: 7"),
    );
    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(run.code, 1);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("CTO104"), Some(5), Some(13))
    );
    assert_eq!(
        d["message"],
        "`likelihood` must be between 1 and 5, found 7"
    );
}

#[test]
fn risk_policy_rules() {
    let repo = Repo::git()
        .file(
            &format!("{R}/0001-overdue.md"),
            &risk("").replace("next: 2024-07-01", "next: 2024-03-01"),
        )
        .file(
            &format!("{R}/0002-cadence.md"),
            &risk("").replace(
                "review:\n  last: 2024-04-01\n  next: 2024-07-01\n",
                "identified: 2023-12-01\n",
            ),
        )
        .file(&format!("{R}/0003-score.md"), &risk("score: 9\n"))
        .file(
            &format!("{R}/0004-residual.md"),
            &risk("residual: { likelihood: 3, impact: 1 }\n"),
        )
        .file(
            &format!("{R}/0005-accepted.md"),
            &risk("acceptance: { by: CTO }\n").replace("status: open", "status: accepted"),
        )
        .file(
            &format!("{R}/0006-expired.md"),
            &risk("acceptance: { by: CTO, date: 2023-01-01, expires: 2024-04-01 }\n")
                .replace("status: open", "status: accepted"),
        )
        .file(
            &format!("{R}/0007-closed.md"),
            &risk("").replace("status: open", "status: closed"),
        )
        .file(
            &format!("{R}/0008-no-mitigation.md"),
            &risk("").replace("## Mitigation\n\nWhat we do.\n", ""),
        )
        .file(
            &format!("{R}/0009-escalation.md"),
            &risk("")
                .replace("category: delivery", "category: security")
                .replace("likelihood: 2", "likelihood: 4")
                .replace("impact: 3", "impact: 5"),
        )
        .file(
            &format!("{R}/0010-funded.md"),
            &risk("links: [RM-0001]\n")
                .replace("category: delivery", "category: security")
                .replace("likelihood: 2", "likelihood: 4")
                .replace("impact: 3", "impact: 5"),
        )
        .file(&format!("{M}/0001-fix.md"), &item("", ""));
    let found = diags(&repo);
    let has = |file: &str, code: &str, line: u64, text: &str| {
        assert!(
            found
                .iter()
                .any(|d| d.0 == file && d.1 == code && d.2 == line && d.3.contains(text)),
            "expected {code} at {file}:{line} saying {text:?} in {found:#?}"
        )
    };
    has(
        "0001-overdue.md",
        "CTO402",
        10,
        "review was due on 2024-03-01 (61 days ago)",
    );
    has(
        "0002-cadence.md",
        "CTO402",
        8,
        "review was due on 2024-02-29",
    );
    has(
        "0003-score.md",
        "CTO407",
        11,
        "score is 9, but likelihood × impact is 6",
    );
    has(
        "0004-residual.md",
        "CTO408",
        11,
        "residual likelihood 3 is above the inherent likelihood 2",
    );
    has(
        "0005-accepted.md",
        "CTO404",
        11,
        "accepted risk lacks acceptance.date, acceptance.expires",
    );
    has(
        "0006-expired.md",
        "CTO405",
        11,
        "the acceptance expired on 2024-04-01",
    );
    has(
        "0007-closed.md",
        "CTO406",
        3,
        "closed risk has no `closed` date",
    );
    has(
        "0008-no-mitigation.md",
        "CTO409",
        7,
        "there is no `## Mitigation` section",
    );
    has(
        "0009-escalation.md",
        "CTO403",
        4,
        "critical security risk (score 20) has no linked roadmap item",
    );
    assert!(codes_of(&repo, "0010-funded.md").is_empty(), "{found:#?}");
}

#[test]
fn roadmap_policy_rules() {
    let repo = Repo::git()
        .file(
            "cto.yaml",
            "roadmap:\n  capacity: { 2024-Q3: 20, 2024-Q4: 10 }\n",
        )
        .file(
            "docs/decisions/0001-overcommit.md",
            &support::madr("accepted", "Overcommit 2024-Q4 for the launch"),
        )
        .file(
            &format!("{M}/0001-owner.md"),
            &item("", "")
                .replace("owner: Bo\n", "")
                .replace("horizon: next", "horizon: now"),
        )
        .file(
            &format!("{M}/0002-migration.md"),
            &item("effort: 13\n", "\n## Rollback plan\n\nFlag.\n")
                .replace("type: feature", "type: migration"),
        )
        .file(
            &format!("{M}/0003-experiment.md"),
            &item("effort: 8\n", "")
                .replace("type: feature", "type: experiment")
                .replace("status: planned", "status: shipped"),
        )
        .file(
            &format!("{M}/0004-a.md"),
            &item("depends_on: [RM-0005]\n", ""),
        )
        .file(
            &format!("{M}/0005-b.md"),
            &item("depends_on: [RM-0004]\n", ""),
        )
        .file(
            &format!("{M}/0006-now.md"),
            &item("depends_on: [RM-0007, RM-0008]\n", "").replace("horizon: next", "horizon: now"),
        )
        .file(
            &format!("{M}/0007-later.md"),
            &item("", "").replace("horizon: next", "horizon: later"),
        )
        .file(
            &format!("{M}/0008-dropped.md"),
            &item("", "").replace("status: planned", "status: dropped"),
        )
        .file(
            &format!("{M}/0009-q4.md"),
            &item("effort: 8\nlinks: [ADR-0001]\n", "").replace("2024-Q3", "2024-Q4"),
        )
        .file(
            &format!("{M}/0010-q4.md"),
            &item("effort: 5\n", "").replace("2024-Q3", "2024-Q4"),
        )
        .file(
            &format!("{M}/0011-quarter.md"),
            &item("", "").replace("2024-Q3", "Q3 2024"),
        );
    let found = diags(&repo);
    let has = |file: &str, code: &str, line: u64, text: &str| {
        assert!(
            found
                .iter()
                .any(|d| d.0 == file && d.1 == code && d.2 == line && d.3.contains(text)),
            "expected {code} at {file}:{line} saying {text:?} in {found:#?}"
        )
    };
    has("0001-owner.md", "CTO401", 3, "a `now` item needs an owner");
    has(
        "0002-migration.md",
        "CTO410",
        6,
        "a migration needs a `## Observability` section",
    );
    has(
        "0003-experiment.md",
        "CTO411",
        6,
        "an experiment needs a `## Hypothesis` section",
    );
    has(
        "0003-experiment.md",
        "CTO411",
        3,
        "a shipped experiment records its `outcome`",
    );
    has(
        "0004-a.md",
        "CTO304",
        7,
        "dependency cycle: RM-0004 → RM-0005 → RM-0004",
    );
    has(
        "0005-b.md",
        "CTO304",
        7,
        "dependency cycle: RM-0004 → RM-0005 → RM-0004",
    );
    has(
        "0006-now.md",
        "CTO305",
        7,
        "depends on RM-0007, which is planned for later",
    );
    has(
        "0006-now.md",
        "CTO305",
        7,
        "depends on RM-0008, which was dropped",
    );
    has(
        "0002-migration.md",
        "CTO412",
        7,
        "2024-Q3 plans 21 points against a capacity of 20 (RM-0002 13, RM-0003 8)",
    );
    has(
        "0011-quarter.md",
        "CTO104",
        5,
        "`quarter` is `Q3 2024`, which is not a quarter",
    );
    assert!(
        !found
            .iter()
            .any(|d| d.1 == "CTO412" && d.3.contains("2024-Q4")),
        "an ADR records the Q4 trade-off"
    );
}

#[test]
fn status_changes_record_the_dates_they_need() {
    let repo = Repo::git().file(&format!("{R}/0001-a.md"), &risk("")).file(
        &format!("{M}/0001-b.md"),
        &item("", "").replace("status: planned", "status: in-progress"),
    );
    assert_eq!(
        repo.cto(&["risk", "status", "RISK-1", "closed"])
            .stdout
            .trim(),
        "RISK-0001: open → closed"
    );
    let text = repo.read(&format!("{R}/0001-a.md"));
    assert!(
        text.contains("status: closed\n") && text.contains(&format!("closed: {TODAY}\n")),
        "{text}"
    );
    assert_eq!(repo.cto(&["roadmap", "status", "1", "shipped"]).code, 0);
    assert!(
        repo.read(&format!("{M}/0001-b.md"))
            .contains(&format!("shipped: {TODAY}\n"))
    );
    let refused = repo.cto(&["roadmap", "status", "1", "planned"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("RM-0001 is `shipped`; it can become: none"),
        "{}",
        refused.stderr
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

fn register() -> Repo {
    Repo::git()
        .file(
            "cto.yaml",
            // Fixtures named for what they test (see `diags`).
            "risk:\n  bands: { low: 4, medium: 9, high: 15 }\nrules: { CTO205: off, CTO306: off }\n",
        )
        .file(
            &format!("{R}/0001-high.md"),
            &risk("residual: { likelihood: 1, impact: 3 }\n")
                .replace("likelihood: 2", "likelihood: 4")
                .replace("owner: Ana", "owner: Bo"),
        )
        .file(
            &format!("{R}/0002-overdue.md"),
            &risk("").replace("next: 2024-07-01", "next: 2024-04-15"),
        )
        .file(
            &format!("{R}/0003-closed.md"),
            &risk("closed: 2024-02-01\n").replace("status: open", "status: closed"),
        )
        .file(
            &format!("{R}/0004-expiring.md"),
            &risk("acceptance: { by: CTO, date: 2024-01-01, expires: 2024-05-20 }\n")
                .replace("status: open", "status: accepted")
                .replace("treatment: mitigate", "treatment: accept"),
        )
}

#[test]
fn risks_report_json_has_the_right_risks_in_each_section() {
    let repo = register();
    let run = repo.cto(&["risks", "report", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j = run.json();
    // [impact - 1][likelihood - 1]
    assert_eq!(
        j["heatmap"]["inherent"][2][3],
        serde_json::json!(["RISK-0001"])
    );
    assert_eq!(
        j["heatmap"]["residual"][2][0],
        serde_json::json!(["RISK-0001"])
    );
    assert_eq!(
        j["heatmap"]["inherent"][2][1],
        serde_json::json!(["RISK-0002", "RISK-0004"])
    );
    let top: Vec<&str> = j["top"]
        .as_array()
        .expect("top")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        top,
        vec!["RISK-0001", "RISK-0002", "RISK-0004"],
        "closed risks are not listed"
    );
    assert_eq!(j["top"][0]["score"], 12);
    assert_eq!(j["top"][0]["level"], "high");
    assert_eq!(j["top"][0]["residual_level"], "low");
    assert_eq!(
        j["overdue"],
        serde_json::json!([{"id": "RISK-0002", "title": "A risk", "owner": "Ana", "due": "2024-04-15", "days_overdue": 16}])
    );
    assert_eq!(j["expiring"][0]["id"], "RISK-0004");
    assert_eq!(j["expiring"][0]["days_left"], 19);
    assert_eq!(j["by_owner"][0]["owner"], "Ana");
    assert_eq!(
        j["by_owner"][0]["ids"],
        serde_json::json!(["RISK-0002", "RISK-0004"])
    );
    assert_eq!(j["escalations"], serde_json::json!([]));
}

#[test]
fn risks_report_table_shows_ids_in_the_heat_map_and_other_formats_work() {
    let repo = register();
    let table = repo.cto(&["risks", "report"]);
    assert_eq!(table.code, 0);
    let row = table
        .stdout
        .lines()
        .find(|l| l.contains("impact 3"))
        .expect("impact 3 row");
    assert!(
        row.contains("RISK-0002 RISK-0004") && row.contains("RISK-0001"),
        "{row}"
    );
    assert!(table.stdout.contains("Inherent") && table.stdout.contains("Residual"));
    let md = repo.cto(&["risks", "report", "--format", "md"]);
    assert!(
        md.stdout.starts_with("# Risk register\n\n## Heat map"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("| impact 4 |  |  |  | RISK-0001 |  |")
            || md.stdout.contains("RISK-0001"),
        "{}",
        md.stdout
    );
    let csv = repo.cto(&["risks", "report", "--format", "csv"]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "id,status,category,likelihood,impact,score,level,residual_score,treatment,owner,review_due,title"
    );
    assert_eq!(
        lines[1],
        "RISK-0001,open,delivery,4,3,12,high,3,mitigate,Bo,2024-07-01,A risk"
    );
    assert_eq!(lines.len(), 5);
}

#[test]
fn roadmap_report_groups_items_into_now_next_and_later() {
    let repo = Repo::git()
        .file("cto.yaml", "roadmap:\n  capacity: { 2024-Q3: 20 }\n")
        .file(
            &format!("{M}/0001-a.md"),
            &item("effort: 5\n", "").replace("horizon: next", "horizon: now"),
        )
        .file(
            &format!("{M}/0002-b.md"),
            &item("effort: 2.5\ndepends_on: [RM-0001]\n", ""),
        )
        .file(
            &format!("{M}/0003-c.md"),
            &item("", "").replace("horizon: next", "horizon: later"),
        )
        .file(
            &format!("{M}/0004-exp.md"),
            &item("outcome: validated\n", "\n## Hypothesis\n\nH.\n")
                .replace("type: feature", "type: experiment")
                .replace("status: planned", "status: shipped"),
        )
        .file(
            &format!("{M}/0005-exp.md"),
            &item("outcome: invalidated\n", "\n## Hypothesis\n\nH.\n")
                .replace("type: feature", "type: experiment")
                .replace("status: planned", "status: shipped"),
        )
        .file(
            &format!("{M}/0006-exp.md"),
            &item("outcome: validated\n", "\n## Hypothesis\n\nH.\n")
                .replace("type: feature", "type: experiment")
                .replace("status: planned", "status: shipped"),
        );
    let run = repo.cto(&["roadmap", "report", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j = run.json();
    let ids = |h: &str| -> Vec<String> {
        j["board"][h]
            .as_array()
            .expect(h)
            .iter()
            .map(|i| i["id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(ids("now"), vec!["RM-0001"]);
    assert_eq!(ids("next"), vec!["RM-0002"]);
    assert_eq!(ids("later"), vec!["RM-0003"]);
    assert_eq!(ids("shipped"), vec!["RM-0004", "RM-0005", "RM-0006"]);
    assert_eq!(
        j["capacity"][0],
        serde_json::json!({"quarter": "2024-Q3", "effort": 7.5, "capacity": 20, "over": false, "items": ["RM-0001", "RM-0002"]})
    );
    let order: Vec<&str> = j["order"]["order"]
        .as_array()
        .expect("order")
        .iter()
        .map(|v| v.as_str().unwrap_or(""))
        .collect();
    let pos = |id: &str| order.iter().position(|o| *o == id).expect(id);
    assert!(pos("RM-0001") < pos("RM-0002"));
    assert_eq!(j["experiments"]["validation_rate"], 0.667);
    assert_eq!(j["experiments"]["concluded"], 3);
    let table = repo.cto(&["roadmap", "report"]);
    assert!(
        table.stdout.contains("RM-0001 An item (Bo)"),
        "{}",
        table.stdout
    );
}

#[test]
fn list_filters_and_rows() {
    let repo = register();
    let run = repo.cto(&["risks", "list", "--owner", "bo", "--format", "json"]);
    let rows = run.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    let r = &rows[0];
    assert_eq!(r["id"], "RISK-0001");
    assert_eq!(r["kind"], "risk");
    assert_eq!(
        (
            r["likelihood"].as_u64(),
            r["impact"].as_u64(),
            r["score"].as_u64()
        ),
        (Some(4), Some(3), Some(12))
    );
    assert_eq!(r["level"], "high");
    assert_eq!(
        r["residual"],
        serde_json::json!({"likelihood": 1, "impact": 3, "score": 3, "level": "low"})
    );
    let open = repo.cto(&["risk", "list", "--status", "open", "--format", "csv"]);
    assert_eq!(open.stdout.lines().count(), 3, "{}", open.stdout);
}

#[test]
fn the_overall_report_covers_every_kind() {
    let repo = register().file(
        "docs/decisions/0001-x.md",
        &support::madr("accepted", "Use X"),
    );
    let json = repo.cto(&["report", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let j = json.json();
    assert_eq!(
        j["summary"]["documents"],
        serde_json::json!({"adrs": 1, "risks": 4, "slos": 0, "roadmaps": 0, "incidents": 0})
    );
    assert!(
        j["adrs"]["by_status"].is_object()
            && j["risks"]["heatmap"].is_object()
            && j["roadmaps"]["board"].is_object()
            && j["incidents"]["by_quarter"].is_array()
    );
    assert_eq!(j["summary"]["lint"]["warnings"], 1, "one overdue review");
    let md = repo.cto(&["report"]);
    assert!(md.stdout.starts_with("# Engineering leadership report\n"));
    for heading in [
        "## Architecture decisions",
        "## Risk register",
        "## Roadmap",
        "### Heat map",
    ] {
        assert!(md.stdout.contains(heading), "{heading}");
    }
}

#[test]
fn only_an_accepted_adr_about_the_quarter_waives_over_capacity() {
    let item = |links: &str| {
        format!(
            "---\nstatus: planned\nowner: Bo\nhorizon: next\nquarter: 2024-Q4\ntype: feature\neffort: 13\nlinks: [{links}]\n---\n\n# Big\n\n## Outcome\n\nShipped.\n"
        )
    };
    let over = |adr_status: &str, adr_title: &str| {
        let repo = Repo::git()
            .file("cto.yaml", "roadmap:\n  capacity: { 2024-Q4: 10 }\n")
            .file(
                "docs/decisions/0001-trade-off.md",
                &support::madr(adr_status, adr_title),
            )
            .file(&format!("{M}/0001-big.md"), &item("ADR-0001"));
        let run = repo.cto(&["lint", "--format", "json"]);
        run.findings().iter().any(|f| f.1 == "CTO412")
    };
    assert!(!over("accepted", "Overcommit 2024-Q4 for the launch"));
    assert!(
        over("proposed", "Overcommit 2024-Q4 for the launch"),
        "a proposal waives nothing"
    );
    assert!(
        over("accepted", "Use PostgreSQL"),
        "an ADR about something else waives nothing"
    );
    assert!(
        over("accepted", "Overcommit 2025-Q1"),
        "another quarter's trade-off"
    );
}
