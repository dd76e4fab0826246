//! The front matter split: never panics, spans stay inside the text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let split = cto::parse::frontmatter::split(text);
    assert!(split.body.start <= split.body.end && split.body.end == text.len());
    assert!(text.is_char_boundary(split.body.start));
    if let Some(fm) = split.front_matter {
        assert!(fm.yaml.start <= fm.yaml.end && fm.yaml.end <= text.len());
        assert!(text.is_char_boundary(fm.yaml.start) && text.is_char_boundary(fm.yaml.end));
    }
});
