//! The state file of an import: a journal of JSON lines, appended and synced to disk before the
//! import goes on, so that a run stopped anywhere — a crash, `kill -9`, a lost network — is
//! resumed by the next run of the same command. It records each batch when it is sent and again
//! when the server answered; it holds usernames and fingerprints of rows, never a password nor
//! anything derived from one.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The first line: which import the file belongs to.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    lanyard_import: u32,
    instance: String,
}

const VERSION: u32 = 1;

/// What became of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Sent; no answer recorded yet. Unless an answer follows, the server may or may not have
    /// created it.
    Sent,
    Created,
    /// Found already created when it was sent again after an unanswered attempt.
    Present,
    /// Refused, or not sent because of problems in the file: its rows are sent again next time.
    Failed,
}

/// One line after the head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub state: State,
    pub first_line: u64,
    pub last_line: u64,
    pub rows: usize,
    /// The username of the batch's first row: where the batch begins when the file is read
    /// again (usernames are unique in an instance, line numbers move when rows are removed).
    pub first_username: String,
    /// SHA-256 of the rows' values other than the password.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is damaged at line {line}; delete it to start the import over")]
    Damaged { path: PathBuf, line: usize },
    #[error(
        "{path} is the state of an import into instance {theirs}, not {ours}: use another \
         --state, or delete it to start over"
    )]
    OtherInstance {
        path: PathBuf,
        theirs: String,
        ours: String,
    },
}

pub struct Journal {
    path: PathBuf,
    file: File,
    /// The batches sent, created or found present, by their first username (latest record).
    known: HashMap<String, Entry>,
}

impl Journal {
    /// Opens the state file of an import into `instance`, or starts one.
    pub fn open(path: &Path, instance: &str) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(io)?;
        // A line without its newline is a write that a crash cut short: it never counted.
        let whole = text
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |at| at + 1);
        if whole < text.len() {
            file.set_len(whole as u64).map_err(io)?;
            text.truncate(whole);
        }
        let mut journal = Journal {
            path: path.to_owned(),
            file,
            known: HashMap::new(),
        };
        if text.is_empty() {
            journal.append(&Head {
                lanyard_import: VERSION,
                instance: instance.to_owned(),
            })?;
            // The file's name must survive a crash as well as its lines.
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
            return Ok(journal);
        }
        let damaged = |line| JournalError::Damaged {
            path: path.to_owned(),
            line,
        };
        let mut lines = text.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        let head: Head = lines
            .next()
            .and_then(|line| serde_json::from_slice(line).ok())
            .filter(|head: &Head| head.lanyard_import == VERSION)
            .ok_or_else(|| damaged(1))?;
        for (at, line) in lines.enumerate() {
            let entry: Entry = serde_json::from_slice(line).map_err(|_| damaged(at + 2))?;
            journal.remember(entry);
        }
        if head.instance != instance {
            if !journal.known.is_empty() {
                return Err(JournalError::OtherInstance {
                    path: path.to_owned(),
                    theirs: head.instance,
                    ours: instance.to_owned(),
                });
            }
            // Nothing was created from it (a mistyped --instance, say): start afresh.
            journal.file.set_len(0).map_err(io)?;
            journal.append(&Head {
                lanyard_import: VERSION,
                instance: instance.to_owned(),
            })?;
        }
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn known(&self) -> &HashMap<String, Entry> {
        &self.known
    }

    /// Appends what became of a batch, and returns once it is on disk.
    pub fn record(&mut self, entry: Entry) -> Result<(), JournalError> {
        self.append(&entry)?;
        self.remember(entry);
        Ok(())
    }

    fn remember(&mut self, entry: Entry) {
        if entry.state == State::Failed {
            self.known.remove(&entry.first_username);
        } else {
            self.known.insert(entry.first_username.clone(), entry);
        }
    }

    fn append(&mut self, line: &impl Serialize) -> Result<(), JournalError> {
        let mut text = serde_json::to_vec(line).map_err(|err| JournalError::Io {
            path: self.path.clone(),
            source: err.into(),
        })?;
        text.push(b'\n');
        self.file
            .write_all(&text)
            .and_then(|()| self.file.sync_data())
            .map_err(|source| JournalError::Io {
                path: self.path.clone(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: State, first_username: &str) -> Entry {
        Entry {
            state,
            first_line: 2,
            last_line: 3,
            rows: 2,
            first_username: first_username.into(),
            sha256: "00".into(),
        }
    }

    #[test]
    fn the_latest_record_of_a_batch_counts_and_failed_batches_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv.import-state");
        let mut journal = Journal::open(&path, "inst").unwrap();
        journal.record(entry(State::Sent, "alice")).unwrap();
        journal.record(entry(State::Created, "alice")).unwrap();
        journal.record(entry(State::Sent, "bob")).unwrap();
        journal.record(entry(State::Sent, "carol")).unwrap();
        journal.record(entry(State::Failed, "carol")).unwrap();
        drop(journal);

        let journal = Journal::open(&path, "inst").unwrap();
        let mut known: Vec<(&str, State)> = journal
            .known()
            .iter()
            .map(|(name, e)| (name.as_str(), e.state))
            .collect();
        known.sort_by_key(|(name, _)| *name);
        assert_eq!(known, [("alice", State::Created), ("bob", State::Sent)]);
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_damage_elsewhere_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let mut journal = Journal::open(&path, "inst").unwrap();
        journal.record(entry(State::Sent, "alice")).unwrap();
        drop(journal);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"state\":\"crea");
        std::fs::write(&path, &text).unwrap();

        let mut journal = Journal::open(&path, "inst").unwrap();
        assert_eq!(journal.known()["alice"].state, State::Sent);
        journal.record(entry(State::Created, "alice")).unwrap();
        drop(journal);
        assert_eq!(
            Journal::open(&path, "inst").unwrap().known()["alice"].state,
            State::Created
        );

        let lines: Vec<&str> = text.lines().collect();
        std::fs::write(&path, format!("{}\nnot json\n{}\n", lines[0], lines[1])).unwrap();
        assert_eq!(
            Journal::open(&path, "inst").err().unwrap().to_string(),
            format!(
                "{} is damaged at line 2; delete it to start the import over",
                path.display()
            )
        );
    }

    #[test]
    fn a_state_file_belongs_to_one_instance_once_something_was_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        drop(Journal::open(&path, "mistyped").unwrap());
        let mut journal = Journal::open(&path, "first").unwrap();
        journal.record(entry(State::Sent, "alice")).unwrap();
        drop(journal);
        let err = Journal::open(&path, "second").err().unwrap();
        assert!(matches!(err, JournalError::OtherInstance { .. }), "{err}");
        assert_eq!(Journal::open(&path, "first").unwrap().known().len(), 1);
    }
}
