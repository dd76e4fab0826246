//! The command line, as clap derive types only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Kind;

#[derive(Debug, Parser)]
#[command(
    name = "cto",
    version,
    about = "Scaffold, validate and report on ADRs, risks, SLOs, roadmap items and incidents",
    propagate_version = true
)]
pub struct Cli {
    /// Run as if started in DIR (the repository is found from there).
    #[arg(short = 'C', long = "repo", global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// When to use colour (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only what is asked for: no closing summary, no notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// With `lint`: say what was read (repository, configuration, documents per kind),
    /// what was in scope and how long it took, on standard error.
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
    /// Write cto.yaml, the document directories and ADR 0001 (never overwrites). In a
    /// repository that has records already, cto.yaml adopts them: their directory and
    /// the team's own statuses.
    Init {
        /// Print the cto.yaml that would be written, and what was found; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
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
        command: AdrCommand,
    },
    /// The risk register.
    #[command(visible_alias = "risks")]
    Risk {
        #[command(subcommand)]
        command: RiskCommand,
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
        command: RoadmapCommand,
    },
    /// Incidents and their postmortems.
    #[command(visible_alias = "incidents")]
    Incident {
        #[command(subcommand)]
        command: IncidentCommand,
    },
    /// Git hooks.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// The JSON Schema (draft-07) of a kind's front matter, or of cto.yaml.
    Schema {
        /// A kind, or `config`.
        target: SchemaTarget,
    },
    /// Shell completions, printed to standard output.
    Completions { shell: clap_complete::Shell },
    /// One report over every kind.
    Report(OverallReportArgs),
    /// Full-text search over every document: ids, titles, front matter and bodies,
    /// best match first.
    Search(SearchArgs),
    /// A language server for editors, over standard input and output: diagnostics,
    /// completion, go to definition, references, hover and quick fixes.
    Lsp,
    /// A Model Context Protocol server for AI assistants, over standard input and
    /// output: tools list, get, search, lint, report and new; documents as resources.
    Mcp,
    /// Lint again, and re-render the dashboard, whenever a document or cto.yaml changes;
    /// Ctrl-C stops.
    Watch(WatchArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Words to find, each case-insensitively, all of them in a document;
    /// `"two words"` (quoted in the query) is one phrase.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only documents of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// Only documents with this status (or a status that counts as it).
    #[arg(long)]
    pub status: Option<String>,
    /// Only documents with this owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Show at most this many hits (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = SearchFormat::Human)]
    pub format: SearchFormat,
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

/// What `cto schema` describes: a kind's front matter, or cto.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaTarget {
    Kind(Kind),
    Config,
}

impl ValueEnum for SchemaTarget {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: std::sync::OnceLock<Vec<SchemaTarget>> = std::sync::OnceLock::new();
        VARIANTS.get_or_init(|| {
            Kind::ALL
                .into_iter()
                .map(SchemaTarget::Kind)
                .chain([SchemaTarget::Config])
                .collect()
        })
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            SchemaTarget::Kind(kind) => kind.to_possible_value()?,
            SchemaTarget::Config => clap::builder::PossibleValue::new("config"),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: every document); the rest of the repository
    /// is the context for cross-document rules.
    pub paths: Vec<PathBuf>,
    /// The kind of documents given outside the configured directories.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
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
    /// Record every finding of today in .cto/baseline.json (committed): later runs
    /// report only findings that are not in it. Writing it again drops the fixed ones.
    #[arg(long, conflicts_with_all = ["paths", "staged", "base", "fix"])]
    pub write_baseline: bool,
    /// Report every finding, the baselined ones too (.cto/baseline.json is not read).
    #[arg(long, conflicts_with = "write_baseline")]
    pub no_baseline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

/// The formats of a kind's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Md,
    Json,
    Csv,
    /// A Mermaid gantt (the roadmap's report only).
    #[value(skip)]
    Mermaid,
}

/// The roadmap's report formats: the common ones and a Mermaid gantt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoadmapReportFormat {
    Table,
    Md,
    Json,
    Csv,
    /// A Mermaid gantt of the items with a quarter.
    Mermaid,
}

impl From<RoadmapReportFormat> for ReportFormat {
    fn from(f: RoadmapReportFormat) -> Self {
        match f {
            RoadmapReportFormat::Table => ReportFormat::Table,
            RoadmapReportFormat::Md => ReportFormat::Md,
            RoadmapReportFormat::Json => ReportFormat::Json,
            RoadmapReportFormat::Csv => ReportFormat::Csv,
            RoadmapReportFormat::Mermaid => ReportFormat::Mermaid,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverallFormat {
    Md,
    Json,
    /// One self-contained HTML file (inline CSS and SVG).
    Html,
}

#[derive(Debug, Subcommand)]
pub enum AdrCommand {
    /// Write a new ADR with the next number and print its path.
    #[command(after_help = "Example:\n  cto adr new \"Use CockroachDB for orders\" --supersedes 2")]
    New(AdrNewArgs),
    /// One row per ADR.
    #[command(after_help = "Example:\n  cto adr list --status accepted --format json")]
    List(ListArgs),
    /// Change an ADR's status, checking the allowed transitions.
    #[command(
        after_help = "Examples:\n  cto adr status 3 accepted\n  cto adr status 2 \"superseded by ADR-0005\""
    )]
    Status(StatusArgs),
    /// Record a relation between two ADRs, written on both sides.
    #[command(
        after_help = "Examples:\n  cto adr link 5 supersedes 2\n  cto adr link 7 amends 4\n  cto adr link 7 relates-to 3"
    )]
    Link(LinkArgs),
    /// The ADR report: counts by status, recent and open decisions.
    Report(ReportArgs),
    /// The decision graph (supersedes, amends and links).
    #[command(after_help = "Example:\n  cto adr graph --format dot | dot -Tsvg > decisions.svg")]
    Graph {
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// An index, as a markdown list of links with status and date.
    Toc,
    /// Give an ADR a new number and fix every reference to it.
    #[command(after_help = "Example:\n  cto adr renumber 12 13")]
    Renumber {
        /// The ADR: a number, an id, or (when two share a number) its path.
        from: String,
        /// The new number.
        to: String,
    },
    /// Rewrite adr-tools and MADR 2 records with MADR 4 front matter (prose kept).
    Migrate {
        /// Files or directories (default: every ADR).
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RiskCommand {
    /// Write a new risk with the next number and print its path.
    #[command(
        after_help = "Example:\n  cto risk new \"Single cloud region\" --field likelihood=3 --field impact=5"
    )]
    New(NewArgs),
    /// One row per risk.
    #[command(after_help = "Example:\n  cto risk list --status open --owner ana")]
    List(ListArgs),
    /// Change a risk's status, checking the allowed transitions.
    #[command(after_help = "Example:\n  cto risk status 3 mitigating")]
    Status(StatusArgs),
    /// The risk report: heat map, overdue reviews, escalations.
    Report(ReportArgs),
}

#[derive(Debug, Subcommand)]
pub enum RoadmapCommand {
    /// Write a new roadmap item with the next number and print its path.
    #[command(
        after_help = "Example:\n  cto roadmap new \"Orders on PostgreSQL\" --field horizon=now --field effort=8"
    )]
    New(NewArgs),
    /// One row per roadmap item.
    #[command(after_help = "Example:\n  cto roadmap list --status in-progress")]
    List(ListArgs),
    /// Change an item's status, checking the allowed transitions.
    #[command(after_help = "Example:\n  cto roadmap status 4 shipped")]
    Status(StatusArgs),
    /// The Now/Next/Later board, capacity per quarter, dependency order.
    Report(RoadmapReportArgs),
}

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Write a new incident with the next number and print its path.
    #[command(
        after_help = "Example:\n  cto incident new \"Checkout errors after deploy\" --field severity=sev2 --field services=[checkout]"
    )]
    New(NewArgs),
    /// One row per incident.
    #[command(after_help = "Example:\n  cto incident list --service checkout --quarter 2026-Q3")]
    List(IncidentListArgs),
    /// Change an incident's status, checking the allowed transitions (`mitigated` and
    /// `resolved` record the time when the file has none).
    #[command(after_help = "Example:\n  cto incident status 7 resolved")]
    Status(StatusArgs),
    /// Incidents per quarter by severity, MTTD/MTTR, repeated incidents, action items.
    Report(ReportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct IncidentListArgs {
    #[command(flatten)]
    pub list: ListArgs,
    /// Only incidents of this severity, e.g. `sev1`.
    #[arg(long)]
    pub severity: Option<String>,
    /// Only incidents on this service.
    #[arg(long)]
    pub service: Option<String>,
    /// Only incidents that started in this quarter, e.g. `2026-Q3`.
    #[arg(long, value_parser = quarter)]
    pub quarter: Option<crate::model::Quarter>,
}

fn quarter(text: &str) -> Result<crate::model::Quarter, String> {
    crate::model::Quarter::parse(text).ok_or_else(|| "a quarter is YYYY-Qn, e.g. 2026-Q3".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Subcommand)]
pub enum SloCommand {
    /// Write a new SLO (named after its title) and print its path.
    #[command(
        after_help = "Example:\n  cto slo new \"Checkout availability\" --field service=checkout --field objective=99.9"
    )]
    New(NewArgs),
    /// One row per SLO.
    List(ListArgs),
    /// `status NAME NEW` changes an SLO's status; with no NAME, each active SLO's error
    /// budget and burn rates, measured by Prometheus (`--prometheus` or `slo.prometheus`).
    #[command(
        after_help = "Examples:\n  cto slo status checkout-availability active\n  cto slo status --prometheus http://127.0.0.1:9090 --format json"
    )]
    Status(SloStatusArgs),
    /// The SLO report: objectives, error budgets, coverage (with `--prometheus`, the
    /// budget spent so far too).
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

#[derive(Debug, Args)]
pub struct AdrNewArgs {
    #[command(flatten)]
    pub common: NewArgs,
    /// The number or id of an ADR this one supersedes (its status is updated); may be
    /// given more than once.
    #[arg(long, value_name = "N")]
    pub supersedes: Vec<String>,
    /// Supersede an ADR even when another ADR already supersedes it.
    #[arg(long)]
    pub force: bool,
    /// The ADR directory to write to, when cto.yaml names several (`adr.dirs`);
    /// without it, the first.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<String>,
}

/// How one ADR relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Relation {
    /// A replaces B: A lists B in `supersedes`, B's status becomes `superseded by A`.
    Supersedes,
    /// A changes part of B: A lists B in `amends`, B lists A in `amended-by`.
    Amends,
    /// A and B bear on each other: each lists the other in `links`.
    RelatesTo,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The ADR the relation starts from: a number or an id.
    pub from: String,
    pub relation: Relation,
    /// The ADR it relates to.
    pub to: String,
    /// Supersede an ADR even when another ADR already supersedes it.
    #[arg(long)]
    pub force: bool,
    /// The ADR directory to write to, when cto.yaml names several (`adr.dirs`);
    /// without it, the first.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<String>,
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
pub struct RoadmapReportArgs {
    #[arg(long, value_enum, default_value_t = RoadmapReportFormat::Table)]
    pub format: RoadmapReportFormat,
}

#[derive(Debug, Args)]
pub struct OverallReportArgs {
    #[arg(long, value_enum, default_value_t = OverallFormat::Md)]
    pub format: OverallFormat,
    /// With a Prometheus (`--prometheus` or `slo.prometheus`), each active SLO's budget
    /// spent so far is measured and shown.
    #[command(flatten)]
    pub live: PrometheusArgs,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// The document: `ADR-0007`, `RISK-3`, `0007` or `7`.
    pub id: String,
    /// The new status, e.g. `accepted` or `superseded by ADR-0009`.
    pub status: String,
    /// Allow a change the transitions do not allow, from a status cto does not know, or
    /// to `superseded by` an ADR when it is already superseded.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Also write the HTML dashboard (`cto report --format html`) to this file after
    /// every run, replacing it atomically.
    #[arg(long, value_name = "PATH")]
    pub dashboard: Option<PathBuf>,
    /// How long the files must stay still before a run, in milliseconds (a checkout of
    /// a thousand files is one run).
    #[arg(long, value_name = "MS", default_value_t = 200)]
    pub debounce: u64,
    /// Clear the terminal before each run.
    #[arg(long)]
    pub clear: bool,
}
