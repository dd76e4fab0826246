//! CTO601 postmortem-overdue: the rule, its page and its check.

use crate::check::Context;
use crate::check::incidents::postmortem_due;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That an incident whose severity needs a postmortem (`sev1` and `sev2` by default) is
    /// `postmortem-complete` within five business days (Monday to Friday) of its `resolved`
    /// time. `incident.postmortem` in `cto.yaml` sets the severities and the days:
    /// `postmortem: { severities: [sev1, sev2], within: 5 }`; `incident.holidays` lists the
    /// days that are not business days besides weekends (`holidays: [2026-12-25,
    /// 2027-01-01]`, each a `YYYY-MM-DD` date; a value that is not one is an error in
    /// cto.yaml). An incident without a `resolved` time has no deadline here (CTO609
    /// flags a resolved one).
    ///
    /// ## Why
    /// A postmortem written weeks later remembers less and changes nothing: the action items
    /// that would prevent the next incident are decided while it is fresh.
    ///
    /// ## Example
    /// ```yaml
    /// severity: sev1
    /// status: resolved
    /// resolved: 2026-10-02T16:40:00+02:00
    /// ```
    /// on 2026-10-20.
    ///
    /// ## How to fix
    /// Hold the postmortem, write its sections and action items, then
    /// `cto incident status N postmortem-complete`.
    pub static POSTMORTEM_OVERDUE = {
        code: "CTO601",
        name: "postmortem-overdue",
        layer: Incident,
        kinds: [Incident],
        severity: Warning,
        summary: "A sev1/sev2 incident resolved more than N business days ago has no completed postmortem.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = &ctx.config.documents.incident;
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        let Some(due) = postmortem_due(i, policy) else {
            continue;
        };
        if due >= ctx.today {
            continue;
        }
        let days = (ctx.today - due).get_days();
        out.push(
            Diagnostic::new(
                &POSTMORTEM_OVERDUE,
                doc.path(),
                doc.meta_span(&["status"]),
                format!(
                    "the postmortem of this {} incident was due on {due} ({} business days after it was resolved; {days} days ago)",
                    i.severity.as_deref().unwrap_or(""),
                    policy.postmortem_within
                ),
            )
            .with_help(format!(
                "write the postmortem, then `cto incident status {} postmortem-complete`",
                doc.id.as_deref().unwrap_or("N")
            )),
        );
    }
}
