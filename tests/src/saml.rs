//! The employee's side of SSO, as the tests drive it: a browser, the sign-in form, AuthnRequests
//! as a service provider sends them, and the Response it reads back from the auto-submitting
//! form and checks like Alibaba Cloud (signature against the downloaded metadata, audience,
//! recipient, InResponseTo, NameID).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use samael::crypto::{CertificateDer, Crypto, CryptoProvider};
use serde_json::json;

use crate::Client;

pub const ACCOUNT_ID: &str = "5123456789012345";
pub const AUDIENCE: &str = "https://signin-intl.aliyun.com/5123456789012345/saml/SSO";
pub const ACS: &str = "https://signin-intl.aliyun.com/saml/SSO";
pub const PASSWORD: &str = "correct horse battery";

/// An instance with users alice and bob and an Alibaba Cloud (International) application.
pub struct Tenant {
    pub instance: String,
    pub alice: String,
    pub bob: String,
    pub app: String,
}

pub async fn tenant(app: &Client) -> Tenant {
    let instance = app.create_instance("Acme").await;
    let alice = app.create_user(&instance, "alice", Some(PASSWORD)).await;
    let bob = app.create_user(&instance, "bob", Some(PASSWORD)).await;
    let added = app
        .gql(
            "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-user-sso-intl\", name: \"Alibaba Cloud\", params: {accountId: \"5123456789012345\"}}) { application { id spEntityId acsUrl } } }",
            json!({ "i": instance }),
        )
        .await;
    let application = &added["addApplication"]["application"];
    assert_eq!(application["spEntityId"], AUDIENCE);
    assert_eq!(application["acsUrl"], ACS);
    // The seed's "authorization scope: all members" (a new application lets nobody in).
    set_scope(app, application["id"].as_str().unwrap(), "ALL_MEMBERS").await;
    Tenant {
        instance,
        alice,
        bob,
        app: application["id"].as_str().unwrap().to_owned(),
    }
}

/// Sets the application's authorization scope (`ALL_MEMBERS`, `MANUAL`).
pub async fn set_scope(app: &Client, application: &str, scope: &str) {
    app.gql(
        "mutation($a: ID!, $s: AuthorizationScope!) { setAuthorizationScope(input: {applicationId: $a, scope: $s}) { changed } }",
        json!({ "a": application, "s": scope }),
    )
    .await;
}

/// A browser: its own cookie jar, redirects not followed (the tests look at each one).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of a hidden form field, HTML-unescaped.
pub fn hidden(page: &str, name: &str) -> Option<String> {
    let pattern = format!("name=\"{name}\" value=\"([^\"]*)\"");
    regex::Regex::new(&pattern)
        .unwrap()
        .captures(page)
        .map(|c| unescape(&c[1]))
}

/// A denial page of an SP-initiated request: what it offers to take back to the service
/// provider must be a failure status, `RequestDenied`, with no assertion in it.
pub fn assert_denied_without_assertion(page: &str) {
    use base64::Engine;
    let encoded = hidden(page, "SAMLResponse").expect("a denial offers the way back to the SP");
    let xml = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let xml = String::from_utf8(xml).expect("UTF-8");
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied"),
        "{xml}"
    );
    assert!(!xml.contains("Assertion"), "{xml}");
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Signs in through the form of the page at `login_url`; returns the response to the POST.
pub async fn sign_in(
    base: &str,
    browser: &reqwest::Client,
    login_url: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let page = browser.get(login_url).send().await.unwrap();
    assert_eq!(page.status(), 200, "{login_url}");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // No script, or only Lanyard's own passkey script (where the server has passkeys).
    assert!(
        !csp.contains("unsafe")
            && (!csp.contains("script-src") || csp.contains("script-src 'self';")),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    let action = regex::Regex::new("<form method=\"post\" action=\"([^\"]+)\"")
        .unwrap()
        .captures(&html)
        .expect("a sign-in form")[1]
        .to_owned();
    browser
        .post(format!("{base}{action}"))
        .form(&[
            ("csrf", hidden(&html, "csrf").unwrap()),
            ("continue", hidden(&html, "continue").unwrap()),
            ("username", username.to_owned()),
            ("password", password.to_owned()),
        ])
        .send()
        .await
        .unwrap()
}

/// The username of the browser's portal session in `instance` (GraphQL `me`), or null.
pub async fn portal_username(
    base: &str,
    browser: &reqwest::Client,
    instance: &str,
) -> serde_json::Value {
    let body: serde_json::Value = browser
        .post(format!("{base}/graphql"))
        .json(&json!({
            "query": "query($i: ID!) { me(instanceId: $i) { username } }",
            "variables": { "i": instance },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["data"]["me"]["username"].clone()
}

/// Follows a redirect that must stay on Lanyard.
pub async fn follow(
    app: &Client,
    browser: &reqwest::Client,
    response: reqwest::Response,
) -> reqwest::Response {
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    let target = location(&response);
    assert!(target.starts_with("http://127.0.0.1/"), "{target}");
    let url = target.replacen("http://127.0.0.1", &app.base, 1);
    browser.get(url).send().await.unwrap()
}

/// What an SP reads from the auto-submitting form.
#[derive(Debug)]
pub struct Posted {
    pub action: String,
    pub xml: String,
    pub relay_state: Option<String>,
}

/// Reads the auto-submitting form of a Response, checking the page's headers on the way.
pub async fn posted_form(response: reqwest::Response) -> Posted {
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains("<noscript>") && html.contains("<button type=\"submit\">"));
    let action = regex::Regex::new("<form method=\"post\" action=\"([^\"]+)\"")
        .unwrap()
        .captures(&html)
        .expect("a form")[1]
        .to_owned();
    let encoded = hidden(&html, "SAMLResponse").expect("a SAMLResponse");
    Posted {
        action: unescape(&action),
        xml: String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap(),
        relay_state: hidden(&html, "RelayState"),
    }
}

/// The application's IdP metadata, as a service provider downloads it.
pub async fn metadata_xml(app: &Client, application: &str) -> String {
    app.http
        .get(format!("{}/saml/apps/{application}/metadata", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The signing certificate of the application's downloaded metadata.
pub async fn metadata_certificate(app: &Client, application: &str) -> CertificateDer {
    let xml = metadata_xml(app, application).await;
    let b64 = regex::Regex::new(
        "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>([^<]+)<",
    )
    .unwrap()
    .captures(&xml)
    .expect("a signing certificate")[1]
        .to_owned();
    CertificateDer::from(STANDARD.decode(b64).unwrap())
}

/// Every signing certificate of the application's downloaded metadata (during a rollover, the
/// active key's and the pending or retired ones').
pub async fn metadata_certificates(app: &Client, application: &str) -> Vec<CertificateDer> {
    let xml = metadata_xml(app, application).await;
    let certificates: Vec<CertificateDer> = regex::Regex::new(
        "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>([^<]+)<",
    )
    .unwrap()
    .captures_iter(&xml)
    .map(|c| CertificateDer::from(STANDARD.decode(&c[1]).unwrap()))
    .collect();
    assert!(!certificates.is_empty(), "no signing certificate in {xml}");
    certificates
}

fn text_of(xml: &str, pattern: &str) -> Option<String> {
    regex::Regex::new(pattern)
        .unwrap()
        .captures(xml)
        .map(|c| c[1].to_owned())
}

/// Checks the Response as an SP would; returns the NameID.
pub fn check_response(
    xml: &str,
    certificate: &CertificateDer,
    application: &str,
    in_response_to: Option<&str>,
) -> String {
    check_response_with(
        xml,
        std::slice::from_ref(certificate),
        application,
        in_response_to,
    )
}

/// [`check_response`] with every certificate the SP's metadata holds.
pub fn check_response_with(
    xml: &str,
    certificates: &[CertificateDer],
    application: &str,
    in_response_to: Option<&str>,
) -> String {
    check_response_of(
        "http://127.0.0.1",
        xml,
        certificates,
        application,
        in_response_to,
    )
}

/// [`check_response_with`] from a server whose `public_url` is `public_url`.
pub fn check_response_of(
    public_url: &str,
    xml: &str,
    certificates: &[CertificateDer],
    application: &str,
    in_response_to: Option<&str>,
) -> String {
    // The signed assertion, verified with the metadata's keys and only through the signature:
    // xmlsec reduces the document to what the signature covers.
    let signed = Crypto::reduce_xml_to_signed(xml, certificates, Default::default())
        .unwrap_or_else(|e| panic!("the signature does not verify: {e}\n{xml}"));
    assert!(signed.contains("<saml:Assertion"), "{signed}");
    let idp = format!("{public_url}/saml/apps/{application}");
    assert_eq!(
        text_of(&signed, "<saml:Issuer>([^<]+)<").as_deref(),
        Some(idp.as_str())
    );
    assert_eq!(
        text_of(&signed, "<saml:Audience>([^<]+)<").as_deref(),
        Some(AUDIENCE)
    );
    assert_eq!(
        text_of(&signed, "Recipient=\"([^\"]+)\"").as_deref(),
        Some(ACS)
    );
    assert_eq!(
        text_of(xml, "Destination=\"([^\"]+)\"").as_deref(),
        Some(ACS)
    );
    assert_eq!(
        text_of(&signed, "<saml:SubjectConfirmation Method=\"([^\"]+)\"").as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:cm:bearer")
    );
    assert_eq!(
        text_of(
            &signed,
            "SubjectConfirmationData[^>]*InResponseTo=\"([^\"]+)\""
        )
        .as_deref(),
        in_response_to
    );
    assert_eq!(
        text_of(xml, "<samlp:StatusCode Value=\"([^\"]+)\"").as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:status:Success")
    );
    let not_on_or_after: chrono::DateTime<Utc> = text_of(
        &signed,
        "<saml:Conditions NotBefore=\"[^\"]+\" NotOnOrAfter=\"([^\"]+)\"",
    )
    .unwrap()
    .parse()
    .unwrap();
    assert!(not_on_or_after > Utc::now());
    assert!(not_on_or_after < Utc::now() + chrono::Duration::seconds(301));
    text_of(&signed, "<saml:NameID[^>]*>([^<]+)<").expect("a NameID")
}

/// An AuthnRequest by HTTP-Redirect, as Alibaba Cloud sends it.
pub fn redirect_query(id: &str, relay_state: Option<&str>) -> String {
    let xml = authn_request(id, AUDIENCE, ACS, Utc::now());
    let mut query = format!("SAMLRequest={}", encode(&deflate(xml.as_bytes())));
    if let Some(relay) = relay_state {
        query.push_str(&format!("&RelayState={}", encode(relay)));
    }
    query
}

/// An AuthnRequest from `issuer` that asks for the Response at `acs`.
pub fn authn_request(id: &str, issuer: &str, acs: &str, instant: chrono::DateTime<Utc>) -> String {
    format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" \
         IssueInstant=\"{}\" AssertionConsumerServiceURL=\"{acs}\" \
         ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\">\
         <saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>",
        instant.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// Raw DEFLATE, then base64: the HTTP-Redirect binding's encoding of a message.
pub fn deflate(xml: &[u8]) -> String {
    use std::io::Write;
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(xml).unwrap();
    STANDARD.encode(encoder.finish().unwrap())
}

/// The XML of an HTTP-Redirect message's parameter (base64, raw DEFLATE).
pub fn inflate(encoded: &str) -> String {
    use std::io::Read;
    let compressed = STANDARD.decode(encoded).expect("base64");
    let mut xml = String::new();
    flate2::read::DeflateDecoder::new(&compressed[..])
        .read_to_string(&mut xml)
        .expect("DEFLATE");
    xml
}

/// Percent-encodes a query parameter's value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
