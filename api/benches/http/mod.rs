//! What the HTTP benches (`sso`, `oidc`) share: the server started in their process with an
//! instance, alice and one application; GraphQL calls; signing keys made active; an employee's
//! sign-in; and a minimal keep-alive HTTP/1.1 client for the load workers.

use std::time::Duration;

/// A GraphQL call with the admin's client; GraphQL errors are errors.
pub async fn gql(
    client: &reqwest::Client,
    base: &str,
    query: &str,
    variables: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let body: serde_json::Value = client
        .post(format!("{base}/graphql"))
        .json(&serde_json::json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?;
    anyhow::ensure!(body.get("errors").is_none(), "GraphQL errors: {body}");
    Ok(body["data"].clone())
}

/// Signs `username` in through the portal's form; returns her session cookie (`name=value`).
pub async fn employee_session(
    base: &str,
    instance: &str,
    username: &str,
    password: &str,
) -> anyhow::Result<String> {
    let employee = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = employee
        .get(format!("{base}/sso/{instance}/login"))
        .send()
        .await?;
    let pre = page
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let html = page.text().await?;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let signed_in = employee
        .post(format!("{base}/sso/{instance}/login"))
        .header("cookie", &pre)
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        signed_in.status() == 303,
        "employee sign-in: {}",
        signed_in.status()
    );
    Ok(signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lanyard_sso_"))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned())
}

/// A response as the load generators read it.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// One HTTP/1.1 keep-alive connection over a blocking socket, reading responses with a
/// Content-Length body: the load generator shares the two cores with the server, so it costs
/// as little of them as it can (as `wrk` would), while keeping every body to verify.
pub struct Connection {
    stream: std::io::BufReader<std::net::TcpStream>,
}

impl Connection {
    pub fn open(address: &str) -> anyhow::Result<Self> {
        let stream = std::net::TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Self {
            stream: std::io::BufReader::with_capacity(64 * 1024, stream),
        })
    }

    /// Sends `request` (a whole HTTP/1.1 request); returns the response.
    pub fn send(&mut self, request: &[u8]) -> anyhow::Result<Answer> {
        use std::io::{BufRead, Read, Write};
        self.stream.get_mut().write_all(request)?;
        let mut line = String::new();
        self.stream.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("status line {line:?}"))?;
        let mut content_length = None;
        let mut location = None;
        loop {
            line.clear();
            anyhow::ensure!(self.stream.read_line(&mut line)? > 0, "connection closed");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = Some(value.trim().parse::<usize>()?);
                } else if name.eq_ignore_ascii_case("location") {
                    location = Some(value.trim().to_owned());
                }
            }
        }
        let length =
            content_length.ok_or_else(|| anyhow::anyhow!("a response without Content-Length"))?;
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body)?;
        Ok(Answer {
            status,
            location,
            body: String::from_utf8(body)?,
        })
    }
}

/// The server a bench runs against, with what [`start`] added to it.
pub struct Bench {
    pub base: String,
    /// Signed in to the console as the bootstrap admin.
    pub admin: reqwest::Client,
    pub instance: String,
    pub application: String,
}

/// Starts the server in this process on SQLite in `dir` (or on `LANYARD_BENCH_DATABASE_URL`)
/// and adds an instance, alice (with `password` and an email address) and an application of
/// `template` (with `params`) that all members may use.
pub async fn start(
    dir: &std::path::Path,
    admin_password: &str,
    password: &str,
    template: &str,
    params: serde_json::Value,
) -> anyhow::Result<Bench> {
    use serde_json::json;
    let database_url = std::env::var("LANYARD_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/lanyard.db?mode=rwc", dir.display()));
    let config = super::common::config(database_url, dir, admin_password)?;
    let app = lanyard::startup::Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let admin = super::common::signed_in_admin(&base, admin_password).await?;
    let id = |data: serde_json::Value, path: [&str; 3]| {
        data[path[0]][path[1]][path[2]]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let instance = id(
        gql(
            &admin,
            &base,
            "mutation { createInstance(input: {name: \"Bench\"}) { instance { id } } }",
            json!({}),
        )
        .await?,
        ["createInstance", "instance", "id"],
    );
    gql(
        &admin,
        &base,
        "mutation($i: ID!, $p: String) { createUser(input: {instanceId: $i, username: \"alice\", email: \"alice@example.com\", password: $p}) { user { id } } }",
        json!({ "i": instance, "p": password }),
    )
    .await?;
    let application = id(
        gql(
            &admin,
            &base,
            "mutation($i: ID!, $t: String!, $p: JSON) { addApplication(input: {instanceId: $i, templateId: $t, name: $t, params: $p}) { application { id } } }",
            json!({ "i": instance, "t": template, "p": params }),
        )
        .await?,
        ["addApplication", "application", "id"],
    );
    gql(
        &admin,
        &base,
        "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
        json!({ "a": application }),
    )
    .await?;
    Ok(Bench {
        base,
        admin,
        instance,
        application,
    })
}

/// Makes a key of `algorithm` the instance's active one (the first RSA key already is);
/// returns its certificate (PEM).
pub async fn activate_key(bench: &Bench, algorithm: &str) -> anyhow::Result<String> {
    use serde_json::json;
    let (admin, base, instance) = (&bench.admin, &bench.base, &bench.instance);
    let keys = gql(
        admin,
        base,
        "query($i: ID!) { signingKeys(instanceId: $i) { id algorithm state certificatePem } }",
        json!({ "i": instance }),
    )
    .await?;
    let active = keys["signingKeys"].as_array().and_then(|keys| {
        keys.iter()
            .find(|k| k["state"] == "ACTIVE" && k["algorithm"] == algorithm)
            .cloned()
    });
    let key = match active {
        Some(key) => key,
        None => {
            let rotated = gql(
                admin,
                base,
                "mutation($i: ID!, $a: SigningKeyAlgorithm) { rotateSigningKey(input: {instanceId: $i, algorithm: $a}) { signingKey { id certificatePem } } }",
                json!({ "i": instance, "a": algorithm }),
            )
            .await?["rotateSigningKey"]["signingKey"]
                .clone();
            gql(
                admin,
                base,
                "mutation($i: ID!, $id: ID!) { activateSigningKey(input: {instanceId: $i, id: $id}) { signingKey { id } } }",
                json!({ "i": instance, "id": rotated["id"] }),
            )
            .await?;
            rotated
        }
    };
    Ok(key["certificatePem"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}
