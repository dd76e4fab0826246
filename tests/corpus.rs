//! The real corpus (ADRs written by other people): every file is read without a panic,
//! and every ADR is recognised with the number, title, status and date it states.

mod support;

use std::collections::BTreeMap;

use support::{Repo, adr_dirs};

/// What a plain reading of the file states, independent of cto's parser.
#[derive(Debug, Default)]
struct Stated {
    date: Option<String>,
    status: Option<String>,
    title: Option<String>,
}

fn stated(text: &str) -> Stated {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut s = Stated::default();
    let mut in_status = false;
    let mut in_front = text.starts_with("---\n");
    for (i, line) in text.lines().enumerate() {
        if in_front {
            if i > 0 && line == "---" {
                in_front = false;
            } else if let Some(v) = line.strip_prefix("date:") {
                s.date = Some(v.trim().trim_matches('"').to_string());
            } else if let Some(v) = line.strip_prefix("title:") {
                s.title = Some(v.trim().trim_matches('"').to_string());
            } else if let Some(v) = line.strip_prefix("status:") {
                s.status = Some(v.trim().trim_matches('"').to_lowercase());
            }
            continue;
        }
        if s.title.is_none()
            && let Some(t) = line.strip_prefix("# ")
        {
            s.title = Some(t.trim().to_string());
        }
        let bullet = line.trim_start_matches(['-', '*', ' ']);
        if let Some(v) = line.strip_prefix("Date:").or_else(|| {
            (bullet.len() < line.len())
                .then(|| bullet.strip_prefix("Date:"))
                .flatten()
        }) {
            s.date.get_or_insert(v.trim().to_string());
        }
        if bullet.len() < line.len()
            && let Some(v) = bullet.strip_prefix("Status:")
        {
            s.status.get_or_insert(v.trim().to_lowercase());
        }
        if line.starts_with("## ") {
            in_status = line.trim() == "## Status";
        } else if in_status && !line.trim().is_empty() && s.status.is_none() {
            s.status = Some(line.trim().to_lowercase());
        }
    }
    s
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_corpus_file_is_read_without_a_panic() {
    let repo = Repo::git();
    for dir in adr_dirs() {
        let d = dir.to_string_lossy();
        let run = repo.cto(&["lint", &d, "--kind", "adr", "--format", "json"]);
        assert!(
            run.code == 0 || run.code == 1,
            "{d}: exit {} {}",
            run.code,
            run.stderr
        );
        let json = run.json();
        for diag in json["diagnostics"].as_array().expect("array") {
            assert!(diag["line"].as_u64().is_some_and(|l| l >= 1), "{diag}");
            assert!(diag["column"].as_u64().is_some_and(|c| c >= 1), "{diag}");
            assert!(!diag["path"].as_str().unwrap_or("").is_empty(), "{diag}");
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_adr_is_recognised_with_what_it_states() {
    let builtin = ["proposed", "accepted", "rejected", "deprecated"];
    let mut checked = BTreeMap::new();
    for dir in adr_dirs() {
        // A documents directory is inside the repository: the corpus is copied in.
        let repo = Repo::git().file("cto.yaml", "adr:\n  dir: docs/decisions\n");
        for entry in std::fs::read_dir(&dir)
            .expect("corpus dir")
            .filter_map(Result::ok)
        {
            if entry.path().is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                repo.write(
                    &format!("docs/decisions/{name}"),
                    &std::fs::read(entry.path()).expect("read"),
                );
            }
        }
        let run = repo.cto(&["adr", "list", "--format", "json"]);
        assert_eq!(run.code, 0, "{}: {}", dir.display(), run.stderr);
        let rows = run.json();
        for row in rows.as_array().expect("array") {
            let path = row["path"].as_str().expect("path");
            let name = path.rsplit('/').next().expect("name");
            let text =
                String::from_utf8_lossy(&std::fs::read(dir.join(name)).expect("read")).into_owned();
            let s = stated(&text);
            let digits: String = name
                .trim_start_matches("adr-")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let Ok(number) = digits.parse::<u32>() else {
                assert!(row["id"].is_null(), "{path} has no number, so no id");
                continue;
            };
            assert_eq!(row["id"], format!("ADR-{number:04}"), "{path}");
            if let Some(date) = &s.date
                && date.len() == 10
            {
                assert_eq!(row["date"].as_str(), Some(date.as_str()), "{path}");
            }
            if let Some(status) = &s.status {
                if builtin.contains(&status.trim_end_matches('.')) {
                    assert_eq!(
                        row["status"].as_str(),
                        Some(status.trim_end_matches('.')),
                        "{path}"
                    );
                }
                if status.starts_with("superseded by") || status.starts_with("superceded by") {
                    assert_eq!(row["status"], "superseded", "{path}");
                }
            }
            if let Some(title) = &s.title {
                let shown = row["title"].as_str().expect("title");
                assert!(
                    title.ends_with(shown) || title.replace('`', "").ends_with(shown),
                    "{path}: {title:?} vs {shown:?}"
                );
            }
            *checked.entry(dir.display().to_string()).or_insert(0) += 1;
        }
    }
    let total: usize = checked.values().sum();
    assert!(total >= 200, "checked {total} ADRs: {checked:#?}");
}
