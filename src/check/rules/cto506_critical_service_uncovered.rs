//! CTO506 critical-service-uncovered: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::check::slo::covers;
use crate::config;
use crate::model::{Document, Kind, SloFields};

declare_rule! {
    /// ## What it checks
    /// That every service listed in `cto.yaml` with `tier: critical` is the `service` of at
    /// least one SLO that is `active`, alerts (page or ticket), and names a runbook. The finding
    /// points at the service in `cto.yaml`.
    ///
    /// ## Why
    /// "Confirm SLOs exist for critical services" is a standing request of every leadership
    /// review; this rule makes it a check that runs on every commit.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   - { name: payments, tier: critical }
    /// ```
    /// with no SLO whose `service` is `payments`.
    ///
    /// ## How to fix
    /// `cto slo new "Payments availability" --field service=payments`, fill it in, and make it
    /// active.
    pub static CRITICAL_SERVICE_UNCOVERED = {
        code: "CTO506",
        name: "critical-service-uncovered",
        layer: Slo,
        kinds: [Slo],
        severity: Error,
        summary: "A critical service in cto.yaml has no active SLO with alerting and a runbook.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for service in ctx.config.critical_services() {
        let slos: Vec<(&Document, &SloFields)> = corpus
            .of_kind(Kind::Slo)
            .filter_map(|d| Some((d, d.slo()?)))
            .filter(|(_, s)| s.service.as_deref() == Some(service.name.as_str()))
            .collect();
        if slos.iter().any(|(_, s)| covers(s)) {
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
                config::FILE_NAME,
                service.span,
                msg,
            )
            .with_help(help),
        );
    }
}
