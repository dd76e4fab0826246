//! `cto slo status` (a status change, or each active SLO measured by Prometheus) and
//! `cto slo report` with the budget spent so far.

use super::super::documents::Action;
use super::super::{Ctx, Exit, load_corpus};
use super::live::*;
use crate::cli::{LiveFormat, ReportFormat, SloReportArgs, SloStatusArgs, StatusArgs};
use crate::model::Kind;
use crate::views::dashboard::LiveSource;

pub fn status(ctx: &mut Ctx, args: &SloStatusArgs) -> anyhow::Result<Exit> {
    if let (Some(id), Some(status)) = (&args.id, &args.status) {
        let change = StatusArgs {
            id: id.clone(),
            status: status.clone(),
            force: args.force,
        };
        return super::super::documents::run(ctx, Kind::Slo, Action::Status(&change));
    }
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let (corpus, _) = load_corpus(&ws, &[]);
    let docs = of_service(corpus.sorted(Kind::Slo), args.service.as_ref())?;
    let measured = measure(&ws, &docs, &args.live)?;
    if measured.is_empty() && !ctx.quiet {
        writeln!(ctx.err, "no active SLO to measure")?;
    }
    match args.format {
        LiveFormat::Json => {
            writeln!(ctx.out, "{}", json_text(&measured)?)?;
            tell_failures(ctx, &measured)?;
        }
        LiveFormat::Table => {
            render_text(ctx.out, &measured)?;
            if measured.iter().any(|m| m.result.is_err()) {
                writeln!(ctx.err, "error: some SLOs could not be measured")?;
            }
        }
    }
    Ok(exit_of(&measured))
}

pub fn report(ctx: &mut Ctx, args: &SloReportArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let live_wanted = prometheus_url(&ws, &args.live).is_some();
    if !live_wanted {
        let exit = super::super::documents::run(ctx, Kind::Slo, Action::Report(args.format))?;
        // Said plainly: the report has no budget spent, and why.
        if exit == Exit::Success && matches!(args.format, ReportFormat::Table | ReportFormat::Md) {
            write_live_section(ctx.out, md_level(args.format), &LiveSource::None, &[])?;
        }
        return Ok(exit);
    }
    // The report as it is, then the budget spent, measured.
    let mut buffer = Vec::new();
    let exit = {
        let mut inner = Ctx {
            out: &mut buffer,
            err: &mut *ctx.err,
            cwd: ctx.cwd.clone(),
            color: ctx.color,
            quiet: ctx.quiet,
            verbose: ctx.verbose,
            store: ctx.store,
        };
        super::super::documents::run(&mut inner, Kind::Slo, Action::Report(args.format))?
    };
    if exit != Exit::Success {
        ctx.out.write_all(&buffer)?;
        return Ok(exit);
    }
    let (corpus, _) = load_corpus(&ws, &[]);
    let docs = corpus.sorted(Kind::Slo);
    let (measured, source) = measure_at(&ws, &docs, &args.live)?;
    match args.format {
        ReportFormat::Json => {
            let mut report: serde_json::Value = serde_json::from_slice(&buffer)?;
            if let Some(map) = report.as_object_mut() {
                map.insert("live".into(), render_json(&measured));
            }
            crate::report::json::write_value(ctx.out, &report)?;
        }
        ReportFormat::Table | ReportFormat::Md => {
            ctx.out.write_all(&buffer)?;
            write_live_section(ctx.out, md_level(args.format), &source, &measured)?;
        }
        ReportFormat::Csv | ReportFormat::Mermaid => {
            ctx.out.write_all(&buffer)?;
            writeln!(
                ctx.err,
                "note: the live budget is shown in table, md and json"
            )?;
        }
    }
    tell_failures(ctx, &measured)?;
    Ok(live_exit(&measured))
}

/// The heading level of the live section in `cto slo report --format md` (under the
/// report's `#`), `None` for text.
fn md_level(format: ReportFormat) -> Option<usize> {
    (format == ReportFormat::Md).then_some(2)
}
