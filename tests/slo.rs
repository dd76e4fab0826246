//! SLOs: budgets, rules, reports, export to OpenSLO, Sloth and Prometheus, and import.

mod support;

use support::{Repo, corpus};

const S: &str = "docs/slos";

/// An active SLO that lints clean, with `extra` front matter lines.
fn slo(objective: &str, window: &str, extra: &str) -> String {
    format!(
        "---\nservice: checkout\nowner: SRE\nstatus: active\nobjective: {objective}\nwindow: {window}\nsli:\n  type: ratio\n  bad: 'sum(rate(http_requests_total{{code=~\"5..\"}}[{{{{.window}}}}]))'\n  total: 'sum(rate(http_requests_total[{{{{.window}}}}]))'\nalerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/checkout\n{extra}---\n\n# Checkout availability\n"
    )
}

fn services() -> &'static str {
    "services:\n  - { name: checkout, tier: critical }\n  - { name: payments, tier: critical }\n  - { name: search }\n"
}

fn found(repo: &Repo) -> Vec<support::Finding> {
    repo.cto(&["lint", "--format", "json"]).findings()
}

#[test]
fn three_nines_over_30_days_is_43m_12s_and_2592_seconds() {
    let repo = Repo::git().file(
        &format!("{S}/checkout-availability.md"),
        &slo("99.9", "30d", ""),
    );
    let table = repo.cto(&["slo", "report"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("43m 12s"), "{}", table.stdout);
    let j = repo.cto(&["slo", "report", "--format", "json"]).json();
    assert_eq!(
        j["slos"][0]["error_budget"],
        serde_json::json!({"ratio": 0.001, "seconds": 2592, "human": "43m 12s"})
    );
    let factors: Vec<f64> = j["burn_rates"][0]["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| c["factor"].as_f64().unwrap_or(0.0))
        .collect();
    assert_eq!(factors, vec![14.4, 6.0, 3.0, 1.0]);
    assert_eq!(
        j["burn_rates"][0]["conditions"][0]["error_ratio_threshold"],
        0.0144
    );
    let list = repo.cto(&["slo", "list", "--format", "json"]).json();
    assert_eq!(list[0]["id"], "checkout-availability");
    assert_eq!(list[0]["error_budget"]["seconds"], 2592);
    assert_eq!(list[0]["objective"], 99.9);
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[test]
fn budgets_for_other_windows_stay_exact() {
    let repo = Repo::git().file(&format!("{S}/a.md"), &slo("99.95", "28d", ""));
    let j = repo.cto(&["slo", "report", "--format", "json"]).json();
    assert_eq!(
        j["slos"][0]["error_budget"],
        serde_json::json!({"ratio": 0.0005, "seconds": 1209.6, "human": "20m 9.6s"})
    );
    let c = &j["burn_rates"][0]["conditions"];
    assert_eq!(
        (c[0]["factor"].as_f64(), c[3]["factor"].as_f64()),
        (Some(13.44), Some(0.933333333333))
    );
}

#[test]
fn prometheus_export_shows_the_factors_without_float_noise() {
    let repo = Repo::git().file(
        &format!("{S}/checkout-availability.md"),
        &slo("99.9", "30d", ""),
    );
    let run = repo.cto(&["slo", "export", "--to", "prometheus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("> (14.4 * 0.001)") && out.contains("> (6 * 0.001)"),
        "{out}"
    );
    assert!(
        out.contains("> (3 * 0.001)") && out.contains("> (1 * 0.001)"),
        "{out}"
    );
    for w in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
        assert!(
            out.contains(&format!("record: slo:sli_error:ratio_rate{w}\n")),
            "{w}"
        );
        assert!(
            out.contains(&format!("[{w}]")),
            "the window placeholder is filled for {w}"
        );
    }
    assert!(!out.contains("{{.window}}"));
    assert!(
        !out.contains("000000") && !out.contains("999999"),
        "no float noise: {out}"
    );
    assert!(
        out.contains("alert: CheckoutAvailabilityErrorBudgetBurnPage")
            && out.contains("runbook_url: https://runbooks.example.com/checkout")
    );
    // The output is YAML that parses.
    assert!(cto::parse::yaml::parse(out).is_ok());
}

#[test]
fn openslo_and_sloth_exports_round_trip_through_import() {
    let threshold = "---\nservice: search\nowner: SRE\nstatus: draft\nobjective: 99\nwindow: 7d\nsli:\n  type: threshold\n  query: histogram_quantile(0.99, rate(search_seconds_bucket[5m]))\n  op: lt\n  value: 0.3\n---\n\n# Search latency\n";
    let repo = Repo::git()
        .file(
            &format!("{S}/checkout-availability.md"),
            &slo("99.9", "28d", "description: Checkout answers.\n"),
        )
        .file(&format!("{S}/search-latency.md"), threshold);
    let openslo = repo.cto(&["slo", "export", "--to", "openslo"]);
    assert_eq!(openslo.code, 0, "{}", openslo.stderr);
    let docs = cto::parse::yaml::parse_stream(&openslo.stdout).expect("a YAML stream");
    let kinds: Vec<String> = docs
        .iter()
        .filter_map(|d| d.get("kind").and_then(|k| k.scalar_text()))
        .collect();
    assert_eq!(kinds, vec!["Service", "Service", "SLO", "SLO"]);
    assert!(
        openslo.stdout.contains("apiVersion: openslo/v1\n")
            && openslo.stdout.contains("target: 0.999\n"),
        "{}",
        openslo.stdout
    );
    assert!(
        openslo.stdout.contains("thresholdMetric:") && openslo.stdout.contains("op: lt"),
        "{}",
        openslo.stdout
    );

    let back = Repo::git();
    back.write("spec.yaml", openslo.stdout.as_bytes());
    let imported = back.cto(&["slo", "import", "spec.yaml", "--owner", "SRE"]);
    assert_eq!(
        imported.code, 1,
        "the Service objects are reported, not imported: {}",
        imported.stderr
    );
    assert!(imported.stderr.contains("an OpenSLO Service is not an SLO"));
    let rows = back.cto(&["slo", "list", "--format", "json"]).json();
    assert_eq!(rows[0]["id"], "checkout-availability");
    assert_eq!(
        (rows[0]["objective"].as_f64(), rows[0]["window"].as_str()),
        (Some(99.9), Some("28d"))
    );
    assert_eq!(rows[1]["id"], "search-latency");
    assert_eq!(back.cto(&["lint"]).code, 0);
    let text = back.read(&format!("{S}/search-latency.md"));
    assert!(
        text.contains("  type: threshold\n")
            && text.contains("  op: lt\n")
            && text.contains("  value: 0.3\n"),
        "{text}"
    );

    let sloth = repo.cto(&["slo", "export", "--to", "sloth"]);
    assert!(sloth.stdout.starts_with("---\nversion: prometheus/v1\nservice: checkout\nslos:\n  - name: checkout-availability\n    objective: 99.9\n"), "{}", sloth.stdout);
    // The threshold SLI goes too, as one-minute samples that miss it over all samples.
    assert!(
        sloth.stdout.contains("service: search\n")
            && sloth.stdout.contains("error_query: sum_over_time(((histogram_quantile(0.99, rate(search_seconds_bucket[5m]))) >= bool 0.3)[{{.window}}:1m])\n")
            && sloth.stdout.contains("total_query: count_over_time((histogram_quantile(0.99, rate(search_seconds_bucket[5m])))[{{.window}}:1m])\n"),
        "{}",
        sloth.stdout
    );
    assert!(
        sloth.stderr.contains("for the 28d SLOs run it with `--default-slo-period=28d`")
            && sloth.stderr.contains("for the 7d SLOs run it with `--default-slo-period=7d --slo-period-windows-path DIR` with Sloth's 7d set"),
        "{}",
        sloth.stderr
    );
    let again = Repo::git();
    again.write("sloth.yaml", sloth.stdout.as_bytes());
    let imported = again.cto(&["slo", "import", "sloth.yaml"]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let rows = again.cto(&["slo", "list", "--format", "json"]).json();
    assert_eq!(rows[0]["id"], "checkout-checkout-availability");
    assert_eq!(
        rows[0]["error_budget"]["human"], "43m 12s",
        "Sloth has no window: 30d"
    );
}

#[test]
fn a_ratio_objective_is_flagged_at_its_line() {
    let repo = Repo::git().file(&format!("{S}/a.md"), &slo("0.995", "30d", ""));
    let run = repo.cto(&["lint", "--format", "json"]);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("CTO502"), Some(5), Some(12))
    );
    assert_eq!(d["help"], "did you mean `objective: 99.5`?");
}

#[test]
fn slo_rules() {
    let repo = Repo::git()
        .file("cto.yaml", services())
        .file(
            &format!("{S}/checkout-availability.md"),
            &slo("99.9", "30d", ""),
        )
        .file(&format!("{S}/too-high.md"), &slo("150", "30d", ""))
        .file(&format!("{S}/no-budget.md"), &slo("100", "30d", ""))
        .file(&format!("{S}/bad-window.md"), &slo("99", "1 month", ""))
        .file(
            &format!("{S}/calendar.md"),
            &slo(
                "99",
                "4w",
                "window_type: calendar\ncalendar: { start: 2027-01-01 }\n",
            ),
        )
        .file(
            &format!("{S}/both.md"),
            &slo("99", "30d", "").replace("  bad:", "  good: x\n  bad:"),
        )
        .file(
            &format!("{S}/threshold.md"),
            &slo("99", "30d", "").replace("  type: ratio\n", "  type: threshold\n  query: q\n"),
        )
        .file(
            &format!("{S}/no-runbook.md"),
            &slo("99", "30d", "")
                .replace("  runbook: https://runbooks.example.com/checkout\n", "")
                .replace("service: checkout", "service: payments"),
        )
        .file(
            &format!("{S}/typo.md"),
            &slo("99", "30d", "review:\n  next: 2024-04-01\n")
                .replace("service: checkout", "service: chekout"),
        )
        .file(&format!("{S}/Bad_Name.md"), &slo("99", "30d", ""));
    let f = found(&repo);
    let has = |file: &str, code: &str, line: u64, text: &str| {
        assert!(
            f.iter()
                .any(|d| d.0 == file && d.1 == code && d.2 == line && d.3.contains(text)),
            "expected {code} at {file}:{line} saying {text:?} in {f:#?}"
        )
    };
    has("too-high.md", "CTO501", 5, "objective 150 is not a percent");
    has(
        "no-budget.md",
        "CTO502",
        5,
        "objective 100 leaves no error budget",
    );
    has(
        "bad-window.md",
        "CTO503",
        6,
        "window `1 month` is not a duration",
    );
    has(
        "calendar.md",
        "CTO503",
        15,
        "a calendar window needs calendar.timezone",
    );
    has(
        "both.md",
        "CTO504",
        7,
        "a ratio SLI has `good` or `bad`, not both",
    );
    has(
        "threshold.md",
        "CTO504",
        7,
        "a threshold SLI needs op, value",
    );
    has(
        "no-runbook.md",
        "CTO505",
        11,
        "an active SLO's alerting has no runbook",
    );
    has(
        "typo.md",
        "CTO507",
        2,
        "service `chekout` is not listed in cto.yaml",
    );
    has("typo.md", "CTO402", 16, "review was due on 2024-04-01");
    has("Bad_Name.md", "CTO109", 1, "not an RFC 1123 name");
    has(
        "cto.yaml",
        "CTO506",
        3,
        "critical service `payments` has no active SLO with alerting and a runbook (no-runbook not yet)",
    );
    assert!(
        !f.iter()
            .any(|d| d.3.contains("critical service `checkout`")),
        "checkout is covered: {f:#?}"
    );
    assert!(
        !f.iter().any(|d| d.0 == "checkout-availability.md"),
        "{f:#?}"
    );
    let typo = repo.cto(&["lint", "--format", "json"]).json();
    let help: Vec<&str> = typo["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "CTO507")
        .map(|d| d["help"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(help, vec!["did you mean `checkout`?"]);
}

#[test]
fn a_critical_service_without_any_slo_is_named() {
    let repo = Repo::git().file("cto.yaml", services());
    let run = repo.cto(&["lint"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("error[CTO506]: critical service `checkout` has no SLO"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--> cto.yaml:2:13"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("critical service `payments` has no SLO")
    );
    assert!(!run.stdout.contains("`search`"), "search is not critical");
    let report = repo.cto(&["slo", "report", "--format", "json"]).json();
    assert_eq!(
        report["uncovered"],
        serde_json::json!(["checkout", "payments"])
    );
}

#[test]
fn new_slo_is_named_by_its_title_and_never_overwrites() {
    let repo = Repo::git();
    let run = repo.cto(&[
        "slo",
        "new",
        "Checkout availability",
        "--field",
        "service=checkout",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "docs/slos/checkout-availability.md");
    let text = repo.read("docs/slos/checkout-availability.md");
    assert!(
        text.contains("service: checkout\n") && text.contains("status: draft\n"),
        "{text}"
    );
    assert!(
        text.contains("[{{.window}}]"),
        "the placeholder survives the template: {text}"
    );
    assert_eq!(
        repo.cto(&["lint"]).code,
        0,
        "{}",
        repo.cto(&["lint"]).stdout
    );
    let again = repo.cto(&["slo", "new", "Checkout availability"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    assert_eq!(repo.read("docs/slos/checkout-availability.md"), text);
    assert_eq!(repo.cto(&["slo", "new", "在线"]).code, 2);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn sloth_getting_started_imports_into_documents_that_lint_clean() {
    let repo = Repo::git();
    let file = corpus().join("slo/slok__sloth/examples/getting-started.yml");
    let run = repo.cto(&["slo", "import", &file.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "docs/slos/myservice-requests-availability.md"
    );
    assert!(
        run.stderr.contains("alerting name, labels and annotations"),
        "says what was not carried over: {}",
        run.stderr
    );
    let text = repo.read("docs/slos/myservice-requests-availability.md");
    assert!(
        text.starts_with(
            "---\nservice: myservice\nowner: myteam\nstatus: draft\nobjective: 99.9\nwindow: 30d\n"
        ),
        "{text}"
    );
    let lint = repo.cto(&["lint"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);

    let again = repo.cto(&["slo", "import", &file.to_string_lossy()]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("exists; cto never overwrites a document"),
        "{}",
        again.stderr
    );
    assert_eq!(
        repo.read("docs/slos/myservice-requests-availability.md"),
        text
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_corpus_spec_imports_or_gets_a_clear_message() {
    let repo = Repo::git();
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(corpus().join("slo"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    assert!(files.len() >= 40);
    let mut imported = 0;
    for f in &files {
        let run = repo.cto(&["slo", "import", &f.to_string_lossy(), "--owner", "SRE"]);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: exit {}\n{}",
            f.display(),
            run.code,
            run.stderr
        );
        imported += run.stdout.lines().count();
        if run.code == 1 {
            let shown = f.to_string_lossy();
            assert!(
                run.stderr.lines().any(|l| l.starts_with(&*shown)),
                "{}: a message names the file: {}",
                f.display(),
                run.stderr
            );
        }
    }
    assert!(imported >= 15, "{imported} SLOs imported");
    let lint = repo.cto(&["lint"]);
    assert_eq!(
        lint.code, 0,
        "every imported SLO lints clean: {}",
        lint.stdout
    );
}
