//! The command line, as clap derive types only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "cto",
    version,
    about = "Scaffold, validate and report on ADRs, risks, SLOs and roadmap items",
    propagate_version = true
)]
pub struct Cli {
    /// Run as if started in DIR (the repository is found from there).
    #[arg(short = 'C', long = "repo", global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// When to use colour (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only what is asked for (no closing summary).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Say more about what is being done.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write cto.yaml, the document directories and ADR 0001 (never overwrites).
    Init,
    /// Validate documents: all of them, or the files and directories given.
    Lint(LintArgs),
    /// The rule catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One rule's page: what it checks, why, an example, how to fix.
    Explain {
        /// A rule code, e.g. CTO104.
        code: String,
    },
    /// Architecture decision records.
    #[command(visible_alias = "adrs")]
    Adr {
        #[command(subcommand)]
        command: KindCommand,
    },
    /// The risk register.
    #[command(visible_alias = "risks")]
    Risk {
        #[command(subcommand)]
        command: KindCommand,
    },
    /// Service level objectives.
    #[command(visible_alias = "slos")]
    Slo {
        #[command(subcommand)]
        command: SloCommand,
    },
    /// Roadmap items.
    #[command(visible_alias = "roadmaps")]
    Roadmap {
        #[command(subcommand)]
        command: KindCommand,
    },
    /// Git hooks.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// The JSON Schema (draft-07) of a kind's front matter, or of cto.yaml.
    Schema {
        /// adr, risk, slo, roadmap or config.
        target: SchemaTarget,
    },
    /// Shell completions, printed to standard output.
    Completions { shell: clap_complete::Shell },
    /// One report over every kind.
    Report(OverallReportArgs),
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write .git/hooks/pre-commit running `cto lint --staged` (never over a foreign hook).
    Install {
        /// Keep a foreign pre-commit hook (as pre-commit.local) and run it first.
        #[arg(long)]
        chain: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaTarget {
    Adr,
    Risk,
    Slo,
    Roadmap,
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Adr,
    Risk,
    Slo,
    Roadmap,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: every document); the rest of the repository
    /// is the context for cross-document rules.
    pub paths: Vec<PathBuf>,
    /// The kind of documents given outside the configured directories.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Lint what is staged in the git index (not the work tree), with every other staged
    /// document as context: the pre-commit hook runs this.
    #[arg(long, conflicts_with = "base")]
    pub staged: bool,
    /// Compare with a git revision: an accepted ADR whose decision changed since is an
    /// error (CTO413).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// With --base: report only documents changed since REF.
    #[arg(long, requires = "base")]
    pub changed_only: bool,
    /// Apply the safe fixes (canonical status spelling, people fields as lists, computed
    /// scores) as minimal edits, then report what is left.
    #[arg(long, conflicts_with = "staged")]
    pub fix: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Md,
    Json,
    Csv,
    /// A Mermaid gantt (roadmap).
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverallFormat {
    Md,
    Json,
    /// One self-contained HTML file (inline CSS and SVG).
    Html,
}

#[derive(Debug, Subcommand)]
pub enum KindCommand {
    /// Write a new document with the next number and print its path.
    New(NewArgs),
    /// One row per document.
    List(ListArgs),
    /// Change a document's status, checking the allowed transitions.
    Status(StatusArgs),
    /// The kind's report.
    Report(ReportArgs),
    /// ADRs: the decision graph (supersedes and links).
    Graph {
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// ADRs: an index, as a markdown list of links with status and date.
    Toc,
    /// ADRs: give an ADR a new number and fix every reference to it.
    Renumber {
        /// The ADR: a number, an id, or (when two share a number) its path.
        from: String,
        /// The new number.
        to: String,
    },
    /// ADRs: rewrite adr-tools and MADR 2 records with MADR 4 front matter (prose kept).
    Migrate {
        /// Files or directories (default: every ADR).
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Subcommand)]
pub enum SloCommand {
    /// Write a new document with the next number and print its path.
    New(NewArgs),
    /// One row per document.
    List(ListArgs),
    /// `status NAME NEW` changes an SLO's status; with no NAME, each active SLO's error
    /// budget and burn rates, measured by Prometheus (`--prometheus` or `slo.prometheus`).
    Status(SloStatusArgs),
    /// The kind's report (with `--prometheus`, the budget spent so far too).
    Report(SloReportArgs),
    /// Export SLOs as OpenSLO v1, Sloth prometheus/v1, Pyrra, or Prometheus rules.
    Export(ExportArgs),
    /// Import OpenSLO (v1, v1alpha, v2alpha), Sloth, Pyrra or slo-generator specs as SLO
    /// documents, or a Sloth AlertWindows spec as cto.yaml lines.
    Import(ImportArgs),
}

/// Where Prometheus is and when to measure.
#[derive(Debug, Clone, Args)]
pub struct PrometheusArgs {
    /// Prometheus' base URL, e.g. `http://127.0.0.1:9090` (default: `slo.prometheus` in
    /// cto.yaml).
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// Measure at this time (RFC 3339, or Unix seconds) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Seconds to wait for each answer of Prometheus (connecting: at most 5).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct SloStatusArgs {
    /// The SLO whose status to change (omit it to measure every active SLO).
    #[arg(requires = "status")]
    pub id: Option<String>,
    /// The new status, e.g. `active`.
    pub status: Option<String>,
    /// Allow a change the transitions do not allow.
    #[arg(long, requires = "id")]
    pub force: bool,
    #[command(flatten)]
    pub live: PrometheusArgs,
    /// Output of the measurement.
    #[arg(long, value_enum, default_value_t = LiveFormat::Table)]
    pub format: LiveFormat,
    /// Only the SLOs of this service.
    #[arg(long)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LiveFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct SloReportArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub live: PrometheusArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    Openslo,
    Sloth,
    Prometheus,
    Pyrra,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub to: ExportTarget,
    /// Only the SLOs of this service.
    #[arg(long)]
    pub service: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Spec files (several documents per file are fine).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Owner of SLOs whose spec names none (default: git user.name).
    #[arg(long)]
    pub owner: Option<String>,
    /// Service of SLOs whose spec names none (Pyrra has no service field).
    #[arg(long)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The title, e.g. "Use PostgreSQL for orders" or "Single cloud region".
    pub title: String,
    /// ADRs: the number or id of the ADR this one supersedes (its status is updated).
    #[arg(long, value_name = "N")]
    pub supersedes: Option<String>,
    /// The initial status (default: the kind's first, e.g. `proposed`, `open`).
    #[arg(long)]
    pub status: Option<String>,
    /// Set a front matter field: `--field likelihood=4 --field review.next=2027-01-15`.
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// Open the new file in $VISUAL or $EDITOR.
    #[arg(long)]
    pub edit: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only documents with this status.
    #[arg(long)]
    pub status: Option<String>,
    /// Only documents with this owner.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct OverallReportArgs {
    #[arg(long, value_enum, default_value_t = OverallFormat::Md)]
    pub format: OverallFormat,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// The document: `ADR-0007`, `RISK-3`, `0007` or `7`.
    pub id: String,
    /// The new status, e.g. `accepted` or `superseded by ADR-0009`.
    pub status: String,
    /// Allow a change the transitions do not allow.
    #[arg(long)]
    pub force: bool,
}
