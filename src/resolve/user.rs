//! A user's own alias and do-not-merge rules (`--aliases FILE`), which override the merge
//! rules.
//!
//! The file is tab-separated, one rule a line, `#` starts a comment:
//!
//! ```text
//! # rule      kind    names...
//! same        person  Michael Kurilla     Michael Erik Kurilla    Kurella
//! same        group   Soufan Center       The Soufan Group
//! different   person  Colin Clark         Colin Clarke
//! ```
//!
//! `same` makes every entity of that kind named by one of the names (any of its surface forms,
//! compared as name keys: case, accents and punctuation ignored) one node, labelled with the
//! first name. `different` keeps the entities named by the first name apart from those named by
//! each of the others, whatever rule would join them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::graph::NodeKind;

use super::name_key;

/// Errors in an alias file.
#[derive(Debug, thiserror::Error)]
pub enum UserRulesError {
    #[error("cannot read alias file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: String,
        line: usize,
        message: String,
    },
}

/// The parsed rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserRules {
    /// (kind, name key) -> (group index, label): names that are one entity.
    pub same: BTreeMap<(NodeKind, String), (usize, String)>,
    /// Pairs of (kind, name key) that must stay apart.
    pub different: BTreeSet<((NodeKind, String), (NodeKind, String))>,
}

fn parse_kind(s: &str) -> Option<NodeKind> {
    match s {
        "person" => Some(NodeKind::Person),
        "group" => Some(NodeKind::Group),
        "place" => Some(NodeKind::Place),
        _ => None,
    }
}

impl UserRules {
    pub fn is_empty(&self) -> bool {
        self.same.is_empty() && self.different.is_empty()
    }

    /// Reads an alias file.
    pub fn load(path: &Path) -> Result<UserRules, UserRulesError> {
        let text = std::fs::read_to_string(path).map_err(|e| UserRulesError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        UserRules::parse(&text, &path.display().to_string())
    }

    /// Parses the text of an alias file (`origin` names it in errors).
    pub fn parse(text: &str, origin: &str) -> Result<UserRules, UserRulesError> {
        let mut rules = UserRules::default();
        let mut groups = 0usize;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim_end();
            if line.trim().is_empty() {
                continue;
            }
            let err = |message: String| UserRulesError::Syntax {
                path: origin.to_string(),
                line: n + 1,
                message,
            };
            let fields: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            if fields.len() < 4 {
                return Err(err(format!(
                    "expected `same|different<TAB>person|group|place<TAB>name<TAB>name...`, got {line:?}"
                )));
            }
            let kind = parse_kind(fields[1]).ok_or_else(|| {
                err(format!(
                    "unknown kind {:?} (person, group or place)",
                    fields[1]
                ))
            })?;
            let names: Vec<&str> = fields[2..].to_vec();
            match fields[0] {
                "same" => {
                    let label = names[0].to_string();
                    for name in &names {
                        rules
                            .same
                            .insert((kind, name_key(name)), (groups, label.clone()));
                    }
                    groups += 1;
                }
                "different" => {
                    let a = (kind, name_key(names[0]));
                    for other in &names[1..] {
                        let b = (kind, name_key(other));
                        rules.different.insert((a.clone(), b.clone()));
                        rules.different.insert((b, a.clone()));
                    }
                }
                other => return Err(err(format!("unknown rule {other:?} (same or different)"))),
            }
        }
        Ok(rules)
    }

    /// Do two sets of name keys hold a pair the user keeps apart?
    pub fn forbids(
        &self,
        a: &BTreeSet<(NodeKind, String)>,
        b: &BTreeSet<(NodeKind, String)>,
    ) -> bool {
        if self.different.is_empty() {
            return false;
        }
        a.iter().any(|x| {
            b.iter()
                .any(|y| self.different.contains(&(x.clone(), y.clone())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_same_and_different_rules_and_names_bad_lines() {
        let r = UserRules::parse(
            "# comment\nsame\tperson\tMichael Kurilla\tKurella\ndifferent\tperson\tColin Clark\tColin Clarke\n",
            "aliases.tsv",
        )
        .unwrap();
        assert_eq!(
            r.same.get(&(NodeKind::Person, "kurella".into())),
            Some(&(0, "Michael Kurilla".into()))
        );
        assert!(r.different.contains(&(
            (NodeKind::Person, "colin clarke".into()),
            (NodeKind::Person, "colin clark".into())
        )));
        let e = UserRules::parse("same\tthing\tA\tB\n", "f.tsv").unwrap_err();
        assert!(e.to_string().starts_with("f.tsv:1: unknown kind"), "{e}");
        let e = UserRules::parse("\n\nsame person A\n", "f.tsv").unwrap_err();
        assert!(e.to_string().starts_with("f.tsv:3:"), "{e}");
    }
}
