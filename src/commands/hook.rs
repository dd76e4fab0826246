//! `cto hook install`: a git pre-commit hook running `cto lint --staged`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{Ctx, Exit, UsageError};
use crate::edit;
use crate::git;
use crate::workspace::Workspace;

/// The line that starts a hook of ours.
const MARKER: &str = "# cto pre-commit hook";

/// A word for `sh`: single-quoted, each `'` written as `'\''`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The word `shell_quote` wrote at the start of `s`, and the rest of `s`.
fn shell_unquote(s: &str) -> Option<(String, &str)> {
    let mut rest = s.strip_prefix('\'')?;
    let mut word = String::new();
    loop {
        let end = rest.find('\'')?;
        word.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix(r"\''") {
            Some(more) => {
                word.push('\'');
                rest = more;
            }
            None => return Some((word, rest)),
        }
    }
}

/// What a hook holds if cto wrote it: the executable, the root and the chained hook.
/// Anything else, even with our marker in it, is someone else's hook.
struct OurHook {
    exe: String,
    root: String,
    chained: Option<PathBuf>,
}

fn parse_ours(text: &str) -> Option<OurHook> {
    let quoted_after = |line: &str, before: &str| -> Option<(String, String)> {
        let (word, rest) = shell_unquote(line.strip_prefix(before)?)?;
        Some((word, rest.to_string()))
    };
    let mut chained = None;
    let (mut exe, mut root) = (None, None);
    for line in text.lines() {
        if let Some((word, rest)) = quoted_after(line, "")
            && rest == r#" "$@" || exit $?"#
        {
            chained = Some(PathBuf::from(word));
        } else if let Some((word, rest)) = quoted_after(
            line,
            "if command -v cto >/dev/null 2>&1; then CTO=cto; else CTO=",
        ) && rest == "; fi"
        {
            exe = Some(word);
        } else if let Some((word, rest)) = quoted_after(line, r#"exec "$CTO" -C "#)
            && rest == " lint --staged"
        {
            root = Some(word);
        }
    }
    let hook = OurHook {
        exe: exe?,
        root: root?,
        chained,
    };
    // Ours only if cto would write exactly this.
    (hook_text(Path::new(&hook.exe), &hook.root, hook.chained.as_deref()) == text).then_some(hook)
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
    let ours = existing.as_deref().and_then(parse_ours);
    let mut chained = None;
    if let Some(ours) = ours {
        // Reinstalling keeps a chain made before.
        chained = ours.chained;
    } else if edit::exists(&hook) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        for s in ["plain", "it's", "a b $HOME `x` \"q\"", "''", ""] {
            let q = shell_quote(s);
            assert_eq!(shell_unquote(&q), Some((s.to_string(), "")), "{q}");
        }
    }

    #[test]
    fn only_what_cto_writes_is_ours() {
        let text = hook_text(
            Path::new("/opt/it's here/cto"),
            "docs $x",
            Some(Path::new("/r/o'k/.git/hooks/pre-commit.local")),
        );
        let ours = parse_ours(&text).expect("ours");
        assert_eq!(ours.exe, "/opt/it's here/cto");
        assert_eq!(ours.root, "docs $x");
        assert_eq!(
            ours.chained.as_deref(),
            Some(Path::new("/r/o'k/.git/hooks/pre-commit.local"))
        );
        assert!(parse_ours(&format!("{text}rm -rf /\n")).is_none());
        assert!(parse_ours(&format!("#!/bin/sh\n{MARKER}\nrun-my-checks\n")).is_none());
    }
}
