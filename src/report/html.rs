//! `cto report --format html`: one self-contained page (inline CSS and SVG, no script, no
//! network) that opens offline, prints, and reads in light and dark.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::views::dashboard::{CellRisk, Dashboard};
use crate::views::{ReportView, TableView};

pub use super::escape_markup as esc;

const CSS: &str = r#"
:root { --bg: #ffffff; --fg: #1d2330; --muted: #5b6473; --line: #d7dce3; --card: #f6f8fa;
  --low: #d7f0dd; --medium: #fff0c2; --high: #ffd6a5; --critical: #f8c9cc;
  --now: #2f6fde; --next: #7a5cd6; --later: #8a94a6; --done: #9aa5b1;
  --accepted: #1e7e34; --proposed: #b8860b; --superseded: #888888; --rejected: #b00020;
  --supersedes: #b3261e; --links: #6b7280; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14171c; --fg: #e6e9ef; --muted: #a2abb8; --line: #343b46; --card: #1c2129;
    --low: #1f4d2b; --medium: #5a4b12; --high: #6b3d12; --critical: #6b1f25;
    --now: #6f9dff; --next: #a58bff; --later: #8a94a6; --done: #59626e;
    --accepted: #6fcf86; --proposed: #e8c15a; --superseded: #9aa3ad; --rejected: #ff8a8a;
    --supersedes: #ff8a80; --links: #a0a7b4; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 15px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
h1 { margin: 0 0 4px; font-size: 26px; } h2 { margin: 32px 0 8px; font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 24px; }
.attention { border-left: 4px solid var(--supersedes); background: var(--card); padding: 8px 16px; border-radius: 4px; }
.attention li { margin: 4px 0; } .tag { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-right: 6px; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.board { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.board section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.board ul { padding-left: 18px; margin: 6px 0; }
.pictures { display: flex; flex-wrap: wrap; gap: 24px; }
svg { max-width: 100%; height: auto; font-family: inherit; }
figure { margin: 0; }
svg text { fill: var(--fg); } svg .muted { fill: var(--muted); }
.lvl-low { fill: var(--low); } .lvl-medium { fill: var(--medium); } .lvl-high { fill: var(--high); } .lvl-critical { fill: var(--critical); }
.cell { stroke: var(--bg); stroke-width: 2; }
.bar-now { fill: var(--now); } .bar-next { fill: var(--next); } .bar-later, .bar- { fill: var(--later); } .bar-done { fill: var(--done); }
.bar-label { fill: #ffffff; font-size: 12px; }
.grid-line { stroke: var(--line); }
.node { fill: var(--card); stroke: var(--line); }
.st-accepted { fill: var(--accepted); } .st-proposed { fill: var(--proposed); } .st-superseded, .st-deprecated { fill: var(--superseded); } .st-rejected { fill: var(--rejected); }
.edge-supersedes { stroke: var(--supersedes); fill: none; stroke-width: 1.6; }
.edge-links { stroke: var(--links); fill: none; stroke-dasharray: 4 3; }
.dep { stroke: var(--muted); fill: none; stroke-width: 1.2; }
.budget { fill: var(--now); }
footer { margin-top: 40px; font-size: 13px; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } section, figure, table { break-inside: avoid; } }
"#;

fn table(out: &mut String, t: &TableView) {
    if let Some(c) = &t.caption {
        let _ = write!(out, "<h3>{}</h3>", esc(c));
    }
    out.push_str("<table><thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            let _ = write!(out, "<td>{}</td>", esc(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn report(out: &mut String, view: &ReportView) {
    let _ = write!(out, "<h2>{}</h2>", esc(&view.title));
    for s in &view.sections {
        if s.key == "heatmap" {
            continue; // drawn above
        }
        let _ = write!(out, "<h3>{}</h3>", esc(&s.title));
        for t in &s.tables {
            table(
                out,
                &TableView {
                    caption: None,
                    ..t.clone()
                },
            );
        }
        for n in &s.notes {
            let _ = write!(out, "<p class=\"muted\">{}</p>", esc(n));
        }
    }
}

fn heatmap(out: &mut String, grid: &[Vec<Vec<CellRisk>>], levels: &[Vec<&str>], name: &str) {
    let (cell_w, cell_h, left, top) = (92, 58, 40, 34);
    let w = left + 5 * cell_w + 10;
    let h = top + 5 * cell_h + 44;
    let count: usize = grid.iter().flatten().map(Vec::len).sum();
    let _ = write!(
        out,
        "<figure><svg role=\"img\" aria-labelledby=\"hm-{name}-t hm-{name}-d\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"hm-{name}-t\">{} risk heat map</title><desc id=\"hm-{name}-d\">{count} risks placed by likelihood (1 to 5, left to right) and impact (1 to 5, bottom to top).</desc>\
         <text x=\"{left}\" y=\"20\" font-weight=\"600\">{}</text>",
        esc(name),
        esc(&format!("{}{}", &name[..1].to_uppercase(), &name[1..]))
    );
    for impact in (1..=5).rev() {
        let y = top + (5 - impact) * cell_h;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" class=\"muted\" font-size=\"12\" text-anchor=\"end\">{impact}</text>",
            left - 8,
            y + cell_h / 2 + 4
        );
        for l in 1..=5 {
            let x = left + (l - 1) * cell_w;
            let risks = &grid[impact - 1][l - 1];
            let level = levels[impact - 1][l - 1];
            let tip = if risks.is_empty() {
                format!("likelihood {l}, impact {impact} ({level}): none")
            } else {
                format!(
                    "likelihood {l}, impact {impact} ({level}): {}",
                    risks
                        .iter()
                        .map(|r| format!("{} {}", r.id, r.title))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            };
            let _ = write!(
                out,
                "<g><title>{}</title><rect class=\"cell lvl-{level}\" x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"{cell_h}\" rx=\"4\"/>",
                esc(&tip)
            );
            let shown: Vec<&CellRisk> = risks.iter().take(3).collect();
            for (n, r) in shown.iter().enumerate() {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
                    x + 6,
                    y + 18 + 15 * n,
                    esc(&r.id)
                );
            }
            if risks.len() > 3 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"11\" class=\"muted\">+{} more</text>",
                    x + 60,
                    y + 18 + 30,
                    risks.len() - 3
                );
            }
            out.push_str("</g>");
        }
    }
    for l in 1..=5 {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" class=\"muted\" font-size=\"12\" text-anchor=\"middle\">{l}</text>",
            left + (l - 1) * cell_w + cell_w / 2,
            top + 5 * cell_h + 16
        );
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" class=\"muted\" font-size=\"12\" text-anchor=\"middle\">likelihood →</text>\
         <text x=\"14\" y=\"{}\" class=\"muted\" font-size=\"12\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">impact →</text></svg></figure>",
        left + 5 * cell_w / 2,
        top + 5 * cell_h + 36,
        top + 5 * cell_h / 2,
        top + 5 * cell_h / 2
    );
}

fn timeline(out: &mut String, d: &Dashboard) {
    if d.timeline.is_empty() {
        out.push_str("<p class=\"muted\">No roadmap item has a quarter.</p>");
        return;
    }
    let mut quarters: Vec<_> = d.timeline.iter().map(|i| i.quarter).collect();
    quarters.sort();
    quarters.dedup();
    let (label_w, col_w, row_h, top) = (0, 190, 28, 36);
    let w = label_w + col_w * quarters.len() + 10;
    let h = top + row_h * d.timeline.len() + 12;
    let _ = write!(
        out,
        "<figure><svg role=\"img\" aria-labelledby=\"tl-t tl-d\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"tl-t\">Roadmap timeline</title><desc id=\"tl-d\">{} roadmap items by quarter, coloured by horizon (now, next, later; shipped in grey), with arrows from each dependency.</desc>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"st-superseded\"/></marker></defs>",
        d.timeline.len()
    );
    for (n, q) in quarters.iter().enumerate() {
        let x = label_w + n * col_w;
        let _ = write!(
            out,
            "<line class=\"grid-line\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{h}\"/><text x=\"{}\" y=\"20\" font-weight=\"600\">{q}</text>",
            top - 10,
            x + 8
        );
    }
    let mut pos = std::collections::BTreeMap::new();
    for (row, item) in d.timeline.iter().enumerate() {
        let col = quarters
            .iter()
            .position(|q| *q == item.quarter)
            .unwrap_or(0);
        let x = label_w + col * col_w + 4;
        let y = top + row * row_h;
        pos.insert(item.id.clone(), (x, y));
        let class = if item.status == "shipped" {
            "done".to_string()
        } else {
            item.horizon.clone()
        };
        let full = format!("{} {}", item.id, item.title);
        let label: String = if full.chars().count() > 27 {
            full.chars().take(26).chain(['…']).collect()
        } else {
            full
        };
        let _ = write!(
            out,
            "<g><title>{} {} ({}, {}, {})</title><rect class=\"bar-{class}\" x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"4\"/><text class=\"bar-label\" x=\"{}\" y=\"{}\">{}</text></g>",
            esc(&item.id),
            esc(&item.title),
            esc(&item.quarter.to_string()),
            esc(if item.horizon.is_empty() {
                "no horizon"
            } else {
                &item.horizon
            }),
            esc(&item.status),
            col_w - 8,
            row_h - 6,
            x + 6,
            y + 16,
            esc(&label)
        );
    }
    for item in &d.timeline {
        let Some(&(x2, y2)) = pos.get(&item.id) else {
            continue;
        };
        for dep in &item.depends_on {
            if let Some(&(x1, y1)) = pos.get(dep) {
                let (sx, sy) = (x1 + col_w - 8, y1 + (row_h - 6) / 2);
                let (ex, ey) = (x2, y2 + (row_h - 6) / 2);
                let _ = write!(
                    out,
                    "<path class=\"dep\" marker-end=\"url(#arrow)\" d=\"M{sx},{sy} C{},{sy} {},{ey} {ex},{ey}\"/>",
                    sx + 20,
                    ex.saturating_sub(20)
                );
            }
        }
    }
    out.push_str("</svg></figure>");
}

fn budgets(out: &mut String, d: &Dashboard) {
    if d.budgets.is_empty() {
        out.push_str("<p class=\"muted\">No SLOs.</p>");
        return;
    }
    let max = d
        .budgets
        .iter()
        .map(|b| b.budget_seconds)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let (label_w, bar_w, row_h) = (300, 420, 26);
    let w = label_w + bar_w + 120;
    let h = row_h * d.budgets.len() + 40;
    let _ = write!(
        out,
        "<figure><svg role=\"img\" aria-labelledby=\"eb-t eb-d\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"eb-t\">Error budgets</title><desc id=\"eb-d\">The error budget of each SLO as time over its window.</desc>"
    );
    for (n, b) in d.budgets.iter().enumerate() {
        let y = 10 + n * row_h;
        let len = ((b.budget_seconds / max) * bar_w as f64).max(2.0) as usize;
        let _ = write!(
            out,
            "<g><title>{}: {} over {} allows {} ({})</title><text x=\"0\" y=\"{}\" font-size=\"13\">{} <tspan class=\"muted\">{} · {}</tspan></text><rect class=\"budget\" x=\"{label_w}\" y=\"{}\" width=\"{len}\" height=\"{}\" rx=\"3\"/><text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text></g>",
            esc(&b.id),
            esc(&b.objective),
            esc(&b.window),
            esc(&b.budget),
            esc(&b.status),
            y + 15,
            esc(&b.id),
            esc(&b.objective),
            esc(&b.window),
            y + 3,
            row_h - 8,
            label_w + len + 8,
            y + 15,
            esc(&b.budget)
        );
    }
    out.push_str("</svg></figure>");
}

fn decision_graph(out: &mut String, d: &Dashboard) {
    if d.decisions.is_empty() {
        out.push_str("<p class=\"muted\">No ADRs.</p>");
        return;
    }
    let (arc_w, box_x, box_w, row_h, top): (usize, usize, usize, usize, usize) =
        (160, 180, 560, 32, 10);
    let w = box_x + box_w + 10;
    let h = top + row_h * d.decisions.len() + 10;
    let _ = write!(
        out,
        "<figure><svg role=\"img\" aria-labelledby=\"dg-t dg-d\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"dg-t\">Decision graph</title><desc id=\"dg-d\">{} ADRs in number order; solid arcs: supersedes; dashed arcs: links.</desc>\
         <defs><marker id=\"dg-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"st-rejected\"/></marker></defs>",
        d.decisions.len()
    );
    let y_of = |id: &str| {
        d.decisions
            .iter()
            .position(|n| n.id == id)
            .map(|i| top + i * row_h + row_h / 2 - 2)
    };
    for e in &d.edges {
        let (Some(y1), Some(y2)) = (y_of(&e.from), y_of(&e.to)) else {
            continue;
        };
        let reach =
            ((y1.abs_diff(y2)) as f64 / (row_h as f64) * 22.0).min(arc_w as f64 - 10.0) as usize;
        let x = box_x - 4;
        let cx = x.saturating_sub(reach + 10);
        let (class, marker, what) = if e.supersedes {
            (
                "edge-supersedes",
                " marker-end=\"url(#dg-arrow)\"",
                "supersedes",
            )
        } else {
            ("edge-links", "", "links to")
        };
        let _ = write!(
            out,
            "<path class=\"{class}\"{marker} d=\"M{x},{y1} C{cx},{y1} {cx},{y2} {x},{y2}\"><title>{} {what} {}</title></path>",
            esc(&e.from),
            esc(&e.to)
        );
    }
    for (n, node) in d.decisions.iter().enumerate() {
        let y = top + n * row_h;
        let title: String = node.title.chars().take(64).collect();
        let _ = write!(
            out,
            "<g><title>{} {} ({})</title><rect class=\"node\" x=\"{box_x}\" y=\"{y}\" width=\"{box_w}\" height=\"{}\" rx=\"4\"/><rect class=\"st-{}\" x=\"{box_x}\" y=\"{y}\" width=\"6\" height=\"{}\" rx=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"13\"><tspan font-weight=\"600\">{}</tspan> {} <tspan class=\"muted\">{}</tspan></text></g>",
            esc(&node.id),
            esc(&node.title),
            esc(&node.status),
            row_h - 6,
            esc(if node.status.is_empty() {
                "none"
            } else {
                &node.status
            }),
            row_h - 6,
            box_x + 14,
            y + 18,
            esc(&node.id),
            esc(&title),
            esc(&node.status)
        );
    }
    out.push_str("</svg></figure>");
}

pub fn render(w: &mut dyn Write, d: &Dashboard) -> io::Result<()> {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>{} — {}</title><style>{CSS}</style></head><body>\
         <header><h1>{}</h1><p class=\"muted\">As of {}. Generated by cto {}.</p></header>",
        esc(&d.title),
        esc(&d.date),
        esc(&d.title),
        esc(&d.date),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<div class=\"cards\">");
    for (kind, n) in &d.counts {
        let label = match kind.as_str() {
            "adrs" => "ADRs",
            "slos" => "SLOs",
            "roadmaps" => "roadmap items",
            other => other,
        };
        let _ = write!(out, "<div class=\"card\"><b>{n}</b>{}</div>", esc(label));
    }
    let _ = write!(
        out,
        "<div class=\"card\"><b>{}</b>lint errors</div><div class=\"card\"><b>{}</b>lint warnings</div></div>",
        d.lint_errors, d.lint_warnings
    );
    out.push_str("<section aria-labelledby=\"att\"><h2 id=\"att\">Needs attention</h2>");
    if d.attention.is_empty() {
        out.push_str("<p>Nothing: no escalations, no overdue reviews, no expiring acceptances, every critical service covered.</p>");
    } else {
        out.push_str("<ul class=\"attention\">");
        for a in &d.attention {
            let _ = write!(
                out,
                "<li><span class=\"tag\">{}</span><b>{}</b> {}</li>",
                esc(a.category),
                esc(&a.id),
                esc(&a.what)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");

    out.push_str("<section aria-labelledby=\"risks\"><h2 id=\"risks\">Risk heat map</h2><div class=\"pictures\">");
    heatmap(&mut out, &d.inherent, &d.levels, "inherent");
    heatmap(&mut out, &d.residual, &d.levels, "residual");
    out.push_str("</div><p class=\"muted\">Cells are coloured by the level of their score (low, medium, high, critical). Risks without a residual rating are shown at their inherent rating. Closed and avoided risks are not shown.</p></section>");

    out.push_str("<section aria-labelledby=\"rm\"><h2 id=\"rm\">Roadmap</h2><div class=\"board\">");
    for (h, items) in &d.board {
        let _ = write!(
            out,
            "<section><h3>{}</h3><ul>",
            esc(&format!("{}{}", &h[..1].to_uppercase(), &h[1..]))
        );
        if items.is_empty() {
            out.push_str("<li class=\"muted\">nothing</li>");
        }
        for (id, title) in items {
            let _ = write!(out, "<li><b>{}</b> {}</li>", esc(id), esc(title));
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</div><h3>Timeline by quarter</h3>");
    timeline(&mut out, d);
    out.push_str("</section>");

    out.push_str("<section aria-labelledby=\"slo\"><h2 id=\"slo\">SLO error budgets</h2>");
    budgets(&mut out, d);
    out.push_str("</section>");

    out.push_str("<section aria-labelledby=\"dg\"><h2 id=\"dg\">Decision graph</h2>");
    decision_graph(&mut out, d);
    out.push_str("</section>");

    out.push_str("<section aria-labelledby=\"details\"><h2 id=\"details\">Details</h2>");
    for r in &d.reports {
        report(&mut out, r);
    }
    out.push_str("</section><footer class=\"muted\">This page is self-contained: it loads nothing from the network.</footer></body></html>\n");
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(
            super::esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
