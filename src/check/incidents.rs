//! What the incident rules and the incident report share: when a postmortem is due,
//! when an action item is late, and which services have repeated incidents without
//! reliability work planned.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};

use super::Context;
use crate::model::{
    ActionItem, Corpus, Document, IncidentFields, IncidentPolicy, IncidentStatus, ItemType, Kind,
    RoadmapStatus,
};

/// The day `business_days` working days (Monday to Friday, not one of `holidays`)
/// after `from`.
pub fn add_business_days(
    from: Date,
    business_days: i64,
    holidays: &BTreeSet<Date>,
) -> Option<Date> {
    let mut day = from;
    let mut left = business_days;
    while left > 0 {
        day = day.tomorrow().ok()?;
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !holidays.contains(&day)
        {
            left -= 1;
        }
    }
    Some(day)
}

/// When the postmortem of an incident is due, if its severity needs one and it is
/// resolved (with a `resolved` time) but not yet `postmortem-complete`.
pub fn postmortem_due(i: &IncidentFields, policy: &IncidentPolicy) -> Option<Date> {
    if i.is(IncidentStatus::PostmortemComplete) || !policy.needs_postmortem(i.severity.as_deref()?)
    {
        return None;
    }
    let (resolved, _) = i.resolved?;
    add_business_days(resolved.date(), policy.postmortem_within, &policy.holidays)
}

/// An action item not done whose due date has passed.
pub fn is_overdue(item: &ActionItem, today: Date) -> bool {
    !item.done && item.due.is_some_and(|(due, _)| due < today)
}

/// Incidents on one service close together: `count` or more within the configured days.
#[derive(Debug, Clone)]
pub struct Streak<'a> {
    pub service: String,
    /// In the order they started.
    pub incidents: Vec<&'a Document>,
    pub first: Date,
    pub last: Date,
    /// Open reliability work (debt, platform or migration roadmap items) linked to the
    /// service or to these incidents: none makes the streak an escalation.
    pub planned: Vec<String>,
}

impl Streak<'_> {
    pub fn ids(&self) -> Vec<String> {
        self.incidents.iter().filter_map(|d| d.id.clone()).collect()
    }

    /// Why the streak is an escalation, if it is one.
    pub fn escalation(&self, policy: &IncidentPolicy) -> Option<String> {
        self.planned.is_empty().then(|| {
            format!(
                "{} incidents on `{}` within {} days ({}) and no open debt, platform or migration roadmap item linked to the service or to them",
                self.incidents.len(),
                self.service,
                policy.repeated_within,
                self.ids().join(", ")
            )
        })
    }
}

/// For each service, its latest streak of repeated incidents (services in name order).
pub fn streaks<'a>(corpus: &'a Corpus, ctx: &Context) -> Vec<Streak<'a>> {
    let policy = &ctx.config.documents.incident;
    let mut by_service: BTreeMap<&str, Vec<(Date, &Document)>> = BTreeMap::new();
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        let Some((started, _)) = i.started else {
            continue;
        };
        for (service, _) in &i.services {
            by_service
                .entry(service.as_str())
                .or_default()
                .push((started.date(), doc));
        }
    }
    let mut out = Vec::new();
    for (service, mut list) in by_service {
        list.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        list.dedup_by(|a, b| std::ptr::eq(a.1, b.1));
        // The latest window of at most `within` days holding `count` or more incidents.
        let mut found = None;
        let mut start = 0;
        for end in 0..list.len() {
            while (list[end].0 - list[start].0).get_days() > policy.repeated_within as i32 {
                start += 1;
            }
            if end + 1 - start >= policy.repeated_count.max(1) {
                found = Some((start, end));
            }
        }
        let Some((start, end)) = found else { continue };
        let window: Vec<&Document> = list[start..=end].iter().map(|(_, d)| *d).collect();
        let first = list[start].0;
        out.push(Streak {
            service: service.to_string(),
            planned: planned_work(corpus, service, &window, first),
            incidents: window,
            first,
            last: list[end].0,
        });
    }
    out
}

/// Debt, platform and migration roadmap items linked to the service (by a tag) or to the
/// incidents (either way), still open or shipped since the streak began.
fn planned_work(
    corpus: &Corpus,
    service: &str,
    incidents: &[&Document],
    since: Date,
) -> Vec<String> {
    let ids: Vec<&str> = incidents.iter().filter_map(|d| d.id.as_deref()).collect();
    let named_by_incidents: Vec<&str> = incidents
        .iter()
        .flat_map(|d| {
            d.links
                .iter()
                .chain(
                    d.incident()
                        .into_iter()
                        .flat_map(|i| i.action_items.iter().filter_map(|a| a.link.as_ref())),
                )
                .map(|r| r.id.as_str())
        })
        .collect();
    corpus
        .of_kind(Kind::Roadmap)
        .filter_map(|d| Some((d, d.roadmap()?)))
        .filter(|(_, item)| {
            matches!(
                item.item_type,
                Some(ItemType::Debt | ItemType::Platform | ItemType::Migration)
            )
        })
        .filter(|(_, item)| {
            item.is_open()
                || (item.is(RoadmapStatus::Shipped) && item.shipped.is_some_and(|s| s >= since))
        })
        .filter(|(d, item)| {
            item.tags.iter().any(|t| t == service)
                || d.links.iter().any(|r| ids.contains(&r.id.as_str()))
                || d.id
                    .as_deref()
                    .is_some_and(|id| named_by_incidents.contains(&id))
        })
        .filter_map(|(d, _)| d.id.clone())
        .collect()
}

/// Median and 90th percentile (nearest rank) of some durations in seconds.
pub fn median_p90(values: &[i64]) -> Option<(i64, i64)> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = |p: usize| {
        // Nearest rank: the smallest value with at least p% of values at or below it.
        let n = v.len();
        let k = (p * n).div_ceil(100).max(1);
        v[k - 1]
    };
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        // Whole seconds: the mean of the two middle values, rounded down.
        (v[n / 2 - 1] + v[n / 2]).div_euclid(2)
    };
    Some((median, rank(90)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-20 is a Friday.
        let friday = jiff::civil::date(2026, 11, 20);
        let none = BTreeSet::new();
        assert_eq!(
            add_business_days(friday, 1, &none),
            Some(jiff::civil::date(2026, 11, 23))
        );
        assert_eq!(
            add_business_days(friday, 5, &none),
            Some(jiff::civil::date(2026, 11, 27))
        );
        assert_eq!(add_business_days(friday, 0, &none), Some(friday));
        let saturday = jiff::civil::date(2026, 11, 21);
        assert_eq!(
            add_business_days(saturday, 1, &none),
            Some(jiff::civil::date(2026, 11, 23))
        );
        assert_eq!(add_business_days(jiff::civil::Date::MAX, 1, &none), None);
    }

    #[test]
    fn business_days_skip_holidays() {
        // Thursday 2026-12-24; Christmas and Boxing Day off, then a weekend.
        let thursday = jiff::civil::date(2026, 12, 24);
        let holidays: BTreeSet<Date> = [jiff::civil::date(2026, 12, 25)].into();
        assert_eq!(
            add_business_days(thursday, 1, &holidays),
            Some(jiff::civil::date(2026, 12, 28)),
            "Friday the 25th is a holiday, then the weekend"
        );
        assert_eq!(
            add_business_days(thursday, 5, &holidays),
            Some(jiff::civil::date(2027, 1, 1))
        );
        let more: BTreeSet<Date> = [
            jiff::civil::date(2026, 12, 25),
            jiff::civil::date(2027, 1, 1),
        ]
        .into();
        assert_eq!(
            add_business_days(thursday, 5, &more),
            Some(jiff::civil::date(2027, 1, 4))
        );
    }

    #[test]
    fn medians_and_p90() {
        assert_eq!(median_p90(&[]), None);
        assert_eq!(median_p90(&[60]), Some((60, 60)));
        assert_eq!(median_p90(&[30, 10, 20]), Some((20, 30)));
        assert_eq!(median_p90(&[10, 20, 30, 40]), Some((25, 40)));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(median_p90(&ten), Some((5, 9)));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(median_p90(&eleven), Some((6, 10)));
    }
}
