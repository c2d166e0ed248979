//! The fuzz targets' bodies (issue 26, docs/decisions.md "Fuzzing"). Each takes the raw bytes
//! libFuzzer made, hands them to the function the server itself calls on that outside input,
//! and checks what must hold of the answer beyond "no panic". The `cargo fuzz` targets in
//! `fuzz/fuzz_targets/` are one line each around these; `tests/replay.rs` runs every stored
//! corpus and regression file through them on stable Rust, in `make test`.

use async_graphql::connection::CursorType;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, TimeZone, Utc};
use lanyard::apps::sp_metadata;
use lanyard::authz::PolicyEngine;
use lanyard::directory::user_list::SearchCursor;
use lanyard::graphql::connection::{Cursor, PageArgs};
use lanyard::import::rows::Rows;
use lanyard::oidc::authorize;
use lanyard::oidc::clients::{AuthMethod, Client, ClientType};
use lanyard::saml::logout::{LogoutExpectations, Message, UnverifiedLogout};
use lanyard::saml::request::{Expectations, UnverifiedRequest};
use lanyard::scim;
use sea_orm::DbBackend;

mod graphql;
mod signed;
mod web;

pub use graphql::graphql_request;
pub use signed::saml_signed;
pub use web::{forms, session_tokens};

/// What a target does with one input.
pub type Target = fn(&[u8]);

/// The targets, by the name of their directory under `fuzz/corpus` and `fuzz/regressions`.
pub const TARGETS: &[(&str, Target)] = &[
    ("saml_redirect", saml_redirect),
    ("saml_post", saml_post),
    ("saml_signed", saml_signed),
    ("saml_logout", saml_logout),
    ("sp_metadata", sp_metadata),
    ("cursor", cursor),
    ("csv_rows", csv_rows),
    ("cedar_policy", cedar_policy),
    ("forms", forms),
    ("session_tokens", session_tokens),
    ("graphql_request", graphql_request),
    ("scim_filter", scim_filter),
    ("oidc_request", oidc_request),
];

/// The application the SAML targets' requests are checked against. The seeds are requests to
/// it, so that mutations reach the checks after parsing.
const SP_ENTITY_ID: &str = "https://sp.example.com/metadata";
const ACS_URL: &str = "https://sp.example.com/acs";
const SSO_URL: &str = "http://127.0.0.1/saml/app/sso";

fn expectations() -> Expectations<'static> {
    Expectations {
        sp_entity_id: SP_ENTITY_ID,
        acs_url: ACS_URL,
        sso_url: SSO_URL,
        sp_certificate: None,
        signature_required: false,
        clock_skew: Duration::minutes(3),
    }
}

/// What a request that verified must be: for this application, answered at its ACS. The
/// clock is the seeds' issue instant.
fn check_verified(request: UnverifiedRequest) {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single();
    let Some(now) = now else { return };
    if let Ok(verified) = request.verify(&expectations(), now) {
        assert_eq!(verified.acs_url, ACS_URL);
        assert!(!verified.id.is_empty() && verified.id.len() <= 256);
        assert!((verified.issue_instant - now).abs() <= Duration::minutes(3));
    }
}

/// An AuthnRequest by HTTP-Redirect: the raw query string (percent-decoding, base64,
/// inflating, parsing, the structure checks), then verification.
pub fn saml_redirect(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(request) = UnverifiedRequest::from_redirect(query) {
        check_verified(request);
    }
}

/// An AuthnRequest by HTTP-POST: the form's `SAMLRequest` and `RelayState` (split at the first
/// newline of the input), base64, parsing, then verification.
pub fn saml_post(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (saml_request, relay_state) = match text.split_once('\n') {
        Some((request, relay)) => (request, Some(relay)),
        None => (text, None),
    };
    if let Ok(request) = UnverifiedRequest::from_post(Some(saml_request), relay_state) {
        check_verified(request);
    }
}

/// The application's SLO endpoint the logout seeds are sent to.
const SLO_URL: &str = "http://127.0.0.1/saml/app/slo";

/// A LogoutRequest or LogoutResponse: by HTTP-Redirect when the input is a query string
/// (`SAMLRequest=…` or `SAMLResponse=…`), else by HTTP-POST as three lines — the field's name,
/// its value, the RelayState. Then verification against the application. What verified names
/// one message of the shape single logout acts on.
pub fn saml_logout(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let unverified = if text.starts_with("SAMLRequest=") || text.starts_with("SAMLResponse=") {
        UnverifiedLogout::from_redirect(text)
    } else {
        let mut lines = text.splitn(3, '\n');
        let field = lines.next().unwrap_or_default();
        let (value, relay) = (lines.next(), lines.next());
        match field {
            "SAMLResponse" => UnverifiedLogout::from_post(None, value, relay),
            _ => UnverifiedLogout::from_post(value, None, relay),
        }
    };
    let Ok(unverified) = unverified else { return };
    let expected = LogoutExpectations {
        sp_entity_id: SP_ENTITY_ID,
        slo_url: SLO_URL,
        sp_certificate: None,
        signature_required: false,
        clock_skew: Duration::minutes(3),
    };
    let Some(now) = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single() else {
        return;
    };
    let Ok(verified) = unverified.verify(&expected, now) else {
        return;
    };
    assert!(!verified.id.is_empty() && verified.id.len() <= 256);
    assert!(verified
        .relay_state
        .as_ref()
        .is_none_or(|r| !r.is_empty() && r.len() <= 80));
    match verified.message {
        Message::Request {
            name_id,
            session_indexes,
            ..
        } => {
            assert!(!name_id.is_empty() && name_id.len() <= 1024);
            assert_eq!(name_id.trim(), name_id);
            assert!(session_indexes.len() <= 16);
        }
        Message::Response {
            in_response_to,
            status,
        } => {
            assert!(!in_response_to.is_empty());
            assert!(!status.is_empty() && status.len() <= 4);
        }
    }
}

/// SP metadata as an admin pastes or uploads it. What it yields is what the application
/// form accepts: parsing it again from a document made of those values gives the same values.
pub fn sp_metadata(data: &[u8]) {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = sp_metadata::parse(xml) {
        assert!(!parsed.entity_id.trim().is_empty());
        assert!(!parsed.acs_url.trim().is_empty());
    }
}

/// A GraphQL `after` cursor: the connection's decoding, then the user list's reading of a
/// search cursor. A cursor that decodes encodes back to itself.
pub fn cursor(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(page) = PageArgs::parse(Some(20), Some(text.to_owned())) {
        if let Some(after) = &page.after {
            assert_eq!(Cursor(after.clone()).encode_cursor(), text);
            let _ = SearchCursor::parse(after);
        }
    }
    let _ = URL_SAFE_NO_PAD.decode(data);
}

/// A SCIM `filter` parameter or PATCH `path` (its first line, the rest as the path): parsed,
/// and a parsed filter compiled to SQL for users and groups, as a list request does. Every
/// refusal says why; a parsed filter stays within the parser's bounds.
pub fn scim_filter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (filter_text, path_text) = text.split_once('\n').unwrap_or((text, text));
    match scim::filter::parse_filter(filter_text) {
        Ok(filter) => {
            assert!(filter_text.len() <= scim::filter::MAX_FILTER_LEN);
            for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
                for resource in [scim::query::Resource::User, scim::query::Resource::Group] {
                    if let Err(err) = scim::query::condition(backend, resource, &filter) {
                        assert!(!err.detail.is_empty());
                    }
                }
            }
        }
        Err(err) => assert!(!err.message.is_empty()),
    }
    if let Err(err) = scim::filter::parse_path(path_text) {
        assert!(!err.message.is_empty());
    }
}

/// A CSV file for `lanyard import`: the header, then every record. Records come in order of
/// their lines, after the header's.
pub fn csv_rows(data: &[u8]) {
    let Ok(mut rows) = Rows::new(data) else {
        return;
    };
    let mut previous = 1;
    while let Ok(Some(record)) = rows.next_record() {
        assert!(
            record.line > previous,
            "line {} after {previous}",
            record.line
        );
        previous = record.line;
    }
}

/// An access policy's text, as an admin submits it. A policy that passes is one whose own
/// rendering passes too.
pub fn cedar_policy(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    thread_local! {
        static ENGINE: Option<PolicyEngine> = PolicyEngine::embedded().ok();
    }
    ENGINE.with(|engine| {
        let Some(engine) = engine else { return };
        if let Ok(policy) = engine.check_access_policy(source) {
            let rendered = policy.to_string();
            assert!(
                engine.check_access_policy(&rendered).is_ok(),
                "{source:?} passes, its rendering {rendered:?} does not"
            );
        }
    });
}

/// The redirect URI the `oidc_request` seeds' client registered.
const OIDC_REDIRECT: &str = "https://rp.example.com/cb";

/// An OIDC authorization request, as the query string (or form body) of `/authorize`: its
/// parameters checked the way the endpoint does once the client and redirect URI are known,
/// for a confidential and a public client. An accepted request asked for `code` and `openid`,
/// is granted only scopes the client may have, carries an S256 challenge of the right shape
/// (always, for the public client), and stays within the bounds a sealed request relies on.
pub fn oidc_request(data: &[u8]) {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(data).into_owned().collect();
    for client_type in [ClientType::Confidential, ClientType::Public] {
        let client = Client {
            application_id: "0190a0a0-0000-7000-8000-000000000000".into(),
            instance_id: "0190a0a0-0000-7000-8000-000000000001".into(),
            client_type,
            auth_method: match client_type {
                ClientType::Confidential => AuthMethod::ClientSecretBasic,
                ClientType::Public => AuthMethod::None,
            },
            redirect_uris: vec![OIDC_REDIRECT.into()],
            post_logout_redirect_uris: vec![],
            initiate_login_uri: None,
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            claims: vec![],
            jwks: None,
            assertion_alg: None,
            id_token_lifetime_secs: 3600,
            access_token_lifetime_secs: 3600,
            refresh_token_lifetime_secs: 86_400,
            updated_at: None,
        };
        let (_, _, checked) = authorize::check(&client, OIDC_REDIRECT, &pairs);
        match checked {
            Ok(pending) => {
                let scopes: Vec<&str> = pending.scope.split(' ').collect();
                assert!(scopes.contains(&"openid"), "{:?}", pending.scope);
                assert!(scopes.iter().all(|s| client.scopes.iter().any(|c| c == s)));
                let one = |name: &str| pairs.iter().filter(|(k, _)| k == name).count() <= 1;
                assert!(one("response_type") && one("scope") && one("state"));
                assert!(pending.state.as_ref().is_none_or(|s| s.len() <= 1024));
                assert!(pending.nonce.as_ref().is_none_or(|n| n.len() <= 1024));
                match &pending.code_challenge {
                    Some(challenge) => assert_eq!(challenge.len(), 43),
                    None => assert_eq!(client_type, ClientType::Confidential),
                }
                assert!(!(pending.none && pending.login));
            }
            Err(error) => assert!(!error.description.is_empty(), "{}", error.error),
        }
    }
}
