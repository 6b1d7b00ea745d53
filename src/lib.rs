//! newsgraph reads news articles and builds a knowledge graph of people, groups, places and
//! attacks, every node and edge tagged with the documents and sentences that support it.
pub mod corpus;
pub mod export;
pub mod extract;
pub mod graph;
pub mod lexicon;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod tagger;
pub mod text;
