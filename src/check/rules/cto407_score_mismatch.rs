//! CTO407 score-mismatch: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;

declare_rule! {
    /// ## What it checks
    /// That a risk's `score`, when written, equals `likelihood × impact`. The score is always
    /// computed; writing it is optional.
    ///
    /// ## Why
    /// A stale score puts the risk in the wrong cell of the heat map and the wrong band.
    ///
    /// ## Example
    /// ```yaml
    /// likelihood: 4
    /// impact: 3
    /// score: 9
    /// ```
    ///
    /// ## How to fix
    /// Remove `score`, or correct it (here, 12); `cto lint --fix` writes the computed score.
    pub static SCORE_MISMATCH = {
        code: "CTO407",
        name: "score-mismatch",
        layer: Policy,
        kinds: [Risk],
        severity: Error,
        summary: "A written `score` differs from likelihood × impact.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        let Some(risk) = doc.risk() else { continue };

        if let (Some((typed, span)), Some(score)) = (risk.typed_score, risk.score())
            && typed != i64::from(score)
        {
            out.push(
                Diagnostic::new(
                    &SCORE_MISMATCH,
                    doc.path(),
                    span,
                    format!("score is {typed}, but likelihood × impact is {score}"),
                )
                .with_help(format!(
                    "remove `score` (it is computed) or write `score: {score}`"
                ))
                .with_fix("score", score.to_string()),
            );
        }
    }
}
