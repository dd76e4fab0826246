//! Every edit command over every real ADR of the corpus, in four variants (as is, CRLF,
//! BOM, CRLF+BOM): each edit changes only the bytes of its field (or refuses and leaves
//! the file as it was), the result parses, and the status reads as intended.

#![allow(clippy::print_stderr)] // the counts are reported for the record

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cto::model::{Document, Format, Kind, parse_document};
use cto::source::{Source, Span};
use support::{Repo, adr_dirs};

const DIR: &str = "docs/decisions";

#[derive(Clone, Copy, Debug)]
enum Variant {
    AsIs,
    Crlf,
    Bom,
    CrlfBom,
}

const VARIANTS: [Variant; 4] = [Variant::AsIs, Variant::Crlf, Variant::Bom, Variant::CrlfBom];

fn apply(variant: Variant, bytes: &[u8]) -> Vec<u8> {
    let bom = b"\xef\xbb\xbf";
    let body = bytes.strip_prefix(bom).unwrap_or(bytes);
    let crlf = |b: &[u8]| -> Vec<u8> {
        let mut out = Vec::with_capacity(b.len() + b.len() / 20);
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' && (i == 0 || b[i - 1] != b'\r') {
                out.push(b'\r');
            }
            out.push(c);
        }
        out
    };
    match variant {
        Variant::AsIs => bytes.to_vec(),
        Variant::Crlf => crlf(body),
        Variant::Bom => [&bom[..], body].concat(),
        Variant::CrlfBom => [&bom[..], &crlf(body)].concat(),
    }
}

/// A repository holding one corpus folder's markdown files in `docs/decisions`.
fn repo_of(dir: &Path, variant: Variant) -> Repo {
    let repo = Repo::plain().file("cto.yaml", &format!("adr: {{ dir: {DIR} }}\n"));
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "md") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(&path).expect("read");
            repo.write(&format!("{DIR}/{name}"), &apply(variant, &bytes));
        }
    }
    repo
}

fn read_doc(rel: &str, text: &str) -> Document {
    parse_document(
        Kind::Adr,
        Source::new(rel, text.to_string()),
        &Default::default(),
    )
}

/// The ADRs of a repository that one id names (so `adr status ID` reaches them).
fn addressable(repo: &Repo) -> Vec<(String, String)> {
    let list = repo.cto(&["adr", "list", "--format", "json"]).json();
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in list.as_array().expect("rows") {
        if let (Some(id), Some(path)) = (row["id"].as_str(), row["path"].as_str()) {
            by_id
                .entry(id.to_string())
                .or_default()
                .push(path.to_string());
        }
    }
    by_id
        .into_iter()
        .filter(|(_, paths)| paths.len() == 1)
        .map(|(id, mut paths)| (id, paths.remove(0)))
        .collect()
}

/// Where an edit of the status may change bytes: the value's whole extent in front
/// matter, the status line or paragraph in the body, or the place before the closing
/// fence where a missing key is added.
fn status_region(doc: &Document) -> Option<Span> {
    let text = &doc.source.text;
    match (
        doc.format,
        doc.meta.as_ref().and_then(|m| m.entry("status")),
    ) {
        (Format::FrontMatter | Format::None, Some((k, v))) => {
            cto::edit::field::value_extent(text, k, v).map(|(s, _)| s)
        }
        (_, Some((_, v))) => Some(v.span),
        (_, None) => doc
            .front_matter
            .as_ref()
            .and_then(|f| f.close)
            .map(|c| Span::empty(c.start)),
    }
}

/// The bytes of `old` that `new` replaced: (start, end) in `old`.
fn changed(old: &str, new: &str) -> (usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, a.len() - suffix)
}

/// The files that differ between two snapshots, by name.
fn differ(a: &[(PathBuf, Vec<u8>)], b: &[(PathBuf, Vec<u8>)]) -> Vec<String> {
    let mut names: Vec<String> = a
        .iter()
        .filter(|x| !b.contains(x))
        .chain(b.iter().filter(|x| !a.contains(x)))
        .map(|(p, _)| p.display().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[derive(Default, Debug)]
struct Tally {
    edited: usize,
    refused: usize,
    skipped: usize,
}

/// Checks one status edit of `rel`; `want` is the status the file must now read as.
fn check_status_edit(
    repo: &Repo,
    rel: &str,
    old: &str,
    run: &support::Run,
    want: &str,
    tally: &mut Tally,
) {
    let new = repo.read(rel);
    if run.code != 0 {
        assert_eq!(
            new, old,
            "{rel}: refused, but the file changed\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.trim().is_empty(),
            "{rel}: refused without a word"
        );
        tally.refused += 1;
        return;
    }
    let before = read_doc(rel, old);
    let region = status_region(&before).unwrap_or_else(|| panic!("{rel}: no status region"));
    let (start, end) = changed(old, &new);
    assert!(
        region.start <= start && end <= region.end,
        "{rel}: the edit changed bytes {start}..{end}, outside the status at {region:?}:\n{}",
        &new[start.saturating_sub(40).min(new.len())..(end + 60).min(new.len())]
    );
    let after = read_doc(rel, &new);
    let status = after.status.as_ref().map(|s| s.canonical.as_str());
    assert_eq!(status, Some(want), "{rel}: status after the edit");
    assert!(
        !after.diagnostics.iter().any(|d| d.rule.code == "CTO103"),
        "{rel}: the edit broke the YAML"
    );
    if let (Some(a), Some(b)) = (&before.meta, &after.meta) {
        for (k, v) in a.entries() {
            let key = k.scalar_text().unwrap_or_default();
            if key != "status" {
                let now = b
                    .get(&key)
                    .unwrap_or_else(|| panic!("{rel}: `{key}` is gone"));
                assert!(
                    cto::edit::field::same_value(v, now),
                    "{rel}: `{key}` changed"
                );
            }
        }
    }
    tally.edited += 1;
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn status_and_supersede_change_only_the_status() {
    let mut status = Tally::default();
    let mut supersede = Tally::default();
    for dir in adr_dirs() {
        for variant in VARIANTS {
            let repo = repo_of(&dir, variant);
            for (id, rel) in addressable(&repo) {
                let old = repo.read(&rel);
                let doc = read_doc(&rel, &old);
                let target = match doc.status.as_ref().map(|s| s.counts_as.as_str()) {
                    Some("deprecated") => "accepted",
                    _ => "deprecated",
                };
                let run = repo.cto(&["adr", "status", &id, target, "--force"]);
                check_status_edit(&repo, &rel, &old, &run, target, &mut status);
                repo.write(&rel, old.as_bytes());

                if doc
                    .status
                    .as_ref()
                    .is_some_and(|s| s.counts_as == "superseded")
                {
                    supersede.skipped += 1;
                    continue;
                }
                let before = repo.snapshot();
                let run = repo.cto(&["adr", "new", "Successor", "--supersedes", &id]);
                let created: Vec<_> = repo
                    .snapshot()
                    .into_iter()
                    .filter(|(p, _)| !before.iter().any(|(q, _)| q == p))
                    .collect();
                if run.code == 0 {
                    assert_eq!(created.len(), 1, "{rel}: one new ADR");
                    let name = created[0]
                        .0
                        .file_name()
                        .expect("name")
                        .to_string_lossy()
                        .into_owned();
                    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
                    let number: u32 = digits.parse().expect("number");
                    let want = format!("superseded by ADR-{number:04}");
                    check_status_edit(&repo, &rel, &old, &run, &want, &mut supersede);
                    std::fs::remove_file(repo.path().join(&created[0].0)).expect("remove");
                } else {
                    assert!(created.is_empty(), "{rel}: refused but created {created:?}");
                    check_status_edit(&repo, &rel, &old, &run, "", &mut supersede);
                }
                repo.write(&rel, old.as_bytes());
                assert_eq!(
                    repo.snapshot(),
                    before,
                    "{rel}: the repository is as it was"
                );
            }
        }
    }
    eprintln!("adr status: {status:?}\nadr new --supersedes: {supersede:?}");
    assert!(status.edited > 600, "{status:?}");
    assert!(supersede.edited > 500, "{supersede:?}");
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn renumber_there_and_back_gives_the_same_bytes() {
    let mut tally = Tally::default();
    for dir in adr_dirs() {
        for variant in VARIANTS {
            let repo = repo_of(&dir, variant);
            let original = repo.snapshot();
            for (id, rel) in addressable(&repo) {
                let Some(n) = read_doc(&rel, &repo.read(&rel)).number else {
                    tally.skipped += 1;
                    continue;
                };
                // A free number as wide as the file's own, so the name keeps its width.
                let name = rel.rsplit('/').next().unwrap_or_default();
                let width = name
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count()
                    .max(1);
                let taken: Vec<u32> = repo
                    .snapshot()
                    .iter()
                    .filter_map(|(p, _)| {
                        let n = p.file_name()?.to_string_lossy().into_owned();
                        let d: String = n
                            .trim_start_matches(|c: char| !c.is_ascii_digit())
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        d.parse().ok()
                    })
                    .collect();
                let top = 10u64.pow(width as u32).min(u64::from(u32::MAX)) as u32 - 1;
                let far = (1..=top)
                    .rev()
                    .find(|f| !taken.contains(f))
                    .expect("a free number");
                let far = far.to_string();
                let there = repo.cto(&["adr", "renumber", &id, &far]);
                if there.code != 0 {
                    assert_eq!(
                        differ(&repo.snapshot(), &original),
                        Vec::<String>::new(),
                        "{rel}: refused but changed files"
                    );
                    tally.refused += 1;
                    continue;
                }
                let back = repo.cto(&["adr", "renumber", &far, &n.to_string()]);
                assert_eq!(back.code, 0, "{rel}: {}", back.stderr);
                assert_eq!(
                    differ(&repo.snapshot(), &original),
                    Vec::<String>::new(),
                    "{rel}: renumbered there and back"
                );
                tally.edited += 1;
            }
        }
    }
    eprintln!("adr renumber: {tally:?}");
    assert!(tally.edited > 600, "{tally:?}");
}

/// Whether a line removed by migrate is metadata that moved into the front matter.
fn is_metadata_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(['-', '*'])
        .trim()
        .to_lowercase();
    let keys = [
        "status:",
        "date:",
        "deciders:",
        "decision-makers:",
        "consulted:",
        "informed:",
        "tags:",
    ];
    t.is_empty() || keys.iter().any(|k| t.starts_with(k))
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn migrate_keeps_every_key_comment_and_line_of_prose() {
    let mut tally = Tally::default();
    for dir in adr_dirs() {
        for variant in VARIANTS {
            let repo = repo_of(&dir, variant);
            let before = repo.snapshot();
            let run = repo.cto(&["adr", "migrate"]);
            assert!(run.code == 0, "{}: {}", dir.display(), run.stderr);
            for (path, old_bytes) in &before {
                let rel = path.to_string_lossy().replace('\\', "/");
                if !rel.ends_with(".md") {
                    continue;
                }
                let old = String::from_utf8_lossy(old_bytes).into_owned();
                let new = repo.read(&rel);
                if new == old {
                    tally.skipped += 1;
                    continue;
                }
                let doc = read_doc(&rel, &old);
                let after = read_doc(&rel, &new);
                assert_eq!(after.format, Format::FrontMatter, "{rel}");
                assert!(
                    !after.diagnostics.iter().any(|d| d.rule.code == "CTO103"),
                    "{rel}: the front matter does not parse"
                );
                // Its own front matter (keys and comments) is still there, as it was.
                if let Some(fm) = doc.front_matter.as_ref().filter(|f| f.close.is_some()) {
                    let old_yaml = &old[fm.yaml.range()];
                    let new_fm = after.front_matter.as_ref().expect("front matter");
                    assert!(
                        new[new_fm.yaml.range()].starts_with(old_yaml),
                        "{rel}: its front matter changed"
                    );
                }
                // The body only lost lines; each was metadata, or in the Status section.
                let old_body = &old[doc
                    .front_matter
                    .as_ref()
                    .and_then(|f| f.close)
                    .map_or(0, |c| c.end)..]
                    .trim_start_matches('\u{feff}');
                let new_body = &new[after
                    .front_matter
                    .as_ref()
                    .and_then(|f| f.close)
                    .map_or(0, |c| c.end)..];
                let status_section = doc
                    .body
                    .section("status")
                    .map(|s| Span::new(s.heading.span.start, s.content.end));
                let offset = old.len() - old_body.len();
                let mut new_lines = new_body.split_inclusive('\n').peekable();
                let mut at = offset;
                for line in old_body.split_inclusive('\n') {
                    // Blank lines the migration added (after the new front matter).
                    while new_lines
                        .peek()
                        .is_some_and(|l| l.trim().is_empty() && *l != line)
                    {
                        new_lines.next();
                    }
                    if new_lines.peek() == Some(&line) {
                        new_lines.next();
                    } else {
                        let in_status = status_section.is_some_and(|s| s.start <= at && at < s.end);
                        assert!(
                            in_status || is_metadata_line(line),
                            "{rel}: migrate removed `{}`",
                            line.trim_end()
                        );
                    }
                    at += line.len();
                }
                let rest: Vec<_> = new_lines.filter(|l| !l.trim().is_empty()).collect();
                assert!(
                    rest.is_empty(),
                    "{rel}: migrate added to the body: {rest:?}"
                );
                let status = |d: &Document| d.status.as_ref().map(|s| s.counts_as.clone());
                if status(&doc).is_some() {
                    assert_eq!(status(&doc), status(&after), "{rel}: status");
                }
                tally.edited += 1;
            }
        }
    }
    eprintln!("adr migrate: {tally:?}");
    assert!(tally.edited > 300, "{tally:?}");
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn fix_and_new_with_fields_touch_only_their_fields() {
    let mut fixed = Tally::default();
    for dir in adr_dirs() {
        for variant in VARIANTS {
            let repo = repo_of(&dir, variant);
            let before = repo.snapshot();
            let run = repo.cto(&["lint", "--fix"]);
            assert!(run.code <= 1, "{}: {}", dir.display(), run.stderr);
            for (path, old_bytes) in &before {
                let rel = path.to_string_lossy().replace('\\', "/");
                let old = String::from_utf8_lossy(old_bytes).into_owned();
                let new = String::from_utf8_lossy(&repo.bytes(&rel)).into_owned();
                if new == old {
                    continue;
                }
                let (a, b) = (read_doc(&rel, &old), read_doc(&rel, &new));
                let body = |d: &Document, t: &str| {
                    t[d.front_matter
                        .as_ref()
                        .and_then(|f| f.close)
                        .map_or(0, |c| c.end)..]
                        .to_string()
                };
                assert_eq!(
                    body(&a, &old),
                    body(&b, &new),
                    "{rel}: --fix changed the body"
                );
                let fixable = ["status", "decision-makers", "consulted", "informed"];
                for (k, v) in a.meta.as_ref().map(|m| m.entries()).unwrap_or_default() {
                    let key = k.scalar_text().unwrap_or_default();
                    if !fixable.contains(&key.as_str()) {
                        let now = b.meta.as_ref().and_then(|m| m.get(&key));
                        assert!(
                            now.is_some_and(|n| cto::edit::field::same_value(v, n)),
                            "{rel}: --fix changed `{key}`"
                        );
                    }
                }
                assert_eq!(
                    a.status.as_ref().map(|s| &s.counts_as),
                    b.status.as_ref().map(|s| &s.counts_as),
                    "{rel}: --fix changed what the status means"
                );
                fixed.edited += 1;
            }
            // A new record with fields leaves every existing file as it was.
            let before = repo.snapshot();
            let run = repo.cto(&[
                "adr",
                "new",
                "Field test",
                "--field",
                "decision-makers=[Ana, 12e3]",
                "--field",
                "tags=[x]",
            ]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let path = repo.path().join(run.stdout.trim());
            let text = std::fs::read_to_string(&path).expect("new file");
            let doc = read_doc("docs/decisions/9999-x.md", &text);
            assert_eq!(doc.adr().expect("adr").decision_makers, ["Ana", "12e3"]);
            std::fs::remove_file(&path).expect("remove");
            assert_eq!(
                differ(&repo.snapshot(), &before),
                Vec::<String>::new(),
                "new --field changed another file"
            );
        }
    }
    eprintln!("lint --fix: {fixed:?}");
}

/// Where adding to the list `field` may change bytes: from the key to the next key
/// (the list's own lines), or the place before the closing fence where a missing key
/// is added.
fn list_region(doc: &Document, field: &str) -> Option<Span> {
    let close = doc.front_matter.as_ref().and_then(|f| f.close)?;
    let meta = doc.meta.as_ref()?;
    let entries = meta.entries();
    match entries
        .iter()
        .position(|(k, _)| k.scalar_text().as_deref() == Some(field))
    {
        Some(i) => {
            let end = entries
                .get(i + 1)
                .map_or(close.start, |(k, _)| k.span.start);
            Some(Span::new(entries[i].0.span.start, end))
        }
        None => Some(Span::empty(close.start)),
    }
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn link_adds_only_to_the_lists_of_both_records() {
    const ANCHOR: &str = "docs/decisions/9999-anchor.md";
    let anchor = "---\nstatus: accepted\ndate: 2024-01-01\n---\n\n# Anchor\n";
    let mut tally = Tally::default();
    for dir in adr_dirs() {
        for variant in VARIANTS {
            let repo = repo_of(&dir, variant);
            repo.write(ANCHOR, anchor.as_bytes());
            for (i, (id, rel)) in addressable(&repo).into_iter().enumerate() {
                if rel == ANCHOR {
                    continue;
                }
                // `relates-to` and `amends` in turn: `links`, `amends`/`amended-by`.
                let (relation, field, anchor_field) = if i % 2 == 0 {
                    ("relates-to", "links", "links")
                } else {
                    ("amends", "amends", "amended-by")
                };
                let old = repo.read(&rel);
                let before = repo.snapshot();
                let run = repo.cto(&["adr", "link", &id, relation, "ADR-9999"]);
                let new = repo.read(&rel);
                if run.code != 0 {
                    assert_eq!(repo.snapshot(), before, "{rel}: refused, but files changed");
                    let name = rel.rsplit('/').next().expect("name");
                    assert!(
                        run.stderr.contains(name),
                        "{rel}: the refusal does not name the file: {}",
                        run.stderr
                    );
                    tally.refused += 1;
                    continue;
                }
                let doc = read_doc(&rel, &old);
                let after = read_doc(&rel, &new);
                if new != old {
                    let region = list_region(&doc, field)
                        .unwrap_or_else(|| panic!("{rel}: edited without front matter"));
                    let (start, end) = changed(&old, &new);
                    assert!(
                        region.start <= start && end <= region.end,
                        "{rel}: bytes {start}..{end} changed, outside `{field}` at {region:?}"
                    );
                }
                let listed = |d: &Document, f: &str| -> Vec<String> {
                    match d.meta.as_ref().and_then(|m| m.get(f)).map(|n| &n.value) {
                        Some(cto::parse::yaml::Value::Seq(items)) => {
                            items.iter().filter_map(|n| n.scalar_text()).collect()
                        }
                        Some(cto::parse::yaml::Value::Str(s)) => vec![s.clone()],
                        _ => Vec::new(),
                    }
                };
                assert!(
                    listed(&after, field).iter().any(|s| s == "ADR-9999"),
                    "{rel}: `{field}` does not list ADR-9999"
                );
                for (k, v) in doc.meta.as_ref().map(|m| m.entries()).unwrap_or_default() {
                    let key = k.scalar_text().unwrap_or_default();
                    if key != field {
                        let now = after.meta.as_ref().and_then(|m| m.get(&key));
                        assert!(
                            now.is_some_and(|n| cto::edit::field::same_value(v, n)),
                            "{rel}: `{key}` changed"
                        );
                    }
                }
                let other = read_doc(ANCHOR, &repo.read(ANCHOR));
                assert!(
                    listed(&other, anchor_field).contains(&id),
                    "{rel}: the anchor's `{anchor_field}` does not list {id}"
                );
                tally.edited += 1;
                repo.write(&rel, old.as_bytes());
                repo.write(ANCHOR, anchor.as_bytes());
            }
        }
    }
    eprintln!("adr link: {tally:?}");
    assert!(tally.edited > 200, "{tally:?}");
}
