//! docs/rules/ and the README's rule table are generated from the rule registry; this
//! test fails when either is stale. Regenerate with `CTO_UPDATE_DOCS=1 cargo test --test docs`.

use std::path::Path;

use cto::check::RULES;
use cto::check::registry::{index_page, page, readme_table};

const BEGIN: &str =
    "<!-- rules: generated from the registry by `CTO_UPDATE_DOCS=1 cargo test --test docs` -->\n";
const END: &str = "<!-- /rules -->\n";

fn update() -> bool {
    std::env::var_os("CTO_UPDATE_DOCS").is_some()
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut expected: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.code), page(r)))
        .collect();
    expected.push(("README.md".into(), index_page()));
    if update() {
        std::fs::create_dir_all(&dir).expect("mkdir docs/rules");
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).expect("write");
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    present.retain(|n| !expected.iter().any(|(e, _)| e == n));
    assert!(
        stale.is_empty() && present.is_empty(),
        "docs/rules is stale (changed: {stale:?}, no longer a rule: {present:?}); \
         run `CTO_UPDATE_DOCS=1 cargo test --test docs` and commit the result"
    );
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (Some(begin), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lacks the rule table markers:\n{BEGIN}{END}");
    };
    let (start, end) = (begin + BEGIN.len(), end);
    assert!(
        start <= end,
        "README.md: the rule table markers are out of order"
    );
    let table = readme_table();
    if update() {
        let text = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, text).expect("write README.md");
        return;
    }
    assert!(
        readme[start..end] == table,
        "the rule table in README.md is stale; \
         run `CTO_UPDATE_DOCS=1 cargo test --test docs` and commit the result"
    );
}
