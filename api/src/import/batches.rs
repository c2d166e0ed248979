//! Cutting the file's rows into the batches that are sent, and finding again the batches an
//! earlier run created or sent: such a batch begins at the row with its first username and
//! takes as many rows as it had, so that rows removed or added elsewhere in the file do not
//! move it. New rows never join it, and it is never cut differently.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use sha2::{Digest, Sha256};

use super::journal::{Entry, State};
use super::rows::{Record, Rows};

/// What a row adds to a request beyond its values: names of the fields, quotes, commas.
const ROW_OVERHEAD_BYTES: usize = 128;

/// How large a new batch may grow.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub rows: usize,
    pub bytes: usize,
}

pub struct Batch<'j> {
    /// What the state file says of this batch, when an earlier run sent it.
    pub known: Option<&'j Entry>,
    pub records: Vec<Record>,
    bytes: usize,
}

impl<'j> Batch<'j> {
    fn new(known: Option<&'j Entry>, first: Record) -> Batch<'j> {
        let mut batch = Batch {
            known,
            records: Vec::new(),
            bytes: 0,
        };
        batch.push(first);
        batch
    }

    fn push(&mut self, record: Record) {
        self.bytes += record.bytes + ROW_OVERHEAD_BYTES;
        self.records.push(record);
    }

    pub fn first_line(&self) -> u64 {
        self.records.first().map_or(0, |r| r.line)
    }

    pub fn last_line(&self) -> u64 {
        self.records.last().map_or(0, |r| r.line)
    }

    /// `lines 2–1001`, as messages name a batch.
    pub fn lines(&self) -> String {
        format!("lines {}–{}", self.first_line(), self.last_line())
    }

    fn sha256(&self) -> String {
        let mut hasher = Sha256::new();
        for record in &self.records {
            match &record.row {
                Ok(row) => hasher.update(row.fingerprint_bytes()),
                Err(_) => hasher.update(b"(a row with a problem)"),
            }
            hasher.update(b"\n");
        }
        format!("{:x}", hasher.finalize())
    }

    /// Whether the rows are those the state file recorded (a batch it does not know has none
    /// to compare).
    pub fn unchanged(&self) -> bool {
        self.known
            .is_none_or(|known| known.rows == self.records.len() && known.sha256 == self.sha256())
    }

    /// The state file's line for this batch.
    pub fn entry(&self, state: State) -> Entry {
        Entry {
            state,
            first_line: self.first_line(),
            last_line: self.last_line(),
            rows: self.records.len(),
            first_username: self
                .records
                .first()
                .map(|r| r.username.clone())
                .unwrap_or_default(),
            sha256: self.sha256(),
        }
    }
}

/// The batches of a file, in order.
pub struct Batches<'j, R: Read> {
    rows: Rows<R>,
    known: &'j HashMap<String, Entry>,
    /// First usernames of known batches already found: a username repeated further down the
    /// file does not begin the batch again.
    found: HashSet<String>,
    pending: Option<Record>,
    limits: Limits,
}

impl<'j, R: Read> Batches<'j, R> {
    pub fn new(rows: Rows<R>, known: &'j HashMap<String, Entry>, limits: Limits) -> Self {
        Batches {
            rows,
            known,
            found: HashSet::new(),
            pending: None,
            limits,
        }
    }

    /// Known batches that the file no longer holds.
    pub fn known_but_missing(&self) -> usize {
        self.known.len() - self.found.len()
    }

    pub fn next_batch(&mut self) -> Result<Option<Batch<'j>>, csv::Error> {
        let Some(first) = self.next_record()? else {
            return Ok(None);
        };
        let known = self.known_batch(&first.username);
        if let Some(entry) = known {
            self.found.insert(entry.first_username.clone());
        }
        let mut batch = Batch::new(known, first);
        match known {
            Some(entry) => {
                while batch.records.len() < entry.rows {
                    match self.next_record()? {
                        Some(record) => batch.push(record),
                        None => break,
                    }
                }
            }
            None => {
                while let Some(record) = self.next_record()? {
                    let full = batch.records.len() >= self.limits.rows
                        || batch.bytes + record.bytes + ROW_OVERHEAD_BYTES > self.limits.bytes;
                    if full || self.known_batch(&record.username).is_some() {
                        self.pending = Some(record);
                        break;
                    }
                    batch.push(record);
                }
            }
        }
        Ok(Some(batch))
    }

    fn next_record(&mut self) -> Result<Option<Record>, csv::Error> {
        match self.pending.take() {
            Some(record) => Ok(Some(record)),
            None => self.rows.next_record(),
        }
    }

    /// The batch an earlier run sent beginning with this username, if not found already.
    fn known_batch(&self, username: &str) -> Option<&'j Entry> {
        if username.is_empty() || self.found.contains(username) {
            return None;
        }
        self.known.get(username)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        rows: 3,
        bytes: 1 << 20,
    };

    fn csv(usernames: &[&str]) -> String {
        let mut text = String::from("username\n");
        for name in usernames {
            text.push_str(name);
            text.push('\n');
        }
        text
    }

    /// The batches of `text`: first username, rows, what the state file knew, unchanged.
    fn cut(
        text: &str,
        known: &HashMap<String, Entry>,
        limits: Limits,
    ) -> Vec<(String, usize, Option<State>, bool)> {
        let mut batches = Batches::new(Rows::new(text.as_bytes()).unwrap(), known, limits);
        let mut found = Vec::new();
        while let Some(batch) = batches.next_batch().unwrap() {
            found.push((
                batch.records[0].username.clone(),
                batch.records.len(),
                batch.known.map(|k| k.state),
                batch.unchanged(),
            ));
        }
        found
    }

    /// What a state file knows after every batch of `text` was `state`.
    fn record_all(text: &str, state: State) -> HashMap<String, Entry> {
        let none = HashMap::new();
        let mut batches = Batches::new(Rows::new(text.as_bytes()).unwrap(), &none, LIMITS);
        let mut known = HashMap::new();
        while let Some(batch) = batches.next_batch().unwrap() {
            let entry = batch.entry(state);
            known.insert(entry.first_username.clone(), entry);
        }
        known
    }

    #[test]
    fn new_rows_are_cut_by_count_and_by_size() {
        let none = HashMap::new();
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        let sizes: Vec<usize> = cut(&csv(&names), &none, LIMITS)
            .iter()
            .map(|b| b.1)
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        let small = Limits {
            rows: 1000,
            bytes: 2 * ROW_OVERHEAD_BYTES + 2,
        };
        let sizes: Vec<usize> = cut(&csv(&names), &none, small)
            .iter()
            .map(|b| b.1)
            .collect();
        assert_eq!(sizes, [2, 2, 2, 1]);
    }

    #[test]
    fn batches_created_before_are_found_by_their_first_username_wherever_they_moved() {
        let mut known = record_all(&csv(&["a", "b", "c", "d", "e", "f", "g"]), State::Created);
        // The batch d–f was refused: its rows are new again.
        known.remove("d");
        // "n" added before the batch a–c, "e" removed and "x" added after it.
        let again = cut(
            &csv(&["n", "a", "b", "c", "d", "f", "x", "g"]),
            &known,
            LIMITS,
        );
        let created = Some(State::Created);
        assert_eq!(
            again,
            [
                ("n".to_owned(), 1, None, true),
                ("a".to_owned(), 3, created, true),
                ("d".to_owned(), 3, None, true),
                ("g".to_owned(), 1, created, true),
            ]
        );
        // A row removed from a batch created before changes it.
        let changed = cut(&csv(&["a", "c", "d", "g"]), &known, LIMITS);
        assert_eq!(changed[0], ("a".to_owned(), 3, created, false));
    }

    #[test]
    fn a_known_batch_keeps_its_rows_and_a_repeated_first_username_does_not_restart_it() {
        let known = record_all(&csv(&["a", "b", "c"]), State::Sent);
        let again = cut(&csv(&["n", "a", "b", "c", "a", "m"]), &known, LIMITS);
        assert_eq!(
            again,
            [
                ("n".to_owned(), 1, None, true),
                ("a".to_owned(), 3, Some(State::Sent), true),
                ("a".to_owned(), 2, None, true),
            ]
        );
        let changed = cut(&csv(&["a", "b", "z"]), &known, LIMITS);
        assert_eq!(changed, [("a".to_owned(), 3, Some(State::Sent), false)]);
    }
}
