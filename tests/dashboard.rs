//! The leadership dashboard and the graphs: HTML that stands alone, renders in a real
//! browser and shows the documents; Mermaid and Graphviz text.

mod support;

use std::path::Path;
use std::process::Command;

use support::Repo;

/// The bundled example repository, copied so that nothing here writes into it.
fn example() -> Repo {
    let repo = Repo::git();
    repo.copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"));
    repo
}

fn html(repo: &Repo) -> String {
    let run = repo.cto(&["report", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn the_html_report_is_one_self_contained_file_with_pictures() {
    let repo = example();
    let page = html(&repo);
    assert!(page.len() >= 8 * 1024, "{} bytes", page.len());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.matches("<svg").count() >= 2, "inline SVG pictures");
    for id in ["ADR-0008", "RISK-0003", "RM-0004", "checkout-availability"] {
        assert!(page.contains(id), "{id}");
    }
    // Nothing is loaded: no scripts, stylesheets, images, frames, fonts or imports.
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "src=", "@import", "url(http", "url(//",
    ] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    let hrefs: Vec<&str> = page
        .match_indices("href=")
        .map(|(i, _)| &page[i..i + 12])
        .collect();
    assert!(hrefs.is_empty(), "{hrefs:?}");
    // Accessible pictures: each SVG is labelled, with a title and a description.
    assert_eq!(
        page.matches("<svg role=\"img\" aria-labelledby=").count(),
        page.matches("<svg").count()
    );
    assert!(page.contains("prefers-color-scheme: dark") && page.contains("@media print"));
    // The things that need attention come first.
    let attention = page.find("Needs attention").expect("attention section");
    assert!(attention < page.find("Risk heat map").expect("heat map"));
    assert!(page[attention..].contains("RISK-0003") && page.contains("escalation"));
}

#[test]
fn html_escapes_what_people_write() {
    let repo = Repo::git()
        .file("docs/decisions/0001-x.md", &support::madr("accepted", "Use A & \"B\""))
        .file(
            "docs/risks/0001-r.md",
            "---\nowner: '<img src=x onerror=alert(1)>'\nstatus: open\nlikelihood: 2\nimpact: 2\n---\n\n# R\n\n## Description\n\nD.\n",
        );
    let page = html(&repo);
    assert!(
        !page.contains("<img"),
        "what people write is text, never markup"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("Use A &amp; &quot;B&quot;"));
}

/// Chromium, started as this machine allows: headless, no sandbox (root), no GPU, no
/// background networking (there is no network).
fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

fn headless(profile: &Path) -> Command {
    let mut c = Command::new(chromium().expect("chromium"));
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn the_dashboard_renders_in_a_real_headless_browser() {
    if chromium().is_none() || Command::new("pdftotext").arg("-v").output().is_err() {
        // CI installs them (.ci/run); a developer without them is told, and CI is not.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and pdftotext"
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "skipped: chromium or pdftotext is not installed (Debian: chromium poppler-utils)"
            );
        }
        return;
    }
    let repo = example();
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("report.html");
    std::fs::write(&page, html(&repo)).expect("write");
    let pdf = dir.path().join("report.pdf");
    let png = dir.path().join("report.png");
    let url = format!("file://{}", page.display());

    let out = headless(&dir.path().join("p1"))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let shown = String::from_utf8_lossy(&text.stdout);
    // What a reader sees: headings, ids drawn inside the SVG pictures, budgets.
    for expected in [
        "Engineering leadership report",
        "Needs attention",
        "Risk heat map",
        "Inherent",
        "Residual",
        "RISK-0003",
        "RM-0004",
        "2027-Q1",
        "43m 12s",
        "ADR-0008",
        "Decision graph",
    ] {
        assert!(
            shown.contains(expected),
            "the rendered page shows {expected:?}:\n{shown}"
        );
    }

    let out = headless(&dir.path().join("p2"))
        .args([
            "--window-size=1280,2400",
            &format!("--screenshot={}", png.display()),
            &url,
        ])
        .output()
        .expect("chromium runs");
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 50_000,
        "a screenshot with content ({size} bytes): {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Laid out by the browser at a phone's width and a desktop's, light and dark: no text
    // in a picture smaller than 10 px on screen (pictures scroll in their own box
    // rather than shrink), and nothing wider than the page.
    for (width, dark) in [(390, false), (390, true), (1400, false)] {
        let (min_font, overflow) = measured_in_browser(dir.path(), &html(&repo), width, dark);
        assert!(
            min_font >= 10.0,
            "at {width} px, SVG text is {min_font} px on screen"
        );
        assert!(
            overflow <= 0,
            "at {width} px, the page is {overflow} px wider than the window"
        );
    }
}

/// The smallest on-screen font size of any text in the page's SVG pictures, and by how
/// many pixels the page is wider than a window `width` px wide, as Chromium lays it out.
/// The page is given a probe script (the dashboard itself has none) and shown in an
/// iframe of that width (a headless window is at least 500 px wide); the probe posts
/// its figures to the frame around it, which `--dump-dom` prints.
fn measured_in_browser(dir: &Path, page: &str, width: usize, dark: bool) -> (f64, i64) {
    const PROBE: &str = r#"<script>
window.addEventListener('load', function () {
  var min = 1e9;
  document.querySelectorAll('svg text').forEach(function (t) {
    if (!t.textContent.trim()) return;
    var m = t.getScreenCTM();
    var scale = m ? Math.sqrt(m.a * m.a + m.b * m.b) : 1;
    min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
  });
  var over = document.documentElement.scrollWidth - window.innerWidth;
  parent.postMessage('PROBE ' + min.toFixed(2) + ' ' + over + ' PROBE', '*');
});
</script>"#;
    let probed = page.replace("</body></html>", &format!("{PROBE}</body></html>"));
    assert_ne!(probed, page, "the page ends with </body></html>");
    std::fs::write(dir.join("probed.html"), probed).expect("write");
    std::fs::write(
        dir.join("frame.html"),
        format!(
            "<html><body><pre id=\"out\"></pre><iframe src=\"probed.html\" style=\"border:0;width:{width}px;height:900px\"></iframe><script>window.addEventListener('message', function (e) {{ document.getElementById('out').textContent = e.data; }});</script></body></html>"
        ),
    )
    .expect("write");
    let scheme = if dark { 0 } else { 1 };
    let out = headless(&dir.join(format!("probe-{width}-{dark}")))
        .args([
            "--window-size=1200,1000",
            "--virtual-time-budget=15000",
            &format!("--blink-settings=preferredColorScheme={scheme}"),
            "--dump-dom",
        ])
        .arg(format!("file://{}", dir.join("frame.html").display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let figures = dom
        .split("PROBE ")
        .nth(1)
        .unwrap_or_else(|| panic!("the probe reported: {dom}"));
    let mut it = figures.split_whitespace();
    let min_font: f64 = it.next().and_then(|f| f.parse().ok()).expect("a size");
    let overflow: i64 = it.next().and_then(|f| f.parse().ok()).expect("a width");
    (min_font, overflow)
}

#[test]
fn the_markdown_report_has_the_same_sections_and_mermaid() {
    let repo = example();
    let run = repo.cto(&["report", "--format", "md"]);
    let md = &run.stdout;
    for heading in [
        "## Needs attention",
        "## Architecture decisions",
        "## Risk register",
        "## Service level objectives",
        "## Roadmap",
        "### Decision graph",
        "### Timeline",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("```mermaid\nflowchart TD\n") && md.contains("```mermaid\ngantt\n"));
}

#[test]
fn graphs_and_index() {
    let repo = example();
    let mermaid = repo.cto(&["adr", "graph", "--format", "mermaid"]).stdout;
    assert!(
        mermaid.starts_with("flowchart") || mermaid.starts_with("graph"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("ADR_0008 -- supersedes --> ADR_0003"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("ADR_0008 -. links .-> ADR_0002"),
        "{mermaid}"
    );
    let dot = repo.cto(&["adrs", "graph", "--format", "dot"]).stdout;
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains("\"ADR-0008\" -> \"ADR-0003\" [label=\"supersedes\"];"));
    assert_eq!(dot.matches('{').count(), dot.matches('}').count());

    let gantt = repo
        .cto(&["roadmap", "report", "--format", "mermaid"])
        .stdout;
    assert!(gantt.starts_with("gantt\n"), "{gantt}");
    assert!(
        gantt.contains(":RM_0004, after RM_0002, 90d"),
        "a dependency in the next quarter: {gantt}"
    );
    assert!(
        gantt.contains("%% RM-0002 depends on RM-0001 (done before its quarter)"),
        "{gantt}"
    );
    assert_eq!(repo.cto(&["risk", "report", "--format", "mermaid"]).code, 2);

    let toc = repo.cto(&["adr", "toc"]).stdout;
    let items: Vec<&str> = toc.lines().filter(|l| l.starts_with("- [")).collect();
    assert_eq!(items.len(), 10);
    assert_eq!(
        items[2],
        "- [ADR-0003: Publish order events through RabbitMQ](0003-publish-order-events-through-rabbitmq.md) — superseded by ADR-0008, 2024-02-05"
    );
    let report = repo.cto(&["adrs", "report", "--format", "json"]).json();
    assert_eq!(
        report["chains"],
        serde_json::json!([["ADR-0003", "ADR-0008"]])
    );
    assert_eq!(report["by_status"]["accepted"], 6);
}

#[test]
fn the_risk_report_for_people_snapshot() {
    let run = example().cto(&["risks", "report"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_markdown_report_snapshot() {
    let run = example().cto(&["report", "--format", "md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

/// The overall JSON holds each kind's report as `cto <kind> report --format json` gives
/// it, under its plural name, and the summary counts lint's findings once.
#[test]
fn the_overall_json_is_each_kind_report() {
    let repo = example();
    let all = repo.cto(&["report", "--format", "json"]).json();
    for (kind, key) in [
        ("adr", "adrs"),
        ("risk", "risks"),
        ("slo", "slos"),
        ("roadmap", "roadmaps"),
        ("incident", "incidents"),
    ] {
        let one = repo.cto(&[kind, "report", "--format", "json"]).json();
        assert_eq!(all[key], one, "{kind}");
    }
    let lint = repo.cto(&["lint", "--format", "json"]).json();
    assert_eq!(all["summary"]["lint"]["errors"], lint["summary"]["errors"]);
    assert_eq!(
        all["summary"]["lint"]["warnings"],
        lint["summary"]["warnings"]
    );
    assert_eq!(all["summary"]["documents"]["adrs"], 10);
    let keys: Vec<&String> = all.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
}

fn git(repo: &Repo, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(repo.path())
        .args([
            "-c",
            "user.name=Ana Lima",
            "-c",
            "user.email=ana@example.com",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_COMMITTER_DATE", "2026-10-02T12:00:00Z")
        .env("GIT_AUTHOR_DATE", "2026-10-02T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_dashboard_tells_what_it_shows_and_what_it_does_not() {
    let repo = example();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "the example"]);
    let page = html(&repo);
    // No Prometheus: said in the heading and for each active SLO, with no number spent.
    assert!(
        page.contains("SLO error budgets <span class=\"muted\">· no live data</span>"),
        "the heading says it"
    );
    assert!(page.contains("No Prometheus to ask (pass --prometheus URL"));
    let slo = &page[page.find("id=\"slo\"").unwrap()..page.find("id=\"inc\"").unwrap()];
    assert_eq!(slo.matches(">no live data</text>").count(), 4, "{slo}");
    assert!(!slo.contains("spent ·"), "never a made-up number");
    // The timeline: every label whole, quarters in order with the empty run between
    // 2024-Q3 and 2026-Q2 drawn as a gap, a legend, arrows with their heads.
    let tl = &page[page.find("id=\"tl-t\"").unwrap()..page.find("id=\"cap-t\"").unwrap()];
    assert!(tl.contains("</tspan> Orders on PostgreSQL</text>"), "{tl}");
    assert!(!tl.contains("…</text>"), "no label cut short: {tl}");
    assert!(tl.contains("<title>6 quarters without items (2024-Q4 to 2026-Q1)</title>"));
    let quarters: Vec<&str> = tl
        .split("font-weight=\"600\">")
        .skip(1)
        .filter_map(|t| t.split('<').next())
        .filter(|t| t.contains("-Q") || t.ends_with("qtrs"))
        .collect();
    assert_eq!(
        quarters,
        [
            "2024-Q3", "6 qtrs", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2"
        ]
    );
    for legend in [
        ">now</text>",
        ">next</text>",
        ">later</text>",
        ">shipped</text>",
    ] {
        assert!(tl.contains(legend), "{legend}");
    }
    assert!(tl.contains("<title>RM-0004 depends on RM-0002</title>"));
    assert!(tl.contains("marker-end=\"url(#arrow)\""));
    // Shipped, later and now bars are drawn differently.
    for class in ["bar-done", "bar-later", "bar-now", "bar-next"] {
        assert!(
            tl.contains(&format!("<rect class=\"{class}\" x=")),
            "{class}"
        );
    }
    // The decision graph has a legend and arrowheads on both kinds of edge.
    let dg = &page[page.find("id=\"dg-t\"").unwrap()..];
    assert!(dg.contains(">supersedes</text>") && dg.contains(">links to</text>"));
    assert!(dg.contains("class=\"edge-links\" marker-end=\"url(#dg-link)\""));
    assert!(dg.contains("class=\"edge-supersedes\" marker-end=\"url(#dg-arrow)\""));
    // Owners and last changes where documents are listed (from git).
    assert!(
        page.contains("Priya Natarajan · changed 2026-10-02"),
        "the board names owners and last changes"
    );
    assert!(page.contains("(owner Sam Okafor, changed 2026-10-02)"));
    assert!(dg.contains("changed 2026-10-02)</title>"));
    // Wide tables scroll in their own box.
    assert_eq!(
        page.matches("<div class=\"scroll\"><table>").count(),
        page.matches("<table>").count()
    );
}

#[test]
fn an_over_committed_quarter_is_drawn_over_its_capacity() {
    let item = |n: u32, q: &str, effort: u32| {
        format!(
            "---\nowner: Ana\nstatus: planned\nhorizon: next\nquarter: {q}\ntype: feature\neffort: {effort}\n---\n\n# Item {n}\n\n## Outcome\n\nO.\n"
        )
    };
    let repo = Repo::git()
        .file(
            "cto.yaml",
            "roadmap:\n  capacity: { 2027-Q1: 10, 2027-Q2: 20 }\n",
        )
        .file("docs/roadmap/0001-item-1.md", &item(1, "2027-Q1", 8))
        .file("docs/roadmap/0002-item-2.md", &item(2, "2027-Q1", 5))
        .file("docs/roadmap/0003-item-3.md", &item(3, "2027-Q2", 5));
    let page = html(&repo);
    let cap = &page[page.find("id=\"cap-t\"").unwrap()..page.find("id=\"slo\"").unwrap()];
    assert!(
        cap.contains("<title>2027-Q1: 13 of 10 points: over capacity (RM-0001, RM-0002)</title>"),
        "{cap}"
    );
    assert!(cap.contains("class=\"over\">13 of 10 points: over capacity</text>"));
    assert_eq!(cap.matches("class=\"effort-over\"").count(), 1, "{cap}");
    assert!(cap.contains(">5 of 20 points</text>"));
}
