//! YAML with spans: never panics or hangs (budgets), spans stay inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(node: &cto::parse::yaml::Node, len: usize) {
    assert!(node.span.start <= node.span.end && node.span.end <= len);
    match &node.value {
        cto::parse::yaml::Value::Seq(items) => items.iter().for_each(|n| check(n, len)),
        cto::parse::yaml::Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            check(k, len);
            check(v, len);
        }),
        _ => {}
    }
}

fuzz_target!(|text: &str| {
    if let Ok(Some(node)) = cto::parse::yaml::parse(text) {
        check(&node, text.len());
    }
    let _ = cto::parse::yaml::parse_stream(text);
});
