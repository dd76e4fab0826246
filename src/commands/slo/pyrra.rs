//! Pyrra `ServiceLevelObjective` (pyrra.dev/v1alpha1): ratio, latency and bool gauge
//! indicators, both ways. Pyrra names series, not queries: cto writes them as
//! `sum(rate(SERIES[{{.window}}]))` (and `sum_over_time`/`count_over_time` for a bool
//! gauge), and exports only SLOs whose queries have exactly that shape.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::imported::{Imported, SliDoc, SloDoc, name_of, percent, raw, s, title_of, window_of};
use super::{wrap_selector, wrapped_selector};
use crate::model::{Document, Sli, SloFields};
use crate::parse::yaml::Node;
use crate::report::yaml::to_string;

// ---- export ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Object {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Spec {
    /// A percent, as a string (Pyrra's CRD types it so).
    target: String,
    window: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    indicator: Indicator,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Indicator {
    Ratio { errors: Metric, total: Metric },
    Latency { success: Metric, total: Metric },
    BoolGauge(Metric),
}

#[derive(Serialize)]
struct Metric {
    metric: String,
}

fn metric(selector: &str) -> Metric {
    Metric {
        metric: selector.to_string(),
    }
}

/// The Pyrra indicator of an SLI, or why there is none.
fn indicator(sli: &Sli) -> Result<Indicator, String> {
    fn counter(q: &str) -> Option<&str> {
        wrapped_selector(q, "rate").or_else(|| wrapped_selector(q, "increase"))
    }
    match sli {
        Sli::Ratio {
            bad: Some(bad),
            total: Some(total),
            ..
        } => match (counter(bad), counter(total)) {
            (Some(b), Some(t)) => Ok(Indicator::Ratio {
                errors: metric(b),
                total: metric(t),
            }),
            _ => Err(
                "Pyrra names series: its queries must read `sum(rate(SERIES[{{.window}}]))`".into(),
            ),
        },
        Sli::Ratio {
            good: Some(good),
            bad: None,
            total: Some(total),
        } => {
            if let (Some(g), Some(t)) = (
                wrapped_selector(good, "sum_over_time"),
                wrapped_selector(total, "count_over_time"),
            ) && g == t
            {
                return Ok(Indicator::BoolGauge(metric(g)));
            }
            match (counter(good), counter(total)) {
                (Some(g), Some(t)) if g.split('{').next().is_some_and(|n| n.ends_with("_bucket")) => {
                    Ok(Indicator::Latency {
                        success: metric(g),
                        total: metric(t),
                    })
                }
                (Some(_), Some(_)) => Err("Pyrra counts good events only for latency (a `_bucket` series); write the SLI with `bad`".into()),
                _ => Err("Pyrra names series: its queries must read `sum(rate(SERIES[{{.window}}]))`".into()),
            }
        }
        Sli::Threshold { .. } => Err("Pyrra has no threshold indicator".into()),
        _ => Err("the SLI is incomplete (see `cto lint`)".into()),
    }
}

/// Pyrra objects, as a YAML stream; the number exported.
pub fn export(
    err: &mut dyn Write,
    slos: &[(&Document, &SloFields)],
) -> anyhow::Result<(String, usize)> {
    let mut out = String::new();
    let mut count = 0;
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let ind = match s.sli.as_ref().map(indicator) {
            Some(Ok(i)) => i,
            Some(Err(why)) => {
                writeln!(err, "note: {id}: not exported: {why}")?;
                continue;
            }
            None => continue,
        };
        if s.window_type.as_deref() == Some("calendar") {
            writeln!(
                err,
                "note: {id}: Pyrra windows are rolling; the calendar window is not carried over"
            )?;
        }
        let mut labels = BTreeMap::new();
        if let Some(service) = &s.service
            && crate::model::refs::is_label(service)
        {
            labels.insert("service", service.clone());
        }
        out.push_str("---\n");
        out.push_str(&to_string(&Object {
            api_version: "pyrra.dev/v1alpha1",
            kind: "ServiceLevelObjective",
            metadata: Metadata {
                name: id.to_string(),
                labels,
            },
            spec: Spec {
                target: s.objective.map(|o| o.0.to_string()).unwrap_or_default(),
                window: s.window.as_ref().map(|w| w.0.clone()).unwrap_or_default(),
                description: s.description.clone(),
                indicator: ind,
            },
        })?);
        count += 1;
    }
    Ok((out, count))
}

// ---- import ----

pub fn import(doc: &Node, text: &str, service: Option<&str>) -> Result<Imported, String> {
    let meta = doc.get("metadata");
    let spec = doc
        .get("spec")
        .ok_or("a ServiceLevelObjective without `spec`")?;
    let raw_name = s(meta.and_then(|m| m.get("name"))).ok_or("an SLO without `metadata.name`")?;
    let mut dropped = Vec::new();
    let name =
        name_of(&raw_name, &mut dropped).ok_or("an SLO whose name has no letters or digits")?;
    let labels = meta.and_then(|m| m.get("labels"));
    let service = s(labels.and_then(|l| l.get("service")))
        .or_else(|| service.map(str::to_string))
        .ok_or(format!(
            "`{raw_name}` names no service (Pyrra has none); pass --service NAME"
        ))?;
    let objective = spec
        .get("target")
        .and_then(|t| percent(raw(text, t)))
        .ok_or("an SLO without a numeric `target` between 0 and 100")?;
    let window = window_of(&s(spec.get("window")).ok_or("an SLO without `window`")?)?;
    let ind = spec.get("indicator").ok_or("an SLO without `indicator`")?;
    let metric_of = |n: Option<&Node>, what: &str| -> Result<String, String> {
        s(n.and_then(|n| n.get("metric"))).ok_or(format!("the indicator has no `{what}.metric`"))
    };
    let (sli, kind) = if let Some(r) = ind.get("ratio") {
        let sli = SliDoc::Ratio {
            good: None,
            bad: Some(wrap_selector(
                &metric_of(r.get("errors"), "errors")?,
                "rate",
            )),
            total: wrap_selector(&metric_of(r.get("total"), "total")?, "rate"),
        };
        (sli, r)
    } else if let Some(l) = ind.get("latency") {
        let sli = SliDoc::Ratio {
            good: Some(wrap_selector(
                &metric_of(l.get("success"), "success")?,
                "rate",
            )),
            bad: None,
            total: wrap_selector(&metric_of(l.get("total"), "total")?, "rate"),
        };
        (sli, l)
    } else if let Some(g) = ind.get("bool_gauge").or_else(|| ind.get("boolGauge")) {
        let m = s(g.get("metric")).ok_or("the bool gauge has no `metric`")?;
        let sli = SliDoc::Ratio {
            good: Some(wrap_selector(&m, "sum_over_time")),
            bad: None,
            total: wrap_selector(&m, "count_over_time"),
        };
        (sli, g)
    } else if ind.get("latencyNative").is_some() {
        return Err("a native-histogram latency indicator (`latencyNative`) is not carried over; cto needs event queries".into());
    } else {
        return Err("the indicator is none of ratio, latency, bool_gauge".into());
    };
    if kind.get("grouping").is_some() {
        dropped.push("grouping (cto measures the SLO as a whole)".into());
    }
    if spec.get("alerting").is_some() {
        dropped.push("alerting (cto derives alerts from its alert windows)".into());
    }
    if spec.get("latency").is_some() {
        dropped.push("latency (the `le` of the success series carries it)".into());
    }
    if labels.is_some_and(|l| l.entries().len() > usize::from(l.get("service").is_some())) {
        dropped.push("metadata.labels".into());
    }
    if meta.and_then(|m| m.get("namespace")).is_some() {
        dropped.push("metadata.namespace".into());
    }
    let mut fields = SloDoc::new(service, objective, window, sli);
    fields.owner =
        s(labels.and_then(|l| l.get("owner"))).or_else(|| s(labels.and_then(|l| l.get("team"))));
    Ok(Imported {
        title: title_of(&raw_name),
        name,
        fields,
        description: s(spec.get("description")),
        dropped,
    })
}
