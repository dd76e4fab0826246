//! When each document last changed, from git, for lists and the dashboard.

use std::collections::{BTreeMap, BTreeSet};

use super::Ctx;
use crate::model::Document;
use crate::workspace::Workspace;

/// When and by whom each document last changed, from one walk of git history (nothing
/// outside git). A shallow clone is said, since its oldest dates are the clone's.
pub fn last_changes(
    ctx: &mut Ctx,
    ws: &Workspace,
    docs: &[&Document],
) -> anyhow::Result<BTreeMap<String, crate::git::LastChange>> {
    let paths: Vec<&str> = docs.iter().map(|d| d.path()).collect();
    last_changes_of(ctx, ws, &paths)
}

/// [`last_changes`] of the documents at these paths (relative to the repository root).
pub fn last_changes_of(
    ctx: &mut Ctx,
    ws: &Workspace,
    docs: &[&str],
) -> anyhow::Result<BTreeMap<String, crate::git::LastChange>> {
    let Ok(repo) = crate::git::Repo::discover(&ws.root) else {
        return Ok(BTreeMap::new());
    };
    if repo.is_shallow() && !ctx.quiet {
        writeln!(
            ctx.err,
            "note: this is a shallow clone; last-change dates stop at its oldest commit (CI: fetch-depth: 0)"
        )?;
    }
    let prefix = ws.git_prefix(&repo.work_tree);
    let paths: BTreeSet<String> = docs.iter().map(|path| format!("{prefix}{path}")).collect();
    let found = repo.last_changes(&paths)?;
    Ok(found
        .into_iter()
        .filter_map(|(p, c)| Some((p.strip_prefix(&prefix)?.to_string(), c)))
        .collect())
}
