//! Properties over generated input: parsing never panics and every span it reports lies
//! inside the text; a field edit changes only that field; slugs stay inside their
//! directory; budgets are exact; SLO arithmetic on extreme objectives and windows never
//! panics, keeps budgets within the window, and is exact where the value is representable.

use proptest::prelude::*;

use cto::config::Config;
use cto::edit::set_field;
use cto::model::slo::{
    Decimal, MAX_WINDOW_SECONDS, Rational, budget, burn_rates, human_duration, parse_window_checked,
};
use cto::model::{Kind, document_from_bytes, parse_document};
use cto::parse::{frontmatter, yaml};
use cto::source::Source;

/// Text that looks like a document often enough to reach the deep paths: fences, keys,
/// YAML punctuation, headings, links, CRLF, a BOM, multibyte characters.
fn documentish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---\n",
        "---\r\n",
        "...\n",
        "\u{feff}",
        "status: ",
        "accepted",
        "acepted",
        "date: ",
        "2024-02-30",
        "2024-01-15",
        "links: [",
        "ADR-0001",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "- ",
        "  ",
        "\n",
        "\r\n",
        "# Title\n",
        "## Context\n",
        "## Status\n",
        "Accepted\n",
        "Date: 2016-02-12\n",
        "[x](0002-y.md)",
        "é",
        "在",
        "\t",
        ":",
        "'",
        "\"",
        "#",
        "|",
        "likelihood: 7\n",
        "objective: 0.995\n",
        "owner: ",
        "\u{0}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_and_spans_stay_inside(text in documentish(), kind in 0usize..4) {
        let kind = Kind::ALL[kind];
        let doc = parse_document(kind, Source::new("docs/x/0001-x.md", text.clone()), &Default::default());
        for d in &doc.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
        if let Some(t) = &doc.title {
            prop_assert!(t.span.end <= text.len());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let doc = document_from_bytes(Kind::Adr, "docs/decisions/0001-x.md", bytes, &Default::default());
        prop_assert!(doc.diagnostics.iter().all(|d| d.span.end <= doc.source.text.len()));
    }

    #[test]
    fn yaml_never_panics(text in documentish()) {
        let _ = yaml::parse(&text);
        let _ = yaml::parse_stream(&text);
    }

    #[test]
    fn front_matter_split_is_within_bounds(text in documentish()) {
        let split = frontmatter::split(&text);
        prop_assert!(split.body.end == text.len() && split.body.start <= text.len());
        if let Some(fm) = split.front_matter {
            prop_assert!(fm.yaml.start <= fm.yaml.end && fm.yaml.end <= text.len());
        }
    }

    #[test]
    fn an_edit_changes_only_its_field(
        values in prop::collection::vec("[a-z][a-z0-9 ]{0,12}", 1..6),
        which in any::<prop::sample::Index>(),
        new in "[a-z][a-z0-9-]{0,10}",
        crlf in any::<bool>(),
        comment in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("---{eol}");
        for (i, v) in values.iter().enumerate() {
            let note = if comment { " # keep" } else { "" };
            text.push_str(&format!("key{i}: {}{note}{eol}", v.trim()));
        }
        text.push_str(&format!("---{eol}{eol}# Body{eol}"));
        let i = which.index(values.len());
        let split = frontmatter::split(&text);
        let fm = split.front_matter.expect("front matter");
        let mut meta = yaml::parse(&text[fm.yaml.range()]).expect("yaml").expect("mapping");
        meta.shift(fm.yaml.start);
        let key = format!("key{i}");
        let value = meta.get(&key).expect("value").clone();
        // Values are quoted as `--field` quotes them (`n` alone would read as false).
        let written = cto::templates::yaml_scalar(&new);
        let edited = set_field(&text, &key, &written).expect("edit");
        // Every byte before and after the value is as it was.
        prop_assert_eq!(&edited[..value.span.start], &text[..value.span.start]);
        prop_assert_eq!(&edited[value.span.start + written.len()..], &text[value.span.end..]);
        let end = fm.yaml.end + written.len() - (value.span.end - value.span.start);
        let again = yaml::parse(&edited[fm.yaml.start..end]).expect("yaml").expect("mapping");
        prop_assert_eq!(again.get(&key).and_then(|n| n.scalar_text()), Some(new.clone()));
    }

    #[test]
    fn an_edit_of_any_value_shape_keeps_every_other_field(
        shapes in prop::collection::vec(0usize..9, 1..6),
        which in any::<prop::sample::Index>(),
        new in "[a-z][a-z0-9-]{0,10}",
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("{}---{eol}", if bom { "\u{feff}" } else { "" });
        for (i, shape) in shapes.iter().enumerate() {
            let value = match shape {
                0 => "plain # note".to_string(),
                1 => "{ accepted }".to_string(),
                2 => "[a, 'b, c']".to_string(),
                3 => format!("|{eol}  Accepted{eol}  more"),
                4 => format!(">-{eol}  folded{eol}{eol}  text"),
                5 => "~".to_string(),
                6 => String::new(),
                7 => format!("{eol}  - x{eol}  - y"),
                _ => "\"quoted # not a comment\"".to_string(),
            };
            text.push_str(&format!("key{i}: {value}{eol}"));
        }
        text.push_str(&format!("---{eol}{eol}# Body{eol}"));
        let i = which.index(shapes.len());
        let key = format!("key{i}");
        let written = cto::templates::yaml_scalar(&new);
        let edited = set_field(&text, &key, &written).expect("edit");
        let read = |t: &str| {
            let fm = frontmatter::split(t).front_matter.expect("front matter");
            yaml::parse(&t[fm.yaml.range()]).expect("yaml").expect("mapping")
        };
        let (before, after) = (read(&text), read(&edited));
        for (j, _) in shapes.iter().enumerate() {
            let k = format!("key{j}");
            if j == i {
                prop_assert_eq!(after.get(&k).and_then(|n| n.scalar_text()), Some(new.clone()));
            } else {
                prop_assert!(cto::edit::field::same_value(
                    before.get(&k).expect("before"),
                    after.get(&k).expect("after")
                ));
            }
        }
        let tail = format!("---{eol}{eol}# Body{eol}");
        prop_assert!(edited.ends_with(&tail));
        prop_assert_eq!(edited.starts_with('\u{feff}'), bom);
    }

    #[test]
    fn slugs_stay_in_their_directory(title in any::<String>()) {
        let slug = cto::slug::slugify(&title);
        prop_assert!(!slug.is_empty());
        prop_assert!(!slug.contains('/') && !slug.contains('\\') && !slug.contains(".."));
        prop_assert!(slug.chars().all(|c| c == '-' || c.is_alphanumeric()));
    }

    #[test]
    fn budgets_are_exact(whole in 1u32..100, frac in 0u32..1000, days in 1i64..400) {
        let text = format!("{whole}.{frac:03}");
        let objective = Decimal::parse(&text).expect("decimal");
        let b = budget(objective, days * 86_400).expect("fits");
        // ratio = (100 - objective) / 100, and seconds = ratio × window, with no rounding.
        let hundred = Rational::int(100);
        prop_assert_eq!(b.ratio.checked_mul(hundred), hundred.checked_sub(objective.rational()));
        prop_assert_eq!(
            Some(b.seconds),
            b.ratio.checked_mul(Rational::int(i128::from(days * 86_400)))
        );
    }

    #[test]
    fn extreme_objectives_and_windows_never_panic_and_stay_exact(
        sign in prop::sample::select(vec!["", "-", "+"]),
        whole in prop_oneof!["[0-9]{0,2}", Just("100".to_string()), "[0-9]{0,40}"],
        frac in prop::option::of(prop_oneof!["[0-9]{0,18}", "9{18}", "[0-9]{0,25}"]),
        window in prop_oneof![
            1i64..=MAX_WINDOW_SECONDS,
            Just(MAX_WINDOW_SECONDS),
            Just(1i64),
        ],
    ) {
        let text = match &frac {
            Some(f) => format!("{sign}{whole}.{f}"),
            None => format!("{sign}{whole}"),
        };
        let Ok(objective) = Decimal::parse_checked(&text) else {
            return Ok(());
        };
        // Printing is exact: the text reads back as the same number.
        let shown = objective.to_string();
        prop_assert_eq!(Decimal::parse(&shown).map(Decimal::rational), Some(objective.rational()));
        let pct = objective.rational();
        let hundred = Rational::int(100);
        let usable = pct.num > 0 && pct.den.checked_mul(100).is_some_and(|m| pct.num <= m);
        let b = budget(objective, window);
        if !usable {
            return Ok(());
        }
        // Within the bounds of parse, every budget fits.
        let b = b.expect("a valid objective over a valid window has a budget");
        let w = Rational::int(i128::from(window));
        // 0 ≤ budget ≤ window.
        prop_assert!(b.seconds.num >= 0);
        prop_assert!(w.checked_sub(b.seconds).expect("fits").num >= 0);
        // Exact: budget / window = ratio, and ratio × 100 + objective = 100.
        prop_assert_eq!(b.seconds.checked_div(w), if window > 0 { Some(b.ratio) } else { None });
        prop_assert_eq!(
            b.ratio.checked_mul(hundred).and_then(|r| r.checked_add(pct)),
            Some(hundred)
        );
        let rates = burn_rates(&b, window);
        prop_assert_eq!(rates.len(), 4);
        for r in &rates {
            prop_assert_eq!(r.threshold.checked_div(r.factor), Some(b.ratio));
            let _ = (r.factor.decimal(4), r.threshold.decimal(12));
        }
        let _ = (human_duration(b.seconds), b.ratio.decimal(12), b.seconds.decimal(3));
    }

    #[test]
    fn window_texts_never_panic_and_stay_bounded(
        digits in "[0-9]{0,30}",
        unit in prop::sample::select(vec!["m", "h", "d", "w", "s", "", "é"]),
    ) {
        if let Ok(seconds) = parse_window_checked(&format!("{digits}{unit}")) {
            prop_assert!(seconds > 0 && seconds <= MAX_WINDOW_SECONDS);
        }
    }

    #[test]
    fn rational_arithmetic_is_checked_and_exact(
        a in any::<i128>(), b in any::<i128>(), c in any::<i128>(), d in any::<i128>(),
        small in (-1_000_000i128..1_000_000, 1i128..1_000_000, -1_000_000i128..1_000_000, 1i128..1_000_000),
        places in 0u32..40,
    ) {
        // Any operands: no panic, and a result is in lowest terms with a positive denominator.
        if let (Some(x), Some(y)) = (Rational::checked_new(a, b), Rational::checked_new(c, d)) {
            for r in [x.checked_add(y), x.checked_sub(y), x.checked_mul(y), x.checked_div(y)]
                .into_iter()
                .flatten()
            {
                prop_assert!(r.den > 0);
                let _ = r.decimal(places);
            }
            let _ = (x.decimal(places), human_duration(x));
        }
        // Small operands: every result fits and matches the schoolbook formula.
        let (n1, d1, n2, d2) = small;
        let (x, y) = (Rational::new(n1, d1), Rational::new(n2, d2));
        prop_assert_eq!(x.checked_add(y), Some(Rational::new(n1 * d2 + n2 * d1, d1 * d2)));
        prop_assert_eq!(x.checked_sub(y), Some(Rational::new(n1 * d2 - n2 * d1, d1 * d2)));
        prop_assert_eq!(x.checked_mul(y), Some(Rational::new(n1 * n2, d1 * d2)));
        if n2 != 0 {
            prop_assert_eq!(x.checked_div(y), Some(Rational::new(n1 * d2, d1 * n2)));
        }
    }

    #[test]
    fn config_parsing_never_panics(
        values in prop::collection::vec(
            prop_oneof![
                "\\PC{0,12}",
                "[0-9]{1,25}[dwé]",
                Just("7305000d".to_string()),
                Just("../..".to_string()),
                Just("/etc".to_string()),
            ],
            8,
        ),
    ) {
        let q = |v: &str| serde_json::to_string(v).expect("json string");
        let text = format!(
            "adr:\n  dir: {}\n  template: {}\n  statuses: {{ {}: {} }}\nrisk:\n  review_every: {}\n  bands: {{ low: {}, medium: 9, high: 15 }}\nroadmap:\n  capacity: {{ {}: {} }}\n",
            q(&values[0]), q(&values[1]), q(&values[2]), q(&values[3]),
            q(&values[4]), values[5].len(), q(&values[6]), q(&values[7]),
        );
        let (config, _) = Config::parse(Source::new("cto.yaml", text), cto::check::RULES);
        prop_assert!(config.review_every_days > 0 && config.review_every_days <= 36_525);
    }
}
