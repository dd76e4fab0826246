//! `cto <kind> report` and `cto report`: typed reports of the corpus, handed to a
//! formatter. `cto report` lints once and builds each kind's report once.

use std::io::{BufWriter, Write};

use std::sync::Arc;

use serde::Serialize;

use super::slo::live;
use super::{Ctx, Exit, UsageError, load_corpus, today};
use crate::check;
use crate::cli::{GraphFormat, OverallFormat, OverallReportArgs, ReportFormat};
use crate::model::{Corpus, Kind};
use crate::report::{csv, dot, escape, json, markdown, mermaid, table};
use crate::views::dashboard::{self, LintCounts, LiveSource, Observed};
use crate::views::{self, Report, Reports};
use crate::workspace::Workspace;

/// One kind's report in the format asked for, written in large blocks.
fn render(ctx: &mut Ctx, report: &impl Report, format: ReportFormat) -> anyhow::Result<()> {
    let mut out = BufWriter::new(&mut *ctx.out);
    match format {
        ReportFormat::Table => table::render_view(&mut out, report)?,
        ReportFormat::Md => markdown::render_view(&mut out, report, 1)?,
        ReportFormat::Json => json::write_value(&mut out, report)?,
        ReportFormat::Csv => csv::render_table(&mut out, &report.csv())?,
        // The gantt is drawn from the corpus, not from the report (see `kind_report`).
        ReportFormat::Mermaid => {}
    }
    out.flush()?;
    Ok(())
}

pub fn kind_report(
    ctx: &mut Ctx,
    ws: &Workspace,
    kind: Kind,
    format: ReportFormat,
) -> anyhow::Result<Exit> {
    if format == ReportFormat::Mermaid && kind != Kind::Roadmap {
        return Err(UsageError(
            "--format mermaid is the roadmap's gantt; for ADRs use `cto adr graph`".into(),
        )
        .into());
    }
    let corpus = ctx.corpus(ws);
    if format == ReportFormat::Mermaid {
        write!(ctx.out, "{}", mermaid::gantt(&views::graph::gantt(&corpus)))?;
        return Ok(Exit::Success);
    }
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: today(),
    };
    match kind {
        Kind::Adr => render(ctx, &views::adrs::report(&corpus), format)?,
        Kind::Risk => render(ctx, &views::risks::report(&corpus, &check_ctx), format)?,
        Kind::Slo => render(ctx, &views::slos::report(&corpus, &check_ctx), format)?,
        Kind::Roadmap => render(ctx, &views::roadmap::report(&corpus, &check_ctx), format)?,
        Kind::Incident => render(ctx, &views::incidents::report(&corpus, &check_ctx), format)?,
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
    let (nodes, edges) = views::graph::decisions(&corpus);
    let text = match format {
        GraphFormat::Mermaid => mermaid::flowchart(&nodes, &edges),
        GraphFormat::Dot => dot::decisions(&nodes, &edges),
    };
    write!(ctx.out, "{text}")?;
    Ok(Exit::Success)
}

pub fn toc(ctx: &mut Ctx, ws: &Workspace, kind: Kind) -> anyhow::Result<Exit> {
    if kind != Kind::Adr {
        return Err(UsageError("`toc` indexes ADRs: `cto adr toc`".into()).into());
    }
    let (corpus, _) = load_corpus(ws, &[]);
    let entries = views::graph::toc(&corpus, ws.dir(Kind::Adr));
    write!(ctx.out, "{}", markdown::toc(&entries))?;
    Ok(Exit::Success)
}

/// `cto report --format json`: the date, counts and lint health, then each kind's report.
#[derive(Serialize)]
struct Overall<'a> {
    summary: OverallSummary,
    #[serde(flatten)]
    reports: &'a Reports,
    /// `cto slo status --format json`'s array, when a Prometheus was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    live: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct OverallSummary {
    date: String,
    /// Plural kind name → how many documents.
    documents: std::collections::BTreeMap<&'static str, usize>,
    lint: LintCounts,
}

/// One page over every kind: counts and lint health first, then each kind's report; with
/// a Prometheus, each active SLO's budget spent (exit 2 when one could not be measured:
/// the page is written all the same, saying why).
pub fn overall(ctx: &mut Ctx, args: &OverallReportArgs) -> anyhow::Result<Exit> {
    let format = args.format;
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let check_ctx = check::Context {
        config: &ws.config,
        root: &ws.root,
        today: today(),
    };
    let (corpus, lint) = match ctx.held(&ws) {
        Some(store) => (store.corpus(), LintCounts::of(&store.lint())),
        None => {
            let (corpus, _) = load_corpus(&ws, &[]);
            let lint = LintCounts::of(&check::run(&corpus, &check_ctx));
            (Arc::new(corpus), lint)
        }
    };
    let reports = Reports::build(&corpus, &check_ctx);
    let counts: Vec<(&'static str, usize)> = Kind::ALL
        .iter()
        .map(|k| (k.spec().plural, corpus.of_kind(*k).count()))
        .collect();
    let slos = corpus.sorted(Kind::Slo);
    let (measured, source) = if live::prometheus_url(&ws, &args.live).is_some() {
        live::measure_at(&ws, &slos, &args.live)?
    } else {
        (Vec::new(), LiveSource::None)
    };
    let exit = match source {
        LiveSource::None => Exit::Success,
        LiveSource::Prometheus { .. } => live::live_exit(&measured),
    };
    match format {
        OverallFormat::Json => json::write_value(
            ctx.out,
            &Overall {
                summary: OverallSummary {
                    date: check_ctx.today.to_string(),
                    documents: counts.iter().copied().collect(),
                    lint,
                },
                reports: &reports,
                live: (source != LiveSource::None).then(|| live::render_json(&measured)),
            },
        )?,
        OverallFormat::Html => {
            let docs: Vec<&crate::model::Document> =
                Kind::ALL.iter().flat_map(|k| corpus.of_kind(*k)).collect();
            let changed = super::changes::last_changes(ctx, &ws, &docs)?
                .into_iter()
                .filter_map(|(path, c)| Some((corpus.at_path(&path)?.id.clone()?, c.date)))
                .collect();
            let observed = Observed {
                source: source.clone(),
                budgets: live::live_budgets(&measured),
                changed,
            };
            let page = dashboard::build(&corpus, &check_ctx, &reports, lint, &observed);
            crate::report::html::render(ctx.out, &page)?;
        }
        OverallFormat::Md => {
            markdown_page(ctx, &corpus, &check_ctx, &reports, lint, &counts, |out| {
                live::write_live_section(out, Some(3), &source, &measured)
            })?
        }
    }
    if source != LiveSource::None {
        live::tell_failures_to(ctx, &measured)?;
    }
    Ok(exit)
}

/// The dashboard of `cto report --format html`, over `corpus` with lint's counts and
/// nothing observed (no Prometheus, no git), as `cto watch --dashboard` renders it.
pub fn html_page(
    corpus: &Corpus,
    check_ctx: &check::Context,
    lint: LintCounts,
) -> anyhow::Result<Vec<u8>> {
    let reports = Reports::build(corpus, check_ctx);
    let observed = Observed::none();
    let page = dashboard::build(corpus, check_ctx, &reports, lint, &observed);
    let mut out = Vec::new();
    crate::report::html::render(&mut out, &page)?;
    Ok(out)
}

fn markdown_page(
    ctx: &mut Ctx,
    corpus: &Corpus,
    check_ctx: &check::Context,
    reports: &Reports,
    lint: LintCounts,
    counts: &[(&str, usize)],
    live: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut buffered = BufWriter::new(&mut *ctx.out);
    let out = &mut buffered;
    writeln!(out, "# Engineering leadership report\n")?;
    writeln!(out, "As of {}.\n", check_ctx.today)?;
    let summary = views::TableView::new(
        &["documents", "count"],
        counts
            .iter()
            .map(|(k, n)| vec![k.to_string(), n.to_string()])
            .collect(),
    );
    markdown::table(out, &summary)?;
    writeln!(
        out,
        "Lint: {} errors, {} warnings (`cto lint` lists them).\n",
        lint.errors, lint.warnings
    )?;
    writeln!(out, "## Needs attention\n")?;
    let attention = dashboard::attention(reports, lint);
    if attention.is_empty() {
        writeln!(
            out,
            "Nothing: no escalations, no overdue reviews, no expiring acceptances, every critical service covered.\n"
        )?;
    }
    for a in &attention {
        let id = if a.id.is_empty() {
            String::new()
        } else {
            format!("**{}** ", escape::markdown(&a.id))
        };
        writeln!(
            out,
            "- {}: {id}{}",
            a.category.as_str(),
            escape::markdown(&a.what)
        )?;
    }
    writeln!(out)?;
    markdown::render_view(out, &reports.adrs, 2)?;
    writeln!(out, "### Decision graph\n\n```mermaid\n{}```\n", {
        let (nodes, edges) = views::graph::decisions(corpus);
        mermaid::flowchart(&nodes, &edges)
    })?;
    markdown::render_view(out, &reports.risks, 2)?;
    markdown::render_view(out, &reports.slos, 2)?;
    live(out)?;
    writeln!(out)?;
    markdown::render_view(out, &reports.roadmaps, 2)?;
    writeln!(
        out,
        "### Timeline\n\n```mermaid\n{}```\n",
        mermaid::gantt(&views::graph::gantt(corpus))
    )?;
    markdown::render_view(out, &reports.incidents, 2)?;
    buffered.flush()?;
    Ok(())
}
