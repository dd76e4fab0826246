//! CTO605 incident-service-unknown: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule, did_you_mean};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That, when `cto.yaml` lists `services`, every service an incident names in `services`
    /// is one of them (with a "did you mean" for near misses).
    ///
    /// ## Why
    /// Incidents are counted per service: a misspelt name splits one service's history in
    /// two, and repeated incidents on it go unseen.
    ///
    /// ## Example
    /// ```yaml
    /// services: [chekout]
    /// ```
    ///
    /// ## How to fix
    /// Correct the name, or add the service to `services` in `cto.yaml`.
    pub static INCIDENT_SERVICE_UNKNOWN = {
        code: "CTO605",
        name: "incident-service-unknown",
        layer: Incident,
        kinds: [Incident],
        severity: Warning,
        summary: "An incident names a service that cto.yaml does not list.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let services = &ctx.config.services;
    if services.is_empty() {
        return;
    }
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        for (name, span) in &i.services {
            if services.iter().any(|s| &s.name == name) {
                continue;
            }
            let d = Diagnostic::new(
                &INCIDENT_SERVICE_UNKNOWN,
                doc.path(),
                *span,
                format!("service `{name}` is not listed in cto.yaml"),
            );
            out.push(
                match did_you_mean(name, services.iter().map(|s| s.name.as_str())) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("add it to `services` in cto.yaml"),
                },
            );
        }
    }
}
