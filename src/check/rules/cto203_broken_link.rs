//! CTO203 broken-link: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That every relative link in the body (`[ADR 2](0002-use-x.md)`) resolves to a file,
    /// relative to the document's own directory. Web links, anchors and `mailto:` are not
    /// checked.
    ///
    /// ## Why
    /// Renamed or renumbered documents leave links behind that 404 in every renderer.
    ///
    /// ## Example
    /// ```markdown
    /// See [the old decision](0002-use-mysql.md).
    /// ```
    /// when the file is `0002-use-mysql-for-orders.md`.
    ///
    /// ## How to fix
    /// Point the link at the file as it is named now.
    pub static BROKEN_LINK = {
        code: "CTO203",
        name: "broken-link",
        layer: Body,
        kinds: ALL,
        severity: Error,
        summary: "A relative link points at a file that does not exist.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let file = ctx.root.join(doc.path());
        let Some(dir) = file.parent() else { continue };
        for link in &doc.body.links {
            let Some(target) = relative_target(&link.dest) else {
                continue;
            };
            if !dir.join(&target).exists() {
                let msg = format!("link target `{target}` does not exist");
                out.push(
                    Diagnostic::new(&BROKEN_LINK, doc.path(), link.span, msg)
                        .with_help("links are relative to the document's directory"),
                );
            }
        }
    }
}

/// The file a link points at, if it is a relative link to a file.
fn relative_target(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let scheme = dest.find(':').is_some_and(|i| {
        dest[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if dest.is_empty() || scheme || dest.starts_with(['#', '/', '?']) || dest.starts_with("//") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    if path.is_empty() {
        return None;
    }
    Some(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_links_are_checked() {
        assert_eq!(relative_target("0002-x.md").as_deref(), Some("0002-x.md"));
        assert_eq!(
            relative_target("../a%20b.md#top").as_deref(),
            Some("../a b.md")
        );
        assert_eq!(relative_target("https://example.com/x.md"), None);
        assert_eq!(relative_target("mailto:a@b.c"), None);
        assert_eq!(relative_target("#anchor"), None);
        assert_eq!(relative_target("%é%").as_deref(), Some("%é%"));
    }
}
