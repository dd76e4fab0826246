//! `cto incident list`: the common listing, with the incident's own filters (severity,
//! service, quarter). `new`, `status` and `report` are every kind's.

use super::{Ctx, Exit, UsageError};
use crate::check::did_you_mean;
use crate::cli::IncidentListArgs;
use crate::model::Kind;
use crate::model::kinds::incident::IncidentFilter;

pub fn list(ctx: &mut Ctx, args: &IncidentListArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let severities = &ws.config.documents.incident.severities;
    if let Some(s) = &args.severity
        && !severities.contains(s)
    {
        let hint = did_you_mean(s, severities.iter().map(String::as_str))
            .map_or(String::new(), |m| format!("; did you mean `{m}`?"));
        return Err(UsageError(format!(
            "unknown severity `{}`{hint} (severities: {})",
            crate::report::escape::visible(s),
            severities.join(", ")
        ))
        .into());
    }
    let filter = IncidentFilter {
        severity: args.severity.clone(),
        service: args.service.clone(),
        quarter: args.quarter,
    };
    super::documents::list(ctx, &ws, Kind::Incident, &args.list, &|d| {
        d.incident().is_some_and(|i| filter.keeps(i))
    })
}
