//! Nationality / regional adjectives ("French", "Chechen", "Afghan"). CoNLL-2003 tags them MISC;
//! some annotation schemes (ACE / KAIROS GPE, as in the WikiEvents devset) count them as places.
//! [`is_demonym`] lets a caller re-type a MISC entity that is exactly one such word (or its
//! plural, "Venezuelans").

const DEMONYMS: &[&str] = &[
    "afghan",
    "afghani",
    "african",
    "albanian",
    "algerian",
    "american",
    "andorran",
    "angolan",
    "arab",
    "arabian",
    "argentine",
    "argentinian",
    "armenian",
    "asian",
    "australian",
    "austrian",
    "azerbaijani",
    "azeri",
    "bahraini",
    "balkan",
    "baltic",
    "bangladeshi",
    "basque",
    "belarusian",
    "belgian",
    "beninese",
    "bolivian",
    "bosnian",
    "brazilian",
    "british",
    "briton",
    "bulgarian",
    "burmese",
    "burundian",
    "cambodian",
    "cameroonian",
    "canadian",
    "caribbean",
    "catalan",
    "caucasian",
    "chadian",
    "chechen",
    "chilean",
    "chinese",
    "colombian",
    "congolese",
    "croat",
    "croatian",
    "cuban",
    "cypriot",
    "czech",
    "dagestani",
    "danish",
    "dutch",
    "ecuadorean",
    "ecuadorian",
    "egyptian",
    "emirati",
    "english",
    "eritrean",
    "estonian",
    "ethiopian",
    "european",
    "filipino",
    "finnish",
    "flemish",
    "french",
    "gabonese",
    "gambian",
    "georgian",
    "german",
    "ghanaian",
    "greek",
    "guatemalan",
    "guinean",
    "haitian",
    "honduran",
    "hungarian",
    "icelandic",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "israeli",
    "italian",
    "ivorian",
    "jamaican",
    "japanese",
    "jordanian",
    "kazakh",
    "kenyan",
    "korean",
    "kosovar",
    "kuwaiti",
    "kyrgyz",
    "laotian",
    "latvian",
    "lebanese",
    "liberian",
    "libyan",
    "lithuanian",
    "macedonian",
    "malagasy",
    "malawian",
    "malaysian",
    "malian",
    "maltese",
    "mauritanian",
    "mexican",
    "moldovan",
    "mongolian",
    "montenegrin",
    "moroccan",
    "mozambican",
    "namibian",
    "nepalese",
    "nepali",
    "nicaraguan",
    "nigerian",
    "nigerien",
    "norwegian",
    "omani",
    "pakistani",
    "palestinian",
    "panamanian",
    "paraguayan",
    "persian",
    "peruvian",
    "polish",
    "portuguese",
    "qatari",
    "romanian",
    "russian",
    "rwandan",
    "salvadoran",
    "saudi",
    "scottish",
    "senegalese",
    "serb",
    "serbian",
    "singaporean",
    "slovak",
    "slovenian",
    "somali",
    "soviet",
    "spanish",
    "sudanese",
    "swedish",
    "swiss",
    "syrian",
    "taiwanese",
    "tajik",
    "tanzanian",
    "thai",
    "tibetan",
    "togolese",
    "tunisian",
    "turkish",
    "turkmen",
    "ugandan",
    "ukrainian",
    "uruguayan",
    "uzbek",
    "venezuelan",
    "vietnamese",
    "welsh",
    "western",
    "yemeni",
    "yugoslav",
    "zambian",
    "zimbabwean",
    "kurdish",
    "ingush",
    "ossetian",
    "abkhaz",
    "crimean",
    "siberian",
    "bavarian",
    "corsican",
    "sicilian",
    "texan",
    "californian",
    "floridian",
    "sahrawi",
    "pashtun",
    "punjabi",
    "kashmiri",
    "bengali",
    "tamil",
    "sindhi",
    "baluch",
    "balochi",
    "hazara",
    "uighur",
    "uyghur",
    "rohingya",
    "latin",
    "nordic",
    "scandinavian",
    "mediterranean",
    "levantine",
    "maghrebi",
];

const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "latin",
    "sub-saharan",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// Is `text` (any case; a trailing plural "s" allowed) a nationality or regional adjective, or
/// such a word after direction words ("North African", "South Americans")?
pub fn is_demonym(text: &str) -> bool {
    let mut words = text.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if words.peek().is_none() {
            return is_demonym_word(w);
        }
        if !DIRECTIONS.iter().any(|d| d.eq_ignore_ascii_case(w)) {
            return false;
        }
    }
    false
}

fn is_demonym_word(word: &str) -> bool {
    if word.len() > 20 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let mut buf = [0u8; 20];
    for (i, b) in word.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    let w = std::str::from_utf8(&buf[..word.len()]).unwrap();
    if DEMONYMS.contains(&w) {
        return true;
    }
    w.len() > 4 && w.ends_with('s') && DEMONYMS.contains(&&w[..w.len() - 1])
}

#[cfg(test)]
mod tests {
    #[test]
    fn demonyms() {
        assert!(super::is_demonym("French"));
        assert!(super::is_demonym("Venezuelans"));
        assert!(!super::is_demonym("France"));
        assert!(!super::is_demonym("Englishman"));
        assert!(super::is_demonym("North African"));
        assert!(super::is_demonym("South Americans"));
        assert!(!super::is_demonym("African Union"));
        assert!(!super::is_demonym(""));
    }
}
