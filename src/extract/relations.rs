//! Typed relations between entities, each stated by one sentence: `BRANCH_OF`, `FOUNDED_BY`,
//! `OPERATES_IN`, `LEADS`, `MEMBER_OF`, `SPOKE_FOR`, `ARRESTED`, `LOCATED_IN`.
//!
//! Precision first: a relation is added only when the sentence holds both entities and the
//! words that state the relation between them ("X, the Afghan branch of Y", "P, head of G",
//! "Kerman, Iran"). Each pattern looks at the words between two mentions of one sentence.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::extract::{DocExtraction, Endpoint, RelationMention};
use crate::graph::NodeKind;
use crate::text::CharMap;

/// Longest gap between two mentions that a pattern looks at, in characters.
const MAX_GAP_CHARS: usize = 120;

/// A mention in a sentence: (entity, kind, char start, char end).
type M = (usize, NodeKind, usize, usize);

/// The words between two mentions, lower-cased.
/// The text between two character offsets counted from `base` (a mention's end and the next
/// one's start); `None` when they overlap or the gap would start at or past the text's end.
fn between<'t>(
    text: &'t str,
    chars: &CharMap,
    base: usize,
    a_end: usize,
    b_start: usize,
) -> Option<&'t str> {
    let (s, e) = (a_end.checked_sub(base)?, b_start.checked_sub(base)?);
    if s > e {
        return None;
    }
    let start = chars.byte_offset(text, s).filter(|&b| b < text.len())?;
    let end = chars.byte_offset(text, e).unwrap_or(text.len());
    text.get(start..end)
}

/// The words of `s`, lower-cased (borrowed when already lower case). The reference
/// implementation of [`words_into`].
#[cfg(test)]
fn words(s: &str) -> Vec<Cow<'_, str>> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes()
                .all(|b| b.is_ascii_lowercase() || !b.is_ascii_alphabetic())
                && w.is_ascii()
            {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
        .collect()
}

/// Is `c` part of a word (alphanumeric, or an apostrophe)?
#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// The words of `s`, lower-cased (borrowed when already lower case), into `out` (cleared
/// first); stops once `out` holds more than `limit` words. A byte loop: ASCII bytes are
/// classified without decoding, other characters as `words` does.
fn words_into<'s>(s: &'s str, out: &mut Vec<Cow<'s, str>>, limit: usize) {
    out.clear();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Skip separators.
        let c = b[i];
        if c < 0x80 {
            if !(c.is_ascii_alphanumeric() || c == b'\'') {
                i += 1;
                continue;
            }
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            if !is_word_char(ch) {
                i += ch.len_utf8();
                continue;
            }
        }
        // A word: up to the next separator.
        let start = i;
        let mut simple = true; // ASCII with no upper-case letter
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if !(c.is_ascii_alphanumeric() || c == b'\'') {
                    break;
                }
                simple &= !c.is_ascii_uppercase();
                i += 1;
            } else {
                let ch = s[i..].chars().next().unwrap_or(' ');
                if !is_word_char(ch) {
                    break;
                }
                simple = false;
                i += ch.len_utf8();
            }
        }
        let w = &s[start..i];
        out.push(if simple {
            Cow::Borrowed(w)
        } else {
            Cow::Owned(w.to_lowercase())
        });
        if out.len() > limit {
            return;
        }
    }
}

const BRANCH_WORDS: &[&str] = &[
    "branch",
    "affiliate",
    "affiliates",
    "offshoot",
    "wing",
    "faction",
    "province",
    "arm",
    "franchise",
    "subsidiary",
    "chapter",
    "division",
    "splinter",
];
const LEAD_WORDS: &[&str] = &[
    "head",
    "leader",
    "chief",
    "commander",
    "director",
    "chairman",
    "chairwoman",
    "president",
    "founder",
    "emir",
    "boss",
    "secretary-general",
    "ceo",
];
const MEMBER_WORDS: &[&str] = &[
    "member",
    "fellow",
    "analyst",
    "researcher",
    "official",
    "officer",
    "militant",
    "fighter",
    "expert",
    "scholar",
    "professor",
    "lawmaker",
    "minister",
    "envoy",
    "correspondent",
    "reporter",
    "editor",
    "employee",
    "agent",
    "operative",
    "soldier",
    "recruit",
];
const SPOKE_WORDS: &[&str] = &["spokesman", "spokeswoman", "spokesperson"];

/// Finds the typed relations of a document's sentences and adds them to `out`.
pub fn extract_relations(out: &mut DocExtraction) {
    let mut by_sentence: BTreeMap<usize, Vec<M>> = BTreeMap::new();
    for m in &out.mentions {
        by_sentence.entry(m.sentence).or_default().push((
            m.entity,
            out.entities[m.entity].kind,
            m.start,
            m.end,
        ));
    }
    let mut found: Vec<RelationMention> = Vec::new();
    for (&si, ms) in &by_sentence {
        let sent = &out.sentences[si];
        let chars = CharMap::new(&sent.text);
        let mut ms = ms.clone();
        ms.sort_by_key(|m| m.2);
        let mut w: Vec<Cow<'_, str>> = Vec::new();
        for i in 0..ms.len() {
            for j in i + 1..ms.len() {
                let (a, b) = (ms[i], ms[j]);
                // Patterns span at most ten words: later mentions are too far away.
                if b.2.saturating_sub(a.3) > MAX_GAP_CHARS {
                    break;
                }
                if a.0 == b.0 {
                    continue;
                }
                let Some(gap) = between(&sent.text, &chars, sent.start, a.3, b.2) else {
                    continue;
                };
                words_into(gap, &mut w, 10);
                if w.len() > 10 {
                    continue;
                }
                let mut add = |rel: &'static str, s: usize, t: usize| {
                    found.push(RelationMention {
                        rel: rel.into(),
                        source: Endpoint::Entity(s),
                        target: Endpoint::Entity(t),
                        sentence: si,
                    })
                };
                let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_ref()));
                let ends_of = w
                    .last()
                    .is_some_and(|x| x == "of" || x == "at" || x == "for")
                    || (w.len() >= 2 && w[w.len() - 2] == "of" && w[w.len() - 1] == "the")
                    || (w.len() >= 2 && w[w.len() - 2] == "at" && w[w.len() - 1] == "the")
                    || (w.len() >= 2 && w[w.len() - 2] == "for" && w[w.len() - 1] == "the");
                match (a.1, b.1) {
                    // "IS-K, the Afghan branch of the Islamic State"
                    (NodeKind::Group, NodeKind::Group) => {
                        let possessive = w
                            .first()
                            .is_some_and(|x| x == "'s" || x == "’s" || x == "s")
                            || gap.starts_with('\'')
                            || gap.starts_with('’');
                        if has(BRANCH_WORDS) && ends_of && !w.iter().any(|x| x == "and") {
                            add("BRANCH_OF", a.0, b.0);
                        } else if possessive
                            && has(BRANCH_WORDS)
                            && w.len() <= 6
                            && (gap.trim_end().ends_with(',')
                                || w.ends_with(&["known".into(), "as".into()])
                                || w.last().is_some_and(|x| x == "called"))
                        {
                            // "the Islamic State's Afghan branch known as ISIS-K"
                            add("BRANCH_OF", b.0, a.0);
                        } else if w
                            .iter()
                            .any(|x| x == "founded" || x == "formed" || x == "established")
                            && w.iter().any(|x| x == "by")
                        {
                            add("FOUNDED_BY", a.0, b.0);
                        }
                    }
                    // "General Michael Kurilla, head of the US Central Command"
                    (NodeKind::Person, NodeKind::Group) => {
                        // "head of the US Army's Central Command": the last of a possessive chain.
                        let mut target = b.0;
                        if let Some(next) = ms.get(j + 1)
                            && next.1 == NodeKind::Group
                            && between(&sent.text, &chars, sent.start, b.3, next.2)
                                .is_some_and(|g| matches!(g.trim(), "'s" | "’s"))
                        {
                            target = next.0;
                        }
                        let b = (target, b.1, b.2, b.3);
                        if w.len() <= 6 && ends_of {
                            if has(SPOKE_WORDS) {
                                add("SPOKE_FOR", a.0, b.0);
                            } else if has(LEAD_WORDS) {
                                add("LEADS", a.0, b.0);
                            } else if has(MEMBER_WORDS) || w == ["of"] || w == ["of", "the"] {
                                add("MEMBER_OF", a.0, b.0);
                            }
                        } else if w.iter().any(|x| x == "arrested" || x == "detained")
                            && w.iter().any(|x| x == "by")
                        {
                            add("ARRESTED", b.0, a.0);
                        }
                    }
                    // "the FSB arrested Ivan Petrov"
                    (NodeKind::Group, NodeKind::Person) => {
                        if w.len() <= 4 && w.iter().any(|x| x == "arrested" || x == "detained") {
                            add("ARRESTED", a.0, b.0);
                        } else if w.len() <= 2 && (has(LEAD_WORDS) || has(SPOKE_WORDS)) {
                            // "Taliban leader Hibatullah Akhundzada"
                            let rel = if has(SPOKE_WORDS) {
                                "SPOKE_FOR"
                            } else {
                                "LEADS"
                            };
                            add(rel, b.0, a.0);
                        }
                    }
                    // "IS-K operates primarily in ungoverned rural areas of Afghanistan"
                    (NodeKind::Group, NodeKind::Place) => {
                        let op = w.iter().any(|x| {
                            matches!(
                                x.as_ref(),
                                "operates"
                                    | "operating"
                                    | "operate"
                                    | "active"
                                    | "based"
                                    | "emerged"
                                    | "stronghold"
                                    | "strongholds"
                                    | "controls"
                                    | "controlled"
                            )
                        });
                        if op && w.iter().any(|x| x == "in") && w.len() <= 8 {
                            add("OPERATES_IN", a.0, b.0);
                        }
                    }
                    // "Kerman, Iran"; "Crocus City Hall in Krasnogorsk"
                    (NodeKind::Place, NodeKind::Place) => {
                        let ea = &out.entities[a.0];
                        let eb = &out.entities[b.0];
                        let ca = ea.place.as_ref().and_then(|p| p.country.as_deref());
                        let cb = eb.place.as_ref().and_then(|p| p.country.as_deref());
                        let comma = gap.trim() == ",";
                        let inside = w == ["in"];
                        if (comma || inside)
                            && crate::extract::is_country(eb)
                            && !crate::extract::is_country(ea)
                        {
                            // A city and its country must agree; a venue outside the
                            // gazetteer has no country to check.
                            if ca.is_none() || ca == cb {
                                add("LOCATED_IN", a.0, b.0);
                            }
                        } else if inside && ea.lexicon.is_none() && eb.lexicon.is_some() {
                            add("LOCATED_IN", a.0, b.0);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out.relations.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;

    fn rels(text: &str) -> Vec<(String, String, String)> {
        let doc = Document::new("d", text);
        let p = crate::text::prepare(&doc);
        let x = crate::extract::extract(&p);
        let mut v: Vec<_> = x
            .relations
            .iter()
            .filter(|r| r.rel != "CO_OCCURS")
            .filter_map(|r| match (r.source, r.target) {
                (Endpoint::Entity(a), Endpoint::Entity(b)) => Some((
                    r.rel.to_string(),
                    x.entities[a].name.clone(),
                    x.entities[b].name.clone(),
                )),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn states_relations_only_with_their_words() {
        let r = rels(
            "The group said the attack was carried out by ISIS-K, the Afghan branch of the Islamic State.",
        );
        assert!(
            r.iter()
                .any(|(rel, _, b)| rel == "BRANCH_OF" && b.contains("Islamic State")),
            "{r:?}"
        );
        let r = rels("It killed 84 people in Kerman, Iran, in January.");
        assert!(
            r.contains(&("LOCATED_IN".into(), "Kerman".into(), "Iran".into())),
            "{r:?}"
        );
        let r = rels("General Michael Kurilla, head of the US Central Command, spoke on Monday.");
        assert!(
            r.iter()
                .any(|(rel, a, _)| rel == "LEADS" && a == "Michael Kurilla"),
            "{r:?}"
        );
        // Two entities in one sentence without such words: no typed relation.
        let r = rels("Iran and the Taliban were mentioned in Kabul.");
        assert!(r.is_empty(), "{r:?}");
    }

    #[test]
    fn words_into_splits_like_words() {
        let mut v = Vec::new();
        for s in [
            "",
            ", the Afghan branch of the",
            "’s Afghan BRANCH known as",
            "O'Neill's  état-major ÉTAT 2,000 ß\u{301}x",
            "İstanbul ΣΟΦΙΑΣ, -- «x»",
        ] {
            words_into(s, &mut v, usize::MAX);
            assert_eq!(v, words(s), "{s:?}");
        }
        words_into("a b c d e", &mut v, 2);
        assert_eq!(v, ["a", "b", "c"]);
    }
}

#[cfg(test)]
mod prop_tests {
    use proptest::prelude::*;

    use super::*;

    fn texty() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            ' ', ' ', ',', '.', '\'', '’', '‘', '-', 'a', 'b', 's', 'A', 'Z', '1', 'é', 'É', 'ß',
            'İ', '\u{301}', 'ا', 'Σ', '\u{a0}', '😀', '_', '\u{0}',
        ]);
        prop::collection::vec(prop_oneof![4 => special, 1 => any::<char>()], 0..80)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `words_into` gives the words of `words`, cut after `limit + 1` of them.
        #[test]
        fn words_into_agrees_with_words(s in texty(), limit in 0usize..14) {
            let reference = words(&s);
            let mut v = Vec::new();
            words_into(&s, &mut v, usize::MAX);
            prop_assert_eq!(&v, &reference);
            words_into(&s, &mut v, limit);
            prop_assert_eq!(&v[..], &reference[..reference.len().min(limit + 1)]);
        }
    }
}
