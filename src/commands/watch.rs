//! `cto watch`: lint again, and re-render the dashboard, whenever a document or cto.yaml
//! changes, until Ctrl-C.
//!
//! The file system's events (the [`Store`]'s watcher) say when something changed; the
//! store finds what (by each file's size, times and inode) and reads only that again. Events are gathered
//! until the files stay still for the debounce time, so a checkout of a thousand files
//! is one run. Links are never followed: the store reads only regular files inside the
//! repository, and the watcher does not descend into linked directories.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::{Ctx, Exit, UsageError, today};
use crate::check;
use crate::cli::WatchArgs;
use crate::report::{LintReport, Summary, escape, human};
use crate::store::{Refresh, Store};
use crate::views::dashboard::LintCounts;

/// What wakes the loop.
enum Wake {
    /// Something changed on disk (the paths the event names).
    Changed(Vec<PathBuf>),
    /// The watcher failed (the message says how).
    Failed(String),
    /// Ctrl-C.
    Stop,
}

/// Whether the paths of an event are the dashboard's own writing (the file, or the
/// temporary file it is written to before it is renamed).
fn own_write(paths: &[PathBuf], dashboard: Option<&Path>) -> bool {
    let Some(d) = dashboard else {
        return false;
    };
    !paths.is_empty()
        && paths.iter().all(|p| {
            p == d
                || (p.parent() == d.parent()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(".cto-") && n.ends_with(".tmp")))
        })
}

pub fn run(ctx: &mut Ctx, args: &WatchArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let dashboard = match &args.dashboard {
        Some(path) => Some(dashboard_path(&ctx.cwd, path)?),
        None => None,
    };
    let mut store = Store::open(&ws.root, today())?;
    drop(ws);

    let (tx, rx) = mpsc::channel::<Wake>();
    let events = tx.clone();
    store.watch(move |paths| {
        let wake = if paths.is_empty() {
            Wake::Failed("the watcher lost track of some changes; reading them all".into())
        } else {
            Wake::Changed(paths.to_vec())
        };
        let _ = events.send(wake);
    })?;
    stop_on_ctrl_c(tx)?;

    let debounce = Duration::from_millis(args.debounce);
    let mut runs = 0usize;
    show(ctx, &store, None, args, dashboard.as_deref(), &mut runs)?;
    loop {
        // Wait for a change, then for the files to stay still.
        let mut changed = false;
        let mut wait = None;
        loop {
            let wake = match wait {
                None => rx.recv().ok(),
                Some(d) => match rx.recv_timeout(d) {
                    Ok(w) => Some(w),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => None,
                },
            };
            match wake {
                None | Some(Wake::Stop) => return Ok(Exit::Success),
                Some(Wake::Failed(message)) => {
                    writeln!(ctx.err, "warning: watching: {}", escape::visible(&message))?;
                    changed = true;
                    wait = Some(debounce);
                }
                Some(Wake::Changed(paths)) => {
                    if !own_write(&paths, dashboard.as_deref()) {
                        changed = true;
                        wait = Some(debounce);
                    }
                }
            }
        }
        if !changed {
            continue;
        }
        let refresh = match store.refresh(today()) {
            Ok(r) => r,
            Err(e) => {
                writeln!(ctx.err, "error: {}", escape::visible(&e.to_string()))?;
                continue;
            }
        };
        if refresh.is_empty() {
            continue;
        }
        show(
            ctx,
            &store,
            Some(&refresh),
            args,
            dashboard.as_deref(),
            &mut runs,
        )?;
    }
}

/// The dashboard's path: where it is asked for, from where cto runs; its directory
/// must exist.
fn dashboard_path(cwd: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let full = cwd.join(path);
    let name = full
        .file_name()
        .ok_or_else(|| UsageError(format!("--dashboard {}: not a file name", path.display())))?;
    let dir = full.parent().unwrap_or(cwd);
    let dir = dir.canonicalize().map_err(|e| {
        UsageError(format!(
            "--dashboard {}: {}: {e}",
            path.display(),
            dir.display()
        ))
    })?;
    let full = dir.join(name);
    // The page is written again on every run: a file that is there already must be a
    // page (one cto wrote before), never cto.yaml, a record or someone's notes.
    if full.symlink_metadata().is_ok() && !is_html_page(&full) {
        return Err(UsageError(format!(
            "--dashboard {}: the file exists and is not an HTML page; cto writes the \
             dashboard only over a page (name a new file)",
            escape::visible(&path.display().to_string())
        ))
        .into());
    }
    Ok(full)
}

/// Whether `path` is a regular file that starts as an HTML page does.
fn is_html_page(path: &Path) -> bool {
    let Ok(bytes) = crate::files::read_file(path, None, 64 * 1024 * 1024) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    let head = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Ctrl-C ends the loop (exit 0), through a thread that waits for the signal.
fn stop_on_ctrl_c(tx: mpsc::Sender<Wake>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    // The handler is installed here, before the first run: a Ctrl-C right after it is
    // never lost.
    #[cfg(unix)]
    let mut signal = {
        let _entered = runtime.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?
    };
    std::thread::spawn(move || {
        runtime.block_on(async move {
            #[cfg(unix)]
            let stopped = signal.recv().await.is_some();
            #[cfg(not(unix))]
            let stopped = tokio::signal::ctrl_c().await.is_ok();
            if stopped {
                let _ = tx.send(Wake::Stop);
            }
        });
    });
    Ok(())
}

/// One run: what changed, the findings (or "no findings"), and the dashboard.
fn show(
    ctx: &mut Ctx,
    store: &Store,
    refresh: Option<&Refresh>,
    args: &WatchArgs,
    dashboard: Option<&Path>,
    runs: &mut usize,
) -> anyhow::Result<()> {
    *runs += 1;
    let ws = store.workspace();
    let corpus = store.corpus();
    let mut diagnostics = ws.config_diagnostics.clone();
    diagnostics.extend(store.walk_errors().iter().cloned());
    diagnostics.extend(store.lint());
    check::sort(&mut diagnostics);
    let lint = LintCounts::of(&diagnostics);
    let mut out = std::io::BufWriter::new(&mut *ctx.out);
    if args.clear {
        // Clear the screen and put the cursor home, as `cargo watch -c` does.
        write!(out, "\x1b[2J\x1b[H")?;
    }
    let what = match refresh {
        None => "started".to_string(),
        Some(r) if r.reloaded => "cto.yaml changed: everything read again".to_string(),
        Some(r) => {
            let mut parts = Vec::new();
            if !r.read.is_empty() {
                parts.push(format!("{} read again", plural(r.read.len(), "file")));
            }
            if !r.removed.is_empty() {
                parts.push(format!("{} gone", plural(r.removed.len(), "file")));
            }
            if r.walk_changed && parts.is_empty() {
                parts.push("unreadable files changed".to_string());
            }
            parts.join(", ")
        }
    };
    writeln!(
        out,
        "[cto watch] run {runs} at {}: {what}",
        jiff::Zoned::now().strftime("%H:%M:%S")
    )?;
    let documents = corpus.documents.len();
    let groups = super::lint::in_groups(ws, &corpus, diagnostics);
    let report = LintReport {
        summary: Summary::count(
            groups
                .iter()
                .flat_map(|g| g.findings.iter().map(|f| f.severity)),
            documents + usize::from(ws.config.source.is_some()),
            documents,
        ),
        groups: &groups,
        // Human output names paths from the cto root.
        base: crate::report::PathBase::default(),
    };
    if report.items().next().is_none() {
        writeln!(out, "no findings in {}", plural(documents, "document"))?;
    } else {
        human::render(&mut out, &report, ctx.color)?;
    }
    out.flush()?;
    drop(out);
    if let Some(path) = dashboard {
        let check_ctx = check::Context {
            config: &ws.config,
            root: &ws.root,
            today: today(),
        };
        let page = super::report::html_page(&corpus, &check_ctx, lint)?;
        let text = String::from_utf8(page)?;
        match crate::edit::write_atomic(path, &text) {
            Ok(()) => writeln!(
                ctx.out,
                "[cto watch] dashboard written to {}",
                escape::visible(&ctx.display_path(path))
            )?,
            Err(e) => writeln!(
                ctx.err,
                "error: writing the dashboard {}: {}",
                escape::visible(&path.display().to_string()),
                escape::visible(&e.to_string())
            )?,
        }
    }
    ctx.out.flush()?;
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
