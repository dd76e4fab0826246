//! A whole document of any kind, from any bytes, through every rule: never panics, and
//! every diagnostic points inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cto::config::Config;
use cto::model::{Corpus, Kind, document_from_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(first) % 4];
    let config = Config::default();
    let doc = document_from_bytes(kind, "docs/x/0001-x.md", bytes.to_vec(), &config);
    let len = doc.source.text.len();
    let corpus = Corpus::new(vec![doc]);
    let ctx = cto::check::Context {
        config: &config,
        root: std::path::Path::new("/nonexistent"),
        today: jiff::civil::date(2026, 1, 1),
    };
    for d in cto::check::run(&corpus, &ctx) {
        assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
    }
});
