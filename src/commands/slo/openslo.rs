//! OpenSLO: export to v1; import v1, v1alpha and v2alpha.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::imported::{
    AlertingDoc, CalendarDoc, Imported, SliDoc, SloDoc, label, name_of, percent,
    percent_of_fraction, raw, s, window_of,
};
use super::{wrap_selector, wrapped_selector};
use crate::live::{THRESHOLD_RANGE, fill_window};
use crate::model::slo::Rational;
use crate::model::{Document, Sli, SloFields};
use crate::parse::yaml::{Node, Value};
use crate::report::escape::visible;
use crate::report::yaml::{Num, to_string};

/// The OpenSLO versions cto reads.
pub fn known(api: &str) -> bool {
    matches!(
        api,
        "openslo/v1" | "openslo/v1alpha" | "openslo.com/v2alpha" | "openslo/v2alpha"
    )
}

// ---- export (v1) ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Object<S> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: S,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    name: String,
    display_name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<&'static str, Vec<String>>,
}

#[derive(Serialize)]
struct ServiceSpec {
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SloSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    service: String,
    indicator: Indicator,
    time_window: Vec<TimeWindow>,
    budgeting_method: &'static str,
    objectives: Vec<Objective>,
}

#[derive(Serialize)]
struct Indicator {
    metadata: IndicatorMetadata,
    spec: IndicatorSpec,
}

#[derive(Serialize)]
struct IndicatorMetadata {
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum IndicatorSpec {
    RatioMetric(RatioMetric),
    ThresholdMetric(MetricSource),
}

#[derive(Serialize)]
struct RatioMetric {
    counter: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    good: Option<MetricSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bad: Option<MetricSource>,
    total: MetricSource,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricSource {
    metric_source: Source,
}

#[derive(Serialize)]
struct Source {
    #[serde(rename = "type")]
    kind: &'static str,
    spec: QuerySpec,
}

#[derive(Serialize)]
struct QuerySpec {
    query: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TimeWindow {
    duration: String,
    is_rolling: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    calendar: Option<Calendar>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Calendar {
    start_time: String,
    time_zone: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Objective {
    display_name: String,
    target: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    op: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Num>,
}

fn source(query: String) -> MetricSource {
    MetricSource {
        metric_source: Source {
            kind: "Prometheus",
            spec: QuerySpec { query },
        },
    }
}

/// The ratio's queries as OpenSLO wants them: OpenSLO has no window placeholder, so
/// `sum(rate(X[{{.window}}]))` becomes the counter `sum(X)` (`counter: true`), and any
/// other query is measured over [`THRESHOLD_RANGE`] (`counter: false`).
fn ratio_queries(queries: &[&str]) -> (bool, Vec<String>, bool) {
    let counters: Option<Vec<String>> = queries
        .iter()
        .map(|q| {
            wrapped_selector(q, "rate")
                .or_else(|| wrapped_selector(q, "increase"))
                .map(|sel| format!("sum({sel})"))
        })
        .collect();
    match counters {
        Some(c) => (true, c, false),
        None => {
            let mut filled = false;
            let out = queries
                .iter()
                .map(|q| match fill_window(q, THRESHOLD_RANGE) {
                    Some(f) => {
                        filled = true;
                        f
                    }
                    None => q.to_string(),
                })
                .collect();
            (false, out, filled)
        }
    }
}

/// OpenSLO v1 Service and SLO objects, as a YAML stream; the number of SLOs.
pub fn export(
    err: &mut dyn Write,
    slos: &[(&Document, &SloFields)],
) -> anyhow::Result<(String, usize)> {
    let mut out = String::new();
    let mut services: Vec<&str> = slos
        .iter()
        .filter_map(|(_, s)| s.service.as_deref())
        .collect();
    services.sort();
    services.dedup();
    for s in services {
        out.push_str("---\n");
        out.push_str(&to_string(&Object {
            api_version: "openslo/v1",
            kind: "Service",
            metadata: Metadata {
                name: s.to_string(),
                display_name: s.to_string(),
                labels: BTreeMap::new(),
            },
            spec: ServiceSpec {
                description: format!("Service {s}"),
            },
        })?);
    }
    let mut count = 0;
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let target = s
            .objective
            .and_then(|(o, _)| o.checked_rational())
            .and_then(|o| o.checked_div(Rational::int(100)))
            .map_or_else(|| "0".to_string(), |t| t.decimal(18));
        let mut objective = Objective {
            display_name: d.title_text().to_string(),
            target: Num(target),
            op: None,
            value: None,
        };
        let indicator = match s.sli.as_ref() {
            Some(Sli::Ratio { good, bad, total }) => {
                let mut qs: Vec<&str> = vec![total.as_deref().unwrap_or("")];
                qs.extend(good.as_deref());
                qs.extend(bad.as_deref());
                let (counter, mut converted, filled) = ratio_queries(&qs);
                if filled {
                    writeln!(
                        err,
                        "note: {id}: OpenSLO has no window placeholder; the queries are rates over {THRESHOLD_RANGE}"
                    )?;
                }
                let total = converted.remove(0);
                let good = good.as_ref().map(|_| converted.remove(0));
                let bad = bad.as_ref().map(|_| converted.remove(0));
                IndicatorSpec::RatioMetric(RatioMetric {
                    counter,
                    good: good.map(source),
                    bad: bad.map(source),
                    total: source(total),
                })
            }
            Some(Sli::Threshold { query, op, value }) => {
                objective.op = Some(op.clone().unwrap_or_default());
                objective.value = Some(Num(value.clone().unwrap_or_default()));
                let q = query.as_deref().unwrap_or("");
                IndicatorSpec::ThresholdMetric(source(
                    fill_window(q, THRESHOLD_RANGE).unwrap_or_else(|| q.to_string()),
                ))
            }
            _ => {
                writeln!(
                    err,
                    "note: {}: the SLI is neither ratio nor threshold; skipped",
                    visible(d.path())
                )?;
                continue;
            }
        };
        let calendar = s.window_type.as_deref() == Some("calendar");
        let mut labels = BTreeMap::new();
        if let Some(owner) = &s.owner {
            labels.insert("owner", vec![owner.clone()]);
        }
        out.push_str("---\n");
        out.push_str(&to_string(&Object {
            api_version: "openslo/v1",
            kind: "SLO",
            metadata: Metadata {
                name: id.to_string(),
                display_name: d.title_text().to_string(),
                labels,
            },
            spec: SloSpec {
                description: s.description.clone(),
                service: s.service.clone().unwrap_or_default(),
                indicator: Indicator {
                    metadata: IndicatorMetadata {
                        name: format!("{id}-sli"),
                    },
                    spec: indicator,
                },
                time_window: vec![TimeWindow {
                    duration: s.window.as_ref().map(|w| w.0.clone()).unwrap_or_default(),
                    is_rolling: !calendar,
                    calendar: calendar.then(|| Calendar {
                        start_time: s.calendar_start.clone().unwrap_or_default(),
                        time_zone: s.calendar_timezone.clone().unwrap_or_default(),
                    }),
                }],
                budgeting_method: if s.budgeting.as_deref() == Some("timeslices") {
                    "Timeslices"
                } else {
                    "Occurrences"
                },
                objectives: vec![objective],
            },
        })?);
        count += 1;
    }
    Ok((out, count))
}

// ---- import ----

/// A query from an OpenSLO metric source: v1 `{metricSource: {spec: {query}}}`, v2alpha
/// `{dataSourceRef, spec: {query}}`, v1alpha `{source, queryType, query}`.
fn query_of(source: &Node) -> Option<String> {
    let spec = source
        .get("metricSource")
        .and_then(|m| m.get("spec"))
        .or_else(|| source.get("spec"));
    match spec {
        Some(spec) => s(spec.get("query")).or_else(|| s(spec.get("promql"))),
        None => s(source.get("query")),
    }
}

/// A counter query (`counter: true`) as cto measures it: `sum(X)` or a bare selector
/// becomes `sum(rate(X[{{.window}}]))`; other queries stay as written.
fn counter_query(q: String, dropped: &mut Vec<String>) -> String {
    if fill_window(&q, "1m").is_some() {
        return q;
    }
    let inner = q
        .trim()
        .strip_prefix("sum(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(q.trim());
    let plain = !inner.is_empty()
        && !inner.contains(['(', ')', '[', ']'])
        && !inner.contains(" by ")
        && inner
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':' || c == '{');
    if plain {
        wrap_selector(inner, "rate")
    } else {
        dropped.push(format!(
            "the counter query `{q}` is kept as written; give it a `{{{{.window}}}}` range to measure it"
        ));
        q
    }
}

/// The parts every OpenSLO version shares once its fields are found.
struct Parts<'a> {
    meta: Option<&'a Node>,
    spec: &'a Node,
    objectives: &'a [Node],
    /// The indicator's spec (`ratioMetric` / `thresholdMetric` inside).
    indicator: Option<&'a Node>,
    window: Result<(String, bool, Option<&'a Node>), String>,
}

fn common(parts: Parts<'_>, text: &str, ratio_key: &str) -> Result<Imported, String> {
    let raw_name =
        s(parts.meta.and_then(|m| m.get("name"))).ok_or("an SLO without `metadata.name`")?;
    let mut dropped = Vec::new();
    let name =
        name_of(&raw_name, &mut dropped).ok_or("an SLO whose name has no letters or digits")?;
    let title =
        s(parts.meta.and_then(|m| m.get("displayName"))).unwrap_or_else(|| raw_name.clone());
    let service = s(parts.spec.get("service")).ok_or("an SLO without `spec.service`")?;
    let labels = parts.meta.and_then(|m| m.get("labels"));
    let owner = label(labels.and_then(|l| l.get("owner")))
        .or_else(|| label(labels.and_then(|l| l.get("team"))));
    if labels.is_some() {
        dropped.push("metadata.labels".into());
    }
    let objective = parts
        .objectives
        .first()
        .ok_or("an SLO without `spec.objectives`")?;
    if parts.objectives.len() > 1 {
        dropped.push(format!(
            "objectives after the first ({} more)",
            parts.objectives.len() - 1
        ));
    }
    let target = if let Some(t) = objective.get("target") {
        percent_of_fraction(raw(text, t))
    } else {
        objective
            .get("targetPercent")
            .and_then(|t| percent(raw(text, t)))
    }
    .ok_or("an objective without a numeric `target` between 0 and 1")?;
    if objective.get("timeSliceTarget").is_some() || objective.get("timeSliceWindow").is_some() {
        dropped.push("timeSliceTarget/timeSliceWindow".into());
    }
    let (duration, rolling, calendar) = parts.window?;
    let window = window_of(&duration)?;
    // The indicator: inline in the SLO, or in v1alpha's objective.
    let ind = parts.indicator;
    let ratio = ind
        .and_then(|i| i.get(ratio_key))
        .or_else(|| objective.get("ratioMetrics"));
    let sli = if let Some(ratio) = ratio {
        if ratio.get("rawType").is_some() || ratio.get("raw").is_some() {
            return Err("a raw ratio metric (precomputed ratio) is not carried over".into());
        }
        let counter = matches!(
            ratio
                .get("counter")
                .or_else(|| ratio.get("incremental"))
                .map(|n| &n.value),
            Some(Value::Bool(true))
        );
        let mut q = |key: &str| -> Result<Option<String>, String> {
            match ratio.get(key) {
                None => Ok(None),
                Some(src) => {
                    let q = query_of(src).ok_or(format!("ratio metric `{key}` has no query"))?;
                    Ok(Some(if counter {
                        counter_query(q, &mut dropped)
                    } else {
                        q
                    }))
                }
            }
        };
        let good = q("good")?;
        let bad = q("bad")?;
        let total = q("total")?.ok_or("a ratio metric without `total`")?;
        SliDoc::Ratio { good, bad, total }
    } else if let Some(th) = ind.and_then(|i| i.get("thresholdMetric")) {
        let op = s(objective.get("op")).ok_or("a threshold objective without `op`")?;
        let value = objective
            .get("value")
            .map(|v| raw(text, v).to_string())
            .ok_or("a threshold objective without `value`")?;
        SliDoc::Threshold {
            query: query_of(th).ok_or("thresholdMetric has no query")?,
            op,
            value: Num(value),
        }
    } else {
        return Err("the indicator is neither a ratio metric nor a threshold metric".into());
    };
    let mut fields = SloDoc::new(service, target, window, sli);
    fields.owner = owner;
    if !rolling {
        fields.window_type = Some("calendar");
        fields.calendar = Some(CalendarDoc {
            start: s(calendar.and_then(|c| c.get("startTime"))),
            timezone: s(calendar.and_then(|c| c.get("timeZone"))),
        });
    }
    match s(parts.spec.get("budgetingMethod")).as_deref() {
        Some("Timeslices") => fields.budgeting = Some("timeslices"),
        Some("Occurrences") | None => {}
        Some(other) => dropped.push(format!("budgetingMethod {other}")),
    }
    if parts
        .spec
        .get("alertPolicies")
        .is_some_and(|a| !matches!(a.value, Value::Null))
    {
        dropped.push("alertPolicies (cto derives alerts from its alert windows)".into());
        fields.alerting = Some(AlertingDoc {
            page: true,
            ticket: true,
            runbook: None,
        });
    }
    Ok(Imported {
        name,
        title,
        fields,
        description: s(parts.spec.get("description")),
        dropped,
    })
}

fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// v1 and v2alpha: `timeWindow: [{duration, isRolling, calendar}]`.
fn duration_window(spec: &Node) -> Result<(String, bool, Option<&Node>), String> {
    let window = seq(spec.get("timeWindow"))
        .first()
        .ok_or("an SLO without `spec.timeWindow`")?;
    let duration = s(window.get("duration")).ok_or("a time window without `duration`")?;
    let rolling = !matches!(
        window.get("isRolling").map(|n| &n.value),
        Some(Value::Bool(false))
    );
    Ok((duration, rolling, window.get("calendar")))
}

pub fn import_v1(doc: &Node, text: &str) -> Result<Imported, String> {
    let spec = doc.get("spec").ok_or("an SLO without `spec`")?;
    if spec.get("indicatorRef").is_some() {
        return Err("the indicator is a reference (`indicatorRef`) to an SLI defined elsewhere; cto needs it inline".into());
    }
    let indicator = spec
        .get("indicator")
        .and_then(|i| i.get("spec"))
        .ok_or("an SLO without `spec.indicator.spec`")?;
    common(
        Parts {
            meta: doc.get("metadata"),
            spec,
            objectives: seq(spec.get("objectives")),
            indicator: Some(indicator),
            window: duration_window(spec),
        },
        text,
        "ratioMetric",
    )
}

/// v2alpha: the indicator is `spec.sli` (inline: `{metadata, spec}`), sources name a
/// `dataSourceRef`.
pub fn import_v2alpha(doc: &Node, text: &str) -> Result<Imported, String> {
    let spec = doc.get("spec").ok_or("an SLO without `spec`")?;
    if spec.get("sliRef").is_some() || spec.get("indicatorRef").is_some() {
        return Err(
            "the SLI is a reference (`sliRef`) to one defined elsewhere; cto needs it inline"
                .into(),
        );
    }
    let sli = spec
        .get("sli")
        .or_else(|| spec.get("indicator"))
        .ok_or("an SLO without `spec.sli`")?;
    let indicator = sli.get("spec").unwrap_or(sli);
    common(
        Parts {
            meta: doc.get("metadata"),
            spec,
            objectives: seq(spec.get("objectives")),
            indicator: Some(indicator),
            window: duration_window(spec),
        },
        text,
        "ratioMetric",
    )
}

/// v1alpha: `timeWindows: [{count, unit, isRolling, calendar}]`, the ratio in each
/// objective (`ratioMetrics`), a threshold in `spec.indicator`.
pub fn import_v1alpha(doc: &Node, text: &str) -> Result<Imported, String> {
    let spec = doc.get("spec").ok_or("an SLO without `spec`")?;
    let window = (|| {
        let w = seq(spec.get("timeWindows"))
            .first()
            .ok_or("an SLO without `spec.timeWindows`")?;
        let count = s(w.get("count")).ok_or("a time window without `count`")?;
        let unit = s(w.get("unit")).ok_or("a time window without `unit`")?;
        let letter = match unit.to_ascii_lowercase().as_str() {
            "minute" => "m",
            "hour" => "h",
            "day" => "d",
            "week" => "w",
            _ => {
                return Err(format!(
                    "window `{count} {unit}` is not in minutes, hours, days or weeks (cto does not model months, quarters or years)"
                ));
            }
        };
        let rolling = !matches!(
            w.get("isRolling").map(|n| &n.value),
            Some(Value::Bool(false))
        );
        Ok((format!("{count}{letter}"), rolling, w.get("calendar")))
    })();
    common(
        Parts {
            meta: doc.get("metadata"),
            spec,
            objectives: seq(spec.get("objectives")),
            indicator: spec.get("indicator"),
            window,
        },
        text,
        "ratioMetrics",
    )
}
