//! Date expressions in a sentence ("on Friday", "in August 2021", "last January", "on 22
//! March", "April 15, 2013", "yesterday") and their resolution against the document's date.

use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::month_number;

/// A date as precise as the text allows: a year, a month or a day. ISO 8601 reduced
/// precision when written (`2021`, `2021-08`, `2021-08-26`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: Option<i16>,
    pub month: Option<i8>,
    pub day: Option<i8>,
    /// The weekday the text names ("on Friday") when the date itself is unknown.
    pub weekday: Option<i8>,
}

impl PartialDate {
    pub fn ymd(y: i16, m: i8, d: i8) -> PartialDate {
        PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            weekday: None,
        }
    }

    /// The ISO 8601 form (`2024`, `2024-03`, `2024-03-22`), or `None` without a year.
    pub fn iso(&self) -> Option<String> {
        let y = self.year?;
        Some(match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        })
    }

    /// Parses `2024`, `2024-03` or `2024-03-22`.
    pub fn parse_iso(s: &str) -> Option<PartialDate> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map(|m| m.parse()).transpose().ok()?;
        let day = parts.next().map(|d| d.parse()).transpose().ok()?;
        Some(PartialDate {
            year: Some(year),
            month,
            day,
            weekday: None,
        })
    }

    fn full(&self) -> Option<Date> {
        Date::new(self.year?, self.month?, self.day?).ok()
    }

    /// True when both can be the same day: every field known on both sides agrees, and a
    /// weekday agrees with a full date.
    pub fn compatible(&self, other: &PartialDate) -> bool {
        fn eq<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            match (a, b) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
        }
        if !(eq(self.year, other.year) && eq(self.month, other.month) && eq(self.day, other.day)) {
            return false;
        }
        let wd = |d: &PartialDate| d.full().map(|f| f.weekday().to_monday_zero_offset());
        match (self.weekday.or(wd(self)), other.weekday.or(wd(other))) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// True when both are compatible and share something known: the same year, the same
    /// weekday, or a full date and its weekday.
    pub fn agrees(&self, other: &PartialDate) -> bool {
        if !self.compatible(other) {
            return false;
        }
        let wd = |d: &PartialDate| {
            d.weekday
                .or(d.full().map(|f| f.weekday().to_monday_zero_offset()))
        };
        (self.year.is_some() && other.year.is_some())
            || (self.month.is_some() && other.month.is_some())
            || (wd(self).is_some() && wd(other).is_some())
    }

    /// How many of year, month, day are known (a weekday counts as half a day).
    pub fn precision(&self) -> u8 {
        u8::from(self.year.is_some()) * 2
            + u8::from(self.month.is_some()) * 2
            + u8::from(self.day.is_some()) * 2
            + u8::from(self.weekday.is_some())
    }

    /// Known at all (any field).
    pub fn is_known(&self) -> bool {
        self.precision() > 0
    }
}

/// A date expression found in text: byte range in the sentence and its resolved value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

static DATE_EXPR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?:
            (?P<mdy_m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<mdy_y>(?:19|20)\d{2}))?
          | (?P<dmy_d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:,?\s+(?P<dmy_y>(?:19|20)\d{2}))?
          | (?:(?P<my_rel>last|this|earlier\s+this|late|early)\s+)?(?P<my_m>january|february|march|april|june|july|august|september|october|november|december)(?:\s+(?:of\s+)?(?P<my_y>(?:19|20)\d{2}))?
          | (?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})
          | (?:in|since|during|of)\s+(?P<year>(?:19|20)\d{2})\b
          | (?P<yrel>last|this|earlier\s+this)\s+year
          | (?P<mrel>earlier\s+this|this|last)\s+month
          | (?:on\s+|last\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)
          | (?P<yest>yesterday|last\s+night)
          | (?P<today>today|tonight|this\s+morning|this\s+evening|this\s+afternoon)
        )\b",
    )
    .expect("date expression regex")
});

fn weekday_index(w: &str) -> Option<i8> {
    let w = w.to_ascii_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .position(|d| *d == w)
    .map(|i| i as i8)
}

/// Finds the date expressions of a sentence, resolved against the document date `doc_date`
/// (a relative expression without a document date keeps what it knows: a weekday, a month).
pub fn find_dates(sentence: &str, doc_date: Option<Date>) -> Vec<DateExpr> {
    let mut out = Vec::new();
    for caps in DATE_EXPR.captures_iter(sentence) {
        let Some(whole) = caps.get(0) else { continue };
        let text = whole.as_str();
        // "may" as a verb: only "May" capitalised, or followed by a day or year.
        if let Some(m) = caps
            .name("my_m")
            .or(caps.name("mdy_m"))
            .or(caps.name("dmy_m"))
            && m.as_str().eq_ignore_ascii_case("may")
            && !m.as_str().starts_with('M')
        {
            continue;
        }
        let day_month = |m: &str, d: &str, y: &str| -> Option<PartialDate> {
            let m = caps.name(m)?;
            let month = month_number(m.as_str()).map(|m| m as i8);
            let day = caps.name(d).and_then(|d| d.as_str().parse().ok());
            let year = caps
                .name(y)
                .and_then(|y| y.as_str().parse().ok())
                .or_else(|| infer_year(doc_date, month, day));
            Some(PartialDate {
                year,
                month,
                day,
                weekday: None,
            })
        };
        let date = if let Some(d) = day_month("mdy_m", "mdy_d", "mdy_y") {
            d
        } else if let Some(d) = day_month("dmy_m", "dmy_d", "dmy_y") {
            d
        } else if let Some(m) = caps.name("my_m") {
            let month = month_number(m.as_str()).map(|m| m as i8);
            let year = caps
                .name("my_y")
                .and_then(|y| y.as_str().parse().ok())
                .or_else(|| infer_year(doc_date, month, None));
            // A bare month name without year, relative word or document date says little,
            // but is kept: it still separates January from March.
            PartialDate {
                year,
                month,
                day: None,
                weekday: None,
            }
        } else if let Some(iso) = caps.name("iso") {
            match PartialDate::parse_iso(iso.as_str()) {
                Some(d) if d.full().is_some() => d,
                _ => continue,
            }
        } else if let Some(y) = caps.name("year") {
            PartialDate {
                year: y.as_str().parse().ok(),
                month: None,
                day: None,
                weekday: None,
            }
        } else if let Some(r) = caps.name("yrel") {
            let Some(d) = doc_date else { continue };
            let y = if r.as_str().eq_ignore_ascii_case("last") {
                d.year() - 1
            } else {
                d.year()
            };
            PartialDate {
                year: Some(y),
                month: None,
                day: None,
                weekday: None,
            }
        } else if let Some(r) = caps.name("mrel") {
            let Some(d) = doc_date else { continue };
            let d = if r.as_str().eq_ignore_ascii_case("last") {
                d.checked_sub(jiff::Span::new().months(1)).unwrap_or(d)
            } else {
                d
            };
            PartialDate {
                year: Some(d.year()),
                month: Some(d.month()),
                day: None,
                weekday: None,
            }
        } else if let Some(w) = caps.name("wd") {
            let Some(wd) = weekday_index(w.as_str()) else {
                continue;
            };
            match doc_date {
                Some(d) => {
                    let date = last_weekday_on_or_before(d, wd);
                    PartialDate::ymd(date.year(), date.month(), date.day())
                }
                None => PartialDate {
                    year: None,
                    month: None,
                    day: None,
                    weekday: Some(wd),
                },
            }
        } else if caps.name("yest").is_some() {
            let Some(d) = doc_date else { continue };
            let y = d.yesterday().unwrap_or(d);
            PartialDate::ymd(y.year(), y.month(), y.day())
        } else if caps.name("today").is_some() {
            let Some(d) = doc_date else { continue };
            PartialDate::ymd(d.year(), d.month(), d.day())
        } else {
            continue;
        };
        if !date.is_known() {
            continue;
        }
        let _ = text;
        out.push(DateExpr {
            start: whole.start(),
            end: whole.end(),
            date,
        });
    }
    out
}

/// The year of a day-month (or month) mentioned without a year: the document's year, or the
/// year before when that would put it after the document.
fn infer_year(doc_date: Option<Date>, month: Option<i8>, day: Option<i8>) -> Option<i16> {
    let d = doc_date?;
    let m = month?;
    let after = m > d.month() || (m == d.month() && day.is_some_and(|day| day > d.day()));
    Some(if after { d.year() - 1 } else { d.year() })
}

/// The latest date on or before `d` that falls on weekday `wd` (0 = Monday).
fn last_weekday_on_or_before(d: Date, wd: i8) -> Date {
    let cur = d.weekday().to_monday_zero_offset();
    let back = (cur - wd).rem_euclid(7);
    d.checked_sub(jiff::Span::new().days(i64::from(back)))
        .unwrap_or(d)
}

/// Parses a document date (`2024-03-23`).
pub fn parse_doc_date(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

#[allow(dead_code)]
fn _weekday_type_check(w: Weekday) -> i8 {
    w.to_monday_zero_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str, doc: Option<&str>) -> Vec<(String, Option<String>)> {
        let d = doc.and_then(parse_doc_date);
        find_dates(s, d)
            .into_iter()
            .map(|e| (s[e.start..e.end].to_string(), e.date.iso()))
            .collect()
    }

    #[test]
    fn resolves_relative_dates_against_the_document_date() {
        // 2024-03-23 is a Saturday.
        assert_eq!(
            dates("killed 60 people on Friday", Some("2024-03-23")),
            vec![("on Friday".into(), Some("2024-03-22".into()))]
        );
        assert_eq!(
            dates("In a post last January, it said", Some("2024-03-22")),
            vec![("last January".into(), Some("2024-01".into()))]
        );
        assert_eq!(
            dates("Earlier this year the US said", Some("2024-03-23")),
            vec![("Earlier this year".into(), Some("2024".into()))]
        );
        assert_eq!(
            dates("a bombing at the airport in August 2021", None),
            vec![("August 2021".into(), Some("2021-08".into()))]
        );
        assert_eq!(
            dates("the attack on 22 March, killing", Some("2024-03-23")),
            vec![("22 March".into(), Some("2024-03-22".into()))]
        );
        assert_eq!(
            dates("the April 15, 2013, attack", None),
            vec![("April 15, 2013".into(), Some("2013-04-15".into()))]
        );
        assert_eq!(
            dates("it may rain in 2021", None),
            vec![("in 2021".into(), Some("2021".into()))]
        );
    }

    #[test]
    fn weekday_without_document_date_is_kept_for_matching() {
        let d = find_dates("on Friday evening", None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].date.weekday, Some(4));
        assert_eq!(d[0].date.iso(), None);
        assert!(d[0].date.compatible(&PartialDate::ymd(2024, 3, 22)));
        assert!(!d[0].date.compatible(&PartialDate::ymd(2024, 3, 23)));
    }

    #[test]
    fn compatibility_of_partial_dates() {
        let y2021 = PartialDate::parse_iso("2021").unwrap();
        let aug = PartialDate::parse_iso("2021-08").unwrap();
        let day = PartialDate::parse_iso("2021-08-26").unwrap();
        assert!(y2021.compatible(&aug) && aug.compatible(&day) && y2021.compatible(&day));
        assert!(!aug.compatible(&PartialDate::parse_iso("2022-09").unwrap()));
    }
}
