//! CTO606 repeated-incidents: the rule, its page and its check.

use crate::check::Context;
use crate::check::incidents::streaks;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That a service with three or more incidents within 90 days (by the day each started)
    /// has reliability work planned: a roadmap item of type `debt`, `platform` or
    /// `migration`, not dropped and not shipped before the first of them, that is linked to
    /// the service (its `tags` name it) or to the incidents (it lists one in `links`, or one
    /// of them links to it or has an action item linked to it). Otherwise the latest such run
    /// of incidents is an escalation, reported at the latest incident's service.
    /// `incident.repeated` in `cto.yaml` sets the count and the days:
    /// `repeated: { count: 3, within: 90d }`.
    ///
    /// ## Why
    /// "Repeated incidents indicate systemic reliability debt without time allocated" is one
    /// of the escalation triggers of a CTO's standards: fixing each incident on its own does
    /// not pay the debt that causes them.
    ///
    /// ## Example
    /// Three incidents on `checkout` in August and September, and no roadmap item of type
    /// `debt`, `platform` or `migration` tagged `checkout` or linked to them.
    ///
    /// ## How to fix
    /// Plan the work: `cto roadmap new "Checkout connection pooling" --field type=debt
    /// --field tags=[checkout]`, link the incidents in its `links`, and give it a quarter.
    pub static REPEATED_INCIDENTS = {
        code: "CTO606",
        name: "repeated-incidents",
        layer: Incident,
        kinds: [Incident],
        severity: Warning,
        summary: "Repeated incidents on one service and no reliability work planned for it (an escalation).",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = &ctx.config.documents.incident;
    for streak in streaks(corpus, ctx) {
        let Some(why) = streak.escalation(policy) else {
            continue;
        };
        let Some(last) = streak.incidents.last() else {
            continue;
        };
        let span = last
            .incident()
            .and_then(|i| i.services.iter().find(|(s, _)| *s == streak.service))
            .map_or_else(|| last.meta_span(&["services"]), |(_, span)| *span);
        out.push(
            Diagnostic::new(&REPEATED_INCIDENTS, last.path(), span, why).with_help(format!(
                "plan the reliability work: a roadmap item of type debt, platform or migration tagged `{}` or linking {}",
                streak.service,
                streak.ids().join(", ")
            )),
        );
    }
}
