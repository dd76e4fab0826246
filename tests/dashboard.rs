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
