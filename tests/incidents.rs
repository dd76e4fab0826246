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

/// Three incidents on checkout in 2024-Q1 (sev3, no postmortem needed).
fn streak(repo: Repo) -> Repo {
    let mut repo = repo;
    for (n, day) in [(1, "2024-01-05"), (2, "2024-02-10"), (3, "2024-03-20")] {
        repo = repo.file(
            &format!("docs/incidents/000{n}-checkout-{n}.md"),
            &incident(
                "sev3",
                "[checkout]",
                "resolved",
                &format!("{day}T10:00:00Z"),
                &format!("resolved: {day}T11:00:00Z\n"),
            ),
        );
    }
    repo
}

fn codes(repo: &Repo) -> Vec<(String, String)> {
    let run = repo.cto(&["lint", "--format", "json"]);
    assert!(run.code < 2, "{}", run.stderr);
    // The files' titles do not match their names (CTO205): not what these tests are about.
    run.findings()
        .into_iter()
        .map(|(file, code, _, _)| (file, code))
        .filter(|(_, code)| code != "CTO205")
        .collect()
}

fn roadmap_item(item_type: &str, status: &str, extra: &str) -> String {
    format!(
        "---\nowner: Ana\nstatus: {status}\nhorizon: now\nquarter: 2024-Q2\ntype: {item_type}\n{extra}---\n\n# Pooling\n\n## Outcome\n\nNo more exhausted pools.\n\n## Rollback plan\n\nRevert.\n\n## Observability\n\nPool gauges.\n"
    )
}

#[test]
fn repeated_incidents_are_an_escalation_until_reliability_work_is_planned() {
    let plain = "services:\n  - { name: checkout }\n";
    let escalated = streak(Repo::git().file("cto.yaml", plain));
    assert_eq!(
        codes(&escalated),
        [("0003-checkout-3.md".to_string(), "CTO606".to_string())]
    );
    // Planned work, linked by a tag, by a link to an incident, or from an incident.
    let covers = [
        roadmap_item("debt", "planned", "tags: [checkout]\n"),
        roadmap_item("platform", "in-progress", "links: [INC-0002]\n"),
        roadmap_item(
            "migration",
            "shipped",
            "shipped: 2024-02-01\ntags: [checkout]\n",
        ),
    ];
    for item in &covers {
        let repo =
            streak(Repo::git().file("cto.yaml", plain)).file("docs/roadmap/0001-pooling.md", item);
        assert!(codes(&repo).is_empty(), "{item}: {:?}", codes(&repo));
    }
    // Work that is not reliability work, was dropped, or shipped before the streak does not.
    let not = [
        roadmap_item("feature", "planned", "tags: [checkout]\n"),
        roadmap_item("debt", "dropped", "tags: [checkout]\n"),
        roadmap_item("debt", "shipped", "shipped: 2023-12-01\ntags: [checkout]\n"),
        roadmap_item("debt", "planned", "tags: [search]\n"),
    ];
    for item in &not {
        let repo =
            streak(Repo::git().file("cto.yaml", plain)).file("docs/roadmap/0001-pooling.md", item);
        assert!(
            codes(&repo).iter().any(|(_, c)| c == "CTO606"),
            "{item}: {:?}",
            codes(&repo)
        );
    }
    // An action item linked to the item covers it too.
    let repo = Repo::git()
        .file("cto.yaml", plain)
        .file(
            "docs/roadmap/0001-pooling.md",
            &roadmap_item("debt", "planned", ""),
        )
        .file(
            "docs/incidents/0001-checkout-1.md",
            &incident("sev3", "[checkout]", "resolved", "2024-01-05", "resolved: 2024-01-05\n"),
        )
        .file(
            "docs/incidents/0002-checkout-2.md",
            &incident("sev3", "[checkout]", "resolved", "2024-02-05", "resolved: 2024-02-05\n"),
        )
        .file(
            "docs/incidents/0003-checkout-3.md",
            &incident(
                "sev3",
                "[checkout]",
                "resolved",
                "2024-03-05",
                "resolved: 2024-03-05\naction_items:\n  - { title: Pool connections, owner: Ana, due: 2024-06-01, link: RM-0001 }\n",
            ),
        );
    assert!(codes(&repo).is_empty(), "{:?}", codes(&repo));
    // Configurable: four are needed, or the window is shorter than the streak.
    for config in [
        "incident: { repeated: { count: 4 } }\n",
        "incident: { repeated: { within: 60d } }\n",
    ] {
        let repo = streak(Repo::git().file("cto.yaml", config));
        assert!(codes(&repo).is_empty(), "{config}: {:?}", codes(&repo));
    }
    // The overall report puts the escalation first in "needs attention".
    let report = escalated.cto(&["report", "--format", "json"]).json();
    let repeated = &report["incidents"]["repeated"][0];
    assert_eq!(repeated["service"], "checkout");
    assert_eq!(
        repeated["incidents"],
        serde_json::json!(["INC-0001", "INC-0002", "INC-0003"])
    );
    assert!(repeated["escalation"].is_string(), "{repeated}");
    let md = escalated.cto(&["report"]).stdout;
    let attention = md.split("## Needs attention").nth(1).unwrap_or("");
    assert!(
        attention
            .trim_start()
            .starts_with("- escalation: **checkout**"),
        "{attention}"
    );
}

#[test]
fn postmortems_follow_severity_and_the_configured_days() {
    // Resolved on Friday 2024-04-19: five business days later is Friday 2024-04-26.
    let sev = |severity: &str, status: &str| {
        incident(
            severity,
            "[checkout]",
            status,
            "2024-04-19T09:00:00+02:00",
            "resolved: 2024-04-19T17:00:00+02:00\n",
        )
    };
    let one = |config: &str, text: &str| {
        let repo = Repo::git()
            .file("cto.yaml", config)
            .file("docs/incidents/0001-x.md", text);
        codes(&repo).into_iter().map(|(_, c)| c).collect::<Vec<_>>()
    };
    let none = "services: [{ name: checkout }]\n";
    assert_eq!(one(none, &sev("sev2", "resolved")), ["CTO601"]);
    assert!(one(none, &sev("sev3", "resolved")).is_empty());
    // Ten business days: due on 2024-05-03, after today (2024-05-01).
    let ten = "services: [{ name: checkout }]\nincident: { postmortem: { within: 10 } }\n";
    assert!(one(ten, &sev("sev2", "resolved")).is_empty());
    // A team's own severities: the two most severe need a postmortem.
    let own =
        "services: [{ name: checkout }]\nincident: { severities: [critical, major, minor] }\n";
    assert_eq!(one(own, &sev("major", "resolved")), ["CTO601"]);
    assert!(one(own, &sev("minor", "resolved")).is_empty());
    assert_eq!(one(own, &sev("sev2", "resolved")), ["CTO104"]);
    // Complete: then every postmortem section must have text (the helper writes Summary).
    let complete = one(none, &sev("sev1", "postmortem-complete"));
    assert_eq!(complete, ["CTO608"; 4], "{complete:?}");
    let sections =
        "services: [{ name: checkout }]\nincident: { postmortem: { sections: [Summary] } }\n";
    assert!(one(sections, &sev("sev1", "postmortem-complete")).is_empty());
    // A bad setting is a cto.yaml error (exit 2).
    let repo = Repo::git().file(
        "cto.yaml",
        "incident: { postmortem: { severities: [sev9] }, repeated: { within: soon } }\n",
    );
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 2);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("names `sev9`"), "{said}");
    assert!(said.contains("cto.yaml:1:69"), "{said}");
    assert!(
        said.contains("`incident.repeated.within` must be"),
        "{said}"
    );
}

#[test]
fn holidays_are_not_business_days_for_the_postmortem_deadline() {
    // Resolved on Thursday 2024-04-18: five business days later is Thursday 2024-04-25,
    // before today (2024-05-01); three holidays after it make it Tuesday 2024-04-30;
    // six make it Friday 2024-05-03, not yet due.
    let text = incident(
        "sev1",
        "[checkout]",
        "resolved",
        "2024-04-18T09:00:00Z",
        "resolved: 2024-04-18T17:00:00Z\n",
    );
    let with = |holidays: &str| {
        let config =
            format!("services: [{{ name: checkout }}]\nincident: {{ holidays: {holidays} }}\n");
        let repo = Repo::git()
            .file("cto.yaml", &config)
            .file("docs/incidents/0001-x.md", &text);
        let run = repo.cto(&["lint", "--format", "json"]);
        run.findings()
            .into_iter()
            .map(|(_, code, _, message)| (code, message))
            .filter(|(code, _)| code != "CTO205")
            .collect::<Vec<_>>()
    };
    let late = with("[]");
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].0, "CTO601");
    assert!(late[0].1.contains("was due on 2024-04-25"), "{late:?}");
    let three = with("[2024-04-19, 2024-04-22, 2024-04-23]");
    assert!(three[0].1.contains("was due on 2024-04-30"), "{three:?}");
    assert!(
        with("[2024-04-19, 2024-04-22, 2024-04-23, 2024-04-24, 2024-04-25, 2024-04-26]").is_empty()
    );
    // A holiday that is not a day is a cto.yaml error with its line and column (exit 2).
    let repo = Repo::git().file(
        "cto.yaml",
        "incident:\n  holidays:\n    - 2024-12-25\n    - 2024-02-30\n    - [soon]\n",
    );
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 2);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("cto.yaml:4:7"), "{said}");
    assert!(said.contains("`incident.holidays`"), "{said}");
    assert!(said.contains("cto.yaml:5:7"), "{said}");
}

#[test]
fn a_resolved_incident_says_when_and_times_are_shown_as_written() {
    let repo = Repo::git()
        .file(
            "cto.yaml",
            "services: [{ name: checkout }, { name: search }]\n",
        )
        .file(
            "docs/incidents/0001-x.md",
            &incident("sev3", "[checkout]", "resolved", "2024-04-18T09:00:00Z", ""),
        )
        .file(
            "docs/incidents/0002-y.md",
            &incident(
                "sev3",
                "[checkout]",
                "postmortem-complete",
                "2024-04-18T09:00:00Z",
                "resolved: 2024-04-18T12:30:00+02:00\n",
            ),
        )
        .file(
            "docs/incidents/0003-z.md",
            &incident("sev3", "[search]", "mitigated", "2024-04-18", ""),
        );
    let found = codes(&repo);
    assert_eq!(found, [("0001-x.md".to_string(), "CTO609".to_string())]);
    // `Z` stays `Z`, an offset stays that offset: in the list, the report and the page.
    let list = repo.cto(&["incident", "list", "--format", "json"]).json();
    assert_eq!(list[0]["started"], "2024-04-18T09:00:00Z", "{list}");
    assert_eq!(list[1]["resolved"], "2024-04-18T12:30:00+02:00", "{list}");
    let table = repo.cto(&["incident", "list"]);
    assert!(
        table.stdout.contains("2024-04-18T09:00:00Z"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("+00:00"), "{}", table.stdout);
    for format in ["json", "md"] {
        let report = repo.cto(&["incident", "report", "--format", format]);
        assert!(
            !report.stdout.contains("+00:00"),
            "{format}: {}",
            report.stdout
        );
    }
    let page = repo.cto(&["report", "--format", "html"]);
    assert!(!page.stdout.contains("09:00:00+00:00"), "the dashboard");
}

#[test]
fn the_incident_report_in_every_format() {
    let repo = repo().file(
        "docs/incidents/0004-checkout-again.md",
        &incident(
            "sev2",
            "[checkout]",
            "postmortem-complete",
            "2024-01-20T10:00:00Z",
            "detected: 2024-01-20T10:30:00Z\nresolved: 2024-01-20T13:00:00Z\naction_items:\n  - { title: Pool connections, owner: Ana, due: 2024-04-01 }\n  - { title: Load test, owner: Ana, due: 2024-06-01 }\n  - { title: Runbook, owner: Bo, due: 2024-02-01, done: true }\n",
        ),
    );
    let json = repo.cto(&["incident", "report", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let r = json.json();
    let keys: Vec<&str> = r
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "severities",
        "by_quarter",
        "by_service",
        "repeated",
        "postmortems_overdue",
        "action_items",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    let q1 = &r["by_quarter"][0];
    assert_eq!(q1["name"], "2024-Q1");
    assert_eq!(q1["total"], 2);
    assert_eq!(q1["by_severity"]["sev2"], 2);
    // Detect: 10 and 30 minutes; resolve: 1 and 3 hours.
    assert_eq!(q1["mttd"]["median"], 1200);
    assert_eq!(q1["mttd"]["p90"], 1800);
    assert_eq!(q1["mttr"]["median"], 7200);
    assert_eq!(q1["mttr"]["median_human"], "2h");
    assert_eq!(q1["actions_open"], 2);
    assert_eq!(q1["actions_overdue"], 1);
    assert_eq!(q1["actions_done"], 1);
    let q2 = &r["by_quarter"][1];
    assert_eq!(q2["name"], "2024-Q2");
    assert_eq!(q2["timed"], 1, "a date alone is not timed");
    assert_eq!(r["by_service"][0]["name"], "checkout");
    assert_eq!(r["by_service"][0]["total"], 3);
    // INC-0001: sev2 resolved on 2024-01-10, no postmortem.
    assert_eq!(r["postmortems_overdue"][0]["id"], "INC-0001");
    let ana = &r["action_items"][0];
    assert_eq!(ana["owner"], "Ana");
    assert_eq!(
        (ana["open"].as_u64(), ana["overdue"].as_u64()),
        (Some(2), Some(1))
    );

    let table = repo.cto(&["incident", "report"]).stdout;
    for heading in [
        "Incidents per quarter",
        "Repeated incidents",
        "Overdue postmortems",
        "Open action items by owner",
        "MTTR median",
    ] {
        assert!(table.contains(heading), "{heading} in\n{table}");
    }
    let md = repo.cto(&["incident", "report", "--format", "md"]).stdout;
    assert!(md.contains("| 2024-Q1 |"), "{md}");
    let csv = repo.cto(&["incident", "report", "--format", "csv"]).stdout;
    assert!(
        csv.starts_with("id,status,severity,services,quarter"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5, "{csv}");
}

/// What people write in an incident reaches every output escaped: no raw control
/// character, no forged workflow command, no markup, tables keep their cells.
#[test]
fn hostile_values_are_escaped_in_every_output() {
    let evil =
        r#""<script>x</script> \x1b[2J\x1b]0;pwned\x07 | =HYPERLINK(1)\n::error file=x::forged""#;
    let repo = Repo::git()
        .file("cto.yaml", "services:\n  - { name: checkout }\n")
        .file(
            "docs/incidents/0001-x.md",
            &format!(
                "---\ntitle: {evil}\nseverity: sev2\nservices: [checkout, {evil}]\nstatus: resolved\nstarted: 2024-01-10T10:00:00Z\nresolved: 2024-01-10T11:00:00Z\nowner: {evil}\naction_items:\n  - {{ title: {evil}, owner: {evil}, due: 2024-02-01 }}\n---\n\n# X\n\n## Summary\n\nText.\n"
            ),
        );
    let mut outputs = Vec::new();
    for args in [
        &["incident", "list"][..],
        &["incident", "list", "--format", "csv"],
        &["incident", "list", "--format", "json"],
        &["incident", "report"],
        &["incident", "report", "--format", "md"],
        &["incident", "report", "--format", "csv"],
        &["incident", "report", "--format", "json"],
        &["report", "--format", "md"],
        &["report", "--format", "html"],
        &["report", "--format", "json"],
        &["lint", "--format", "github"],
        &["lint"],
    ] {
        let run = repo.cto(args);
        assert!(run.code < 2, "{args:?}: {}", run.stderr);
        outputs.push((args, run.stdout));
    }
    for (args, out) in &outputs {
        for c in ['\x1b', '\x07', '\r'] {
            assert!(!out.contains(c), "{args:?}: raw {c:?} in\n{out}");
        }
        for line in out.lines() {
            // The github format's own annotations are the only commands.
            let own = args.contains(&"github")
                && (line.starts_with("::warning file=docs/")
                    || line.starts_with("::error file=docs/"));
            assert!(
                own || !line.trim_start().starts_with("::"),
                "{args:?}: a forged command: {line:?}"
            );
        }
        if args.contains(&"json") {
            serde_json::from_str::<serde_json::Value>(out)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"));
        }
        if args.contains(&"html") {
            assert!(!out.contains("<script>"), "{args:?}: markup got through");
            assert!(out.contains("&lt;script&gt;"), "{args:?}: the text is kept");
        }
        if args.contains(&"csv") {
            assert!(!out.contains(",=HYPERLINK"), "{args:?}: a formula:\n{out}");
        }
    }
    // The lint found the action item overdue, and said so for the hostile title.
    assert!(
        outputs
            .iter()
            .any(|(a, out)| a == &&["lint"][..] && out.contains("CTO603")),
        "{outputs:?}"
    );
}

/// The example's year of incidents: linted on the day its README was written, the
/// delivery-tracking streak is the one escalation it keeps on purpose, and nothing is an
/// error; the dashboard draws the quarters and puts the escalation in "needs attention".
#[test]
fn the_example_keeps_one_repeated_incident_escalation() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("cto")
            .expect("the binary")
            .current_dir(&examples)
            .env("CTO_TODAY", "2026-11-21")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("cto runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, lint) = run(&["lint", "--format", "json"]);
    assert_eq!(code, Some(0), "{lint}");
    let lint: serde_json::Value = serde_json::from_str(&lint).expect("JSON");
    assert_eq!(lint["summary"]["errors"], 0);
    let incidents: Vec<(&str, &str)> = lint["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("CTO6")))
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["path"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        incidents.contains(&("CTO606", "docs/incidents/0011-partner-webhook-backlog.md")),
        "{incidents:?}"
    );
    assert_eq!(
        incidents.iter().filter(|(c, _)| *c == "CTO606").count(),
        1,
        "{incidents:?}"
    );

    let (_, list) = run(&["incident", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(12));

    let (code, report) = run(&["incident", "report", "--format", "json"]);
    assert_eq!(code, Some(0));
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let repeated = report["repeated"].as_array().expect("repeated");
    let escalated: Vec<&str> = repeated
        .iter()
        .filter(|r| r["escalation"].is_string())
        .filter_map(|r| r["service"].as_str())
        .collect();
    assert_eq!(escalated, ["delivery-tracking"]);
    assert!(
        repeated
            .iter()
            .any(|r| r["service"] == "checkout" && r["planned"][0] == "RM-0003"),
        "checkout's streak is covered by its platform work: {repeated:?}"
    );

    let (_, html) = run(&["report", "--format", "html"]);
    assert!(html.contains("<title id=\"inc-t\">Incidents per quarter</title>"));
    assert!(
        html.contains("2026-Q3: 4 incidents"),
        "the quarter's column"
    );
    assert!(
        html.contains("<b>delivery-tracking</b> 3 incidents on"),
        "the escalation in needs attention"
    );
    assert!(
        html.contains("(realised by INC-0004)"),
        "the heat map names the incident that realised RISK-0002"
    );
}

/// A service name is the document's text: in markdown it stays inside an escaped cell,
/// never in a sentence of cto's own where it could become a link.
#[test]
fn a_hostile_service_name_cannot_write_markdown() {
    let mut repo = Repo::git();
    for n in 1..=3 {
        repo = repo.file(
            &format!("docs/incidents/000{n}-x.md"),
            &incident(
                "sev3",
                "[\"[click](javascript:alert(1)) | x\"]",
                "resolved",
                &format!("2024-0{n}-10"),
                "",
            ),
        );
    }
    let md = repo.cto(&["incident", "report", "--format", "md"]).stdout;
    assert!(md.contains("none: escalation"), "{md}");
    assert!(!md.contains("[click](javascript"), "{md}");
    let all = repo.cto(&["report", "--format", "md"]).stdout;
    assert!(!all.contains("[click](javascript"), "{all}");
}
