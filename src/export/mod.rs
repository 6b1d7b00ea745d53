//! Writers for every file of the export contract (`docs/formats.md`).
//!
//! Each writer is a small struct over `W: Write` that walks the graph in id order, so the output
//! is byte-identical for the same graph. [`write_export`] writes every file into a temporary
//! directory beside the target and renames it into place.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::report::Report;

/// Errors while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Which files to write.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub graphml: bool,
    pub json: bool,
    pub gephi: bool,
    pub neo4j: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            graphml: true,
            json: true,
            gephi: true,
            neo4j: true,
        }
    }
}

/// Writes the export of `graph` and `report` into `out`, atomically.
pub fn write_export(
    _graph: &KnowledgeGraph,
    _report: &Report,
    _out: &Path,
    _options: &ExportOptions,
) -> Result<(), ExportError> {
    todo!("export writers")
}
