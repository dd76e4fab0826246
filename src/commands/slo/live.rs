//! Each active SLO measured by Prometheus: the figures of `cto slo status`, and the
//! budget spent that `cto slo report`, `cto report` and the dashboard show.
//!
//! Exit codes of a measurement: 0 when every SLO was measured and none has exhausted its
//! budget; 1 (a finding) when one has; 2 when one could not be measured at all
//! (Prometheus down, slow, erroring, without data, or answering nonsense): an I/O error,
//! as every other command reports one.

use std::cell::RefCell;
use std::time::Duration;

use serde::Serialize;

use super::super::{Ctx, Exit, UsageError};
use crate::cli::PrometheusArgs;
use crate::live::{Health, LiveError, LiveStatus, Measure, evaluate};
use crate::model::Document;
use crate::model::SloStatus;
use crate::model::slo::alert_windows_for;
use crate::prometheus::{Prometheus, QueryError};
use crate::report::escape::visible;
use crate::views::dashboard::{LiveBudget, LiveSource, SpentBudget};
use crate::workspace::Workspace;
use std::collections::BTreeMap;

/// Prometheus at one time; after a transport failure (down, timing out) every later
/// query fails at once with the same error, so that a dead server costs one timeout,
/// not one per query.
struct AtTime {
    prometheus: Prometheus,
    time: i64,
    broken: RefCell<Option<QueryError>>,
}

impl Measure for AtTime {
    fn value(&self, query: &str) -> Result<f64, QueryError> {
        if let Some(e) = self.broken.borrow().clone() {
            return Err(e);
        }
        let r = self.prometheus.instant(query, self.time);
        if let Err(e @ (QueryError::Unreachable(_) | QueryError::Timeout(_) | QueryError::Tls(_))) =
            &r
        {
            *self.broken.borrow_mut() = Some(e.clone());
        }
        r
    }
}

/// `--at`: RFC 3339 or Unix seconds; default now.
pub(crate) fn evaluation_time(at: Option<&str>) -> Result<i64, UsageError> {
    let Some(at) = at.map(str::trim) else {
        return Ok(jiff::Timestamp::now().as_second());
    };
    if let Ok(secs) = at.parse::<i64>() {
        return Ok(secs);
    }
    at.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| {
            UsageError(format!(
                "--at `{}` is neither RFC 3339 (2026-05-01T12:00:00Z) nor Unix seconds",
                visible(at)
            ))
        })
}

/// One SLO's measurement, or why there is none.
pub struct Measured<'a> {
    pub doc: &'a Document,
    pub result: Result<LiveStatus, LiveError>,
}

/// An SLO that could not be measured, in the JSON output.
#[derive(Serialize)]
struct Unmeasured<'a> {
    id: &'a str,
    service: &'a str,
    status: &'static str,
    error: String,
}

/// The Prometheus to ask: `--prometheus`, else `slo.prometheus` in cto.yaml.
pub fn prometheus_url(ws: &Workspace, args: &PrometheusArgs) -> Option<String> {
    args.prometheus
        .clone()
        .or_else(|| ws.config.prometheus.clone())
}

/// What a report says when there is no Prometheus to ask.
pub const NO_PROMETHEUS: &str = "no live data: no Prometheus to ask (pass --prometheus URL or set `slo.prometheus` in cto.yaml)";

/// Every active SLO (of `service`, if given) measured at `args.at`.
pub(crate) fn measure<'a>(
    ws: &Workspace,
    docs: &[&'a Document],
    args: &PrometheusArgs,
) -> anyhow::Result<Vec<Measured<'a>>> {
    measure_at(ws, docs, args).map(|(m, _)| m)
}

/// Like [`measure`], with the source of the figures: Prometheus' URL and the time asked.
pub fn measure_at<'a>(
    ws: &Workspace,
    docs: &[&'a Document],
    args: &PrometheusArgs,
) -> anyhow::Result<(Vec<Measured<'a>>, LiveSource)> {
    let url = prometheus_url(ws, args).ok_or_else(|| {
        UsageError(
            "no Prometheus to ask: pass --prometheus URL or set `slo.prometheus` in cto.yaml"
                .into(),
        )
    })?;
    if args.timeout == 0 {
        return Err(UsageError("--timeout must be at least 1 second".into()).into());
    }
    let time = evaluation_time(args.at.as_deref())?;
    let prometheus =
        Prometheus::new(&url, Duration::from_secs(args.timeout.min(3_600))).map_err(UsageError)?;
    let source = LiveSource::Prometheus {
        url: visible(url.trim()).into_owned(),
        at: jiff::Timestamp::from_second(time).map_or_else(|_| time.to_string(), |t| t.to_string()),
    };
    let at = AtTime {
        prometheus,
        time,
        broken: RefCell::new(None),
    };
    let measured = docs
        .iter()
        .filter_map(|d| Some((*d, d.slo()?)))
        .filter(|(_, s)| s.is(SloStatus::Active))
        .map(|(doc, slo)| {
            let windows =
                alert_windows_for(slo.window_seconds().unwrap_or(0), &ws.config.alert_windows);
            Measured {
                doc,
                result: evaluate(doc, slo, &windows, &at),
            }
        })
        .collect();
    Ok((measured, source))
}

/// The measurement as the dashboard draws it: each SLO's budget spent on the scale of its
/// own budget, or why it has no figures.
pub fn live_budgets(measured: &[Measured]) -> BTreeMap<String, LiveBudget> {
    measured
        .iter()
        .filter_map(|m| {
            let id = m.doc.id.clone()?;
            let live = match &m.result {
                Ok(s) => LiveBudget::Measured(spent(s)),
                Err(e) => LiveBudget::Unavailable {
                    reason: e.to_string(),
                },
            };
            Some((id, live))
        })
        .collect()
}

pub(crate) fn spent(s: &LiveStatus) -> SpentBudget {
    SpentBudget {
        consumed: s.budget.consumed.0.to_f64(),
        consumed_text: percent(s.budget.consumed, 2),
        remaining_text: percent(s.budget.remaining, 2),
        remaining_human: s.budget.remaining_human.clone(),
        health: match s.status {
            Health::Ok => "ok",
            Health::Warning => "warning",
            Health::Exhausted => "exhausted",
        },
        firing: s
            .burn_rates
            .iter()
            .filter(|b| b.firing)
            .map(|b| {
                format!(
                    "{} {}/{}: {}× (above {}×)",
                    b.severity,
                    b.long,
                    b.short,
                    b.rate.map_or("?".into(), |r| r.0.decimal(2)),
                    b.threshold.0.decimal(4)
                )
            })
            .collect(),
    }
}

/// The heading of the live section of a report: where the figures come from, and how
/// many SLOs have none.
pub fn live_heading(source: &LiveSource, measured: &[Measured]) -> String {
    match source {
        LiveSource::None => format!("Error budget spent: {NO_PROMETHEUS}"),
        LiveSource::Prometheus { url, at } => {
            let missing = measured.iter().filter(|m| m.result.is_err()).count();
            let gaps = match missing {
                0 => String::new(),
                n => format!("; no live data for {n} of {}", measured.len()),
            };
            format!("Error budget spent (live from {url} at {at}{gaps})")
        }
    }
}

/// The SLO documents of `service` (all without one); `Err` when it has none.
pub(crate) fn of_service<'a>(
    docs: Vec<&'a Document>,
    service: Option<&String>,
) -> Result<Vec<&'a Document>, UsageError> {
    let Some(service) = service else {
        return Ok(docs);
    };
    let picked: Vec<&Document> = docs
        .into_iter()
        .filter(|d| d.slo().and_then(|s| s.service.as_ref()) == Some(service))
        .collect();
    if picked.is_empty() {
        return Err(UsageError(format!(
            "no SLO of service `{}`",
            visible(service)
        )));
    }
    Ok(picked)
}

pub(crate) fn exit_of(measured: &[Measured]) -> Exit {
    if measured.iter().any(|m| m.result.is_err()) {
        Exit::Usage
    } else if measured
        .iter()
        .any(|m| matches!(&m.result, Ok(s) if s.status == Health::Exhausted))
    {
        Exit::Failure
    } else {
        Exit::Success
    }
}

/// A bar of `width` cells: the budget spent against the budget allowed, on one scale.
pub(crate) fn bar(consumed: f64, width: usize) -> String {
    let filled = (consumed.clamp(0.0, 1.0) * width as f64).round() as usize;
    let over = if consumed > 1.0 { "▶" } else { "" };
    format!(
        "[{}{}]{over}",
        "█".repeat(filled),
        "·".repeat(width - filled)
    )
}

pub(crate) fn percent(x: crate::live::Exact, places: u32) -> String {
    x.0.checked_mul(crate::model::slo::Rational::int(100))
        .map_or_else(|| "?".into(), |p| format!("{}%", p.decimal(places)))
}

/// The measurement as people read it.
pub fn render_text(out: &mut dyn std::io::Write, measured: &[Measured]) -> std::io::Result<()> {
    for m in measured {
        let id = visible(m.doc.id.as_deref().unwrap_or(""));
        match &m.result {
            Err(e) => writeln!(out, "{id}: not measured: {}", visible(&e.to_string()))?,
            Ok(s) => {
                let consumed: f64 = s.budget.consumed.text().parse().unwrap_or(0.0);
                writeln!(
                    out,
                    "{id} ({}): {} · objective {} over {}",
                    visible(&s.service),
                    match s.status {
                        Health::Ok => "ok",
                        Health::Warning => "WARNING",
                        Health::Exhausted => "EXHAUSTED",
                    },
                    percent(
                        crate::live::Exact(
                            s.objective
                                .0
                                .checked_div(crate::model::slo::Rational::int(100))
                                .unwrap_or(s.objective.0)
                        ),
                        6
                    ),
                    visible(&s.window),
                )?;
                writeln!(
                    out,
                    "  SLI {} · error ratio {}",
                    percent(s.sli, 6),
                    percent(s.error_ratio, 6)
                )?;
                writeln!(
                    out,
                    "  budget {} {} spent, {} left ({} of {})",
                    bar(consumed, 20),
                    percent(s.budget.consumed, 2),
                    percent(s.budget.remaining, 2),
                    s.budget.remaining_human,
                    crate::model::slo::human_duration(s.budget.total_seconds.0),
                )?;
                for b in &s.burn_rates {
                    let rate = |r: Option<crate::live::Exact>| {
                        r.map_or("no data".to_string(), |r| format!("{}×", r.0.decimal(2)))
                    };
                    writeln!(
                        out,
                        "  {:<6} {:>3}/{:<3} burn {} / {} (alert above {}×){}",
                        b.severity,
                        b.long,
                        b.short,
                        rate(b.rate),
                        rate(b.short_rate),
                        b.threshold.0.decimal(4),
                        if b.firing { "  FIRING" } else { "" }
                    )?;
                }
                writeln!(out, "  alert windows: {}", s.alert_windows)?;
            }
        }
    }
    Ok(())
}

/// One entry of the JSON array: a measurement, or why there is none.
#[derive(Serialize)]
#[serde(untagged)]
enum Row<'a> {
    Measured(&'a LiveStatus),
    Unmeasured(Unmeasured<'a>),
}

/// The measurement as JSON: an array, measured SLOs and unmeasured ones (with `error`),
/// keys in the order of [`LiveStatus`].
pub fn render_json(measured: &[Measured]) -> serde_json::Value {
    serde_json::to_value(rows(measured)).unwrap_or(serde_json::Value::Null)
}

fn rows<'a>(measured: &'a [Measured]) -> Vec<Row<'a>> {
    measured
        .iter()
        .map(|m| match &m.result {
            Ok(s) => Row::Measured(s),
            Err(e) => Row::Unmeasured(Unmeasured {
                id: m.doc.id.as_deref().unwrap_or(""),
                service: m.doc.slo().and_then(|s| s.service.as_deref()).unwrap_or(""),
                status: "unknown",
                error: visible(&e.to_string()).into_owned(),
            }),
        })
        .collect()
}

/// The JSON text of the rows, keys in struct order.
pub(crate) fn json_text(measured: &[Measured]) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&rows(measured))?)
}

pub(crate) fn tell_failures(ctx: &mut Ctx, measured: &[Measured]) -> std::io::Result<()> {
    for m in measured {
        if let Err(e) = &m.result {
            writeln!(
                ctx.err,
                "error: {}: not measured: {}",
                visible(m.doc.path()),
                visible(&e.to_string())
            )?;
        }
    }
    Ok(())
}

/// Writes why each SLO that could not be measured was not (stderr).
pub fn tell_failures_to(ctx: &mut Ctx, measured: &[Measured]) -> std::io::Result<()> {
    tell_failures(ctx, measured)
}

/// A report with live figures exits 2 when an SLO could not be measured (the report is
/// written all the same, with the reason), else 0.
pub fn live_exit(measured: &[Measured]) -> Exit {
    if measured.iter().any(|m| m.result.is_err()) {
        Exit::Usage
    } else {
        Exit::Success
    }
}

/// The live section of a text report, or of a markdown one (`Some` heading level): its
/// heading, then each SLO.
pub fn write_live_section(
    out: &mut dyn std::io::Write,
    markdown: Option<usize>,
    source: &LiveSource,
    measured: &[Measured],
) -> std::io::Result<()> {
    let heading = live_heading(source, measured);
    let hashes = "#".repeat(markdown.unwrap_or(2).clamp(1, 6));
    if *source == LiveSource::None {
        let why = NO_PROMETHEUS.trim_start_matches("no live data: ");
        return if markdown.is_some() {
            writeln!(out, "{hashes} Error budget spent\n\nNo live data: {why}.")
        } else {
            writeln!(out, "\n{heading}")
        };
    }
    if markdown.is_some() {
        writeln!(
            out,
            "{hashes} {}\n\n```",
            crate::report::escape::markdown(&heading)
        )?;
    } else {
        writeln!(out, "\n{heading}")?;
    }
    if measured.is_empty() {
        writeln!(out, "No active SLO.")?;
    }
    render_text(out, measured)?;
    if markdown.is_some() {
        writeln!(out, "```")?;
    }
    Ok(())
}
