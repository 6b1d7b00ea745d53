//! The run report (`report.json`): every input with its status, counts, merges, conflicts and
//! warnings.

use serde::{Deserialize, Serialize};

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputStatus {
    /// Read and extracted.
    Ok,
    /// Not in the graph; `reason` says why.
    Skipped,
    /// In the graph, but part of it was dropped (truncated, undecodable bytes replaced, ...).
    Partial,
}

/// One input (a file, or one line of a JSONL file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    pub doc: String,
    pub path: String,
    pub bytes: u64,
    pub status: InputStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// Counts of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub documents: usize,
    pub skipped: usize,
    pub nodes: usize,
    pub edges: usize,
    pub mentions: usize,
}

/// One alias merged into a node, and the rule that merged it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MergeRecord {
    pub node: String,
    pub alias: String,
    pub rule: String,
}

/// Reports of one figure that disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub node: String,
    pub field: String,
    pub values: Vec<u64>,
    pub reconciled: u64,
    pub rule: String,
}

/// Something a user should look at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    /// A short machine-readable kind (`many-surface-forms`, `single-source-edge`, ...).
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edge: Option<String>,
    pub message: String,
}

/// A document that is a syndicated copy or near-duplicate of another: its reports are not
/// counted again when figures are reconciled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub doc: String,
    pub duplicate_of: String,
    /// Estimated share of shared word 5-grams (MinHash), 0..1.
    pub similarity: f64,
}

/// Options recorded in the report, so that a reader knows how the export was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// The inputs as given on the command line (read from one string or a list).
    #[serde(deserialize_with = "one_or_many")]
    pub input: Vec<String>,
    pub document_nodes: bool,
    pub cooccurrence: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub generator: String,
    pub schema_version: u32,
    pub options: ReportOptions,
    pub inputs: Vec<InputRecord>,
    pub counts: Counts,
    #[serde(default)]
    pub merges: Vec<MergeRecord>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Syndicated copies and near-duplicates, each with the document it copies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near_duplicates: Vec<NearDuplicate>,
    /// Ids of the earlier export (`--previous`) that now point to another node, because new
    /// documents showed that two earlier nodes are one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<crate::resolve::stable::Redirect>,
}

/// Reads `"corpus"` as well as `["corpus"]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// `newsgraph <version>`, as written into every export.
pub fn generator() -> String {
    format!("newsgraph {}", env!("CARGO_PKG_VERSION"))
}

/// The contract's schema version.
pub const SCHEMA_VERSION: u32 = 1;
