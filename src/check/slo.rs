//! CTO5xx: SLOs, one at a time and against the services of cto.yaml.

use super::rules::{
    ALERTING_MISSING, CRITICAL_SERVICE_UNCOVERED, OBJECTIVE_INVALID, OBJECTIVE_SUSPICIOUS,
    SLI_INVALID, UNKNOWN_SERVICE, WINDOW_INVALID,
};
use super::{Context, Diagnostic, did_you_mean};
use crate::model::slo::{Rational, WindowError, parse_window_checked};
use crate::model::{Corpus, Document, Kind, Sli, SloFields};
use crate::source::Span;

/// The span of a top-level key (for block values, whose own span starts a line later).
fn key_at(doc: &Document, key: &str) -> Span {
    doc.meta
        .as_ref()
        .and_then(|m| m.entry(key))
        .map_or_else(|| doc.meta_span(&[key]), |(k, _)| k.span)
}

/// Whether an SLO counts for a critical service: active, alerting, with a runbook.
pub fn covers(doc: &Document, slo: &SloFields) -> bool {
    doc.status_value() == "active"
        && slo
            .alerting
            .as_ref()
            .is_some_and(|a| (a.page || a.ticket) && a.runbook.is_some())
}

pub fn check(doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(slo) = doc.slo() else { return };
    let path = doc.path();
    if let Some((objective, span)) = slo.objective {
        let pct = objective.rational();
        let hundred = Rational::int(100);
        if pct.num <= 0 || pct.den.checked_mul(100).is_none_or(|max| pct.num > max) {
            out.push(
                Diagnostic::new(
                    &OBJECTIVE_INVALID,
                    path,
                    span,
                    format!("objective {objective} is not a percent above 0 and at most 100"),
                )
                .with_help("write the objective as a percent, e.g. `objective: 99.9`"),
            );
        } else if pct == hundred {
            out.push(
                Diagnostic::new(
                    &OBJECTIVE_SUSPICIOUS,
                    path,
                    span,
                    "objective 100 leaves no error budget",
                )
                .with_help("choose the objective the service can keep, e.g. 99.9"),
            );
        } else if pct.num < pct.den
            && let Some(as_percent) = pct.checked_mul(hundred)
        {
            out.push(
                Diagnostic::new(
                    &OBJECTIVE_SUSPICIOUS,
                    path,
                    span,
                    format!("objective {objective} looks like a ratio, not a percent"),
                )
                .with_help(format!(
                    "did you mean `objective: {}`?",
                    as_percent.decimal(12)
                )),
            );
        }
    }
    if let Some((text, seconds, span)) = &slo.window
        && seconds.is_none()
    {
        let d = match parse_window_checked(text) {
            Err(WindowError::TooLong) => Diagnostic::new(
                &WINDOW_INVALID,
                path,
                *span,
                format!("window `{text}` is longer than 100 years"),
            )
            .with_help("SLO windows are days or weeks: `28d`, `30d`, `4w`"),
            _ => Diagnostic::new(
                &WINDOW_INVALID,
                path,
                *span,
                format!("window `{text}` is not a duration"),
            )
            .with_help("write a whole number and a unit: m, h, d or w (`28d`, `30d`, `4w`)"),
        };
        out.push(d);
    }
    if slo.window_type.as_deref() == Some("calendar") {
        let missing: Vec<&str> = [
            ("start", slo.calendar_start.is_none()),
            ("timezone", slo.calendar_timezone.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            out.push(
                Diagnostic::new(
                    &WINDOW_INVALID,
                    path,
                    doc.meta_span(&["window_type"]),
                    format!(
                        "a calendar window needs calendar.{}",
                        missing.join(" and calendar.")
                    ),
                )
                .with_help("add `calendar: { start: 2027-01-01, timezone: Europe/Berlin }`"),
            );
        }
    }
    if let Some(sli) = &slo.sli {
        let problem = match sli {
            Sli::Ratio { good, bad, total } => {
                match (good.is_some(), bad.is_some(), total.is_some()) {
                    (true, true, _) => {
                        Some("a ratio SLI has `good` or `bad`, not both".to_string())
                    }
                    (false, false, _) => Some("a ratio SLI needs `good` or `bad`".to_string()),
                    (_, _, false) => Some("a ratio SLI needs `total`".to_string()),
                    _ => None,
                }
            }
            Sli::Threshold { query, op, value } => {
                let missing: Vec<&str> = [
                    ("query", query.is_none()),
                    ("op", op.is_none()),
                    ("value", value.is_none()),
                ]
                .into_iter()
                .filter_map(|(k, m)| m.then_some(k))
                .collect();
                if !missing.is_empty() {
                    Some(format!("a threshold SLI needs {}", missing.join(", ")))
                } else if !matches!(op.as_deref(), Some("lt" | "lte" | "gt" | "gte")) {
                    Some(format!(
                        "`op` is `{}`; use lt, lte, gt or gte",
                        op.as_deref().unwrap_or("")
                    ))
                } else if value
                    .as_deref()
                    .and_then(crate::model::slo::Decimal::parse)
                    .is_none()
                {
                    Some("`value` must be a number".to_string())
                } else {
                    None
                }
            }
            Sli::Other(Some(t)) => Some(format!("SLI type `{t}` is not `ratio` or `threshold`")),
            Sli::Other(None) => {
                Some("the SLI needs `type: ratio` or `type: threshold`".to_string())
            }
        };
        if let Some(msg) = problem {
            out.push(
                Diagnostic::new(&SLI_INVALID, path, key_at(doc, "sli"), msg)
                    .with_help("ratio: `{type: ratio, good: QUERY, total: QUERY}`; threshold: `{type: threshold, query: QUERY, op: lt, value: 300}`"),
            );
        }
    }
    if doc.status_value() == "active" && !covers(doc, slo) {
        let msg = match &slo.alerting {
            None => "an active SLO has no alerting",
            Some(a) if !(a.page || a.ticket) => {
                "an active SLO's alerting neither pages nor raises a ticket"
            }
            Some(_) => "an active SLO's alerting has no runbook",
        };
        out.push(
            Diagnostic::new(&ALERTING_MISSING, path, key_at(doc, "alerting"), msg)
                .with_help("`alerting: { page: true, ticket: true, runbook: https://… }`"),
        );
    }
    let services = &ctx.config.services;
    if let Some(service) = &slo.service
        && !services.is_empty()
        && !services.iter().any(|s| &s.name == service)
    {
        let mut d = Diagnostic::new(
            &UNKNOWN_SERVICE,
            path,
            doc.meta_span(&["service"]),
            format!("service `{service}` is not listed in cto.yaml"),
        );
        d = match did_you_mean(service, services.iter().map(|s| s.name.as_str())) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help("add it to `services` in cto.yaml"),
        };
        out.push(d);
    }
}

/// CTO506: every critical service has an SLO that covers it.
pub fn coverage(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for service in ctx
        .config
        .services
        .iter()
        .filter(|s| s.tier.as_deref() == Some("critical"))
    {
        let slos: Vec<(&Document, &SloFields)> = corpus
            .of_kind(Kind::Slo)
            .filter_map(|d| Some((d, d.slo()?)))
            .filter(|(_, s)| s.service.as_deref() == Some(service.name.as_str()))
            .collect();
        if slos.iter().any(|(d, s)| covers(d, s)) {
            continue;
        }
        let (msg, help) = if slos.is_empty() {
            (
                format!("critical service `{}` has no SLO", service.name),
                format!(
                    "`cto slo new \"{} availability\" --field service={}`",
                    service.name, service.name
                ),
            )
        } else {
            let ids: Vec<&str> = slos.iter().filter_map(|(d, _)| d.id.as_deref()).collect();
            (
                format!(
                    "critical service `{}` has no active SLO with alerting and a runbook ({} not yet)",
                    service.name,
                    ids.join(", ")
                ),
                format!(
                    "add a runbook to the alerting of {}, then `cto slo status {} active`",
                    ids[0], ids[0]
                ),
            )
        };
        out.push(
            Diagnostic::new(
                &CRITICAL_SERVICE_UNCOVERED,
                crate::config::FILE_NAME,
                service.span,
                msg,
            )
            .with_help(help),
        );
    }
}
