//! Mentions of people, groups and places, and within-document coreference.
//!
//! Per sentence: a longest-match scan of the lexicons (group aliases, gazetteer names),
//! then candidate names from capitalisation (cased text) or the statistical tagger, typed by
//! cue words (titles, organisation and place cues), first names and the tagger. Within the
//! document, a surname alone joins the full name it belongs to, an acronym in parentheses joins
//! the name before it, and every alias of one lexicon entry is one entity.

use std::collections::BTreeMap;

use crate::extract::lex::{self, LexHit};
use crate::extract::{DocExtraction, LocalEntity, Mention, SentenceIndex};
use crate::graph::{Merge, MergeEvidence, NodeKind, TextRef};
use crate::resolve::{self, name_key};
use crate::tagger::{Entity as TaggerEntity, EntityType, Tagger};
use crate::text::{self, Prepared, Token};

/// Longest lexicon name tried, in tokens.
const MAX_NGRAM: usize = 8;

/// A typed span found in a sentence, before coreference.
#[derive(Debug, Clone)]
struct Found {
    kind: NodeKind,
    /// Byte offsets into the document.
    start: usize,
    end: usize,
    hit: Option<LexHit>,
    /// False for a lone capitalised word that is kept only if coreference can place it (the
    /// surname of a person, an acronym defined in the document).
    confirmed: bool,
}

/// [`resolve::collapse_ws`] without the word vector when `s` has nothing to collapse.
fn collapse_ws(s: &str) -> String {
    let b = s.as_bytes();
    let clean = s.is_ascii()
        && b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
        && !b.windows(2).any(|w| w == b"  ")
        // `split_whitespace` splits at U+0009..U+000D too (the vertical tab included).
        && !b.iter().any(|&c| (0x09..=0x0D).contains(&c));
    if clean {
        s.to_owned()
    } else {
        resolve::collapse_ws(s)
    }
}

fn is_wordlike(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_alphanumeric)
}

/// Compound modifiers ("Washington-based", "Saudi-led") are not names.
fn is_modifier_compound(w: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "-based",
        "-led",
        "-backed",
        "-born",
        "-linked",
        "-affiliated",
        "-style",
        "-funded",
        "-controlled",
        "-held",
        "-run",
        "-owned",
        "-allied",
        "-inspired",
        "-made",
        "-era",
    ];
    // Every suffix has a hyphen: most words are rejected by one scan (inline: words are
    // short).
    let b = w.as_bytes();
    if !b.contains(&b'-') {
        return false;
    }
    SUFFIXES
        .iter()
        .any(|s| b.len() > s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes()))
}

fn is_cap_word(w: &str) -> bool {
    let cap = match w.as_bytes().first() {
        Some(&b) if b.is_ascii_uppercase() => true,
        Some(&b) if b.is_ascii_digit() => w.chars().any(|c| c.is_uppercase()),
        Some(&b) if b < 0x80 => {
            // "ez-Zor", "el-Sheikh", "al-Anbar": an Arabic article joined to a capitalised name.
            // The article has 2 or 3 letters: its hyphen is the third or fourth byte (a
            // hyphen before that would end a word that is no article).
            b.is_ascii_lowercase()
                && (w.as_bytes().get(2) == Some(&b'-') || w.as_bytes().get(3) == Some(&b'-'))
                && w.split_once('-').is_some_and(|(article, rest)| {
                    matches!(
                        article,
                        "al" | "el"
                            | "ez"
                            | "es"
                            | "ed"
                            | "ad"
                            | "as"
                            | "ash"
                            | "az"
                            | "ar"
                            | "at"
                            | "an"
                            | "ul"
                    ) && rest.chars().next().is_some_and(char::is_uppercase)
                })
        }
        _ => w.chars().next().is_some_and(char::is_uppercase),
    };
    cap && !is_modifier_compound(w)
}

fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "de"
            | "del"
            | "da"
            | "van"
            | "von"
            | "bin"
            | "ibn"
            | "al"
            | "el"
            | "la"
            | "le"
            | "du"
            | "der"
            | "den"
            | "des"
            | "di"
            | "dos"
            | "das"
            | "es"
            | "ez"
            | "ed"
            | "ul"
            | "y"
            | "al-"
            | "the"
            | "and"
            | "on"
    )
}

/// Connectors that may join two capitalised runs only when an organisation cue follows.
/// "Additionally, ...", "Reportedly, ...": a sentence-initial adverb followed by a comma, which
/// the tagger sometimes takes for a name.
fn sentence_adverb(words: &[&str], a: usize, b: usize) -> bool {
    const SUFFIXES: [&str; 9] = [
        "ally", "ately", "ously", "ively", "edly", "ingly", "ently", "antly", "arly",
    ];
    a == 0
        && b == 1
        && words.get(1) == Some(&",")
        && SUFFIXES
            .iter()
            .any(|x| words[0].len() > x.len() + 2 && words[0].ends_with(x))
}

/// Extends a tagged name over what the tagger cut off: a gazetteer place name with a particle
/// ("Deir" + "ez-Zor", "Dar" + "es Salaam"), and a surname that is also a month after a first
/// name ("Theresa" + "May").
#[allow(clippy::too_many_arguments)]
fn extend_tagged(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    taken: &[bool],
    a: usize,
    b: usize,
    ty: EntityType,
    lowercase: bool,
) -> (usize, EntityType) {
    let n = tokens.len();
    if lowercase {
        return (b, ty);
    }
    if ty == EntityType::Per
        && b - a == 1
        && b < n
        && !taken[b]
        && matches!(words[b], "May" | "June" | "April" | "August")
        && lex::is_first_name(words[a])
        && words
            .get(b + 1)
            .is_none_or(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
    {
        return (b + 1, ty);
    }
    let mut end = b;
    let mut ty = ty;
    loop {
        // A hyphenated particle joined to the name ("ez-Zor"), or a particle and a name.
        let next = if end < n && !taken[end] && words[end].contains('-') && is_cap_word(words[end])
        {
            end + 1
        } else if end + 1 < n
            && !taken[end]
            && !taken[end + 1]
            && is_connector(words[end])
            && !is_weak_connector(words[end])
            && is_cap_word(words[end + 1])
        {
            end + 2
        } else {
            break;
        };
        match lex::place(&s[tokens[a].start..tokens[next - 1].end], false) {
            Some(_) => {
                end = next;
                ty = EntityType::Loc;
            }
            None => break,
        }
    }
    (end, ty)
}

/// "Theresa May", "Brian May": a capitalised stopword (a month) that ends a two-word run after a
/// known first name is a surname.
fn surname_after_first_name(words: &[&str], a: usize, b: usize) -> bool {
    b - a == 2 && lex::is_first_name(words[a]) && !lex::is_cap_stopword(words[a])
}

fn is_weak_connector(w: &str) -> bool {
    matches!(w, "the" | "and" | "on" | "for")
}

/// Finds the entities of a document and adds them, with mentions and sentences, to `out`.
pub fn extract_entities(
    prepared: &Prepared<'_>,
    out: &mut DocExtraction,
    sidx: &mut SentenceIndex,
) {
    extract_entities_with(prepared, &text::SentenceTokens::new(prepared), out, sidx)
}

/// [`extract_entities`] with the sentences' tokens already cut ([`text::SentenceTokens`], shared
/// with the other extractors).
pub fn extract_entities_with(
    prepared: &Prepared<'_>,
    sentence_tokens: &text::SentenceTokens,
    out: &mut DocExtraction,
    sidx: &mut SentenceIndex,
) {
    let text = prepared.text();
    let mut words: Vec<&str> = Vec::new();
    let mut found_all: Vec<(usize, Found)> = Vec::new(); // (sentence index in prepared, found)
    let mut tagged: Vec<TaggerEntity> = Vec::new();
    Tagger::shared().tag_document_into(text, Some(prepared.lowercase), &mut tagged);
    tagged.sort_by_key(|e| e.byte_start);
    let mut next_tagged = 0;
    let mut spans: Vec<(usize, usize, EntityType)> = Vec::new();
    for (si, sent) in prepared.sentences.iter().enumerate() {
        let s = &text[sent.byte_start..sent.byte_end];
        let tokens = sentence_tokens.get(si);
        words.clear();
        words.extend(tokens.iter().map(|t| &s[t.start..t.end]));
        // The tagger's entities inside this sentence, as token ranges.
        spans.clear();
        while next_tagged < tagged.len() && tagged[next_tagged].byte_end <= sent.byte_start {
            next_tagged += 1;
        }
        let mut k = next_tagged;
        while k < tagged.len() && tagged[k].byte_start < sent.byte_end {
            let e = &tagged[k];
            k += 1;
            if e.byte_start < sent.byte_start || e.byte_end > sent.byte_end {
                continue;
            }
            let (bs, be) = (e.byte_start - sent.byte_start, e.byte_end - sent.byte_start);
            let a = tokens.iter().position(|t| t.end > bs);
            let b = tokens.iter().rposition(|t| t.start < be);
            if let (Some(a), Some(b)) = (a, b)
                && a <= b
            {
                spans.push((a, b + 1, e.ty));
            }
        }
        if !prepared.lowercase {
            join_name_particles(&words, &mut spans);
        }
        let mut found = sentence_entities(s, tokens, &words, prepared.lowercase, &spans);
        // A news agency credited in parentheses ("KABUL (Reuters) -") is a credit, not a
        // mention of the agency.
        found.retain(|f| {
            let media = f.hit.as_ref().is_some_and(|h| h.media);
            !(media
                && s[..f.start].trim_end().ends_with('(')
                && s[f.end..].trim_start().starts_with(')'))
        });
        for mut f in found {
            f.start += sent.byte_start;
            f.end += sent.byte_start;
            found_all.push((si, f));
        }
    }
    corefer(prepared, found_all, out, sidx);
}

/// Entities of one sentence (byte offsets into the sentence).
fn sentence_entities(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    lowercase: bool,
    tagged: &[(usize, usize, EntityType)],
) -> Vec<Found> {
    let n = tokens.len();
    let mut taken = vec![false; n];
    let mut found = Vec::new();

    // 1. Group aliases anywhere (they may start in lower case: "al-Qaeda"): longest match.
    //    In lower-case text places are looked up here too.
    let mut i = 0;
    while i < n {
        let mut best: Option<(usize, LexHit)> = None;
        let max = (i + MAX_NGRAM).min(n);
        if !is_wordlike(words[i]) || words[i].eq_ignore_ascii_case("the") {
            i += 1;
            continue;
        }
        // In cased text: which spans may be a group's key at all (see `group_span_limits`).
        let mut may_match = [true; MAX_NGRAM + 1];
        if !lowercase {
            let groups = &crate::lexicon::lexicon().groups;
            let bound = match groups.start_bound(words[i]) {
                Some(bound) => bound,
                // An "ISIS ..." span may be looked up again as an "Islamic State" name: the
                // exact first-word test decides, as it always did.
                None if islamic_state_prefix(&s[tokens[i].start..])
                    && groups.may_start(words[i]) =>
                {
                    usize::MAX
                }
                None => {
                    i += 1;
                    continue;
                }
            };
            group_span_limits(s, tokens, i, max, bound, &mut may_match);
        }
        for j in (i + 1..=max).rev() {
            if !is_wordlike(words[j - 1]) || !may_match[j - i] {
                continue;
            }
            let span = &s[tokens[i].start..tokens[j - 1].end];
            let hit = if lowercase {
                lex::lookup(span, true)
            } else {
                lex::group(span, false)
            };
            if let Some(hit) = hit {
                best = Some((j, hit));
                break;
            }
        }
        match best {
            Some((j, hit)) => {
                for t in taken.iter_mut().take(j).skip(i) {
                    *t = true;
                }
                found.push(Found {
                    kind: hit.kind,
                    start: tokens[i].start,
                    end: tokens[j - 1].end,
                    hit: Some(hit),
                    confirmed: true,
                });
                i = j;
            }
            None => i += 1,
        }
    }
    // 2. The statistical tagger's names, typed again where the lexicons or cue words know
    //    better.
    for &(a, b, ty) in tagged {
        if (a..b).any(|k| taken[k]) {
            continue;
        }
        let (b, ty) = extend_tagged(s, tokens, words, &taken, a, b, ty, lowercase);
        if let Some(f) = classify_tagged(s, tokens, words, a, b, ty, lowercase) {
            for t in taken.iter_mut().take(b).skip(a) {
                *t = true;
            }
            found.push(f);
        }
    }
    if lowercase || std::env::var_os("NG_NO_RULES").is_some() {
        found.sort_by_key(|f| f.start);
        return found;
    }

    // 3. Capitalised runs over the remaining tokens, split at titles and demonyms.
    let mut i = 0;
    while i < n {
        if taken[i] || !is_cap_word(words[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < n && !taken[j] && is_cap_word(words[j]) {
                j += 1;
                continue;
            }
            // A connector between capitalised words: "Bank of England", "Islamic State of Iraq".
            if j + 1 < n
                && is_connector(words[j])
                && !taken[j + 1]
                && is_cap_word(words[j + 1])
                && (!is_weak_connector(words[j]) || run_has_org_cue(&words[j + 1..]))
            {
                j += 2;
                continue;
            }
            break;
        }
        segment_run(s, tokens, words, i, j, &mut found);
        i = j;
    }
    found.sort_by_key(|f| f.start);
    found
}

/// Can a span starting at `rest` be rewritten by `lex::group` as an "Islamic State" name
/// ("ISIS-K", "Daesh Khorasan")?
fn islamic_state_prefix(rest: &str) -> bool {
    ["IS", "Daesh", "DAESH"].iter().any(|p| rest.starts_with(p))
}

/// Marks in `may_match[j - i]` whether the span of tokens `i..j` (for `j` in `i + 1..=max`)
/// may be a key of the group lexicon, given `bound` from
/// [`GroupLexicon::start_bound`](crate::lexicon::GroupLexicon::start_bound) of token `i`: a span
/// is ruled out when it is ASCII, its normalised first word is that of token `i`, it cannot be
/// rewritten as an "Islamic State" name, and it holds more non-separator bytes than `bound`.
/// Every other span stays `true` (it is looked up as before).
fn group_span_limits(
    s: &str,
    tokens: &[Token],
    i: usize,
    max: usize,
    bound: usize,
    may_match: &mut [bool; MAX_NGRAM + 1],
) {
    use crate::lexicon::is_key_separator;
    let start = tokens[i].start;
    if bound == usize::MAX || islamic_state_prefix(&s[start..]) {
        return;
    }
    let b = s.as_bytes();
    // Does the first word of the span end inside token i, or at its end before a separator?
    // Then every span from token i has the first word of token i alone.
    let end_i = tokens[i].end;
    let mut k = start;
    while k < end_i && is_key_separator(b[k]) {
        k += 1;
    }
    while k < end_i && !is_key_separator(b[k]) {
        k += 1;
    }
    let first_word_in_token = k < end_i || (end_i < b.len() && is_key_separator(b[end_i]));
    let mut count = 0usize; // non-separator bytes from `start`
    let mut ascii = true;
    let mut pos = start;
    for j in i + 1..=max {
        let end = tokens[j - 1].end;
        for &x in &b[pos..end] {
            ascii &= x < 0x80;
            count += usize::from(!is_key_separator(x));
        }
        pos = end;
        if !ascii {
            // Longer spans are not ASCII either.
            return;
        }
        if (j == i + 1 || first_word_in_token) && count > bound {
            may_match[j - i] = false;
        }
    }
}

fn run_has_org_cue(words: &[&str]) -> bool {
    words
        .iter()
        .take_while(|w| is_cap_word(w) || is_connector(w))
        .any(|w| lex::is_org_cue(w))
}

/// Types a name the tagger found over tokens `a..b`.
fn classify_tagged(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    a: usize,
    b: usize,
    ty: EntityType,
    lowercase: bool,
) -> Option<Found> {
    let mut a = a;
    // Titles are not part of a name ("President Vladimir Putin"), nor are compound modifiers
    // ("the Kurdish-led Syrian Democratic Forces").
    while a < b && b - a > 1 && (lex::is_title(words[a]) || is_modifier_compound(words[a])) {
        a += 1;
    }
    if a >= b {
        return None;
    }
    let b = place_with_suffix(s, tokens, words, a, b, ty);
    // "on Rue Victor Hugo": the tagger left out the street word before the name.
    if a > 0 && ty != EntityType::Misc && leading_place_word(words, a - 1, b) {
        return Some(Found {
            kind: NodeKind::Place,
            start: tokens[a - 1].start,
            end: tokens[b - 1].end,
            hit: None,
            confirmed: true,
        });
    }
    let span = &s[tokens[a].start..tokens[b - 1].end];
    if b - a == 1 && lex::is_cap_stopword(span) {
        return None;
    }
    // "a Muslim", "Protestants": followers of a religion are people, not a group or a place.
    if b - a == 1 && ty != EntityType::Misc && is_religious_adherent(span) {
        return Some(Found {
            kind: NodeKind::Person,
            start: tokens[a].start,
            end: tokens[b - 1].end,
            hit: None,
            confirmed: true,
        });
    }
    let last = words[b - 1];
    let found = |kind, hit| {
        Some(Found {
            kind,
            start: tokens[a].start,
            end: tokens[b - 1].end,
            hit,
            confirmed: true,
        })
    };
    if let Some(hit) = lex::group(span, lowercase) {
        return found(NodeKind::Group, Some(hit));
    }
    let place = lex::place(span, lowercase);
    if place.is_none() && sentence_adverb(words, a, b) {
        return None;
    }
    match ty {
        EntityType::Per => {
            // A lone word the gazetteer knows is the place ("Kabul"), unless it is a
            // first name and surname pair.
            if let Some(hit) = place.as_ref().filter(|h| h.major && b - a == 1) {
                return found(NodeKind::Place, Some(hit.clone()));
            }
            // "the Rolando Cafe", "Dreamland Motel": a venue named after a person (not "Lee
            // Hall" or "Charlotte Church": only venue words that are not surnames).
            if lex::is_venue_word(last) && b - a >= 2 {
                return found(NodeKind::Place, place);
            }
            if lex::is_org_cue(last) && b - a >= 2 {
                return found(NodeKind::Group, None);
            }
            if leading_place_word(words, a, b) {
                return found(NodeKind::Place, place);
            }
            found(NodeKind::Person, None)
        }
        EntityType::Org | EntityType::Loc => {
            if lex::is_strong_place_cue(last) && b - a >= 2 {
                return found(NodeKind::Place, place);
            }
            // "Russian Federation", "West Bank": a country or province the gazetteer names in
            // full, although its last word is an organisation cue.
            if let Some(hit) = place
                .as_ref()
                .filter(|h| b - a >= 2 && lex::is_org_cue(last) && gazetteer_region(h, span))
            {
                return found(NodeKind::Place, Some(hit.clone()));
            }
            if lex::is_org_cue(last) && b - a >= 2 {
                return found(NodeKind::Group, None);
            }
            if let Some(hit) = place {
                // "Russia said" is the country whatever the tagger calls it; a city it calls an
                // organisation is usually a team named after the city ("Seattle beat Boston").
                // But "in Lyon", "centre of Lyon" is the city.
                if ty == EntityType::Loc || hit.country_level || locative_before(words, a) {
                    return found(NodeKind::Place, Some(hit));
                }
            }
            if leading_place_word(words, a, b) {
                return found(NodeKind::Place, None);
            }
            if ty == EntityType::Org {
                found(NodeKind::Group, None)
            } else {
                found(NodeKind::Place, None)
            }
        }
        EntityType::Misc => None,
    }
}

/// A preposition of place right before `words[a]` ("in", "near", "centre of"): what follows
/// is a place, not a team or company named after it.
fn locative_before(words: &[&str], a: usize) -> bool {
    let Some(prev) = a.checked_sub(1).map(|i| words[i]) else {
        return false;
    };
    if matches!(
        prev,
        "in" | "near" | "outside" | "across" | "around" | "into" | "inside" | "throughout"
    ) {
        return true;
    }
    // "the centre of Lyon", "the outskirts of Kabul", "the streets of Paris".
    prev == "of"
        && a >= 2
        && matches!(
            words[a - 2],
            "centre"
                | "center"
                | "outskirts"
                | "streets"
                | "suburbs"
                | "suburb"
                | "city"
                | "town"
                | "heart"
                | "north"
                | "south"
                | "east"
                | "west"
                | "residents"
                | "mayor"
                | "people"
        )
}

/// A follower of a religion or denomination ("Muslim", "Catholics", "Sunnis").
fn is_religious_adherent(w: &str) -> bool {
    let w = w.strip_suffix('s').unwrap_or(w);
    matches!(
        w,
        "Muslim"
            | "Moslem"
            | "Christian"
            | "Jew"
            | "Catholic"
            | "Protestant"
            | "Sunni"
            | "Shiite"
            | "Shi'ite"
            | "Hindu"
            | "Sikh"
            | "Buddhist"
            | "Alawite"
            | "Druze"
            | "Copt"
            | "Yazidi"
    )
}

/// A country, continent, region or first-level division of the gazetteer named by `span`.
fn gazetteer_region(hit: &LexHit, span: &str) -> bool {
    hit.country_level
        || crate::lexicon::lexicon()
            .places
            .lookup_all(span)
            .first()
            .is_some_and(|m| m.entry.kind == crate::lexicon::PlaceKind::Admin1)
}

/// A word that opens the name of a street, camp or body of water ("Rue Victor Hugo", "Calle
/// del Correo", "Camp Bastion", "Straits of Gibraltar", "Lake Chad"): the name is a place
/// whatever the words after it are.
fn leading_place_word(words: &[&str], a: usize, b: usize) -> bool {
    b - a >= 2
        && (matches!(
            words[a],
            "Rue"
                | "Calle"
                | "Avenida"
                | "Avenue"
                | "Boulevard"
                | "Plaza"
                | "Piazza"
                | "Camp"
                | "Fort"
                | "Mount"
                | "Mt."
                | "Lake"
                | "Cafetería"
                | "Cafeteria"
        )
        || (b - a >= 3
            && words[a + 1] == "of"
            && matches!(
                words[a],
                "Strait" | "Straits" | "Gulf" | "Bay" | "Sea" | "Isle" | "Cape"
            )))
        // "Gulf Air", "Camp Nou Stadium" keep their own rules; a connector must not end it.
        && !is_connector(words[b - 1])
}

/// "Idlib province", "Arghandab district": a place the tagger found, followed by a lower-case
/// word for an administrative area, is the area when the gazetteer names it so. Returns the
/// new end of the span.
fn place_with_suffix(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    a: usize,
    b: usize,
    ty: EntityType,
) -> usize {
    if ty == EntityType::Misc || b >= words.len() {
        return b;
    }
    if !matches!(
        words[b],
        "province" | "district" | "governorate" | "county" | "oblast"
    ) {
        return b;
    }
    match lex::place(&s[tokens[a].start..tokens[b].end], false) {
        Some(_) => b + 1,
        None => b,
    }
}

/// Particles inside people's names ("Tarek el Aissami", "Maria del Carmen Nadal", "Ludwig van
/// Beethoven").
fn is_name_particle(w: &str) -> bool {
    matches!(
        w,
        "el" | "El"
            | "al"
            | "de"
            | "De"
            | "del"
            | "Del"
            | "della"
            | "da"
            | "di"
            | "van"
            | "Van"
            | "von"
            | "der"
            | "den"
            | "bin"
            | "ibn"
            | "dos"
            | "das"
            | "du"
            | "la"
    )
}

/// A middle initial ("A.", "W.").
fn is_initial(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 2 && b[0].is_ascii_uppercase() && b[1] == b'.'
}

/// A person's name that the tagger cut at a particle or a middle initial ("Tarek" + "el
/// Aissami", "Maria" + "del" + "Carmen Nadal", "Michael" + "A." + "Cinco"): the parts and what
/// joins them are one name. `spans` are sorted token ranges of one sentence.
fn join_name_particles(words: &[&str], spans: &mut Vec<(usize, usize, EntityType)>) {
    let n = words.len();
    let mut k = 0;
    while k < spans.len() {
        let (a, b, ty) = spans[k];
        if ty != EntityType::Per {
            k += 1;
            continue;
        }
        // One or two particles ("van der"), or one initial.
        let mut p = b;
        if p < n && is_initial(words[p]) {
            p += 1;
        } else {
            while p < n && p < b + 2 && is_name_particle(words[p]) {
                p += 1;
            }
        }
        if p == b || p >= n || !is_cap_word(words[p]) || lex::is_cap_stopword(words[p]) {
            k += 1;
            continue;
        }
        match spans.get(k + 1) {
            // The rest of the name is a name the tagger found (of one or two words).
            Some(&(c, d, _)) if c == p => {
                if d - c <= 2 || spans[k + 1].2 == EntityType::Per {
                    spans[k] = (a, d, EntityType::Per);
                    spans.remove(k + 1);
                }
            }
            // The rest is a capitalised word the tagger left out.
            Some(&(c, _, _)) if c < p => {}
            _ => {
                let mut e = p + 1;
                if e < n && is_cap_word(words[e]) && !lex::is_cap_stopword(words[e]) {
                    e += 1;
                }
                if spans.get(k + 1).is_none_or(|&(c, _, _)| c >= e) {
                    spans[k] = (a, e, EntityType::Per);
                }
            }
        }
        k += 1;
    }
}

/// Splits a capitalised run at titles ("Moscow Mayor Sergei Sobyanin") and leading demonyms
/// ("Russian President Vladimir Putin"), then types each part.
fn segment_run(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    i: usize,
    j: usize,
    found: &mut Vec<Found>,
) {
    let mut start = i;
    let mut k = i;
    let mut cue_before = i > 0 && lex::is_title(words[i - 1]);
    while k < j {
        let w = words[k];
        let title = lex::is_title(w) && !(k > start && lex::is_org_cue(w));
        let demonym_head =
            k == start && k + 1 < j && lex::is_demonym(w) && lex::is_title(words[k + 1]);
        if title || demonym_head {
            if k > start {
                classify_run(s, tokens, words, start, k, cue_before, found);
            }
            // Demonym or title words are not names themselves.
            cue_before = title;
            k += 1;
            start = k;
            continue;
        }
        k += 1;
    }
    if start < j {
        classify_run(s, tokens, words, start, j, cue_before, found);
    }
}

/// Types a capitalised run `words[i..j]` and pushes what it names.
fn classify_run(
    s: &str,
    tokens: &[Token],
    words: &[&str],
    i: usize,
    j: usize,
    title_before: bool,
    found: &mut Vec<Found>,
) {
    let push = |found: &mut Vec<Found>, kind, a: usize, b: usize, hit, _cue: bool, confirmed| {
        found.push(Found {
            kind,
            start: tokens[a].start,
            end: tokens[b - 1].end,
            hit,
            confirmed,
        })
    };
    // The whole run may be a gazetteer name that starts with a stopword ("New Delhi").
    if let Some(hit) = lex::place(&s[tokens[i].start..tokens[j - 1].end], false) {
        return push(found, NodeKind::Place, i, j, Some(hit), false, true);
    }
    let mut a = i;
    let mut b = j;
    let mut person_cue = title_before;
    // Sentence-initial function words and capitalised stopwords ("The", "However").
    while a < b && (lex::is_cap_stopword(words[a]) || (a == 0 && lex::is_common_word(words[a]))) {
        a += 1;
        person_cue = false;
    }
    while b > a
        && (is_connector(words[b - 1])
            || (lex::is_cap_stopword(words[b - 1]) && !surname_after_first_name(words, a, b)))
    {
        b -= 1;
    }
    if a >= b {
        return;
    }
    // "Colin Clarke of Soufan Center": a person's name, a connector, an organisation.
    if let Some(c) = (a + 1..b).find(|&k| matches!(words[k], "of" | "at" | "from"))
        && c - a >= 2
        && c - a <= 3
        && lex::is_first_name(words[a])
    {
        classify_run(s, tokens, words, a, c, true, found);
        return classify_run(s, tokens, words, c + 1, b, false, found);
    }
    let span = &s[tokens[a].start..tokens[b - 1].end];
    let last = words[b - 1];
    let first = words[a];
    // Whole run: place and organisation cues, the gazetteer, person cues.
    // The tagger did not take this run: what cue words say of it is kept only when the
    // document names the same thing elsewhere (unconfirmed), but a title before a name, and
    // the gazetteer, are trusted.
    if lex::is_strong_place_cue(last) && b - a >= 2 {
        return push(found, NodeKind::Place, a, b, None, false, false);
    }
    if leading_place_word(words, a, b) && !lex::is_org_cue(last) {
        return push(found, NodeKind::Place, a, b, None, false, true);
    }
    if lex::is_org_cue(last) || words[a..b].iter().any(|w| lex::is_org_head(w)) {
        return push(found, NodeKind::Group, a, b, None, false, false);
    }
    if lex::is_place_cue(last) && b - a >= 2 {
        return push(found, NodeKind::Place, a, b, None, false, false);
    }
    if let Some(hit) = lex::place(span, false) {
        return push(found, NodeKind::Place, a, b, Some(hit), false, true);
    }
    if person_cue && b - a <= 4 {
        return push(found, NodeKind::Person, a, b, None, person_cue, true);
    }
    if b - a >= 2
        && b - a <= 4
        && lex::is_first_name(first)
        && !words[a..b].iter().any(|w| is_connector(w))
    {
        return push(found, NodeKind::Person, a, b, None, false, false);
    }
    // Parts of the run that the gazetteer knows ("Kabul International" is not a place, "Kabul" is).
    if b - a >= 2 {
        let mut k = a;
        let mut rest_start = a;
        while k < b {
            let mut matched = None;
            for e in (k + 1..=b.min(k + MAX_NGRAM)).rev() {
                if e - k == b - a {
                    continue;
                }
                let sub = &s[tokens[k].start..tokens[e - 1].end];
                if let Some(hit) = lex::place(sub, false).filter(lex::is_major_place) {
                    matched = Some((e, hit));
                    break;
                }
            }
            if let Some((e, hit)) = matched {
                let _ = rest_start;
                push(found, NodeKind::Place, k, e, Some(hit), false, true);
                k = e;
                rest_start = e;
            } else {
                k += 1;
            }
        }
        return;
    }
    // A lone capitalised word that is not sentence-initial: kept as a candidate, to be placed
    // by coreference (a surname, an acronym) or dropped.
    if a > 0 {
        push(found, NodeKind::Person, a, b, None, false, false);
    }
}

/// A local entity being built.
#[derive(Debug)]
struct Builder {
    kind: NodeKind,
    name: String,
    lexicon: Option<String>,
    canonical: Option<String>,
    place: Option<crate::graph::PlaceInfo>,
    parent: Option<String>,
    aliases: Vec<String>,
    merges: Vec<Merge>,
    /// Name keys of the parts of a person's name (first .. last).
    parts: Vec<String>,
}

impl Builder {
    fn new(kind: NodeKind, name: &str) -> Builder {
        let name = collapse_ws(name);
        let parts = if kind == NodeKind::Person {
            name_key(&name).split(' ').map(str::to_string).collect()
        } else {
            Vec::new()
        };
        Builder {
            kind,
            name: name.clone(),
            lexicon: None,
            canonical: None,
            place: None,
            parent: None,
            aliases: vec![name],
            merges: Vec::new(),
            parts,
        }
    }

    fn add_alias(&mut self, alias: &str, rule: &str, evidence: MergeEvidence) {
        let alias = collapse_ws(alias);
        if self.aliases.contains(&alias) {
            return;
        }
        self.aliases.push(alias.clone());
        self.merges.push(Merge {
            alias,
            rule: rule.to_string(),
            evidence,
        });
    }

    fn surname(&self) -> Option<&str> {
        (self.parts.len() >= 2).then(|| self.parts[self.parts.len() - 1].as_str())
    }
}

/// Looks like an acronym: 2-12 characters, upper-case letters (with digits, `-`, `.`, `&`).
fn is_acronym(s: &str) -> bool {
    let n = s.chars().count();
    (2..=12).contains(&n)
        && s.chars().filter(|c| c.is_uppercase()).count() >= 2
        && s.chars().all(|c| {
            c.is_uppercase() || c.is_ascii_digit() || "-.&".contains(c) || c.is_lowercase()
        })
        && s.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A lower-case acronym that fits a name: 2-8 letters, the first the name's first initial, each
/// letter the initial of a word of the name ("fmln" for "farabundo marti national liberation
/// front", in any case).
fn acronym_fits(name: &str, acr: &str) -> bool {
    let n = acr.chars().count();
    if !(2..=8).contains(&n) || !acr.chars().all(|c| c.is_alphabetic()) {
        return false;
    }
    let initials: Vec<char> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let mut letters = acr.chars().flat_map(char::to_lowercase);
    let Some(first) = letters.next() else {
        return false;
    };
    initials.len() >= 2
        && initials.first() == Some(&first)
        && letters.all(|c| initials.contains(&c))
}

fn text_ref(prepared: &Prepared<'_>, start: usize, end: usize) -> TextRef {
    TextRef {
        doc: prepared.doc.id.clone(),
        start: prepared.char_offset(start),
        end: prepared.char_offset(end),
        text: prepared.text()[start..end].to_string(),
    }
}

fn corefer(
    prepared: &Prepared<'_>,
    mut found: Vec<(usize, Found)>,
    out: &mut DocExtraction,
    sidx: &mut SentenceIndex,
) {
    let text = prepared.text();
    found.sort_by_key(|(_, f)| (f.start, f.end));
    let mut builders: Vec<Builder> = Vec::new();
    let mut by_lexicon: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_name: BTreeMap<(NodeKind, String), usize> = BTreeMap::new();
    let mut acronyms: BTreeMap<String, usize> = BTreeMap::new();
    // found index -> builder index
    let mut assigned: Vec<Option<usize>> = vec![None; found.len()];

    // Order of passes: lexicon hits and multi-word names, then single-word confirmed names,
    // then unconfirmed candidates, so that a surname used before the full name still joins it.
    let order = |f: &Found| -> u8 {
        if !f.confirmed {
            3
        } else if f.hit.is_some()
            || f.kind != NodeKind::Person
            || text[f.start..f.end].split_whitespace().count() >= 2
        {
            1
        } else {
            2
        }
    };
    for pass in 1..=3u8 {
        for (fi, (_, f)) in found.iter().enumerate() {
            if order(f) != pass {
                continue;
            }
            let surface = &text[f.start..f.end];
            // The key serves only names outside the lexicons.
            let key = if f.hit.is_none() {
                name_key(surface)
            } else {
                String::new()
            };
            let b = if let Some(hit) = &f.hit {
                match by_lexicon.get(&hit.id) {
                    Some(&b) => {
                        builders[b].add_alias(
                            surface,
                            "alias-table",
                            MergeEvidence::Table {
                                table: hit.table.to_string(),
                                entry: hit.canonical.clone(),
                            },
                        );
                        Some(b)
                    }
                    None => {
                        let mut nb = Builder::new(hit.kind, surface);
                        nb.lexicon = Some(hit.id.clone());
                        nb.canonical = Some(hit.canonical.clone());
                        nb.place = hit.place.clone();
                        nb.parent = hit.parent.clone();
                        builders.push(nb);
                        by_lexicon.insert(hit.id.clone(), builders.len() - 1);
                        Some(builders.len() - 1)
                    }
                }
            } else if let Some(&b) = by_name.get(&(f.kind, key.clone())) {
                Some(b)
            } else if let Some(&b) = acronyms.get(&key) {
                Some(b)
            } else if f.kind == NodeKind::Person {
                let parts: Vec<&str> = key.split(' ').collect();
                // A single word: the surname (or, failing that, the first name) of a person.
                let mut candidates: Vec<usize> = Vec::new();
                if parts.len() == 1 {
                    for (bi, b) in builders.iter().enumerate() {
                        if b.kind == NodeKind::Person && b.surname() == Some(parts[0]) {
                            candidates.push(bi);
                        }
                    }
                } else {
                    // Same first and last name, middle name or initial added or dropped.
                    for (bi, b) in builders.iter().enumerate() {
                        if b.kind == NodeKind::Person
                            && b.parts.len() >= 2
                            && b.parts[0] == parts[0]
                            && b.surname() == parts.last().copied()
                        {
                            candidates.push(bi);
                        }
                    }
                }
                if candidates.len() == 1 {
                    let b = candidates[0];
                    let rule = if parts.len() == 1 {
                        "surname"
                    } else {
                        "middle-name-or-initial"
                    };
                    builders[b].add_alias(
                        surface,
                        rule,
                        MergeEvidence::Text(text_ref(prepared, f.start, f.end)),
                    );
                    Some(b)
                } else if f.confirmed && candidates.is_empty() {
                    builders.push(Builder::new(NodeKind::Person, surface));
                    Some(builders.len() - 1)
                } else {
                    None
                }
            } else if f.confirmed {
                builders.push(Builder::new(f.kind, surface));
                Some(builders.len() - 1)
            } else {
                None
            };
            let Some(b) = b else { continue };
            assigned[fi] = Some(b);
            if f.hit.is_none() {
                by_name.entry((f.kind, key.clone())).or_insert(b);
            }
            // "Name (ACR)": the acronym in parentheses right after the name.
            if f.kind != NodeKind::Person {
                let after = &text[f.end..];
                let trimmed = after.trim_start_matches([' ', '\u{a0}']);
                if let Some(inner) = trimmed.strip_prefix('(')
                    && let Some(close) = inner.find(')')
                {
                    let acr = inner[..close].trim();
                    if is_acronym(acr) || acronym_fits(surface, acr) {
                        let acr_key = name_key(acr);
                        acronyms.entry(acr_key).or_insert(b);
                        let open = f.end + (after.len() - trimmed.len());
                        let ev_end = open + 1 + close + 1;
                        builders[b].add_alias(
                            acr,
                            "parenthetical-acronym",
                            MergeEvidence::Text(text_ref(prepared, f.start, ev_end)),
                        );
                    }
                }
            }
        }
    }

    // Emit entities in order of first mention, mentions in text order.
    let mut first_mention: Vec<(usize, usize)> = Vec::new(); // (start, builder)
    for (fi, (_, f)) in found.iter().enumerate() {
        if let Some(b) = assigned[fi]
            && !first_mention.iter().any(|&(_, x)| x == b)
        {
            first_mention.push((f.start, b));
        }
    }
    first_mention.sort();
    let mut local_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, b) in &first_mention {
        local_of.insert(*b, out.entities.len());
        let bld = &mut builders[*b];
        // The fullest surface form names the entity (most words, then first used).
        let mut best = bld.name.clone();
        for a in &bld.aliases {
            if bld.kind == NodeKind::Person && a.split(' ').count() > best.split(' ').count() {
                best = a.clone();
            }
        }
        let mut aliases = bld.aliases.clone();
        aliases.sort();
        aliases.dedup();
        out.entities.push(LocalEntity {
            kind: bld.kind,
            name: best,
            lexicon: bld.lexicon.clone(),
            canonical: bld.canonical.clone(),
            aliases,
            merges: std::mem::take(&mut bld.merges),
            place: bld.place.clone(),
            parent: bld.parent.clone(),
        });
    }
    for (fi, (si, f)) in found.iter().enumerate() {
        let Some(b) = assigned[fi] else { continue };
        let sentence = sidx.get(prepared, out, *si);
        let r = text_ref(prepared, f.start, f.end);
        out.mentions.push(Mention {
            entity: local_of[&b],
            start: r.start,
            end: r.end,
            text: r.text,
            sentence,
        });
    }
}

#[cfg(test)]
mod acronym_tests {
    use super::*;

    #[test]
    fn lower_case_acronyms_fit_their_names() {
        assert!(acronym_fits(
            "farabundo marti national liberation front",
            "fmln"
        ));
        assert!(acronym_fits("Islamic State Khorasan Province", "ISKP"));
        assert!(!acronym_fits(
            "farabundo marti national liberation front",
            "urng"
        ));
        assert!(!acronym_fits("national guard", "the"));
    }
}

#[cfg(test)]
mod name_tests {
    use crate::graph::NodeKind;

    /// (kind, name) of every entity the extractor finds in `text`, sorted.
    pub(super) fn entities(text: &str) -> Vec<(NodeKind, String)> {
        let doc = crate::corpus::Document::new("d", text);
        let x = crate::extract::extract(&crate::text::prepare(&doc));
        let mut v: Vec<_> = x
            .entities
            .iter()
            .map(|e| (e.kind, e.name.clone()))
            .collect();
        v.sort();
        v
    }

    pub(super) fn has(v: &[(NodeKind, String)], kind: NodeKind, name: &str) -> bool {
        v.iter().any(|(k, n)| *k == kind && n == name)
    }

    #[test]
    fn place_names_with_arabic_and_romance_particles_are_whole() {
        let v = entities(
            "Shelling continued in Deir ez-Zor on Monday. Officials in Dar es Salaam said the \
             ferry left for Rio de Janeiro.",
        );
        for name in ["Deir ez-Zor", "Dar es Salaam", "Rio de Janeiro"] {
            assert!(has(&v, NodeKind::Place, name), "{name}: {v:?}");
        }
        assert!(
            !v.iter().any(|(_, n)| n == "Deir" || n == "Salaam"),
            "{v:?}"
        );
    }

    #[test]
    fn a_month_after_a_first_name_is_a_surname() {
        let v = entities("Prime Minister Theresa May met Brian May in London on 3 May.");
        assert!(has(&v, NodeKind::Person, "Theresa May"), "{v:?}");
        assert!(has(&v, NodeKind::Person, "Brian May"), "{v:?}");
        let v = entities("The vote is due in May, officials said in London.");
        assert!(!v.iter().any(|(_, n)| n.contains("May")), "{v:?}");
    }

    #[test]
    fn sentence_initial_adverbs_are_not_names() {
        let v = entities(
            "Additionally, the group may be unhappy. Reportedly, Kelly Smith left Paris. \
             McNally said nothing.",
        );
        assert!(
            !v.iter()
                .any(|(_, n)| n == "Additionally" || n == "Reportedly"),
            "{v:?}"
        );
        assert!(has(&v, NodeKind::Person, "Kelly Smith"), "{v:?}");
    }

    #[test]
    fn venues_and_cities_after_place_words_are_places() {
        let v = entities(
            "The bomb went off in the Rolando Cafe. Police near Bagram Airfield stopped a car. \
             Cameras showed the suspect riding toward the centre of Lyon.",
        );
        for name in ["Rolando Cafe", "Bagram Airfield", "Lyon"] {
            assert!(has(&v, NodeKind::Place, name), "{name}: {v:?}");
        }
    }
}

#[cfg(test)]
mod fast_path_tests {
    use proptest::prelude::*;

    use super::*;

    /// `resolve::name_key` before its ASCII fast path.
    fn name_key_reference(s: &str) -> String {
        let folded = deunicode::deunicode(s).to_lowercase();
        let words: Vec<&str> = folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return s.trim().to_lowercase();
        }
        words.join(" ")
    }

    /// `is_cap_word` before the hyphen fast paths.
    fn is_cap_word_reference(w: &str) -> bool {
        let cap = match w.as_bytes().first() {
            Some(&b) if b.is_ascii_uppercase() => true,
            Some(&b) if b.is_ascii_digit() => w.chars().any(|c| c.is_uppercase()),
            Some(&b) if b < 0x80 => {
                b.is_ascii_lowercase()
                    && w.split_once('-').is_some_and(|(article, rest)| {
                        matches!(
                            article,
                            "al" | "el"
                                | "ez"
                                | "es"
                                | "ed"
                                | "ad"
                                | "as"
                                | "ash"
                                | "az"
                                | "ar"
                                | "at"
                                | "an"
                                | "ul"
                        ) && rest.chars().next().is_some_and(char::is_uppercase)
                    })
            }
            _ => w.chars().next().is_some_and(char::is_uppercase),
        };
        cap && !is_modifier_compound(w)
    }

    fn wordy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "al", "ash", "el", "ez", "a", "x", "Zor", "Sheikh", "-", "-", "based", "LED", "É", "é",
            " ", "  ", "\t", "\u{b}", "\n", "\u{a0}", "1", "St", ".", "'", "ß", "İ", "Σ",
            "\u{301}", "",
        ]);
        prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
    }

    /// Sentences of lexicon words, separators and odd characters, for the n-gram scan.
    fn sentence() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "Islamic",
            "State",
            "Khorasan",
            "Province",
            "ISIS",
            "ISIS-K",
            "ISIL",
            "IS",
            "Daesh",
            "al-Qaeda",
            "Al",
            "Qaeda",
            "in",
            "the",
            "Arabian",
            "Peninsula",
            "Taliban",
            "Tehrik-i-Taliban",
            "Pakistan",
            "Hamas",
            "Hezbollah",
            "Boko",
            "Haram",
            "Reuters",
            "Kabul",
            "of",
            "Front",
            "Army",
            "said",
            "'s",
            "’s",
            ",",
            "-",
            "(",
            ")",
            "Al-Shabaab",
            "Shabaab",
            "Jamaat",
            "Nusrat",
            "al-Islam",
            "wal-Muslimin",
            "Wagner",
            "Group",
            "PKK",
            "Kurdistan",
            "Workers'",
            "Party",
            "Ḩamas",
            "État",
            "\u{b}",
        ]);
        let seps = prop::sample::select(vec![" ", " ", " ", "", "-", "  ", "\n", "\u{a0}"]);
        prop::collection::vec((words, seps), 1..14).prop_map(|v| {
            v.into_iter()
                .flat_map(|(w, s)| [w, s])
                .collect::<String>()
                .trim()
                .to_string()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn fast_is_cap_word_agrees(w in wordy()) {
            prop_assert_eq!(is_cap_word(&w), is_cap_word_reference(&w), "{:?}", w);
        }

        #[test]
        fn fast_name_key_and_collapse_ws_agree(w in wordy()) {
            prop_assert_eq!(name_key(&w), name_key_reference(&w), "{:?}", w);
            prop_assert_eq!(collapse_ws(&w), resolve::collapse_ws(&w), "{:?}", w);
        }

        #[test]
        fn fast_name_key_agrees_on_any_ascii(w in "[ -~\t\n\u{b}\u{c}\r]{0,20}") {
            prop_assert_eq!(name_key(&w), name_key_reference(&w), "{:?}", w);
            prop_assert_eq!(collapse_ws(&w), resolve::collapse_ws(&w), "{:?}", w);
        }

        /// A span that `group_span_limits` rules out is never a group of the lexicon.
        #[test]
        fn ruled_out_spans_are_no_groups(s in sentence()) {
            let mut tokens = Vec::new();
            text::tokenize(&s, &mut tokens);
            let n = tokens.len();
            for i in 0..n {
                let w = &s[tokens[i].start..tokens[i].end];
                let max = (i + MAX_NGRAM).min(n);
                let Some(bound) = crate::lexicon::lexicon().groups.start_bound(w) else {
                    // No span from here is a group (but for the "Islamic State" rewrite,
                    // which the scan still tries after `may_start`).
                    if is_wordlike(w) && !islamic_state_prefix(&s[tokens[i].start..]) {
                        for j in i + 1..=max {
                            let span = &s[tokens[i].start..tokens[j - 1].end];
                            prop_assert!(lex::group(span, false).is_none(), "{:?}", span);
                        }
                    }
                    continue;
                };
                let mut may_match = [true; MAX_NGRAM + 1];
                group_span_limits(&s, &tokens, i, max, bound, &mut may_match);
                for j in i + 1..=max {
                    if !may_match[j - i] {
                        let span = &s[tokens[i].start..tokens[j - 1].end];
                        prop_assert!(lex::group(span, false).is_none(), "{:?}", span);
                    }
                }
            }
        }
    }

    #[test]
    fn long_spans_after_a_group_word_are_ruled_out() {
        let s = "Taliban fighters said on Monday that they had left the city";
        let mut tokens = Vec::new();
        text::tokenize(s, &mut tokens);
        let bound = crate::lexicon::lexicon()
            .groups
            .start_bound("Taliban")
            .unwrap();
        let mut may_match = [true; MAX_NGRAM + 1];
        group_span_limits(s, &tokens, 0, MAX_NGRAM, bound, &mut may_match);
        assert!(may_match[1], "the word itself is looked up");
        assert!(
            !may_match[MAX_NGRAM],
            "eight words are longer than any Taliban alias"
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::name_tests::{entities, has};
    use super::*;
    use crate::graph::NodeKind;

    #[test]
    fn particles_and_initials_join_the_parts_of_a_name() {
        let words = ["Gov.", "Tarek", "el", "Aissami", "said", "."];
        let mut spans = vec![(1, 2, EntityType::Per)];
        join_name_particles(&words, &mut spans);
        assert_eq!(spans, vec![(1, 4, EntityType::Per)]);
        let words = ["María", "del", "Carmen", "Nadal", "died"];
        let mut spans = vec![(0, 1, EntityType::Per), (2, 4, EntityType::Per)];
        join_name_particles(&words, &mut spans);
        assert_eq!(spans, vec![(0, 4, EntityType::Per)]);
        let words = ["Agent", "Michael", "A.", "Cinco", ",", "U.S."];
        let mut spans = vec![(1, 2, EntityType::Per), (3, 4, EntityType::Org)];
        join_name_particles(&words, &mut spans);
        assert_eq!(spans, vec![(1, 4, EntityType::Per)]);
        // A place after "in" is not part of a name; an organisation is not extended.
        let words = ["Smith", "in", "Paris", "and", "Reuters", "de", "Paris"];
        let mut spans = vec![(0, 1, EntityType::Per), (2, 3, EntityType::Loc)];
        join_name_particles(&words, &mut spans);
        assert_eq!(
            spans,
            vec![(0, 1, EntityType::Per), (2, 3, EntityType::Loc)]
        );
    }

    #[test]
    fn streets_camps_and_straits_are_places() {
        assert!(leading_place_word(&["Rue", "Victor", "Hugo"], 0, 3));
        assert!(leading_place_word(&["Straits", "of", "Gibraltar"], 0, 3));
        assert!(!leading_place_word(&["Camp"], 0, 1));
        assert!(!leading_place_word(&["Victor", "Hugo"], 0, 2));
        let v = entities(
            "The attack took place on Rue Victor Hugo. Soldiers at Camp Shorabak fired. \
             Boats crossed the Straits of Gibraltar.",
        );
        for name in ["Rue Victor Hugo", "Camp Shorabak", "Straits of Gibraltar"] {
            assert!(has(&v, NodeKind::Place, name), "{name}: {v:?}");
        }
    }

    #[test]
    fn countries_and_provinces_named_in_full_are_places_despite_org_cues() {
        let v = entities(
            "Dagestan is a republic within the Russian Federation. Settlers in the West Bank \
             protested. After the fall of the Soviet Union, the republic stayed loyal.",
        );
        for name in ["Russian Federation", "West Bank", "Soviet Union"] {
            assert!(has(&v, NodeKind::Place, name), "{name}: {v:?}");
        }
        assert!(!v.iter().any(|(k, _)| *k == NodeKind::Group), "{v:?}");
    }

    #[test]
    fn a_province_named_with_a_lower_case_word_is_whole() {
        let v = entities("Fighting continued in Idlib province on Monday, officials said.");
        assert!(has(&v, NodeKind::Place, "Idlib province"), "{v:?}");
        let v = entities("Fighting continued in Idlib on Monday, the state said.");
        assert!(has(&v, NodeKind::Place, "Idlib"), "{v:?}");
    }

    #[test]
    fn followers_of_a_religion_are_people() {
        assert!(is_religious_adherent("Muslims"));
        assert!(is_religious_adherent("Catholic"));
        assert!(!is_religious_adherent("Islam"));
        assert!(!is_religious_adherent("Church"));
    }

    #[test]
    fn compound_modifiers_are_cut_from_names() {
        let v = entities(
            "The area is controlled by the Kurdish-led Syrian Democratic Forces, officials said.",
        );
        assert!(
            !v.iter().any(|(_, n)| n.starts_with("Kurdish-led")),
            "{v:?}"
        );
    }
}
