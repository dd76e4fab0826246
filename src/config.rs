//! cto.yaml: defaults for every key, validated like a document.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Rule, Severity, did_you_mean};
use crate::model::rules::{INVALID_VALUE, MISSING_FIELD, WRONG_TYPE, YAML_SYNTAX};
use crate::model::spec::{FieldSpec, FieldType};
use crate::model::values::parse_days;
use crate::model::{Kind, Points, Quarter, Settings, StatusVocabulary};
use crate::parse::yaml::{self, Node, Value};
use crate::source::{Source, Span};

pub const FILE_NAME: &str = "cto.yaml";

/// The longest review cadence: 100 years (dates beyond it leave the calendar).
pub const MAX_REVIEW_DAYS: i64 = 36_525;

/// Which template `cto adr new` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdrTemplate {
    Madr,
    Nygard,
    /// A template file, relative to the repository root.
    Path(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    Warn,
    Error,
}

pub use crate::model::Bands;

/// A service the organisation runs (`services:` in cto.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub tier: Option<String>,
    /// Where the service is listed in cto.yaml.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Directories configured per kind (relative to the root); `None` means discover or default.
    pub dirs: BTreeMap<Kind, String>,
    /// Where each configured directory is written in cto.yaml (the workspace refuses one
    /// that leaves the repository, and points here).
    pub dir_spans: BTreeMap<Kind, Span>,
    /// ADR directories after the first (`adr.dirs: [a, b]`), each with where it is
    /// written: a monorepo keeps one log per package. The first is in `dirs`.
    pub more_adr_dirs: Vec<(String, Span)>,
    /// The sections every ADR is held to (`adr.sections`), in place of the built-in
    /// template's: the team's own, adopted by `cto init`.
    pub adr_sections: Option<Vec<String>>,
    pub adr_template: AdrTemplate,
    /// What the model needs to read documents: team statuses, risk categories.
    pub documents: Settings,
    pub services: Vec<Service>,
    /// How often an open risk is reviewed, in days (`risk.review_every`).
    pub review_every_days: i64,
    /// Upper bounds of the low, medium and high bands of a risk score; above high is critical.
    pub bands: Bands,
    /// Effort capacity per quarter (`roadmap.capacity`).
    pub capacity: BTreeMap<Quarter, Points>,
    pub rules: BTreeMap<String, RuleLevel>,
    /// Prometheus' base URL for `cto slo status`, `cto slo report` and `cto report`
    /// (`slo.prometheus`).
    pub prometheus: Option<String>,
    /// Custom alert windows per SLO period (`slo.alert_windows`, Sloth's shape).
    pub alert_windows: Vec<crate::model::slo::AlertWindows>,
    /// The file as read, for diagnostics (`None` when there is no cto.yaml).
    pub source: Option<Source>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dirs: BTreeMap::new(),
            dir_spans: BTreeMap::new(),
            more_adr_dirs: Vec::new(),
            adr_sections: None,
            adr_template: AdrTemplate::Madr,
            documents: Settings::default(),
            services: Vec::new(),
            review_every_days: 90,
            bands: Bands::default(),
            capacity: BTreeMap::new(),
            rules: BTreeMap::new(),
            prometheus: None,
            alert_windows: Vec::new(),
            source: None,
        }
    }
}

const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
    }
}

/// The schema of cto.yaml.
pub static FIELDS: &[FieldSpec] = &[
    f(
        "adr",
        FieldType::Map(&[
            f("dir", FieldType::Text),
            f("dirs", FieldType::List),
            f("template", FieldType::Text),
            f("sections", FieldType::List),
            f("statuses", FieldType::Any),
            f("fields", FieldType::List),
            f("optional", FieldType::List),
        ]),
    ),
    f(
        "risk",
        FieldType::Map(&[
            f("dir", FieldType::Text),
            f("fields", FieldType::List),
            f("optional", FieldType::List),
            f("review_every", FieldType::Text),
            f(
                "bands",
                FieldType::Map(&[
                    f("low", FieldType::Int { min: 1, max: 25 }),
                    f("medium", FieldType::Int { min: 1, max: 25 }),
                    f("high", FieldType::Int { min: 1, max: 25 }),
                ]),
            ),
            f("categories", FieldType::List),
        ]),
    ),
    f(
        "slo",
        FieldType::Map(&[
            f("dir", FieldType::Text),
            f("fields", FieldType::List),
            f("optional", FieldType::List),
            f("prometheus", FieldType::Text),
            f("alert_windows", FieldType::Any),
        ]),
    ),
    f(
        "roadmap",
        FieldType::Map(&[
            f("dir", FieldType::Text),
            f("fields", FieldType::List),
            f("optional", FieldType::List),
            f("capacity", FieldType::Any),
        ]),
    ),
    f(
        "incident",
        FieldType::Map(crate::model::kinds::incident::CONFIG_FIELDS),
    ),
    f("services", FieldType::Any),
    f("rules", FieldType::Any),
];

impl Config {
    /// The services cto.yaml marks `tier: critical`.
    pub fn critical_services(&self) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(|s| s.tier.as_deref() == Some("critical"))
    }

    /// Parses cto.yaml text; findings (unknown keys, wrong types) come back as errors.
    /// `catalogue` is every rule, against which the codes of `rules:` are checked.
    pub fn parse(source: Source, catalogue: &[&'static Rule]) -> (Config, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut config = Config::default();
        let path = source.path.clone();
        match yaml::parse(&source.text) {
            Ok(None) => {}
            Ok(Some(root)) => {
                crate::model::validate_mapping(
                    &root,
                    FIELDS,
                    Kind::Adr,
                    &path,
                    Severity::Error,
                    &mut diags,
                );
                config.read(&root, &path, catalogue, &mut diags);
                config.read_slo(&root, &source.text, &path, &mut diags);
                config.documents.incident = crate::model::kinds::incident::read_policy(
                    root.get("incident"),
                    &path,
                    &mut diags,
                );
            }
            Err(e) => diags.push(Diagnostic::new(
                &YAML_SYNTAX,
                &path,
                Span::empty(e.offset.unwrap_or(0)),
                format!("invalid YAML: {}", e.message),
            )),
        }
        // In cto.yaml every finding is an error: a wrong setting changes what is checked.
        for d in &mut diags {
            d.severity = Severity::Error;
        }
        config.source = Some(source);
        (config, diags)
    }

    fn read(
        &mut self,
        root: &Node,
        path: &str,
        catalogue: &[&'static Rule],
        diags: &mut Vec<Diagnostic>,
    ) {
        for kind in Kind::ALL {
            if let Some(node) = root.get(kind.name()).and_then(|k| k.get("dir"))
                && let Some(dir) = node.as_str()
            {
                let dir = dir.trim_end_matches('/');
                // `/` itself stays absolute, and is refused as such.
                let dir = if dir.is_empty() && node.as_str() != Some("") {
                    "/"
                } else {
                    dir
                };
                self.dirs.insert(kind, dir.to_string());
                self.dir_spans.insert(kind, node.span);
            }
        }
        self.read_adr_dirs(root.get("adr"), path, diags);
        for kind in Kind::ALL {
            let section = root.get(kind.name());
            let names = |key: &str| -> Vec<(String, Span)> {
                section
                    .and_then(|k| k.get(key))
                    .map(|n| match &n.value {
                        Value::Seq(items) => items
                            .iter()
                            .filter_map(|i| Some((i.scalar_text()?, i.span)))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default()
            };
            let extra: Vec<String> = names("fields").into_iter().map(|(n, _)| n).collect();
            if !extra.is_empty() {
                self.documents.extra_fields.insert(kind, extra);
            }
            let mut optional = Vec::new();
            for (name, span) in names("optional") {
                let required: Vec<&str> = kind
                    .spec()
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.name)
                    .collect();
                if required.contains(&name.as_str()) {
                    optional.push(name);
                } else {
                    diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        span,
                        format!(
                            "`{}.optional` names `{name}`, which is not a required field; the required ones: {}",
                            kind.name(),
                            required.join(", ")
                        ),
                    ));
                }
            }
            if !optional.is_empty() {
                self.documents.optional_fields.insert(kind, optional);
            }
        }
        let adr = root.get("adr");
        if let Some(node) = adr.and_then(|a| a.get("sections")) {
            self.adr_sections = read_sections(node, path, diags);
        }
        if let Some(t) = adr.and_then(|a| a.get("template")) {
            match t.as_str() {
                Some("madr") => self.adr_template = AdrTemplate::Madr,
                Some("nygard") => self.adr_template = AdrTemplate::Nygard,
                Some(p) => self.adr_template = AdrTemplate::Path(p.to_string()),
                None => {}
            }
        }
        if let Some(statuses) = adr.and_then(|a| a.get("statuses")) {
            let builtin = Kind::Adr.spec().statuses;
            if !matches!(statuses.value, Value::Map(_)) {
                diags.push(
                    Diagnostic::new(
                        &WRONG_TYPE,
                        path,
                        statuses.span,
                        "`adr.statuses` must map each team status to the built-in one it counts as",
                    )
                    .with_help("e.g. `statuses: { draft: proposed, living: accepted }`"),
                );
            }
            for (k, v) in statuses.entries() {
                let (Some(name), Some(counts_as)) = (k.scalar_text(), v.as_str()) else {
                    continue;
                };
                if builtin.contains(&counts_as) {
                    self.documents
                        .adr_statuses
                        .push((name.to_lowercase(), counts_as.to_string()));
                } else {
                    diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        v.span,
                        format!(
                            "`{counts_as}` is not a built-in ADR status; expected one of: {}",
                            builtin.join(", ")
                        ),
                    ));
                }
            }
        }
        let risk = root.get("risk");
        if let Some(node) = risk.and_then(|r| r.get("review_every")) {
            match node.scalar_text().as_deref().and_then(parse_days) {
                Some(days) if days <= MAX_REVIEW_DAYS => self.review_every_days = days,
                Some(_) => diags.push(
                    Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        node.span,
                        "`risk.review_every` is more than 100 years",
                    )
                    .with_help("review risks at least once a century, e.g. `90d` or `12w`"),
                ),
                None => diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    node.span,
                    "`risk.review_every` must be a number of days or weeks, e.g. `90d` or `12w`",
                )),
            }
        }
        if let Some(bands) = risk.and_then(|r| r.get("bands")) {
            let get = |k: &str, default: u8| match bands.get(k).map(|n| &n.value) {
                Some(Value::Int(i)) if (1..=25).contains(i) => *i as u8,
                _ => default,
            };
            let b = Bands {
                low: get("low", self.bands.low),
                medium: get("medium", self.bands.medium),
                high: get("high", self.bands.high),
            };
            if b.low < b.medium && b.medium < b.high {
                self.bands = b;
                self.documents.bands = b;
            } else {
                diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    bands.span,
                    "`risk.bands` must rise: low < medium < high",
                ));
            }
        }
        if let Some(Value::Seq(items)) = risk.and_then(|r| r.get("categories")).map(|n| &n.value) {
            self.documents.risk_categories =
                Some(items.iter().filter_map(Node::scalar_text).collect());
        }
        if let Some(capacity) = root.get("roadmap").and_then(|r| r.get("capacity")) {
            if !matches!(capacity.value, Value::Map(_)) {
                diags.push(Diagnostic::new(
                    &WRONG_TYPE,
                    path,
                    capacity.span,
                    "`roadmap.capacity` must map quarters to points, e.g. `{ 2027-Q1: 40 }`",
                ));
            }
            for (k, v) in capacity.entries() {
                let quarter = k.scalar_text().and_then(|q| Quarter::parse(&q));
                let points = match v.value {
                    Value::Int(_) | Value::Float(_) => {
                        v.scalar_text().and_then(|t| Points::parse(&t))
                    }
                    _ => None,
                };
                match (quarter, points) {
                    (Some(q), Some(p)) => {
                        self.capacity.insert(q, p);
                    }
                    (None, _) => diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        k.span,
                        "a capacity key must be a quarter, e.g. `2027-Q1`",
                    )),
                    (_, None) => diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        v.span,
                        "a capacity must be a number of points",
                    )),
                }
            }
        }
        if let Some(services) = root.get("services") {
            match &services.value {
                Value::Seq(items) => {
                    for item in items {
                        match item.get("name").and_then(Node::scalar_text) {
                            Some(name) => self.services.push(Service {
                                name,
                                tier: item.get("tier").and_then(Node::scalar_text),
                                span: item.get("name").map_or(item.span, |n| n.span),
                            }),
                            None => diags.push(Diagnostic::new(
                                &MISSING_FIELD,
                                path,
                                item.span,
                                "a service needs a `name`",
                            )),
                        }
                    }
                }
                _ => diags.push(Diagnostic::new(
                    &WRONG_TYPE,
                    path,
                    services.span,
                    "`services` must be a list of `{ name, tier }`",
                )),
            }
        }
        if let Some(rules) = root.get("rules") {
            for (k, v) in rules.entries() {
                let code = k.scalar_text().unwrap_or_default();
                let Some(r) = catalogue
                    .iter()
                    .find(|r| r.code.eq_ignore_ascii_case(&code))
                else {
                    let mut d = Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        k.span,
                        format!("unknown rule `{code}`"),
                    );
                    if let Some(s) = did_you_mean(&code, catalogue.iter().map(|r| r.code)) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    continue;
                };
                let level = match v.scalar_text().as_deref() {
                    Some("off") | Some("false") => RuleLevel::Off,
                    Some("warn") | Some("warning") => RuleLevel::Warn,
                    Some("error") => RuleLevel::Error,
                    _ => {
                        diags.push(Diagnostic::new(
                            &INVALID_VALUE,
                            path,
                            v.span,
                            format!("severity of `{}` must be `off`, `warn` or `error`", r.code),
                        ));
                        continue;
                    }
                };
                self.rules.insert(r.code.to_string(), level);
            }
        }
    }

    /// `adr.dirs`: a list of directories, none twice, each a non-empty text; with
    /// `adr.dir` too, an error (which one comes first would be a guess).
    fn read_adr_dirs(&mut self, adr: Option<&Node>, path: &str, diags: &mut Vec<Diagnostic>) {
        let Some(node) = adr.and_then(|a| a.get("dirs")) else {
            return;
        };
        let Value::Seq(items) = &node.value else {
            // validate_mapping has said it is not a list.
            return;
        };
        if adr.and_then(|a| a.get("dir")).is_some() {
            diags.push(
                Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    node.span,
                    "`adr.dir` and `adr.dirs` are both set",
                )
                .with_help("keep one: `dirs: [docs/decisions, services/a/docs/adr]` names them all, the first is where `cto adr new` writes"),
            );
            return;
        }
        if items.is_empty() {
            diags.push(
                Diagnostic::new(&INVALID_VALUE, path, node.span, "`adr.dirs` is empty")
                    .with_help("name at least one directory, e.g. `dirs: [docs/decisions]`"),
            );
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for item in items {
            let Some(text) = item.as_str() else {
                diags.push(Diagnostic::new(
                    &WRONG_TYPE,
                    path,
                    item.span,
                    "each of `adr.dirs` must be a directory path (text)",
                ));
                continue;
            };
            let trimmed = text.trim_end_matches('/');
            let dir = match (trimmed.is_empty(), text.is_empty()) {
                (_, true) => {
                    diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        item.span,
                        "an empty directory in `adr.dirs`",
                    ));
                    continue;
                }
                // `/` itself stays absolute, and is refused as such.
                (true, false) => "/".to_string(),
                _ => trimmed.to_string(),
            };
            let key = dir.trim_start_matches("./").to_string();
            if seen.contains(&key) {
                diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    item.span,
                    format!("`{dir}` is named twice in `adr.dirs`"),
                ));
                continue;
            }
            seen.push(key);
            match self.dirs.entry(Kind::Adr) {
                std::collections::btree_map::Entry::Occupied(_) => {
                    self.more_adr_dirs.push((dir, item.span));
                }
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(dir);
                    self.dir_spans.insert(Kind::Adr, item.span);
                }
            }
        }
    }

    /// Every ADR directory as configured, the first first, each with where it is written.
    pub fn adr_dirs(&self) -> Vec<(&str, Span)> {
        let first = self.dirs.get(&Kind::Adr).map(|d| {
            (
                d.as_str(),
                self.dir_spans.get(&Kind::Adr).copied().unwrap_or_default(),
            )
        });
        first
            .into_iter()
            .chain(self.more_adr_dirs.iter().map(|(d, s)| (d.as_str(), *s)))
            .collect()
    }

    /// `slo.prometheus` and `slo.alert_windows`.
    fn read_slo(&mut self, root: &Node, text: &str, path: &str, diags: &mut Vec<Diagnostic>) {
        let slo = root.get("slo");
        if let Some(node) = slo.and_then(|s| s.get("prometheus")) {
            match node.as_str() {
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    self.prometheus = Some(url.to_string());
                }
                _ => diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    node.span,
                    "`slo.prometheus` must be Prometheus' base URL, e.g. `http://prometheus:9090`",
                )),
            }
        }
        let Some(node) = slo.and_then(|s| s.get("alert_windows")) else {
            return;
        };
        let Value::Seq(items) = &node.value else {
            diags.push(
                Diagnostic::new(
                    &crate::model::rules::WRONG_TYPE,
                    path,
                    node.span,
                    "`slo.alert_windows` must be a list of Sloth AlertWindows specs",
                )
                .with_help(
                    "e.g. `- { sloPeriod: 7d, page: { quick: {…}, slow: {…} }, ticket: {…} }`",
                ),
            );
            return;
        };
        for item in items {
            match crate::model::slo::parse_alert_windows(item, text, "cto.yaml") {
                Ok(w) if self.alert_windows.iter().any(|o| o.period == w.period) => {
                    diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        path,
                        item.span,
                        "a second set of alert windows for the same SLO period",
                    ));
                }
                Ok(w) => self.alert_windows.push(w),
                Err(why) => diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    item.span,
                    format!("alert windows: {why}"),
                )),
            }
        }
    }

    /// The risk categories in force.
    pub fn risk_categories(&self) -> Vec<String> {
        self.documents.risk_categories()
    }

    /// The statuses a kind accepts in this repository.
    pub fn vocabulary(&self, kind: Kind) -> StatusVocabulary {
        self.documents.vocabulary(kind)
    }
}

/// `adr.sections`: a list of headings, none empty; an empty list checks no section.
fn read_sections(node: &Node, path: &str, diags: &mut Vec<Diagnostic>) -> Option<Vec<String>> {
    let Value::Seq(items) = &node.value else {
        return None;
    };
    let mut sections = Vec::new();
    for item in items {
        match item
            .scalar_text()
            .map(|t| t.trim().trim_start_matches('#').trim().to_string())
        {
            Some(t) if !t.is_empty() => sections.push(t),
            _ => diags.push(
                Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    item.span,
                    "each of `adr.sections` must be a heading's text",
                )
                .with_help("e.g. `sections: [Context, Decision, Consequences]`"),
            ),
        }
    }
    Some(sections)
}

/// The cto.yaml that `cto init` writes: every key, with its default.
pub const DEFAULT_FILE: &str = "\
# cto configuration. Every key is optional; these are the defaults.
adr:
  dir: docs/decisions
  template: madr          # madr | nygard | a path to a template file
risk:
  dir: docs/risks
  review_every: 90d       # default cadence of risk reviews
  bands: { low: 4, medium: 9, high: 15 }   # score bands; above high is critical
slo:
  dir: docs/slos
roadmap:
  dir: docs/roadmap
  # capacity: { 2027-Q1: 40 }   # effort points per quarter
incident:
  dir: docs/incidents
  severities: [sev1, sev2, sev3, sev4]   # most severe first
  postmortem: { severities: [sev1, sev2], within: 5 }   # business days after resolved
  holidays: []                           # days that are not business days, e.g. [2026-12-25]
  repeated: { count: 3, within: 90d }    # this many on one service is an escalation
# services:               # critical services must have SLOs
#   - { name: checkout, tier: critical }
# rules:                  # per-rule severity: off | warn | error
#   CTO107: off
";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
        // The rules these tests set; the whole catalogue is the check layer's.
        let catalogue = [&crate::model::rules::UNKNOWN_FIELD];
        Config::parse(Source::new("cto.yaml", text.to_string()), &catalogue)
    }

    #[test]
    fn default_file_is_valid() {
        let (config, diags) = parse(DEFAULT_FILE);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            config.dirs.get(&Kind::Adr).map(String::as_str),
            Some("docs/decisions")
        );
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line() {
        let text = "adr:\n  dir: docs/adr\n  tempate: nygard\n";
        let (_, diags) = parse(text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].rule.code, "CTO107");
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(&text[diags[0].span.range()], "tempate");
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `adr.template`?")
        );
    }

    #[test]
    fn team_statuses_and_rule_levels() {
        let (config, diags) =
            parse("adr:\n  statuses: { living: accepted }\nrules:\n  CTO107: off\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            config
                .vocabulary(Kind::Adr)
                .parse("Living", Span::default())
                .is_ok()
        );
        assert_eq!(config.rules.get("CTO107"), Some(&RuleLevel::Off));
        let (_, diags) = parse("rules:\n  CTO999: off\n");
        assert_eq!(diags[0].rule.code, "CTO104");
    }
}
