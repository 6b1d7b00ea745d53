//! newsgraph reads news articles and builds a knowledge graph of people, groups, places and
//! attacks, every node and edge tagged with the documents and sentences that support it.
//!
//! The pipeline runs one way, one module per stage: [`corpus`] reads documents, [`text`] finds
//! their header, boilerplate, sentences and tokens, [`extract`] turns one document into
//! mentions, relations and attack frames (pure, per document), [`resolve`] merges the results
//! of any set of documents into a [`graph::KnowledgeGraph`] (aliases, event coreference,
//! reconciled figures), and [`export`] writes GraphML, JSON, CSV, Cypher, GEXF and HTML.
//! [`pipeline`] wires them together for the command line.
//!
//! ```
//! use newsgraph::corpus::Document;
//! use newsgraph::resolve::{merge, MergeOptions};
//!
//! let doc = Document {
//!     id: "wire/1".into(),
//!     text: "date 2024-03-23\nGunmen opened fire at a concert hall in Moscow on Friday, \
//!            killing at least 60 people. Islamic State claimed responsibility.".into(),
//!     title: None,
//!     date: None,
//!     url: None,
//!     source: None,
//! };
//! let prepared = newsgraph::text::prepare(&doc);
//! let extraction = newsgraph::extract::extract(&prepared);
//! let merged = merge(&[extraction], &MergeOptions::default());
//!
//! let attack = merged.graph.nodes().find(|n| n.id.starts_with("attack:")).unwrap();
//! assert_eq!(attack.id, "attack:2024-03-22-moscow");
//! let killed = attack.attack.as_ref().unwrap().killed.as_ref().unwrap();
//! assert_eq!((killed.reconciled, killed.rule.as_str()), (60, "single-report"));
//! assert!(merged.graph.node("group:islamic-state").is_some());
//! ```
pub mod corpus;
pub mod export;
pub mod extract;
pub mod graph;
pub mod lexicon;
pub mod partial;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod tagger;
pub mod text;
pub mod warnings;
