//! Writing YAML scalars that read back as the very string written.

/// A string as a YAML scalar: plain when the parser reads it back as this very string
/// (so `12e3`, `0x10`, `yes`, `~` and `2024-01-01T00:00` stay strings), else
/// double-quoted with every control character escaped.
pub fn yaml_scalar(s: &str) -> String {
    let simple = s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .-_@/".contains(c))
        && !s.ends_with(' ');
    if simple && reads_back(s) {
        s.to_string()
    } else {
        // JSON's string escapes are a subset of YAML's double-quoted ones.
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
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
