//! `cto slo status|report|export|import`: live budgets from Prometheus, and one file
//! per SLO format (OpenSLO, Sloth, Pyrra, slo-generator, Prometheus rules).

mod export;
mod import;
mod imported;
pub mod live;
mod openslo;
mod pyrra;
mod rules;
mod slo_generator;
mod sloth;
pub mod status;

pub use export::export;
pub use import::import;
pub use status::{report, status};

/// `checkout-availability` as `CheckoutAvailability` (alert names).
fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The placeholders a query may carry for its range.
const PLACEHOLDERS: [&str; 4] = ["{{.window}}", "{{ .window }}", "$window", "${window}"];

/// The series selector of `sum(FUNC(SELECTOR[{{.window}}]))`, the shape Pyrra, Sloth
/// examples and slo-generator write; `None` for any other query.
fn wrapped_selector<'a>(query: &'a str, func: &str) -> Option<&'a str> {
    let q = query.trim();
    let inner = q.strip_prefix("sum(")?.strip_suffix(')')?.trim();
    let inner = inner.strip_prefix(func)?.trim_start();
    let inner = inner.strip_prefix('(')?.strip_suffix(')')?.trim();
    let selector = PLACEHOLDERS
        .iter()
        .find_map(|p| inner.strip_suffix(&format!("[{p}]")))?
        .trim();
    // A plain selector: a metric name and matchers, nothing that computes.
    let ok = !selector.is_empty()
        && !selector.contains(['(', ')', '[', ']'])
        && selector
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':' || c == '{');
    ok.then_some(selector)
}

/// `sum(FUNC(SELECTOR[{{.window}}]))`.
fn wrap_selector(selector: &str, func: &str) -> String {
    format!("sum({func}({}[{{{{.window}}}}]))", selector.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::fill_window;

    #[test]
    fn selectors_are_found_only_in_the_plain_shape() {
        assert_eq!(
            wrapped_selector(
                r#"sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))"#,
                "rate"
            ),
            Some(r#"http_requests_total{code=~"5.."}"#)
        );
        assert_eq!(
            wrapped_selector(
                "sum(count_over_time(up{job=\"x\"}[$window]))",
                "count_over_time"
            ),
            Some("up{job=\"x\"}")
        );
        assert_eq!(wrapped_selector("sum(rate(x[5m]))", "rate"), None);
        assert_eq!(
            wrapped_selector("sum(rate(x[{{.window}}])) by (job)", "rate"),
            None
        );
        assert_eq!(
            wrapped_selector("sum(rate(rate(x[1m])[{{.window}}]))", "rate"),
            None
        );
        assert_eq!(
            wrap_selector("x{a=\"b\"}", "rate"),
            "sum(rate(x{a=\"b\"}[{{.window}}]))"
        );
        assert_eq!(camel("checkout-availability"), "CheckoutAvailability");
        assert_eq!(
            fill_window("x[{{.window}}]", "5m").as_deref(),
            Some("x[5m]")
        );
    }
}
