//! Prometheus recording and alerting rules: the error ratio over every window of the
//! SLO's alert windows, and a page and a ticket alert on their burn rates.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::camel;
use crate::config::Config;
use crate::live::{fill_window, threshold_good_query};
use crate::model::slo::{alert_windows_for, burn_rates_with, prometheus_duration};
use crate::model::{Document, Sli, SloFields};
use crate::report::yaml::to_string;

#[derive(Serialize)]
struct File {
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct Group {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Rule {
    Record {
        record: String,
        expr: String,
        labels: BTreeMap<&'static str, String>,
    },
    Alert {
        alert: String,
        expr: String,
        labels: BTreeMap<&'static str, String>,
        annotations: BTreeMap<&'static str, String>,
    },
}

/// The error ratio of an SLI over `range`, as one PromQL expression.
fn error_expr(sli: &Sli, range: &str) -> Option<(String, bool)> {
    match sli {
        Sli::Ratio { good, bad, total } => {
            let total = total.as_deref()?;
            let missing = fill_window(total, range).is_none();
            let fill = |q: &str| fill_window(q, range).unwrap_or_else(|| q.to_string());
            let expr = match (bad, good) {
                (Some(b), _) => format!("({}) / ({})", fill(b), fill(total)),
                (None, Some(g)) => format!("1 - (({}) / ({}))", fill(g), fill(total)),
                (None, None) => return None,
            };
            Some((expr, missing))
        }
        Sli::Threshold { query, op, value } => {
            let good =
                threshold_good_query(query.as_deref()?, op.as_deref()?, value.as_deref()?, range)?;
            Some((format!("1 - {good}"), false))
        }
        Sli::Other(_) => None,
    }
}

/// The rule file; the number of SLOs in it.
pub fn export(
    err: &mut dyn Write,
    slos: &[(&Document, &SloFields)],
    config: &Config,
) -> anyhow::Result<(String, usize)> {
    let mut groups = Vec::new();
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let service = s.service.clone().unwrap_or_default();
        let (Some(sli), Some(window), Some(budget)) =
            (s.sli.as_ref(), s.window_seconds(), s.budget())
        else {
            continue;
        };
        let windows = alert_windows_for(window, &config.alert_windows);
        let mut ranges: Vec<i64> = windows
            .windows
            .iter()
            .flat_map(|w| [w.short, w.long])
            .collect();
        ranges.sort();
        ranges.dedup();
        let labels = || BTreeMap::from([("slo", id.to_string()), ("service", service.clone())]);
        let mut rules = Vec::new();
        let mut placeholder_missing = false;
        for w in &ranges {
            let range = prometheus_duration(*w);
            let Some((expr, missing)) = error_expr(sli, &range) else {
                break;
            };
            placeholder_missing |= missing;
            rules.push(Rule::Record {
                record: format!("slo:sli_error:ratio_rate{range}"),
                expr,
                labels: labels(),
            });
        }
        if rules.is_empty() {
            writeln!(
                err,
                "note: {id}: the SLI has no queries a rule can be built from (see `cto lint`); not exported"
            )?;
            continue;
        }
        if placeholder_missing {
            writeln!(
                err,
                "note: {id}: the queries have no `{{{{.window}}}}` placeholder, so every window records the same range"
            )?;
        }
        let ratio = budget.ratio.decimal(18);
        let selector = format!("{{slo=\"{id}\"}}");
        let rates = burn_rates_with(&budget, &windows);
        let a = s.alerting.clone().unwrap_or_default();
        for severity in ["page", "ticket"] {
            if (severity == "page" && !a.page) || (severity == "ticket" && !a.ticket) {
                continue;
            }
            let conditions: Vec<String> = rates
                .iter()
                .filter(|r| r.severity == severity)
                .map(|r| {
                    let threshold = format!("({} * {ratio})", r.factor.decimal(6));
                    format!(
                        "(slo:sli_error:ratio_rate{long}{selector} > {threshold} and slo:sli_error:ratio_rate{short}{selector} > {threshold})",
                        long = prometheus_duration(r.long_window),
                        short = prometheus_duration(r.short_window),
                    )
                })
                .collect();
            let mut annotations = BTreeMap::from([(
                "summary",
                format!(
                    "{service}: the error budget of {} is burning too fast ({severity})",
                    d.title_text()
                ),
            )]);
            if let Some(runbook) = &a.runbook {
                annotations.insert("runbook_url", runbook.clone());
            }
            let mut alert_labels = labels();
            alert_labels.insert("severity", severity.to_string());
            rules.push(Rule::Alert {
                alert: format!("{}ErrorBudgetBurn{}", camel(id), camel(severity)),
                expr: conditions.join(" or "),
                labels: alert_labels,
                annotations,
            });
        }
        groups.push(Group {
            name: format!("cto-slo-{id}"),
            rules,
        });
    }
    let count = groups.len();
    Ok((to_string(&File { groups })?, count))
}
