//! `cto adr renumber A B`: a new number for an ADR (numbers collide across branches), with
//! every reference fixed: `ADR-0007` ids anywhere and links to its file.

use std::collections::BTreeMap;

use anyhow::{Context as _, bail};

use super::{Ctx, Exit, UsageError, load_corpus};
use crate::edit;
use crate::model::refs::{format_id, number_of_file_name, parse_ref};
use crate::model::{Document, Format, Kind};
use crate::parse::markdown::verbatim_spans;
use crate::source::Span;
use crate::workspace::Workspace;

/// `text` with every whole-token occurrence of `from` replaced, and how many there were.
/// Not replaced: inside a longer word or number, before an extension (`0007-x.md.bak`),
/// or in a web address (`https://github.com/other/repo/…/ADR-0007`), which names
/// another repository's record.
pub fn replace_token(text: &str, from: &str, to: &str) -> (String, usize) {
    replace_token_where(text, from, to, |_| true)
}

/// [`replace_token`], where `accept` also approves the path written before the token
/// (`../decisions/` in `../decisions/0007-x.md`, empty for a bare name).
fn replace_token_where(
    text: &str,
    from: &str,
    to: &str,
    accept: impl Fn(&str) -> bool,
) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    let mut prev: Option<char> = None;
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().last().or(prev);
        let mut tail = rest[i + from.len()..].chars();
        let after = tail.next();
        let extension = after == Some('.') && tail.next().is_some_and(word);
        let bounded = |c: Option<char>| c.is_none_or(|c| !word(c));
        // The run of text the occurrence ends (back to a blank or an opening bracket or
        // quote), in what is read so far.
        let delimiter = |c: char| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '\'' | '[');
        let in_address = match rest[..i].rfind(delimiter) {
            Some(p) => rest[p..i].contains("://"),
            None => {
                let from_out = out.rfind(delimiter).map_or(0, |p| p + 1);
                // `out` ends with a token here, so `://` is not split between the two.
                out[from_out..].contains("://") || rest[..i].contains("://")
            }
        };
        // The path written before the token, back to the run's start.
        let prefix_start = rest[..i]
            .rfind(|c: char| delimiter(c) || matches!(c, ']' | ')' | ',' | ':'))
            .map_or(0, |p| p + 1);
        let prefix = if rest[..i].rfind(delimiter).is_some() || out.is_empty() {
            &rest[prefix_start..i]
        } else {
            ""
        };
        out.push_str(&rest[..i]);
        if bounded(before) && bounded(after) && !extension && !in_address && accept(prefix) {
            out.push_str(to);
            count += 1;
        } else {
            out.push_str(from);
        }
        prev = from.chars().last();
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    (out, count)
}

/// `text` with `edit` applied to each run outside the `verbatim` spans (in order, not
/// overlapping), which are kept byte for byte; with the sum of the counts.
fn outside(
    text: &str,
    verbatim: &[Span],
    mut edit: impl FnMut(&str) -> (String, usize),
) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let (mut at, mut count) = (0, 0);
    for span in verbatim
        .iter()
        .chain(std::iter::once(&Span::empty(text.len())))
    {
        if span.start < at {
            continue;
        }
        let (part, n) = edit(&text[at..span.start]);
        out.push_str(&part);
        out.push_str(&text[span.range()]);
        count += n;
        at = span.end;
    }
    (out, count)
}

/// Whether `prefix` (a link's path before the file name), written in a file of
/// `from_dir`, leads to `target_dir` (both relative to the root, `/`-separated).
fn leads_to(from_dir: &str, prefix: &str, target_dir: &str) -> bool {
    let mut parts: Vec<&str> = if prefix.starts_with('/') {
        Vec::new()
    } else {
        from_dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in prefix.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return false;
                }
            }
            p => parts.push(p),
        }
    }
    let target: Vec<&str> = target_dir.split('/').filter(|p| !p.is_empty()).collect();
    parts == target
}

/// Replaces the label prefix `from` with `to` in links whose target starts with `target`.
fn relabel(text: &str, from: &str, to: &str, target: &str) -> (String, usize) {
    let mut out = text.to_string();
    let mut count = 0;
    let mut search = 0;
    while let Some(i) = out[search..].find(target) {
        let at = search + i;
        // The label's opening bracket, on the same line.
        let line_start = out[..at].rfind('\n').map_or(0, |p| p + 1);
        if let Some(open) = out[line_start..at].rfind('[').map(|p| line_start + p)
            && out[open..].starts_with(from)
        {
            out.replace_range(open..open + from.len(), to);
            count += 1;
            search = at + to.len() - from.len() + target.len();
        } else {
            search = at + target.len();
        }
    }
    (out, count)
}

/// `name` with its leading number replaced, keeping the prefix (`adr-`) and the width.
fn renamed(name: &str, to: u32) -> String {
    let prefix_len = if name.to_ascii_lowercase().starts_with("adr-") {
        4
    } else {
        0
    };
    let digits = name[prefix_len..]
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    format!(
        "{}{:0width$}{}",
        &name[..prefix_len],
        to,
        &name[prefix_len + digits..],
        // The team's own width: `adr-007-x.md` becomes `adr-012-x.md`.
        width = digits.max(1)
    )
}

pub fn run(ctx: &mut Ctx, ws: &Workspace, from: &str, to: &str) -> anyhow::Result<Exit> {
    let (corpus, _) = load_corpus(ws, &[]);
    let to: u32 = to
        .trim()
        .trim_start_matches("ADR-")
        .parse()
        .map_err(|_| UsageError(format!("`{to}` is not an ADR number")))?;
    // The ADR to renumber: a path, or a number that only one ADR has.
    let as_path = ctx.cwd.join(from);
    let doc: &Document = if from.ends_with(".md") {
        let rel = ws.rel_path(&as_path.canonicalize().unwrap_or(as_path));
        corpus
            .of_kind(Kind::Adr)
            .find(|d| d.path() == rel)
            .ok_or_else(|| UsageError(format!("{from} is not an ADR of this repository")))?
    } else {
        let id = parse_ref(from, Kind::Adr)
            .ok_or_else(|| UsageError(format!("`{from}` is not an ADR number or id")))?;
        let all: Vec<&Document> = corpus.by_id(&id).collect();
        match all.as_slice() {
            [] => return Err(UsageError(format!("there is no {id}")).into()),
            [one] => one,
            many => {
                let paths: Vec<&str> = many.iter().map(|d| d.path()).collect();
                return Err(UsageError(format!(
                    "{id} is the number of {}: give the path of the one to renumber",
                    paths.join(" and ")
                ))
                .into());
            }
        }
    };
    let old_id = doc.id.clone().unwrap_or_default();
    let new_id = format_id(Kind::Adr, to);
    let dir = ws.root.join(doc.path());
    let dir = dir
        .parent()
        .context("an ADR has a directory")?
        .to_path_buf();
    for entry in std::fs::read_dir(&dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if number_of_file_name(&name) == Some(to) {
            bail!("{} already has number {to} ({name})", ws.dir(Kind::Adr));
        }
    }
    let old_name = doc
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let new_name = renamed(&old_name, to);
    let shared = corpus.by_id(&old_id).count() > 1;

    // Every edit is computed before any file is written.
    let mut edits: BTreeMap<String, String> = BTreeMap::new();
    for d in &corpus.documents {
        if !d.readable {
            continue;
        }
        let mut text = d.source.text.clone();
        let mut changed = 0;
        if d.path() == doc.path() && d.format == Format::AdrTools {
            // adr-tools titles carry the number: `# 7. Title`, at the heading's own place.
            if let Some(h) = d.body.title() {
                let heading = &d.source.text[h.span.range()];
                let number = doc.number.map(|n| n.to_string()).unwrap_or_default();
                if let Some(rest) = heading.strip_prefix(&format!("# {number}. ")) {
                    text = edit::replace(&text, h.span, &format!("# {to}. {rest}"));
                    changed += 1;
                }
            }
        }
        // A link to the file name is unambiguous even when the number is shared, if it
        // leads to this file: `../../other/docs/decisions/0007-x.md` names another.
        let doc_dir = d
            .path()
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_string();
        let target_dir = doc
            .path()
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_string();
        // Code and HTML comments are quoted text, not references: they stay as written.
        let verbatim = verbatim_spans(&text, Span::new(d.body_start(), text.len()));
        let old_n = doc.number.map(|n| n.to_string()).unwrap_or_default();
        let (t, m) = outside(&text, &verbatim, |part| {
            let (part, m) = replace_token_where(part, &old_name, &new_name, |prefix| {
                leads_to(&doc_dir, prefix, &target_dir)
            });
            if shared {
                return (part, m);
            }
            let (part, n) = replace_token(&part, &old_id, &new_id);
            // adr-tools labels its links with the number: `[7. Title](0007-title.md)`.
            let (part, k) = relabel(
                &part,
                &format!("[{old_n}. "),
                &format!("[{to}. "),
                &format!("]({new_name}"),
            );
            (part, m + n + k)
        });
        text = t;
        changed += m;
        if changed > 0 {
            edits.insert(d.path().to_string(), text);
        }
    }
    // All files or none: each checked to hold what was read, the renamed one linked
    // into place without replacing anything.
    let (old_path, new_path) = (dir.join(&old_name), dir.join(&new_name));
    let mut plan = edit::Plan::new();
    for d in &corpus.documents {
        let file = ws.root.join(d.path());
        match edits.get(d.path()) {
            _ if d.path() == doc.path() => plan.rename(
                old_path.clone(),
                new_path.clone(),
                d.source.text.clone(),
                edits.get(d.path()).unwrap_or(&d.source.text).clone(),
            ),
            Some(text) => plan.replace(file, d.source.text.clone(), text.clone()),
            None => {}
        }
    }
    let _locks = edit::DirLock::all(&plan.dirs(), edit::LOCK_TIMEOUT)?;
    // Again under the lock: a `new` may have taken the number meanwhile.
    for entry in std::fs::read_dir(&dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if number_of_file_name(&name) == Some(to) {
            return Err(UsageError(format!(
                "{} already has number {to} ({name})",
                ws.dir(Kind::Adr)
            ))
            .into());
        }
    }
    plan.commit()?;
    writeln!(
        ctx.out,
        "{} → {}",
        ctx.display_path(&old_path),
        ctx.display_path(&new_path)
    )?;
    let others = edits.keys().filter(|p| p.as_str() != doc.path()).count();
    if shared {
        writeln!(
            ctx.err,
            "note: {old_id} was the number of two ADRs, so references to it were left as they are; check them"
        )?;
    } else if !ctx.quiet {
        writeln!(
            ctx.err,
            "{old_id} is now {new_id}; references updated in {others} other file(s)"
        )?;
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_whole() {
        assert_eq!(
            replace_token(
                "ADR-0007, ADR-00071 xADR-0007 (ADR-0007)",
                "ADR-0007",
                "ADR-0012"
            )
            .0,
            "ADR-0012, ADR-00071 xADR-0007 (ADR-0012)"
        );
        assert_eq!(
            replace_token(
                "[x](0007-a.md) [y](./0007-a.md#top)",
                "0007-a.md",
                "0012-a.md"
            )
            .1,
            2
        );
        // Another repository's record, a backup file, the end of a sentence.
        assert_eq!(
            replace_token(
                "see https://github.com/o/r/blob/main/ADR-0007 and <https://x.org/adr/ADR-0007.md>",
                "ADR-0007",
                "ADR-0012"
            )
            .1,
            0
        );
        assert_eq!(
            replace_token(
                "[ADR-0007](https://x.org/ADR-0007) 0007-a.md.bak ADR-0007.",
                "ADR-0007",
                "ADR-0012"
            )
            .0,
            "[ADR-0012](https://x.org/ADR-0007) 0007-a.md.bak ADR-0012."
        );
        assert_eq!(
            replace_token("0007-a.md.bak", "0007-a.md", "0012-a.md").1,
            0
        );
        assert_eq!(renamed("0007-use-x.md", 12), "0012-use-x.md");
        assert_eq!(renamed("adr-007-x.md", 12), "adr-012-x.md");
        assert_eq!(renamed("adr-07-x.md", 1234), "adr-1234-x.md");
    }
}
