//! Titles into file-name slugs: lowercase letters of any script, digits and `-`.

const MAX_CHARS: usize = 80;

/// A slug that is never empty and can never name a path outside its directory.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
        if out.chars().count() >= MAX_CHARS {
            break;
        }
    }
    if out.is_empty() {
        "untitled".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Use PostgreSQL for orders"),
            "use-postgresql-for-orders"
        );
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("在 list 展示"), "在-list-展示");
        assert_eq!(slugify("Ünïcödé — Straße!"), "ünïcödé-straße");
        assert_eq!(slugify("\u{0}\u{7}../"), "untitled");
        assert_eq!(slugify("C++ & Rust: 2024"), "c-rust-2024");
        assert!(slugify(&"a".repeat(500)).len() <= MAX_CHARS);
    }
}
