//! CTO507 unknown-service: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule, did_you_mean};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That, when `cto.yaml` lists `services`, every SLO's `service` is one of them (with a
    /// "did you mean" for near misses).
    ///
    /// ## Why
    /// A misspelt service name means the critical-service check does not see the SLO.
    ///
    /// ## Example
    /// ```yaml
    /// service: chekout
    /// ```
    ///
    /// ## How to fix
    /// Correct the name, or add the service to `services` in `cto.yaml`.
    pub static UNKNOWN_SERVICE = {
        code: "CTO507",
        name: "unknown-service",
        layer: Slo,
        kinds: [Slo],
        severity: Warning,
        summary: "An SLO names a service that cto.yaml does not list.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let services = &ctx.config.services;
    if services.is_empty() {
        return;
    }
    for doc in &corpus.documents {
        let Some(service) = doc.slo().and_then(|s| s.service.as_ref()) else {
            continue;
        };
        if services.iter().any(|s| &s.name == service) {
            continue;
        }
        let d = Diagnostic::new(
            &UNKNOWN_SERVICE,
            doc.path(),
            doc.meta_span(&["service"]),
            format!("service `{service}` is not listed in cto.yaml"),
        );
        out.push(
            match did_you_mean(service, services.iter().map(|s| s.name.as_str())) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("add it to `services` in cto.yaml"),
            },
        );
    }
}
