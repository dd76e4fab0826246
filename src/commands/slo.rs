//! `cto slo export|import`: OpenSLO v1, Sloth prometheus/v1 and Prometheus rules.

use std::collections::BTreeMap;

use anyhow::Context as _;

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::cli::{ExportArgs, ExportTarget, ImportArgs};
use crate::edit;
use crate::model::slo::{
    Decimal, Rational, WindowError, burn_rates, parse_window_checked, prometheus_duration,
};
use crate::model::{Document, Kind, Sli, SloFields, parse_document};
use crate::parse::yaml::{self, Node, Value};
use crate::report::escape::visible;
use crate::report::yaml::{Y, to_string};
use crate::source::Source;

/// The windows of the recording rules: every short and long window of the alerts.
const RECORDING_WINDOWS: [i64; 7] = [300, 1_800, 3_600, 7_200, 21_600, 86_400, 259_200];

/// `text` with every window placeholder (`{{.window}}`, `{{ .window }}`, `$window`)
/// replaced; `None` when it has none.
fn with_window(query: &str, window: &str) -> Option<String> {
    let mut out = query.to_string();
    for p in ["{{.window}}", "{{ .window }}", "$window", "${window}"] {
        out = out.replace(p, window);
    }
    (out != query).then_some(out)
}

fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn exported<'a>(
    ctx: &mut Ctx,
    docs: &'a [&'a Document],
) -> anyhow::Result<Vec<(&'a Document, &'a SloFields)>> {
    let mut out = Vec::new();
    for d in docs {
        let Some(s) = d.slo() else { continue };
        if d.status_value() == "retired" {
            continue;
        }
        if s.objective.is_none()
            || s.window_seconds().is_none()
            || s.sli.is_none()
            || s.service.is_none()
        {
            writeln!(
                ctx.err,
                "note: {}: skipped (needs service, objective, window and sli; see `cto lint`)",
                visible(d.path())
            )?;
            continue;
        }
        out.push((*d, s));
    }
    Ok(out)
}

fn metric_source(query: &str) -> Y {
    Y::map(vec![(
        "metricSource",
        Y::map(vec![
            ("type", Y::s("Prometheus")),
            ("spec", Y::map(vec![("query", Y::s(query))])),
        ]),
    )])
}

fn openslo(ctx: &mut Ctx, slos: &[(&Document, &SloFields)]) -> anyhow::Result<Vec<Y>> {
    let mut docs = Vec::new();
    let mut services: Vec<&str> = slos
        .iter()
        .filter_map(|(_, s)| s.service.as_deref())
        .collect();
    services.sort();
    services.dedup();
    for s in services {
        docs.push(Y::map(vec![
            ("apiVersion", Y::s("openslo/v1")),
            ("kind", Y::s("Service")),
            (
                "metadata",
                Y::map(vec![("name", Y::s(s)), ("displayName", Y::s(s))]),
            ),
            (
                "spec",
                Y::map(vec![("description", Y::s(format!("Service {s}")))]),
            ),
        ]));
    }
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let (objective, _) = s.objective.unwrap_or((
            Decimal {
                mantissa: 0,
                scale: 0,
            },
            Default::default(),
        ));
        let target = objective
            .rational()
            .checked_div(Rational::int(100))
            .map_or_else(|| "0".to_string(), |t| t.decimal(18));
        let mut objective_entry = vec![
            ("displayName", Y::s(d.title_text())),
            ("target", Y::Num(target)),
        ];
        let indicator = match s.sli.as_ref() {
            Some(Sli::Ratio { good, bad, total }) => {
                let mut m = vec![("counter", Y::Bool(true))];
                if let Some(g) = good {
                    m.push(("good", metric_source(g)));
                }
                if let Some(b) = bad {
                    m.push(("bad", metric_source(b)));
                }
                m.push(("total", metric_source(total.as_deref().unwrap_or(""))));
                Y::map(vec![("ratioMetric", Y::map(m))])
            }
            Some(Sli::Threshold { query, op, value }) => {
                objective_entry.push(("op", Y::s(op.clone().unwrap_or_default())));
                objective_entry.push(("value", Y::Num(value.clone().unwrap_or_default())));
                Y::map(vec![(
                    "thresholdMetric",
                    metric_source(query.as_deref().unwrap_or("")),
                )])
            }
            _ => {
                writeln!(
                    ctx.err,
                    "note: {}: the SLI is neither ratio nor threshold; skipped",
                    visible(d.path())
                )?;
                continue;
            }
        };
        let mut window = vec![
            (
                "duration",
                Y::s(s.window.as_ref().map(|w| w.0.clone()).unwrap_or_default()),
            ),
            (
                "isRolling",
                Y::Bool(s.window_type.as_deref() != Some("calendar")),
            ),
        ];
        if s.window_type.as_deref() == Some("calendar") {
            window.push((
                "calendar",
                Y::map(vec![
                    (
                        "startTime",
                        Y::s(s.calendar_start.clone().unwrap_or_default()),
                    ),
                    (
                        "timeZone",
                        Y::s(s.calendar_timezone.clone().unwrap_or_default()),
                    ),
                ]),
            ));
        }
        let mut spec = Vec::new();
        if let Some(desc) = &s.description {
            spec.push(("description", Y::s(desc)));
        }
        spec.push(("service", Y::s(s.service.clone().unwrap_or_default())));
        spec.push((
            "indicator",
            Y::map(vec![
                (
                    "metadata",
                    Y::map(vec![("name", Y::s(format!("{id}-sli")))]),
                ),
                ("spec", indicator),
            ]),
        ));
        spec.push(("timeWindow", Y::Seq(vec![Y::map(window)])));
        spec.push((
            "budgetingMethod",
            Y::s(if s.budgeting.as_deref() == Some("timeslices") {
                "Timeslices"
            } else {
                "Occurrences"
            }),
        ));
        spec.push(("objectives", Y::Seq(vec![Y::map(objective_entry)])));
        let mut labels = Vec::new();
        if let Some(owner) = &s.owner {
            labels.push(("owner", Y::Seq(vec![Y::s(owner)])));
        }
        let mut metadata = vec![("name", Y::s(id)), ("displayName", Y::s(d.title_text()))];
        if !labels.is_empty() {
            metadata.push(("labels", Y::map(labels)));
        }
        docs.push(Y::map(vec![
            ("apiVersion", Y::s("openslo/v1")),
            ("kind", Y::s("SLO")),
            ("metadata", Y::map(metadata)),
            ("spec", Y::map(spec)),
        ]));
    }
    Ok(docs)
}

/// The error query of a ratio SLI, as Sloth wants it.
fn error_query(good: Option<&String>, bad: Option<&String>, total: &str) -> String {
    match (bad, good) {
        (Some(b), _) => b.clone(),
        (None, Some(g)) => format!("({total}) - ({g})"),
        (None, None) => String::new(),
    }
}

fn sloth(ctx: &mut Ctx, slos: &[(&Document, &SloFields)]) -> anyhow::Result<Vec<Y>> {
    let mut by_service: BTreeMap<&str, Vec<Y>> = BTreeMap::new();
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let Some(Sli::Ratio { good, bad, total }) = &s.sli else {
            writeln!(
                ctx.err,
                "note: {id}: Sloth SLIs are event ratios; a threshold SLI is not exported"
            )?;
            continue;
        };
        if s.window_seconds() != Some(30 * 86_400) {
            writeln!(
                ctx.err,
                "note: {id}: Sloth's period is set when it runs (`--default-slo-period`), not per SLO; this one is {}",
                visible(s.window.as_ref().map_or("", |w| w.0.as_str()))
            )?;
        }
        let total = total.clone().unwrap_or_default();
        let mut slo = vec![
            ("name", Y::s(id)),
            (
                "objective",
                Y::Num(s.objective.map(|o| o.0.to_string()).unwrap_or_default()),
            ),
        ];
        if let Some(desc) = &s.description {
            slo.push(("description", Y::s(desc)));
        }
        if let Some(owner) = &s.owner {
            slo.push(("labels", Y::map(vec![("owner", Y::s(owner))])));
        }
        slo.push((
            "sli",
            Y::map(vec![(
                "events",
                Y::map(vec![
                    (
                        "error_query",
                        Y::s(error_query(good.as_ref(), bad.as_ref(), &total)),
                    ),
                    ("total_query", Y::s(total)),
                ]),
            )]),
        ));
        let a = s.alerting.clone().unwrap_or_default();
        let mut alerting = vec![("name", Y::s(format!("{}ErrorBudgetBurn", camel(id))))];
        if let Some(runbook) = &a.runbook {
            alerting.push(("annotations", Y::map(vec![("runbook", Y::s(runbook))])));
        }
        alerting.push(("page_alert", Y::map(vec![("disable", Y::Bool(!a.page))])));
        alerting.push((
            "ticket_alert",
            Y::map(vec![("disable", Y::Bool(!a.ticket))]),
        ));
        slo.push(("alerting", Y::map(alerting)));
        by_service
            .entry(s.service.as_deref().unwrap_or(""))
            .or_default()
            .push(Y::map(slo));
    }
    Ok(by_service
        .into_iter()
        .map(|(service, slos)| {
            Y::map(vec![
                ("version", Y::s("prometheus/v1")),
                ("service", Y::s(service)),
                ("slos", Y::Seq(slos)),
            ])
        })
        .collect())
}

fn prometheus(ctx: &mut Ctx, slos: &[(&Document, &SloFields)]) -> anyhow::Result<Vec<Y>> {
    let mut groups = Vec::new();
    for (d, s) in slos {
        let id = d.id.as_deref().unwrap_or("");
        let service = s.service.clone().unwrap_or_default();
        let Some(Sli::Ratio { good, bad, total }) = &s.sli else {
            writeln!(
                ctx.err,
                "note: {id}: recording rules are built from event ratios; a threshold SLI is not exported"
            )?;
            continue;
        };
        let (Some(window), Some(budget)) = (s.window_seconds(), s.budget()) else {
            continue;
        };
        let total = total.clone().unwrap_or_default();
        let labels = || Y::map(vec![("slo", Y::s(id)), ("service", Y::s(&service))]);
        let mut rules = Vec::new();
        let mut placeholder_missing = false;
        for w in RECORDING_WINDOWS {
            let range = prometheus_duration(w);
            let fill = |q: &str| with_window(q, &range).unwrap_or_else(|| q.to_string());
            placeholder_missing |= with_window(&total, &range).is_none();
            let expr = match (bad, good) {
                (Some(b), _) => format!("({}) / ({})", fill(b), fill(&total)),
                (None, Some(g)) => format!("1 - (({}) / ({}))", fill(g), fill(&total)),
                (None, None) => continue,
            };
            rules.push(Y::map(vec![
                ("record", Y::s(format!("slo:sli_error:ratio_rate{range}"))),
                ("expr", Y::s(expr)),
                ("labels", labels()),
            ]));
        }
        if placeholder_missing {
            writeln!(
                ctx.err,
                "note: {id}: the queries have no `{{{{.window}}}}` placeholder, so every window records the same range"
            )?;
        }
        let ratio = budget.ratio.decimal(12);
        let selector = format!("{{slo=\"{id}\"}}");
        let rates = burn_rates(&budget, window);
        for severity in ["page", "ticket"] {
            let conditions: Vec<String> = rates
                .iter()
                .filter(|r| r.severity == severity)
                .map(|r| {
                    let threshold = format!("({} * {ratio})", r.factor.decimal(4));
                    format!(
                        "(slo:sli_error:ratio_rate{long}{selector} > {threshold} and slo:sli_error:ratio_rate{short}{selector} > {threshold})",
                        long = prometheus_duration(r.long_window),
                        short = prometheus_duration(r.short_window),
                    )
                })
                .collect();
            let a = s.alerting.clone().unwrap_or_default();
            if (severity == "page" && !a.page) || (severity == "ticket" && !a.ticket) {
                continue;
            }
            let mut annotations = vec![(
                "summary",
                Y::s(format!(
                    "{}: the error budget of {} is burning too fast ({severity})",
                    service,
                    d.title_text()
                )),
            )];
            if let Some(runbook) = &a.runbook {
                annotations.push(("runbook_url", Y::s(runbook)));
            }
            rules.push(Y::map(vec![
                (
                    "alert",
                    Y::s(format!("{}ErrorBudgetBurn{}", camel(id), camel(severity))),
                ),
                ("expr", Y::s(conditions.join(" or "))),
                (
                    "labels",
                    Y::map(vec![
                        ("severity", Y::s(severity)),
                        ("slo", Y::s(id)),
                        ("service", Y::s(&service)),
                    ]),
                ),
                ("annotations", Y::map(annotations)),
            ]));
        }
        groups.push(Y::map(vec![
            ("name", Y::s(format!("cto-slo-{id}"))),
            ("rules", Y::Seq(rules)),
        ]));
    }
    Ok(vec![Y::map(vec![("groups", Y::Seq(groups))])])
}

pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let (corpus, _) = load_corpus(&ws, &[]);
    let docs: Vec<&Document> = super::documents::sorted(&corpus, Kind::Slo)
        .into_iter()
        .filter(|d| {
            args.service.is_none()
                || d.slo().and_then(|s| s.service.as_ref()) == args.service.as_ref()
        })
        .collect();
    let slos = exported(ctx, &docs)?;
    let out = match args.to {
        ExportTarget::Openslo => openslo(ctx, &slos)?,
        ExportTarget::Sloth => sloth(ctx, &slos)?,
        ExportTarget::Prometheus => prometheus(ctx, &slos)?,
    };
    let text: Vec<String> = out.iter().map(to_string).collect();
    if args.to == ExportTarget::Prometheus {
        write!(ctx.out, "{}", text.concat())?;
    } else {
        for t in text {
            write!(ctx.out, "---\n{t}")?;
        }
    }
    Ok(Exit::Success)
}

// ---- import ----

/// One SLO read from a spec, ready to become a document, with what was left behind.
struct Imported {
    name: String,
    title: String,
    fields: Vec<(&'static str, Y)>,
    description: Option<String>,
    dropped: Vec<String>,
}

fn s(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// A scalar's own text (numbers as written), for exact arithmetic.
fn raw<'a>(source: &'a str, node: &Node) -> &'a str {
    source
        .get(node.span.range())
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\''])
}

/// A label value of OpenSLO (a list in v1) or Sloth (a string).
fn label(node: Option<&Node>) -> Option<String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.first().and_then(Node::scalar_text),
        _ => s(node),
    }
}

fn query_of(source: &Node) -> Option<String> {
    // OpenSLO v1: {metricSource: {type, spec: {query}}}; other sources keep other keys.
    let spec = source.get("metricSource").and_then(|m| m.get("spec"))?;
    s(spec.get("query")).or_else(|| s(spec.get("promql")))
}

fn name_of(raw_name: &str, dropped: &mut Vec<String>) -> Option<String> {
    if crate::model::refs::is_label(raw_name) {
        return Some(raw_name.to_string());
    }
    let l = crate::slug::label(raw_name)?;
    dropped.push(format!(
        "name `{raw_name}` is not an RFC 1123 label; it is `{l}` here"
    ));
    Some(l)
}

fn openslo_v1(doc: &Node, text: &str) -> Result<Imported, String> {
    let meta = doc.get("metadata");
    let spec = doc.get("spec").ok_or("an SLO without `spec`")?;
    let raw_name = s(meta.and_then(|m| m.get("name"))).ok_or("an SLO without `metadata.name`")?;
    let mut dropped = Vec::new();
    let name =
        name_of(&raw_name, &mut dropped).ok_or("an SLO whose name has no letters or digits")?;
    let title = s(meta.and_then(|m| m.get("displayName"))).unwrap_or_else(|| raw_name.clone());
    let mut fields: Vec<(&'static str, Y)> = Vec::new();
    fields.push((
        "service",
        Y::s(s(spec.get("service")).ok_or("an SLO without `spec.service`")?),
    ));
    let labels = meta.and_then(|m| m.get("labels"));
    if let Some(owner) = label(labels.and_then(|l| l.get("owner")))
        .or_else(|| label(labels.and_then(|l| l.get("team"))))
    {
        fields.push(("owner", Y::s(owner)));
    }
    if labels.is_some() {
        dropped.push("metadata.labels".into());
    }
    let objectives = match spec.get("objectives").map(|o| &o.value) {
        Some(Value::Seq(items)) if !items.is_empty() => items,
        _ => return Err("an SLO without `spec.objectives`".into()),
    };
    if objectives.len() > 1 {
        dropped.push(format!(
            "objectives after the first ({} more)",
            objectives.len() - 1
        ));
    }
    let objective = &objectives[0];
    let target = if let Some(t) = objective.get("target") {
        Decimal::parse(raw(text, t)).and_then(|d| d.rational().checked_mul(Rational::int(100)))
    } else {
        objective
            .get("targetPercent")
            .and_then(|t| Decimal::parse(raw(text, t)))
            .map(Decimal::rational)
    }
    .ok_or("an objective without a numeric `target`")?;
    fields.push(("objective", Y::Num(target.decimal(12))));
    if objective.get("timeSliceTarget").is_some() || objective.get("timeSliceWindow").is_some() {
        dropped.push("timeSliceTarget/timeSliceWindow".into());
    }
    // Window.
    let window = spec
        .get("timeWindow")
        .and_then(|w| match &w.value {
            Value::Seq(items) => items.first(),
            _ => None,
        })
        .ok_or("an SLO without `spec.timeWindow`")?;
    let duration = s(window.get("duration")).ok_or("a time window without `duration`")?;
    match parse_window_checked(&duration) {
        Ok(_) => fields.push(("window", Y::s(&duration))),
        Err(WindowError::TooLong) => {
            return Err(format!("window `{duration}` is longer than 100 years"));
        }
        Err(WindowError::NotADuration) => {
            return Err(format!(
                "window `{duration}` is not in m, h, d or w (cto does not model months, quarters or years)"
            ));
        }
    }
    let rolling = !matches!(
        window.get("isRolling").map(|n| &n.value),
        Some(Value::Bool(false))
    );
    if !rolling {
        fields.push(("window_type", Y::s("calendar")));
        let cal = window.get("calendar");
        let mut c = Vec::new();
        if let Some(start) = s(cal.and_then(|c| c.get("startTime"))) {
            c.push(("start", Y::s(start)));
        }
        if let Some(tz) = s(cal.and_then(|c| c.get("timeZone"))) {
            c.push(("timezone", Y::s(tz)));
        }
        fields.push(("calendar", Y::map(c)));
    }
    match s(spec.get("budgetingMethod")).as_deref() {
        Some("Timeslices") => fields.push(("budgeting", Y::s("timeslices"))),
        Some("Occurrences") | None => {}
        Some(other) => dropped.push(format!("budgetingMethod {other}")),
    }
    // Indicator.
    if spec.get("indicatorRef").is_some() {
        return Err("the indicator is a reference (`indicatorRef`) to an SLI defined elsewhere; cto needs it inline".into());
    }
    let ind = spec
        .get("indicator")
        .and_then(|i| i.get("spec"))
        .ok_or("an SLO without `spec.indicator.spec`")?;
    let sli = if let Some(ratio) = ind.get("ratioMetric") {
        let mut m = vec![("type", Y::s("ratio"))];
        for key in ["good", "bad", "total"] {
            if let Some(src) = ratio.get(key) {
                m.push((
                    key,
                    Y::s(query_of(src).ok_or(format!("ratioMetric.{key} has no query"))?),
                ));
            }
        }
        if ratio.get("rawType").is_some() || ratio.get("raw").is_some() {
            return Err("a raw ratio metric (precomputed ratio) is not carried over".into());
        }
        Y::map(m)
    } else if let Some(th) = ind.get("thresholdMetric") {
        let op = s(objective.get("op")).ok_or("a threshold objective without `op`")?;
        let value = objective
            .get("value")
            .map(|v| raw(text, v).to_string())
            .ok_or("a threshold objective without `value`")?;
        Y::map(vec![
            ("type", Y::s("threshold")),
            (
                "query",
                Y::s(query_of(th).ok_or("thresholdMetric has no query")?),
            ),
            ("op", Y::s(op)),
            ("value", Y::Num(value)),
        ])
    } else {
        return Err("the indicator is neither a ratioMetric nor a thresholdMetric".into());
    };
    fields.push(("sli", sli));
    if spec
        .get("alertPolicies")
        .is_some_and(|a| !matches!(a.value, Value::Null))
    {
        dropped.push("alertPolicies".into());
    }
    Ok(Imported {
        name,
        title,
        fields,
        description: s(spec.get("description")),
        dropped,
    })
}

fn sloth_spec(doc: &Node, text: &str) -> Vec<Result<Imported, String>> {
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
            let name = name_of(&format!("{service}-{raw_name}"), &mut dropped).ok_or("an SLO whose name has no letters or digits")?;
            let objective = slo
                .get("objective")
                .and_then(|o| Decimal::parse(raw(text, o)))
                .ok_or("an SLO without a numeric `objective`")?;
            let mut fields: Vec<(&'static str, Y)> = vec![("service", Y::s(&service))];
            if let Some(o) = &owner {
                fields.push(("owner", Y::s(o)));
            }
            fields.push(("objective", Y::Num(objective.to_string())));
            fields.push(("window", Y::s("30d")));
            let sli = slo.get("sli");
            let events = sli.and_then(|x| x.get("events"));
            // prometheus/v1 writes snake_case; the Kubernetes CRD writes camelCase.
            let either = |n: &Node, snake: &str, camel: &str| s(n.get(snake)).or_else(|| s(n.get(camel)));
            match events {
                Some(e) => {
                    let bad = either(e, "error_query", "errorQuery").ok_or("sli.events without `error_query`")?;
                    let total = either(e, "total_query", "totalQuery").ok_or("sli.events without `total_query`")?;
                    fields.push((
                        "sli",
                        Y::map(vec![("type", Y::s("ratio")), ("bad", Y::s(bad)), ("total", Y::s(total))]),
                    ));
                }
                None if sli.and_then(|x| x.get("raw")).is_some() => {
                    return Err("sli.raw (a precomputed error ratio) is not carried over; cto needs event queries".into());
                }
                None if sli.and_then(|x| x.get("plugin")).is_some() => {
                    return Err("sli.plugin is Sloth-specific and is not carried over".into());
                }
                None => return Err("an SLO without `sli.events`".into()),
            }
            if let Some(a) = slo.get("alerting") {
                let enabled = |snake: &str, camel: &str| {
                    let alert = a.get(snake).or_else(|| a.get(camel));
                    !matches!(alert.and_then(|p| p.get("disable")).map(|n| &n.value), Some(Value::Bool(true)))
                };
                let mut al = vec![
                    ("page", Y::Bool(enabled("page_alert", "pageAlert"))),
                    ("ticket", Y::Bool(enabled("ticket_alert", "ticketAlert"))),
                ];
                let annotations = a.get("annotations");
                if let Some(rb) = s(annotations.and_then(|n| n.get("runbook"))).or_else(|| s(annotations.and_then(|n| n.get("runbook_url")))) {
                    al.push(("runbook", Y::s(rb)));
                }
                fields.push(("alerting", Y::map(al)));
                if a.get("name").is_some() || a.get("labels").is_some() {
                    dropped.push("alerting name, labels and annotations".into());
                }
            }
            if slo.get("labels").is_some() || doc.get("labels").is_some() {
                dropped.push("labels".into());
            }
            if slo.get("plugins").is_some() || doc.get("sloPlugins").is_some() || slo.get("sloPlugins").is_some() {
                dropped.push("SLO plugins (Sloth-specific rule generation)".into());
            }
            let title = raw_name.replace(['-', '_'], " ");
            let mut chars = title.chars();
            let title = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or(title);
            Ok(Imported {
                title,
                name,
                fields,
                description: s(slo.get("description")),
                dropped,
            })
        })
        .collect()
}

/// Every SLO in one YAML document of a spec file (or why there is none).
fn specs_in(doc: &Node, text: &str) -> Vec<Result<Imported, String>> {
    let api = s(doc.get("apiVersion"));
    let kind = s(doc.get("kind"));
    match (
        api.as_deref(),
        kind.as_deref(),
        s(doc.get("version")).as_deref(),
    ) {
        (Some("openslo/v1"), Some("SLO"), _) => vec![openslo_v1(doc, text)],
        (Some("openslo/v1"), Some(k), _) => vec![Err(format!(
            "an OpenSLO {k} is not an SLO; cto keeps services in cto.yaml and alert policies in each SLO"
        ))],
        (Some(v), _, _) if v.starts_with("openslo/") => vec![Err(format!(
            "`apiVersion: {v}` is not supported; only openslo/v1"
        ))],
        (Some("sloth.slok.dev/v1"), Some("AlertWindows"), _) => {
            vec![Err("a Sloth AlertWindows spec configures alert windows, not SLOs; cto scales the SRE workbook's windows to each SLO's window".into())]
        }
        (Some("sloth.slok.dev/v1"), Some("PrometheusServiceLevel"), _) => match doc.get("spec") {
            Some(spec) => sloth_spec(spec, text),
            None => vec![Err("a PrometheusServiceLevel without `spec`".into())],
        },
        (_, _, Some("prometheus/v1")) => sloth_spec(doc, text),
        (_, _, Some(v)) => vec![Err(format!(
            "Sloth `version: {v}` is not supported; only prometheus/v1"
        ))],
        _ => vec![Err(
            "not an OpenSLO v1 or Sloth prometheus/v1 document".into()
        )],
    }
}

fn document_text(imp: &Imported, owner: &str, date: &str) -> String {
    let mut fields = imp.fields.clone();
    if !fields.iter().any(|(k, _)| *k == "owner") {
        fields.insert(1, ("owner", Y::s(owner)));
    }
    fields.insert(2, ("status", Y::s("draft")));
    fields.push(("review", Y::map(vec![("last", Y::s(date))])));
    let yaml = to_string(&Y::map(fields));
    let mut body = format!("---\n{yaml}---\n\n# {}\n", imp.title);
    if let Some(d) = &imp.description {
        body.push_str(&format!("\n## Description\n\n{d}\n"));
    }
    body
}

pub fn import(ctx: &mut Ctx, args: &ImportArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let dir = ws.abs_dir(Kind::Slo);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let default_owner = args
        .owner
        .clone()
        .or_else(|| crate::git::user_name(&ws.root));
    let date = super::today().to_string();
    let mut failed = false;
    // A file that cannot be read is an I/O error: exit 2, not 1.
    let mut unreadable = false;
    for file in &args.files {
        let path = ctx.cwd.join(file);
        let shown = file.display().to_string();
        // A regular file of at most MAX_FILE_BYTES: `/dev/zero` or a FIFO is refused
        // before it is opened, not read until memory runs out.
        let text = match crate::workspace::read_file(&path, None, crate::model::MAX_FILE_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    writeln!(ctx.err, "{shown}: not UTF-8 text; nothing imported")?;
                    failed = true;
                    continue;
                }
            },
            Err(e) => {
                writeln!(ctx.err, "{shown}: {e}; nothing imported")?;
                unreadable = true;
                continue;
            }
        };
        let docs = match yaml::parse_stream(&text) {
            Ok(docs) => docs,
            Err(e) => {
                let at = e
                    .offset
                    .map(|o| Source::new(shown.clone(), text.clone()).line_col(o));
                let loc = at.map_or(String::new(), |l| format!(":{}:{}", l.line, l.column));
                writeln!(
                    ctx.err,
                    "{shown}{loc}: invalid YAML: {}; nothing imported",
                    e.message
                )?;
                failed = true;
                continue;
            }
        };
        // A file may hold a list of objects (as `oslo` writes them).
        let objects: Vec<&Node> = docs
            .iter()
            .flat_map(|d| match &d.value {
                Value::Seq(items) => items.iter().collect::<Vec<_>>(),
                _ => vec![d],
            })
            .collect();
        if objects.is_empty() {
            writeln!(
                ctx.err,
                "{shown}: the file holds no YAML documents; nothing imported"
            )?;
            failed = true;
        }
        for object in objects {
            let at = text[..object.span.start.min(text.len())]
                .matches('\n')
                .count()
                + 1;
            for result in specs_in(object, &text) {
                match result {
                    Err(why) => {
                        writeln!(ctx.err, "{shown}:{at}: not imported: {}", visible(&why))?;
                        failed = true;
                    }
                    Ok(imp) => {
                        let owner = match (
                            &default_owner,
                            imp.fields.iter().any(|(k, _)| *k == "owner"),
                        ) {
                            (_, true) => String::new(),
                            (Some(o), false) => o.clone(),
                            (None, false) => {
                                return Err(UsageError(format!(
                                    "{shown}: `{}` names no owner; pass --owner NAME",
                                    imp.name
                                ))
                                .into());
                            }
                        };
                        let doc_text = document_text(&imp, &owner, &date);
                        let target = dir.join(format!("{}.md", imp.name));
                        let rel = ws.rel_path(&target);
                        let parsed = parse_document(
                            Kind::Slo,
                            Source::new(rel.clone(), doc_text.clone()),
                            &ws.config.documents,
                        );
                        let errors: Vec<String> = parsed
                            .diagnostics
                            .iter()
                            .filter(|d| d.severity == crate::check::Severity::Error)
                            .map(|d| d.message.clone())
                            .collect();
                        if !errors.is_empty() {
                            writeln!(
                                ctx.err,
                                "{shown}:{at}: `{}` not imported: {}",
                                imp.name,
                                visible(&errors.join("; "))
                            )?;
                            failed = true;
                            continue;
                        }
                        match edit::create_new(&target, &doc_text) {
                            Ok(()) => {
                                writeln!(ctx.out, "{}", ctx.display_path(&target))?;
                                let mut notes = imp.dropped.clone();
                                notes.push("status: draft (add a runbook to `alerting`, then `cto slo status NAME active`)".into());
                                for n in notes {
                                    writeln!(ctx.err, "  {}: {}", imp.name, visible(&n))?;
                                }
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                                writeln!(
                                    ctx.err,
                                    "{shown}:{at}: `{}` not imported: {rel} exists; cto never overwrites a document",
                                    imp.name
                                )?;
                                failed = true;
                            }
                            Err(e) => {
                                return Err(anyhow::anyhow!(e)
                                    .context(format!("writing {}", target.display())));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(if unreadable {
        Exit::Usage
    } else if failed {
        Exit::Failure
    } else {
        Exit::Success
    })
}
