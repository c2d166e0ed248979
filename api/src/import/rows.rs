//! The CSV file, record by record: the header names the columns (those of the console's
//! import, `web/src/csv.ts`), and each record becomes a row for `importUsers`, or a problem of
//! its own that the report shows at the record's line. Records are read one at a time; the file
//! is never held in memory.

use std::collections::VecDeque;
use std::io::Read;

use serde::Serialize;

/// The columns a header may name, as the console's import names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Username,
    DisplayName,
    Email,
    Phone,
    ExternalId,
    Password,
    GroupIds,
    OrgUnitIds,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Username,
        Column::DisplayName,
        Column::Email,
        Column::Phone,
        Column::ExternalId,
        Column::Password,
        Column::GroupIds,
        Column::OrgUnitIds,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Username => "username",
            Column::DisplayName => "displayName",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::ExternalId => "externalId",
            Column::Password => "password",
            Column::GroupIds => "groupIds",
            Column::OrgUnitIds => "orgUnitIds",
        }
    }

    fn named(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

fn column_list() -> String {
    Column::ALL.map(Column::name).join(", ")
}

/// Why the header cannot be used; nothing is sent then.
#[derive(Debug, thiserror::Error)]
pub enum HeaderError {
    #[error(
        "the file is empty: its first line must name the columns ({})",
        column_list()
    )]
    Empty,
    #[error("the header (line 1) is not UTF-8: save the file as UTF-8")]
    NotUtf8,
    #[error("unknown column {0:?} in the header; the columns are {list}", list = column_list())]
    Unknown(String),
    #[error("the header {0:?} is not separated by commas: save the file as CSV with commas")]
    NotCommas(String),
    #[error("the column {0:?} appears twice in the header")]
    Repeated(&'static str),
    #[error("the header has no username column")]
    NoUsername,
    #[error("reading the header: {0}")]
    Read(#[from] csv::Error),
}

/// A row longer than this is refused here: no value the server accepts comes close, and a
/// request must stay well below the server's body limit.
pub const MAX_ROW_BYTES: usize = 64 * 1024;

/// One user as `importUsers` takes it (`ImportUserRow`); values trimmed, empty ones left out.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub org_unit_ids: Vec<String>,
}

impl UserRow {
    /// What identifies the row in the state file's fingerprints: every value but the password,
    /// so that the state file holds nothing derived from one.
    pub fn fingerprint_bytes(&self) -> Vec<u8> {
        serde_json::json!([
            self.username,
            self.display_name,
            self.email,
            self.phone,
            self.external_id,
            self.group_ids,
            self.org_unit_ids,
        ])
        .to_string()
        .into_bytes()
    }
}

/// What is wrong with a record before it is sent.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<&'static str>,
    pub message: String,
}

/// One record of the file.
#[derive(Debug)]
pub struct Record {
    /// The line the record starts on (1 is the header).
    pub line: u64,
    /// Its username as written (trimmed), also when the record has a problem: the report's
    /// column, and how a batch imported earlier is recognised.
    pub username: String,
    /// The record's size in the file, toward the request's size.
    pub bytes: usize,
    pub row: Result<UserRow, Problem>,
}

/// The records of a CSV file with a valid header.
pub struct Rows<R: Read> {
    reader: csv::Reader<Counted<R>>,
    columns: Vec<Column>,
    record: csv::ByteRecord,
}

impl<R: Read> Rows<R> {
    /// Reads and checks the header.
    pub fn new(input: R) -> Result<Rows<R>, HeaderError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(Counted {
                inner: input,
                offset: 0,
                breaks: VecDeque::new(),
                before: 0,
                carriage_return: None,
                exhausted: false,
            });
        let mut header = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut header)? {
            return Err(HeaderError::Empty);
        }
        let mut columns = Vec::with_capacity(header.len());
        for (at, raw) in header.iter().enumerate() {
            let mut name = std::str::from_utf8(raw).map_err(|_| HeaderError::NotUtf8)?;
            if at == 0 {
                name = name.trim_start_matches('\u{feff}');
            }
            let name = name.trim();
            let column = Column::named(name).ok_or_else(|| {
                if name.contains([';', '\t']) {
                    HeaderError::NotCommas(name.into())
                } else {
                    HeaderError::Unknown(name.into())
                }
            })?;
            if columns.contains(&column) {
                return Err(HeaderError::Repeated(column.name()));
            }
            columns.push(column);
        }
        if !columns.contains(&Column::Username) {
            return Err(HeaderError::NoUsername);
        }
        Ok(Rows {
            reader,
            columns,
            record: csv::ByteRecord::new(),
        })
    }

    pub fn has(&self, column: Column) -> bool {
        self.columns.contains(&column)
    }

    /// The next record that is not blank; `None` at the end of the file. An error is a failure
    /// to read the file itself.
    pub fn next_record(&mut self) -> Result<Option<Record>, csv::Error> {
        loop {
            if !self.reader.read_byte_record(&mut self.record)? {
                return Ok(None);
            }
            let blank = self
                .record
                .iter()
                .all(|field| field.iter().all(u8::is_ascii_whitespace));
            if blank {
                continue;
            }
            // The record's terminator is the last byte read — unless the file ended the record,
            // and then every byte read is the record's, even a line break inside a quote left
            // open. Its line, less the breaks inside its fields, is its first line. (csv's own
            // start position counts the blank lines it skipped before the record.)
            let end = self.reader.position().byte();
            let counted = self.reader.get_mut();
            let through = if counted.exhausted && end == counted.offset {
                end
            } else {
                end.saturating_sub(1)
            };
            let last = counted.breaks_before(through) + 1;
            let inside: usize = self.record.iter().map(line_breaks).sum();
            let line = last.saturating_sub(inside as u64);
            return Ok(Some(self.convert(line)));
        }
    }

    fn convert(&self, line: u64) -> Record {
        let username = self
            .columns
            .iter()
            .position(|c| *c == Column::Username)
            .and_then(|at| self.record.get(at))
            .map(|raw| String::from_utf8_lossy(raw).trim().to_owned())
            .unwrap_or_default();
        let bytes = self.record.as_slice().len();
        Record {
            line,
            username,
            bytes,
            row: self.row(bytes),
        }
    }

    fn row(&self, bytes: usize) -> Result<UserRow, Problem> {
        if self.record.len() != self.columns.len() {
            return Err(Problem {
                field: None,
                message: format!(
                    "the row has {} fields where the header names {}: check its commas and quotes",
                    self.record.len(),
                    self.columns.len()
                ),
            });
        }
        if bytes > MAX_ROW_BYTES {
            let longest = self
                .columns
                .iter()
                .zip(self.record.iter())
                .max_by_key(|(_, raw)| raw.len())
                .map(|(column, _)| column.name());
            return Err(Problem {
                field: longest,
                message: format!(
                    "the row is {bytes} bytes long; at most {} KiB are accepted",
                    MAX_ROW_BYTES / 1024
                ),
            });
        }
        let mut row = UserRow::default();
        for (&column, raw) in self.columns.iter().zip(self.record.iter()) {
            let value = std::str::from_utf8(raw)
                .map_err(|err| Problem {
                    field: Some(column.name()),
                    message: format!(
                        "not UTF-8 (an invalid byte after {} bytes of the value): save the file as UTF-8",
                        err.valid_up_to()
                    ),
                })?
                .trim();
            if value.contains('\0') {
                return Err(Problem {
                    field: Some(column.name()),
                    message: "contains a NUL character".into(),
                });
            }
            let text = (!value.is_empty()).then(|| value.to_owned());
            match column {
                Column::Username => row.username = value.to_owned(),
                Column::DisplayName => row.display_name = text,
                Column::Email => row.email = text,
                Column::Phone => row.phone = text,
                Column::ExternalId => row.external_id = text,
                Column::Password => row.password = text,
                Column::GroupIds => row.group_ids = ids(value),
                Column::OrgUnitIds => row.org_unit_ids = ids(value),
            }
        }
        Ok(row)
    }
}

/// How many line breaks `bytes` hold: LF, CRLF (once) and a lone CR, as csv ends records.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(at, b)| **b == b'\n' || (**b == b'\r' && bytes.get(at + 1) != Some(&b'\n')))
        .count()
}

/// The file as csv reads it, counting its line breaks (LF, CRLF once, a lone CR): csv's own
/// line numbers miss the breaks inside quoted fields (csv-core scans a field's bytes without
/// looking at them).
struct Counted<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the line breaks read and not yet counted in `before`.
    breaks: VecDeque<u64>,
    before: u64,
    /// The offset of a CR just read, a break of its own unless an LF follows.
    carriage_return: Option<u64>,
    /// Whether the file has ended: csv asks for more only within a record it cannot end
    /// yet, so a record read up to here was ended by the file, not by a line break.
    exhausted: bool,
}

impl<R> Counted<R> {
    /// How many line breaks the file has before `offset`; offsets asked for never go back.
    fn breaks_before(&mut self, offset: u64) -> u64 {
        while self.breaks.front().is_some_and(|at| *at < offset) {
            self.breaks.pop_front();
            self.before += 1;
        }
        self.before
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.exhausted |= read == 0 && !buf.is_empty();
        for (at, byte) in buf[..read].iter().enumerate() {
            let offset = self.offset + at as u64;
            // A CR followed by anything but LF was a line break; CRLF is one, at the LF.
            if let Some(cr) = self.carriage_return.take() {
                if *byte != b'\n' {
                    self.breaks.push_back(cr);
                }
            }
            match byte {
                b'\n' => self.breaks.push_back(offset),
                b'\r' => self.carriage_return = Some(offset),
                _ => {}
            }
        }
        if self.exhausted {
            if let Some(cr) = self.carriage_return.take() {
                self.breaks.push_back(cr);
            }
        }
        self.offset += read as u64;
        Ok(read)
    }
}

/// Ids separated by `;`, as the console reads them.
fn ids(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Rows<&[u8]> {
        Rows::new(text).unwrap()
    }

    fn all(text: &[u8]) -> Vec<Record> {
        let mut rows = rows(text);
        let mut found = Vec::new();
        while let Some(record) = rows.next_record().unwrap() {
            found.push(record);
        }
        found
    }

    #[test]
    fn the_header_names_known_columns_once_with_a_username() {
        let header = |text: &'static str| Rows::new(text.as_bytes()).err().map(|e| e.to_string());
        assert_eq!(header("\u{feff}username , email\n"), None);
        assert!(header("").unwrap().starts_with("the file is empty"));
        assert!(header("username,mail\n").unwrap().starts_with(
            "unknown column \"mail\" in the header; the columns are username, displayName,"
        ));
        assert_eq!(
            header("username;email\n").unwrap(),
            "the header \"username;email\" is not separated by commas: save the file as CSV with commas"
        );
        assert_eq!(
            header("username,email,email\n").unwrap(),
            "the column \"email\" appears twice in the header"
        );
        assert_eq!(
            header("email\n").unwrap(),
            "the header has no username column"
        );
        assert!(matches!(
            Rows::new(&b"user\xffname\n"[..]),
            Err(HeaderError::NotUtf8)
        ));
    }

    #[test]
    fn records_become_rows_as_the_console_reads_them() {
        let found = all(b"username,displayName,groupIds,password\n\
            \" alice \",\"Alice \"\"A\"\" Liddell\", g1 ; g2 ;,\n\
            \n\
            ,  ,,\n\
            bob,\"two\nlines\",,secret-pw\r\n\
            carol,,,\n");
        let lines: Vec<u64> = found.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5, 7], "blank lines and rows are skipped");
        let alice = found[0].row.as_ref().unwrap();
        assert_eq!(
            alice,
            &UserRow {
                username: "alice".into(),
                display_name: Some("Alice \"A\" Liddell".into()),
                group_ids: vec!["g1".into(), "g2".into()],
                ..UserRow::default()
            }
        );
        let bob = found[1].row.as_ref().unwrap();
        assert_eq!(bob.display_name.as_deref(), Some("two\nlines"));
        assert_eq!(bob.password.as_deref(), Some("secret-pw"));
        assert_eq!(
            serde_json::to_value(found[2].row.as_ref().unwrap()).unwrap(),
            serde_json::json!({ "username": "carol" })
        );
    }

    #[test]
    fn a_record_is_found_at_the_line_it_starts_on() {
        let text = "username,displayName\n\na,\"one\n\ntwo\"\n\n\nb,\"\"\n \nc,x\n\"d\n";
        // The last record's quote runs to the end of the file, line break included.
        let expected = [3, 8, 10, 11];
        for text in [
            text.to_owned(),
            text.replace('\n', "\r\n"),
            text.replace('\n', "\r"),
        ] {
            let lines: Vec<u64> = all(text.as_bytes()).iter().map(|r| r.line).collect();
            assert_eq!(lines, expected, "{text:?}");
        }
        // Line endings mixed in one file (found by fuzzing): a lone CR is a line of its own.
        let mixed = all(b"username,email\r,\"x@corp.example\"\r\n\rb,\"\r\n\"\nc,");
        assert_eq!(mixed.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4, 6]);
    }

    #[test]
    fn a_bad_record_is_a_problem_of_its_own() {
        let long = "x".repeat(MAX_ROW_BYTES);
        let text = format!(
            "username,email\nragged\nbad,mail\u{0}x\nlong,{long}\nok,ok@example.com\n,a,b\n"
        );
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"latin1,caf\xe9@example.com\n");
        let found = all(&bytes);
        let problems: Vec<(u64, &str, Option<&str>)> = found
            .iter()
            .filter_map(|r| {
                r.row
                    .as_ref()
                    .err()
                    .map(|p| (r.line, r.username.as_str(), p.field))
            })
            .collect();
        assert_eq!(
            problems,
            [
                (2, "ragged", None),
                (3, "bad", Some("email")),
                (4, "long", Some("email")),
                (6, "", None),
                (7, "latin1", Some("email")),
            ]
        );
        assert!(found[3].row.as_ref().is_ok());
        let latin1 = found[5].row.as_ref().unwrap_err();
        assert_eq!(
            latin1.message,
            "not UTF-8 (an invalid byte after 3 bytes of the value): save the file as UTF-8"
        );
    }

    #[test]
    fn fingerprints_leave_the_password_out() {
        let mut row = UserRow {
            username: "alice".into(),
            password: Some("first-password".into()),
            ..UserRow::default()
        };
        let before = row.fingerprint_bytes();
        row.password = Some("second-password".into());
        assert_eq!(row.fingerprint_bytes(), before);
        row.email = Some("a@example.com".into());
        assert_ne!(row.fingerprint_bytes(), before);
        assert!(!String::from_utf8(before).unwrap().contains("password"));
    }
}
