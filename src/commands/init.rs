//! `cto init`: cto.yaml, the directories, and ADR 0001.

use std::fs;

use anyhow::{Context, bail};

use std::collections::BTreeMap;
use std::path::Path;

use super::{Ctx, Exit, documents};
use crate::check::did_you_mean;
use crate::config::{self, DEFAULT_FILE};
use crate::model::Kind;
use crate::model::kinds::adr::section_key;
use crate::model::status::normalize;
use crate::parse::markdown::normalize_heading;
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
    /// Records per adopted directory, when there are several.
    per_dir: BTreeMap<String, usize>,
    /// Records whose body was read (for the share of each heading).
    bodies: usize,
    /// Each section (by its key: `Context` and `Context and Problem Statement` are
    /// one), with how many records have it and the sum of its places in them.
    headings: BTreeMap<String, (usize, usize)>,
    /// How each section is written, with how often: the commonest is adopted.
    heading_forms: BTreeMap<String, BTreeMap<String, usize>>,
}

/// The share of records (percent) a heading must be in to be adopted as a section
/// every record is held to.
const SECTION_SHARE: usize = 80;

/// Sections MADR's template marks optional: never adopted as required, however many
/// records have them (a record without them is complete).
const OPTIONAL_SECTIONS: &[&str] = &[
    "decision drivers",
    "pros and cons of the options",
    "more information",
    "links",
    "confirmation",
    "validation",
    "references",
    "notes",
];

impl Survey {
    /// Keys most records share: the team's own, adopted under `adr.fields`.
    fn extra_fields(&self) -> Vec<&str> {
        self.keys
            .iter()
            .filter(|(_, n)| **n >= 2 && **n * 4 >= self.front_matter)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// The sections of the team's template: the headings at least SECTION_SHARE% of the
    /// records have, in their usual order, each as most records write it. `None` when
    /// no record was read.
    fn sections(&self) -> Option<Vec<String>> {
        if self.bodies == 0 {
            return None;
        }
        let mut common: Vec<(f64, String)> = self
            .headings
            .iter()
            .filter(|(_, (n, _))| n * 100 >= self.bodies * SECTION_SHARE)
            // Status and date are metadata (CTO105 asks for them), not template sections.
            .filter(|(key, _)| {
                !OPTIONAL_SECTIONS.contains(&key.as_str())
                    && !crate::model::adr::is_status_key(key)
                    && key.as_str() != "date"
            })
            .filter_map(|(key, (n, places))| {
                let form = self
                    .heading_forms
                    .get(key)?
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?
                    .0
                    .clone();
                Some((*places as f64 / *n as f64, form))
            })
            .collect();
        common.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Some(common.into_iter().map(|(_, form)| form).collect())
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

/// A heading as a template names it: without its number (`1.`), emoji or trailing
/// colon, case kept.
fn written_heading(text: &str) -> String {
    let t = text.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    t.trim_end_matches([':', ' ']).to_string()
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
        if let Some(log) = ws.config.documents.log_of(Kind::Adr, doc.path()) {
            *survey.per_dir.entry(log.to_string()).or_default() += 1;
        }
        if doc.readable {
            survey.bodies += 1;
            let mut seen = Vec::new();
            for h in doc.body.headings.iter().filter(|h| h.level == 2) {
                let normalized = normalize_heading(&h.text);
                let key = section_key(&normalized).to_string();
                if key.is_empty() || seen.contains(&key) {
                    continue;
                }
                let entry = survey.headings.entry(key.clone()).or_default();
                entry.0 += 1;
                entry.1 += seen.len();
                *survey
                    .heading_forms
                    .entry(key.clone())
                    .or_default()
                    .entry(written_heading(&h.text))
                    .or_default() += 1;
                seen.push(key);
            }
        }
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
    // Every ADR directory: the one discovery reads first (`.adr-dir`, a conventional
    // place), then every other log found by its records (a monorepo's packages).
    let found_dirs = if here {
        crate::discover::adr_dirs(&root)
    } else {
        Vec::new()
    };
    let mut adr_dirs: Vec<String> = if here {
        found
            .dirs(Kind::Adr)
            .into_iter()
            .map(str::to_string)
            .collect()
    } else {
        vec![Kind::Adr.spec().default_dir.to_string()]
    };
    for f in &found_dirs {
        let inside = |d: &String| d != "." && f.dir.starts_with(&format!("{d}/"));
        if !adr_dirs.contains(&f.dir) && !adr_dirs.iter().any(inside) {
            adr_dirs.push(f.dir.clone());
        }
    }
    let mut found = found;
    if here {
        found.set_adr_dirs(adr_dirs.clone());
    }
    let dir_line = match adr_dirs.as_slice() {
        [one] => format!("dir: {}\n", yaml_scalar(one)),
        many => format!(
            "dirs: [{}]   # one log per directory; `cto adr new` writes to the first\n",
            many.iter()
                .map(|d| yaml_scalar(d))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut text = DEFAULT_FILE.replacen("dir: docs/decisions\n", &dir_line, 1);
    let survey = if here {
        survey(&found)
    } else {
        Survey::default()
    };
    let mut insert = |line: String| {
        text = text.replacen(&dir_line, &format!("{dir_line}  {line}\n"), 1);
    };
    if !survey.adopted.is_empty() {
        let pairs: Vec<String> = survey
            .adopted
            .iter()
            .map(|(w, class, _)| format!("{}: {class}", yaml_scalar(w)))
            .collect();
        insert(format!(
            "statuses: {{ {} }}   # the team's own, and what each counts as",
            pairs.join(", ")
        ));
    }
    let extra = survey.extra_fields();
    if !extra.is_empty() {
        let keys: Vec<String> = extra.iter().map(|k| yaml_scalar(k)).collect();
        insert(format!(
            "fields: [{}]   # the team's own front-matter keys",
            keys.join(", ")
        ));
    }
    let optional = survey.optional_fields();
    if !optional.is_empty() {
        insert(format!(
            "optional: [{}]   # required by cto's template, not by the team's",
            optional.join(", ")
        ));
    }
    let sections = survey.sections();
    if let Some(sections) = &sections {
        let names: Vec<String> = sections.iter().map(|s| yaml_scalar(s)).collect();
        insert(format!(
            "sections: [{}]   # the headings most of the team's records have",
            names.join(", ")
        ));
    }
    if survey.records > 0 {
        let visible = crate::report::escape::visible;
        let mut lines = Vec::new();
        for (i, dir) in adr_dirs.iter().enumerate() {
            let n = survey.per_dir.get(dir).copied().unwrap_or(survey.records);
            lines.push(format!(
                "found {n} ADR(s) in {} ({})",
                visible(dir),
                found_reason(&root, i, dir, &found_dirs)
            ));
        }
        if adr_dirs.len() > 1 {
            lines.push(format!(
                "{} ADR directories, each numbered on its own; `cto adr new` writes to {} unless given --dir",
                adr_dirs.len(),
                visible(&adr_dirs[0])
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
        if let Some(sections) = &sections {
            let with: Vec<String> = sections
                .iter()
                .map(|s| {
                    let n = survey
                        .headings
                        .get(section_key(&normalize_heading(s)))
                        .map_or(0, |(n, _)| *n);
                    format!("{} ({n})", visible(s))
                })
                .collect();
            lines.push(format!(
                "sections checked (in {SECTION_SHARE}% or more of {} records): {}",
                survey.records,
                with.join(", ")
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
            ws.dirs(Kind::Adr).join(", ")
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
        None,
    )?;
    writeln!(ctx.out, "{}", ctx.display_path(&path))?;
    Ok(Exit::Success)
}

/// Why an ADR directory (the `i`th adopted) is one, in words.
fn found_reason(root: &Path, i: usize, dir: &str, found: &[crate::discover::Found]) -> String {
    if i == 0 && root.join(".adr-dir").is_file() {
        return "named by .adr-dir".into();
    }
    found.iter().find(|f| f.dir == dir).map_or_else(
        || "the conventional place".to_string(),
        |f| f.reason.clone(),
    )
}
