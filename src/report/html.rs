//! `cto report --format html`: one self-contained page (inline CSS and SVG, no script, no
//! network) that opens offline, prints, and reads in light and dark.
//!
//! The page is the embedded template `templates/dashboard.html`, rendered by minijinja
//! with HTML autoescape on: every value reaches the page through [`escape::markup`], so
//! what people write is text, never markup. This file lays the pictures out (positions
//! and sizes) and hands the template plain values.

use std::collections::HashMap;
use std::io::{self, Write};

use minijinja::{AutoEscape, Environment, Error, State, UndefinedBehavior, Value};
use serde::Serialize;

use super::escape;
use crate::model::RoadmapStatus;
use crate::views::Section;
use crate::views::dashboard::{
    Attention, BudgetBar, CellRisk, Count, Dashboard, DecisionNode, IncidentBar, LintCounts,
    LiveBudget, LiveSource, RiskGrid, Stamp, TimelineItem,
};
use crate::views::graph::Edge;
use crate::views::roadmap::{BoardItem, QuarterEffort};

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

/// The smallest font in the pictures, in pixels of the SVG's own coordinates.
const MIN_FONT: f64 = 12.0;

/// The narrowest a picture of `width` may be drawn so that its smallest text stays at
/// least 10.5 px on screen; narrower, it scrolls in its own box.
fn min_width(width: usize) -> usize {
    (width as f64 * 10.5 / MIN_FONT).ceil() as usize
}

/// Roughly how wide `text` is at `px` in a sans-serif font (about 0.6 em a character, a
/// wide East Asian character 1 em): labels are laid out without a browser, so this errs
/// on the wide side.
fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x1100 { 1.0 } else { 0.56 })
        .sum::<f64>()
        * px
}

/// `text` in lines no wider than `width` at `px`, broken between words (a word longer
/// than a line is cut), at most `max_lines` (the last one ends in `…` when text is left).
fn wrap(text: &str, width: f64, px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, px) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
        // A word alone wider than the line is cut where it must be.
        while text_width(&line, px) > width && line.chars().count() > 1 {
            let mut head = String::new();
            for c in line.chars() {
                if text_width(&format!("{head}{c}"), px) > width && !head.is_empty() {
                    break;
                }
                head.push(c);
            }
            let rest: String = line.chars().skip(head.chars().count()).collect();
            lines.push(head);
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(&format!("{last}…"), px) > width {
                last.pop();
            }
            last.push('…');
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The roadmap by quarter: each item's label in a column of its own (wrapped, never
/// cut short without its full text in the tooltip), a bar in its quarter, quarters at
/// even spacing with every quarter between drawn (a run of three or more empty ones
/// drawn as one marked gap), and dependency arrows routed between the quarters.
#[derive(Serialize)]
struct TimelineSvg {
    width: usize,
    height: usize,
    min_w: usize,
    label_w: usize,
    columns: Vec<QuarterColumn>,
    grid_top: usize,
    /// (x, class, label)
    legend: Vec<(usize, &'static str, &'static str)>,
    legend_arrow_x: usize,
    bars: Vec<Bar>,
    arrows: Vec<Arrow>,
}

#[derive(Serialize)]
struct QuarterColumn {
    x: usize,
    w: usize,
    label: String,
    /// For a gap: how many quarters it stands for, and which.
    gap: Option<String>,
}

#[derive(Serialize)]
struct Bar {
    id: String,
    title: String,
    quarter: String,
    horizon: String,
    status: String,
    owner: String,
    changed: String,
    class: String,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    /// What the bar says: its status.
    text: String,
    /// The label, wrapped: (y, line); the first line starts with the id.
    lines: Vec<(usize, String)>,
    /// The row's band, for the zebra stripes.
    row_y: usize,
    row_h: usize,
}

#[derive(Serialize)]
struct Arrow {
    from: String,
    to: String,
    d: String,
}

/// A quarter as a number that counts quarters.
fn quarter_index(q: crate::model::Quarter) -> i64 {
    i64::from(q.year) * 4 + i64::from(q.q) - 1
}

fn quarter_name(i: i64) -> String {
    format!("{}-Q{}", i.div_euclid(4), i.rem_euclid(4) + 1)
}

fn timeline(items: &[TimelineItem]) -> Option<TimelineSvg> {
    const COL_W: usize = 124;
    const GAP_W: usize = 64;
    const FONT: f64 = 12.0;
    const LINE: usize = 15;
    let first = items.iter().map(|i| quarter_index(i.quarter)).min()?;
    let last = items
        .iter()
        .map(|i| quarter_index(i.quarter))
        .max()
        .unwrap_or(first);
    let used: std::collections::BTreeSet<i64> =
        items.iter().map(|i| quarter_index(i.quarter)).collect();
    // The label column: as wide as the longest label, within reason; longer ones wrap.
    let longest = items
        .iter()
        .map(|i| text_width(&format!("{} {}", i.id, i.title), FONT))
        .fold(0.0, f64::max);
    let label_w = (longest + 16.0).clamp(160.0, 360.0) as usize;
    let mut columns = Vec::new();
    let mut col_of: HashMap<i64, usize> = HashMap::new();
    let mut x = label_w;
    let mut q = first;
    while q <= last {
        if used.contains(&q) {
            col_of.insert(q, columns.len());
            columns.push(QuarterColumn {
                x,
                w: COL_W,
                label: quarter_name(q),
                gap: None,
            });
            x += COL_W;
            q += 1;
            continue;
        }
        let mut end = q;
        while end < last && !used.contains(&(end + 1)) {
            end += 1;
        }
        let empty = end - q + 1;
        if empty >= 3 {
            columns.push(QuarterColumn {
                x,
                w: GAP_W,
                label: format!("{empty} qtrs"),
                gap: Some(format!(
                    "{empty} quarters without items ({} to {})",
                    quarter_name(q),
                    quarter_name(end)
                )),
            });
            x += GAP_W;
        } else {
            for e in q..=end {
                columns.push(QuarterColumn {
                    x,
                    w: COL_W,
                    label: quarter_name(e),
                    gap: None,
                });
                x += COL_W;
            }
        }
        q = end + 1;
    }
    let width = x + 8;
    let grid_top = 52;
    let mut y = grid_top + 6;
    let mut pos: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut bars = Vec::with_capacity(items.len());
    for item in items {
        let col = col_of
            .get(&quarter_index(item.quarter))
            .and_then(|c| columns.get(*c))?;
        let lines = wrap(
            &format!("{} {}", item.id, item.title),
            (label_w - 12) as f64,
            FONT,
            3,
        );
        let row_h = (lines.len() * LINE + 10).max(28);
        let bar_y = y + (row_h - 20) / 2;
        pos.insert(&item.id, (col.x, bar_y + 10));
        let shipped = item.status == RoadmapStatus::Shipped.as_str();
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
            owner: item.stamp.owner.clone().unwrap_or_default(),
            changed: item.stamp.changed.clone().unwrap_or_default(),
            class: if shipped {
                "done".into()
            } else {
                item.horizon.clone()
            },
            x: col.x + 6,
            y: bar_y,
            w: COL_W - 26,
            h: 20,
            text: if shipped {
                "✓ shipped".into()
            } else {
                item.status.chars().take(14).collect()
            },
            // Each line's y: the lines centred in the row.
            lines: {
                let top = y + (row_h - lines.len() * LINE) / 2 + 11;
                lines
                    .into_iter()
                    .enumerate()
                    .map(|(n, l)| (top + n * LINE, l))
                    .collect()
            },
            row_y: y,
            row_h,
        });
        y += row_h;
    }
    // Each arrow leaves its dependency's bar to the right, runs down (or up) the gap
    // at the right of that quarter (one of four lanes, so that arrows sharing a gap stay
    // apart), and along the dependent item's own row to its bar: rows hold one bar each,
    // so an arrow never crosses a bar or a label.
    let mut arrows = Vec::new();
    let mut lanes: HashMap<usize, usize> = HashMap::new();
    for item in items {
        let Some(&(x2, y2)) = pos.get(item.id.as_str()) else {
            continue;
        };
        for dep in &item.depends_on {
            let Some(&(x1, y1)) = pos.get(dep.as_str()) else {
                continue;
            };
            let lane = lanes.entry(x1).or_default();
            let gutter = x1 + COL_W - 17 + 4 * (*lane % 4);
            *lane += 1;
            let end = if x2 > x1 { x2 + 6 } else { x2 + COL_W - 20 };
            arrows.push(Arrow {
                from: dep.clone(),
                to: item.id.clone(),
                d: format!("M{},{y1} H{gutter} V{y2} H{end}", x1 + COL_W - 20),
            });
        }
    }
    let legend = vec![
        (0, "now", "now"),
        (70, "next", "next"),
        (140, "later", "later"),
        (214, "done", "shipped"),
        (306, "", "no horizon"),
    ];
    Some(TimelineSvg {
        width: width.max(500),
        height: y + 8,
        min_w: min_width(width.max(500)),
        label_w,
        columns,
        grid_top,
        legend,
        legend_arrow_x: 414,
        bars,
        arrows,
    })
}

/// Effort against capacity per quarter: capacity as an outline, effort filled, the part
/// over capacity in red.
#[derive(Serialize)]
struct CapacitySvg {
    width: usize,
    height: usize,
    min_w: usize,
    rows: Vec<CapacityRow>,
}

#[derive(Serialize)]
struct CapacityRow {
    quarter: String,
    y: usize,
    /// Effort within capacity (or all of it without one), and beyond it.
    within: usize,
    over_x: usize,
    over: usize,
    /// The capacity's outline width; 0 without one.
    cap: usize,
    text_x: usize,
    text: String,
    over_committed: bool,
    items: String,
}

fn points(p: crate::model::Points) -> f64 {
    p.0 as f64 / 100.0
}

fn capacity(quarters: &[QuarterEffort]) -> Option<CapacitySvg> {
    if quarters.is_empty() {
        return None;
    }
    let (left, bar_w, row_h) = (80usize, 360usize, 28usize);
    let max = quarters
        .iter()
        .map(|q| points(q.effort).max(q.capacity.map_or(0.0, points)))
        .fold(0.0, f64::max)
        .max(1.0);
    let px = |v: f64| ((v / max) * bar_w as f64).round() as usize;
    let rows = quarters
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let effort = points(q.effort);
            let cap = q.capacity.map(points);
            let within = px(cap.map_or(effort, |c| effort.min(c)));
            let over = cap.map_or(0, |c| px(effort).saturating_sub(px(c)));
            let text = match q.capacity {
                Some(c) if q.over => format!("{} of {c} points: over capacity", q.effort),
                Some(c) => format!("{} of {c} points", q.effort),
                None => format!("{} points, no capacity set", q.effort),
            };
            let end = px(effort).max(cap.map_or(0, px));
            CapacityRow {
                quarter: q.quarter.to_string(),
                y: 8 + n * row_h,
                within,
                over_x: left + within,
                over,
                cap: cap.map_or(0, px),
                text_x: left + end + 8,
                text,
                over_committed: q.over,
                items: q.items.join(", "),
            }
        })
        .collect::<Vec<_>>();
    let width = left + bar_w + 260;
    Some(CapacitySvg {
        width,
        height: 16 + rows.len() * row_h,
        min_w: min_width(width),
        rows,
    })
}

/// Each active SLO's budget on the scale of its own budget (0 to 100% spent), from live
/// data when there is some; a plain "no live data" when not.
#[derive(Serialize)]
struct BudgetSvg {
    width: usize,
    height: usize,
    min_w: usize,
    label_w: usize,
    track_w: usize,
    /// (x, label): 0%, 50%, 100% of the budget.
    ticks: Vec<(usize, &'static str)>,
    axis_y: usize,
    bars: Vec<BudgetRow>,
}

#[derive(Serialize)]
struct BudgetRow {
    #[serde(flatten)]
    slo: BudgetBar,
    owner: String,
    y: usize,
    /// The filled part (budget spent), in pixels; `None` without live data.
    fill: Option<usize>,
    health: &'static str,
    overspent: bool,
    text_x: usize,
    /// First line: spent and left, or why there is no figure.
    line1: String,
    /// Second line: the alerts that would fire, or the reason (cut; full in the tip).
    line2: String,
    firing: bool,
    tip: String,
}

fn budgets(bars: &[BudgetBar]) -> Option<BudgetSvg> {
    if bars.is_empty() {
        return None;
    }
    let longest = bars
        .iter()
        .map(|b| text_width(&b.id, 13.0).max(text_width(&b.budget, 12.0) + 90.0))
        .fold(0.0, f64::max);
    let label_w = (longest + 20.0).clamp(180.0, 320.0) as usize;
    let (track_w, row_h, top) = (280usize, 44usize, 28usize);
    let text_w = 330;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(n, b)| {
            let y = top + n * row_h;
            let (fill, health, overspent, line1, line2, firing, why) = match &b.live {
                Some(LiveBudget::Measured(m)) => {
                    let fill = (m.consumed.clamp(0.0, 1.0) * track_w as f64).round() as usize;
                    let line1 = match m.remaining_human.strip_prefix('-') {
                        Some(over) => format!("{} spent · overspent by {over}", m.consumed_text),
                        None => format!(
                            "{} spent · {} left ({})",
                            m.consumed_text, m.remaining_human, m.remaining_text
                        ),
                    };
                    let (line2, firing) = if m.firing.is_empty() {
                        ("no burn-rate alert firing".to_string(), false)
                    } else {
                        let short: Vec<String> = m
                            .firing
                            .iter()
                            .map(|f| f.split(':').next().unwrap_or(f).to_string())
                            .collect();
                        (format!("firing: {}", short.join(", ")), true)
                    };
                    let why = if m.firing.is_empty() {
                        String::new()
                    } else {
                        format!("; firing: {}", m.firing.join("; "))
                    };
                    (
                        Some(fill),
                        m.health,
                        m.consumed > 1.0,
                        line1,
                        line2,
                        firing,
                        format!("{} spent, {} left{why}", m.consumed_text, m.remaining_human),
                    )
                }
                Some(LiveBudget::Unavailable { reason }) => (
                    None,
                    "unknown",
                    false,
                    "no live data".to_string(),
                    wrap(reason, text_w as f64, 12.0, 1).concat(),
                    false,
                    format!("no live data: {reason}"),
                ),
                None => (
                    None,
                    "unknown",
                    false,
                    format!("not measured: {}", b.status),
                    String::new(),
                    false,
                    format!("{}: not measured", b.status),
                ),
            };
            BudgetRow {
                tip: format!(
                    "{}: {} over {} allows {}{}; {why}",
                    b.id,
                    b.objective,
                    b.window,
                    b.budget,
                    b.stamp
                        .owner
                        .as_ref()
                        .map_or(String::new(), |o| format!(" (owner {o})"))
                ),
                owner: b.stamp.owner.clone().unwrap_or_default(),
                slo: b.clone(),
                y,
                fill,
                health,
                overspent,
                text_x: label_w + track_w + 16,
                line1,
                line2,
                firing,
            }
        })
        .collect::<Vec<_>>();
    let width = label_w + track_w + 16 + text_w;
    Some(BudgetSvg {
        width,
        height: top + rows.len() * row_h + 4,
        min_w: min_width(width),
        label_w,
        track_w,
        ticks: vec![
            (label_w, "0%"),
            (label_w + track_w / 2, "50%"),
            (label_w + track_w, "100% of budget"),
        ],
        axis_y: 14,
        bars: rows,
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

/// ADRs in number order, arcs on the left for supersedes (solid) and links (dashed), each
/// with an arrowhead at the record it points to, under a legend.
#[derive(Serialize)]
struct GraphSvg {
    width: usize,
    height: usize,
    min_w: usize,
    box_x: usize,
    box_w: usize,
    box_h: usize,
    arcs: Vec<Arc>,
    nodes: Vec<Node>,
    /// (x, class, label) of the status swatches.
    statuses: Vec<(usize, &'static str, &'static str)>,
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
    /// `accepted · 2026-03-01`, right-aligned in the box.
    side: String,
    changed: String,
    y: usize,
}

fn decision_graph(nodes: &[DecisionNode], edges: &[Edge]) -> Option<GraphSvg> {
    if nodes.is_empty() {
        return None;
    }
    let (arc_w, box_x, box_w, row_h, top): (usize, usize, usize, usize, usize) =
        (160, 180, 640, 32, 44);
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
        min_w: min_width(box_x + box_w + 10),
        box_x,
        box_w,
        box_h: row_h - 6,
        arcs,
        statuses: vec![
            (box_x + 150, "accepted", "accepted"),
            (box_x + 240, "proposed", "proposed"),
            (box_x + 330, "superseded", "superseded"),
            (box_x + 432, "rejected", "rejected"),
        ],
        nodes: nodes
            .iter()
            .enumerate()
            .map(|(n, node)| {
                let side = match &node.date {
                    Some(d) if !d.is_empty() => format!("{} · {d}", node.status),
                    _ => node.status.clone(),
                };
                // The title gets what the id and the right-hand text leave of the box.
                let room = box_w as f64
                    - 28.0
                    - text_width(&node.id, 13.0) * 1.1
                    - text_width(&side, 12.0);
                Node {
                    id: node.id.clone(),
                    title: node.title.clone(),
                    short_title: wrap(&node.title, room.max(40.0), 13.0, 1).concat(),
                    status: node.status.clone(),
                    class: if node.status.is_empty() {
                        "none".into()
                    } else {
                        node.status.clone()
                    },
                    side,
                    changed: node.stamp.changed.clone().unwrap_or_default(),
                    y: top + n * row_h,
                }
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct Column<'a> {
    title: &'static str,
    items: Vec<Card<'a>>,
}

/// A board item with its owner and last change.
#[derive(Serialize)]
struct Card<'a> {
    id: Option<&'a str>,
    title: &'a str,
    owner: Option<&'a str>,
    changed: Option<&'a str>,
}

#[derive(Serialize)]
struct Details {
    title: &'static str,
    sections: Vec<Section>,
}

/// An item that needs attention, with its document's owner and last change.
#[derive(Serialize)]
struct AttentionRow<'a> {
    #[serde(flatten)]
    item: &'a Attention,
    #[serde(flatten)]
    stamp: &'a Stamp,
}

/// The SLO section's header: where the figures come from.
#[derive(Serialize)]
struct LiveHeader {
    /// `live from URL at TIME`, or `no live data`.
    summary: String,
    /// A sentence saying what is shown and what is not.
    note: String,
    /// The SLOs without live data, and why.
    missing: Vec<(String, String)>,
}

fn live_header(d: &Dashboard) -> LiveHeader {
    let missing: Vec<(String, String)> = d
        .budgets
        .iter()
        .filter_map(|b| match &b.live {
            Some(LiveBudget::Unavailable { reason }) => Some((b.id.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    let active = d.budgets.iter().filter(|b| b.live.is_some()).count();
    match d.live_source {
        LiveSource::None => LiveHeader {
            summary: "no live data".into(),
            note: "No Prometheus to ask (pass --prometheus URL or set slo.prometheus in cto.yaml): each SLO shows the budget it allows, and nothing is spent or left to show.".into(),
            missing: Vec::new(),
        },
        LiveSource::Prometheus { url, at } => LiveHeader {
            summary: if missing.is_empty() {
                format!("live from Prometheus at {at}")
            } else {
                format!(
                    "live from Prometheus at {at}; no live data for {} of {active}",
                    missing.len()
                )
            },
            note: format!(
                "Measured by {url} at {at}. Each bar is one SLO's own error budget over its window: the filled part is spent; beyond the end, overspent."
            ),
            missing,
        },
    }
}

/// Everything the template reads.
#[derive(Serialize)]
struct Page<'a> {
    title: &'static str,
    date: &'a str,
    version: &'static str,
    counts: &'a [Count],
    lint: LintCounts,
    attention: Vec<AttentionRow<'a>>,
    heatmaps: [HeatmapSvg; 2],
    board: Vec<Column<'a>>,
    timeline: Option<TimelineSvg>,
    capacity: Option<CapacitySvg>,
    live: LiveHeader,
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
        attention: d
            .attention
            .iter()
            .zip(&d.attention_stamps)
            .map(|(item, stamp)| AttentionRow { item, stamp })
            .collect(),
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
                items: items.iter().map(|i| card(i, d)).collect(),
            })
            .collect(),
        timeline: timeline(&d.timeline),
        capacity: capacity(d.capacity),
        live: live_header(d),
        budgets: budgets(&d.budgets),
        incidents: incident_trend(&d.incidents),
        graph: decision_graph(&d.decisions, &d.edges),
        details,
    }
}

fn card<'a>(i: &'a BoardItem, d: &'a Dashboard) -> Card<'a> {
    Card {
        id: i.id.as_deref(),
        title: &i.title,
        owner: i.owner.as_deref(),
        changed: i
            .id
            .as_deref()
            .and_then(|id| d.changed.get(id))
            .map(String::as_str),
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
    fn labels_wrap_between_words_and_are_cut_only_past_the_last_line() {
        let text = "RM-0003 SLOs and burn-rate alerts for checkout and payments";
        let lines = wrap(text, 200.0, 12.0, 3);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), text, "nothing lost");
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 200.0));
        let cut = wrap(text, 100.0, 12.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && text_width(&cut[1], 12.0) <= 100.0);
        // A word wider than the line is split; wide characters count as wide.
        let long = wrap(&"x".repeat(60), 100.0, 12.0, 9);
        assert_eq!(long.concat(), "x".repeat(60));
        assert!(text_width("在列表展示", 12.0) > text_width("abcde", 12.0));
        assert_eq!(wrap("", 100.0, 12.0, 2), vec![String::new()]);
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
