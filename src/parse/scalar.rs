//! Writing YAML scalars that read back as the very string written.

/// A string as a YAML scalar: plain when the parser reads it back as this very string
/// (so `12e3`, `0x10`, `yes`, `~` and `2024-01-01T00:00` stay strings), else
/// double-quoted with every control character escaped.
pub fn yaml_scalar(s: &str) -> String {
    let simple = s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .-_@/".contains(c))
        && !s.ends_with(' ');
    if simple && (words(s) || reads_back(s)) {
        s.to_string()
    } else {
        // JSON's string escapes are a subset of YAML's double-quoted ones.
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// Whether `text` is words of letters with spaces between them (`Ana Lima`): a plain
/// value that reads back as itself in any YAML schema (no number, boolean or null has a
/// space in it), so the parser need not be asked (people fields hold many of them).
fn words(text: &str) -> bool {
    text.contains(' ')
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && text.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// Whether `text`, written as a plain value, parses as the string `text`.
fn reads_back(text: &str) -> bool {
    super::yaml::parse(&format!("v: {text}\n"))
        .ok()
        .flatten()
        .and_then(|n| n.get("v").and_then(|v| v.as_str().map(|s| s == text)))
        .unwrap_or(false)
}

/// `new` in the quoting style of `original` (plain, single or double quotes), as long
/// as it reads back as `new`; else as [`yaml_scalar`] writes it.
pub fn requote(original: &str, new: &str) -> String {
    match original.chars().next() {
        Some('"') => serde_json::to_string(new).unwrap_or_else(|_| yaml_scalar(new)),
        Some('\'') if !new.chars().any(char::is_control) => {
            format!("'{}'", new.replace('\'', "''"))
        }
        _ => yaml_scalar(new),
    }
}

/// A YAML flow list of strings.
pub fn yaml_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| yaml_scalar(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_as_the_parser_reads_them() {
        for text in [
            "Ana Lima",
            "Bo  Chen",
            "no way",
            "Yes Sir",
            "null and void",
            "true false",
            "José María Núñez",
            "O N",
        ] {
            assert!(words(text), "{text}");
            assert!(reads_back(text), "{text}");
            assert_eq!(yaml_scalar(text), text);
        }
        // Not words: the parser decides (or the value is quoted).
        for text in [
            "yes",
            "Ana",
            "Ana Lima ",
            " Ana",
            "Ana: Lima",
            "Ana #1",
            "1 2",
        ] {
            assert!(!words(text), "{text}");
        }
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("Ana: Lima"), "\"Ana: Lima\"");
    }
}
