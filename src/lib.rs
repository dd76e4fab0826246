//! cto: scaffold, validate and report on a CTO's operating documents (ADRs, risks,
//! SLOs, roadmap items) kept as markdown with YAML front matter.
//!
//! The pipeline, one for every kind: discover files → parse once with spans → model
//! (a [`model::Corpus`] of [`model::Document`]s) → check (rules) → report (formatters).
//! The library never prints: commands write to the writers they are given.

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod edit;
pub mod files;
pub mod git;
pub mod kind;
pub mod live;
pub mod lsp;
pub mod mcp;
pub mod model;
pub mod parse;
pub mod prometheus;
pub mod report;
pub mod search;
pub mod slug;
pub mod source;
pub mod store;
pub mod templates;
pub mod views;
pub mod workspace;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::Parser;

use cli::{Cli, ColorChoice, Command};
use commands::documents::Action;
use commands::{Ctx, Exit};
use model::Kind;

/// Runs cto with these arguments; returns the process exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    run_held(args, out, err, None)
}

/// [`run`], reading the documents of `store`'s repository from it (refreshed) instead of
/// from disk: what a server that runs many commands keeps between them.
pub fn run_held(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    store: Option<&store::Held>,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let text = e.render();
            let styled = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal();
            let _ = if e.use_stderr() && styled {
                write!(err, "{}", text.ansi())
            } else if e.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(dir) => cli.repo.as_ref().map_or(dir.clone(), |r| dir.join(r)),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read the current directory: {e}");
            return Exit::Usage as i32;
        }
    };
    // `-C DIR` must name a directory: a file or a missing path is one clear line, exit 2.
    if let Some(repo) = &cli.repo {
        let problem = match std::fs::metadata(&cwd) {
            Ok(m) if m.is_dir() => None,
            Ok(_) => Some("not a directory".to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Some("no such directory".to_string())
            }
            Err(e) => Some(e.to_string()),
        };
        if let Some(problem) = problem {
            let shown = repo.display().to_string();
            let _ = writeln!(
                err,
                "error: -C {}: {problem}",
                crate::report::escape::visible(&shown)
            );
            return Exit::Usage as i32;
        }
    }
    let mut ctx = Ctx {
        out,
        err,
        cwd,
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
        store,
    };
    let result = match &cli.command {
        Command::Init { dry_run } => commands::init::run(&mut ctx, *dry_run),
        Command::Lint(args) => commands::lint::run(&mut ctx, args),
        Command::Adr { command } => {
            use cli::AdrCommand as C;
            let action = match command {
                C::New(args) => Action::New {
                    args: &args.common,
                    supersedes: &args.supersedes,
                    force: args.force,
                    dir: args.dir.as_deref(),
                },
                C::List(args) => Action::List(args),
                C::Status(args) => Action::Status(args),
                C::Link(args) => Action::Link(args),
                C::Report(args) => Action::Report(args.format),
                C::Graph { format } => Action::Graph(*format),
                C::Toc => Action::Toc,
                C::Renumber { from, to } => Action::Renumber(from, to),
                C::Migrate { paths } => Action::Migrate(paths),
            };
            commands::documents::run(&mut ctx, Kind::Adr, action)
        }
        Command::Risk { command } => {
            use cli::RiskCommand as C;
            let action = match command {
                C::New(args) => Action::new(args),
                C::List(args) => Action::List(args),
                C::Status(args) => Action::Status(args),
                C::Report(args) => Action::Report(args.format),
            };
            commands::documents::run(&mut ctx, Kind::Risk, action)
        }
        Command::Roadmap { command } => {
            use cli::RoadmapCommand as C;
            let action = match command {
                C::New(args) => Action::new(args),
                C::List(args) => Action::List(args),
                C::Status(args) => Action::Status(args),
                C::Report(args) => Action::Report(args.format.into()),
            };
            commands::documents::run(&mut ctx, Kind::Roadmap, action)
        }
        Command::Incident { command } => {
            use cli::IncidentCommand as C;
            match command {
                C::List(args) => commands::incident::list(&mut ctx, args),
                C::New(args) => {
                    commands::documents::run(&mut ctx, Kind::Incident, Action::new(args))
                }
                C::Status(args) => {
                    commands::documents::run(&mut ctx, Kind::Incident, Action::Status(args))
                }
                C::Report(args) => {
                    commands::documents::run(&mut ctx, Kind::Incident, Action::Report(args.format))
                }
            }
        }
        Command::Slo { command } => match command {
            cli::SloCommand::New(args) => {
                commands::documents::run(&mut ctx, Kind::Slo, Action::new(args))
            }
            cli::SloCommand::List(args) => {
                commands::documents::run(&mut ctx, Kind::Slo, Action::List(args))
            }
            cli::SloCommand::Status(args) => commands::slo::status(&mut ctx, args),
            cli::SloCommand::Report(args) => commands::slo::report(&mut ctx, args),
            cli::SloCommand::Export(args) => commands::slo::export(&mut ctx, args),
            cli::SloCommand::Import(args) => commands::slo::import(&mut ctx, args),
        },
        Command::Report(args) => commands::report::overall(&mut ctx, args),
        Command::Search(args) => commands::search::run(&mut ctx, args),
        Command::Lsp => commands::lsp::run(&mut ctx),
        Command::Watch(args) => commands::watch::run(&mut ctx, args),
        Command::Mcp => commands::mcp::run(&mut ctx, |args, out, err, store| {
            run_held(args, out, err, store)
        }),
        Command::Hook {
            command: cli::HookCommand::Install { chain },
        } => commands::hook::install(&mut ctx, *chain),
        Command::Schema { target } => commands::schema::run(&mut ctx, *target),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "cto", ctx.out);
            Ok(Exit::Success)
        }
        Command::Rules { format } => commands::rules::list(&mut ctx, *format),
        Command::Explain { code } => commands::rules::explain(&mut ctx, code),
    };
    finish(&mut ctx, result)
}

/// The exit code of a command's result, with its error said once on stderr.
fn finish(ctx: &mut Ctx, result: anyhow::Result<Exit>) -> i32 {
    match result {
        Ok(exit) => exit as i32,
        Err(e) => {
            // A closed pipe (`cto adr list | head`) is not an error worth a word.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return Exit::Success as i32;
            }
            // Each cause once: a cause whose text its context already quotes is skipped.
            let mut text = String::new();
            for cause in e.chain() {
                let part = cause.to_string();
                if !text.contains(&part) {
                    if !text.is_empty() {
                        text.push_str(": ");
                    }
                    text.push_str(&part);
                }
            }
            let _ = writeln!(ctx.err, "error: {}", crate::report::escape::visible(&text));
            // Findings exit 1 through `Ok(Exit::Failure)`; every error here is usage,
            // configuration, I/O or internal: 2.
            Exit::Usage as i32
        }
    }
}
