//! `lanyard import` as an admin runs it: the real binary, a process of its own, against a real
//! server process, with a super-admin's API token. Users land in batches; refused rows are
//! reported by their line in the file; a killed import resumes without duplicates or gaps; a
//! hostile file gets clear errors and no panic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use lanyard_tests::{fresh_database, lanyard_binary, Client, ServerProcess};
use serde_json::json;
use tempfile::TempDir;
use tokio::process::Command;

const USERS_PAGE: &str = "query($i: ID!, $after: String, $filter: UserFilter) { instance(id: $i) { users(first: 100, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { username } } } } }";

/// A server process with an instance to import into, and a directory for the files.
struct Setup {
    admin: Client,
    instance: String,
    files: TempDir,
    server: ServerProcess,
    _data: TempDir,
}

impl Setup {
    async fn start() -> Setup {
        let data = tempfile::tempdir().unwrap();
        let url = fresh_database(&data).await;
        let server = ServerProcess::start(&url, data.path(), &[]).await;
        let admin = server.admin().await;
        let instance = admin.create_instance("Imported").await;
        Setup {
            admin,
            instance,
            files: tempfile::tempdir().unwrap(),
            server,
            _data: data,
        }
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.files.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    fn command(&self, csv: &Path, extra: &[&str]) -> Command {
        self.command_into(&self.instance, csv, extra)
    }

    /// `lanyard import` into `instance`, with the super-admin's token.
    fn command_into(&self, instance: &str, csv: &Path, extra: &[&str]) -> Command {
        let mut command = Command::new(lanyard_binary());
        command
            .arg("import")
            .arg(csv)
            .args(["--instance", instance, "--url", &self.server.base])
            .args(extra)
            .env("LANYARD_TOKEN", &self.admin.token)
            .kill_on_drop(true);
        command
    }

    /// Runs `lanyard import` to its end.
    async fn import(&self, csv: &Path, extra: &[&str]) -> Run {
        Run(self.command(csv, extra).output().await.unwrap())
    }

    /// Every username in the instance (those matching `filter`), page by page.
    async fn usernames(&self, filter: serde_json::Value) -> Vec<String> {
        let mut names = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .admin
                .gql(
                    USERS_PAGE,
                    json!({ "i": self.instance, "after": after, "filter": filter }),
                )
                .await;
            let users = &data["instance"]["users"];
            for edge in users["edges"].as_array().unwrap() {
                names.push(edge["node"]["username"].as_str().unwrap().to_owned());
            }
            if !users["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                return names;
            }
            after = users["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
    }

    /// Creates a group or an org unit (`what`: `group`, `orgUnit`) and returns its id.
    async fn create(&self, what: &str, name: &str) -> String {
        let mutation = format!("create{}{}", what[..1].to_uppercase(), &what[1..]);
        self.admin
            .id_of(
                &format!("mutation($i: ID!, $n: String!) {{ {mutation}(input: {{instanceId: $i, name: $n}}) {{ {what} {{ id }} }} }}"),
                json!({ "i": self.instance, "n": name }),
                &[mutation.as_str(), what, "id"],
            )
            .await
    }
}

/// A finished `lanyard import`.
struct Run(Output);

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Exits 0 and prints a summary that begins with `summary`.
    fn succeeds_with(&self, summary: &str) {
        assert!(
            self.0.status.success() && self.stdout().starts_with(summary),
            "expected success with {summary:?}; stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
    }

    /// Exits 1, as an error (not a panic), saying `what` on stderr.
    fn fails_saying(&self, what: &str) {
        assert_eq!(
            self.0.status.code(),
            Some(1),
            "stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        assert!(
            self.stderr().contains(what),
            "expected {what:?} on stderr: {}",
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
    }
}

fn names(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("user{i:05}")).collect()
}

/// What the report file says.
struct Report {
    /// Line, username, field and code of each row.
    rows: Vec<(u64, String, String, String)>,
    messages: Vec<String>,
}

fn report(file: &Path) -> Report {
    let path = PathBuf::from(format!("{}.import-report.csv", file.display()));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut report = Report {
        rows: Vec::new(),
        messages: Vec::new(),
    };
    for record in reader.records() {
        let record = record.unwrap();
        report.rows.push((
            record[0].parse().unwrap(),
            record[1].to_owned(),
            record[2].to_owned(),
            record[3].to_owned(),
        ));
        report.messages.push(record[4].to_owned());
    }
    report
}

#[tokio::test]
async fn a_few_thousand_rows_land_with_their_groups_and_units() {
    let setup = Setup::start().await;
    let group = setup.create("group", "Staff").await;
    let unit = setup.create("orgUnit", "Sales").await;
    let mut csv = String::from("username,displayName,email,groupIds,orgUnitIds\n");
    for i in 0..3000 {
        let group = if i % 3 == 0 { group.as_str() } else { "" };
        let unit = if i % 5 == 0 { unit.as_str() } else { "" };
        csv.push_str(&format!(
            "user{i:05},\"Doe, User {i}\",user{i}@example.com,{group},{unit}\n"
        ));
    }
    let file = setup.write("users.csv", csv);

    setup
        .import(&file, &[])
        .await
        .succeeds_with("created 3000, failed 0 (0 rows with errors), skipped 0,");
    let stored: BTreeSet<String> = setup.usernames(json!(null)).await.into_iter().collect();
    assert_eq!(stored, names(0..3000));
    assert_eq!(
        setup.usernames(json!({ "groupId": group })).await.len(),
        1000
    );
    assert_eq!(
        setup.usernames(json!({ "orgUnitId": unit })).await.len(),
        600
    );
    let user = setup
        .admin
        .gql(
            "query($i: ID!) { instance(id: $i) { users(first: 1, filter: {search: \"user00003\"}) { edges { node { displayName email } } } } }",
            json!({ "i": setup.instance }),
        )
        .await;
    assert_eq!(
        user["instance"]["users"]["edges"][0]["node"],
        json!({ "displayName": "Doe, User 3", "email": "user3@example.com" })
    );
    assert_eq!(report(&file).rows, [], "an empty report");

    // The same command again finds everything imported.
    setup
        .import(&file, &[])
        .await
        .succeeds_with("created 0, failed 0 (0 rows with errors), skipped 3000,");
}

#[tokio::test]
async fn refused_rows_are_reported_by_line_and_the_other_batches_land() {
    let setup = Setup::start().await;
    // 1,000 rows in batches of 100 (the default with a password column). Row 150's display
    // name spans two lines (and is refused for it), so from row 151 on a row's line is its
    // number + 2; once fixed, the rows after it move up a line.
    let line = |row: usize| if row <= 150 { row + 1 } else { row + 2 };
    let write = |setup: &Setup, fixed: bool| {
        let mut csv = String::from("username,displayName,email,phone,password,groupIds\n");
        for row in 1..=1000 {
            let username = format!("user{row:05}");
            let (mut display, mut email, mut phone, mut groups) =
                (String::new(), format!("{username}@example.com"), "", "");
            let password = if row <= 3 { "correct-horse-1" } else { "" };
            match row {
                150 if !fixed => display = "\"Two\nlines\"".into(),
                151 if fixed => continue,
                151 => phone = "call me",
                420 if !fixed => email = "user00410@example.com".into(),
                777 if !fixed => groups = "no-such-group",
                _ => {}
            }
            csv.push_str(&format!(
                "{username},{display},{email},{phone},{password},{groups}\n"
            ));
        }
        setup.write("users.csv", csv)
    };
    let file = write(&setup, false);

    let run = setup.import(&file, &[]).await;
    run.fails_saying("300 rows were not imported");
    assert!(
        run.stdout()
            .starts_with("created 700, failed 300 (4 rows with errors), skipped 0,"),
        "{}",
        run.stdout()
    );
    let Report { rows, messages } = report(&file);
    let expected = |row: usize, field: &str, code: &str| {
        (
            line(row) as u64,
            format!("user{row:05}"),
            field.to_owned(),
            code.to_owned(),
        )
    };
    assert_eq!(
        rows,
        [
            expected(150, "displayName", "BAD_USER_INPUT"),
            expected(151, "phone", "BAD_USER_INPUT"),
            expected(420, "email", "CONFLICT"),
            expected(777, "groupIds", "BAD_USER_INPUT"),
        ]
    );
    assert_eq!(
        messages[2],
        format!("the email repeats line {}", line(410)),
        "the server's row index in the batch becomes a line"
    );
    let stored: BTreeSet<String> = setup.usernames(json!(null)).await.into_iter().collect();
    let mut landed = names(1..101);
    landed.extend(names(201..401));
    landed.extend(names(501..701));
    landed.extend(names(801..1001));
    assert_eq!(
        stored, landed,
        "every batch without an error, and none with one"
    );
    let first = setup
        .admin
        .gql(
            "query($i: ID!) { instance(id: $i) { users(first: 1) { edges { node { username hasPassword } } } } }",
            json!({ "i": setup.instance }),
        )
        .await;
    assert_eq!(
        first["instance"]["users"]["edges"][0]["node"],
        json!({ "username": "user00001", "hasPassword": true })
    );

    // The admin fixes rows in place and removes one; the same command imports the rest.
    write(&setup, true);
    setup
        .import(&file, &[])
        .await
        .succeeds_with("created 299, failed 0 (0 rows with errors), skipped 700,");
    let stored: BTreeSet<String> = setup.usernames(json!(null)).await.into_iter().collect();
    let mut all = names(1..1001);
    all.remove("user00151");
    assert_eq!(stored, all);
}

#[tokio::test]
async fn a_killed_import_resumes_without_duplicates_or_gaps() {
    let setup = Setup::start().await;
    let mut csv = String::from("username,email\n");
    for i in 0..6000 {
        csv.push_str(&format!("user{i:05},user{i}@example.com\n"));
    }
    let file = setup.write("users.csv", csv);
    let state = PathBuf::from(format!("{}.import-state", file.display()));

    let mut child = setup
        .command(&file, &["--batch-size", "100"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    lanyard_tests::servers::wait_until(Duration::from_secs(30), "three batches", || {
        let text = std::fs::read_to_string(&state).unwrap_or_default();
        std::future::ready(text.matches("\"created\"").count() >= 3)
    })
    .await;
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), None, "killed before it finished");
    let before = setup.usernames(json!(null)).await.len();
    assert!(
        (300..6000).contains(&before),
        "{before} users after the kill"
    );

    let run = setup.import(&file, &["--batch-size", "100"]).await;
    run.succeeds_with("created ");
    let stored = setup.usernames(json!(null)).await;
    assert_eq!(stored.len(), 6000, "no duplicates");
    assert_eq!(stored.into_iter().collect::<BTreeSet<_>>(), names(0..6000));

    // A batch whose answer never reached the state file (the import died just after the server
    // created it) is sent again: every username exists, so it counts as imported.
    let text = std::fs::read_to_string(&state).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[lines.len() - 1].contains("\"created\""));
    assert!(lines[lines.len() - 2].contains("\"sent\""));
    std::fs::write(&state, format!("{}\n", lines[..lines.len() - 1].join("\n"))).unwrap();
    setup
        .import(&file, &["--batch-size", "100"])
        .await
        .succeeds_with("created 0, failed 0 (0 rows with errors), skipped 6000,");
    let Report { rows, messages } = report(&file);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].3, "ALREADY_IMPORTED");
    assert!(
        messages[0].contains("every username now exists"),
        "{messages:?}"
    );
    assert_eq!(setup.usernames(json!(null)).await.len(), 6000);
}

#[tokio::test]
async fn a_hostile_file_gets_clear_errors_and_no_panic() {
    let setup = Setup::start().await;
    for (name, content, error) in [
        ("empty.csv", &b""[..], "the file is empty"),
        (
            "unknown.csv",
            &b"username,mail\nalice,a@example.com\n"[..],
            "unknown column \"mail\"",
        ),
        (
            "nousername.csv",
            &b"email\na@example.com\n"[..],
            "the header has no username column",
        ),
        (
            "latin1.csv",
            &b"username,d\xe9partement\n"[..],
            "is not UTF-8",
        ),
    ] {
        let file = setup.write(name, content);
        setup.import(&file, &[]).await.fails_saying(error);
        assert!(
            !PathBuf::from(format!("{}.import-state", file.display())).exists(),
            "nothing starts with a bad header"
        );
    }

    let mut csv = b"username,displayName,email\n".to_vec();
    csv.extend_from_slice(b"good1,Good,good1@example.com\n");
    csv.extend_from_slice(b"ragged,Too,many,fields\n");
    csv.extend_from_slice(b"latin1,Caf\xe9,latin1@example.com\n");
    csv.extend_from_slice(b"nul,Nul\x00Byte,nul@example.com\n");
    csv.extend_from_slice(format!("long,{},long@example.com\n", "x".repeat(10_000)).as_bytes());
    csv.extend_from_slice(format!("huge,{},huge@example.com\n", "x".repeat(100_000)).as_bytes());
    csv.extend_from_slice(b"good2,\"Quoted \"\"name\"\"\",good2@example.com\n");
    let file = setup.write("hostile.csv", &csv);
    // A batch a row, so that each row is decided on its own.
    let run = setup.import(&file, &["--batch-size", "1"]).await;
    run.fails_saying("5 rows were not imported");
    let Report { rows, messages } = report(&file);
    let found: Vec<(u64, &str, &str, &str)> = rows
        .iter()
        .map(|(line, user, field, code)| (*line, user.as_str(), field.as_str(), code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "ragged", "", "BAD_CSV"),
            (4, "latin1", "displayName", "BAD_CSV"),
            (5, "nul", "displayName", "BAD_CSV"),
            (6, "long", "displayName", "BAD_USER_INPUT"),
            (7, "huge", "displayName", "BAD_CSV"),
        ]
    );
    assert!(
        messages[0].contains("4 fields where the header names 3"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("save the file as UTF-8"),
        "{messages:?}"
    );
    assert!(messages[4].contains("at most 64 KiB"), "{messages:?}");
    let stored: BTreeSet<String> = setup.usernames(json!(null)).await.into_iter().collect();
    assert_eq!(stored, BTreeSet::from(["good1".into(), "good2".into()]));

    // A token the server does not know, and an instance that does not exist.
    let good = setup.write("good.csv", "username\nsomeone\n");
    let mut bad_token = setup.command(&good, &[]);
    bad_token.env("LANYARD_TOKEN", "not-a-token");
    Run(bad_token.output().await.unwrap()).fails_saying("the server refused the token");
    // The state file of the refused run names no batch: another instance may take it over.
    let mut elsewhere = setup.command_into("00000000-0000-0000-0000-000000000000", &good, &[]);
    Run(elsewhere.output().await.unwrap()).fails_saying("the server refused the import");
}
