//! A field edit on any front matter: never panics, and when it succeeds every byte
//! outside the field's value is unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cto::parse::{frontmatter, yaml};

fn shift(node: &mut yaml::Node, by: usize) {
    node.span = node.span.shift(by);
    match &mut node.value {
        yaml::Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        yaml::Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        _ => {}
    }
}

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
    shift(&mut meta, fm.yaml.start);
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
