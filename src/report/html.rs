//! `cto report --format html`: one self-contained page (inline CSS and SVG, no script, no
//! network) that opens offline, prints, and reads in light and dark.
//!
//! The page is the embedded template `templates/dashboard.html`, rendered by minijinja
//! with HTML autoescape on: every value reaches the page through [`escape::markup`], so
//! what people write is text, never markup. This file lays the pictures out (positions
//! and sizes) and hands the template plain values.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use minijinja::{AutoEscape, Environment, Error, State, UndefinedBehavior, Value};
use serde::Serialize;

use super::escape;
use crate::model::RoadmapStatus;
use crate::views::Section;
use crate::views::dashboard::{
    Attention, BudgetBar, CellRisk, Count, Dashboard, DecisionNode, IncidentBar, LintCounts,
    RiskGrid, TimelineItem,
};
use crate::views::graph::Edge;
use crate::views::roadmap::BoardItem;

pub use super::escape_markup as esc;

const TEMPLATE: &str = include_str!("../../templates/dashboard.html");

/// The environment the page is rendered in: strict about undefined values (a typo in the
/// template is an error in its tests, not an empty string on the page), and every value
/// written through [`escape::markup`] unless the template marks it safe.
fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(format_value);
    env.add_template("dashboard.html", TEMPLATE)?;
    Ok(env)
}

/// Writes a value into the page: escaped for HTML, control and bidi characters shown as
/// escapes (the project's one rule for text a document controls), none as nothing.
fn format_value(out: &mut minijinja::Output, state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() || state.auto_escape() == AutoEscape::None {
        return minijinja::escape_formatter(out, state, value);
    }
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    let text = match value.as_str() {
        Some(s) => escape::markup(s),
        None => escape::markup(&value.to_string()),
    };
    out.write_str(&text)
        .map_err(|e| Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

/// A heat map laid out: 5×5 cells, impact bottom to top, likelihood left to right.
#[derive(Serialize)]
struct HeatmapSvg {
    name: &'static str,
    caption: &'static str,
    width: usize,
    height: usize,
    count: usize,
    left: usize,
    /// Impact labels: (x, y, impact).
    impacts: Vec<(usize, usize, usize)>,
    /// Likelihood labels: (x, y, likelihood).
    likelihoods: Vec<(usize, usize, usize)>,
    cells: Vec<HeatCell>,
    axis_x: (usize, usize),
    axis_y: usize,
}

#[derive(Serialize)]
struct HeatCell {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    level: &'static str,
    tip: String,
    /// The first three ids: (x, y, id).
    shown: Vec<(usize, usize, String)>,
    /// "+N more": (x, y, n).
    more: Option<(usize, usize, usize)>,
}

fn heatmap(grid: &RiskGrid, levels: &[Vec<&'static str>], name: &'static str) -> HeatmapSvg {
    let (cell_w, cell_h, left, top) = (92, 58, 40, 34);
    let mut cells = Vec::new();
    let mut impacts = Vec::new();
    for impact in (1..=5usize).rev() {
        let y = top + (5 - impact) * cell_h;
        impacts.push((left - 8, y + cell_h / 2 + 4, impact));
        for l in 1..=5usize {
            let x = left + (l - 1) * cell_w;
            let risks: &[CellRisk] = grid
                .get(impact - 1)
                .and_then(|r| r.get(l - 1))
                .map_or(&[], Vec::as_slice);
            let level = levels
                .get(impact - 1)
                .and_then(|r| r.get(l - 1))
                .copied()
                .unwrap_or("low");
            let tip = if risks.is_empty() {
                format!("likelihood {l}, impact {impact} ({level}): none")
            } else {
                let names: Vec<String> = risks
                    .iter()
                    .map(|r| format!("{} {}", r.id, r.title))
                    .collect();
                format!(
                    "likelihood {l}, impact {impact} ({level}): {}",
                    names.join("; ")
                )
            };
            cells.push(HeatCell {
                x,
                y,
                w: cell_w,
                h: cell_h,
                level,
                tip,
                shown: risks
                    .iter()
                    .take(3)
                    .enumerate()
                    .map(|(n, r)| (x + 6, y + 18 + 15 * n, r.id.clone()))
                    .collect(),
                more: (risks.len() > 3).then(|| (x + 60, y + 48, risks.len() - 3)),
            });
        }
    }
    HeatmapSvg {
        name,
        caption: if name == "inherent" {
            "Inherent"
        } else {
            "Residual"
        },
        width: left + 5 * cell_w + 10,
        height: top + 5 * cell_h + 44,
        count: grid.iter().flatten().map(Vec::len).sum(),
        left,
        impacts,
        likelihoods: (1..=5)
            .map(|l| {
                (
                    left + (l - 1) * cell_w + cell_w / 2,
                    top + 5 * cell_h + 16,
                    l,
                )
            })
            .collect(),
        cells,
        axis_x: (left + 5 * cell_w / 2, top + 5 * cell_h + 36),
        axis_y: top + 5 * cell_h / 2,
    }
}

/// The roadmap by quarter: a column per quarter, a bar per item, arrows from each
/// dependency.
#[derive(Serialize)]
struct TimelineSvg {
    width: usize,
    height: usize,
    /// (x, label x, quarter).
    quarters: Vec<(usize, usize, String)>,
    grid_top: usize,
    bars: Vec<Bar>,
    arrows: Vec<Arrow>,
}

#[derive(Serialize)]
struct Bar {
    id: String,
    title: String,
    quarter: String,
    horizon: String,
    status: String,
    class: String,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    label: String,
}

#[derive(Serialize)]
struct Arrow {
    sx: usize,
    sy: usize,
    c1: usize,
    c2: usize,
    ex: usize,
    ey: usize,
}

fn timeline(items: &[TimelineItem]) -> Option<TimelineSvg> {
    if items.is_empty() {
        return None;
    }
    let columns: BTreeMap<_, usize> = {
        let mut qs: Vec<_> = items.iter().map(|i| i.quarter).collect();
        qs.sort();
        qs.dedup();
        qs.into_iter().enumerate().map(|(n, q)| (q, n)).collect()
    };
    let (col_w, row_h, top) = (190, 28, 36);
    let height = top + row_h * items.len() + 12;
    let mut pos: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut bars = Vec::with_capacity(items.len());
    for (row, item) in items.iter().enumerate() {
        let col = columns.get(&item.quarter).copied().unwrap_or(0);
        let (x, y) = (col * col_w + 4, top + row * row_h);
        pos.insert(&item.id, (x, y));
        let full = format!("{} {}", item.id, item.title);
        let label = if full.chars().count() > 27 {
            full.chars().take(26).chain(['…']).collect()
        } else {
            full
        };
        bars.push(Bar {
            id: item.id.clone(),
            title: item.title.clone(),
            quarter: item.quarter.to_string(),
            horizon: if item.horizon.is_empty() {
                "no horizon".into()
            } else {
                item.horizon.clone()
            },
            status: item.status.clone(),
            class: if item.status == RoadmapStatus::Shipped.as_str() {
                "done".into()
            } else {
                item.horizon.clone()
            },
            x,
            y,
            w: col_w - 8,
            h: row_h - 6,
            label,
        });
    }
    let mut arrows = Vec::new();
    for item in items {
        let Some(&(x2, y2)) = pos.get(item.id.as_str()) else {
            continue;
        };
        for dep in &item.depends_on {
            if let Some(&(x1, y1)) = pos.get(dep.as_str()) {
                let (sx, sy) = (x1 + col_w - 8, y1 + (row_h - 6) / 2);
                let (ex, ey) = (x2, y2 + (row_h - 6) / 2);
                arrows.push(Arrow {
                    sx,
                    sy,
                    c1: sx + 20,
                    c2: ex.saturating_sub(20),
                    ex,
                    ey,
                });
            }
        }
    }
    Some(TimelineSvg {
        width: col_w * columns.len() + 10,
        height,
        quarters: columns
            .iter()
            .map(|(q, n)| (n * col_w, n * col_w + 8, q.to_string()))
            .collect(),
        grid_top: top - 10,
        bars,
        arrows,
    })
}

/// Each SLO's error budget as a bar, longest budget full width.
#[derive(Serialize)]
struct BudgetSvg {
    width: usize,
    height: usize,
    label_w: usize,
    bars: Vec<BudgetRow>,
}

#[derive(Serialize)]
struct BudgetRow {
    #[serde(flatten)]
    slo: BudgetBar,
    y: usize,
    len: usize,
    h: usize,
    text_x: usize,
}

fn budgets(bars: &[BudgetBar]) -> Option<BudgetSvg> {
    if bars.is_empty() {
        return None;
    }
    let max = bars
        .iter()
        .map(|b| b.budget_seconds)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let (label_w, bar_w, row_h) = (300, 420, 26);
    Some(BudgetSvg {
        width: label_w + bar_w + 120,
        height: row_h * bars.len() + 40,
        label_w,
        bars: bars
            .iter()
            .enumerate()
            .map(|(n, b)| {
                let len = ((b.budget_seconds / max) * bar_w as f64).max(2.0) as usize;
                BudgetRow {
                    slo: b.clone(),
                    y: 10 + n * row_h,
                    len,
                    h: row_h - 8,
                    text_x: label_w + len + 8,
                }
            })
            .collect(),
    })
}

/// Incidents per quarter as stacked columns, one colour per severity (most severe at
/// the bottom), with a legend.
#[derive(Serialize)]
struct TrendSvg {
    width: usize,
    height: usize,
    /// The baseline's y.
    base: usize,
    columns: Vec<TrendColumn>,
    /// (x, class, severity).
    legend: Vec<(usize, usize, String)>,
}

#[derive(Serialize)]
struct TrendColumn {
    quarter: String,
    total: usize,
    x: usize,
    w: usize,
    /// Top of the column, for its total.
    top: usize,
    /// (y, height, class, severity, count).
    parts: Vec<(usize, usize, usize, String, usize)>,
}

fn incident_trend(bars: &[IncidentBar]) -> Option<TrendSvg> {
    let max = bars.iter().map(|b| b.total).max().filter(|m| *m > 0)?;
    let (left, col_w, gap, chart_h, top) = (16, 56, 28, 160, 28);
    let base = top + chart_h;
    let columns: Vec<TrendColumn> = bars
        .iter()
        .enumerate()
        .map(|(n, b)| {
            let x = left + n * (col_w + gap);
            let mut y = base;
            let parts = b
                .counts
                .iter()
                .enumerate()
                .filter(|(_, (_, c))| *c > 0)
                .map(|(rank, (sev, c))| {
                    let h = (c * chart_h / max).max(3);
                    y = y.saturating_sub(h);
                    (y, h, rank.min(3), sev.clone(), *c)
                })
                .collect();
            TrendColumn {
                quarter: b.quarter.clone(),
                total: b.total,
                x,
                w: col_w,
                top: y,
                parts,
            }
        })
        .collect();
    let severities: Vec<String> = bars
        .first()
        .map(|b| b.counts.iter().map(|(s, _)| s.clone()).collect())
        .unwrap_or_default();
    let width = (left + bars.len() * (col_w + gap)).max(90 * severities.len() + left);
    Some(TrendSvg {
        width,
        height: base + 56,
        base,
        legend: severities
            .into_iter()
            .enumerate()
            .map(|(n, s)| (left + n * 90, n.min(3), s))
            .collect(),
        columns,
    })
}

/// ADRs in number order, arcs on the left for supersedes (solid) and links (dashed).
#[derive(Serialize)]
struct GraphSvg {
    width: usize,
    height: usize,
    box_x: usize,
    box_w: usize,
    box_h: usize,
    arcs: Vec<Arc>,
    nodes: Vec<Node>,
}

#[derive(Serialize)]
struct Arc {
    from: String,
    to: String,
    supersedes: bool,
    x: usize,
    cx: usize,
    y1: usize,
    y2: usize,
}

#[derive(Serialize)]
struct Node {
    id: String,
    title: String,
    short_title: String,
    status: String,
    class: String,
    y: usize,
}

fn decision_graph(nodes: &[DecisionNode], edges: &[Edge]) -> Option<GraphSvg> {
    if nodes.is_empty() {
        return None;
    }
    let (arc_w, box_x, box_w, row_h, top): (usize, usize, usize, usize, usize) =
        (160, 180, 560, 32, 10);
    // Each node's row, looked up once per edge end.
    let row: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .rev()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let y_of = |id: &str| row.get(id).map(|i| top + i * row_h + row_h / 2 - 2);
    let arcs = edges
        .iter()
        .filter_map(|e| {
            let (y1, y2) = (y_of(&e.from)?, y_of(&e.to)?);
            let reach = ((y1.abs_diff(y2)) as f64 / (row_h as f64) * 22.0).min(arc_w as f64 - 10.0)
                as usize;
            let x = box_x - 4;
            Some(Arc {
                from: e.from.clone(),
                to: e.to.clone(),
                supersedes: e.supersedes,
                x,
                cx: x.saturating_sub(reach + 10),
                y1,
                y2,
            })
        })
        .collect();
    Some(GraphSvg {
        width: box_x + box_w + 10,
        height: top + row_h * nodes.len() + 10,
        box_x,
        box_w,
        box_h: row_h - 6,
        arcs,
        nodes: nodes
            .iter()
            .enumerate()
            .map(|(n, node)| Node {
                id: node.id.clone(),
                title: node.title.clone(),
                short_title: node.title.chars().take(64).collect(),
                status: node.status.clone(),
                class: if node.status.is_empty() {
                    "none".into()
                } else {
                    node.status.clone()
                },
                y: top + n * row_h,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct Column<'a> {
    title: &'static str,
    items: &'a [BoardItem],
}

#[derive(Serialize)]
struct Details {
    title: &'static str,
    sections: Vec<Section>,
}

/// Everything the template reads.
#[derive(Serialize)]
struct Page<'a> {
    title: &'static str,
    date: &'a str,
    version: &'static str,
    counts: &'a [Count],
    lint: LintCounts,
    attention: &'a [Attention],
    heatmaps: [HeatmapSvg; 2],
    board: Vec<Column<'a>>,
    timeline: Option<TimelineSvg>,
    budgets: Option<BudgetSvg>,
    incidents: Option<TrendSvg>,
    graph: Option<GraphSvg>,
    details: Vec<Details>,
}

fn page<'a>(d: &'a Dashboard) -> Page<'a> {
    let details = d
        .reports
        .each()
        .into_iter()
        .map(|(title, sections)| Details {
            title,
            // The heat maps are drawn above.
            sections: sections
                .into_iter()
                .filter(|s| s.key != "heatmap")
                .collect(),
        })
        .collect();
    Page {
        title: d.title,
        date: &d.date,
        version: env!("CARGO_PKG_VERSION"),
        counts: &d.counts,
        lint: d.lint,
        attention: &d.attention,
        heatmaps: [
            heatmap(&d.inherent, &d.levels, "inherent"),
            heatmap(&d.residual, &d.levels, "residual"),
        ],
        board: d
            .board
            .columns()
            .into_iter()
            .map(|(h, items)| Column {
                title: h.heading(),
                items,
            })
            .collect(),
        timeline: timeline(&d.timeline),
        budgets: budgets(&d.budgets),
        incidents: incident_trend(&d.incidents),
        graph: decision_graph(&d.decisions, &d.edges),
        details,
    }
}

pub fn render(w: &mut dyn Write, d: &Dashboard) -> io::Result<()> {
    let page = page(d);
    let env = environment().map_err(io::Error::other)?;
    let template = env
        .get_template("dashboard.html")
        .map_err(io::Error::other)?;
    let mut out = io::BufWriter::with_capacity(256 * 1024, w);
    template
        .render_captured_to(Value::from_serialize(&page), &mut out)
        .map_err(|e| {
            // The writer's own error keeps its kind (a closed pipe stays one).
            use std::error::Error as _;
            match e.source().and_then(|s| s.downcast_ref::<io::Error>()) {
                Some(io) => io::Error::new(io.kind(), io.to_string()),
                None => io::Error::other(e),
            }
        })?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_template_parses() {
        assert!(environment().is_ok());
    }

    #[test]
    fn values_reach_the_page_escaped_and_visible() {
        let env = environment().expect("template");
        let t = env
            .template_from_str("<p>{{ a }}</p><p>{{ b }}</p><p>{{ n }}</p><p>{{ none }}</p>")
            .expect("parses");
        let html = t
            .render(minijinja::context! {
                a => "<img src=x onerror=alert(1)> & 'q'",
                b => "left\u{202e}right\u{1b}[31m",
                n => 3,
                none => Value::from(()),
            })
            .expect("renders");
        assert_eq!(
            html,
            "<p>&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;</p>\
             <p>left\\u{202e}right\\u{1b}[31m</p><p>3</p><p></p>"
        );
    }
}
