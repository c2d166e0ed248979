//! Hostile input at the SSO endpoints and the sign-in form: each case is refused with a clear
//! 4xx, no assertion, and the server keeps serving. The employee is signed in throughout, so a
//! refusal is never just "please sign in".

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, Utc};
use lanyard_tests::saml::{
    authn_request, browser, deflate, encode, hidden, location, redirect_query, sign_in, tenant,
    Tenant, ACS, AUDIENCE, PASSWORD,
};
use lanyard_tests::TestApp;
use samael::crypto::{Crypto, CryptoProvider};
use serde_json::json;

const SP_KEY: &str = include_str!("../../interop/sp-key.pem");
const SP_CERT: &str = include_str!("../../interop/sp-cert.pem");
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// A tenant whose application requires AuthnRequests signed with the interop SP's key, and a
/// browser signed in as alice.
async fn signed_in(app: &TestApp, require_signed: bool) -> (Tenant, reqwest::Client) {
    let t = tenant(app).await;
    if require_signed {
        app.gql(
            "mutation($id: ID!, $c: String!) { configureApplicationSso(input: {id: $id, spCertificatePem: $c, authnRequestsSigned: true}) { application { id } } }",
            json!({ "id": t.app, "c": SP_CERT }),
        )
        .await;
    }
    let browser = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    assert_eq!(
        sign_in(&app.base, &browser, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    (t, browser)
}

/// The response is the refusal expected: `status`, a message containing `says`, no assertion;
/// and the server still answers.
async fn refused(app: &TestApp, response: reqwest::Response, status: u16, says: &str) {
    assert_eq!(response.status(), status);
    let body = response.text().await.unwrap();
    assert!(!body.contains("SAMLResponse"), "{body}");
    assert!(!body.contains("<saml:Assertion"), "{body}");
    assert!(body.contains(says), "expected {says:?} in {body}");
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

fn sso_url(app: &TestApp, t: &Tenant) -> String {
    format!("{}/saml/apps/{}/sso", app.base, t.app)
}

fn sp_key_der() -> Vec<u8> {
    openssl::pkey::PKey::private_key_from_pem(SP_KEY.as_bytes())
        .unwrap()
        .private_key_to_pkcs8()
        .unwrap()
}

/// An AuthnRequest with an enveloped signature by the SP's key.
fn signed_request(id: &str) -> String {
    let cert = STANDARD.encode(
        openssl::x509::X509::from_pem(SP_CERT.as_bytes())
            .unwrap()
            .to_der()
            .unwrap(),
    );
    let template = authn_request(id, AUDIENCE, ACS, Utc::now()).replace(
        "</saml:Issuer>",
        &format!(
            "</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\
             <ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
             <ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"/><ds:Reference URI=\"#{id}\"><ds:Transforms>\
             <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
             <ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>\
             <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
             <ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>\
             <ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data>\
             <ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"
        ),
    );
    let signed = Crypto::sign_xml(&template, &sp_key_der()).unwrap();
    signed
        .split_once("?>")
        .map(|(_, rest)| rest.trim().to_owned())
        .unwrap_or(signed)
}

/// A redirect query signed with the SP's key, with `sig_alg` named in it.
fn signed_query(id: &str, sig_alg: &str) -> String {
    let query = format!("{}&SigAlg={}", redirect_query(id, None), encode(sig_alg));
    let key = openssl::pkey::PKey::private_key_from_pem(SP_KEY.as_bytes()).unwrap();
    let mut signer =
        openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &key).unwrap();
    signer.update(query.as_bytes()).unwrap();
    format!(
        "{query}&Signature={}",
        encode(&STANDARD.encode(signer.sign_to_vec().unwrap()))
    )
}

#[tokio::test]
async fn a_properly_signed_request_is_answered_which_the_hostile_ones_are_measured_against() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, true).await;
    let posted = browser
        .post(sso_url(&app, &t))
        .form(&[("SAMLRequest", STANDARD.encode(signed_request("_good-post")))])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    assert!(posted.text().await.unwrap().contains("SAMLResponse"));
    let redirected = browser
        .get(format!(
            "{}?{}",
            sso_url(&app, &t),
            signed_query("_good-get", RSA_SHA256)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(redirected.status(), 200);
    assert!(redirected.text().await.unwrap().contains("SAMLResponse"));
    app.stop().await;
}

#[tokio::test]
async fn a_signed_request_wrapped_inside_a_forged_one_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, true).await;
    let genuine = signed_request("_genuine");
    let forged = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_forged\" Version=\"2.0\" \
         IssueInstant=\"{}\" AssertionConsumerServiceURL=\"https://evil.example.com/acs\">\
         <saml:Issuer>{AUDIENCE}</saml:Issuer><samlp:Extensions>{genuine}</samlp:Extensions>\
         </samlp:AuthnRequest>",
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    let response = browser
        .post(sso_url(&app, &t))
        .form(&[("SAMLRequest", STANDARD.encode(forged))])
        .send()
        .await
        .unwrap();
    refused(
        &app,
        response,
        400,
        "one enveloped signature of the message itself",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn an_unsigned_request_is_refused_where_signing_is_required() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, true).await;
    let response = browser
        .get(format!(
            "{}?{}",
            sso_url(&app, &t),
            redirect_query("_unsigned", None)
        ))
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "requires signed requests").await;
    let posted = browser
        .post(sso_url(&app, &t))
        .form(&[(
            "SAMLRequest",
            STANDARD.encode(authn_request("_unsigned-post", AUDIENCE, ACS, Utc::now())),
        )])
        .send()
        .await
        .unwrap();
    refused(&app, posted, 400, "requires signed requests").await;
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_issuer_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    let xml = authn_request("_stranger", "https://evil.example.com/sp", ACS, Utc::now());
    let response = browser
        .get(format!(
            "{}?SAMLRequest={}",
            sso_url(&app, &t),
            encode(&deflate(xml.as_bytes()))
        ))
        .send()
        .await
        .unwrap();
    refused(
        &app,
        response,
        400,
        "is not the service provider registered",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn an_unregistered_acs_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    for acs in [
        "https://evil.example.com/saml/SSO",
        "https://signin-intl.aliyun.com/saml/SSO?x=1",
    ] {
        let xml = authn_request(&format!("_acs-{}", acs.len()), AUDIENCE, acs, Utc::now());
        let response = browser
            .get(format!(
                "{}?SAMLRequest={}",
                sso_url(&app, &t),
                encode(&deflate(xml.as_bytes()))
            ))
            .send()
            .await
            .unwrap();
        refused(&app, response, 400, "is not the one registered").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_missing_or_unknown_sig_alg_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, true).await;
    let good = signed_query("_alg", RSA_SHA256);
    let without_alg = regex::Regex::new("&SigAlg=[^&]*")
        .unwrap()
        .replace(&good, "")
        .into_owned();
    let response = browser
        .get(format!("{}?{without_alg}", sso_url(&app, &t)))
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "no SigAlg").await;
    let without_signature = good.split("&Signature=").next().unwrap().to_owned();
    let response = browser
        .get(format!("{}?{without_signature}", sso_url(&app, &t)))
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "no Signature").await;
    for (n, alg) in [
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "urn:example:made-up",
        "",
    ]
    .into_iter()
    .enumerate()
    {
        let response = browser
            .get(format!(
                "{}?{}",
                sso_url(&app, &t),
                signed_query(&format!("_alg-{n}"), alg)
            ))
            .send()
            .await
            .unwrap();
        refused(&app, response, 400, "is not supported").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_deflate_bomb_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    // 8 MiB of one repeated request inflate from a few KiB.
    let xml = authn_request("_bomb", AUDIENCE, ACS, Utc::now());
    let padded = xml.replace(
        "</samlp:AuthnRequest>",
        &format!("{}</samlp:AuthnRequest>", " ".repeat(8 << 20)),
    );
    let compressed = deflate(padded.as_bytes());
    assert!(compressed.len() < 64 * 1024, "{}", compressed.len());
    let response = browser
        .get(format!(
            "{}?SAMLRequest={}",
            sso_url(&app, &t),
            encode(&compressed)
        ))
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "larger than 65536 bytes").await;
    app.stop().await;
}

#[tokio::test]
async fn doctype_and_entities_are_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    let xml = authn_request("_dtd", AUDIENCE, ACS, Utc::now());
    for hostile in [
        format!("<!DOCTYPE x [<!ENTITY big \"{}\">]>{xml}", "a".repeat(100)),
        format!(
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>{}",
            xml.replace("</saml:Issuer>", "&ext;</saml:Issuer>")
        ),
    ] {
        let response = browser
            .post(sso_url(&app, &t))
            .form(&[("SAMLRequest", STANDARD.encode(&hostile))])
            .send()
            .await
            .unwrap();
        refused(
            &app,
            response,
            400,
            "DTDs and entity declarations are refused",
        )
        .await;
    }
    // An entity reference without a declaration is simply malformed.
    let undeclared = xml.replace("</saml:Issuer>", "&ext;</saml:Issuer>");
    let response = browser
        .post(sso_url(&app, &t))
        .form(&[("SAMLRequest", STANDARD.encode(&undeclared))])
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "not well-formed").await;
    app.stop().await;
}

#[tokio::test]
async fn a_stale_issue_instant_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    for (n, instant) in [
        Utc::now() - Duration::minutes(10),
        Utc::now() + Duration::minutes(10),
    ]
    .into_iter()
    .enumerate()
    {
        let xml = authn_request(&format!("_stale-{n}"), AUDIENCE, ACS, instant);
        let response = browser
            .get(format!(
                "{}?SAMLRequest={}",
                sso_url(&app, &t),
                encode(&deflate(xml.as_bytes()))
            ))
            .send()
            .await
            .unwrap();
        refused(&app, response, 400, "too far from the current time").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_replayed_request_id_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    let url = format!("{}?{}", sso_url(&app, &t), redirect_query("_once", None));
    let first = browser.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert!(first.text().await.unwrap().contains("SAMLResponse"));
    let replayed = browser.get(&url).send().await.unwrap();
    refused(&app, replayed, 409, "was already received").await;
    // Also by the other binding, and by another browser.
    let xml = authn_request("_once", AUDIENCE, ACS, Utc::now());
    let posted = reqwest::Client::new()
        .post(sso_url(&app, &t))
        .form(&[("SAMLRequest", STANDARD.encode(xml))])
        .send()
        .await
        .unwrap();
    refused(&app, posted, 409, "was already received").await;
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_relay_state_is_refused() {
    let app = TestApp::spawn().await;
    let (t, browser) = signed_in(&app, false).await;
    let relay = "r".repeat(81);
    let response = browser
        .get(format!(
            "{}?{}",
            sso_url(&app, &t),
            redirect_query("_relay", Some(&relay))
        ))
        .send()
        .await
        .unwrap();
    refused(&app, response, 400, "RelayState is longer than 80 bytes").await;
    let exactly = "r".repeat(80);
    let fine = browser
        .get(format!(
            "{}?{}",
            sso_url(&app, &t),
            redirect_query("_relay-80", Some(&exactly))
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_sign_in_post_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let url = format!("{}/sso/{}/login", app.base, t.instance);
    let attacker = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let no_token = attacker
        .post(&url)
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    refused(&app, no_token, 403, "was not sent from this site").await;
    // A token from one browser is worthless with another's cookie.
    let victim = browser();
    let page = victim.get(&url).send().await.unwrap().text().await.unwrap();
    let token = hidden(&page, "csrf").unwrap();
    let other = browser();
    other.get(&url).send().await.unwrap();
    let stolen = other
        .post(&url)
        .form(&[
            ("csrf", token.as_str()),
            ("username", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    refused(&app, stolen, 403, "was not sent from this site").await;
    app.stop().await;
}

#[tokio::test]
async fn no_parameter_redirects_off_site() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    // `continue` names places on this server only; anything else means the portal.
    for hostile in [
        "https://evil.example.com",
        "//evil.example.com",
        "app:https://evil.example.com",
        "request:..%2F..%2Fevil",
        "%2F%2Fevil.example.com",
    ] {
        let login = format!("{}/sso/{}/login?continue={hostile}", app.base, t.instance);
        let response = sign_in(&app.base, &browser(), &login, "alice", PASSWORD).await;
        assert_eq!(response.status(), 303, "{hostile}");
        let target = location(&response);
        assert_eq!(
            target,
            format!("http://127.0.0.1/sso/{}/portal", t.instance),
            "{hostile}"
        );
    }
    // Signed in, the sign-in page goes straight on — to the same safe places.
    let browser = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    assert_eq!(
        sign_in(&app.base, &browser, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let response = browser
        .get(format!(
            "{}/sso/{}/login?continue=https://evil.example.com",
            app.base, t.instance
        ))
        .send()
        .await
        .unwrap();
    assert!(location(&response).starts_with("http://127.0.0.1/sso/"));
    // A RelayState pointing elsewhere is only handed back to the registered ACS, never followed.
    let response = browser
        .get(format!(
            "{}?{}",
            sso_url(&app, &t),
            redirect_query("_relay-evil", Some("https://evil.example.com/"))
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("location").is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("action=\"{ACS}\"")), "{page}");
    assert_eq!(
        hidden(&page, "RelayState").as_deref(),
        Some("https://evil.example.com/")
    );
    // A pending-request path that is not a request id goes nowhere.
    for bogus in [
        "https:%2F%2Fevil.example.com",
        "..%2F..%2Fetc",
        "0190a0a0-0000-7000-8000-000000000000",
    ] {
        let response = browser
            .get(format!("{}/saml/requests/{bogus}", app.base))
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("location").is_none(), "{bogus}");
        assert!(
            response.status().is_client_error(),
            "{bogus}: {}",
            response.status()
        );
    }
    app.stop().await;
}
