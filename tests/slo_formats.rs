//! SLO formats: Pyrra, slo-generator, OpenSLO v1alpha and v2alpha, Sloth's Kubernetes
//! spec and AlertWindows in; Pyrra, Sloth, OpenSLO and Prometheus rules out; alert
//! windows by SLO period.

mod support;

use support::{Repo, corpus};

const S: &str = "docs/slos";

/// Pyrra's three indicator kinds, shaped as Pyrra's documentation writes them.
const PYRRA: &str = r#"apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-errors
  namespace: monitoring
  labels:
    service: api
    prometheus: k8s
spec:
  target: '99.5'
  window: 4w
  description: API requests answer without a server error.
  indicator:
    ratio:
      errors:
        metric: http_requests_total{job="api",code=~"5.."}
      total:
        metric: http_requests_total{job="api"}
      grouping:
        - route
---
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-latency
  labels:
    service: api
spec:
  target: "95"
  window: 2w
  indicator:
    latency:
      success:
        metric: http_request_duration_seconds_bucket{job="api",le="0.5"}
      total:
        metric: http_request_duration_seconds_count{job="api"}
---
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-up
  labels:
    service: api
spec:
  target: "99.9"
  window: 28d
  indicator:
    bool_gauge:
      metric: up{job="api"}
  alerting:
    name: ApiUpBudgetBurn
---
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-native
  labels:
    service: api
spec:
  target: "99"
  window: 28d
  indicator:
    latencyNative:
      latency: 200ms
      total:
        metric: http_request_duration_seconds{job="api"}
"#;

#[test]
fn pyrra_ratio_latency_and_bool_gauge_import_and_export_back() {
    let repo = Repo::git();
    repo.write("pyrra.yaml", PYRRA.as_bytes());
    let run = repo.cto(&["slo", "import", "pyrra.yaml", "--owner", "SRE"]);
    assert_eq!(
        run.code, 1,
        "the native histogram is refused: {}",
        run.stderr
    );
    assert_eq!(
        run.stdout,
        "docs/slos/api-errors.md\ndocs/slos/api-latency.md\ndocs/slos/api-up.md\n"
    );
    assert!(
        run.stderr.contains("pyrra.yaml:53: not imported: a native-histogram latency indicator (`latencyNative`) is not carried over"),
        "{}",
        run.stderr
    );
    for said in [
        "api-errors: grouping (cto measures the SLO as a whole)",
        "api-errors: metadata.labels",
        "api-errors: metadata.namespace",
        "api-up: alerting (cto derives alerts from its alert windows)",
    ] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    let text = repo.read(&format!("{S}/api-errors.md"));
    assert!(
        text.starts_with("---\nservice: api\nowner: SRE\nstatus: draft\nobjective: 99.5\nwindow: 4w\nsli:\n  type: ratio\n  bad: sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))\n  total: sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))\n"),
        "{text}"
    );
    let up = repo.read(&format!("{S}/api-up.md"));
    assert!(
        up.contains("  good: sum(sum_over_time(up{job=\"api\"}[{{.window}}]))\n  total: sum(count_over_time(up{job=\"api\"}[{{.window}}]))\n"),
        "{up}"
    );
    assert_eq!(
        repo.cto(&["lint"]).code,
        0,
        "{}",
        repo.cto(&["lint"]).stdout
    );

    // Back to Pyrra: the same indicators, targets and windows.
    let out = repo.cto(&["slo", "export", "--to", "pyrra"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let back = cto::parse::yaml::parse_stream(&out.stdout).expect("YAML");
    let original = cto::parse::yaml::parse_stream(PYRRA).unwrap();
    assert_eq!(back.len(), 3);
    for (b, o) in back.iter().zip(&original) {
        let at = |n: &cto::parse::yaml::Node, path: &[&str]| {
            path.iter()
                .try_fold(n, |n, k| n.get(k))
                .and_then(|n| n.scalar_text())
        };
        for path in [
            &["apiVersion"][..],
            &["kind"],
            &["metadata", "name"],
            &["metadata", "labels", "service"],
            &["spec", "target"],
            &["spec", "window"],
            &["spec", "indicator", "ratio", "errors", "metric"],
            &["spec", "indicator", "ratio", "total", "metric"],
            &["spec", "indicator", "latency", "success", "metric"],
            &["spec", "indicator", "latency", "total", "metric"],
            &["spec", "indicator", "bool_gauge", "metric"],
        ] {
            assert_eq!(at(b, path), at(o, path), "{path:?}\n{}", out.stdout);
        }
    }
    assert!(
        out.stdout.contains("  target: \"99.5\"\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn slo_generator_configs_in_both_forms() {
    let v2 = r#"apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: prom-metrics-availability
  labels:
    service: prom
    feature: metrics
spec:
  description: 99.9% of Prometheus requests return a good HTTP code
  backend: prometheus
  method: good_bad_ratio
  exporters:
    - prometheus
  service_level_indicator:
    filter_good: prometheus_http_requests_total{handler="/metrics", code=~"2.."}
    filter_valid: prometheus_http_requests_total{handler="/metrics"}
  goal: 0.999
---
apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: gae-app-availability
  labels:
    service: gae
spec:
  backend: cloud_monitoring
  method: good_bad_ratio
  service_level_indicator:
    filter_good: metric.type="appengine.googleapis.com/http/server/response_count"
  goal: 0.95
"#;
    let legacy = r#"service_name:     prom
feature_name:     query
slo_name:         latency
slo_description:  Queries are answered
slo_target:       0.99
backend:
  class:          Prometheus
  method:         good_bad_ratio
  url:            ${PROMETHEUS_URL}
  measurement:
    filter_good:  prometheus_http_requests_total{handler="/api/v1/query", code=~"2.."}[window]
    filter_bad:   prometheus_http_requests_total{handler="/api/v1/query", code=~"5.."}[window]
exporters:
  - class:        Prometheus
"#;
    let repo = Repo::git();
    repo.write("v2.yaml", v2.as_bytes());
    repo.write("legacy.yaml", legacy.as_bytes());
    let run = repo.cto(&["slo", "import", "v2.yaml", "legacy.yaml", "--owner", "SRE"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "docs/slos/prom-metrics-availability.md\ndocs/slos/prom-query-latency.md\n"
    );
    assert!(
        run.stderr.contains(
            "v2.yaml:19: not imported: the `cloud_monitoring` backend is not carried over"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("window: slo-generator sets it in the error budget policy; 28d here")
    );
    assert!(run.stderr.contains("prom-query-latency: backend.url"));
    let text = repo.read(&format!("{S}/prom-metrics-availability.md"));
    assert!(
        text.contains("objective: 99.9\nwindow: 28d\nsli:\n  type: ratio\n  good: sum(increase(prometheus_http_requests_total{handler=\"/metrics\", code=~\"2..\"}[{{.window}}]))\n  total: sum(increase(prometheus_http_requests_total{handler=\"/metrics\"}[{{.window}}]))\n"),
        "{text}"
    );
    let text = repo.read(&format!("{S}/prom-query-latency.md"));
    assert!(
        text.contains("objective: 99\n")
            && text.contains("  bad: sum(increase(prometheus_http_requests_total{handler=\"/api/v1/query\", code=~\"5..\"}[{{.window}}]))\n"),
        "{text}"
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[test]
fn openslo_v1alpha_and_v2alpha_import() {
    let v1alpha = r#"apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: web-availability
  displayName: Web availability
spec:
  service: web
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      target: 0.995
      ratioMetrics:
        incremental: true
        good:
          source: prometheus
          queryType: promql
          query: sum(http_requests_total{code!~"5.."})
        total:
          source: prometheus
          queryType: promql
          query: http_requests_total
  timeWindows:
    - count: 4
      unit: Week
      isRolling: true
"#;
    let v2alpha = r#"- apiVersion: openslo.com/v2alpha
  kind: SLO
  metadata:
    name: search-latency
    labels:
      team: search-team
  spec:
    service: search
    sli:
      metadata:
        name: search-p99
      spec:
        thresholdMetric:
          dataSourceRef: my-prometheus
          spec:
            query: histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[{{.window}}])))
    timeWindow:
      - duration: 1w
        isRolling: true
    budgetingMethod: Timeslices
    objectives:
      - op: lt
        value: 0.25
        target: 0.99
"#;
    let repo = Repo::git();
    repo.write("v1alpha.yaml", v1alpha.as_bytes());
    repo.write("v2alpha.yaml", v2alpha.as_bytes());
    let run = repo.cto(&[
        "slo",
        "import",
        "v1alpha.yaml",
        "v2alpha.yaml",
        "--owner",
        "SRE",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let web = repo.read(&format!("{S}/web-availability.md"));
    assert!(
        web.contains("objective: 99.5\nwindow: 4w\nsli:\n  type: ratio\n  good: sum(rate(http_requests_total{code!~\"5..\"}[{{.window}}]))\n  total: sum(rate(http_requests_total[{{.window}}]))\n"),
        "a counter becomes a rate over the window: {web}"
    );
    let search = repo.read(&format!("{S}/search-latency.md"));
    assert!(
        search.contains("service: search\nowner: search-team\n")
            && search.contains("window: 1w\n")
            && search.contains("budgeting: timeslices\n")
            && search.contains("  type: threshold\n")
            && search.contains("  op: lt\n  value: 0.25\n"),
        "{search}"
    );
    assert_eq!(repo.cto(&["lint"]).code, 0);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_openslo_and_sloth_corpus_file_imports_or_says_why() {
    let dir = corpus().join("slo");
    let repo = Repo::git();
    // oslo's own v1alpha and v2alpha examples: what fits comes in, the rest is named.
    let v1alpha = dir.join("OpenSLO__oslo/test/inputs/validate/v1alpha.yaml");
    let run = repo.cto(&[
        "slo",
        "import",
        &v1alpha.to_string_lossy(),
        "--owner",
        "SRE",
    ]);
    assert_eq!(run.stdout, "docs/slos/ratio.md\n", "{}", run.stderr);
    assert!(
        run.stderr
            .contains("window `1 Month` is not in minutes, hours, days or weeks"),
        "{}",
        run.stderr
    );
    let v2alpha = dir.join("OpenSLO__oslo/test/inputs/validate/v2alpha.yaml");
    let run = repo.cto(&[
        "slo",
        "import",
        &v2alpha.to_string_lossy(),
        "--owner",
        "SRE",
    ]);
    assert_eq!(
        run.stdout, "docs/slos/web-availability.md\n",
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("an OpenSLO Service is not an SLO"),
        "{}",
        run.stderr
    );
    let text = repo.read(&format!("{S}/web-availability.md"));
    assert!(
        text.contains("window: 1w\nwindow_type: calendar\n")
            && text.contains("  good: sum(rate(http_requests{k8s_cluster=\"prod\",component=\"web\",code=~\"2xx|4xx\"}[{{.window}}]))\n"),
        "{text}"
    );
    // Sloth's Kubernetes specs.
    let k8s = dir.join("slok__sloth/examples/k8s-getting-started.yml");
    let run = repo.cto(&["slo", "import", &k8s.to_string_lossy(), "--owner", "SRE"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("docs/slos/myservice-requests-availability.md"),
        "{}",
        run.stdout
    );
    // Sloth's 7d AlertWindows: cto.yaml lines that then set the thresholds.
    let windows = dir.join("slok__sloth/examples/windows/7d.yaml");
    let run = repo.cto(&["slo", "import", &windows.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "slo:\n  alert_windows:\n    - sloPeriod: 7d\n      page:\n        quick:\n          errorBudgetPercent: 8\n          shortWindow: 5m\n          longWindow: 1h\n        slow:\n          errorBudgetPercent: 12.5\n          shortWindow: 30m\n          longWindow: 6h\n      ticket:\n        quick:\n          errorBudgetPercent: 20\n          shortWindow: 2h\n          longWindow: 1d\n        slow:\n          errorBudgetPercent: 42\n          shortWindow: 6h\n          longWindow: 3d\n"
    );
    assert!(
        run.stderr
            .contains("add the lines above under `slo:` in cto.yaml"),
        "{}",
        run.stderr
    );
    let custom = dir.join("slok__sloth/examples/windows/custom-30d.yaml");
    let run = repo.cto(&["slo", "import", &custom.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("sloPeriod: 30d"), "{}", run.stdout);
    assert_eq!(
        repo.cto(&["lint"]).code,
        0,
        "{}",
        repo.cto(&["lint"]).stdout
    );

    // Every OpenSLO and Sloth file exports again without a window placeholder left in
    // OpenSLO, and Sloth's export carries every imported SLO.
    let all = Repo::git();
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    for f in &files {
        let run = all.cto(&["slo", "import", &f.to_string_lossy(), "--owner", "SRE"]);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: {}",
            f.display(),
            run.stderr
        );
    }
    let imported = all.cto(&["slo", "list", "--format", "json"]).json();
    let count = imported.as_array().map_or(0, Vec::len);
    assert!(count >= 15, "{count}");
    let openslo = all.cto(&["slo", "export", "--to", "openslo"]);
    assert_eq!(openslo.code, 0, "{}", openslo.stderr);
    assert!(!openslo.stdout.contains("{{"), "no placeholder in OpenSLO");
    let sloth = all.cto(&["slo", "export", "--to", "sloth"]);
    assert_eq!(sloth.code, 0, "{}", sloth.stderr);
    assert_eq!(
        sloth.stdout.matches("\n  - name: ").count(),
        count,
        "{}",
        sloth.stderr
    );
}

fn slo(name: &str, objective: &str, window: &str, sli: &str) -> String {
    format!(
        "---\nservice: search\nowner: SRE\nstatus: active\nobjective: {objective}\nwindow: {window}\nsli:\n{sli}alerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/{name}\n---\n\n# {name}\n"
    )
}

const RATIO: &str = "  type: ratio\n  bad: sum(rate(errors_total[{{.window}}]))\n  total: sum(rate(requests_total[{{.window}}]))\n";
const THRESHOLD: &str = "  type: threshold\n  query: histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[{{.window}}])))\n  op: lt\n  value: 0.3\n";

#[test]
fn seven_day_slos_alert_on_sloths_7d_windows_and_cto_yaml_can_set_others() {
    let repo = Repo::git()
        .file(
            &format!("{S}/search-availability.md"),
            &slo("search-availability", "99", "7d", RATIO),
        )
        .file(
            &format!("{S}/search-latency.md"),
            &slo("search-latency", "99", "7d", THRESHOLD),
        );
    let j = repo.cto(&["slo", "report", "--format", "json"]).json();
    let c = &j["burn_rates"][0]["conditions"];
    let factors: Vec<f64> = (0..4).map(|i| c[i]["factor"].as_f64().unwrap()).collect();
    assert_eq!(factors, vec![13.44, 3.5, 1.4, 0.98], "{c}");
    let rules = repo.cto(&["slo", "export", "--to", "prometheus"]);
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    assert!(
        rules.stdout.contains("> (13.44 * 0.01)") && rules.stdout.contains("> (0.98 * 0.01)"),
        "{}",
        rules.stdout
    );
    assert!(!rules.stdout.contains("0.2333"), "{}", rules.stdout);
    // The threshold SLI is exported too: one-minute samples over each window.
    assert!(
        rules.stdout.contains("expr: 1 - avg_over_time(((histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[5m])))) < bool 0.3)[1h:1m])"),
        "{}",
        rules.stdout
    );
    assert!(
        rules
            .stdout
            .contains("alert: SearchLatencyErrorBudgetBurnPage")
    );
    let file = repo.path().join("rules.yml");
    std::fs::write(&file, &rules.stdout).unwrap();
    if let Ok(out) = std::process::Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(&file)
        .output()
    {
        assert!(
            out.status.success(),
            "promtool: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Custom windows for 7d in cto.yaml, in Sloth's shape.
    repo.write(
        "cto.yaml",
        b"slo:\n  alert_windows:\n    - sloPeriod: 7d\n      page:\n        quick: { errorBudgetPercent: 10, shortWindow: 5m, longWindow: 1h }\n        slow: { errorBudgetPercent: 20, shortWindow: 30m, longWindow: 6h }\n      ticket:\n        quick: { errorBudgetPercent: 25, shortWindow: 2h, longWindow: 1d }\n        slow: { errorBudgetPercent: 50, shortWindow: 12h, longWindow: 3d }\n",
    );
    let j = repo.cto(&["slo", "report", "--format", "json"]).json();
    let c = &j["burn_rates"][0]["conditions"];
    let factors: Vec<f64> = (0..4).map(|i| c[i]["factor"].as_f64().unwrap()).collect();
    assert_eq!(factors, vec![16.8, 5.6, 1.75, 1.166666666667], "{c}");
    let rules = repo.cto(&["slo", "export", "--to", "prometheus"]);
    assert!(
        rules
            .stdout
            .contains("record: slo:sli_error:ratio_rate12h\n"),
        "{}",
        rules.stdout
    );
    // A set that does not add up is refused with its line.
    repo.write(
        "cto.yaml",
        b"slo:\n  alert_windows:\n    - sloPeriod: 7d\n      page:\n        quick: { errorBudgetPercent: 10, shortWindow: 2h, longWindow: 1h }\n",
    );
    let run = repo.cto(&["slo", "report"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "alert windows: `page.quick`: the short window must be shorter than the long one"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn exports_name_what_they_cannot_carry_and_never_succeed_empty() {
    let repo = Repo::git()
        .file(
            &format!("{S}/search-availability.md"),
            &slo("search-availability", "99.9", "30d", RATIO),
        )
        .file(
            &format!("{S}/search-latency.md"),
            &slo("search-latency", "99", "30d", THRESHOLD),
        );
    let run = repo.cto(&["slo", "export", "--to", "prometheus", "--service", "nosuch"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("no SLO of service `nosuch`; the services with SLOs: search"),
        "{}",
        run.stderr
    );
    // OpenSLO has no window placeholder: counters become counters, other queries rates.
    let run = repo.cto(&["slo", "export", "--to", "openslo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("{{"), "{}", run.stdout);
    assert!(
        run.stdout.contains("counter: true\n")
            && run.stdout.contains("query: sum(errors_total)\n")
            && run.stdout.contains(
                "query: histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[5m])))\n"
            ),
        "{}",
        run.stdout
    );
    // Pyrra has no threshold indicator: said, and the rest exported.
    let run = repo.cto(&["slo", "export", "--to", "pyrra"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("search-latency: not exported: Pyrra has no threshold indicator"),
        "{}",
        run.stderr
    );
    let only = Repo::git().file(
        &format!("{S}/search-latency.md"),
        &slo("search-latency", "99", "30d", THRESHOLD),
    );
    let run = only.cto(&["slo", "export", "--to", "pyrra"]);
    assert_eq!(run.code, 1, "nothing exported is not a success");
    assert!(
        run.stderr.contains("no SLO could be exported"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_text_in_a_document_is_escaped_in_the_exports() {
    let text = slo("x", "99.9", "30d", RATIO).replace(
        "status: active\n",
        "status: active\ndescription: \"A \\u202e reversed \\e[31m red\"\n",
    );
    let repo = Repo::git().file(&format!("{S}/x.md"), &text);
    for to in ["sloth", "openslo", "prometheus"] {
        let out = repo.cto(&["slo", "export", "--to", to]);
        assert_eq!(out.code, 0, "{to}: {}", out.stderr);
        assert!(
            !out.stdout.contains('\u{202e}') && !out.stdout.contains('\u{1b}'),
            "{to}: {}",
            out.stdout
        );
        cto::parse::yaml::parse_stream(&out.stdout).expect("YAML");
    }
    let out = repo.cto(&["slo", "export", "--to", "sloth"]);
    let back = cto::parse::yaml::parse_stream(&out.stdout).expect("YAML");
    let slos = back[0].get("slos").unwrap();
    let cto::parse::yaml::Value::Seq(items) = &slos.value else {
        panic!("{}", out.stdout)
    };
    assert_eq!(
        items[0]
            .get("description")
            .and_then(|d| d.scalar_text())
            .as_deref(),
        Some("A \u{202e} reversed \u{1b}[31m red"),
        "the escape reads back as the text it was: {}",
        out.stdout
    );
}
