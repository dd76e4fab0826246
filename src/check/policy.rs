//! The CTO's standards that rules and reports share: when a risk is live, when its
//! review is due, what makes it an escalation.

use super::Context;
use super::body::section_has_text;
use crate::model::{Document, RiskFields, RiskLevel, RiskStatus, Treatment};

/// "needs a `## X` section" or "has an empty `## X` section".
pub fn section_problem(doc: &Document, section: &str, who: &str) -> String {
    if doc.body.section(section).is_some() {
        format!("the `## {section}` section of {who} is empty")
    } else {
        format!("{who} needs a `## {section}` section")
    }
}

/// Statuses in which a risk is still live (reviewed, reported).
pub fn risk_is_live(doc: &Document) -> bool {
    doc.risk().is_none_or(RiskFields::is_live)
}

/// When the next review of a live risk is due.
pub fn review_due(risk: &RiskFields, ctx: &Context) -> Option<jiff::civil::Date> {
    if let Some((next, _)) = risk.review_next {
        return Some(next);
    }
    let from = risk.review_last.or(risk.identified)?;
    // Checked twice: a cadence beyond jiff's spans or a date beyond its calendar is no
    // due date, never a panic (cto.yaml refuses cadences over 100 years anyway).
    let every = jiff::Span::new()
        .try_days(ctx.config.review_every_days)
        .ok()?;
    from.checked_add(every).ok()
}

/// Why a risk is an escalation, if it is one.
pub fn escalation(doc: &Document, risk: &RiskFields, ctx: &Context) -> Option<String> {
    let score = risk.score()?;
    let level = ctx.config.bands.level(score);
    let serious = matches!(level, RiskLevel::High | RiskLevel::Critical)
        && matches!(
            risk.category.as_deref(),
            Some("security" | "reliability" | "compliance")
        )
        && matches!(risk.status, Some(RiskStatus::Open | RiskStatus::Mitigating));
    if !serious {
        return None;
    }
    let plan = match risk.treatment {
        None => false,
        Some(Treatment::Mitigate) => section_has_text(doc, "Mitigation"),
        Some(_) => true,
    };
    let funded = doc.links.iter().any(|r| r.id.starts_with("RM-"));
    let missing = match (plan, funded) {
        (true, true) => return None,
        (false, true) => "no treatment plan",
        (true, false) => "no linked roadmap item",
        (false, false) => "no treatment plan and no linked roadmap item",
    };
    Some(format!(
        "{level} {} risk (score {score}) has {missing}",
        risk.category.as_deref().unwrap_or("")
    ))
}
