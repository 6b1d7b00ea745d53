//! Per-document extraction: mentions of people, groups and places, within-document
//! coreference, relations with their evidence sentence, and attack frames.
//!
//! Extraction is pure: [`extract`] takes one prepared document and returns a
//! [`DocExtraction`], which holds everything the merge step needs (and nothing that depends
//! on other documents). It is serialisable, so that extraction results can be written as JSONL
//! and merged later or elsewhere.

pub mod entities;
pub mod lex;

use serde::{Deserialize, Serialize};

use crate::graph::{Evidence, Merge, NodeKind, PlaceInfo};
use crate::text::Prepared;

/// An entity as one document knows it: all its mentions in that document are one thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalEntity {
    pub kind: NodeKind,
    /// The fullest name the document uses.
    pub name: String,
    /// The lexicon entry (group slug or GeoNames id as `gn:<id>`) when the name is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    /// Canonical name from the lexicon, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Every surface form used in the document, sorted.
    pub aliases: Vec<String>,
    /// Why surface forms were merged within the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<Merge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceInfo>,
    /// Lexicon slug of the parent group (a branch's parent), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// One mention of a local entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Index into [`DocExtraction::entities`].
    pub entity: usize,
    /// Character offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Index into [`DocExtraction::sentences`].
    pub sentence: usize,
}

/// One end of a relation: a local entity or a local attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    Entity(usize),
    Attack(usize),
}

/// A relation stated by one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationMention {
    pub rel: String,
    pub source: Endpoint,
    pub target: Endpoint,
    /// Index into [`DocExtraction::sentences`].
    pub sentence: usize,
}

/// A sentence of the document: character offsets and its text (the evidence quote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceRef {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocExtraction {
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Sentences that are the evidence of a relation or hold a mention, by index.
    pub sentences: Vec<SentenceRef>,
    pub entities: Vec<LocalEntity>,
    pub mentions: Vec<Mention>,
    pub relations: Vec<RelationMention>,
}

impl DocExtraction {
    /// The evidence record of sentence `i`.
    pub fn evidence(&self, i: usize) -> Option<Evidence> {
        self.sentences.get(i).map(|s| Evidence {
            doc: self.doc.clone(),
            start: s.start,
            end: s.end,
            quote: s.text.clone(),
        })
    }
}

/// Extracts one document.
pub fn extract(prepared: &Prepared<'_>) -> DocExtraction {
    let doc = prepared.doc;
    let mut out = DocExtraction {
        doc: doc.id.clone(),
        title: prepared.title.clone(),
        date: prepared.date.clone(),
        url: doc.url.clone(),
        sentences: Vec::new(),
        entities: Vec::new(),
        mentions: Vec::new(),
        relations: Vec::new(),
    };
    entities::extract_entities(prepared, &mut out);
    cooccurrences(&mut out);
    out
}

/// `CO_OCCURS` between every pair of distinct entities mentioned in one sentence.
fn cooccurrences(out: &mut DocExtraction) {
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); out.sentences.len()];
    for m in &out.mentions {
        let ents = &mut by_sentence[m.sentence];
        if !ents.contains(&m.entity) {
            ents.push(m.entity);
        }
    }
    for (s, ents) in by_sentence.iter_mut().enumerate() {
        ents.sort_unstable();
        for (i, &a) in ents.iter().enumerate() {
            for &b in &ents[i + 1..] {
                out.relations.push(RelationMention {
                    rel: "CO_OCCURS".into(),
                    source: Endpoint::Entity(a),
                    target: Endpoint::Entity(b),
                    sentence: s,
                });
            }
        }
    }
}
