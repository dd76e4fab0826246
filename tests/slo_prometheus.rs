//! `cto slo status` against a real Prometheus: the test writes counters with a known
//! error ratio as OpenMetrics, builds a TSDB with `promtool tsdb create-blocks-from
//! openmetrics`, starts `prometheus` on 127.0.0.1 over it, and asserts the exact SLI,
//! budget and burn rates. Then Prometheus servers that are down, silent or hostile.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::Repo;

const S: &str = "docs/slos";

/// The evaluation time: 15 s after a minute boundary, so that no sample and no subquery
/// step falls on the edge of a window (Prometheus 2 and 3 disagree about edges).
const T: i64 = 1_699_999_995;
/// Samples every minute, at `T - 45 - 60k`.
const STEP: i64 = 60;
/// 31 days of samples: the longest window (30d) and some.
const SAMPLES: i64 = 31 * 1_440;
/// Requests per minute; errors per minute normally, and in the last `BAD` minutes.
const REQUESTS: i64 = 2_000;
const ERRORS: i64 = 1;
const BAD_ERRORS: i64 = 40;
const BAD: i64 = 400;
/// Minutes at the end with the latency above the threshold.
const SLOW: i64 = 120;

fn sample_time(k: i64) -> i64 {
    T - 45 - STEP * k
}

/// Errors in the minute that ends at sample `k - 1` (minute `k`, counted back from the end).
fn errors_in(k: i64) -> i64 {
    if k <= BAD { BAD_ERRORS } else { ERRORS }
}

fn openmetrics() -> String {
    let mut requests = Vec::new();
    let mut errors = Vec::new();
    let mut latency = Vec::new();
    // Counters start high, as in a long-running service (no extrapolation to zero).
    let (mut r, mut e) = (10_000_000i64, 100_000i64);
    for k in (0..SAMPLES).rev() {
        let t = sample_time(k);
        if k < SAMPLES - 1 {
            r += REQUESTS;
            e += errors_in(k + 1);
        }
        requests.push(format!("app_requests_total {r} {t}\n"));
        errors.push(format!("app_errors_total {e} {t}\n"));
        let l = if k < SLOW { "0.5" } else { "0.2" };
        latency.push(format!("app_latency_p99_seconds {l} {t}\n"));
    }
    format!(
        "# TYPE app_requests counter\n{}# TYPE app_errors counter\n{}# TYPE app_latency_p99_seconds gauge\n{}# EOF\n",
        requests.concat(),
        errors.concat(),
        latency.concat()
    )
}

/// A fraction, exact.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Q(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

impl Q {
    fn new(n: i128, d: i128) -> Q {
        let g = gcd(n, d);
        Q(n / g, d / g)
    }
    fn mul(self, o: Q) -> Q {
        Q::new(self.0 * o.0, self.1 * o.1)
    }
    fn div(self, o: Q) -> Q {
        Q::new(self.0 * o.1, self.1 * o.0)
    }
    fn sub(self, o: Q) -> Q {
        Q::new(self.0 * o.1 - o.0 * self.1, self.1 * o.1)
    }
    /// To twelve significant digits, as cto keeps a measured ratio (positive, below 1).
    fn twelve_digits(self) -> Q {
        let mut scale: i128 = 1;
        while self.0 * scale < self.1 * 100_000_000_000 {
            scale *= 10;
        }
        // self × scale is now in [10^11, 10^12): round half up to an integer.
        Q::new((2 * self.0 * scale + self.1) / (2 * self.1), scale)
    }
    /// As cto writes it: 15 decimals, half up, read as a float.
    fn f64(self) -> f64 {
        let p = 1_000_000_000_000_000i128;
        let (n, sign) = if self.0 < 0 {
            (-self.0, "-")
        } else {
            (self.0, "")
        };
        let scaled = (2 * n * p + self.1) / (2 * self.1);
        format!("{sign}{}.{:015}", scaled / p, scaled % p)
            .parse()
            .unwrap()
    }
}

/// The error ratio Prometheus measures over `window` seconds: the minutes whose both
/// samples lie in (T - window, T].
fn error_ratio(window: i64) -> Q {
    let minutes = window / STEP - 1;
    let errors: i64 = (1..=minutes).map(errors_in).sum();
    Q::new(errors as i128, (REQUESTS * minutes) as i128)
}

/// The share of one-minute subquery steps over `window` at which latency was below 0.3.
fn latency_error_ratio(window: i64) -> Q {
    let steps = window / STEP;
    Q::new(SLOW.min(steps) as i128, steps as i128)
}

fn slo(name: &str, service: &str, objective: &str, window: &str, sli: &str) -> (String, String) {
    (
        format!("{S}/{name}.md"),
        format!(
            "---\nservice: {service}\nowner: SRE\nstatus: active\nobjective: {objective}\nwindow: {window}\nsli:\n{sli}alerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/{name}\n---\n\n# {name}\n"
        ),
    )
}

const BAD_TOTAL: &str = "  type: ratio\n  bad: sum(rate(app_errors_total[{{.window}}]))\n  total: sum(rate(app_requests_total[{{.window}}]))\n";

/// A Prometheus server for the test's lifetime, killed when dropped (a panic included).
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn http_get(url_host: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(url_host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {url_host}\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is not installed: this test needs a real Prometheus (Debian: apt-get install prometheus; .ci/run installs it)"
    );
}

fn start_prometheus(dir: &Path) -> Server {
    require("prometheus");
    require("promtool");
    let data = dir.join("data");
    let om = dir.join("data.om");
    std::fs::write(&om, openmetrics()).unwrap();
    let built = Command::new("promtool")
        .args(["tsdb", "create-blocks-from", "openmetrics", "--quiet"])
        .arg(&om)
        .arg(&data)
        .output()
        .expect("promtool runs");
    assert!(
        built.status.success(),
        "promtool: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let config = dir.join("prometheus.yml");
    std::fs::write(&config, "global: {}\n").unwrap();
    let port = free_port();
    let host = format!("127.0.0.1:{port}");
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        .arg(format!("--web.listen-address={host}"))
        .arg("--storage.tsdb.retention.time=100y")
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            std::fs::File::create(dir.join("prometheus.log")).unwrap(),
        ))
        .spawn()
        .expect("prometheus starts");
    let server = Server {
        child,
        url: format!("http://{host}"),
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if http_get(&host, "/-/ready")
            .is_some_and(|r| r.starts_with("HTTP/1.0 200") || r.starts_with("HTTP/1.1 200"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "prometheus did not become ready: {}",
            std::fs::read_to_string(dir.join("prometheus.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

#[test]
fn live_budget_and_burn_rates_from_a_real_prometheus_are_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_prometheus(tmp.path());
    let mut repo = Repo::git();
    for (path, text) in [
        slo(
            "checkout-availability",
            "checkout",
            "99.9",
            "30d",
            BAD_TOTAL,
        ),
        slo(
            "checkout-success",
            "checkout",
            "99",
            "7d",
            "  type: ratio\n  good: sum(rate(app_requests_total[{{.window}}])) - sum(rate(app_errors_total[{{.window}}]))\n  total: sum(rate(app_requests_total[{{.window}}]))\n",
        ),
        slo(
            "checkout-latency",
            "checkout",
            "99",
            "28d",
            "  type: threshold\n  query: max(app_latency_p99_seconds)\n  op: lt\n  value: 0.3\n",
        ),
        slo(
            "payments-availability",
            "payments",
            "99.99",
            "30d",
            BAD_TOTAL,
        ),
        slo(
            "search-availability",
            "search",
            "99.9",
            "30d",
            "  type: ratio\n  bad: sum(rate(app_missing_total[{{.window}}]))\n  total: sum(rate(app_missing_total[{{.window}}]))\n",
        ),
    ] {
        repo = repo.file(&path, &text);
    }
    let at = T.to_string();
    let status = |service: &str, format: &str| {
        repo.cto(&[
            "slo",
            "status",
            "--prometheus",
            &server.url,
            "--at",
            &at,
            "--service",
            service,
            "--format",
            format,
        ])
    };

    let run = status("checkout", "json");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let j = run.json();
    let rows = j.as_array().expect("an array");
    assert_eq!(rows.len(), 3);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {j}"))
    };

    // 30 days at 99.9%: 43199 whole minutes in the window, the last 400 at 2% errors,
    // the rest at 0.05%.
    let a = row("checkout-availability");
    let e = error_ratio(30 * 86_400).twelve_digits();
    assert_eq!(e, Q::new(680_559_735_179, 1_000_000_000_000_000));
    assert_eq!(num(&a["error_ratio"]), 0.000680559735179);
    assert_eq!(num(&a["sli"]), 0.999319440264821);
    let budget = Q::new(1, 1000);
    let consumed = e.div(budget);
    assert_eq!(num(&a["budget"]["consumed"]), 0.680559735179);
    assert_eq!(num(&a["budget"]["consumed"]), consumed.f64());
    assert_eq!(num(&a["budget"]["remaining"]), 0.319440264821);
    // 0.319440264821 × 2592 s.
    assert_eq!(num(&a["budget"]["remaining_seconds"]), 827.989166416032);
    assert_eq!(a["budget"]["remaining_human"], "13m 47.989s");
    assert_eq!(a["objective"], 99.9);
    assert_eq!(a["window"], "30d");
    assert_eq!(a["service"], "checkout");
    assert_eq!(a["alert_windows"], "Google's 30d set");
    let burn: Vec<(String, String, f64, f64, bool)> = a["burn_rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["long"].as_str().unwrap().to_string(),
                b["short"].as_str().unwrap().to_string(),
                num(&b["rate"]),
                num(&b["threshold"]),
                b["firing"].as_bool().unwrap(),
            )
        })
        .collect();
    // 1d: 1439 minutes, 400 of them bad: 17039 / 2878000 = 0.00592043085476…, 5.92…×;
    // 3d: 4319 minutes: 19919 / 8638000, 2.30597360500…×.
    let rate = |w: i64| error_ratio(w).twelve_digits().div(budget).f64();
    assert_eq!(rate(86_400), 5.92043085476);
    assert_eq!(rate(3 * 86_400), 2.305973605);
    assert_eq!(
        burn,
        vec![
            ("1h".into(), "5m".into(), 20.0, 14.4, true),
            ("6h".into(), "30m".into(), 20.0, 6.0, true),
            ("1d".into(), "2h".into(), 5.92043085476, 3.0, true),
            ("3d".into(), "6h".into(), 2.305973605, 1.0, true),
        ]
    );
    assert_eq!(a["burn_rates"][0]["short_rate"], 20.0);
    assert_eq!(a["burn_rates"][2]["short_rate"], 20.0);
    assert_eq!(
        a["alerts"],
        serde_json::json!({"page": true, "ticket": true})
    );
    assert_eq!(a["status"], "warning");

    // 7 days at 99%, counted as good events, with Sloth's 7d alert windows.
    let g = row("checkout-success");
    let e7 = error_ratio(7 * 86_400).twelve_digits();
    assert_eq!(num(&g["error_ratio"]), e7.f64());
    assert_eq!(num(&g["budget"]["consumed"]), e7.div(Q::new(1, 100)).f64());
    assert_eq!(g["alert_windows"], "Sloth's 7d set");
    let thresholds: Vec<f64> = g["burn_rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| num(&b["threshold"]))
        .collect();
    assert_eq!(thresholds, vec![13.44, 3.5, 1.4, 0.98]);
    assert_eq!(num(&g["error_ratio"]), 0.00127388629824);
    assert_eq!(num(&g["budget"]["consumed"]), 0.127388629824);
    // 2% errors against a 1% budget: 2× in the last hours; page needs 13.44× and 3.5×,
    // ticket 1.4× over a day (0.59× here) and 0.98× over three (0.23×).
    let rates: Vec<f64> = g["burn_rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| num(&b["rate"]))
        .collect();
    assert_eq!(rates, vec![2.0, 2.0, 0.592043085476, 0.2305973605]);
    assert_eq!(
        g["alerts"],
        serde_json::json!({"page": false, "ticket": false})
    );
    assert_eq!(g["status"], "ok");

    // A threshold SLI over 28 days: 120 slow minutes of 40320.
    let l = row("checkout-latency");
    let el = latency_error_ratio(28 * 86_400).twelve_digits();
    assert_eq!(el, Q::new(297_619_047_619, 100_000_000_000_000));
    assert_eq!(num(&l["error_ratio"]), 0.00297619047619);
    assert_eq!(num(&l["budget"]["consumed"]), 0.297619047619);
    assert_eq!(
        num(&l["budget"]["remaining"]),
        el.div(Q::new(1, 100))
            .sub(Q::new(1, 1))
            .mul(Q::new(-1, 1))
            .f64()
    );
    // The last hour was all slow: 100% errors, 100× the budget rate.
    assert_eq!(num(&l["burn_rates"][0]["rate"]), 100.0);
    assert_eq!(
        l["alerts"],
        serde_json::json!({"page": true, "ticket": true})
    );

    // The same errors against 99.99%: the budget is spent 6.8 times over.
    let run = status("payments", "json");
    assert_eq!(
        run.code, 1,
        "an exhausted budget is a finding: {}",
        run.stderr
    );
    let p = &run.json()[0];
    assert_eq!(p["status"], "exhausted");
    assert_eq!(num(&p["budget"]["consumed"]), 6.80559735179);
    assert_eq!(num(&p["budget"]["remaining"]), -5.80559735179);

    // No data: a clear message, exit 2, never a number.
    let run = status("search", "json");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let s = &run.json()[0];
    assert_eq!(s["status"], "unknown");
    assert!(s.get("sli").is_none() && s.get("budget").is_none(), "{s}");
    assert_eq!(
        s["error"],
        "over 30d: total query: the query returns no data"
    );
    assert!(
        run.stderr.contains("docs/slos/search-availability.md: not measured: over 30d: total query: the query returns no data"),
        "{}",
        run.stderr
    );

    // The text form, and the report with the live budget.
    let run = status("checkout", "table");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("checkout-availability (checkout): WARNING · objective 99.9% over 30d\n  SLI 99.931944% · error ratio 0.068056%\n  budget [██████████████······] 68.06% spent, 31.94% left (13m 47.989s of 43m 12s)\n  page    1h/5m  burn 20× / 20× (alert above 14.4×)  FIRING\n"),
        "{}",
        run.stdout
    );
    let report = repo.cto(&[
        "slo",
        "report",
        "--prometheus",
        &server.url,
        "--at",
        &at,
        "--format",
        "json",
    ]);
    assert_eq!(
        report.code, 2,
        "search cannot be measured: {}",
        report.stderr
    );
    let r = report.json();
    assert!(r["slos"].is_array(), "the report as it was: {r}");
    assert_eq!(r["live"].as_array().map(Vec::len), Some(5));

    // The same figures in the text report, under a heading that says where they come
    // from and what is missing.
    let report = repo.cto(&["slo", "report", "--prometheus", &server.url, "--at", &at]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    let heading = format!(
        "Error budget spent (live from {} at 2023-11-14T22:13:15Z; no live data for 1 of 5)",
        server.url
    );
    assert!(report.stdout.contains(&heading), "{}", report.stdout);
    assert!(
        report.stdout.contains(
            "  budget [██████████████······] 68.06% spent, 31.94% left (13m 47.989s of 43m 12s)\n"
        ),
        "{}",
        report.stdout
    );
    assert!(
        report.stdout.contains(
            "search-availability: not measured: over 30d: total query: the query returns no data"
        ),
        "{}",
        report.stdout
    );

    // The dashboard, with Prometheus named in cto.yaml: each SLO on the scale of its
    // own budget, the alerts that fire marked, the one without data said so.
    repo.write(
        "cto.yaml",
        format!("slo:\n  prometheus: {}\n", server.url).as_bytes(),
    );
    let run = repo.cto(&["report", "--format", "html", "--at", &at]);
    assert_eq!(run.code, 2, "search has no data: {}", run.stderr);
    let page = &run.stdout;
    assert!(
        page.contains("SLO error budgets <span class=\"muted\">· live from Prometheus at 2023-11-14T22:13:15Z; no live data for 1 of 5</span>"),
        "{page}"
    );
    let row = |id: &str| -> &str {
        let start = page
            .find(&format!("<g><title>{id}: "))
            .unwrap_or_else(|| panic!("{id} in the budgets"));
        &page[start..start + page[start..].find("</g>").unwrap()]
    };
    let a = row("checkout-availability");
    // 0.680559735179 of a 280 px track.
    assert!(
        a.contains("class=\"spent-warning\" x=\"") && a.contains("width=\"191\""),
        "{a}"
    );
    assert!(
        a.contains(">68.06% spent · 13m 47.989s left (31.94%)</text>"),
        "{a}"
    );
    assert!(
        a.contains(">firing: page 1h/5m, page 6h/30m, ticket 1d/2h, ticket 3d/6h</text>"),
        "{a}"
    );
    let g = row("checkout-success");
    assert!(g.contains(">12.74% spent · "), "{g}");
    assert!(g.contains(">no burn-rate alert firing</text>"), "{g}");
    let p = row("payments-availability");
    assert!(p.contains("class=\"spent-exhausted\""), "{p}");
    assert!(p.contains(">680.56% spent · overspent by "), "{p}");
    let s = row("search-availability");
    assert!(
        s.contains("class=\"track-none\"") && s.contains(">no live data</text>"),
        "{s}"
    );
    assert!(!s.contains("spent"), "never a made-up number: {s}");
    assert!(page.contains(
        "<li><b>search-availability</b>: no live data: over 30d: total query: the query returns no data</li>"
    ));
    assert!(
        run.stderr
            .contains("docs/slos/search-availability.md: not measured"),
        "{}",
        run.stderr
    );
    // JSON: the same measurement under `live`.
    let run = repo.cto(&["report", "--format", "json", "--at", &at]);
    assert_eq!(run.code, 2);
    let live = &run.json()["live"];
    let a = live
        .as_array()
        .and_then(|l| l.iter().find(|r| r["id"] == "checkout-availability"))
        .unwrap_or_else(|| panic!("{live}"));
    assert_eq!(num(&a["budget"]["consumed"]), 0.680559735179);
    drop(server);
}

/// A server that answers every connection with `answer` (or never, when `None`).
fn fake(answer: Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            match &answer {
                Some(a) => {
                    let _ = stream.write_all(a);
                }
                // Silent: keep the connection open, say nothing.
                None => held.push(stream),
            }
        }
    });
    url
}

fn http(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn one_slo() -> Repo {
    let (p1, t1) = slo(
        "checkout-availability",
        "checkout",
        "99.9",
        "30d",
        BAD_TOTAL,
    );
    let (p2, t2) = slo("checkout-other", "checkout", "99", "7d", BAD_TOTAL);
    Repo::git().file(&p1, &t1).file(&p2, &t2)
}

#[test]
fn a_prometheus_that_is_down_silent_or_hostile_gives_one_message_per_slo_and_exit_2() {
    let repo = one_slo();
    let closed = format!("http://127.0.0.1:{}", free_port());
    let vector = |v: &str| {
        http(
            "200 OK",
            format!(r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{}},"value":[1,"{v}"]}}]}}}}"#).as_bytes(),
        )
    };
    let huge = {
        let mut body =
            br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":""#
                .to_vec();
        body.extend(std::iter::repeat_n(b'a', 3 << 20));
        body.extend_from_slice(br#""},"value":[1,"1"]}]}}"#);
        http("200 OK", &body)
    };
    let cases: Vec<(String, &str)> = vec![
        (closed, "cannot reach Prometheus"),
        (fake(None), "Prometheus did not answer within 1 s"),
        (fake(Some(vector("NaN"))), "the query returns NaN, not a finite number"),
        (fake(Some(vector("+Inf"))), "the query returns +Inf, not a finite number"),
        (fake(Some(http("200 OK", b"[1,2,3]"))), "not what its query API returns"),
        (fake(Some(http("200 OK", b"<html>"))), "not JSON"),
        (fake(Some(huge)), "larger than 1048576 bytes"),
        (
            fake(Some(http("503 Service Unavailable", b"overloaded \x1b[31mred"))),
            "Prometheus answered HTTP 503: overloaded \\u{1b}[31mred",
        ),
        (
            fake(Some(http(
                "422 Unprocessable Entity",
                br#"{"status":"error","errorType":"execution","error":"query timed out"}"#,
            ))),
            "Prometheus refused the query (execution): query timed out",
        ),
        (
            fake(Some(http(
                "200 OK",
                br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a\u001b]0;pwned\u0007"},"value":[1,"1"]},{"metric":{},"value":[1,"2"]}]}}"#,
            ))),
            "the query returns 2 series ({job=\"a\\\\u{1b}]0;pwned\\\\u{7}\"}…); it must return one",
        ),
    ];
    for (url, expected) in cases {
        let started = Instant::now();
        let run = repo.cto(&[
            "slo",
            "status",
            "--prometheus",
            &url,
            "--at",
            "1700000000",
            "--timeout",
            "1",
            "--format",
            "json",
        ]);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{url}: never a hang ({:?})",
            started.elapsed()
        );
        assert_eq!(run.code, 2, "{url}: {}\n{}", run.stdout, run.stderr);
        let j = run.json();
        let rows = j.as_array().unwrap();
        assert_eq!(rows.len(), 2, "one entry per SLO: {j}");
        for row in rows {
            assert_eq!(row["status"], "unknown", "{expected}: {row}");
            assert!(row.get("sli").is_none(), "never a made-up number: {row}");
            let error = row["error"].as_str().unwrap();
            assert!(error.contains(expected), "{expected}\n  in: {error}");
        }
        assert_eq!(
            run.stderr.matches("not measured").count(),
            2,
            "one message per SLO: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains('\u{1b}') && !run.stdout.contains('\u{1b}'),
            "escaped: {}",
            run.stderr
        );
    }
}

#[test]
fn without_a_prometheus_or_with_a_bad_url_it_says_so() {
    let repo = one_slo();
    let run = repo.cto(&["slo", "status"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "no Prometheus to ask: pass --prometheus URL or set `slo.prometheus` in cto.yaml"
        ),
        "{}",
        run.stderr
    );
    let run = repo.cto(&["slo", "status", "--prometheus", "ftp://prom.example.com"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not an http:// or https:// URL"),
        "{}",
        run.stderr
    );
    let run = repo.cto(&[
        "slo",
        "status",
        "--prometheus",
        "http://127.0.0.1:1",
        "--at",
        "yesterday",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--at `yesterday`"), "{}", run.stderr);
    let run = repo.cto(&[
        "slo",
        "status",
        "--prometheus",
        "http://127.0.0.1:1",
        "--service",
        "nosuch",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no SLO of service `nosuch`"),
        "{}",
        run.stderr
    );
    // A status change still works under the same command.
    let run = repo.cto(&["slo", "status", "checkout-other", "retired"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        repo.read(&format!("{S}/checkout-other.md"))
            .contains("status: retired")
    );
    // cto.yaml's URL is used, and checked.
    let bad = Repo::git().file("cto.yaml", "slo:\n  prometheus: prometheus:9090\n");
    let run = bad.cto(&["slo", "status"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`slo.prometheus` must be Prometheus' base URL"),
        "{}",
        run.stderr
    );
}

/// `openssl`, which the https test uses to make a CA, a certificate and a TLS server.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("`openssl` is not installed: the https test needs it (Debian: openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `cto slo status --prometheus URL --format json` with `SSL_CERT_FILE` set or not.
fn status_over(
    repo: &Repo,
    url: &str,
    ca_file: Option<&Path>,
) -> (i32, serde_json::Value, Duration) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cto"));
    c.current_dir(repo.path())
        .args(["slo", "status", "--prometheus", url, "--at", "1700000000"])
        .args(["--timeout", "2", "--format", "json"])
        .env("NO_COLOR", "1")
        .env_remove("SSL_CERT_DIR");
    match ca_file {
        Some(f) => c.env("SSL_CERT_FILE", f),
        None => c.env_remove("SSL_CERT_FILE"),
    };
    let started = Instant::now();
    let out = c.output().expect("cto runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap_or(-1), json, started.elapsed())
}

#[test]
fn https_checks_the_certificate_against_the_trusted_cas() {
    let repo = one_slo();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A CA of the test's own, and a certificate for 127.0.0.1 that it signs.
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=cto test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        dir.join("leaf.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.cnf",
        ],
    );
    // A TLS server that answers every request with an HTML status page (not Prometheus).
    let port = free_port();
    let child = Command::new("openssl")
        .current_dir(dir)
        .args([
            "s_server", "-quiet", "-www", "-cert", "leaf.pem", "-key", "leaf.key",
        ])
        .args(["-accept", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server starts");
    let _server = Server {
        child,
        url: format!("https://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    let url = format!("https://127.0.0.1:{port}");
    let errors = |json: &serde_json::Value| -> Vec<String> {
        json.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert!(r.get("sli").is_none(), "never a made-up number: {r}");
                r["error"].as_str().unwrap().to_string()
            })
            .collect()
    };

    // A trust store without the CA (it holds only the server's own certificate, which is
    // no CA): refused, said so, at once.
    let (code, json, took) = status_over(&repo, &url, Some(&dir.join("leaf.pem")));
    assert_eq!(code, 2);
    assert!(took < Duration::from_secs(10), "{took:?}");
    for e in errors(&json) {
        assert!(
            e.contains("the TLS connection to Prometheus failed")
                && e.contains("invalid peer certificate")
                && e.contains("SSL_CERT_FILE"),
            "{e}"
        );
    }
    // Trusted through SSL_CERT_FILE: the handshake passes and the (HTML) answer is read
    // and refused as what it is.
    let (code, json, _) = status_over(&repo, &url, Some(&dir.join("ca.pem")));
    assert_eq!(code, 2);
    for e in errors(&json) {
        assert!(
            e.contains("not what its query API returns") && !e.contains("TLS"),
            "{e}"
        );
    }
    // https to a closed port: a clear message, no hang.
    let closed = format!("https://127.0.0.1:{}", free_port());
    let (code, json, took) = status_over(&repo, &closed, None);
    assert_eq!(code, 2);
    assert!(took < Duration::from_secs(10), "{took:?}");
    for e in errors(&json) {
        assert!(e.contains("cannot reach Prometheus"), "{e}");
    }
}
