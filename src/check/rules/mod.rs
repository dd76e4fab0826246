//! The rules that read loaded documents (CTO2xx–CTO6xx), one unit per file: its rule,
//! its page and its check. A check marked `across` compares documents with one another;
//! the others look at each document alone, so `cto lint` runs them where the document
//! is parsed and keeps of it only what the checks across documents read.

use super::Context;
use crate::diagnostic::{Diagnostic, rule_units};
use crate::model::Corpus;

rule_units! {
    cto201_missing_section::MISSING_SECTION => check,
    cto202_empty_section::EMPTY_SECTION => check,
    cto203_broken_link::BROKEN_LINK => check,
    cto204_missing_title::MISSING_TITLE => check,
    cto205_title_slug_mismatch::TITLE_SLUG_MISMATCH => check,
    cto301_duplicate_id::DUPLICATE_ID => check across,
    cto302_dangling_reference::DANGLING_REFERENCE => check across,
    cto303_supersede_not_mutual::SUPERSEDE_NOT_MUTUAL => check across,
    cto304_dependency_cycle::DEPENDENCY_CYCLE => check across,
    cto305_dependency_order::DEPENDENCY_ORDER => check across,
    cto306_numbering_gap::NUMBERING_GAP => check across,
    cto401_owner_missing::OWNER_MISSING => check,
    cto402_review_overdue::REVIEW_OVERDUE => check,
    cto403_risk_escalation::RISK_ESCALATION => check,
    cto404_acceptance_incomplete::ACCEPTANCE_INCOMPLETE => check,
    cto405_acceptance_expired::ACCEPTANCE_EXPIRED => check,
    cto406_closed_without_date::CLOSED_WITHOUT_DATE => check,
    cto407_score_mismatch::SCORE_MISMATCH => check,
    cto408_residual_above_inherent::RESIDUAL_ABOVE_INHERENT => check,
    cto409_mitigation_missing::MITIGATION_MISSING => check,
    cto410_migration_safety::MIGRATION_SAFETY => check,
    cto411_experiment_hypothesis::EXPERIMENT_HYPOTHESIS => check,
    cto412_over_capacity::OVER_CAPACITY => check across,
    cto413_accepted_adr_changed::ACCEPTED_ADR_CHANGED, // run by `cto lint --base`
    cto501_objective_invalid::OBJECTIVE_INVALID => check,
    cto502_objective_suspicious::OBJECTIVE_SUSPICIOUS => check,
    cto503_window_invalid::WINDOW_INVALID => check,
    cto504_sli_invalid::SLI_INVALID => check,
    cto505_alerting_missing::ALERTING_MISSING => check,
    cto506_critical_service_uncovered::CRITICAL_SERVICE_UNCOVERED => check across,
    cto507_unknown_service::UNKNOWN_SERVICE => check,
    cto601_postmortem_overdue::POSTMORTEM_OVERDUE => check,
    cto602_action_item_incomplete::ACTION_ITEM_INCOMPLETE => check,
    cto603_action_item_overdue::ACTION_ITEM_OVERDUE => check,
    cto604_timestamps_out_of_order::TIMESTAMPS_OUT_OF_ORDER => check,
    cto605_incident_service_unknown::INCIDENT_SERVICE_UNKNOWN => check,
    cto606_repeated_incidents::REPEATED_INCIDENTS => check across,
    cto607_incident_service_uncovered::INCIDENT_SERVICE_UNCOVERED => check across,
    cto608_postmortem_incomplete::POSTMORTEM_INCOMPLETE => check,
    cto609_resolved_time_missing::RESOLVED_TIME_MISSING => check,
}
