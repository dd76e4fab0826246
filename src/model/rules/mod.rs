//! The rules of the file and front-matter layer (CTO1xx), one unit per file.
//!
//! The model checks these while it reads a file (bytes, name, front matter, fields), and
//! cto.yaml is held to them too; so each unit holds its rule and page, and the readers
//! (`model::load`, `model::validate`, `config`, `workspace`) emit its diagnostics.

use crate::diagnostic::rule_units;

rule_units! {
    cto101_unreadable_file::UNREADABLE_FILE,
    cto102_front_matter::FRONT_MATTER,
    cto103_yaml_syntax::YAML_SYNTAX,
    cto104_invalid_value::INVALID_VALUE,
    cto105_missing_field::MISSING_FIELD,
    cto106_wrong_type::WRONG_TYPE,
    cto107_unknown_field::UNKNOWN_FIELD,
    cto108_invalid_date::INVALID_DATE,
    cto109_invalid_filename::INVALID_FILENAME,
    cto110_non_canonical_status::NON_CANONICAL_STATUS,
    cto111_people_not_a_list::PEOPLE_NOT_A_LIST,
}
