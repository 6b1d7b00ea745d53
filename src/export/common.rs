//! Pieces shared by the writers: the JSON formatter that cleans and escapes strings, the CSV
//! field writer, number formatting, and the table of optional node attributes (which column,
//! key and property each one becomes in every format).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};

use super::{clean_item, clean_name, find_byte_in, is_xml_illegal};
use crate::graph::{Figure, KnowledgeGraph, Node, Perpetrator, TextRef};

/// How a JSON formatter writes `"`, `\` and control characters inside strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// `\"`, `\\`, `\n`, `\r`, `\t` (graph.json, GraphML, report.json).
    Standard,
    /// `\u0022`, `\u005c`, `\u000a`, ... (JSON text inside CSV cells), so that no CSV field
    /// holds `\` followed by `"` and no CSV field holds a raw newline.
    Unicode,
}

/// A [`Formatter`] that lays out arrays and objects like `F` and writes strings with every
/// character that is illegal in XML 1.0 removed, and `"`, `\` and control characters escaped as
/// `escape` says.
pub(crate) struct Clean<F> {
    inner: F,
    escape: Escape,
}

impl<F: Formatter> Clean<F> {
    pub(crate) fn new(inner: F, escape: Escape) -> Clean<F> {
        Clean { inner, escape }
    }
}

/// Does `s` hold U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`)?
fn has_fffe_ffff(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xEF, b)
        .any(|i| b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
}

impl<F: Formatter> Formatter for Clean<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Control characters arrive through `write_char_escape`; only U+FFFE/U+FFFF remain.
        if has_fffe_ffff(fragment) {
            let kept: String = fragment.chars().filter(|&c| !is_xml_illegal(c)).collect();
            writer.write_all(kept.as_bytes())
        } else {
            writer.write_all(fragment.as_bytes())
        }
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        let byte = match char_escape {
            CharEscape::Quote => b'"',
            CharEscape::ReverseSolidus => b'\\',
            CharEscape::Solidus => b'/',
            CharEscape::Backspace => 0x08,
            CharEscape::FormFeed => 0x0c,
            CharEscape::LineFeed => b'\n',
            CharEscape::CarriageReturn => b'\r',
            CharEscape::Tab => b'\t',
            CharEscape::AsciiControl(b) => b,
        };
        if is_xml_illegal(char::from(byte)) {
            return Ok(());
        }
        match self.escape {
            Escape::Unicode => write!(writer, "\\u{byte:04x}"),
            Escape::Standard => {
                let s: &[u8] = match byte {
                    b'"' => b"\\\"",
                    b'\\' => b"\\\\",
                    b'/' => b"\\/",
                    b'\n' => b"\\n",
                    b'\r' => b"\\r",
                    b'\t' => b"\\t",
                    _ => return write!(writer, "\\u{byte:04x}"),
                };
                writer.write_all(s)
            }
        }
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_value(writer)
    }
}

/// Python's `json.dumps` layout: `", "` between items and `": "` after keys, on one line.
pub(crate) struct Spaced;

impl Formatter for Spaced {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Serializes `value` to `writer` with formatter `fmt`.
pub(crate) fn write_json<W, T, F>(writer: &mut W, value: &T, fmt: F) -> io::Result<()>
where
    W: Write + ?Sized,
    T: Serialize + ?Sized,
    F: Formatter,
{
    let mut ser = serde_json::Serializer::with_formatter(writer, fmt);
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Compact JSON text of `value` (no spaces), strings cleaned and escaped as `escape` says.
pub(crate) fn json_text<T: Serialize + ?Sized>(value: &T, escape: Escape) -> io::Result<String> {
    // Most values are an edge's evidence list: start big enough that few of them regrow.
    let mut buf = Vec::with_capacity(1024);
    write_json(&mut buf, value, Clean::new(CompactFormatter, escape))?;
    String::from_utf8(buf).map_err(io::Error::other)
}

/// Appends `s` as a JSON string to `out`: the bytes serde_json writes for it through
/// [`Clean`] (characters illegal in XML 1.0 removed; `"`, `\\`, tab, LF and CR escaped as
/// `escape` says), without going through serde.
/// The bytes [`json_str_into`] stops at: `"`, `\\`, controls, and 0xEF (U+FFFE/U+FFFF start).
#[inline(always)]
const fn json_special(x: u8) -> bool {
    (x < 0x20) | (x == b'"') | (x == b'\\') | (x == 0xEF)
}

/// `[f(0), f(1), ..., f(255)]` for a `const fn f`, at compile time.
macro_rules! table_of {
    ($f:expr) => {{
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = $f(i as u8);
            i += 1;
        }
        t
    }};
}

/// [`json_special`] of every byte.
static JSON_SPECIAL: [bool; 256] = table_of!(json_special);

pub(crate) fn json_str_into(out: &mut String, s: &str, escape: Escape) {
    // serde_json escapes `"`, `\\` and every control character; `Clean` drops the controls that
    // XML does not allow, and U+FFFE/U+FFFF (`EF BF BE`, `EF BF BF`).
    let special = json_special;
    let b = s.as_bytes();
    out.push('"');
    let mut from = 0;
    let mut i = 0;
    loop {
        i = find_byte_in(b, i, special, &JSON_SPECIAL);
        let Some(&x) = b.get(i) else {
            break;
        };
        let (len, rep) = match (x, escape) {
            (0xEF, _)
                if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                (3, "")
            }
            (0xEF, _) => {
                i += 1;
                continue;
            }
            (b'"', Escape::Standard) => (1, "\\\""),
            (b'\\', Escape::Standard) => (1, "\\\\"),
            (b'\n', Escape::Standard) => (1, "\\n"),
            (b'\r', Escape::Standard) => (1, "\\r"),
            (b'\t', Escape::Standard) => (1, "\\t"),
            (b'"', Escape::Unicode) => (1, "\\u0022"),
            (b'\\', Escape::Unicode) => (1, "\\u005c"),
            (b'\n', Escape::Unicode) => (1, "\\u000a"),
            (b'\r', Escape::Unicode) => (1, "\\u000d"),
            (b'\t', Escape::Unicode) => (1, "\\u0009"),
            // The other control characters are illegal in XML: dropped.
            _ => (1, ""),
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        i += len;
        from = i;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// The shortest decimal that reads back as `x` (`1.0`, `55.8204`, `1e-7`), or `None` for NaN
/// and infinities, which are omitted everywhere.
pub(crate) fn fmt_f64(x: f64) -> Option<String> {
    serde_json::Number::from_f64(x).map(|n| n.to_string())
}

/// [`fmt_f64`] appended to `out`, without an allocation; false (nothing written) for NaN and
/// infinities.
pub(crate) fn fmt_f64_into(out: &mut String, x: f64) -> bool {
    use std::fmt::Write as _;
    match serde_json::Number::from_f64(x) {
        Some(n) => {
            let _ = write!(out, "{n}");
            true
        }
        None => false,
    }
}

/// Appends the decimal digits of `n` to `out` (as `n.to_string()` writes them).
pub(crate) fn push_uint(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits.
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or_default());
}

/// Appends the items of a list attribute as every format writes it, [`clean_items`] joined
/// with `;`, each item passed through `push` (an escaper); returns how many items it wrote.
/// Escaping works character by character and never touches `;`, so escaping the joined text and
/// joining the escaped items give the same bytes.
///
/// [`clean_items`]: super::clean_items
pub(crate) fn push_items(
    out: &mut String,
    items: &[String],
    mut push: impl FnMut(&mut String, &str),
) -> usize {
    let mut n = 0;
    for item in items {
        let item = clean_item(item);
        if item.is_empty() {
            continue;
        }
        if n > 0 {
            out.push(';');
        }
        push(out, &item);
        n += 1;
    }
    n
}

/// `[A-Za-z0-9._:-]+`: safe as an XML NMTOKEN, a CSV field and a Cypher string.
pub(crate) fn is_nmtoken(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// Writes CSV records field by field: RFC 4180 quoting (a field is quoted when it holds `,`,
/// `"`, CR or LF, and `"` is doubled). In Gephi mode every `\` is doubled as well (Apache
/// Commons CSV with `\` as escape), and a field holding `\` is always quoted, so that parsers
/// that honour the escape only inside quotes read it the same way.
pub(crate) struct CsvFields<W> {
    w: W,
    gephi: bool,
    first: bool,
    /// Neutralise cells a spreadsheet would run as a formula (`--csv-safe`).
    formula_safe: bool,
}

impl<W: Write> CsvFields<W> {
    pub(crate) fn new(w: W, gephi: bool) -> CsvFields<W> {
        CsvFields {
            w,
            gephi,
            first: true,
            formula_safe: false,
        }
    }

    /// With `on`, every field that [`formula_risk`] flags is written with a `'` in front.
    pub(crate) fn set_formula_safe(&mut self, on: bool) {
        self.formula_safe = on;
    }

    pub(crate) fn field(&mut self, s: &str) -> io::Result<()> {
        if !self.first {
            self.w.write_all(b",")?;
        }
        self.first = false;
        let safe: Cow<str> = if self.formula_safe && formula_risk(s) {
            Cow::Owned(format!("'{s}"))
        } else {
            Cow::Borrowed(s)
        };
        let s = safe.as_ref();
        let s: Cow<str> = if self.gephi && s.contains('\\') {
            Cow::Owned(s.replace('\\', "\\\\"))
        } else {
            Cow::Borrowed(s)
        };
        let quote = s
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r') || (self.gephi && b == b'\\'));
        if quote {
            // Each `"` doubled, written piece by piece instead of through a replaced copy.
            self.w.write_all(b"\"")?;
            let mut rest = s.as_bytes();
            while let Some(p) = memchr::memchr(b'"', rest) {
                self.w.write_all(&rest[..=p])?;
                self.w.write_all(b"\"")?;
                rest = &rest[p + 1..];
            }
            self.w.write_all(rest)?;
            self.w.write_all(b"\"")
        } else {
            self.w.write_all(s.as_bytes())
        }
    }

    /// A field that needs quotes, whose text is already escaped (`"` doubled, and in Gephi mode
    /// `\` doubled): written between quotes as it is.
    pub(crate) fn quoted_escaped(&mut self, escaped: &str) -> io::Result<()> {
        if !self.first {
            self.w.write_all(b",")?;
        }
        self.first = false;
        self.w.write_all(b"\"")?;
        self.w.write_all(escaped.as_bytes())?;
        self.w.write_all(b"\"")
    }

    pub(crate) fn opt(&mut self, s: Option<&str>) -> io::Result<()> {
        self.field(s.unwrap_or(""))
    }

    pub(crate) fn end_record(&mut self) -> io::Result<()> {
        self.first = true;
        self.w.write_all(b"\n")
    }

    pub(crate) fn into_inner(self) -> W {
        self.w
    }
}

/// Would a spreadsheet (Excel, LibreOffice, Google Sheets) run this cell as a formula? True when
/// it starts with `=`, `+`, `-`, `@`, a tab or a CR, unless it is a plain number (`-0.5`,
/// `+3`, `1e-7`), which a spreadsheet reads as that number.
pub(crate) fn formula_risk(s: &str) -> bool {
    if !s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return false;
    }
    !is_plain_number(s)
}

/// `[+-]?digits[.digits][(e|E)[+-]digits]`.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// An optional node attribute, in the fixed order of keys and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    Country,
    Lat,
    Lon,
    GeonamesId,
    Date,
    DateSource,
    Place,
    Method,
    Killed,
    Injured,
    Responsibility,
    Perpetrators,
    ClaimedVia,
    Doc,
    Title,
    Url,
    FormerIds,
}

/// The value of an optional attribute of one node.
pub(crate) enum AttrValue<'a> {
    Str(Cow<'a, str>),
    Int(u64),
    /// Always finite.
    Float(f64),
    TextRef(&'a TextRef),
    Figure(&'a Figure),
    Perpetrators(&'a [Perpetrator]),
}

impl AttrValue<'_> {
    /// The value as one string: JSON text for nested values, escaped as `escape` says.
    pub(crate) fn render(&self, escape: Escape) -> io::Result<String> {
        Ok(match self {
            AttrValue::Str(s) => s.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(x) => fmt_f64(*x).unwrap_or_default(),
            AttrValue::TextRef(t) => json_text(t, escape)?,
            AttrValue::Figure(f) => json_text(f, escape)?,
            AttrValue::Perpetrators(p) => json_text(p, escape)?,
        })
    }
}

/// How a value is typed in GraphML and Neo4j.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrType {
    String,
    Double,
    Long,
    /// JSON text in a string (`_json` suffix in Neo4j).
    Json,
    /// A `;`-joined list (`string[]` in Neo4j).
    List,
}

impl Attr {
    pub(crate) const ALL: [Attr; 17] = [
        Attr::Country,
        Attr::Lat,
        Attr::Lon,
        Attr::GeonamesId,
        Attr::Date,
        Attr::DateSource,
        Attr::Place,
        Attr::Method,
        Attr::Killed,
        Attr::Injured,
        Attr::Responsibility,
        Attr::Perpetrators,
        Attr::ClaimedVia,
        Attr::Doc,
        Attr::Title,
        Attr::Url,
        Attr::FormerIds,
    ];

    /// The attribute name: GraphML `attr.name`, Gephi column, JSON key.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Attr::Country => "country",
            Attr::Lat => "lat",
            Attr::Lon => "lon",
            Attr::GeonamesId => "geonames_id",
            Attr::Date => "date",
            Attr::DateSource => "date_source",
            Attr::Place => "place",
            Attr::Method => "method",
            Attr::Killed => "killed",
            Attr::Injured => "injured",
            Attr::Responsibility => "responsibility",
            Attr::Perpetrators => "perpetrators",
            Attr::ClaimedVia => "claimed_via",
            Attr::Doc => "doc",
            Attr::Title => "title",
            Attr::Url => "url",
            Attr::FormerIds => "former_ids",
        }
    }

    pub(crate) fn ty(self) -> AttrType {
        match self {
            Attr::Lat | Attr::Lon => AttrType::Double,
            Attr::GeonamesId => AttrType::Long,
            Attr::DateSource | Attr::Killed | Attr::Injured | Attr::Perpetrators => AttrType::Json,
            Attr::FormerIds | Attr::ClaimedVia => AttrType::List,
            _ => AttrType::String,
        }
    }

    /// Lines of the `SET` clause of `load.cypher` start anew at each group.
    pub(crate) fn group(self) -> u8 {
        match self {
            Attr::Country | Attr::Lat | Attr::Lon | Attr::GeonamesId => 0,
            Attr::Date
            | Attr::DateSource
            | Attr::Place
            | Attr::Method
            | Attr::Killed
            | Attr::Injured
            | Attr::Responsibility
            | Attr::Perpetrators
            | Attr::ClaimedVia => 1,
            Attr::Doc | Attr::Title | Attr::Url => 2,
            Attr::FormerIds => 3,
        }
    }

    /// The Neo4j property name (`lat`, `killed_json`).
    pub(crate) fn property(self) -> String {
        match self.ty() {
            AttrType::Json => format!("{}_json", self.name()),
            _ => self.name().to_string(),
        }
    }

    /// The Neo4j CSV header (`lat:double`, `geonames_id:long`, `killed_json`).
    pub(crate) fn neo4j_header(self) -> String {
        match self.ty() {
            AttrType::Double => format!("{}:double", self.name()),
            AttrType::Long => format!("{}:long", self.name()),
            AttrType::Json => format!("{}_json", self.name()),
            AttrType::List => format!("{}:string[]", self.name()),
            AttrType::String => self.name().to_string(),
        }
    }

    /// The value of this attribute on `node`, cleaned; `None` when missing (or not finite).
    pub(crate) fn value(self, node: &Node) -> Option<AttrValue<'_>> {
        let place = node.place.as_ref();
        let attack = node.attack.as_ref();
        let document = node.document.as_ref();
        fn s(v: Option<&String>) -> Option<AttrValue<'_>> {
            v.map(|s| AttrValue::Str(clean_name(s)))
        }
        match self {
            Attr::Country => s(place.and_then(|p| p.country.as_ref())),
            Attr::Lat => place
                .and_then(|p| p.lat)
                .filter(|x| x.is_finite())
                .map(AttrValue::Float),
            Attr::Lon => place
                .and_then(|p| p.lon)
                .filter(|x| x.is_finite())
                .map(AttrValue::Float),
            Attr::GeonamesId => place.and_then(|p| p.geonames_id).map(AttrValue::Int),
            Attr::Date => s(attack
                .and_then(|a| a.date.as_ref())
                .or_else(|| document.and_then(|d| d.date.as_ref()))),
            Attr::DateSource => attack
                .and_then(|a| a.date_source.as_ref())
                .map(AttrValue::TextRef),
            Attr::Place => s(attack.and_then(|a| a.place.as_ref())),
            Attr::Method => s(attack.and_then(|a| a.method.as_ref())),
            Attr::Killed => attack
                .and_then(|a| a.killed.as_ref())
                .map(AttrValue::Figure),
            Attr::Injured => attack
                .and_then(|a| a.injured.as_ref())
                .map(AttrValue::Figure),
            Attr::Responsibility => s(attack.and_then(|a| a.responsibility.as_ref())),
            Attr::Perpetrators => attack
                .filter(|a| !a.perpetrators.is_empty())
                .map(|a| AttrValue::Perpetrators(&a.perpetrators)),
            Attr::ClaimedVia => attack
                .filter(|a| !a.claimed_via.is_empty())
                .map(|a| AttrValue::Str(Cow::Owned(a.claimed_via.join(";")))),
            Attr::Doc => s(document.map(|d| &d.doc)),
            Attr::Title => s(document.and_then(|d| d.title.as_ref())),
            Attr::Url => s(document.and_then(|d| d.url.as_ref())),
            Attr::FormerIds => (!node.former_ids.is_empty())
                .then(|| AttrValue::Str(Cow::Owned(node.former_ids.join(";")))),
        }
    }
}

/// The optional attributes that at least one node of `graph` has, in the fixed order. Every
/// writer declares exactly these keys/columns, after the base ones.
pub(crate) fn present_attrs(graph: &KnowledgeGraph) -> Vec<Attr> {
    Attr::ALL
        .into_iter()
        .filter(|&a| graph.nodes().any(|n| a.value(n).is_some()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes() {
        let s = "a\"b\\c\nd\re\tf\u{1}g\u{fffe}h/«»";
        assert_eq!(
            json_text(s, Escape::Standard).unwrap(),
            r#""a\"b\\c\nd\re\tfgh/«»""#
        );
        assert_eq!(
            json_text(s, Escape::Unicode).unwrap(),
            r#""a\u0022b\u005cc\u000ad\u000de\u0009fgh/«»""#
        );
    }

    #[test]
    fn spaced_layout() {
        let mut buf = Vec::new();
        let v = serde_json::json!({"a": [1, 2], "b": {"c": 1.0}});
        write_json(&mut buf, &v, Clean::new(Spaced, Escape::Standard)).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            r#"{"a": [1, 2], "b": {"c": 1.0}}"#
        );
    }

    #[test]
    fn floats() {
        assert_eq!(fmt_f64(1.0).as_deref(), Some("1.0"));
        assert_eq!(fmt_f64(55.8204).as_deref(), Some("55.8204"));
        assert_eq!(fmt_f64(-0.1).as_deref(), Some("-0.1"));
        assert_eq!(fmt_f64(f64::NAN), None);
        assert_eq!(fmt_f64(f64::INFINITY), None);
        let tiny = fmt_f64(1e-7).unwrap();
        assert_eq!(tiny.parse::<f64>().unwrap(), 1e-7);
    }

    #[test]
    fn nmtokens() {
        assert!(is_nmtoken("attack:2024-03-22-krasnogorsk"));
        assert!(is_nmtoken("e-1f3a9c0d2b4e5f67"));
        assert!(!is_nmtoken(""));
        assert!(!is_nmtoken("a b"));
        assert!(!is_nmtoken("a/b"));
    }

    #[test]
    fn csv_quoting() {
        let mut out = CsvFields::new(Vec::new(), false);
        for f in ["plain", "a,b", "say \"hi\"", "C:\\x", ""] {
            out.field(f).unwrap();
        }
        out.end_record().unwrap();
        assert_eq!(
            String::from_utf8(out.into_inner()).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",C:\\x,\n"
        );
        let mut out = CsvFields::new(Vec::new(), true);
        out.field("C:\\x").unwrap();
        out.field("plain").unwrap();
        out.end_record().unwrap();
        assert_eq!(
            String::from_utf8(out.into_inner()).unwrap(),
            "\"C:\\\\x\",plain\n"
        );
    }
}

/// Which bytes an XML escape replaces, as quick-xml's functions do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XmlEscape {
    /// `partial_escape` (text content): `<` `>` `&` CR.
    Text,
    /// `escape_attribute` (used for `(&str, &str)` attributes): `<` `>` `&` `'` `"` CR LF tab.
    Attr,
}

impl XmlEscape {
    #[inline(always)]
    const fn replaces(self, x: u8) -> bool {
        match self {
            // Bitwise `|`, not `||` nor `matches!`, so that block tests vectorise.
            XmlEscape::Text => (x == b'<') | (x == b'>') | (x == b'&') | (x == b'\r'),
            XmlEscape::Attr => {
                (x == b'<')
                    | (x == b'>')
                    | (x == b'&')
                    | (x == b'\'')
                    | (x == b'"')
                    | (x == b'\r')
                    | (x == b'\n')
                    | (x == b'\t')
            }
        }
    }
}

const fn xml_text_special(x: u8) -> bool {
    XmlEscape::Text.replaces(x)
}

const fn xml_attr_special(x: u8) -> bool {
    XmlEscape::Attr.replaces(x)
}

static XML_TEXT: [bool; 256] = table_of!(xml_text_special);
static XML_ATTR: [bool; 256] = table_of!(xml_attr_special);

/// Appends `s` to `out` with the bytes `escape` replaces written as quick-xml writes them
/// (`&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`, `&#9;`, `&#10;`, `&#13;`): the same text as
/// `quick_xml::escape`'s functions, written into a reused buffer.
pub(crate) fn xml_escape_into(out: &mut String, s: &str, escape: XmlEscape) {
    match escape {
        XmlEscape::Text => escape_with(out, s, xml_text_special, &XML_TEXT),
        XmlEscape::Attr => escape_with(out, s, xml_attr_special, &XML_ATTR),
    }
}

#[inline(always)]
fn escape_with(out: &mut String, s: &str, replaces: impl Fn(u8) -> bool, table: &[bool; 256]) {
    let b = s.as_bytes();
    let mut from = 0;
    loop {
        let i = find_byte_in(b, from, &replaces, table);
        out.push_str(&s[from..i]);
        let Some(&x) = b.get(i) else {
            return;
        };
        out.push_str(match x {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&apos;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\t' => "&#9;",
            b'\n' => "&#10;",
            b'\r' => "&#13;",
            _ => unreachable!("only the bytes an XmlEscape replaces"),
        });
        from = i + 1;
    }
}

/// The content of a start tag, `name key="value" ...`, as quick-xml's
/// `BytesStart::push_attribute` with `(&str, &str)` pairs builds it, into `out` (cleared).
#[cfg(test)]
pub(crate) fn start_tag_into(out: &mut String, name: &str, attrs: &[(&str, &str)]) {
    out.clear();
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        xml_escape_into(out, v, XmlEscape::Attr);
        out.push('"');
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;
    use proptest::prelude::*;
    use quick_xml::events::BytesStart;

    fn texty() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec![
                    '<', '>', '&', '\'', '"', '\r', '\n', '\t', ' ', 'a', 'é', '€', '\u{fffe}',
                    '\u{ffff}', '\u{fffd}', '\u{feff}', '\\', '/', '\u{0}', '\u{8}', '\u{b}',
                    '\u{c}', '\u{1f}', '\u{7f}', '\u{2028}',
                ]),
                1 => any::<char>(),
            ],
            0..60,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn json_strings_like_serde_through_clean(text in texty()) {
            let json = text;
            for escape in [Escape::Standard, Escape::Unicode] {
                let mut out = String::from("x");
                json_str_into(&mut out, &json, escape);
                let want = json_text(json.as_str(), escape).unwrap();
                prop_assert_eq!(&out[1..], want.as_str());
            }
        }

        #[test]
        fn escapes_like_quick_xml(text in texty(), key in "[a-z_]{1,8}") {
            let mut out = String::from("x");
            xml_escape_into(&mut out, &text, XmlEscape::Text);
            let want = quick_xml::escape::partial_escape(text.as_str());
            prop_assert_eq!(&out[1..], want.as_ref());
            let mut tag = String::new();
            start_tag_into(&mut tag, "attvalue", &[("for", key.as_str()), ("value", text.as_str())]);
            let mut start = BytesStart::new("attvalue");
            start.push_attribute(("for", key.as_str()));
            start.push_attribute(("value", text.as_str()));
            prop_assert_eq!(tag.as_str(), &*start);
        }
    }
}
