//! `cto slo export`: the SLOs of the repository in another tool's format.

use super::super::{Ctx, Exit, UsageError, load_corpus};
use crate::cli::{ExportArgs, ExportTarget};
use crate::model::SloStatus;
use crate::model::{Document, Kind, SloFields};
use crate::report::escape::visible;

/// The SLOs to export: not retired, and with what every format needs.
fn exported<'a>(
    ctx: &mut Ctx,
    docs: &[&'a Document],
) -> anyhow::Result<Vec<(&'a Document, &'a SloFields)>> {
    let mut out = Vec::new();
    for d in docs {
        let Some(s) = d.slo() else { continue };
        if s.is(SloStatus::Retired) {
            continue;
        }
        if s.objective.is_none()
            || s.window_seconds().is_none()
            || s.sli.is_none()
            || s.service.is_none()
        {
            writeln!(
                ctx.err,
                "note: {}: skipped (needs service, objective, window and sli; see `cto lint`)",
                visible(d.path())
            )?;
            continue;
        }
        out.push((*d, s));
    }
    Ok(out)
}

pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let (corpus, _) = load_corpus(&ws, &[]);
    let all = corpus.sorted(Kind::Slo);
    let docs: Vec<&Document> = all
        .iter()
        .copied()
        .filter(|d| {
            args.service.is_none()
                || d.slo().and_then(|s| s.service.as_ref()) == args.service.as_ref()
        })
        .collect();
    if let Some(service) = &args.service
        && docs.is_empty()
    {
        let mut known: Vec<&str> = all
            .iter()
            .filter_map(|d| d.slo()?.service.as_deref())
            .collect();
        known.sort();
        known.dedup();
        return Err(UsageError(format!(
            "no SLO of service `{}`{}",
            visible(service),
            if known.is_empty() {
                String::new()
            } else {
                format!("; the services with SLOs: {}", visible(&known.join(", ")))
            }
        ))
        .into());
    }
    let slos = exported(ctx, &docs)?;
    let (text, count) = match args.to {
        ExportTarget::Openslo => super::openslo::export(ctx.err, &slos)?,
        ExportTarget::Sloth => super::sloth::export(ctx.err, &slos, &ws.config)?,
        ExportTarget::Prometheus => super::rules::export(ctx.err, &slos, &ws.config)?,
        ExportTarget::Pyrra => super::pyrra::export(ctx.err, &slos)?,
    };
    if count == 0 {
        writeln!(ctx.err, "error: no SLO could be exported")?;
        return Ok(Exit::Failure);
    }
    write!(ctx.out, "{text}")?;
    Ok(Exit::Success)
}
