//! `lanyard import`: creates the users of a CSV file through the server's `importUsers`
//! mutation, as an admin's script would, so that the server's permits, audit log and events
//! apply, and any node or a balancer in front of a cluster will do. Rows go in batches (at most
//! 1,000), each created whole or not at all; a refused batch's row errors go to a report file
//! and the import goes on. A state file beside the CSV makes every run resumable: batches
//! created before are skipped, refused ones are sent again (`docs/decisions.md`, "Importing
//! users from a CSV file").
//!
//! It is a client of the GraphQL API only, and imports nothing of the server.

mod batches;
mod journal;
mod progress;
pub mod rows;
mod server;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use secrecy::SecretString;

use batches::{Batch, Batches, Limits};
use journal::{Journal, State};
use progress::Progress;
use rows::{Column, Rows, UserRow};
use server::{Answer, RowError, Server, ServerError};

/// The most rows `importUsers` takes per call.
const MAX_BATCH_ROWS: u16 = 1000;

/// Rows per request when the file has passwords: the server hashes each one (Argon2id, tens of
/// milliseconds), and a request must end within its `graphql.timeout_ms` (30 s by default).
const PASSWORD_BATCH_ROWS: u16 = 100;

/// The most a request may carry, half the server's default body limit.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The CSV file (UTF-8): a header row naming the columns — username, displayName, email,
    /// phone, externalId, password, groupIds, orgUnitIds (ids separated by `;`) — then a user a
    /// row.
    pub file: PathBuf,
    /// The instance to create the users in.
    #[arg(long)]
    pub instance: String,
    /// The server's URL: a node's, or the balancer's in front of a cluster.
    #[arg(long, env = "LANYARD_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// An API token allowed to import users into the instance (LANYARD_TOKEN keeps it out of
    /// the process list).
    #[arg(long, env = "LANYARD_TOKEN", hide_env_values = true)]
    pub token: SecretString,
    /// Rows per request, 1 to 1000 [default: 1000, or 100 when the file has a password column]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: Option<u16>,
    /// Where the rows that were not imported are listed, with the reason [default:
    /// FILE.import-report.csv]
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// The state file that lets the next run go on where this one stopped [default:
    /// FILE.import-state]
    #[arg(long)]
    pub state: Option<PathBuf>,
}

/// What a run did, by rows.
#[derive(Debug, Default)]
struct Tally {
    /// Rows this run sent, or kept back for problems in the file.
    sent: u64,
    created: u64,
    /// Rows of refused batches, or of batches not sent because of problems in the file.
    failed: u64,
    /// The rows the report names.
    with_errors: u64,
    /// Rows created by an earlier run, or found created when sent again after an unanswered
    /// attempt.
    skipped: u64,
}

/// Runs an import; an error when a row was not imported, after the summary.
pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let file = args.file.as_path();
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| beside(file, ".import-report.csv"));
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| beside(file, ".import-state"));
    for (flag, path) in [("--report", &report_path), ("--state", &state_path)] {
        if same_file(file, path) {
            bail!("{flag} {} is the CSV file itself", path.display());
        }
    }

    let rows = open(file)?;
    let batch_rows = args.batch_size.unwrap_or(if rows.has(Column::Password) {
        PASSWORD_BATCH_ROWS
    } else {
        MAX_BATCH_ROWS
    });
    let limits = Limits {
        rows: usize::from(batch_rows),
        bytes: MAX_REQUEST_BYTES,
    };
    let server = Server::new(&args.url, args.token, args.instance.clone())?;
    let journal = Journal::open(&state_path, &args.instance)?;
    // The batches this run knows of, as the state file had them when it began.
    let known = journal.known().clone();

    // A first reading counts the rows and checks the batches imported before, so that a file
    // changed where it was imported already is refused before anything is sent.
    let mut survey = Batches::new(rows, &known, limits);
    let (mut to_send, mut imported_before) = (0u64, 0u64);
    while let Some(batch) = survey.next_batch().with_context(|| reading(file))? {
        check_unchanged(&batch, file, journal.path())?;
        match batch.known.map(|k| k.state) {
            Some(State::Created | State::Present) => imported_before += batch.records.len() as u64,
            _ => to_send += batch.records.len() as u64,
        }
    }
    let missing = survey.known_but_missing();

    let mut sender = Sender {
        file,
        server,
        journal,
        report: Report::create(&report_path)?,
        progress: Progress::new(to_send),
        tally: Tally {
            skipped: imported_before,
            ..Tally::default()
        },
    };
    let earlier = if imported_before > 0 {
        format!(
            "; {imported_before} were imported by an earlier run ({})",
            state_path.display()
        )
    } else {
        String::new()
    };
    sender.progress.note(&format!(
        "{to_send} rows to import from {}{earlier}",
        file.display()
    ));
    if missing > 0 {
        sender.progress.note(&format!(
            "{missing} batches an earlier run sent are no longer in the file; they are left as \
             they are"
        ));
    }
    let outcome = sender
        .send_all(Batches::new(open(file)?, &known, limits))
        .await;
    sender.progress.finish();

    let tally = sender.tally;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "created {}, failed {} ({} rows with errors), skipped {}, {seconds:.1} s, {:.0} rows/s",
        tally.created,
        tally.failed,
        tally.with_errors,
        tally.skipped,
        tally.sent as f64 / seconds.max(0.001),
    );
    outcome?;
    if tally.failed > 0 {
        bail!(
            "{} rows were not imported: {} says why ({} rows with errors; the other rows of \
             their batches were not created either). Fix or remove those rows and run the same \
             command again: what was imported is skipped.",
            tally.failed,
            report_path.display(),
            tally.with_errors,
        );
    }
    Ok(())
}

/// What a run sends batches with, and what it counted.
struct Sender<'a> {
    file: &'a Path,
    server: Server,
    journal: Journal,
    report: Report,
    progress: Progress,
    tally: Tally,
}

impl Sender<'_> {
    async fn send_all<R: Read>(&mut self, mut batches: Batches<'_, R>) -> anyhow::Result<()> {
        while let Some(batch) = batches.next_batch().with_context(|| reading(self.file))? {
            // The file may have been edited since the first reading.
            check_unchanged(&batch, self.file, self.journal.path())?;
            match batch.known.map(|k| k.state) {
                Some(State::Created | State::Present) => continue,
                Some(State::Sent | State::Failed) | None => {}
            }
            if batch.records.iter().any(|r| r.row.is_err()) {
                self.keep_back(&batch)?;
            } else {
                self.send(&batch).await?;
            }
            let count = batch.records.len() as u64;
            self.tally.sent += count;
            self.progress.advance(count);
        }
        Ok(())
    }

    /// A batch with problems in the file is not sent: they go to the report.
    fn keep_back(&mut self, batch: &Batch<'_>) -> anyhow::Result<()> {
        let mut problems = 0;
        for record in &batch.records {
            if let Err(problem) = &record.row {
                problems += 1;
                self.report.row(
                    record.line,
                    &record.username,
                    problem.field.unwrap_or_default(),
                    "BAD_CSV",
                    &problem.message,
                )?;
            }
        }
        self.report.flush()?;
        self.journal.record(batch.entry(State::Failed))?;
        self.progress.note(&format!(
            "{}: not sent, {problems} rows with problems in the file",
            batch.lines()
        ));
        self.tally.failed += batch.records.len() as u64;
        self.tally.with_errors += problems;
        Ok(())
    }

    async fn send(&mut self, batch: &Batch<'_>) -> anyhow::Result<()> {
        let count = batch.records.len() as u64;
        let lines = batch.lines();
        self.journal.record(batch.entry(State::Sent))?;
        let users: Vec<&UserRow> = batch
            .records
            .iter()
            .filter_map(|r| r.row.as_ref().ok())
            .collect();
        let progress = &self.progress;
        let reply = self
            .server
            .import(&users, |why| progress.note(&format!("{lines}: {why}")))
            .await;
        let reply = match reply {
            Ok(reply) => reply,
            Err(ServerError::Refused {
                message,
                after_unanswered_attempt,
            }) => {
                // The server did nothing with this request; unless an earlier attempt may have
                // been received, the batch is not in doubt.
                if !after_unanswered_attempt {
                    self.journal.record(batch.entry(State::Failed))?;
                }
                bail!("{message}");
            }
            Err(err @ ServerError::Unanswered { .. }) => bail!(
                "{lines}: {err}.\nNothing is lost: run the same command again to go on from \
                 there. If the server is up but slow, a smaller --batch-size helps."
            ),
        };
        let in_doubt =
            reply.after_unanswered_attempt || batch.known.is_some_and(|k| k.state == State::Sent);
        match reply.answer {
            Answer::Created => {
                self.journal.record(batch.entry(State::Created))?;
                self.tally.created += count;
            }
            Answer::Refused(errors) if in_doubt && created_already(batch, &errors) => {
                self.journal.record(batch.entry(State::Present))?;
                let message = format!(
                    "{lines}: sent before without an answer; every username now exists, so its \
                     {count} rows count as imported then"
                );
                self.report
                    .row(batch.first_line(), "", "", "ALREADY_IMPORTED", &message)?;
                self.report.flush()?;
                self.progress.note(&message);
                self.tally.skipped += count;
            }
            Answer::Refused(errors) => {
                for error in &errors {
                    let record = batch.records.get(error.row);
                    self.report.row(
                        record.map_or(0, |r| r.line),
                        record.map_or("", |r| r.username.as_str()),
                        error.field.as_deref().unwrap_or_default(),
                        &error.code,
                        &with_lines(&error.message, batch),
                    )?;
                }
                self.report.flush()?;
                self.journal.record(batch.entry(State::Failed))?;
                let refused: HashSet<usize> = errors.iter().map(|e| e.row).collect();
                self.progress.note(&format!(
                    "{lines}: not created, {} rows refused",
                    refused.len()
                ));
                self.tally.failed += count;
                self.tally.with_errors += refused.len() as u64;
            }
        }
        Ok(())
    }
}

/// `users.csv` → `users.csv<suffix>`.
fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn reading(file: &Path) -> String {
    format!("reading {}", file.display())
}

fn open(file: &Path) -> anyhow::Result<Rows<File>> {
    let input = File::open(file).with_context(|| format!("opening {}", file.display()))?;
    Rows::new(input).with_context(|| file.display().to_string())
}

/// Refuses a batch that an earlier run created or sent, when its rows have changed since.
fn check_unchanged(batch: &Batch<'_>, file: &Path, state: &Path) -> anyhow::Result<()> {
    let Some(known) = batch.known.filter(|_| !batch.unchanged()) else {
        return Ok(());
    };
    let then = format!(
        "the batch an earlier run {} from lines {}–{}, beginning with user {:?}",
        match known.state {
            State::Sent => "sent without getting an answer",
            _ => "imported",
        },
        known.first_line,
        known.last_line,
        known.first_username
    );
    let advice = match known.state {
        State::Sent => {
            "The server may or may not have created it: restore those rows and run again (the \
             import then finds out), or check the users and delete the state file to start over"
        }
        _ => {
            "Those users exist already: restore the rows as they were, and put the rows still \
             to import in a new file or after them"
        }
    };
    bail!(
        "{}, {}: {then} no longer matches the file — a row in it was changed, removed or added. \
         {advice}. (State file: {}.)",
        file.display(),
        batch.lines(),
        state.display()
    )
}

/// Whether a batch that an unanswered attempt may have created is refused only because each of
/// its usernames exists (and emails, which belong to those users): the attempt created it.
fn created_already(batch: &Batch<'_>, errors: &[RowError]) -> bool {
    let mut usernames = HashSet::new();
    if !batch
        .records
        .iter()
        .all(|r| usernames.insert(r.username.as_str()))
    {
        // A username twice in the batch is refused whether or not it exists.
        return false;
    }
    let mut taken = vec![false; batch.records.len()];
    for error in errors {
        match (error.code.as_str(), error.field.as_deref()) {
            ("CONFLICT", Some("username")) => match taken.get_mut(error.row) {
                Some(slot) => *slot = true,
                None => return false,
            },
            ("CONFLICT", Some("email")) => {}
            _ => return false,
        }
    }
    taken.into_iter().all(|t| t)
}

/// The server names another row of the batch by its index ("repeats row 3"); the report names
/// its line in the file.
fn with_lines(message: &str, batch: &Batch<'_>) -> String {
    let other = message.rsplit_once(" row ").and_then(|(before, index)| {
        let record = batch.records.get(index.parse::<usize>().ok()?)?;
        Some(format!("{before} line {}", record.line))
    });
    other.unwrap_or_else(|| message.to_owned())
}

/// The report: one CSV row per refused row, written as each batch is answered.
struct Report {
    path: PathBuf,
    writer: csv::Writer<File>,
}

impl Report {
    fn create(path: &Path) -> anyhow::Result<Report> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut report = Report {
            path: path.to_owned(),
            writer: csv::Writer::from_writer(file),
        };
        report
            .writer
            .write_record(["line", "username", "field", "code", "message"])
            .with_context(|| format!("writing {}", path.display()))?;
        report.flush()?;
        Ok(report)
    }

    fn row(
        &mut self,
        line: u64,
        username: &str,
        field: &str,
        code: &str,
        message: &str,
    ) -> anyhow::Result<()> {
        let line = line.to_string();
        self.writer
            .write_record([line.as_str(), username, field, code, message])
            .with_context(|| format!("writing {}", self.path.display()))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        self.writer
            .flush()
            .with_context(|| format!("writing {}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The first batch of a CSV text.
    fn first_batch<'j>(known: &'j HashMap<String, journal::Entry>, text: &str) -> Batch<'j> {
        let limits = Limits {
            rows: 1000,
            bytes: MAX_REQUEST_BYTES,
        };
        Batches::new(Rows::new(text.as_bytes()).unwrap(), known, limits)
            .next_batch()
            .unwrap()
            .unwrap()
    }

    fn error(row: usize, field: &str, code: &str) -> RowError {
        RowError {
            row,
            field: Some(field.into()),
            code: code.into(),
            message: String::new(),
        }
    }

    #[test]
    fn a_batch_is_created_already_when_only_its_own_usernames_and_emails_are_taken() {
        let none = HashMap::new();
        let batch = first_batch(&none, "username,email\na,a@x.io\nb,b@x.io\nc,\n");
        let taken = [
            error(0, "username", "CONFLICT"),
            error(0, "email", "CONFLICT"),
            error(1, "username", "CONFLICT"),
            error(1, "email", "CONFLICT"),
            error(2, "username", "CONFLICT"),
        ];
        assert!(created_already(&batch, &taken));
        assert!(!created_already(&batch, &taken[..4]), "c is not taken");
        let mut other = taken.to_vec();
        other.push(error(2, "groupIds", "BAD_USER_INPUT"));
        assert!(!created_already(&batch, &other));
        other.truncate(4);
        other.push(error(7, "username", "CONFLICT"));
        assert!(!created_already(&batch, &other));

        let repeated = first_batch(&none, "username\na\na\n");
        let both = [
            error(0, "username", "CONFLICT"),
            error(1, "username", "CONFLICT"),
        ];
        assert!(!created_already(&repeated, &both));
    }

    #[test]
    fn another_row_of_the_batch_is_named_by_its_line() {
        let none = HashMap::new();
        let batch = first_batch(&none, "username,displayName\na,\"two\nlines\"\nb,\nc,\n");
        assert_eq!(
            with_lines("the email repeats row 2", &batch),
            "the email repeats line 5"
        );
        assert_eq!(
            with_lines("the email repeats row 9", &batch),
            "the email repeats row 9"
        );
        assert_eq!(with_lines("no group \"x\"", &batch), "no group \"x\"");
    }

    #[test]
    fn the_report_and_the_state_file_sit_beside_the_csv() {
        assert_eq!(
            beside(Path::new("/data/users.csv"), ".import-state"),
            Path::new("/data/users.csv.import-state")
        );
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("users.csv");
        std::fs::write(&csv, "username\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(same_file(&csv, &dir.path().join("sub/../users.csv")));
        assert!(!same_file(&csv, &dir.path().join("users.csv.import-state")));
    }
}
