//! Sloth: export to `prometheus/v1`; import `prometheus/v1`, the Kubernetes
//! `PrometheusServiceLevel`, and `AlertWindows` specs (as cto.yaml lines).

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::camel;
use super::imported::{AlertingDoc, Imported, SliDoc, SloDoc, name_of, percent, raw, s, title_of};
use crate::config::Config;
use crate::live::{THRESHOLD_RANGE, THRESHOLD_STEP, comparison, fill_window};
use crate::model::slo::{
    AlertWindows, alert_windows_for, parse_alert_windows, prometheus_duration,
};
use crate::model::{Document, Sli, SloFields};
use crate::parse::yaml::{Node, Value};
use crate::report::escape::visible;
use crate::report::yaml::{Num, to_string};

// ---- export ----

#[derive(Serialize)]
struct Spec {
    version: &'static str,
    service: String,
    slos: Vec<Slo>,
}

#[derive(Serialize)]
struct Slo {
    name: String,
    objective: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<&'static str, String>,
    sli: SliSpec,
    alerting: Alerting,
}

#[derive(Serialize)]
struct SliSpec {
    events: Events,
}

#[derive(Serialize)]
struct Events {
    error_query: String,
    total_query: String,
}

#[derive(Serialize)]
struct Alerting {
    name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<&'static str, String>,
    page_alert: Disable,
    ticket_alert: Disable,
}

#[derive(Serialize)]
struct Disable {
    disable: bool,
}

/// Sloth's error and total queries of an SLI: a ratio as it is (`total - good` when it
/// counts good events); a threshold as one-minute samples that miss it, over all samples.
pub fn events(sli: &Sli) -> Option<(String, String)> {
    match sli {
        Sli::Ratio { good, bad, total } => {
            let total = total.clone()?;
            let error = match (bad, good) {
                (Some(b), _) => b.clone(),
                (None, Some(g)) => format!("({total}) - ({g})"),
                (None, None) => return None,
            };
            Some((error, total))
        }
        Sli::Threshold { query, op, value } => {
            let (q, op, v) = (query.as_deref()?, op.as_deref()?, value.as_deref()?);
            let (_, miss) = comparison(op)?;
            crate::model::slo::Decimal::parse(v)?;
            let q = fill_window(q, THRESHOLD_RANGE).unwrap_or_else(|| q.to_string());
            Some((
                format!("sum_over_time((({q}) {miss} bool {v})[{{{{.window}}}}:{THRESHOLD_STEP}])"),
                format!("count_over_time(({q})[{{{{.window}}}}:{THRESHOLD_STEP}])"),
            ))
        }
        Sli::Other(_) => None,
    }
}

/// Sloth prometheus/v1 specs, one per service; the number of SLOs.
pub fn export(
    err: &mut dyn Write,
    slos: &[(&Document, &SloFields)],
    config: &Config,
) -> anyhow::Result<(String, usize)> {
    let mut by_service: BTreeMap<&str, Vec<Slo>> = BTreeMap::new();
    let mut periods: BTreeMap<i64, AlertWindows> = BTreeMap::new();
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let Some((error_query, total_query)) = s.sli.as_ref().and_then(events) else {
            writeln!(
                err,
                "note: {id}: the SLI has no event queries Sloth can take (see `cto lint`); not exported"
            )?;
            continue;
        };
        if let Some(w) = s.window_seconds() {
            periods
                .entry(w)
                .or_insert_with(|| alert_windows_for(w, &config.alert_windows));
        }
        let mut labels = BTreeMap::new();
        if let Some(owner) = &s.owner {
            labels.insert("owner", owner.clone());
        }
        let a = s.alerting.clone().unwrap_or_default();
        let mut annotations = BTreeMap::new();
        if let Some(runbook) = &a.runbook {
            annotations.insert("runbook", runbook.clone());
        }
        by_service
            .entry(s.service.as_deref().unwrap_or(""))
            .or_default()
            .push(Slo {
                name: id.to_string(),
                objective: Num(s.objective.map(|o| o.0.to_string()).unwrap_or_default()),
                description: s.description.clone(),
                labels,
                sli: SliSpec {
                    events: Events {
                        error_query,
                        total_query,
                    },
                },
                alerting: Alerting {
                    name: format!("{}ErrorBudgetBurn", camel(id)),
                    annotations,
                    page_alert: Disable { disable: !a.page },
                    ticket_alert: Disable { disable: !a.ticket },
                },
            });
    }
    // Sloth sets the period when it runs, for every SLO of the run.
    for (seconds, windows) in &periods {
        if *seconds != 30 * 86_400 {
            let period = prometheus_duration(*seconds);
            let how = if windows.source.starts_with("Google") {
                format!("`--default-slo-period={period}`")
            } else {
                format!(
                    "`--default-slo-period={period} --slo-period-windows-path DIR` with {} in DIR",
                    windows.source
                )
            };
            writeln!(
                err,
                "note: Sloth's period is set when it runs, not per SLO; for the {period} SLOs run it with {how}"
            )?;
        }
    }
    let mut out = String::new();
    let mut count = 0;
    for (service, slos) in by_service {
        count += slos.len();
        out.push_str("---\n");
        out.push_str(&to_string(&Spec {
            version: "prometheus/v1",
            service: service.to_string(),
            slos,
        })?);
    }
    Ok((out, count))
}

// ---- import ----

/// The SLOs of a Sloth spec (`prometheus/v1`, or a `PrometheusServiceLevel`'s `spec`).
pub fn import(doc: &Node, text: &str) -> Vec<Result<Imported, String>> {
    let Some(service) = s(doc.get("service")) else {
        return vec![Err("a Sloth spec without `service`".into())];
    };
    let owner = s(doc.get("labels").and_then(|l| l.get("owner")))
        .or_else(|| s(doc.get("labels").and_then(|l| l.get("team"))));
    let Some(Value::Seq(slos)) = doc.get("slos").map(|n| &n.value) else {
        return vec![Err("a Sloth spec without `slos`".into())];
    };
    slos.iter()
        .map(|slo| {
            let raw_name = s(slo.get("name")).ok_or("an SLO without `name`")?;
            let mut dropped = vec!["window: Sloth sets it when it runs; 30d here".to_string()];
            let name = name_of(&format!("{service}-{raw_name}"), &mut dropped)
                .ok_or("an SLO whose name has no letters or digits")?;
            let objective = slo
                .get("objective")
                .and_then(|o| percent(raw(text, o)))
                .ok_or("an SLO without a numeric `objective` between 0 and 100")?;
            let sli = slo.get("sli");
            let events = sli.and_then(|x| x.get("events"));
            // prometheus/v1 writes snake_case; the Kubernetes CRD writes camelCase.
            let either =
                |n: &Node, snake: &str, camel: &str| s(n.get(snake)).or_else(|| s(n.get(camel)));
            let sli = match events {
                Some(e) => SliDoc::Ratio {
                    good: None,
                    bad: Some(
                        either(e, "error_query", "errorQuery")
                            .ok_or("sli.events without `error_query`")?,
                    ),
                    total: either(e, "total_query", "totalQuery")
                        .ok_or("sli.events without `total_query`")?,
                },
                None if sli.and_then(|x| x.get("raw")).is_some() => {
                    return Err("sli.raw (a precomputed error ratio) is not carried over; cto needs event queries".into());
                }
                None if sli.and_then(|x| x.get("plugin")).is_some() => {
                    return Err("sli.plugin is Sloth-specific and is not carried over".into());
                }
                None => return Err("an SLO without `sli.events`".into()),
            };
            let mut fields = SloDoc::new(service.clone(), objective, "30d".into(), sli);
            fields.owner = owner.clone();
            if let Some(a) = slo.get("alerting") {
                let enabled = |snake: &str, camel: &str| {
                    let alert = a.get(snake).or_else(|| a.get(camel));
                    !matches!(
                        alert.and_then(|p| p.get("disable")).map(|n| &n.value),
                        Some(Value::Bool(true))
                    )
                };
                let annotations = a.get("annotations");
                fields.alerting = Some(AlertingDoc {
                    page: enabled("page_alert", "pageAlert"),
                    ticket: enabled("ticket_alert", "ticketAlert"),
                    runbook: s(annotations.and_then(|n| n.get("runbook")))
                        .or_else(|| s(annotations.and_then(|n| n.get("runbook_url")))),
                });
                if a.get("name").is_some() || a.get("labels").is_some() {
                    dropped.push("alerting name, labels and annotations".into());
                }
            }
            if slo.get("labels").is_some() || doc.get("labels").is_some() {
                dropped.push("labels".into());
            }
            if slo.get("plugins").is_some()
                || doc.get("sloPlugins").is_some()
                || slo.get("sloPlugins").is_some()
            {
                dropped.push("SLO plugins (Sloth-specific rule generation)".into());
            }
            Ok(Imported {
                title: title_of(&raw_name),
                name,
                fields,
                description: s(slo.get("description")),
                dropped,
            })
        })
        .collect()
}

// ---- alert windows ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WindowsOut {
    slo_period: String,
    page: QuickSlow,
    ticket: QuickSlow,
}

#[derive(Serialize)]
struct QuickSlow {
    quick: WindowOut,
    slow: WindowOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WindowOut {
    error_budget_percent: Num,
    short_window: String,
    long_window: String,
}

#[derive(Serialize)]
struct SloKey {
    alert_windows: Vec<WindowsOut>,
}

#[derive(Serialize)]
struct Root {
    slo: SloKey,
}

/// A Sloth AlertWindows spec, checked, as the cto.yaml lines that set it.
pub fn alert_windows(doc: &Node, text: &str) -> Result<String, String> {
    let w = parse_alert_windows(doc, text, "cto.yaml")?;
    let out = |i: usize| {
        let x = &w.windows[i];
        WindowOut {
            error_budget_percent: Num(x.budget_percent.decimal(18)),
            short_window: prometheus_duration(x.short),
            long_window: prometheus_duration(x.long),
        }
    };
    let root = Root {
        slo: SloKey {
            alert_windows: vec![WindowsOut {
                slo_period: prometheus_duration(w.period),
                page: QuickSlow {
                    quick: out(0),
                    slow: out(1),
                },
                ticket: QuickSlow {
                    quick: out(2),
                    slow: out(3),
                },
            }],
        },
    };
    to_string(&root).map_err(|e| visible(&e.to_string()).into_owned())
}
