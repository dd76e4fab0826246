//! `cto hook install`: a git pre-commit hook running `cto lint --staged`.

use std::path::Path;

use anyhow::{Context as _, bail};

use super::{Ctx, Exit, UsageError};
use crate::edit;
use crate::git;
use crate::workspace::Workspace;

/// The line that marks a hook as ours (and so ours to replace).
const MARKER: &str = "# cto pre-commit hook";

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn hook_text(cto_exe: &Path, root: &str, chained: Option<&Path>) -> String {
    let mut s = format!(
        "#!/bin/sh\n{MARKER}: lints what is staged. Installed by `cto hook install`.\n\
         # Skip it once with `git commit --no-verify`.\n"
    );
    if let Some(local) = chained {
        s.push_str(&format!(
            "# The hook that was here before runs first.\n{} \"$@\" || exit $?\n",
            shell_quote(&local.to_string_lossy())
        ));
    }
    s.push_str(&format!(
        "if command -v cto >/dev/null 2>&1; then CTO=cto; else CTO={}; fi\n\
         exec \"$CTO\" -C {} lint --staged\n",
        shell_quote(&cto_exe.to_string_lossy()),
        shell_quote(root)
    ));
    s
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

pub fn install(ctx: &mut Ctx, chain: bool) -> anyhow::Result<Exit> {
    let ws = Workspace::discover(&ctx.cwd)?;
    let repo = git::Repo::discover(&ws.root)
        .map_err(|_| UsageError("`cto hook install` needs a git repository".into()))?;
    let hooks = repo.hooks_dir();
    std::fs::create_dir_all(&hooks).with_context(|| format!("creating {}", hooks.display()))?;
    let hook = hooks.join("pre-commit");
    let exe = std::env::current_exe().context("finding the cto executable")?;
    let prefix = ws.git_prefix(&repo.work_tree);
    let root = if prefix.is_empty() {
        ".".to_string()
    } else {
        prefix.trim_end_matches('/').to_string()
    };

    let existing = std::fs::read_to_string(&hook).ok();
    let ours = existing.as_deref().is_some_and(|t| t.contains(MARKER));
    let mut chained = None;
    if edit::exists(&hook) && !ours {
        if !chain {
            bail!(
                "{} exists and was not written by cto; it is left as it is.\n\
                 `cto hook install --chain` keeps it (as pre-commit.local) and runs it before cto.",
                hook.display()
            );
        }
        let local = hooks.join("pre-commit.local");
        if edit::exists(&local) {
            bail!("{} exists too; merge the hooks by hand", local.display());
        }
        std::fs::rename(&hook, &local)
            .with_context(|| format!("moving {} aside", hook.display()))?;
        writeln!(
            ctx.err,
            "kept the existing hook as {}; it runs first",
            local.display()
        )?;
        chained = Some(local);
    } else if let Some(text) = &existing
        && ours
        && let Some(line) = text.lines().find(|l| l.contains("pre-commit.local"))
    {
        // Reinstalling keeps a chain made before.
        let local = line
            .split('\'')
            .nth(1)
            .map(Path::new)
            .map(Path::to_path_buf);
        chained = local;
    }
    let text = hook_text(&exe, &root, chained.as_deref());
    if edit::exists(&hook) {
        edit::write_atomic(&hook, &text)
    } else {
        edit::create_new(&hook, &text)
    }
    .with_context(|| format!("writing {}", hook.display()))?;
    make_executable(&hook).with_context(|| format!("making {} executable", hook.display()))?;
    writeln!(ctx.out, "{}", ctx.display_path(&hook))?;
    Ok(Exit::Success)
}
