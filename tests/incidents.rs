//! Incidents: the kind (fields, timestamps, action items), `cto incident
//! new|list|status|report`, its rules together, and what the other commands give it
//! without code of their own (schema, completions, the overall report).

mod support;

use support::Repo;

const CONFIG: &str = "\
services:
  - { name: checkout, tier: critical }
  - { name: payments, tier: critical }
  - { name: search, tier: standard }
";

/// An incident file; `extra` is more front matter.
fn incident(severity: &str, services: &str, status: &str, started: &str, extra: &str) -> String {
    format!(
        "---\nseverity: {severity}\nservices: {services}\nstatus: {status}\nstarted: {started}\n{extra}---\n\n# Incident\n\n## Summary\n\nWhat happened.\n"
    )
}

fn repo() -> Repo {
    Repo::git()
        .file("cto.yaml", CONFIG)
        .file(
            "docs/incidents/0001-checkout-errors.md",
            &incident(
                "sev2",
                "[checkout]",
                "resolved",
                "2024-01-10T10:00:00+01:00",
                "detected: 2024-01-10T10:10:00+01:00\nresolved: 2024-01-10T11:00:00+01:00\n",
            ),
        )
        .file(
            "docs/incidents/0002-search-slow.md",
            &incident("sev3", "[search]", "investigating", "2024-04-02", ""),
        )
        .file(
            "docs/incidents/0003-payments-down.md",
            &incident(
                "sev1",
                "[payments, checkout]",
                "mitigated",
                "2024-04-20T09:00:00Z",
                "detected: 2024-04-20T09:30:00Z\nmitigated: 2024-04-20T10:00:00Z\n",
            ),
        )
}

fn ids(run: &support::Run) -> Vec<String> {
    run.json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn new_writes_a_postmortem_template_with_the_fields_given() {
    let repo = Repo::git().file("cto.yaml", "services:\n  - { name: checkout }\n");
    let run = repo.cto(&[
        "incident",
        "new",
        "Checkout errors after deploy",
        "--field",
        "severity=sev2",
        "--field",
        "services=[checkout]",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/incidents/0001-checkout-errors-after-deploy.md"
    );
    let text = repo.read("docs/incidents/0001-checkout-errors-after-deploy.md");
    assert!(text.contains("severity: sev2"), "{text}");
    assert!(text.contains("services: [checkout]"), "{text}");
    // Under CTO_TODAY the time is that day alone.
    assert!(text.contains("started: 2024-05-01"), "{text}");
    assert!(text.contains("commander: Test User"), "{text}");
    for section in [
        "## Summary",
        "## Timeline",
        "## Root cause",
        "## What went well / what went wrong",
        "## Action items",
    ] {
        assert!(text.contains(section), "{section} in\n{text}");
    }
    // A fresh incident lints clean.
    let lint = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    assert!(lint.findings().is_empty(), "{:?}", lint.findings());
    // A severity outside the vocabulary is refused before anything is written.
    let bad = repo.cto(&["incident", "new", "Other", "--field", "severity=sev7"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("sev7"), "{}", bad.stderr);
    assert!(!repo.exists("docs/incidents/0002-other.md"));
}

#[test]
fn list_filters_by_severity_service_status_and_quarter() {
    let repo = repo();
    let all = repo.cto(&["incidents", "list", "--format", "json"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(ids(&all), ["INC-0001", "INC-0002", "INC-0003"]);
    let row = &all.json()[0];
    assert_eq!(row["kind"], "incident");
    assert_eq!(row["severity"], "sev2");
    assert_eq!(row["services"], serde_json::json!(["checkout"]));
    assert_eq!(row["started"], "2024-01-10T10:00:00+01:00");
    assert_eq!(row["quarter"], "2024-Q1");
    assert_eq!(row["time_to_detect"], 600);
    assert_eq!(row["time_to_resolve"], 3600);
    assert_eq!(all.json()[1]["time_to_resolve"], serde_json::Value::Null);

    let by = |args: &[&str]| {
        let mut a = vec!["incident", "list", "--format", "json"];
        a.extend(args);
        let run = repo.cto(&a);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        ids(&run)
    };
    assert_eq!(by(&["--service", "checkout"]), ["INC-0001", "INC-0003"]);
    assert_eq!(by(&["--severity", "sev1"]), ["INC-0003"]);
    assert_eq!(by(&["--quarter", "2024-Q2"]), ["INC-0002", "INC-0003"]);
    assert_eq!(by(&["--status", "mitigated"]), ["INC-0003"]);
    assert_eq!(
        by(&["--service", "checkout", "--quarter", "2024-Q2"]),
        ["INC-0003"]
    );
    assert!(by(&["--service", "catalog"]).is_empty());

    let table = repo.cto(&["incident", "list"]);
    assert!(table.stdout.contains("INC-0001"), "{}", table.stdout);
    assert!(
        table.stdout.contains("1h"),
        "time to resolve: {}",
        table.stdout
    );

    for bad in [["--severity", "sev9"], ["--quarter", "2024-Q5"]] {
        let run = repo.cto(&["incident", "list", bad[0], bad[1]]);
        assert_eq!(run.code, 2, "{bad:?}");
        assert!(run.stderr.contains(bad[1]), "{}", run.stderr);
    }
}

#[test]
fn status_checks_transitions_and_records_the_time() {
    let repo = repo();
    let run = repo.cto(&["incident", "status", "2", "postmortem-complete"]);
    assert_eq!(
        run.code, 2,
        "investigating cannot skip to postmortem-complete"
    );
    assert!(run.stderr.contains("mitigated, resolved"), "{}", run.stderr);
    let run = repo.cto(&["incident", "status", "INC-0002", "resolved"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "INC-0002: investigating → resolved");
    let text = repo.read("docs/incidents/0002-search-slow.md");
    assert!(text.contains("status: resolved"), "{text}");
    assert!(text.contains("resolved: 2024-05-01"), "{text}");
    // A time the file has is the author's: not overwritten.
    let run = repo.cto(&["incident", "status", "3", "resolved"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = repo.read("docs/incidents/0003-payments-down.md");
    assert!(text.contains("mitigated: 2024-04-20T10:00:00Z"), "{text}");
}

#[test]
fn bad_timestamps_and_action_items_are_diagnostics_at_their_place() {
    let repo = Repo::git().file("cto.yaml", CONFIG).file(
        "docs/incidents/0001-x.md",
        &incident(
            "sev3",
            "[checkout]",
            "mitigated",
            "2024-03-01T10:00:00",
            "mitigated: yesterday\naction_items:\n  - just a string\n",
        ),
    );
    let run = repo.cto(&["lint", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let found = run.findings();
    let has = |code: &str, line: u64, text: &str| {
        found
            .iter()
            .any(|(_, c, l, m)| c == code && *l == line && m.contains(text))
    };
    assert!(has("CTO108", 5, "no UTC offset"), "{found:?}");
    assert!(has("CTO108", 6, "does not start with a date"), "{found:?}");
    assert!(has("CTO106", 8, "must be a mapping"), "{found:?}");
}

#[test]
fn schema_and_completions_cover_the_kind() {
    let repo = Repo::git();
    let run = repo.cto(&["schema", "incident"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema = run.json();
    let props = &schema["properties"];
    for key in [
        "severity",
        "services",
        "started",
        "resolved",
        "action_items",
        "slos",
    ] {
        assert!(props.get(key).is_some(), "{key} in {schema}");
    }
    assert_eq!(props["action_items"]["type"], "array");
    assert!(
        props["action_items"]["items"]["properties"]
            .get("due")
            .is_some()
    );
    assert_eq!(
        schema["properties"]["status"]["enum"],
        serde_json::json!([
            "investigating",
            "mitigated",
            "resolved",
            "postmortem-complete"
        ])
    );
    let links = props["links"].to_string();
    assert!(links.contains("INC"), "{links}");
    let required = schema["required"].to_string();
    assert!(required.contains("started"), "{required}");

    let config = repo.cto(&["schema", "config"]).json();
    assert!(config["properties"]["incident"]["properties"]["repeated"].is_object());

    let bash = repo.cto(&["completions", "bash"]);
    assert!(
        bash.stdout.contains("incident"),
        "completions name the kind"
    );
    assert!(bash.stdout.contains("--severity"), "and its list filters");
}
