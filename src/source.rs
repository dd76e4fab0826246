//! A file's text with byte spans and a line index (line:column computed on demand).

use std::ops::Range;

/// A byte range into a [`Source`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }
}

/// 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The text of one file, as read, with an index of line starts.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    pub text: String,
    /// Made when a line is first asked for: most texts are read and let go without one
    /// (a list, a document without findings).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        Source {
            path: path.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// Line and column of a byte offset (clamped to the text and to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let mut column = self.text[start..offset].chars().count() + 1;
        // A BOM at the very start is not a column anyone can see.
        if line == 0 && self.text.starts_with('\u{feff}') && offset > 0 {
            column -= 1;
        }
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte range of a 1-based line, without its line ending.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.saturating_sub(1)) else {
            return self.text.len()..self.text.len();
        };
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        let slice = &self.text[start..end];
        let trimmed = slice.trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = Source::new("a.md", "ab\nçé: x\r\nlast".to_string());
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        // 'x' sits after two 2-byte characters, ':' and a space.
        let x = src.text.find('x').unwrap();
        assert_eq!(src.line_col(x), LineCol { line: 2, column: 5 });
        assert_eq!(src.line_col(src.text.len()).line, 3);
        assert_eq!(src.line_range(2), 3..10);
    }

    #[test]
    fn bom_is_not_a_column() {
        let src = Source::new("a.md", "\u{feff}---\n".to_string());
        assert_eq!(src.line_col(3), LineCol { line: 1, column: 1 });
    }
}
