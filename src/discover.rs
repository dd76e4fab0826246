//! Finding a team's decision records where they already are: tools' own markers
//! (adr-tools' `.adr-dir`, log4brains' `.log4brains.yml`), then directories whose
//! markdown files have ADR-like names and ADR-like content, wherever they sit.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::refs::number_of_file_name;

/// A directory that holds decision records, and why cto thinks so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Relative to the root, `/`-separated.
    pub dir: String,
    /// How many of its markdown files look like records.
    pub records: usize,
    pub reason: String,
}

/// Directories never searched: other tools' caches, dependencies, build output.
const SKIP: &[&str] = &[
    "node_modules",
    "target",
    "vendor",
    "dist",
    "build",
    "out",
    "site-packages",
    "third_party",
];

/// Where cto keeps risks, SLOs and roadmap items by default: never an ADR directory.
const OTHER_KINDS: &[&str] = &["docs/risks", "docs/slos", "docs/roadmap"];

/// How deep and how wide the search goes, so a huge tree costs little.
const MAX_DEPTH: usize = 6;
const MAX_ENTRIES: usize = 50_000;
/// How many files of a directory are read to see whether they are records.
const SAMPLE: usize = 3;

/// Whether a file name looks like a record's: `0007-x.md`, `007-x.md`, `ADR-12-x.md`,
/// `adr-005-x.md`, `adr005-x.md`, `20210114-x.md`.
pub fn record_like_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") && number_of_file_name(&lower).is_some() && {
        let prefixed = crate::model::refs::without_adr_prefix(&lower);
        let rest = prefixed.unwrap_or(&lower);
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        // One- and two-digit names are too common elsewhere (`1-intro.md`), unless
        // the `adr` prefix says what they are.
        digits >= 3 || prefixed.is_some()
    }
}

/// Whether a text reads like a decision record: a decision's sections (Context,
/// Decision, Considered Options, Consequences), an adr-tools `## Status` section, MADR 2
/// `* Status:` bullets, or MADR's `decision-makers`/`deciders`. A status alone is not
/// enough: risks and roadmap items have one too.
fn record_like_text(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "## context",
        "## decision",
        "## considered options",
        "## consequences",
        "## status",
        "* status:",
        "- status:",
        "decision-makers:",
        "deciders:",
    ]
    .iter()
    .any(|s| lower.contains(s))
}

/// log4brains' folder (`project.adrFolder` in `.log4brains.yml`), if the file says one.
fn log4brains_folder(root: &Path) -> Option<String> {
    let path = root.join(".log4brains.yml");
    let bytes = crate::files::read_file(&path, Some(root), crate::files::MAX_CONFIG_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let node = crate::parse::yaml::parse(&text).ok()??;
    let folder = node.get("project")?.get("adrFolder")?.scalar_text()?;
    let folder = folder.trim().trim_start_matches("./").trim_end_matches('/');
    (!folder.is_empty()).then(|| folder.to_string())
}

/// Every directory under `root` that holds decision records, most records first. A
/// tool's marker comes first whatever its count.
pub fn adr_dirs(root: &Path) -> Vec<Found> {
    let mut found = Vec::new();
    if let Some(folder) = log4brains_folder(root)
        && root.join(&folder).is_dir()
    {
        found.push(Found {
            dir: folder,
            records: 0,
            reason: "named by .log4brains.yml".into(),
        });
    }
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let dir = e.file_type().is_dir();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (dir && SKIP.contains(&name.as_ref()))
                    // Another cto repository inside this one keeps its own records.
                    || (dir && e.path().join(crate::config::FILE_NAME).exists())
                    // cto's own directories of the other kinds.
                    || (dir && OTHER_KINDS.iter().any(|k| e.path() == root.join(k))))
        });
    for entry in walker.take(MAX_ENTRIES).flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if !record_like_name(&name) {
            continue;
        }
        let Some(parent) = entry.path().parent() else {
            continue;
        };
        let Ok(rel) = parent.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        names.entry(rel).or_default().push(name);
    }
    let mut by_content: Vec<Found> = names
        .into_iter()
        // Records may sit at the repository's root (`adr-005-x.md` beside the README):
        // the same test of names and content holds it as for any directory.
        .filter(|(_, files)| files.len() >= 2)
        .filter(|(dir, files)| {
            files.iter().take(SAMPLE).any(|f| {
                let path = root.join(dir).join(f);
                crate::files::read_file(&path, Some(root), 256 * 1024)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .is_some_and(|t| record_like_text(&t))
            })
        })
        .map(|(dir, files)| Found {
            records: files.len(),
            reason: format!("{} files named like records", files.len()),
            dir: if dir.is_empty() { ".".to_string() } else { dir },
        })
        .collect();
    by_content.sort_by(|a, b| {
        b.records
            .cmp(&a.records)
            .then(a.dir.len().cmp(&b.dir.len()))
    });
    // A directory inside another found one is its archive, not a second log.
    let mut kept: Vec<Found> = Vec::new();
    for f in by_content {
        let nested = kept
            .iter()
            .chain(found.iter())
            // The root holds every directory; it makes none of them an archive.
            .any(|k| f.dir == k.dir || (k.dir != "." && f.dir.starts_with(&format!("{}/", k.dir))));
        if !nested {
            kept.push(f);
        }
    }
    found.extend(kept);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_like_records() {
        for yes in [
            "0007-use-x.md",
            "007-use-x.md",
            "ADR-12-title.md",
            "adr-005-x.md",
            "adr-5-x.md",
            "adr010-luxon-date-library.md",
            "ADR_12-title.md",
            "20210114-use-log4brains.md",
            "adr003-avoid-default-exports.md",
            "20240516132303-use-markdown.md",
        ] {
            assert!(record_like_name(yes), "{yes}");
        }
        for no in [
            "README.md",
            "1-intro.md",
            "12-notes.md",
            "0007-x.txt",
            "use-x.md",
            "adrian-5.md",
        ] {
            assert!(!record_like_name(no), "{no}");
        }
    }

    #[test]
    fn finds_records_by_name_and_content_anywhere() {
        let root = tempfile::tempdir().expect("tmp");
        let write = |rel: &str, text: &str| {
            let p = root.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        let adr = "# Use X\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n";
        write("content/ADR-12-use-x.md", adr);
        write("content/ADR-13-use-y.md", adr);
        write("content/archive/ADR-01-old.md", adr);
        write("packages/api/doc/architecture-decisions/001-a.md", adr);
        write("packages/api/doc/architecture-decisions/002-b.md", adr);
        write("packages/api/doc/architecture-decisions/003-c.md", adr);
        // Numbered files that are not records.
        write("docs/guide/001-install.md", "# Install\n\nRun it.\n");
        write("docs/guide/002-use.md", "# Use\n\nRun it.\n");
        // Risks have a status too; a nested cto repository keeps its own records.
        let risk = "---\nstatus: open\n---\n\n# R\n\n## Description\n\nD.\n";
        write("docs/risks/0001-r.md", risk);
        write("docs/risks/0002-s.md", risk);
        write("tools/cto.yaml", "");
        write("tools/docs/decisions/0001-a.md", adr);
        write("tools/docs/decisions/0002-b.md", adr);
        write("node_modules/x/doc/adr/0001-a.md", adr);
        write("node_modules/x/doc/adr/0002-b.md", adr);
        let found = adr_dirs(root.path());
        let dirs: Vec<&str> = found.iter().map(|f| f.dir.as_str()).collect();
        assert_eq!(
            dirs,
            vec!["packages/api/doc/architecture-decisions", "content"]
        );
        assert_eq!(found[0].records, 3);
    }
}
