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
    let split = frontmatter::split(text);
    let Some(fm) = split.front_matter else { return };
    if fm.close.is_none() {
        return;
    }
    let Ok(Some(mut meta)) = yaml::parse(&text[fm.yaml.range()]) else {
        return;
    };
    meta.shift(fm.yaml.start);
    let value = cto::templates::yaml_scalar(value);
    let old = meta.get(key).map(|n| n.span);
    if let Ok(edited) = cto::edit::set_field(text, &fm, &meta, key, &value)
        && let Some(span) = old
        && !matches!(
            meta.get(key).map(|n| &n.value),
            Some(yaml::Value::Null | yaml::Value::Seq(_) | yaml::Value::Map(_))
        )
    {
        assert_eq!(&edited[..span.start], &text[..span.start]);
        assert_eq!(&edited[span.start + value.len()..], &text[span.end..]);
    }
});
