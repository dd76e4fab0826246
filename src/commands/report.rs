//! `cto <kind> report` and `cto report`: views of the corpus, handed to a formatter.

use serde_json::json;

use super::{Ctx, Exit, UsageError, load_corpus, today};
use crate::check::{self, Severity};
use crate::cli::{GraphFormat, OverallFormat, ReportFormat};
use crate::model::{Corpus, Kind};
use crate::report::{csv, escape, json, markdown, table};
use crate::views::{self, ReportView};
use crate::workspace::Workspace;

fn view_of(kind: Kind, corpus: &Corpus, ctx: &check::Context) -> ReportView {
    match kind {
        Kind::Adr => views::adrs::view(corpus),
        Kind::Risk => views::risks::view(corpus, ctx),
        Kind::Roadmap => views::roadmap::view(corpus, ctx),
        Kind::Slo => views::slos::view(corpus, ctx),
    }
}

pub fn kind_report(
    ctx: &mut Ctx,
    ws: &Workspace,
    kind: Kind,
    format: ReportFormat,
) -> anyhow::Result<Exit> {
    let (corpus, _) = load_corpus(ws, &[]);
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: today(),
    };
    let view = view_of(kind, &corpus, &check_ctx);
    match format {
        ReportFormat::Table => table::render_view(ctx.out, &view)?,
        ReportFormat::Md => markdown::render_view(ctx.out, &view, 1)?,
        ReportFormat::Json => json::write_value(ctx.out, &view.json())?,
        ReportFormat::Mermaid => {
            if kind != Kind::Roadmap {
                return Err(UsageError(
                    "--format mermaid is the roadmap's gantt; for ADRs use `cto adr graph`".into(),
                )
                .into());
            }
            write!(ctx.out, "{}", views::graph::gantt(&corpus))?;
        }
        ReportFormat::Csv => {
            let header: Vec<&str> = view.csv.header.iter().map(String::as_str).collect();
            csv::render(ctx.out, &header, &view.csv.rows)?;
        }
    }
    Ok(Exit::Success)
}

pub fn graph(
    ctx: &mut Ctx,
    ws: &Workspace,
    kind: Kind,
    format: GraphFormat,
) -> anyhow::Result<Exit> {
    if kind != Kind::Adr {
        return Err(UsageError("`graph` draws the decision graph: `cto adr graph`".into()).into());
    }
    let (corpus, _) = load_corpus(ws, &[]);
    let text = match format {
        GraphFormat::Mermaid => views::graph::mermaid(&corpus),
        GraphFormat::Dot => views::graph::dot(&corpus),
    };
    write!(ctx.out, "{text}")?;
    Ok(Exit::Success)
}

pub fn toc(ctx: &mut Ctx, ws: &Workspace, kind: Kind) -> anyhow::Result<Exit> {
    if kind != Kind::Adr {
        return Err(UsageError("`toc` indexes ADRs: `cto adr toc`".into()).into());
    }
    let (corpus, _) = load_corpus(ws, &[]);
    write!(ctx.out, "{}", views::graph::toc(&corpus, ws.dir(Kind::Adr)))?;
    Ok(Exit::Success)
}

/// One page over every kind: counts and lint health first, then each kind's report.
pub fn overall(ctx: &mut Ctx, format: OverallFormat) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let (corpus, _) = load_corpus(&ws, &[]);
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: today(),
    };
    let diagnostics = check::run(&corpus, &check_ctx);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let kinds = [Kind::Adr, Kind::Risk, Kind::Slo, Kind::Roadmap];
    let counts: Vec<(Kind, usize)> = kinds
        .iter()
        .map(|k| (*k, corpus.of_kind(*k).count()))
        .collect();
    let views: Vec<(Kind, ReportView)> = kinds
        .iter()
        .map(|k| (*k, view_of(*k, &corpus, &check_ctx)))
        .collect();
    match format {
        OverallFormat::Json => {
            let mut obj = serde_json::Map::new();
            obj.insert(
                "summary".into(),
                json!({
                    "date": check_ctx.today.to_string(),
                    "documents": counts.iter().map(|(k, n)| (k.spec().plural.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                    "lint": {"errors": errors, "warnings": warnings},
                }),
            );
            for (k, v) in &views {
                obj.insert(k.spec().plural.to_string(), v.json());
            }
            json::write_value(ctx.out, &obj)?;
        }
        OverallFormat::Html => {
            let dashboard = views::dashboard::build(&corpus, &check_ctx);
            crate::report::html::render(ctx.out, &dashboard)?;
        }
        OverallFormat::Md => {
            writeln!(ctx.out, "# Engineering leadership report\n")?;
            writeln!(ctx.out, "As of {}.\n", check_ctx.today)?;
            let summary = views::TableView::new(
                &["documents", "count"],
                counts
                    .iter()
                    .map(|(k, n)| vec![k.spec().plural.to_string(), n.to_string()])
                    .collect(),
            );
            markdown::table(ctx.out, &summary)?;
            writeln!(
                ctx.out,
                "Lint: {errors} errors, {warnings} warnings (`cto lint` lists them).\n"
            )?;
            let dashboard = views::dashboard::build(&corpus, &check_ctx);
            writeln!(ctx.out, "## Needs attention\n")?;
            if dashboard.attention.is_empty() {
                writeln!(
                    ctx.out,
                    "Nothing: no escalations, no overdue reviews, no expiring acceptances, every critical service covered.\n"
                )?;
            }
            for a in &dashboard.attention {
                let id = if a.id.is_empty() {
                    String::new()
                } else {
                    format!("**{}** ", escape::markdown(&a.id))
                };
                writeln!(
                    ctx.out,
                    "- {}: {id}{}",
                    a.category,
                    escape::markdown(&a.what)
                )?;
            }
            writeln!(ctx.out)?;
            for (kind, v) in &views {
                markdown::render_view(ctx.out, v, 2)?;
                match kind {
                    Kind::Adr => writeln!(
                        ctx.out,
                        "### Decision graph\n\n```mermaid\n{}```\n",
                        views::graph::mermaid(&corpus)
                    )?,
                    Kind::Roadmap => writeln!(
                        ctx.out,
                        "### Timeline\n\n```mermaid\n{}```\n",
                        views::graph::gantt(&corpus)
                    )?,
                    _ => {}
                }
            }
        }
    }
    Ok(Exit::Success)
}
