//! The lexicons as the extractors ask them: "is this span a known group or place?", "is this
//! word a title, a cue, a first name?". Built on [`crate::lexicon`].

use std::sync::LazyLock;

use crate::graph::{NodeKind, PlaceInfo};
use crate::lexicon::{FxSet, PlaceKind, lexicon, norm_key};

const COMMON_WORDS_TXT: &str = include_str!("../../data/common_words.txt");

/// Lower-case common English words (`data/common_words.txt`).
static COMMON_WORDS: LazyLock<FxSet<&'static str>> = LazyLock::new(|| {
    COMMON_WORDS_TXT
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// A lexicon entry matched by a span of text.
#[derive(Debug, Clone, PartialEq)]
pub struct LexHit {
    pub kind: NodeKind,
    /// Group slug, or `gn:<geonames id>` / `rg:...` for places.
    pub id: String,
    pub canonical: String,
    pub parent: Option<String>,
    pub place: Option<PlaceInfo>,
    /// The table the entry comes from (`groups`, `gazetteer`).
    pub table: &'static str,
    /// A country, continent, region, first-level division or city over 100,000 people.
    pub major: bool,
    /// A country, continent or region (not a city or province).
    pub country_level: bool,
    /// A news agency or other media organisation.
    pub media: bool,
}

/// See [`LexHit::major`].
pub fn is_major_place(hit: &LexHit) -> bool {
    hit.major
}

/// A group of the lexicon named by `span`. In cased text the span must hold an upper-case
/// letter, so that prose ("the base") never matches an alias.
pub fn group(span: &str, lowercase: bool) -> Option<LexHit> {
    if !lowercase && !span.chars().any(char::is_uppercase) {
        return None;
    }
    let lex = lexicon();
    let g = match lex.groups.lookup(span) {
        Some(g) => g,
        None => lex.groups.lookup(&islamic_state_form(span)?)?,
    };
    Some(LexHit {
        kind: NodeKind::Group,
        id: g.slug.to_string(),
        canonical: g.canonical_name.to_string(),
        parent: g.parent_slug.map(str::to_string),
        place: None,
        table: "groups",
        major: false,
        country_level: false,
        media: g.group_type == crate::lexicon::GroupType::Media,
    })
}

/// "ISIS in Khorasan Province", "ISIL-Sahel", "Daesh Khorasan": the Islamic State's own name
/// written with one of its acronyms, rewritten as "Islamic State ..." for a second lookup.
fn islamic_state_form(span: &str) -> Option<String> {
    for prefix in ["ISIS", "ISIL", "IS", "Daesh", "DAESH"] {
        if let Some(rest) = span.strip_prefix(prefix) {
            let rest = rest.strip_prefix(['-', ' ', '\u{2011}'])?;
            if rest.chars().next().is_some_and(char::is_uppercase) || rest.starts_with("in ") {
                return Some(format!("Islamic State {rest}"));
            }
        }
    }
    None
}

/// A place of the gazetteer named by `span`. A name that is also a common word ("Nice", "Most")
/// is taken only for countries, continents and regions; in lower-case text only countries,
/// continents, regions, first-level divisions and cities over 100,000 people are taken.
pub fn place(span: &str, lowercase: bool) -> Option<LexHit> {
    let first = span.chars().next()?;
    if !(lowercase || first.is_uppercase() || first.is_ascii_digit()) {
        return None;
    }
    let lex = lexicon();
    let all = lex.places.lookup_all(span);
    let m = *all.first()?;
    let e = m.entry;
    let big = matches!(
        e.kind,
        PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
    );
    let key = norm_key(span);
    if !big && (is_common_lower(&key) || lex.cap_stopwords.contains(span)) {
        return None;
    }
    let population = e.population.unwrap_or(0);
    if lowercase && !big && !(e.kind == PlaceKind::Admin1 || population >= 100_000) {
        return None;
    }
    // A small town reached through an alternate spelling ("Khorasan" -> Horasan, Turkey) is
    // more likely the other thing.
    if m.via_alt_name && e.kind == PlaceKind::City && population < 100_000 {
        return None;
    }
    Some(LexHit {
        kind: NodeKind::Place,
        id: e.id(),
        canonical: e.name.to_string(),
        parent: None,
        place: resolved(&all).then(|| PlaceInfo {
            country: e.country_code.map(str::to_string),
            lat: e.lat,
            lon: e.lon,
            geonames_id: e.geonames_id,
        }),
        table: "gazetteer",
        major: big || e.kind == PlaceKind::Admin1 || population >= 100_000,
        country_level: big,
        media: false,
    })
}

/// Is the first candidate clearly the place meant? The only one, a country, continent or
/// region, or a place at least five times as populous as the next candidate ("Moscow", not
/// Moscow, Idaho). Otherwise the name stays unresolved: no GeoNames id or coordinates.
fn resolved(all: &[crate::lexicon::PlaceMatch<'_>]) -> bool {
    let Some(first) = all.first() else {
        return false;
    };
    if all.len() == 1
        || matches!(
            first.entry.kind,
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
        )
    {
        return true;
    }
    let p1 = first.entry.population.unwrap_or(0);
    let p2 = all[1].entry.population.unwrap_or(0);
    p1 >= 5 * p2.max(1)
}

/// A group, else a place.
pub fn lookup(span: &str, lowercase: bool) -> Option<LexHit> {
    group(span, lowercase).or_else(|| place(span, lowercase))
}

fn is_common_lower(key: &str) -> bool {
    COMMON_WORDS.contains(key)
}

/// A word that is neither a common English word, a cue word nor a place: distinctive enough
/// to tell two organisations apart ("Soufan", not "National").
pub fn is_rare_word(key: &str) -> bool {
    let lex = lexicon();
    !is_common_lower(key)
        && !lex.org_cues.contains(key)
        && !lex.place_cues.contains(key)
        && !lex.demonyms.contains(key)
        && lex.places.lookup(key).is_none()
}

/// A common lower-case English word ("Analysts", "Below" at the start of a sentence).
pub fn is_common_word(w: &str) -> bool {
    is_common_lower(&w.to_lowercase())
}

pub fn is_org_cue(w: &str) -> bool {
    lexicon().org_cues.contains(w)
}

/// Words that make any capitalised name an organisation wherever they stand.
pub fn is_org_head(w: &str) -> bool {
    matches!(
        w,
        "Ministry" | "Committee" | "Council" | "Agency" | "Commission" | "Institute" | "Department"
    )
}

pub fn is_place_cue(w: &str) -> bool {
    lexicon().place_cues.contains(w)
}

/// Cue words that name a place even though organisation names use them too ("Bryansk
/// Province", "Russian Embassy", "Blue Mosque"); others in both lists ("Bank", "University")
/// are organisations.
pub fn is_strong_place_cue(w: &str) -> bool {
    matches!(
        norm_key(w).as_str(),
        "province"
            | "embassy"
            | "consulate"
            | "mosque"
            | "church"
            | "synagogue"
            | "temple"
            | "palace"
            | "hospital"
            | "clinic"
            | "airport"
            | "square"
            | "street"
            | "hall"
            | "stadium"
            | "hotel"
            | "bridge"
            | "district"
            | "region"
            | "valley"
            | "island"
            | "islands"
            | "airfield"
            | "station"
            | "cafe"
            | "café"
            | "restaurant"
            | "motel"
            | "mall"
    )
}

/// A venue word that ends a place name and is not also a common surname (`Cafe`, `Airport`;
/// not `Hall`, `Church`, `Temple`).
pub fn is_venue_word(w: &str) -> bool {
    matches!(
        norm_key(w).as_str(),
        "cafe"
            | "café"
            | "restaurant"
            | "motel"
            | "hotel"
            | "stadium"
            | "airport"
            | "airfield"
            | "mosque"
            | "synagogue"
            | "embassy"
            | "consulate"
            | "square"
            | "hospital"
            | "clinic"
            | "station"
    )
}

/// A title or role word before a name: a strong one (`Gen.`, `spokesman`) in any case, a weak
/// one (`Official`, `Director`) only capitalised.
pub fn is_title(w: &str) -> bool {
    let titles = &lexicon().titles;
    titles.is_strong(w) || (titles.contains(w) && w.chars().next().is_some_and(char::is_uppercase))
}

pub fn is_first_name(w: &str) -> bool {
    lexicon().first_names.contains(w)
}

pub fn is_cap_stopword(w: &str) -> bool {
    lexicon().cap_stopwords.contains(w)
}

/// A nationality adjective (`Russian`, `Afghan`).
pub fn is_demonym(w: &str) -> bool {
    lexicon().demonyms.contains(w)
}
