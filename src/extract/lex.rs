//! The lexicon as the extractors see it (placeholder until the lexicon module lands).
use crate::graph::{NodeKind, PlaceInfo};

#[derive(Debug, Clone)]
pub struct LexHit {
    pub kind: NodeKind,
    pub id: String,
    pub canonical: String,
    pub parent: Option<String>,
    pub place: Option<PlaceInfo>,
    pub table: &'static str,
}
pub fn lookup(_span: &str, _lowercase: bool) -> Option<LexHit> { None }
pub fn is_org_cue(_w: &str) -> bool { false }
pub fn is_org_head(_w: &str) -> bool { false }
pub fn is_place_cue(_w: &str) -> bool { false }
pub fn is_title(_w: &str) -> bool { false }
pub fn is_first_name(_w: &str) -> bool { false }
pub fn is_cap_stopword(_w: &str) -> bool { false }
pub fn is_common_word(_w: &str) -> bool { false }
