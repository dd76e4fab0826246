//! Titles into file-name slugs: lowercase letters of any script, digits and `-`.

const MAX_CHARS: usize = 80;
/// A file name is at most 255 bytes on common file systems; the slug leaves room for the
/// number and `.md`.
const MAX_BYTES: usize = 200;

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
            let before = out.len();
            // A letter whose lowercase adds a combining mark (`İ` is `i` and a dot
            // above) keeps its letters only.
            out.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
            if out.len() > MAX_BYTES {
                out.truncate(before);
                break;
            }
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

/// An RFC 1123 label from a title, for SLO names: ASCII letters, digits and `-`, at most
/// 63 characters; `None` when the title has no ASCII letters or digits.
pub fn label(title: &str) -> Option<String> {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out.truncate(63);
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// Whether `name` is safe as a service name inside queries and labels: ASCII letters,
/// digits, `-`, `_` and `.`, starting with a letter or digit.
pub fn is_label(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.len() <= 253
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capital_whose_lowercase_adds_a_mark_keeps_its_letter() {
        assert_eq!(slugify("İstanbul Office"), "istanbul-office");
        assert_eq!(slugify("İ"), "i");
    }

    #[test]
    fn a_slug_fits_a_file_name_in_bytes() {
        let wide = "\u{20000}".repeat(90);
        let slug = slugify(&wide);
        assert!(slug.len() <= MAX_BYTES, "{}", slug.len());
        assert!(slug.chars().all(|c| c == '\u{20000}'));
    }

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
        assert_eq!(
            label("Checkout availability (p99)").as_deref(),
            Some("checkout-availability-p99")
        );
        assert_eq!(label("在线"), None);
        assert_eq!(
            label(&format!("{}-b", "a".repeat(62))).as_deref(),
            Some("a".repeat(62).as_str())
        );
    }
}
