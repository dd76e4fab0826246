//! `cto init`: cto.yaml, the directories, and ADR 0001.

use std::fs;

use anyhow::{Context, bail};

use super::{Ctx, Exit, documents};
use crate::config::{self, DEFAULT_FILE};
use crate::model::Kind;
use crate::workspace::Workspace;

pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let root = ctx.cwd.clone();
    let config_path = root.join(config::FILE_NAME);
    // `symlink_metadata`, not an open: a cto.yaml that is a FIFO must not block `init`.
    if config_path.symlink_metadata().is_ok() {
        bail!(
            "{} already exists; cto init changes nothing in an initialised repository",
            ctx.display_path(&config_path)
        );
    }
    // Keep an existing ADR directory (adr-tools' `.adr-dir`, docs/adr, …) rather than
    // starting a second one.
    let found = Workspace::discover(&root)?;
    let here = found.root == root.canonicalize()?;
    // A documents directory that links out of the repository (or an `.adr-dir` naming
    // one) is refused before anything is written.
    if here && let Some(d) = found.config_diagnostics.first() {
        bail!("{}: {}", d.path, d.message);
    }
    let adr_dir = if here {
        found.dir(Kind::Adr).to_string()
    } else {
        Kind::Adr.spec().default_dir.to_string()
    };
    let text = DEFAULT_FILE.replacen("dir: docs/decisions", &format!("dir: {adr_dir}"), 1);
    crate::edit::create_new(&config_path, &text)
        .with_context(|| format!("writing {}", config_path.display()))?;
    writeln!(ctx.out, "{}", ctx.display_path(&config_path))?;
    let ws = Workspace::discover(&root)?;
    if let Some(d) = ws.config_diagnostics.first() {
        bail!("{}: {}", d.path, d.message);
    }
    for kind in Kind::ALL {
        let dir = ws.abs_dir(kind);
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let (corpus, _) = super::load_corpus(&ws, &[]);
    if corpus.of_kind(Kind::Adr).next().is_some() {
        writeln!(
            ctx.err,
            "note: {} already holds ADRs; not writing ADR 0001",
            ws.dir(Kind::Adr)
        )?;
        return Ok(Exit::Success);
    }
    let (path, _) = documents::create(
        &ws,
        Kind::Adr,
        "Record architecture decisions",
        "accepted",
        &[],
        false,
        &[],
        true,
    )?;
    writeln!(ctx.out, "{}", ctx.display_path(&path))?;
    Ok(Exit::Success)
}
