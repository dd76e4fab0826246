//! Byte offsets ↔ LSP positions (0-based line, character in UTF-16 code units or bytes,
//! as negotiated), for a text with `\n` or `\r\n` line endings.

use lsp_types::{Position, Range};

use crate::source::Span;

/// How the client counts characters within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// A byte order mark at the start: editors do not show it, so columns skip it.
    bom: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            bom: text.starts_with('\u{feff}'),
        }
    }

    fn line_start(&self, line: usize) -> usize {
        if line == 0 && self.bom {
            3
        } else {
            self.starts[line]
        }
    }

    /// The position of a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_start(line).min(offset);
        let prefix = &text[start..offset];
        let character = match enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: Span, enc: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// The byte offset of a position; past the end of a line is its end (before `\r\n`),
    /// past the last line is the end of the text.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.line_start(line).min(text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let end = if text[start..end.max(start)].ends_with('\r') {
            end - 1
        } else {
            end.max(start)
        };
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_twice() {
        let text = "a: é😀x\r\nnext";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            index.position(text, x, Encoding::Utf16),
            Position::new(0, 6)
        );
        assert_eq!(index.position(text, x, Encoding::Utf8), Position::new(0, 9));
        assert_eq!(index.offset(text, Position::new(0, 6), Encoding::Utf16), x);
        assert_eq!(index.offset(text, Position::new(0, 9), Encoding::Utf8), x);
        // Past the end of a line: its end, before the CR.
        assert_eq!(
            index.offset(text, Position::new(0, 99), Encoding::Utf16),
            x + 1
        );
        assert_eq!(
            index.offset(text, Position::new(1, 2), Encoding::Utf16),
            x + 5
        );
        assert_eq!(
            index.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            index.position(text, text.len(), Encoding::Utf16),
            Position::new(1, 4)
        );
    }

    #[test]
    fn a_bom_is_not_a_column() {
        let text = "\u{feff}---\nx";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(text, 3, Encoding::Utf16),
            Position::new(0, 0)
        );
        assert_eq!(
            index.position(text, 6, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(index.offset(text, Position::new(0, 0), Encoding::Utf16), 3);
    }
}
