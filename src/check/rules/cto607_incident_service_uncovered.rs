//! CTO607 incident-service-uncovered: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Document, Kind, SloStatus};

declare_rule! {
    /// ## What it checks
    /// That a service of `tier: critical` in `cto.yaml` that has had an incident has an
    /// `active` SLO. The finding points at the service in its latest incident; CTO506 says
    /// the same of the service in `cto.yaml`, and asks for alerting and a runbook too.
    ///
    /// ## Why
    /// "Confirm SLOs and incident practices exist for critical services": an incident on a
    /// critical service without an SLO has no error budget to say how much it cost, and no
    /// alert that would have caught it sooner.
    ///
    /// ## Example
    /// ```yaml
    /// services: [payments]
    /// ```
    /// where `payments` is critical and its only SLO is a `draft`.
    ///
    /// ## How to fix
    /// Finish the service's SLO and `cto slo status NAME active`, or write one with
    /// `cto slo new "Payments availability" --field service=payments`.
    pub static INCIDENT_SERVICE_UNCOVERED = {
        code: "CTO607",
        name: "incident-service-uncovered",
        layer: Incident,
        kinds: [Incident],
        severity: Warning,
        summary: "An incident on a critical service that has no active SLO.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for service in ctx.config.critical_services() {
        let covered = corpus.of_kind(Kind::Slo).filter_map(|d| d.slo()).any(|s| {
            s.service.as_deref() == Some(service.name.as_str()) && s.is(SloStatus::Active)
        });
        if covered {
            continue;
        }
        // The latest incident on it, by the day it started (then by id).
        let latest: Option<(&Document, crate::source::Span)> = corpus
            .of_kind(Kind::Incident)
            .filter_map(|d| {
                let i = d.incident()?;
                let (_, span) = i.services.iter().find(|(s, _)| *s == service.name)?;
                Some((i.started.map(|(m, _)| m.date()), d, *span))
            })
            .max_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)))
            .map(|(_, d, span)| (d, span));
        let Some((doc, span)) = latest else { continue };
        out.push(
            Diagnostic::new(
                &INCIDENT_SERVICE_UNCOVERED,
                doc.path(),
                span,
                format!(
                    "critical service `{}` had this incident and has no active SLO",
                    service.name
                ),
            )
            .with_help(format!(
                "`cto slo new \"{} availability\" --field service={}`, then make it active",
                service.name, service.name
            )),
        );
    }
}
