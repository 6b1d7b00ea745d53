//! newsgraph reads news articles and builds a knowledge graph of people, groups, places and
//! attacks, every node and edge tagged with the documents and sentences that support it.
pub mod export;
pub mod graph;
pub mod report;
pub mod corpus;
pub mod text;
pub mod extract;
pub mod pipeline;
pub mod resolve;
