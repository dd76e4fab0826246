//! CTO108 invalid-date: the rule and its page. The reader emits it: `model::validate` (date
//! fields).

use crate::diagnostic::declare_rule;

declare_rule! {
    /// ## What it checks
    /// That date fields (`date`, review dates, `shipped`) are ISO 8601 calendar dates,
    /// `YYYY-MM-DD`, and exist (no 30 February).
    ///
    /// ## Why
    /// Dates drive ordering, "by month" reports and overdue reviews; `03/04/2024` means two
    /// different days on two sides of the Atlantic.
    ///
    /// ## Example
    /// ```yaml
    /// date: 2024-02-30
    /// ```
    ///
    /// ## How to fix
    /// Write the date as `YYYY-MM-DD`.
    pub static INVALID_DATE = {
        code: "CTO108",
        name: "invalid-date",
        layer: File,
        kinds: ALL,
        severity: Error,
        summary: "A date is not a real calendar date in `YYYY-MM-DD` form.",
    }
}
