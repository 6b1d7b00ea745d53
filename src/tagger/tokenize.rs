//! Rule-based tokenizer for raw news text, with character (Unicode scalar) and byte offsets,
//! plus a simple sentence splitter.
//!
//! Conventions (close to the CoNLL-2003 / Penn Treebank tokenization the tagger is trained on):
//! * punctuation is split off (`"`, `(`, `,` ...); runs of `.`, `-`, `*`, `=`, `_` stay together (`...`, `--`);
//! * hyphenated words stay whole (`ISIS-K`, `rain-affected`, `1996-08-30`);
//! * possessive / clitics are separate tokens: `Putin` `'s`, `Matanov` `’s`, `do` `n't`, `we` `'ll`;
//! * abbreviations keep their period (`U.S.`, `Gen.`, `Mr.`, `e.g.`, single initials `J.`);
//! * numbers keep internal `,` `.` `:` `/` (`250,000`, `3.5`, `3:45`, `1/2`).
//!
//! No allocation per token beyond the output vector.

use crate::text::ShortWords;

/// One token: `start..end` are char (Unicode scalar) offsets, `byte_start..byte_end` byte offsets
/// into the original text. `text.chars().skip(start).take(end - start)` == `&text[byte_start..byte_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl Token {
    /// The token's text as a slice of the text it was produced from.
    #[inline]
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Tokenizes `text` into a new vector.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 4);
    tokenize_into(text, &mut out);
    out
}

#[inline]
fn decode(b: &[u8], i: usize) -> (char, usize) {
    let x = b[i];
    if x < 0x80 {
        return (x as char, 1);
    }
    let (len, init) = if x >= 0xF0 {
        (4, (x & 0x07) as u32)
    } else if x >= 0xE0 {
        (3, (x & 0x0F) as u32)
    } else {
        (2, (x & 0x1F) as u32)
    };
    let mut c = init;
    for k in 1..len {
        c = (c << 6) | (b[i + k] & 0x3F) as u32;
    }
    (char::from_u32(c).unwrap_or('\u{FFFD}'), len)
}

/// The char ending just before byte `i` (i > 0).
#[inline]
fn decode_prev(b: &[u8], i: usize) -> char {
    let mut s = i - 1;
    while s > 0 && (b[s] & 0xC0) == 0x80 {
        s -= 1;
    }
    decode(b, s).0
}

#[inline]
fn char_at(b: &[u8], i: usize) -> Option<(char, usize)> {
    if i < b.len() {
        Some(decode(b, i))
    } else {
        None
    }
}

#[inline]
fn is_apos(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

#[inline]
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

#[inline]
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x & 0xC0) != 0x80).count()
}

/// If an apostrophe at byte `i` starts a clitic (`'s 'd 'm 'll 're 've`, any case) followed by a
/// non-alphanumeric char, returns the byte end of the clitic.
#[inline]
fn clitic_end(b: &[u8], i: usize) -> Option<usize> {
    let (_, l) = decode(b, i);
    let j = i + l;
    let lower = |k: usize| -> u8 {
        if k < b.len() {
            b[k].to_ascii_lowercase()
        } else {
            0
        }
    };
    let ends_word = |k: usize| -> bool {
        match char_at(b, k) {
            None => true,
            Some((c, _)) => !c.is_alphanumeric(),
        }
    };
    let a = lower(j);
    let bb = lower(j + 1);
    if (a == b's' || a == b'd' || a == b'm') && ends_word(j + 1) {
        return Some(j + 1);
    }
    if ((a == b'l' && bb == b'l') || (a == b'r' && bb == b'e') || (a == b'v' && bb == b'e'))
        && ends_word(j + 2)
    {
        return Some(j + 2);
    }
    None
}

/// Lower-cased abbreviations (without the final period) that keep their period.
const ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "sgt", "capt", "cpl", "pvt", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "fr", "st", "sr", "jr", "mt", "ft", "inc", "corp", "co",
    "ltd", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "vs", "etc", "no", "nos", "vol", "dept", "univ", "est", "approx", "pres", "supt",
    "insp", "det", "cf", "ave", "blvd", "rd", "messrs", "mmes", "pp", "ph", "brig", "cmdt",
    "comdr", "gens", "hon", "ret", "atty", "sens", "reps", "fig",
];

/// [`ABBREVS`] as a [`ShortWords`] set; every entry fits its 7 bytes (checked at compile time).
const ABBREV_SET: ShortWords<{ ABBREVS.len() }> = {
    let mut i = 0;
    while i < ABBREVS.len() {
        assert!(ABBREVS[i].len() <= 7);
        i += 1;
    }
    ShortWords::new(ABBREVS)
};

/// Is `w`, lower-cased (ASCII), one of [`ABBREVS`]?
fn is_abbrev(w: &[u8]) -> bool {
    ABBREV_SET.contains(w)
}

/// The linear search [`is_abbrev`] replaced (reference for its test).
#[cfg(test)]
fn is_abbrev_linear(w: &[u8]) -> bool {
    if w.len() > 7 {
        return false;
    }
    let mut buf = [0u8; 8];
    for (k, &x) in w.iter().enumerate() {
        buf[k] = x.to_ascii_lowercase();
    }
    let lw = &buf[..w.len()];
    ABBREVS.iter().any(|a| a.as_bytes() == lw)
}

/// Byte end of the token starting at byte `i` (not whitespace). `prev_alnum`: the char just before
/// `i` is alphanumeric (no whitespace between).
fn scan_token(b: &[u8], i: usize, prev_alnum: bool) -> usize {
    let (c, l) = decode(b, i);
    if is_apos(c) {
        if prev_alnum && let Some(e) = clitic_end(b, i) {
            return e;
        }
        return i + l;
    }
    if c.is_alphanumeric() {
        let mut j = i;
        let mut seg_len = 0usize; // alnum chars since token start or last '.'
        let mut has_dot = false;
        loop {
            // ASCII fast path (letters and digits other than n/N, which may start n't)
            while j < b.len() && b[j].is_ascii_alphanumeric() && (b[j] | 0x20) != b'n' {
                j += 1;
                seg_len += 1;
            }
            let Some((c, l)) = char_at(b, j) else { break };
            if c.is_alphanumeric() {
                // n't
                if (c == 'n' || c == 'N')
                    && j > i
                    && let Some((a, al)) = char_at(b, j + 1)
                    && is_apos(a)
                    && let Some((t, tl)) = char_at(b, j + 1 + al)
                    && (t == 't' || t == 'T')
                    && char_at(b, j + 1 + al + tl).is_none_or(|(z, _)| !z.is_alphanumeric())
                {
                    break;
                }
                j += l;
                seg_len += 1;
                continue;
            }
            if j == i
                || !matches!(
                    c,
                    '-' | '\u{2010}' | '\u{2011}' | '.' | ',' | ':' | '/' | '&' | '\'' | '\u{2019}'
                )
            {
                break;
            }
            let prev = decode_prev(b, j);
            let next = char_at(b, j + l);
            let Some((n, _nl)) = next else { break };
            let keep = match c {
                '-' | '\u{2010}' | '\u{2011}' => prev.is_alphanumeric() && n.is_alphanumeric(),
                '.' => {
                    (prev.is_ascii_digit() && n.is_ascii_digit())
                        || (prev.is_alphabetic() && n.is_alphabetic() && seg_len == 1 && {
                            // U.S / e.g : the char after next must be '.' (U.S.) or the letter run is 1
                            let after = char_at(b, j + l + n.len_utf8());
                            after.is_none_or(|(z, _)| z == '.' || !z.is_alphanumeric())
                        })
                }
                ',' => {
                    prev.is_ascii_digit() && {
                        let k = j + 1;
                        k + 3 <= b.len()
                            && b[k..k + 3].iter().all(|x| x.is_ascii_digit())
                            && (k + 3 == b.len() || !b[k + 3].is_ascii_digit())
                    }
                }
                ':' | '/' => prev.is_ascii_digit() && n.is_ascii_digit(),
                '&' => prev.is_uppercase() && n.is_uppercase(),
                '\'' | '\u{2019}' => {
                    if clitic_end(b, j).is_some() {
                        false
                    } else {
                        prev.is_alphabetic() && n.is_alphabetic()
                    }
                }
                _ => false,
            };
            if !keep {
                break;
            }
            if c == '.' {
                has_dot = true;
                seg_len = 0;
            } else if c != ',' && c != ':' && c != '/' {
                seg_len = 0;
            }
            j += l;
        }
        // trailing period
        if j < b.len() && b[j] == b'.' && j > i {
            let w = &b[i..j];
            let last = decode_prev(b, j);
            let single_upper = count_chars(w) == 1 && last.is_uppercase();
            let dotted = has_dot && last.is_alphabetic() && !w.contains(&b'-');
            // don't take the period of "..."
            let ellipsis = j + 1 < b.len() && b[j + 1] == b'.';
            if !ellipsis && (single_upper || dotted || is_abbrev(w)) {
                j += 1;
            }
        }
        return j;
    }
    // punctuation / symbols: runs of the same char for . - * = _ ~ (e.g. "...", "--")
    if matches!(c, '.' | '-' | '*' | '=' | '_' | '~' | '!' | '?') {
        let mut j = i + l;
        while j < b.len() && b[j] == c as u8 {
            j += 1;
        }
        return j;
    }
    i + l
}

/// Tokenizes `text`, appending to `out` (which is cleared first).
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0usize;
    let mut ci = 0usize;
    let mut prev_alnum = false;
    while i < n {
        let x = b[i];
        if x < 0x80 {
            if x == b' ' || x == b'\n' || x == b'\t' || x == b'\r' || x == 0x0B || x == 0x0C {
                i += 1;
                ci += 1;
                prev_alnum = false;
                continue;
            }
        } else {
            let (c, l) = decode(b, i);
            if is_space(c) {
                i += l;
                ci += 1;
                prev_alnum = false;
                continue;
            }
        }
        let end = scan_token(b, i, prev_alnum);
        let nc = if end - i == 1 {
            1
        } else {
            count_chars(&b[i..end])
        };
        out.push(Token {
            start: ci,
            end: ci + nc,
            byte_start: i,
            byte_end: end,
        });
        let last = b[end - 1];
        prev_alnum = if last < 0x80 {
            last.is_ascii_alphanumeric()
        } else {
            decode_prev(b, end).is_alphanumeric()
        };
        ci += nc;
        i = end;
    }
}

fn is_title_word(t: &str) -> bool {
    if t.len() > 8 {
        return false;
    }
    let mut buf = [0u8; 8];
    for (k, b) in t.bytes().enumerate() {
        buf[k] = b.to_ascii_lowercase();
    }
    matches!(
        &buf[..t.len()],
        b"mr."
            | b"mrs."
            | b"ms."
            | b"dr."
            | b"prof."
            | b"gen."
            | b"col."
            | b"lt."
            | b"maj."
            | b"sgt."
            | b"capt."
            | b"gov."
            | b"sen."
            | b"rep."
            | b"rev."
            | b"st."
            | b"fr."
            | b"mt."
            | b"no."
            | b"adm."
            | b"brig."
            | b"cpl."
            | b"vs."
            | b"messrs."
    )
}

/// Splits a tokenized text into sentences, appending `(first_token, end_token)` ranges to `out`
/// (cleared first). Boundaries: a line break between two tokens; `. ! ?` (optionally followed by
/// closing quotes/brackets) followed by a token that starts with an upper-case letter, a digit, an
/// opening quote or bracket (in `caseless` text: by any token). Abbreviation tokens such as `U.S.`
/// or `Gen.` do not end a sentence, except `U.S.`-like ones followed by a capitalised function word.
pub fn split_sentences(
    text: &str,
    tokens: &[Token],
    caseless: bool,
    out: &mut Vec<(usize, usize)>,
) {
    out.clear();
    let b = text.as_bytes();
    let mut start = 0usize;
    let n = tokens.len();
    let mut k = 0usize;
    while k < n {
        let t = &tokens[k];
        let s = t.text(text);
        let mut boundary_after: Option<usize> = None;
        if k + 1 < n {
            let gap = &b[t.byte_end..tokens[k + 1].byte_start];
            if gap.contains(&b'\n') {
                boundary_after = Some(k);
            }
        }
        if boundary_after.is_none() {
            let first = s.as_bytes()[0];
            let is_final = matches!(first, b'.' | b'!' | b'?')
                && s.bytes().all(|x| matches!(x, b'.' | b'!' | b'?'));
            let abbrev_end = s.len() > 1
                && s.ends_with('.')
                && s[..s.len() - 1].contains('.')
                && !is_title_word(s);
            if is_final || abbrev_end {
                // absorb closing quotes / brackets
                let mut e = k;
                while e + 1 < n {
                    let ns = tokens[e + 1].text(text);
                    let attached = tokens[e].byte_end == tokens[e + 1].byte_start;
                    if attached
                        && matches!(ns, "\"" | "'" | "\u{201D}" | "\u{2019}" | ")" | "]" | "''")
                    {
                        e += 1;
                    } else {
                        break;
                    }
                }
                if e + 1 < n {
                    let ns = tokens[e + 1].text(text);
                    let c = ns.chars().next().unwrap();
                    let starts = if caseless {
                        true
                    } else if abbrev_end && e == k {
                        // "U.S. The ..." : only before a capitalised function word
                        matches!(
                            ns,
                            "The"
                                | "A"
                                | "An"
                                | "In"
                                | "He"
                                | "She"
                                | "It"
                                | "They"
                                | "We"
                                | "But"
                                | "This"
                                | "On"
                                | "At"
                        )
                    } else {
                        c.is_uppercase()
                            || c.is_ascii_digit()
                            || matches!(c, '"' | '\u{201C}' | '\'' | '\u{2018}' | '(' | '[')
                    };
                    if starts {
                        boundary_after = Some(e);
                    }
                }
            }
        }
        if let Some(e) = boundary_after {
            out.push((start, e + 1));
            start = e + 1;
            k = e + 1;
        } else {
            k += 1;
        }
    }
    if start < n {
        out.push((start, n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbrev_keys_match_the_linear_search() {
        for a in ABBREVS {
            assert!(is_abbrev(a.as_bytes()));
            assert!(is_abbrev(a.to_uppercase().as_bytes()));
            assert!(!is_abbrev(format!("{a}x").as_bytes()));
            assert!(!is_abbrev(&a.as_bytes()[1..]) || is_abbrev_linear(&a.as_bytes()[1..]));
        }
        for w in [
            "", "m", "mrx", "mr\0", "dr\u{e9}", "messrsx", "blvdblvd", "É",
        ] {
            assert_eq!(
                is_abbrev(w.as_bytes()),
                is_abbrev_linear(w.as_bytes()),
                "{w:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn abbrev_search_is_the_linear_one(w in "[a-zA-Z\\x00-\\x7f\u{e9}]{0,9}") {
            proptest::prop_assert_eq!(is_abbrev(w.as_bytes()), is_abbrev_linear(w.as_bytes()));
        }
    }

    fn toks(s: &str) -> Vec<String> {
        tokenize(s).iter().map(|t| t.text(s).to_string()).collect()
    }

    #[test]
    fn basic() {
        assert_eq!(
            toks("The U.S. military's ISIS-K raid, (Gen. Smith) said: 250,000 don't."),
            vec![
                "The", "U.S.", "military", "'s", "ISIS-K", "raid", ",", "(", "Gen.", "Smith", ")",
                "said", ":", "250,000", "do", "n't", "."
            ]
        );
        assert_eq!(
            toks("Matanov’s lawyer—“no”"),
            vec!["Matanov", "’s", "lawyer", "—", "“", "no", "”"]
        );
        assert_eq!(
            toks("Mr. J. Smith paid $3.5bn... ok"),
            vec!["Mr.", "J.", "Smith", "paid", "$", "3.5bn", "...", "ok"]
        );
        assert_eq!(
            toks("O'Neil we'll the Smiths' 1996-08-30 AT&T"),
            vec![
                "O'Neil",
                "we",
                "'ll",
                "the",
                "Smiths",
                "'",
                "1996-08-30",
                "AT&T"
            ]
        );
        assert_eq!(toks("in the U.S."), vec!["in", "the", "U.S."]);
    }

    #[test]
    fn offsets() {
        let s = "Ça va — Zürich’s “best” café, 1,000 €.\nNext line.";
        let chars: Vec<char> = s.chars().collect();
        for t in tokenize(s) {
            let a: String = chars[t.start..t.end].iter().collect();
            assert_eq!(a, t.text(s));
        }
    }

    #[test]
    fn sentences() {
        let s = "He met Gen. Smith in the U.S. on Monday. Then he left! \"Why?\" she asked.\nHEADLINE HERE\nLast one";
        let t = tokenize(s);
        let mut out = Vec::new();
        split_sentences(s, &t, false, &mut out);
        let sents: Vec<String> = out
            .iter()
            .map(|&(a, b)| s[t[a].byte_start..t[b - 1].byte_end].to_string())
            .collect();
        assert_eq!(
            sents,
            vec![
                "He met Gen. Smith in the U.S. on Monday.",
                "Then he left!",
                "\"Why?\" she asked.",
                "HEADLINE HERE",
                "Last one"
            ]
        );
    }
}
