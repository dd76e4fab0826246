//! `cto init`: cto.yaml, the directories, and ADR 0001.

use std::fs;

use anyhow::{Context, bail};

use std::collections::BTreeMap;
use std::path::Path;

use super::{Ctx, Exit, documents};
use crate::check::did_you_mean;
use crate::config::{self, DEFAULT_FILE};
use crate::model::Kind;
use crate::model::status::normalize;
use crate::templates::yaml_scalar;
use crate::workspace::Workspace;

/// What a team's existing records say, for the cto.yaml that adopts them.
#[derive(Debug, Default)]
struct Survey {
    records: usize,
    /// Statuses cto knows, with how many records use each.
    known: BTreeMap<String, usize>,
    /// Team statuses adopted, with the built-in one each counts as and their count.
    adopted: Vec<(String, &'static str, usize)>,
    /// Rare statuses one edit from a known one: likely typos, not adopted.
    typos: Vec<(String, String, usize)>,
    /// Statuses cto cannot place: reported, left for the team to declare.
    unplaced: Vec<(String, usize)>,
    /// Records with YAML front matter.
    front_matter: usize,
    /// Records with metadata of any format.
    with_metadata: usize,
    /// Front-matter keys that are not the kind's, with how many records carry each
    /// (a site generator's `parent`, `nav_order`).
    keys: BTreeMap<String, usize>,
    /// Required fields, with how many records with metadata leave each out.
    missing: BTreeMap<&'static str, usize>,
}

impl Survey {
    /// Keys most records share: the team's own, adopted under `adr.fields`.
    fn extra_fields(&self) -> Vec<&str> {
        self.keys
            .iter()
            .filter(|(_, n)| **n >= 2 && **n * 4 >= self.front_matter)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Required fields most front-matter records do without (MADR 4 makes status and
    /// date optional): adopted under `adr.optional`.
    fn optional_fields(&self) -> Vec<&'static str> {
        self.missing
            .iter()
            .filter(|(_, n)| **n * 2 > self.with_metadata)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// The built-in ADR status a common team status counts as.
fn class_of(word: &str) -> Option<&'static str> {
    crate::model::AdrStatus::class_of(word).map(crate::model::AdrStatus::as_str)
}

/// The status word of a written status: before a remark (`Accepted (for the pilot)`).
fn status_word(raw: &str) -> String {
    crate::model::status::status_word(&normalize(raw))
}

fn survey(ws: &Workspace) -> Survey {
    let (corpus, _) = super::load_corpus(ws, &[]);
    let mut survey = Survey::default();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let spec = Kind::Adr.spec();
    for doc in corpus.of_kind(Kind::Adr) {
        survey.records += 1;
        // Records with metadata (front matter, adr-tools lines, MADR 2 bullets): which
        // required fields they leave out; and the front matter's own keys.
        if let Some(meta) = &doc.meta {
            survey.with_metadata += 1;
            for f in spec.fields.iter().filter(|f| f.required) {
                if meta.get(f.name).is_none() {
                    *survey.missing.entry(f.name).or_default() += 1;
                }
            }
            if doc.front_matter.is_some() {
                survey.front_matter += 1;
                for (k, _) in meta.entries() {
                    if let Some(k) = k.scalar_text()
                        && !spec.fields.iter().any(|f| f.name == k)
                    {
                        *survey.keys.entry(k).or_default() += 1;
                    }
                }
            }
        }
        match &doc.status {
            Some(s) => *survey.known.entry(s.counts_as.clone()).or_default() += 1,
            None => {
                let written = doc.field("status").and_then(|n| n.scalar_text());
                if let Some(w) = written
                    .map(|w| status_word(&w))
                    .filter(|w| !w.is_empty() && w.len() <= 40 && w.split_whitespace().count() <= 3)
                {
                    *unknown.entry(w).or_default() += 1;
                }
            }
        }
    }
    let builtin = Kind::Adr.spec().statuses;
    for (word, n) in unknown {
        let near = did_you_mean(&word, builtin.iter().copied());
        match (class_of(&word), near) {
            (Some(class), _) => survey.adopted.push((word, class, n)),
            (None, Some(near)) if n <= 2 => survey.typos.push((word, near.to_string(), n)),
            _ => survey.unplaced.push((word, n)),
        }
    }
    survey
}

pub fn run(ctx: &mut Ctx, dry_run: bool) -> anyhow::Result<Exit> {
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
    let mut text = DEFAULT_FILE.replacen("dir: docs/decisions", &format!("dir: {adr_dir}"), 1);
    let survey = if here {
        survey(&found)
    } else {
        Survey::default()
    };
    if !survey.adopted.is_empty() {
        let pairs: Vec<String> = survey
            .adopted
            .iter()
            .map(|(w, class, _)| format!("{}: {class}", yaml_scalar(w)))
            .collect();
        text = text.replacen(
            &format!("dir: {adr_dir}\n"),
            &format!(
                "dir: {adr_dir}\n  statuses: {{ {} }}   # the team's own, and what each counts as\n",
                pairs.join(", ")
            ),
            1,
        );
    }
    let extra = survey.extra_fields();
    if !extra.is_empty() {
        let keys: Vec<String> = extra.iter().map(|k| yaml_scalar(k)).collect();
        text = text.replacen(
            &format!("dir: {adr_dir}\n"),
            &format!(
                "dir: {adr_dir}\n  fields: [{}]   # the team's own front-matter keys\n",
                keys.join(", ")
            ),
            1,
        );
    }
    let optional = survey.optional_fields();
    if !optional.is_empty() {
        text = text.replacen(
            &format!("dir: {adr_dir}\n"),
            &format!(
                "dir: {adr_dir}\n  optional: [{}]   # required by cto's template, not by the team's\n",
                optional.join(", ")
            ),
            1,
        );
    }
    if survey.records > 0 {
        // One search of the tree, for the reason and for the directories not adopted.
        let found_dirs = crate::discover::adr_dirs(&root);
        let visible = crate::report::escape::visible;
        let mut lines = vec![format!(
            "found {} ADR(s) in {} ({})",
            survey.records,
            adr_dir,
            found_reason(&root, &adr_dir, &found_dirs)
        )];
        let others: Vec<String> = found_dirs
            .iter()
            .filter(|f| f.dir != adr_dir)
            .map(|f| format!("{} ({})", f.dir, f.reason))
            .collect();
        if !others.is_empty() {
            lines.push(format!(
                "also found, not adopted (one ADR directory per repository): {}",
                others.join(", ")
            ));
        }
        let count = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !survey.known.is_empty() {
            lines.push(format!("statuses cto knows: {}", count(&survey.known)));
        }
        for k in &extra {
            let n = survey.keys.get(*k).copied().unwrap_or(0);
            lines.push(format!(
                "adopted front-matter key `{}` ({n} of {} records)",
                visible(k),
                survey.front_matter
            ));
        }
        for f in &optional {
            let n = survey.missing.get(f).copied().unwrap_or(0);
            lines.push(format!(
                "`{f}` made optional: {n} of {} records leave it out",
                survey.with_metadata
            ));
        }
        for (w, class, n) in &survey.adopted {
            lines.push(format!("adopted status `{}` ({n}) as {class}", visible(w)));
        }
        for (w, near, n) in &survey.typos {
            lines.push(format!(
                "likely a typo, not adopted: `{}` ({n}); did you mean `{near}`?",
                visible(w)
            ));
        }
        for (w, n) in &survey.unplaced {
            lines.push(format!(
                "not adopted: `{}` ({n}); declare it under `adr.statuses` with the status it counts as",
                visible(w)
            ));
        }
        for line in lines {
            writeln!(ctx.err, "{line}")?;
        }
    }
    if dry_run {
        write!(ctx.out, "{text}")?;
        return Ok(Exit::Success);
    }
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

/// Why the ADR directory is the one it is, in words.
fn found_reason(root: &Path, dir: &str, found: &[crate::discover::Found]) -> String {
    if root.join(".adr-dir").is_file() {
        return "named by .adr-dir".into();
    }
    found.iter().find(|f| f.dir == dir).map_or_else(
        || "the conventional place".to_string(),
        |f| f.reason.clone(),
    )
}
