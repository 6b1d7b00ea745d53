//! Attack frames: triggers (verbal and nominal), role fillers, dates, casualty figures and
//! responsibility, grouped into the attacks one document reports.
//!
//! Per sentence, triggers are found from a word list ("attacked", "bombing", "opened fire",
//! "killed"); each trigger takes role fillers from its clause by position and word class (an
//! attacker noun or group before an attack verb, a victim noun or number after "killing", a
//! place entity after "in"). Triggers of one document are grouped into attacks: a trigger whose
//! sentence gives a date or place that contradicts the current attack starts another one ("the
//! attack on Kabul airport in August 2021" is not today's attack).

use std::collections::BTreeMap;

use crate::extract::dates::{self, PartialDate};
use crate::extract::{
    Casualty, DocExtraction, Endpoint, LocalAttack, RelationMention, Responsibility, SentenceIndex,
};
use crate::graph::{NodeKind, Qualifier, Span};
use crate::text::{self, Prepared, Token};

/// What a trigger word says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TriggerClass {
    /// An attack, with its method when the word tells it.
    Attack(Option<&'static str>),
    Die,
    Injure,
    /// Damage done to a thing ("burned a bus", "houses were destroyed"): what it names joins
    /// the attack of its document as a target.
    Damage,
}

/// Single-word triggers (lower case) and what they mean.
fn trigger_word(w: &str) -> Option<TriggerClass> {
    use TriggerClass::*;
    Some(match w {
        "attack" | "attacks" | "attacked" | "attacking" | "assault" | "assaulted" | "raid"
        | "raids" | "raided" | "stormed" | "storming" | "ambush" | "ambushed" | "massacre"
        | "massacred" | "offensive" | "rampage" | "onslaught" | "hostage-taking" | "siege" => {
            Attack(None)
        }
        "bombing" | "bombings" | "bombed" | "bomb" | "bombs" | "blast" | "blasts" | "explosion"
        | "explosions" | "exploded" | "detonated" | "detonation" | "bomber" | "bombers" => {
            Attack(Some("bombing"))
        }
        "shooting" | "shootings" | "shot" | "shootout" | "gunfire" | "gunmen" | "gunman"
        | "gunbattle" => Attack(Some("shooting")),
        "stabbing" | "stabbed" | "stabbings" => Attack(Some("stabbing")),
        "arson" | "torched" => Attack(Some("arson")),
        "dynamited" | "dynamiting" => Attack(Some("bombing")),
        "sabotaged" | "sabotage" => Attack(Some("sabotage")),
        "airstrike" | "airstrikes" | "air-strike" | "air-strikes" | "shelling" | "shelled"
        | "bombardment" => Attack(Some("airstrike")),
        "beheaded" | "beheading" | "executed" | "assassinated" | "assassination" | "murdered"
        | "slaying" | "slayings" | "slain" | "murder" => Attack(Some("killing")),
        "kidnapped" | "kidnapping" | "kidnaped" | "kidnaping" | "abducted" | "abduction" => {
            Attack(Some("kidnapping"))
        }
        "killed" | "killing" | "kill" | "kills" | "died" | "dead" | "death" | "deaths"
        | "fatalities" | "lives" => Die,
        "wounded" | "wounding" | "injured" | "injuring" | "injuries" | "hurt" => Injure,
        "burned" | "burnt" | "destroyed" | "destroying" | "destruction" | "damaged" | "looted"
        | "razed" => Damage,
        _ => return None,
    })
}

/// Two-word triggers.
fn trigger_pair(a: &str, b: &str) -> Option<TriggerClass> {
    use TriggerClass::*;
    Some(match (a, b) {
        ("opened", "fire")
        | ("open", "fire")
        | ("opening", "fire")
        | ("gunned", "down")
        | ("fired", "at")
        | ("fired", "on")
        | ("firing", "at")
        | ("firing", "on")
        | ("fired", "against")
        | ("firing", "against") => Attack(Some("shooting")),
        ("suicide", "bombing")
        | ("suicide", "bomber")
        | ("suicide", "bombers")
        | ("suicide", "attack")
        | ("suicide", "attacks") => Attack(Some("suicide bombing")),
        ("car", "bomb") | ("car", "bombing") | ("truck", "bomb") => Attack(Some("car bombing")),
        ("air", "strike")
        | ("air", "strikes")
        | ("drone", "strike")
        | ("drone", "strikes")
        | ("air", "raid")
        | ("missile", "strike")
        | ("rocket", "attack") => Attack(Some("airstrike")),
        ("set", "fire") | ("setting", "fire") => Attack(Some("arson")),
        ("blew", "up") | ("blown", "up") | ("blowing", "up") => Attack(Some("bombing")),
        ("terrorist", "attack") | ("terror", "attack") | ("armed", "attack") => Attack(None),
        _ => return None,
    })
}

/// A plural nominal trigger with no determiner that makes it definite ("the attacks", "twin
/// bombings", "two blasts").
fn is_generic_plural(view: &SentenceView<'_>, t: usize, te: usize) -> bool {
    let w = view.w(te - 1);
    if !matches!(
        w,
        "attacks"
            | "bombings"
            | "airstrikes"
            | "strikes"
            | "raids"
            | "shootings"
            | "blasts"
            | "explosions"
            | "assaults"
            | "ambushes"
            | "stabbings"
    ) {
        return false;
    }
    let mut k = t;
    while k > 0 {
        k -= 1;
        let d = view.w(k);
        if matches!(
            d,
            "the"
                | "these"
                | "those"
                | "twin"
                | "both"
                | "two"
                | "three"
                | "coordinated"
                | "latest"
                | "recent"
                | "weekend"
                | "friday's"
                | "deadly"
                | "suicide"
        ) || count_value(d).is_some()
        {
            return d == "deadly"
                && k > 0
                && matches!(
                    view.w(k - 1),
                    "several" | "many" | "numerous" | "multiple" | "frequent" | "repeated"
                );
        }
        if matches!(
            d,
            "several"
                | "many"
                | "numerous"
                | "multiple"
                | "frequent"
                | "repeated"
                | "of"
                | "for"
                | "with"
        ) || view.boundary(k)
        {
            return true;
        }
        if t - k > 3 {
            break;
        }
    }
    true
}

/// Words before a trigger that make it hypothetical or generic ("could attack", "plots to
/// attack", "threat of attacks").
fn is_irrealis(w: &str) -> bool {
    matches!(
        w,
        "could"
            | "would"
            | "might"
            | "may"
            | "will"
            | "can"
            | "plan"
            | "plans"
            | "planned"
            | "planning"
            | "plot"
            | "plots"
            | "threat"
            | "threats"
            | "threatened"
            | "threatens"
            | "risk"
            | "ability"
            | "able"
            | "prevent"
            | "prevented"
            | "thwarted"
            | "foiled"
            | "warned"
            | "warning"
            | "fear"
            | "feared"
            | "record"
            | "history"
            | "motive"
            | "motives"
            | "capable"
            | "capability"
            | "intent"
            | "intention"
    )
}

const VICTIM_NOUNS: &[&str] = &[
    "people",
    "drivers",
    "driver",
    "persons",
    "person",
    "civilians",
    "civilian",
    "soldiers",
    "soldier",
    "troops",
    "servicemen",
    "personnel",
    "policemen",
    "policeman",
    "police",
    "officers",
    "officer",
    "militants",
    "militant",
    "fighters",
    "children",
    "child",
    "women",
    "woman",
    "men",
    "man",
    "students",
    "worshippers",
    "worshipers",
    "passengers",
    "pilgrims",
    "tourists",
    "workers",
    "residents",
    "villagers",
    "guards",
    "guard",
    "members",
    "individuals",
    "victims",
    "victim",
    "protesters",
    "demonstrators",
    "journalists",
    "journalist",
    "officials",
    "official",
    "citizens",
    "insurgents",
    "rebels",
    "terrorists",
    "attackers",
    "bystanders",
    "others",
    "concertgoers",
    "concert-goers",
    "spectators",
    "shoppers",
    "patients",
    "doctors",
    "staff",
    "guerrillas",
    "peasants",
    "farmers",
    "priests",
    "priest",
    "judge",
    "judges",
    "mayor",
    "leader",
    "leaders",
    "commander",
    "commanders",
    "boy",
    "boys",
    "girl",
    "girls",
    "family",
    "families",
    "marines",
    "sailors",
    "employees",
    "diplomats",
    "teachers",
    "crew",
];

const ATTACKER_NOUNS: &[&str] = &[
    "assassins",
    "assassin",
    "criminals",
    "traffickers",
    "squads",
    "units",
    "commando",
    "gunmen",
    "gunman",
    "militants",
    "militant",
    "attackers",
    "attacker",
    "assailants",
    "assailant",
    "bomber",
    "bombers",
    "insurgents",
    "insurgent",
    "rebels",
    "rebel",
    "terrorists",
    "terrorist",
    "fighters",
    "jihadists",
    "extremists",
    "guerrillas",
    "guerrilla",
    "suspect",
    "suspects",
    "perpetrators",
    "shooter",
    "shooters",
    "troops",
    "forces",
    "soldiers",
    "police",
    "army",
    "kidnappers",
    "hijackers",
    "squad",
    "commandos",
    "terrorist group",
    "group",
    "cartel",
    "gangs",
    "mafias",
    "narcotraffickers",
    "paramilitaries",
];

/// Targets of an attack verb: facilities and people ("shot an officer", "fired on police").
const TARGET_OR_PEOPLE: &[&str] = &[
    "pub",
    "pubs",
    "bar",
    "bars",
    "shop",
    "shops",
    "store",
    "stores",
    "hotels",
    "churches",
    "mosques",
    "schools",
    "stations",
    "trains",
    "buses",
    "markets",
    "marketplace",
    "restaurants",
    "cafes",
    "pipelines",
    "embassies",
    "checkpoints",
    "bases",
    "vehicles",
    "convoys",
    "cathedral",
    "courthouse",
    "terminal",
    "policewoman",
    "teenager",
    "woman",
    "women",
    "embassy",
    "bakery",
    "supermarket",
    "factory",
    "nightclubs",
    "clinic",
    "consulate",
    "convoy",
    "checkpoint",
    "base",
    "mosque",
    "church",
    "synagogue",
    "temple",
    "shrine",
    "school",
    "university",
    "market",
    "hotel",
    "station",
    "building",
    "bus",
    "train",
    "hall",
    "mall",
    "airport",
    "office",
    "offices",
    "headquarters",
    "compound",
    "village",
    "town",
    "hospital",
    "venue",
    "concert",
    "gathering",
    "procession",
    "parade",
    "rally",
    "stadium",
    "restaurant",
    "cafe",
    "bank",
    "ministry",
    "parliament",
    "prison",
    "barracks",
    "post",
    "outpost",
    "patrol",
    "vehicle",
    "car",
    "truck",
    "plane",
    "aircraft",
    "ship",
    "pipeline",
    "substation",
    "tower",
    "bridge",
    "farm",
    "residence",
    "home",
    "house",
    "houses",
    "complex",
    "memorial",
    "ceremony",
    "funeral",
    "wedding",
    "club",
    "nightclub",
    "theater",
    "theatre",
    "facility",
    "facilities",
    "plant",
    "port",
    "camp",
    "officer",
    "officers",
    "police",
    "policemen",
    "policeman",
    "soldiers",
    "soldier",
    "troops",
    "civilians",
    "pedestrians",
    "crowd",
    "crowds",
    "people",
    "worshippers",
    "students",
    "passengers",
    "guards",
    "bystanders",
    "forces",
    "personnel",
    "protesters",
    "line",
    // Physical targets not listed above.
    "academy",
    "airplane",
    "airplanes",
    "ambulance",
    "ambulances",
    "banks",
    "branch",
    "branches",
    "bridges",
    "buildings",
    "businesses",
    "cars",
    "dam",
    "drugstore",
    "farms",
    "garrison",
    "helicopter",
    "helicopters",
    "homes",
    "installation",
    "installations",
    "institute",
    "institutes",
    "jeep",
    "jeeps",
    "newspaper",
    "oilfield",
    "planes",
    "plants",
    "poles",
    "powerline",
    "powerlines",
    "pylon",
    "pylons",
    "railway",
    "refinery",
    "residences",
    "structures",
    "substations",
    "towers",
    "transformer",
    "transformers",
    "trucks",
    "warehouse",
];

/// Things an attack damages or destroys: buildings, vehicles, infrastructure ("burned a
/// bus", "dynamited the oil pipeline", "houses were destroyed"). General English nouns for
/// physical targets; the last noun of a compound is the head ("power substation").
const PHYSICAL_TARGETS: &[&str] = &[
    "academy",
    "airplane",
    "airplanes",
    "aircraft",
    "airport",
    "ambulance",
    "ambulances",
    "bank",
    "banks",
    "barracks",
    "base",
    "bases",
    "branch",
    "branches",
    "bridge",
    "bridges",
    "building",
    "buildings",
    "bus",
    "buses",
    "businesses",
    "cafe",
    "car",
    "cars",
    "church",
    "churches",
    "clinic",
    "consulate",
    "dam",
    "drugstore",
    "embassy",
    "embassies",
    "facilities",
    "facility",
    "factory",
    "farm",
    "farms",
    "garrison",
    "headquarters",
    "helicopter",
    "helicopters",
    "home",
    "homes",
    "hospital",
    "hotel",
    "hotels",
    "house",
    "houses",
    "installation",
    "installations",
    "institute",
    "institutes",
    "jeep",
    "jeeps",
    "lines",
    "market",
    "mosque",
    "newspaper",
    "office",
    "offices",
    "oilfield",
    "pipeline",
    "pipelines",
    "plane",
    "planes",
    "plant",
    "plants",
    "poles",
    "powerline",
    "powerlines",
    "pylon",
    "pylons",
    "railway",
    "refinery",
    "residence",
    "residences",
    "restaurant",
    "school",
    "shop",
    "shops",
    "station",
    "stations",
    "store",
    "stores",
    "structures",
    "substation",
    "substations",
    "supermarket",
    "temple",
    "terminal",
    "tower",
    "towers",
    "train",
    "trains",
    "transformer",
    "transformers",
    "truck",
    "trucks",
    "university",
    "vehicle",
    "vehicles",
    "warehouse",
];

const INSTRUMENT_NOUNS: &[&str] = &[
    "bomb",
    "bombs",
    "explosives",
    "explosive",
    "ied",
    "ieds",
    "grenade",
    "grenades",
    "rifle",
    "rifles",
    "gun",
    "guns",
    "weapons",
    "firearms",
    "pistol",
    "pistols",
    "ak-47",
    "kalashnikov",
    "kalashnikovs",
    "rocket",
    "rockets",
    "missile",
    "missiles",
    "drone",
    "drones",
    "mortar",
    "mortars",
    "vest",
    "knife",
    "knives",
    "machete",
    "machetes",
    "truck",
    "car bomb",
    "mine",
    "mines",
    "landmine",
    "landmines",
    "shells",
    "artillery",
    "dynamite",
    "device",
    "devices",
    "machine-gun",
    "machine-guns",
    "firebomb",
    "molotov",
];

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// Number words up to twenty and the round ones.
fn number_word(w: &str) -> Option<u64> {
    Some(match w {
        "one" | "a" | "an" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "hundred" => 100,
        _ => return None,
    })
}

/// A count word: a number, a number word, or a vague amount ("hundreds", "dozens").
fn count_value(w: &str) -> Option<(u64, bool)> {
    let lw = w.to_ascii_lowercase();
    if let Some(v) = number_word(&lw) {
        if lw == "a" || lw == "an" {
            return None;
        }
        return Some((v, false));
    }
    match lw.as_str() {
        "dozens" => return Some((24, true)),
        "scores" => return Some((40, true)),
        "hundreds" => return Some((200, true)),
        "thousands" => return Some((2000, true)),
        _ => {}
    }
    let digits: String = w.chars().filter(|c| *c != ',').collect();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && digits.len() <= 7 {
        return digits.parse().ok().map(|v| (v, false));
    }
    None
}

/// A qualifier phrase ending at token `i - 1` ("at least", "more than", "up to", ...): its
/// first token and meaning.
fn qualifier_before(words: &[&str], i: usize) -> Option<(usize, Qualifier)> {
    let w = |k: usize| words.get(k).copied().unwrap_or("");
    if i >= 2 {
        let pair = (w(i - 2), w(i - 1));
        let q = match pair {
            ("at", "least") => Some(Qualifier::AtLeast),
            ("more", "than") | ("over", "than") => Some(Qualifier::Over),
            ("up", "to") | ("as", "many") => Some(Qualifier::AtMost),
            ("no", "fewer") | ("not", "less") => Some(Qualifier::AtLeast),
            _ => None,
        };
        if let Some(q) = q {
            return Some((i - 2, q));
        }
    }
    if i >= 1 {
        let q = match w(i - 1) {
            "over" => Some(Qualifier::Over),
            "nearly" | "almost" | "about" | "around" | "approximately" | "some" | "roughly" => {
                Some(Qualifier::About)
            }
            _ => None,
        };
        if let Some(q) = q {
            return Some((i - 1, q));
        }
    }
    None
}

/// A role filler found in a sentence: token range.
#[derive(Debug, Clone, Copy)]
struct Filler {
    a: usize,
    b: usize,
    /// The local entity it is, when it is one.
    entity: Option<usize>,
}

/// A toll in a sentence: first token, last token + 1, value, qualifier.
type Toll = (usize, usize, u64, Qualifier);

/// What one trigger contributes.
#[derive(Debug, Default)]
struct TriggerFrame {
    attacker: Vec<Filler>,
    target: Vec<Filler>,
    victim: Vec<Filler>,
    place: Vec<Filler>,
    instrument: Vec<Filler>,
    killed: Option<Toll>,
    injured: Option<Toll>,
}

/// The sentence's tokens with lower-case forms and entity mentions by token.
struct SentenceView<'a> {
    s: &'a str,
    tokens: Vec<Token>,
    lower: Vec<&'a str>,
    /// For each token, the local entity and its kind when the token is inside a mention, and
    /// the mention's token range.
    entity_at: Vec<Option<(usize, NodeKind, usize, usize)>>,
}

impl SentenceView<'_> {
    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn w(&self, i: usize) -> &str {
        self.lower.get(i).copied().unwrap_or("")
    }

    /// Is token `i` a clause boundary?
    fn boundary(&self, i: usize) -> bool {
        matches!(
            self.w(i),
            ";" | ":" | "." | "?" | "!" | "“" | "”" | "\"" | "(" | ")" | "–" | "—"
        )
    }
}

fn entity_filler(view: &SentenceView<'_>, i: usize) -> Option<Filler> {
    view.entity_at[i].map(|(e, _, a, b)| Filler {
        a,
        b,
        entity: Some(e),
    })
}

/// Words that open another clause: an actor before them is not the subject of what follows.
fn is_clause_word(w: &str) -> bool {
    matches!(
        w,
        "when"
            | "while"
            | "after"
            | "before"
            | "because"
            | "since"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "if"
            | "where"
            | "although"
            | "though"
            | "whereas"
            | "until"
    )
}

/// Words that report speech or thought: who speaks is not the subject of what follows
/// ("police said gunmen killed", "officials say the blast killed").
fn is_reporting(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "say"
            | "says"
            | "told"
            | "tells"
            | "reported"
            | "reports"
            | "added"
            | "stated"
            | "announced"
            | "confirmed"
            | "according"
            | "testified"
            | "explained"
            | "noted"
    )
}

/// The nearest noun from `list` (or an entity of one of `kinds`) before token `t`, within
/// `window` tokens and the clause.
fn find_left(
    view: &SentenceView<'_>,
    t: usize,
    window: usize,
    list: &[&str],
    kinds: &[NodeKind],
) -> Option<Filler> {
    find_left_in(view, t, window, list, kinds, false)
}

/// The subject-like noun before a verb at `t`: as `find_left`, but a reporting verb ("police
/// said ...") or an event noun ("the blast killed") closes the search.
fn find_subject(
    view: &SentenceView<'_>,
    t: usize,
    window: usize,
    list: &[&str],
    kinds: &[NodeKind],
) -> Option<Filler> {
    find_left_in(view, t, window, list, kinds, true)
}

fn find_left_in(
    view: &SentenceView<'_>,
    t: usize,
    window: usize,
    list: &[&str],
    kinds: &[NodeKind],
    subject: bool,
) -> Option<Filler> {
    let mut i = t;
    let stop = t.saturating_sub(window);
    while i > stop {
        i -= 1;
        if view.boundary(i) || is_clause_word(view.w(i)) {
            return None;
        }
        if subject
            && view.entity_at[i].is_none()
            && (is_reporting(view.w(i))
                || matches!(trigger_word(view.w(i)), Some(TriggerClass::Attack(_)))
                    && !is_in(list, view.w(i)))
        {
            return None;
        }
        if let Some((_, k, a, b)) = view.entity_at[i] {
            // A possessive ("the Taliban's return") is not the subject.
            if kinds.contains(&k) && view.w(b) != "'s" && view.w(b) != "’s" {
                return entity_filler(view, a);
            }
            continue;
        }
        if is_in(list, view.w(i)) {
            return Some(Filler {
                a: i,
                b: i + 1,
                entity: None,
            });
        }
    }
    None
}

/// The first noun from `list` (or entity of `kinds`) after token `t`, within `window`.
fn find_right(
    view: &SentenceView<'_>,
    t: usize,
    window: usize,
    list: &[&str],
    kinds: &[NodeKind],
) -> Option<Filler> {
    let end = (t + 1 + window).min(view.len());
    let mut i = t + 1;
    while i < end {
        if view.boundary(i) {
            return None;
        }
        if let Some((_, k, a, b)) = view.entity_at[i] {
            if kinds.contains(&k) {
                return entity_filler(view, a);
            }
            i = b.max(i + 1);
            continue;
        }
        if is_in(list, view.w(i)) {
            // "a police officer", "the bus station": the last noun of the compound.
            let mut h = i;
            while h + 1 < end && view.entity_at[h + 1].is_none() && is_in(list, view.w(h + 1)) {
                h += 1;
            }
            return Some(Filler {
                a: h,
                b: h + 1,
                entity: None,
            });
        }
        i += 1;
    }
    None
}

/// Verbs of damage whose subject may be a blast ("an explosion rocked the hotel").
fn is_damage_verb(w: &str) -> bool {
    matches!(
        w,
        "rocked"
            | "rocks"
            | "hit"
            | "hits"
            | "struck"
            | "strikes"
            | "damaged"
            | "damages"
            | "destroyed"
            | "destroys"
            | "shattered"
            | "wrecked"
            | "ripped"
            | "tore"
            | "gutted"
            | "leveled"
            | "levelled"
            | "targeted"
            | "targeting"
    )
}

/// Last words of names of events held at a place ("Boston Marathon", "Notting Hill
/// Carnival").
fn is_event_word(w: &str) -> bool {
    matches!(
        w,
        "marathon"
            | "festival"
            | "carnival"
            | "parade"
            | "games"
            | "olympics"
            | "race"
            | "fair"
            | "cup"
            | "championship"
            | "championships"
            | "summit"
            | "derby"
    )
}

/// The object of a verb at `t`: the first noun from `list` (or entity of `kinds`) after it,
/// within `window` and before a preposition opens an adjunct ("killed a guard in Kabul": not
/// Kabul).
fn find_object(
    view: &SentenceView<'_>,
    t: usize,
    window: usize,
    list: &[&str],
    kinds: &[NodeKind],
) -> Option<Filler> {
    let end = (t + 1 + window).min(view.len());
    let stop = (t + 1..end)
        .find(|&i| {
            view.entity_at[i].is_none()
                && (is_clause_word(view.w(i))
                    || matches!(
                        view.w(i),
                        "in" | "near"
                            | "during"
                            | "after"
                            | "before"
                            | "with"
                            | "by"
                            | "from"
                            | "outside"
                            | "inside"
                            | "for"
                            | "as"
                            | "on"
                            | "last"
                            | "early"
                            | "late"
                    ))
        })
        .unwrap_or(end);
    find_right(view, t, stop - t - 1, list, kinds)
}

/// A casualty figure right after an active "killing"/"injuring" verb, or right before a
/// passive "were killed": (first token, last token + 1, value, qualifier), and the victim.
fn figure_after(view: &SentenceView<'_>, t: usize) -> Option<(Toll, Option<Filler>)> {
    let end = (t + 7).min(view.len());
    let mut i = t + 1;
    while i < end
        && matches!(
            view.w(i),
            "at" | "least"
                | "more"
                | "than"
                | "up"
                | "to"
                | "over"
                | "nearly"
                | "almost"
                | "about"
                | "around"
                | "some"
                | "as"
                | "many"
                | "no"
                | "fewer"
                | "the"
                | "approximately"
                | "roughly"
        )
    {
        i += 1;
    }
    if i >= end {
        return None;
    }
    let (value, vague) = count_value(view.lower[i])?;
    let (qa, q) = qualifier_before(&view.lower, i).unwrap_or((i, Qualifier::Exact));
    let qa = qa.max(t + 1);
    let q = if vague { Qualifier::AtLeast } else { q };
    // The victim noun: after the number (skipping adjectives), or the number itself.
    let mut victim = Some(Filler {
        a: i,
        b: i + 1,
        entity: None,
    });
    let mut k = i + 1;
    while k < (i + 4).min(view.len()) {
        if is_in(VICTIM_NOUNS, view.w(k)) {
            victim = Some(Filler {
                a: k,
                b: k + 1,
                entity: None,
            });
            break;
        }
        if view.boundary(k) || matches!(view.w(k), "and" | "in" | "at" | "on" | ",") {
            break;
        }
        k += 1;
    }
    // "13 American soldiers and up to 170 civilians": one toll, the sum.
    let after_victim = victim.map(|v| v.b).unwrap_or(i + 1);
    if view.w(after_victim) == "and"
        && let Some(((_, e2, v2, q2), _)) = figure_after(view, after_victim)
    {
        let q = if q == Qualifier::Exact { q2 } else { q };
        return Some(((qa, e2, value + v2, q), victim));
    }
    Some(((qa, i + 1, value, q), victim))
}

/// Further counted victims of a list after one ending at `from` ("two men, three women and
/// two children"): each head noun.
fn more_victims(view: &SentenceView<'_>, from: usize) -> Vec<Filler> {
    let mut out = Vec::new();
    let mut i = from;
    while i < view.len() && matches!(view.w(i), "," | "and") {
        i += 1;
        if view.w(i) == "and" {
            i += 1;
        }
        while matches!(
            view.w(i),
            "at" | "least" | "more" | "than" | "up" | "to" | "over" | "nearly" | "about"
        ) {
            i += 1;
        }
        if count_value(view.w(i)).is_none() && !matches!(view.w(i), "a" | "an") {
            break;
        }
        let Some(k) = (i + 1..(i + 4).min(view.len()))
            .take_while(|&k| !view.boundary(k) && !matches!(view.w(k), "," | "and" | "in" | "at"))
            .find(|&k| is_in(VICTIM_NOUNS, view.w(k)))
        else {
            break;
        };
        out.push(Filler {
            a: k,
            b: k + 1,
            entity: None,
        });
        i = k + 1;
    }
    out
}

/// Before a passive trigger ("60 people were killed", "137 killed"): the figure.
fn figure_before(view: &SentenceView<'_>, t: usize) -> Option<(Toll, Option<Filler>)> {
    let start = t.saturating_sub(6);
    let mut i = t;
    let mut victim: Option<Filler> = None;
    while i > start {
        i -= 1;
        if view.boundary(i) {
            return None;
        }
        if victim.is_none() && is_in(VICTIM_NOUNS, view.w(i)) {
            victim = Some(Filler {
                a: i,
                b: i + 1,
                entity: None,
            });
            continue;
        }
        if let Some((value, vague)) = count_value(view.lower[i]) {
            if i + 1 < view.len() && view.w(i + 1) == "of" {
                continue; // "one of the" is not a toll
            }
            let (qa, q) = qualifier_before(&view.lower, i).unwrap_or((i, Qualifier::Exact));
            let q = if vague { Qualifier::AtLeast } else { q };
            let victim = victim.or(Some(Filler {
                a: i,
                b: i + 1,
                entity: None,
            }));
            return Some(((qa, i + 1, value, q), victim));
        }
    }
    None
}

/// Counted victims listed before one whose count starts at `at` ("four workers and two
/// soldiers were killed"): each head noun.
fn victims_listed_before(view: &SentenceView<'_>, at: usize) -> Vec<Filler> {
    let mut out = Vec::new();
    let mut k = at;
    while k >= 2 && matches!(view.w(k - 1), "and" | ",") {
        let mut j = k - 1;
        if view.w(j) == "and" && j > 0 && view.w(j - 1) == "," {
            j -= 1;
        }
        // The noun ending the previous item, then its count within three tokens before it.
        if j == 0 || !is_in(VICTIM_NOUNS, view.w(j - 1)) || view.entity_at[j - 1].is_some() {
            break;
        }
        let noun = j - 1;
        let Some(c) = (noun.saturating_sub(3)..noun)
            .rev()
            .find(|&c| count_value(view.w(c)).is_some() || matches!(view.w(c), "a" | "an"))
        else {
            break;
        };
        out.push(Filler {
            a: noun,
            b: noun + 1,
            entity: None,
        });
        k = c;
    }
    out
}

fn is_passive_aux(w: &str) -> bool {
    matches!(
        w,
        "were" | "was" | "been" | "be" | "are" | "is" | "being" | "got"
    )
}

/// People named as the victims of the trigger at `t..te`.
fn named_victims(view: &SentenceView<'_>, t: usize, te: usize, passive: bool) -> Vec<Filler> {
    let mut out = Vec::new();
    let person_at = |i: usize| match view.entity_at[i] {
        Some((e, NodeKind::Person, a, b)) => Some(Filler {
            a,
            b,
            entity: Some(e),
        }),
        _ => None,
    };
    let w = view.w(t);
    let noun_of = matches!(
        w,
        "murder"
            | "assassination"
            | "death"
            | "deaths"
            | "killing"
            | "slaying"
            | "kidnapping"
            | "abduction"
    ) && view.w(te) == "of";
    let active = !passive
        && matches!(
            w,
            "killing"
                | "killed"
                | "kill"
                | "kills"
                | "shot"
                | "stabbed"
                | "murdered"
                | "assassinated"
                | "executed"
                | "beheaded"
                | "wounding"
                | "injuring"
                | "kidnapped"
                | "abducted"
        )
        && !matches!(view.w(t.saturating_sub(1)), "was" | "were" | "been" | "be");
    if noun_of || active {
        // A list after the verb: "killing Martin Richard, Krystle Campbell and Lingzi Lu".
        let mut i = if noun_of { te + 1 } else { te };
        let end = (i + 16).min(view.len());
        while i < end {
            if let Some(p) = person_at(i) {
                out.push(p);
                i = p.b;
                continue;
            }
            let w = view.w(i);
            if view.boundary(i)
                || is_clause_word(w)
                || matches!(w, "in" | "at" | "on" | "with" | "after" | "during" | "when")
            {
                break;
            }
            i += 1;
        }
    }
    let passive_here = passive || matches!(w, "died" | "dead");
    if passive_here {
        // "Sean Collier was shot", "Tamerlan Tsarnaev died": people before the trigger.
        let mut i = t;
        let start = t.saturating_sub(12);
        while i > start {
            i -= 1;
            if view.boundary(i) || is_clause_word(view.w(i)) && view.w(i) != "who" {
                break;
            }
            if let Some(p) = person_at(i) {
                if !out.iter().any(|o: &Filler| o.a == p.a) {
                    out.push(p);
                }
                i = p.a;
            }
        }
    }
    out
}

/// Words that may stand between a list's comma or "and" and the next item's head noun
/// ("the presidential residence, the central electoral council, and other installations").
fn is_np_filler(w: &str) -> bool {
    !w.is_empty()
        && !is_clause_word(w)
        && !is_reporting(w)
        && trigger_word(w).is_none()
        && !matches!(
            w,
            "," | "and"
                | "or"
                | "in"
                | "at"
                | "on"
                | "near"
                | "with"
                | "by"
                | "from"
                | "for"
                | "to"
                | "was"
                | "were"
                | "is"
                | "are"
                | "had"
                | "has"
                | "have"
                | "been"
        )
}

/// Further items of a list after one ending at token `from` ("burned a bus, a truck and
/// a jeep"): the last noun from `list` in each item of up to six words between commas or
/// "and" (an item without one is passed over; a longer item or another word ends the list).
fn more_listed(view: &SentenceView<'_>, from: usize, list: &[&str]) -> Vec<Filler> {
    let mut out = Vec::new();
    let mut i = from;
    // "the oil pipeline of the company, ..." is one item: skip an "of" phrase.
    if view.w(i) == "of" {
        while i < view.len() && (is_np_filler(view.w(i)) || view.w(i) == "of") {
            if view.boundary(i) {
                return out;
            }
            i += 1;
        }
    }
    while i < view.len() && matches!(view.w(i), "," | "and") {
        i += 1;
        if view.w(i) == "and" {
            i += 1;
        }
        let mut head = None;
        let mut k = i;
        while k < view.len()
            && !view.boundary(k)
            && (is_np_filler(view.w(k)) || matches!(view.w(k), "'s" | "’s"))
        {
            if view.entity_at[k].is_none() && is_in(list, view.w(k)) {
                head = Some(k);
            }
            k += 1;
        }
        if k == i || k - i > 6 || !matches!(view.w(k), "," | "and" | "." | "") && head.is_none() {
            break;
        }
        if let Some(h) = head {
            out.push(Filler {
                a: h,
                b: h + 1,
                entity: None,
            });
        }
        i = k;
    }
    out
}

/// Targets listed before one whose phrase starts at `at` ("pylons and transformers were
/// destroyed"): each head noun from the physical target list.
fn targets_listed_before(view: &SentenceView<'_>, at: usize) -> Vec<Filler> {
    let mut out = Vec::new();
    let mut k = at;
    while k >= 2 && matches!(view.w(k - 1), "and" | ",") {
        let mut j = k - 1;
        if view.w(j) == "and" && j > 0 && view.w(j - 1) == "," {
            j -= 1;
        }
        if j == 0 || view.entity_at[j - 1].is_some() || !is_in(PHYSICAL_TARGETS, view.w(j - 1)) {
            break;
        }
        out.push(Filler {
            a: j - 1,
            b: j,
            entity: None,
        });
        k = j - 1;
    }
    out
}

/// Words of a time adverbial between an attack word and its site ("a bomb exploded
/// wednesday morning outside the building").
fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "today"
            | "yesterday"
            | "tonight"
            | "this"
            | "last"
            | "early"
            | "late"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Who carries out an attack, for the subject of a verb that does ("unidentified persons
/// placed the bombs") and after "by": the attacker nouns and the plain words for unnamed
/// people.
static AGENT_NOUNS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    ATTACKER_NOUNS
        .iter()
        .copied()
        .chain([
            "individuals",
            "persons",
            "men",
            "hitmen",
            "paramilitaries",
            "mercenaries",
        ])
        .collect()
});

/// A verb that carries out a nominal attack at `t` within the four words before it ("staged
/// three bomb attacks", "launched an attack", "placed 11 bombs", "carried out the attack").
fn support_verb_before(view: &SentenceView<'_>, t: usize) -> Option<usize> {
    let start = t.saturating_sub(5);
    (start..t).rev().find(|&k| {
        view.entity_at[k].is_none()
            && (matches!(
                view.w(k),
                "staged"
                    | "launched"
                    | "perpetrated"
                    | "committed"
                    | "mounted"
                    | "conducted"
                    | "placed"
                    | "planted"
                    | "detonated"
                    | "hurled"
                    | "threw"
                    | "set"
                    | "began"
            ) || view.w(k) == "carried" && view.w(k + 1) == "out")
            && (k + 1..t).all(|j| !view.boundary(j) && !is_clause_word(view.w(j)))
    })
}

/// Role fillers of the trigger at tokens `t..te`.
fn frame_of(
    view: &SentenceView<'_>,
    t: usize,
    te: usize,
    class: TriggerClass,
    out_entities: &[crate::extract::LocalEntity],
) -> TriggerFrame {
    let mut f = TriggerFrame::default();
    let actors = [NodeKind::Group, NodeKind::Person];
    let prev = if t > 0 { view.w(t - 1) } else { "" };
    // "was killed", "were reportedly killed", "was also allegedly shot"
    let is_adverb = |w: &str| {
        w.ends_with("ly") || matches!(w, "also" | "later" | "then" | "not" | "subsequently")
    };
    let passive = is_passive_aux(prev)
        || (t >= 2 && is_passive_aux(view.w(t - 2)) && is_adverb(view.w(t - 1)))
        || (t >= 3
            && is_passive_aux(view.w(t - 3))
            && is_adverb(view.w(t - 2))
            && is_adverb(view.w(t - 1)));
    match class {
        TriggerClass::Die | TriggerClass::Injure => {
            let active = matches!(
                view.w(t),
                "killing" | "kill" | "kills" | "wounding" | "injuring"
            ) || (matches!(view.w(t), "killed" | "wounded" | "injured")
                && !passive
                && t > 0
                && !matches!(prev, "were" | "was"));
            let mut fig = None;
            if active {
                fig = figure_after(view, te - 1);
                if fig.is_none() {
                    // "killed Tamerlan Tsarnaev": a person right after.
                    if let Some(e) = find_right(view, te - 1, 3, &[], &[NodeKind::Person]) {
                        f.victim.push(e);
                    } else if let Some(v) = find_right(view, te - 1, 4, VICTIM_NOUNS, &[]) {
                        f.victim.push(v);
                    }
                }
            }
            if fig.is_none() && !active
                || fig.is_none()
                    && matches!(view.w(t), "killed" | "wounded" | "injured")
                    && f.victim.is_empty()
            {
                fig = figure_before(view, t);
                if fig.is_none()
                    && let Some(e) = find_subject(view, t, 5, VICTIM_NOUNS, &[NodeKind::Person])
                {
                    f.victim.push(e);
                }
            }
            if matches!(view.w(t), "deaths" | "death" | "lives") {
                // "the deaths of over 62 individuals", "claiming at least 60 lives"
                if view.w(t + 1) == "of" {
                    fig = figure_after(view, t + 1).or(fig);
                    if fig.is_none()
                        && let Some(e) =
                            find_right(view, t + 1, 3, VICTIM_NOUNS, &[NodeKind::Person])
                    {
                        f.victim.push(e);
                    }
                } else if view.w(t) == "lives" {
                    fig = figure_before(view, t).or(fig);
                }
            }
            if let Some((figure, victim)) = fig {
                if let Some(v) = victim {
                    f.victim.push(v);
                    // "two men, three women and a child": the rest of the list.
                    if v.b > t {
                        f.victim.extend(more_victims(view, v.b));
                    } else {
                        f.victim.extend(victims_listed_before(view, figure.0));
                    }
                }
                if class == TriggerClass::Die {
                    f.killed = Some(figure);
                } else {
                    f.injured = Some(figure);
                }
            }
            // The killer: "gunmen killed", "killed by X".
            if active
                && !passive
                && let Some(a) = find_subject(view, t, 6, ATTACKER_NOUNS, &actors)
            {
                f.attacker.push(a);
            }
        }
        TriggerClass::Damage => {
            if passive {
                // "many houses have been destroyed", "two transformers were destroyed"
                let aux = if is_passive_aux(prev) { t - 1 } else { t - 2 };
                if let Some(x) = find_subject(view, aux, 8, PHYSICAL_TARGETS, &[]) {
                    f.target.push(x);
                    f.target.extend(targets_listed_before(view, x.a));
                }
            } else {
                // "guerrillas burned a bus and a truck", "the blast destroyed the building",
                // "the destruction of 500 houses"
                let from = if view.w(te) == "of" { te } else { te - 1 };
                if let Some(x) = find_object(view, from, 6, PHYSICAL_TARGETS, &[]) {
                    f.target.push(x);
                    f.target.extend(more_listed(view, x.b, PHYSICAL_TARGETS));
                }
                // The one who did it: an attacker noun or an armed group ("the fmln burned").
                if let Some(a) = find_subject(view, t, 6, ATTACKER_NOUNS, &[NodeKind::Group])
                    && a.entity.is_none_or(|e| is_armed_group(&out_entities[e]))
                {
                    f.attacker.push(a);
                }
            }
        }
        TriggerClass::Attack(_) => {
            let w = view.w(t);
            let nominal = matches!(
                w,
                "attack"
                    | "attacks"
                    | "bombing"
                    | "bombings"
                    | "blast"
                    | "blasts"
                    | "explosion"
                    | "explosions"
                    | "shooting"
                    | "shootings"
                    | "assault"
                    | "raid"
                    | "raids"
                    | "ambush"
                    | "massacre"
                    | "offensive"
                    | "stabbing"
                    | "arson"
                    | "airstrike"
                    | "airstrikes"
                    | "shelling"
                    | "bombardment"
                    | "siege"
                    | "rampage"
                    | "assassination"
                    | "murder"
                    | "kidnapping"
                    | "abduction"
                    | "bomb"
                    | "bombs"
                    | "exploded"
                    | "detonation"
            ) || (te - t >= 2
                && !matches!(
                    w,
                    "opened"
                        | "open"
                        | "opening"
                        | "blew"
                        | "blown"
                        | "blowing"
                        | "gunned"
                        | "fired"
                        | "firing"
                        | "set"
                        | "setting"
                ));
            let agentive = matches!(w, "gunmen" | "gunman" | "bomber" | "bombers")
                || view.w(te - 1) == "bomber"
                || view.w(te - 1) == "bombers";
            if agentive {
                // "the marathon bomber Dzhokhar Tsarnaev": the person named.
                match view.entity_at.get(te).copied().flatten() {
                    Some((e, NodeKind::Person, a, b)) if a == te => f.attacker.push(Filler {
                        a,
                        b,
                        entity: Some(e),
                    }),
                    _ => f.attacker.push(Filler {
                        a: te - 1,
                        b: te,
                        entity: None,
                    }),
                }
            } else if !passive && !nominal {
                match find_subject(view, t, 7, ATTACKER_NOUNS, &actors) {
                    Some(a) => f.attacker.push(a),
                    None => {
                        // "The gunmen, who wore masks, opened fire": the sentence's attacker
                        // noun before the verb, across a relative clause.
                        if let Some(a) = (0..t).find(|&k| {
                            is_in(ATTACKER_NOUNS, view.w(k))
                                && !(k + 1..t).any(|j| is_reporting(view.w(j)))
                                && view.entity_at[k].is_none()
                                && !matches!(
                                    view.w(k.saturating_sub(1)),
                                    "against" | "on" | "killed" | "by"
                                )
                        }) {
                            f.attacker.push(Filler {
                                a,
                                b: a + 1,
                                entity: None,
                            });
                        }
                    }
                }
                // "attacked X", "stormed X", "bombed X", "shot an officer", "fired on police"
                let from = if matches!(
                    view.w(te),
                    "on" | "at" | "upon" | "near" | "inside" | "outside" | "against"
                ) {
                    te
                } else {
                    te - 1
                };
                if let Some(x) = find_object(
                    view,
                    from,
                    5,
                    TARGET_OR_PEOPLE,
                    &[NodeKind::Place, NodeKind::Group, NodeKind::Person],
                ) {
                    f.target.push(x);
                    // "attacked the presidential residence, the hotel and the airport"
                    if x.entity.is_none() {
                        f.target.extend(more_listed(view, x.b, PHYSICAL_TARGETS));
                    }
                } else if matches!(w, "blew" | "exploded")
                    && let Some(x) = find_subject(view, t, 5, PHYSICAL_TARGETS, &[])
                {
                    // "a plane blew up in midair": what blew up.
                    f.target.push(x);
                }
            } else if passive && !nominal {
                // "the embassy was attacked", "a convoy was ambushed": the subject.
                let aux = if is_passive_aux(prev) { t - 1 } else { t - 2 };
                if let Some(x) = find_subject(
                    view,
                    aux,
                    8,
                    TARGET_OR_PEOPLE,
                    &[NodeKind::Place, NodeKind::Group],
                ) {
                    f.target.push(x);
                }
            } else if nominal {
                // "attack on X", "bombing at X", "X attack" (a group before it: "ISIS-K attack")
                let next = view.w(te);
                // "the bombing of the embassy", "the siege of the town"
                let of_target = next == "of"
                    && matches!(
                        w,
                        "bombing"
                            | "bombings"
                            | "shelling"
                            | "bombardment"
                            | "siege"
                            | "storming"
                            | "raid"
                            | "ambush"
                            | "assault"
                            | "shooting"
                    );
                // "a bomb exploded outside the offices", "a bomb went off near a power tower",
                // "the bomb placed in front of the bank"
                let mut at = te;
                while at < (te + 4).min(view.len())
                    && (matches!(
                        view.w(at),
                        "exploded" | "went" | "off" | "placed" | "planted"
                    ) || is_time_word(view.w(at)))
                {
                    at += 1;
                }
                let next_at = view.w(at);
                let site =
                    matches!(
                        next_at,
                        "on" | "at" | "against" | "targeting" | "near" | "outside" | "inside"
                    ) || (next_at == "in" && view.w(at + 1) == "front" && view.w(at + 2) == "of");
                let at = if next_at == "in" && site { at + 2 } else { at };
                if (site || of_target)
                    && let Some(x) = find_object(
                        view,
                        if of_target { te } else { at },
                        5,
                        TARGET_OR_PEOPLE,
                        &[NodeKind::Place, NodeKind::Group, NodeKind::Person],
                    )
                {
                    f.target.push(x);
                    // "attacks on the residence, the electoral council, and other installations"
                    if x.entity.is_none() {
                        f.target.extend(more_listed(view, x.b, PHYSICAL_TARGETS));
                    }
                }
                // "terrorists staged three bomb attacks", "unidentified persons placed 11
                // bombs": the subject of a verb that carries out the attack.
                if let Some(v) = support_verb_before(view, t)
                    && let Some(a) = find_subject(view, v, 6, &AGENT_NOUNS, &actors)
                {
                    f.attacker.push(a);
                }
                if t > 0
                    && let Some((e, NodeKind::Group, a, _)) = view.entity_at[t - 1]
                    && is_armed_group(&out_entities[e])
                {
                    f.attacker.push(Filler {
                        a,
                        b: t,
                        entity: view.entity_at[t - 1].map(|e| e.0),
                    });
                }
            }
        }
    }
    // "carried out by X", "attack by X", "killed by X"
    let by_end = (te + 6).min(view.len());
    for k in te..by_end {
        if view.boundary(k) {
            break;
        }
        if view.w(k) == "by" {
            if let Some(a) = find_right(view, k, 4, &AGENT_NOUNS, &actors)
                && !f.attacker.iter().any(|x| x.a == a.a)
            {
                f.attacker.push(a);
            }
            break;
        }
    }
    // "authorities attribute the attacks to drug traffickers", "the attack was blamed on
    // rebels": who is blamed, when it is an attacker noun (named groups are read by
    // `responsibility`).
    if matches!(class, TriggerClass::Attack(_)) {
        for k in 0..view.len() {
            if !matches!(
                view.w(k),
                "attributed" | "attribute" | "attributes" | "blamed" | "blame" | "blames"
            ) {
                continue;
            }
            let to = (k + 1..(k + 10).min(view.len()))
                .take_while(|&j| !view.boundary(j) && !is_clause_word(view.w(j)))
                .find(|&j| matches!(view.w(j), "to" | "on") && view.w(j - 1) != "according");
            if let Some(j) = to
                && let Some(a) = find_right(view, j, 3, ATTACKER_NOUNS, &[])
                && !f.attacker.iter().any(|x| x.a == a.a)
            {
                f.attacker.push(a);
            }
        }
    }
    // "colombian guerrillas and drug trafficking gangs": the rest of a list of attacker nouns.
    let listed: Vec<Filler> = f
        .attacker
        .iter()
        .filter(|a| a.entity.is_none())
        .flat_map(|a| more_listed(view, a.b, ATTACKER_NOUNS))
        .collect();
    for a in listed {
        if !f.attacker.iter().any(|x| x.a == a.a) {
            f.attacker.push(a);
        }
    }
    // Named victims: people after "killing"/"murder of"/"death of", or before a passive
    // "was killed"/"died", joined by "and" or commas.
    let victim_word = matches!(class, TriggerClass::Die | TriggerClass::Injure)
        || matches!(
            view.w(t),
            "shot"
                | "stabbed"
                | "murdered"
                | "assassinated"
                | "executed"
                | "beheaded"
                | "murder"
                | "assassination"
                | "kidnapped"
                | "abducted"
                | "kidnapping"
                | "abduction"
        );
    if victim_word {
        for p in named_victims(view, t, te, passive) {
            if !f.victim.iter().any(|v| v.a == p.a) && !f.attacker.iter().any(|v| v.a == p.a) {
                f.victim.push(p);
            }
        }
    }
    // Places: a place after the trigger in its clause introduced by "in", "at", "near",
    // "outside" ("attack in Moscow", "killed 84 people in Kerman, Iran"), the place of a
    // sentence opening "In X,", or a place right before a nominal trigger ("the Moscow attack").
    let place_at = |i: usize| -> Option<Filler> {
        match view.entity_at[i] {
            Some((e, NodeKind::Place, a, b)) if a == i => Some(Filler {
                a,
                b,
                entity: Some(e),
            }),
            _ => None,
        }
    };
    let mut k = te;
    let end = (te + 14).min(view.len());
    while k < end {
        if matches!(view.w(k), ";" | "." | "?" | "!")
            || (is_clause_word(view.w(k)) && !matches!(view.w(k), "that" | "which"))
        {
            break;
        }
        // "the outskirts of the Russian capital, Moscow": a place in apposition to a noun
        // that names a place.
        let appositive = view.w(k) == ","
            && k > 0
            && matches!(
                view.w(k - 1),
                "capital"
                    | "city"
                    | "town"
                    | "village"
                    | "province"
                    | "region"
                    | "district"
                    | "suburb"
                    | "outskirts"
            );
        if (matches!(
            view.w(k),
            "in" | "at" | "near" | "outside" | "inside" | "of"
        ) || appositive)
            && let Some(p) = place_at(k + 1)
        {
            f.place.push(p);
            // "Kerman, Iran": the country in apposition.
            if view.w(p.b) == ","
                && let Some(q) = place_at(p.b + 1)
            {
                f.place.push(q);
            }
            k = p.b;
            continue;
        }
        k += 1;
    }
    if view.w(0) == "in"
        && let Some(p) = place_at(1)
    {
        f.place.push(p);
    }
    // "the Moscow attack" (a city, not "a US raid", where the country is the attacker's).
    if t > 0
        && let Some((e, NodeKind::Place, a, b)) = view.entity_at[t - 1]
        && !crate::extract::is_country(&out_entities[e])
    {
        f.place.push(Filler {
            a,
            b,
            entity: Some(e),
        });
    }
    // "an explosion rocked the embassy", "the hotel was hit by a blast": what the blast
    // damaged is the target.
    if matches!(class, TriggerClass::Attack(_)) {
        let mut k = te;
        while k < (te + 2).min(view.len()) && matches!(view.w(k), "exploded" | "went" | "off") {
            k += 1;
        }
        if k < view.len()
            && is_damage_verb(view.w(k))
            && let Some(x) = find_object(
                view,
                k,
                5,
                TARGET_OR_PEOPLE,
                &[NodeKind::Place, NodeKind::Group],
            )
        {
            f.target.push(x);
        }
        // "... was shattered by an explosion"
        let mut by = t;
        while by > 0
            && by + 3 > t
            && matches!(
                view.w(by - 1),
                "a" | "an" | "the" | "powerful" | "huge" | "massive" | "large"
            )
        {
            by -= 1;
        }
        if by >= 3
            && view.w(by - 1) == "by"
            && is_damage_verb(view.w(by - 2))
            && is_passive_aux(view.w(by - 3))
            && let Some(x) = find_subject(
                view,
                by - 3,
                8,
                TARGET_OR_PEOPLE,
                &[NodeKind::Place, NodeKind::Group],
            )
        {
            f.target.push(x);
            // "the Murrah Federal Building in Oklahoma City was shattered"
            let after = if x.entity.is_some() { x.b } else { x.a + 1 };
            if matches!(view.w(after), "in" | "at")
                && let Some(p) = place_at(after + 1)
            {
                f.place.push(p);
            }
        }
    }
    // A place that modifies a target noun ("the Oklahoma City federal building") is where the
    // attack was, and the noun is the target.
    for x in &mut f.target {
        if let Some(e) = x.entity
            && out_entities[e].kind == NodeKind::Place
        {
            let mut head = (x.b..(x.b + 3).min(view.len()))
                .find(|&k| view.entity_at[k].is_none() && is_in(TARGET_OR_PEOPLE, view.w(k)));
            // "the Oxford Street bus station": the last noun of the compound.
            while let Some(h) = head
                && h + 1 < view.len()
                && view.entity_at[h + 1].is_none()
                && is_in(TARGET_OR_PEOPLE, view.w(h + 1))
            {
                head = Some(h + 1);
            }
            if let Some(h) = head
                && (x.b..h).all(|k| {
                    view.entity_at[k].is_none()
                        && !view.boundary(k)
                        && view.w(k) != ","
                        && view.w(k) != "and"
                })
            {
                f.place.push(*x);
                *x = Filler {
                    a: x.b,
                    b: h + 1,
                    entity: None,
                };
            }
        }
    }
    // A place named after an event held there ("the Boston Marathon bombing"): the place is
    // the name without the event word.
    for p in &mut f.place {
        if p.b > p.a + 1 && is_event_word(view.w(p.b - 1)) {
            p.b -= 1;
            p.entity = None;
        }
    }
    // Instruments anywhere in the sentence.
    for i in 0..view.len() {
        if is_in(INSTRUMENT_NOUNS, view.w(i)) && view.entity_at[i].is_none() {
            f.instrument.push(Filler {
                a: i,
                b: i + 1,
                entity: None,
            });
        }
    }
    f
}

/// Words that let [`responsibility`] read a sentence that has no attack word ("the Taliban
/// denied any role", "officials blamed the group"); other such sentences are skipped.
fn responsibility_cue(w: &str) -> bool {
    matches!(
        w,
        "responsibility" | "denied" | "denies" | "blamed" | "accused"
    )
}

/// Responsibility stated in a sentence: (entity, kind, token, who blames it: "the army
/// blamed the FMLN" gives the FMLN, suspected, and the army).
fn responsibility(
    view: &SentenceView<'_>,
    entities: &[crate::extract::LocalEntity],
) -> Vec<(usize, Responsibility, usize, Option<usize>)> {
    let mut out = Vec::new();
    for i in 0..view.len() {
        let w = view.w(i);
        let next = view.w(i + 1);
        let kind = match w {
            "claimed" | "claim" | "claims" | "claiming"
                if matches!(next, "responsibility" | "of" | "the" | "it")
                    || view.w(i + 2) == "responsibility" =>
            {
                Responsibility::Claimed
            }
            "responsible" if view.w(i.saturating_sub(1)) != "not" => Responsibility::Suspected,
            "suspect" | "suspected" | "blamed" | "blame" | "accused" | "believed" => {
                Responsibility::Suspected
            }
            "attributed" if next == "to" => Responsibility::Suspected,
            "behind" => Responsibility::Suspected,
            "denied" | "denies" | "deny" | "rejected" => Responsibility::Denied,
            "carried" if next == "out" => Responsibility::Perpetrated,
            _ => continue,
        };
        // The actor: the nearest group (or person, for denials) before the word, else after
        // it for "blamed X" / "suspect X of".
        let kinds: &[NodeKind] = match kind {
            Responsibility::Denied => &[NodeKind::Group, NodeKind::Person],
            _ => &[NodeKind::Group],
        };
        // "the army blamed the FMLN", "accused X of", "attributed to X": the one blamed is
        // after the word; the one who claims, denies or is behind it comes before.
        let blame_right = matches!(w, "blamed" | "blame" | "accused" | "attributed")
            || (matches!(w, "suspect" | "suspected")
                && !matches!(
                    view.w(i.saturating_sub(1)),
                    "is" | "are" | "was" | "were" | "been"
                ));
        let mut found = None;
        if blame_right {
            found = find_right(view, i, 6, &[], kinds).and_then(|f| f.entity);
        }
        if found.is_none() && !(blame_right && matches!(w, "blamed" | "blame" | "accused")) {
            // "ISIS took to Telegram to claim responsibility": the channel is not the claimant.
            let mut left = find_left(view, i, 10, &[], kinds);
            while let Some(f) = left
                && kind == Responsibility::Claimed
                && f.entity.is_some_and(|e| is_channel(&entities[e]))
            {
                left = find_left(view, f.a, 10, &[], kinds);
            }
            found = left.and_then(|f| f.entity);
        }
        if let Some(e) = found {
            // Who blames: the group or person before "blamed"/"accused" when the one blamed
            // comes after it.
            let blamer = (blame_right && matches!(w, "blamed" | "blame" | "accused"))
                .then(|| {
                    find_left(view, i, 10, &[], &[NodeKind::Group, NodeKind::Person])
                        .and_then(|f| f.entity)
                })
                .flatten()
                .filter(|&b| b != e);
            out.push((e, kind, i, blamer));
        }
    }
    out
}

/// An armed group: an armed group of the lexicon, or a group whose name says so ("front",
/// "army", "cartel", "commando").
fn is_armed_group(e: &crate::extract::LocalEntity) -> bool {
    if e.kind != NodeKind::Group {
        return false;
    }
    if e.lexicon.is_some() {
        return group_type(e) == Some(crate::lexicon::GroupType::ArmedGroup);
    }
    let key = crate::resolve::name_key(&e.name);
    key.split(' ').any(|w| {
        matches!(
            w,
            "front"
                | "army"
                | "movement"
                | "commando"
                | "commandos"
                | "cartel"
                | "brigade"
                | "brigades"
                | "guerrilla"
                | "guerrillas"
                | "liberation"
                | "revolutionary"
                | "militia"
                | "militias"
                | "squad"
                | "squads"
                | "extraditables"
                | "mujahideen"
                | "jihad"
                | "insurgents"
                | "rebels"
        )
    })
}

/// One trigger found in the document.
#[derive(Debug)]
struct Hit {
    si: usize,
    /// Token range.
    t: usize,
    te: usize,
    class: TriggerClass,
    frame: TriggerFrame,
    date: Option<(PartialDate, usize, usize)>,
}

/// Finds the attacks a document reports and adds them (and their relations) to `out`.
pub fn extract_attacks(
    prepared: &Prepared<'_>,
    out: &mut DocExtraction,
    sidx: &mut SentenceIndex,
    shared: &text::SentenceTokens,
) {
    let text = prepared.text();
    let doc_date = prepared.date.as_deref().and_then(dates::parse_doc_date);
    // Mentions by prepared sentence: out.mentions carry extraction sentence indexes.
    let mut mentions_by_out_sentence: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (mi, m) in out.mentions.iter().enumerate() {
        mentions_by_out_sentence
            .entry(m.sentence)
            .or_default()
            .push(mi);
    }
    let mut hits: Vec<Hit> = Vec::new();
    let mut views: BTreeMap<usize, SentenceView> = BTreeMap::new();
    let mut resp: Vec<(usize, usize, Responsibility, usize)> = Vec::new(); // (si, entity, kind, token)
    let mut blames: Vec<(usize, usize, usize)> = Vec::new(); // (si, blamed, who blames)
    for (si, sent) in prepared.sentences.iter().enumerate() {
        let s = &text[sent.byte_start..sent.byte_end];
        let tokens = shared.get(si);
        let lower: Vec<&str> = shared.lower(prepared, si).collect();
        // Cheap skip: a sentence without any trigger word.
        let has_trigger = lower.iter().enumerate().any(|(i, &w)| {
            trigger_word(w).is_some()
                || lower
                    .get(i + 1)
                    .is_some_and(|n| trigger_pair(w, n).is_some())
                || responsibility_cue(w)
        });
        if !has_trigger {
            continue;
        }
        // Character offsets of every token in the sentence (mentions count characters).
        let chars = text::CharMap::new(s);
        let token_chars: Vec<(usize, usize)> = tokens
            .iter()
            .map(|t| (chars.char_offset(s, t.start), chars.char_offset(s, t.end)))
            .collect();
        let mut entity_at = vec![None; tokens.len()];
        if let Some(osi) = sidx.lookup(si) {
            for &mi in mentions_by_out_sentence
                .get(&osi)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let m = &out.mentions[mi];
                let kind = out.entities[m.entity].kind;
                // Mention char offsets -> token range.
                let ms = m.start - sent.start;
                let me = m.end - sent.start;
                let (mut a, mut b) = (usize::MAX, 0);
                for (ti, &(cs, ce)) in token_chars.iter().enumerate() {
                    if cs >= ms && ce <= me {
                        a = a.min(ti);
                        b = b.max(ti + 1);
                    }
                }
                if a < b {
                    for slot in entity_at.iter_mut().take(b).skip(a) {
                        *slot = Some((m.entity, kind, a, b));
                    }
                }
            }
        }
        let view = SentenceView {
            s,
            tokens: tokens.to_vec(),
            lower,
            entity_at,
        };
        let sentence_dates = dates::find_dates(s, doc_date);
        let mut i = 0;
        while i < view.len() {
            let w = view.w(i);
            let (class, te) = match view.lower.get(i + 1).and_then(|n| trigger_pair(w, n)) {
                Some(c) => (c, i + 2),
                None => match trigger_word(w) {
                    Some(c) => (c, i + 1),
                    None => {
                        i += 1;
                        continue;
                    }
                },
            };
            // Triggers inside a name ("Attack Helicopter Battalion") or hypothetical ones.
            let in_entity = view.entity_at[i].is_some();
            let irrealis = (i.saturating_sub(3)..i).any(|k| is_irrealis(view.w(k)));
            if in_entity || irrealis || (w == "attack" && view.w(i.saturating_sub(1)) == "heart") {
                i = te;
                continue;
            }
            let frame = frame_of(&view, i, te, class, &out.entities);
            // A bare plural ("US airstrikes", "several deadly attacks") speaks of attacks in
            // general unless it says where.
            if is_generic_plural(&view, i, te) && frame.place.is_empty() {
                i = te;
                continue;
            }
            // A death or injury word counts only with a victim or a toll, a damage word only
            // with a target.
            if matches!(class, TriggerClass::Die | TriggerClass::Injure)
                && frame.victim.is_empty()
                && frame.killed.is_none()
                && frame.injured.is_none()
                || class == TriggerClass::Damage && frame.target.is_empty()
            {
                i = te;
                continue;
            }
            let trig_byte = view.tokens[i].start;
            // The date expression nearest the trigger.
            let date = sentence_dates
                .iter()
                .min_by_key(|d| d.start.abs_diff(trig_byte))
                .map(|d| (d.date, d.start, d.end));
            hits.push(Hit {
                si,
                t: i,
                te,
                class,
                frame,
                date,
            });
            i = te;
        }
        for (e, kind, tok, blamer) in responsibility(&view, &out.entities) {
            resp.push((si, e, kind, tok));
            if let Some(b) = blamer {
                blames.push((si, e, b));
            }
        }
        views.insert(si, view);
    }
    if !hits
        .iter()
        .any(|h| matches!(h.class, TriggerClass::Attack(_)))
    {
        // Deaths without an attack word are an attack only when someone killed: "gunmen
        // killed two farmers", "the mayor was killed by guerrillas" (not "died in a crash").
        for h in &mut hits {
            if h.class == TriggerClass::Die
                && !h.frame.attacker.is_empty()
                && matches!(views[&h.si].w(h.t), "killed" | "killing" | "kill" | "kills")
            {
                h.class = TriggerClass::Attack(Some("killing"));
            }
            // "rebels burned two buses": damage someone did is an attack too.
            if h.class == TriggerClass::Damage && !h.frame.attacker.is_empty() {
                let burned = matches!(views[&h.si].w(h.t), "burned" | "burnt");
                h.class = TriggerClass::Attack(burned.then_some("arson"));
            }
        }
    }
    if !hits
        .iter()
        .any(|h| matches!(h.class, TriggerClass::Attack(_)))
    {
        return;
    }
    group_into_attacks(prepared, out, sidx, &hits, &views, &resp);
    for (si, blamed, by) in blames {
        let sentence = sidx.get(prepared, out, si);
        out.relations.push(RelationMention {
            rel: "BLAMED_BY".into(),
            source: Endpoint::Entity(blamed),
            target: Endpoint::Entity(by),
            sentence,
        });
    }
}

/// A news medium or platform of the group table (Amaq, Telegram, Al Jazeera): the channel a
/// claim goes out through.
fn is_channel(e: &crate::extract::LocalEntity) -> bool {
    e.kind == NodeKind::Group && group_type(e) == Some(crate::lexicon::GroupType::Media)
}

/// The group table's type of an entity found in it.
fn group_type(e: &crate::extract::LocalEntity) -> Option<crate::lexicon::GroupType> {
    let slug = e.lexicon.as_deref()?;
    crate::lexicon::lexicon()
        .groups
        .by_slug(slug)
        .map(|g| g.group_type)
}

/// Groups the triggers of a document into attacks and writes them out.
fn group_into_attacks(
    prepared: &Prepared<'_>,
    out: &mut DocExtraction,
    sidx: &mut SentenceIndex,
    hits: &[Hit],
    views: &BTreeMap<usize, SentenceView<'_>>,
    resp: &[(usize, usize, Responsibility, usize)],
) {
    let sent_base = |si: usize| prepared.sentences[si].start;
    let span = |si: usize, a: usize, b: usize| -> Span {
        let v = &views[&si];
        let bs = v.tokens[a].start;
        let be = v.tokens[b - 1].end;
        let start = sent_base(si) + v.s[..bs].chars().count();
        let end = start + v.s[bs..be].chars().count();
        Span {
            text: v.s[bs..be].to_string(),
            start,
            end,
        }
    };
    let place_entities = |h: &Hit| -> Vec<usize> {
        let mut v: Vec<usize> = h.frame.place.iter().filter_map(|f| f.entity).collect();
        // A place attacked is where the attack was ("an attack on Kabul's airport").
        for f in &h.frame.target {
            if let Some(e) = f.entity
                && out.entities[e].kind == NodeKind::Place
                && !v.contains(&e)
            {
                v.push(e);
            }
        }
        v
    };
    // Attack clusters: (date, places, hit indexes).
    struct Cluster {
        date: Option<(PartialDate, usize, usize, usize)>, // date, si, start byte, end byte
        places: Vec<usize>,
        hits: Vec<usize>,
    }
    let mut clusters: Vec<Cluster> = Vec::new();
    // Positive evidence that two sets of places are one (Some(true)), a conflict (Some(false)),
    // or nothing to go by (None).
    let places_match = |a: &[usize], b: &[usize], out: &DocExtraction| -> Option<bool> {
        let known = |e: &usize| out.entities[*e].lexicon.is_some();
        let any_match = a.iter().any(|x| {
            b.iter().any(|y| {
                x == y
                    || crate::extract::place_compatible(&out.entities[*x], &out.entities[*y])
                        && (known(x) && known(y)
                            || crate::resolve::name_key(&out.entities[*x].name)
                                .contains(&crate::resolve::name_key(&out.entities[*y].name))
                            || crate::resolve::name_key(&out.entities[*y].name)
                                .contains(&crate::resolve::name_key(&out.entities[*x].name)))
            })
        });
        if any_match {
            return Some(true);
        }
        let ka: Vec<&usize> = a.iter().filter(|e| known(e)).collect();
        let kb: Vec<&usize> = b.iter().filter(|e| known(e)).collect();
        if ka.is_empty() || kb.is_empty() {
            None
        } else {
            Some(false)
        }
    };
    let join = |c: &mut Cluster,
                hi: usize,
                date: Option<(PartialDate, usize, usize, usize)>,
                places: Vec<usize>| {
        c.hits.push(hi);
        if c.date.is_none() {
            c.date = date;
        }
        for p in places {
            if !c.places.contains(&p) {
                c.places.push(p);
            }
        }
    };
    let mut last_cluster: Option<(usize, usize)> = None; // (sentence, cluster)
    // Deaths and injuries told before the first attack word ("X was killed on Monday. ...
    // gunmen shot him"): placed once the attacks are known.
    let mut early: Vec<usize> = Vec::new();
    for (hi, h) in hits.iter().enumerate() {
        if clusters.is_empty() && !matches!(h.class, TriggerClass::Attack(_)) {
            early.push(hi);
            continue;
        }
        let places = place_entities(h);
        let date = h.date.map(|(d, s, e)| (d, h.si, s, e));
        let is_attack = matches!(h.class, TriggerClass::Attack(_));
        let fits = |c: &Cluster| -> (bool, bool) {
            let date_m = match (&date, &c.date) {
                (Some(a), Some(b)) if !a.0.compatible(&b.0) => Some(false),
                (Some(a), Some(b)) if a.0.agrees(&b.0) => Some(true),
                _ => None,
            };
            let place_m = if places.is_empty() || c.places.is_empty() {
                None
            } else {
                places_match(&places, &c.places, out)
            };
            let conflict = date_m == Some(false) || place_m == Some(false);
            let positive = date_m == Some(true) || place_m == Some(true);
            (!conflict, positive)
        };
        let specific = date.is_some() || !places.is_empty();
        let mut weak = false;
        let target = if !specific {
            // No date or place: the attack of the sentence before, else the lead attack.
            match last_cluster {
                Some((si, ci)) if si + 1 >= h.si => Some(ci),
                _ if !clusters.is_empty() => Some(0),
                _ => None,
            }
        } else {
            let same_sentence = last_cluster.filter(|(si, _)| *si == h.si).map(|(_, ci)| ci);
            let mut t = same_sentence.filter(|&ci| fits(&clusters[ci]).0);
            if t.is_none() {
                t = (0..clusters.len()).rev().find(|&ci| {
                    let (ok, positive) = fits(&clusters[ci]);
                    ok && positive
                });
            }
            if t.is_none() && !is_attack && !clusters.is_empty() && fits(&clusters[0]).0 {
                // A toll with a date or place of its own: the lead attack if nothing conflicts,
                // but a death's date does not become the attack's.
                weak = true;
                t = Some(0);
            }
            t
        };
        match target {
            Some(ci) if weak => clusters[ci].hits.push(hi),
            Some(ci) => {
                join(&mut clusters[ci], hi, date, places);
                last_cluster = Some((h.si, ci));
            }
            None if is_attack => {
                clusters.push(Cluster {
                    date,
                    places,
                    hits: vec![hi],
                });
                last_cluster = Some((h.si, clusters.len() - 1));
            }
            None => {}
        }
    }
    for hi in early {
        let h = &hits[hi];
        let places = place_entities(h);
        // The attack of a trigger in the same sentence, else the first one whose date and
        // places do not conflict.
        let same = clusters
            .iter()
            .position(|c| c.hits.iter().any(|&k| hits[k].si == h.si));
        let fit = same.or_else(|| {
            clusters.iter().position(|c| {
                let date_ok = match (&h.date, &c.date) {
                    (Some(a), Some(b)) => a.0.compatible(&b.0),
                    _ => true,
                };
                let place_ok = places.is_empty()
                    || c.places.is_empty()
                    || places_match(&places, &c.places, out) != Some(false);
                date_ok && place_ok
            })
        });
        if let Some(ci) = fit {
            clusters[ci].hits.push(hi);
        }
    }
    for c in &mut clusters {
        c.hits.sort_unstable();
    }
    clusters.retain(|c| {
        c.hits
            .iter()
            .any(|&h| matches!(hits[h].class, TriggerClass::Attack(_)))
    });
    // Responsibility sentences belong to the attack of a trigger in the same sentence, else
    // to the lead attack.
    let resp_cluster: Vec<usize> = resp
        .iter()
        .map(|&(si, ..)| {
            clusters
                .iter()
                .position(|c| c.hits.iter().any(|&h| hits[h].si == si))
                .unwrap_or(0)
        })
        .collect();
    for (ci, c) in clusters.iter().enumerate() {
        let ai = out.attacks.len();
        let mut attack = LocalAttack {
            triggers: Vec::new(),
            date: c.date.map(|d| d.0),
            date_source: c.date.map(|(_, si, s, e)| {
                let v = &views[&si];
                let start = sent_base(si) + v.s[..s].chars().count();
                Span {
                    text: v.s[s..e].to_string(),
                    start,
                    end: start + v.s[s..e].chars().count(),
                }
            }),
            places: c.places.clone(),
            method: None,
            killed: Vec::new(),
            injured: Vec::new(),
            attacker: Vec::new(),
            target: Vec::new(),
            victim: Vec::new(),
            place: Vec::new(),
            instrument: Vec::new(),
            actors: Vec::new(),
        };
        let mut sentences = Vec::new();
        for &hi in &c.hits {
            let h = &hits[hi];
            let osi = sidx.get(prepared, out, h.si);
            if !sentences.contains(&(h.si, osi)) {
                sentences.push((h.si, osi));
            }
            let tspan = span(h.si, h.t, h.te);
            if matches!(h.class, TriggerClass::Attack(_)) {
                attack.triggers.push(tspan);
            }
            if let TriggerClass::Attack(Some(m)) = h.class {
                // The most specific method wins: "suicide bombing" over "bombing".
                let better = match &attack.method {
                    None => true,
                    Some(cur) => m.len() > cur.len() && m.contains(cur.as_str()),
                };
                if better {
                    attack.method = Some(m.to_string());
                }
            }
            let fr = &h.frame;
            for (role, fillers) in [
                (&mut attack.attacker, &fr.attacker),
                (&mut attack.target, &fr.target),
                (&mut attack.victim, &fr.victim),
                (&mut attack.place, &fr.place),
                (&mut attack.instrument, &fr.instrument),
            ] {
                for f in fillers {
                    let sp = span(h.si, f.a, f.b);
                    if !role.contains(&sp) {
                        role.push(sp);
                    }
                }
            }
            for f in fr.attacker.iter().filter_map(|f| f.entity) {
                if !attack.actors.contains(&(f, Responsibility::Perpetrated)) {
                    attack.actors.push((f, Responsibility::Perpetrated));
                    out.relations.push(RelationMention {
                        rel: "PERPETRATED".into(),
                        source: Endpoint::Entity(f),
                        target: Endpoint::Attack(ai),
                        sentence: osi,
                    });
                }
            }
            for (rel, fillers) in [("TARGETED", &fr.target), ("OCCURRED_IN", &fr.place)] {
                for f in fillers.iter().filter_map(|f| f.entity) {
                    out.relations.push(RelationMention {
                        rel: rel.into(),
                        source: Endpoint::Attack(ai),
                        target: Endpoint::Entity(f),
                        sentence: osi,
                    });
                }
            }
            for (fig, list) in [
                (fr.killed, &mut attack.killed),
                (fr.injured, &mut attack.injured),
            ] {
                if let Some((a, b, value, qualifier)) = fig {
                    let sp = span(h.si, a, b);
                    // One document repeating its figure (headline and body) reports it once.
                    if !list.iter().any(|c: &Casualty| {
                        c.start == sp.start || (c.value == value && c.qualifier == qualifier)
                    }) {
                        list.push(Casualty {
                            value,
                            qualifier,
                            text: sp.text,
                            start: sp.start,
                            end: sp.end,
                            sentence: osi,
                        });
                    }
                }
            }
        }
        // Responsibility stated in this attack's sentences (or, for sentences without a
        // trigger, the lead attack).
        for (ri, &(si, e, kind, _)) in resp.iter().enumerate() {
            if resp_cluster[ri] != ci || out.entities[e].kind == NodeKind::Place {
                continue;
            }
            let osi = sidx.get(prepared, out, si);
            if !attack.actors.contains(&(e, kind)) {
                attack.actors.push((e, kind));
            }
            let rel = match kind {
                Responsibility::Claimed => "CLAIMED_RESPONSIBILITY",
                Responsibility::Suspected => "SUSPECTED_OF",
                Responsibility::Denied => "DENIED",
                Responsibility::Perpetrated => "PERPETRATED",
            };
            out.relations.push(RelationMention {
                rel: rel.into(),
                source: Endpoint::Entity(e),
                target: Endpoint::Attack(ai),
                sentence: osi,
            });
            // The channel of a claim: a medium named in the claim's sentence ("in a statement
            // on Telegram", "through its Amaq news agency").
            if kind == Responsibility::Claimed {
                let mut channels: Vec<usize> = out
                    .mentions
                    .iter()
                    .filter(|m| m.sentence == osi && m.entity != e)
                    .map(|m| m.entity)
                    .filter(|&c| is_channel(&out.entities[c]))
                    .collect();
                channels.sort_unstable();
                channels.dedup();
                for c in channels {
                    out.relations.push(RelationMention {
                        rel: "CLAIMED_VIA".into(),
                        source: Endpoint::Attack(ai),
                        target: Endpoint::Entity(c),
                        sentence: osi,
                    });
                }
            }
            if kind != Responsibility::Denied {
                let sp = {
                    let m = out
                        .mentions
                        .iter()
                        .find(|m| m.entity == e && m.sentence == osi);
                    m.map(|m| Span {
                        text: m.text.clone(),
                        start: m.start,
                        end: m.end,
                    })
                };
                if let Some(sp) = sp
                    && !attack.attacker.contains(&sp)
                {
                    attack.attacker.push(sp);
                }
            }
        }
        // No attacker named near a trigger: an armed group named in the attack's sentences
        // ("an FMLN urban commando", "the Medellin cartel") is the document's attacker.
        if !attack.attacker.iter().any(|a| {
            out.mentions
                .iter()
                .any(|m| m.start == a.start && out.entities[m.entity].kind == NodeKind::Group)
        }) {
            let osis: Vec<usize> = sentences.iter().map(|(_, o)| *o).collect();
            let armed: Vec<Span> = out
                .mentions
                .iter()
                .filter(|m| osis.contains(&m.sentence) && is_armed_group(&out.entities[m.entity]))
                .map(|m| Span {
                    text: m.text.clone(),
                    start: m.start,
                    end: m.end,
                })
                .collect();
            for sp in armed {
                if !attack.attacker.contains(&sp) {
                    attack.attacker.push(sp);
                }
            }
        }
        attack.attacker.sort();
        attack.target.sort();
        attack.victim.sort();
        attack.place.sort();
        attack.instrument.sort();
        out.attacks.push(attack);
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::Document;

    /// The role fillers of every attack extracted from `text`: (role, filler text) pairs.
    fn roles(text: &str) -> Vec<(&'static str, String)> {
        let doc = Document::new("d", text);
        let p = crate::text::prepare(&doc);
        let x = crate::extract::extract(&p);
        let mut v = Vec::new();
        for a in &x.attacks {
            for (role, spans) in [
                ("attacker", &a.attacker),
                ("target", &a.target),
                ("victim", &a.victim),
                ("place", &a.place),
                ("instrument", &a.instrument),
            ] {
                for s in spans {
                    v.push((role, s.text.clone()));
                }
            }
        }
        v
    }

    fn has(r: &[(&'static str, String)], role: &str, text: &str) -> bool {
        r.iter().any(|(k, t)| *k == role && t == text)
    }

    #[test]
    fn a_death_told_before_the_attack_word_joins_the_attack() {
        let r = roles(
            "The mayor of the town, Maria Lopez, was killed on Monday. Gunmen opened fire on her car near the market.",
        );
        assert!(has(&r, "victim", "Maria Lopez"), "{r:?}");
        assert!(has(&r, "attacker", "Gunmen"), "{r:?}");
    }

    #[test]
    fn who_reports_is_not_the_attacker() {
        let r = roles("Police said the blast killed four soldiers in the village.");
        assert!(!has(&r, "attacker", "Police"), "{r:?}");
        assert!(has(&r, "victim", "soldiers"), "{r:?}");
    }

    #[test]
    fn passive_and_by_phrases_give_target_and_killer() {
        let r = roles("Two guards were killed by militants after the embassy was attacked.");
        assert!(has(&r, "attacker", "militants"), "{r:?}");
        assert!(has(&r, "target", "embassy"), "{r:?}");
        let r = roles("The courthouse was shattered by an explosion on Friday.");
        assert!(has(&r, "target", "courthouse"), "{r:?}");
        let r = roles("A powerful explosion rocked a bakery in the old town.");
        assert!(has(&r, "target", "bakery"), "{r:?}");
    }

    #[test]
    fn a_verb_object_stops_at_a_preposition() {
        // "murdered in Paris": Paris is where, not whom.
        let r = roles("The journalist was found murdered in Paris last week.");
        assert!(!has(&r, "target", "Paris"), "{r:?}");
        let r = roles("The gunman shot a police officer outside the station.");
        assert!(has(&r, "target", "officer"), "{r:?}");
    }

    #[test]
    fn a_counted_list_of_victims_gives_each_noun() {
        let r = roles("The bombing killed two men, three women and four children.");
        for v in ["men", "women", "children"] {
            assert!(has(&r, "victim", v), "{v}: {r:?}");
        }
    }

    #[test]
    fn a_counted_list_before_a_passive_death_gives_each_noun() {
        let r =
            roles("At the depot, three drivers and two guards were killed when a bomb exploded.");
        assert!(has(&r, "victim", "drivers"), "{r:?}");
        assert!(has(&r, "victim", "guards"), "{r:?}");
    }

    #[test]
    fn adverbs_between_the_auxiliary_and_the_verb_keep_it_passive() {
        let r = roles("A district commander was also reportedly killed in the ambush.");
        assert!(has(&r, "victim", "commander"), "{r:?}");
    }

    #[test]
    fn a_killing_without_an_attack_word_is_an_attack_when_someone_killed() {
        let r = roles("Rebels killed the mayor of Santa Ana on Sunday.");
        assert!(has(&r, "attacker", "Rebels"), "{r:?}");
        assert!(roles("Two hikers died in a fall on Sunday.").is_empty());
    }

    #[test]
    fn a_place_that_names_an_event_or_modifies_a_target() {
        let r = roles("The bombing of the Berlin central station killed six people.");
        assert!(has(&r, "place", "Berlin"), "{r:?}");
        assert!(has(&r, "target", "central station"), "{r:?}");
        let r = roles("Two years after the Chicago Marathon bombing, the trial began.");
        assert!(has(&r, "place", "Chicago"), "{r:?}");
        assert!(!has(&r, "place", "Chicago Marathon"), "{r:?}");
    }

    #[test]
    fn damage_verbs_give_physical_targets() {
        // Active, with a list, and the one who burned is the attacker.
        let r = roles("Rebels burned two buses and a fuel truck on the highway.");
        assert!(has(&r, "attacker", "Rebels"), "{r:?}");
        assert!(has(&r, "target", "buses"), "{r:?}");
        assert!(has(&r, "target", "truck"), "{r:?}");
        // Passive, joining the attack of the document.
        let r = roles("A bomb exploded in the market. Many houses and shops were destroyed.");
        assert!(has(&r, "target", "houses"), "{r:?}");
        assert!(has(&r, "target", "shops"), "{r:?}");
        // A nominal: "the destruction of".
        let r = roles("The bombing caused the destruction of 500 houses.");
        assert!(has(&r, "target", "houses"), "{r:?}");
        // Damage with no attack in the document is not an attack.
        assert!(roles("The storm destroyed several houses near the coast.").is_empty());
    }

    #[test]
    fn a_list_of_attacked_things_gives_each_head() {
        let r = roles(
            "Guerrillas attacked the presidential residence, the electoral council, and a hotel.",
        );
        assert!(has(&r, "target", "residence"), "{r:?}");
        assert!(has(&r, "target", "hotel"), "{r:?}");
        assert!(!has(&r, "target", "council"), "{r:?}");
    }

    #[test]
    fn where_a_bomb_went_off_is_its_target() {
        let r = roles("A car bomb exploded this morning outside the offices of the union.");
        assert!(has(&r, "target", "offices"), "{r:?}");
        let r = roles("A bomb went off in front of a bank in the city centre.");
        assert!(has(&r, "target", "bank"), "{r:?}");
        // What blew up, when nothing is blown up after the verb.
        let r = roles("A passenger plane blew up in midair near the capital.");
        assert!(has(&r, "target", "plane"), "{r:?}");
    }

    #[test]
    fn attack_words_for_sabotage_and_shooting_at_things() {
        let r = roles("Urban guerrillas sabotaged pylons and transformers in the east.");
        assert!(has(&r, "attacker", "guerrillas"), "{r:?}");
        assert!(has(&r, "target", "pylons"), "{r:?}");
        assert!(has(&r, "target", "transformers"), "{r:?}");
        let r = roles("Soldiers fired against the houses of the village.");
        assert!(has(&r, "target", "houses"), "{r:?}");
        let r = roles("Rebels dynamited the oil pipeline on Sunday.");
        assert!(has(&r, "target", "pipeline"), "{r:?}");
    }

    #[test]
    fn who_carries_out_the_attack() {
        // The subject of a verb that carries out a nominal attack.
        let r = roles("Unidentified persons placed 11 bombs in several bank branches.");
        assert!(has(&r, "attacker", "persons"), "{r:?}");
        let r = roles("Terrorists staged three bomb attacks against the embassy.");
        assert!(has(&r, "attacker", "Terrorists"), "{r:?}");
        assert!(has(&r, "target", "embassy"), "{r:?}");
        // After "by", plain words for unnamed people count.
        let r = roles("The bomb, planted by unidentified individuals, exploded at the airport.");
        assert!(has(&r, "attacker", "individuals"), "{r:?}");
        assert!(has(&r, "target", "airport"), "{r:?}");
        // Who is blamed, and the rest of a list of attacker nouns.
        let r = roles(
            "The attack on the army post was blamed, according to some reports, on guerrillas and drug gangs.",
        );
        assert!(has(&r, "attacker", "guerrillas"), "{r:?}");
        assert!(has(&r, "attacker", "gangs"), "{r:?}");
        // A reporting verb still closes the subject search.
        let r = roles("Police said unidentified men placed a bomb at the station.");
        assert!(!has(&r, "attacker", "Police"), "{r:?}");
    }

    #[test]
    fn a_bomber_named_after_the_noun_is_the_attacker() {
        let r = roles("The suicide bomber Karim Nasser detonated his vest at the checkpoint.");
        assert!(has(&r, "attacker", "Karim Nasser"), "{r:?}");
    }
}

#[cfg(test)]
mod responsibility_tests {
    use crate::extract::Endpoint;

    /// (relation, source name, target name) of the responsibility relations of `text`; an
    /// attack end is written `attack`.
    fn relations(text: &str) -> Vec<(String, String, String)> {
        let doc = crate::corpus::Document {
            date: Some("2031-04-02".into()),
            ..crate::corpus::Document::new("d", text)
        };
        let x = crate::extract::extract(&crate::text::prepare(&doc));
        let name = |e: Endpoint| match e {
            Endpoint::Entity(i) => x.entities[i].name.clone(),
            Endpoint::Attack(_) => "attack".into(),
        };
        let mut v: Vec<_> = x
            .relations
            .iter()
            .filter(|r| r.rel != "CO_OCCURS" && r.rel != "OCCURRED_IN" && r.rel != "TARGETED")
            .map(|r| (r.rel.to_string(), name(r.source), name(r.target)))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    fn rel(r: &str, a: &str, b: &str) -> (String, String, String) {
        (r.into(), a.into(), b.into())
    }

    #[test]
    fn a_claim_names_its_channel() {
        let v = relations(
            "Gunmen stormed a market in Tarvona on Friday, killing 12 people. The Islamic State \
             claimed responsibility for the attack in a statement on Telegram.",
        );
        assert!(
            v.contains(&rel("CLAIMED_RESPONSIBILITY", "Islamic State", "attack")),
            "{v:?}"
        );
        assert!(
            v.contains(&rel("CLAIMED_VIA", "attack", "Telegram")),
            "{v:?}"
        );
        // No channel without a claim.
        let v = relations(
            "Gunmen stormed a market in Tarvona on Friday, killing 12 people, Reuters reported.",
        );
        assert!(!v.iter().any(|r| r.0 == "CLAIMED_VIA"), "{v:?}");
    }

    #[test]
    fn who_blames_whom() {
        let v = relations(
            "A car bomb killed nine soldiers in Tarvona on Friday. The Federal Security Service \
             blamed the Islamic State for the bombing. The Taliban denied any role.",
        );
        assert!(
            v.contains(&rel("SUSPECTED_OF", "Islamic State", "attack")),
            "{v:?}"
        );
        assert!(
            v.contains(&rel(
                "BLAMED_BY",
                "Islamic State",
                "Federal Security Service"
            )),
            "{v:?}"
        );
        assert!(v.contains(&rel("DENIED", "Taliban", "attack")), "{v:?}");
    }
}
