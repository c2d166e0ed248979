//! What the HTTP benches (`sso`, `oidc`) share: GraphQL calls, an employee's sign-in, and a
//! minimal keep-alive HTTP/1.1 client for the load workers.

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
