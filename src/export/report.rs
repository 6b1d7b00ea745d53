//! `report.json`: the run report, pretty-printed with one-space indents, fields in a fixed
//! order and every string [`clean`](super::clean)ed.

use std::io::{self, Write};

use serde_json::ser::PrettyFormatter;

use super::common::{Clean, Escape, write_json};
use crate::report::Report;

/// Writes `report.json`.
pub struct ReportWriter<W: Write> {
    w: W,
}

impl<W: Write> ReportWriter<W> {
    pub fn new(w: W) -> ReportWriter<W> {
        ReportWriter { w }
    }

    pub fn into_inner(self) -> W {
        self.w
    }

    pub fn write_report(&mut self, report: &Report) -> io::Result<()> {
        let fmt = Clean::new(PrettyFormatter::with_indent(b" "), Escape::Standard);
        write_json(&mut self.w, report, fmt)?;
        self.w.write_all(b"\n")
    }
}
