//! The settings of cto.yaml that change how a document is read, handed to the model by
//! whoever read the configuration (the model never reads cto.yaml itself).

use std::collections::BTreeMap;

use super::kinds::risk::RISK_CATEGORIES;
use super::kinds::{Bands, IncidentPolicy};
use super::{Kind, StatusVocabulary};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Team statuses for ADRs and the built-in status each counts as (`adr.statuses`).
    pub adr_statuses: Vec<(String, String)>,
    /// Risk categories (`risk.categories`), when the team has its own.
    pub risk_categories: Option<Vec<String>>,
    /// Risk score bands (`risk.bands`).
    pub bands: Bands,
    /// Front-matter keys a team's records carry besides the kind's (`<kind>.fields`).
    pub extra_fields: BTreeMap<Kind, Vec<String>>,
    /// Required fields a team's template does without (`<kind>.optional`).
    pub optional_fields: BTreeMap<Kind, Vec<String>>,
    /// Incident severities and policy (`incident`).
    pub incident: IncidentPolicy,
    /// The ADR directories when a repository keeps several (a monorepo's packages),
    /// relative to the root: each is a log of its own, numbered on its own. Empty when
    /// there is one.
    pub adr_dirs: Vec<String>,
}

impl Settings {
    pub fn extra_fields(&self, kind: Kind) -> &[String] {
        self.extra_fields.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The ADR log a document belongs to when the repository keeps several: the deepest
    /// ADR directory holding its path. `None` when there is one log (or the document
    /// is not an ADR).
    pub fn log_of(&self, kind: Kind, path: &str) -> Option<&str> {
        if kind != Kind::Adr {
            return None;
        }
        self.adr_dirs
            .iter()
            .filter(|d| {
                d.as_str() == "."
                    || path
                        .strip_prefix(d.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|d| if d.as_str() == "." { 0 } else { d.len() })
            .map(String::as_str)
    }

    pub fn optional_fields(&self, kind: Kind) -> &[String] {
        self.optional_fields.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The risk categories in force.
    pub fn risk_categories(&self) -> Vec<String> {
        self.risk_categories
            .clone()
            .unwrap_or_else(|| RISK_CATEGORIES.iter().map(|c| c.to_string()).collect())
    }

    /// The statuses a kind accepts in this repository.
    pub fn vocabulary(&self, kind: Kind) -> StatusVocabulary {
        StatusVocabulary {
            kind,
            custom: if kind == Kind::Adr {
                self.adr_statuses.clone()
            } else {
                Vec::new()
            },
        }
    }
}
