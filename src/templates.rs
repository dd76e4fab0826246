//! Document templates: embedded in the binary, overridable per repository.

use std::path::Path;

use anyhow::Context;

use crate::config::AdrTemplate;
use crate::model::Kind;

pub use crate::parse::scalar::{requote, yaml_list, yaml_scalar};

pub const ADR_MADR: &str = crate::model::kinds::adr::SPEC.template;
pub const ADR_NYGARD: &str = include_str!("../templates/adr-nygard.md");
pub const ADR_FIRST: &str = include_str!("../templates/adr-0001.md");

/// A kind's template: the repository's `.cto/templates/<kind>.md`, else the built-in one
/// (for ADRs, the one `adr.template` names).
pub fn template(kind: Kind, root: &Path, configured: &AdrTemplate) -> anyhow::Result<String> {
    match kind {
        Kind::Adr => adr_template(root, configured),
        _ => {
            let local = root.join(format!(".cto/templates/{}.md", kind.name()));
            if local.symlink_metadata().is_ok() {
                return read_template(root, &local);
            }
            Ok(kind.spec().template.to_string())
        }
    }
}

/// The ADR template text: the repo's `.cto/templates/adr.md`, else the configured one.
pub fn adr_template(root: &Path, configured: &AdrTemplate) -> anyhow::Result<String> {
    let local = root.join(".cto/templates/adr.md");
    if local.symlink_metadata().is_ok() {
        return read_template(root, &local);
    }
    match configured {
        AdrTemplate::Madr => Ok(ADR_MADR.to_string()),
        AdrTemplate::Nygard => Ok(ADR_NYGARD.to_string()),
        AdrTemplate::Path(p) => read_template(root, &root.join(p)),
    }
}

/// A template of the repository: a regular file inside it, of a sensible size (a link
/// out of the repository would copy what it points at into a new document).
fn read_template(root: &Path, path: &Path) -> anyhow::Result<String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let bytes = crate::workspace::read_file(path, Some(&root), crate::workspace::MAX_CONFIG_BYTES)
        .with_context(|| format!("reading template {}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("reading template {}: not UTF-8 text", path.display()))
}

pub fn render(template: &str, vars: minijinja::Value) -> anyhow::Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template("doc", template)
        .context("the template does not parse")?;
    let text = env
        .get_template("doc")
        .and_then(|t| t.render(vars))
        .context("the template does not render")?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_safe() {
        assert_eq!(yaml_scalar("Ana Lima"), "Ana Lima");
        assert_eq!(yaml_scalar("O'Brien: lead"), "\"O'Brien: lead\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("#1"), "\"#1\"");
        assert_eq!(yaml_list(&["A".into(), "b, c".into()]), "[A, \"b, c\"]");
        for number_like in [
            "12e3",
            "0x10",
            "12",
            "1.5",
            "~",
            "null",
            "No",
            "2024-01-01T10:00:00Z",
        ] {
            assert_eq!(
                yaml_scalar(number_like),
                format!("\"{number_like}\""),
                "{number_like}"
            );
        }
        assert_eq!(yaml_scalar("a\u{1b}[2J"), "\"a\\u001b[2J\"");
        assert_eq!(requote("'x'", "it's"), "'it''s'");
        assert_eq!(requote("\"x\"", "a"), "\"a\"");
        assert_eq!(requote("{ x }", "accepted"), "accepted");
    }
}
