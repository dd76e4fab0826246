//! Parsing: front matter split, YAML with spans, markdown body.

pub mod frontmatter;
pub mod markdown;
pub mod scalar;
pub mod yaml;
