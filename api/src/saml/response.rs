//! SAML Responses: the XML as DESIGN.md lists it (Issuer, Destination, Status, an Assertion
//! with Issuer, Subject with NameID and bearer SubjectConfirmation, Conditions with
//! AudienceRestriction, AuthnStatement, attributes), the assertion always signed and the
//! response too when the application asks, and the auto-submitting form of the HTTP-POST
//! binding that carries it to the ACS.
//!
//! Building is pure; [`sign`] signs ([`super::dsig`]) and belongs on the blocking pool.

use std::fmt::Write;
use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::dsig::{Element, Ns, SignatureMethod};
use super::encrypt::{encrypt_assertion, Encryption};
use crate::keys::Signer;

pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
pub const STATUS_REQUESTER: &str = "urn:oasis:names:tc:SAML:2.0:status:Requester";
pub const STATUS_RESPONDER: &str = "urn:oasis:names:tc:SAML:2.0:status:Responder";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// How much earlier than now an assertion is valid from, for service providers whose clock is
/// a little behind.
const NOT_BEFORE_SLACK_SECS: i64 = 60;

/// One attribute of the AttributeStatement, its values resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub name_format: String,
    pub values: Vec<String>,
}

/// Everything a Response says.
#[derive(Clone, Debug)]
pub struct ResponseContent<'a> {
    pub idp_entity_id: &'a str,
    /// The ACS: the response's Destination and the confirmation's Recipient.
    pub acs_url: &'a str,
    /// The SP entity ID: the audience.
    pub audience: &'a str,
    pub in_response_to: Option<&'a str>,
    pub name_id: &'a str,
    pub name_id_format: &'a str,
    pub session_index: &'a str,
    pub authn_instant: DateTime<Utc>,
    pub authn_context: &'a str,
    pub attributes: &'a [Attribute],
    pub issued_at: DateTime<Utc>,
    pub lifetime: Duration,
}

/// A time as SAML writes it (xs:dateTime in UTC, to the second).
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn new_message_id() -> String {
    format!("_{}", uuid::Uuid::new_v4().simple())
}

fn issuer(content: &ResponseContent<'_>) -> Element {
    issuer_named(content.idp_entity_id)
}

fn issuer_named(entity_id: &str) -> Element {
    Element::new(Ns::Saml, "Issuer").text(entity_id)
}

/// The unsigned assertion. Exclusive canonicalisation makes its signature hold once it is
/// inside the response.
fn assertion(content: &ResponseContent<'_>, id: &str) -> Element {
    let not_before = content.issued_at - Duration::seconds(NOT_BEFORE_SLACK_SECS);
    let not_on_or_after = instant(content.issued_at + content.lifetime);
    let subject = Element::new(Ns::Saml, "Subject")
        .child(
            Element::new(Ns::Saml, "NameID")
                .attr("Format", content.name_id_format)
                .text(content.name_id),
        )
        .child(
            Element::new(Ns::Saml, "SubjectConfirmation")
                .attr("Method", BEARER)
                .child(
                    Element::new(Ns::Saml, "SubjectConfirmationData")
                        .attr_opt("InResponseTo", content.in_response_to)
                        .attr("NotOnOrAfter", not_on_or_after.clone())
                        .attr("Recipient", content.acs_url),
                ),
        );
    let conditions = Element::new(Ns::Saml, "Conditions")
        .attr("NotBefore", instant(not_before))
        .attr("NotOnOrAfter", not_on_or_after)
        .child(
            Element::new(Ns::Saml, "AudienceRestriction")
                .child(Element::new(Ns::Saml, "Audience").text(content.audience)),
        );
    let authn_statement = Element::new(Ns::Saml, "AuthnStatement")
        .attr("AuthnInstant", instant(content.authn_instant))
        .attr("SessionIndex", content.session_index)
        .child(
            Element::new(Ns::Saml, "AuthnContext")
                .child(Element::new(Ns::Saml, "AuthnContextClassRef").text(content.authn_context)),
        );
    let attributes: Vec<Element> = content
        .attributes
        .iter()
        .filter(|a| !a.values.is_empty())
        .map(|attribute| {
            Element::new(Ns::Saml, "Attribute")
                .attr("Name", attribute.name.as_str())
                .attr("NameFormat", attribute.name_format.as_str())
                .children(attribute.values.iter().map(|value| {
                    Element::new(Ns::Saml, "AttributeValue")
                        .qualified_attr(Ns::Xsi, "type", "xs:string")
                        .text(value.as_str())
                }))
        })
        .collect();
    let mut assertion = Element::new(Ns::Saml, "Assertion")
        .declare(Ns::Xs)
        .declare(Ns::Xsi)
        .attr("ID", id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(content.issued_at))
        .child(issuer(content))
        .child(subject)
        .child(conditions)
        .child(authn_statement);
    if !attributes.is_empty() {
        assertion =
            assertion.child(Element::new(Ns::Saml, "AttributeStatement").children(attributes));
    }
    assertion
}

/// The response around an already signed assertion (or its encrypted form).
fn response(content: &ResponseContent<'_>, id: &str, signed_assertion: Element) -> Element {
    Element::new(Ns::Samlp, "Response")
        .declare(Ns::Saml)
        .attr("ID", id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(content.issued_at))
        .attr("Destination", content.acs_url)
        .attr_opt("InResponseTo", content.in_response_to)
        .child(issuer(content))
        .child(
            Element::new(Ns::Samlp, "Status")
                .child(Element::new(Ns::Samlp, "StatusCode").attr("Value", STATUS_SUCCESS)),
        )
        .child(signed_assertion)
}

/// Builds and signs a response: the assertion always, the response when `sign_response`; each
/// signature right after its element's Issuer, as the SAML schema places it. With
/// `encryption`, the signed assertion travels encrypted for the SP. CPU-bound (RSA): call it
/// on the blocking pool.
pub fn sign(
    content: &ResponseContent<'_>,
    signer: &Signer,
    method: SignatureMethod,
    sign_response: bool,
    encryption: Option<&Encryption>,
) -> anyhow::Result<String> {
    let mut assertion = assertion(content, &new_message_id());
    assertion
        .sign(1, signer, method)
        .map_err(|err| err.context("signing the assertion"))?;
    // Signed first, then encrypted: the SP verifies what it decrypted.
    let carried = match encryption {
        Some(to) => encrypt_assertion(&assertion.to_document(), &to.certificate_der, to.cipher)
            .map_err(|err| err.context("encrypting the assertion"))?,
        None => assertion,
    };
    let mut response = response(content, &new_message_id(), carried);
    if sign_response {
        response
            .sign(1, signer, method)
            .map_err(|err| err.context("signing the response"))?;
    }
    Ok(response.to_document())
}

/// Why a request is answered without an assertion (SAML 2.0 core §3.2.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `IsPassive` and the employee would have to sign in.
    NoPassive,
    /// The `NameIDPolicy` asks for what this application cannot give.
    InvalidNameIdPolicy,
    /// The `RequestedAuthnContext` cannot be met by how the employee signed in.
    NoAuthnContext,
    /// The access decision said no.
    RequestDenied,
}

impl Failure {
    /// The top-level and second-level status codes.
    pub fn codes(self) -> (&'static str, &'static str) {
        match self {
            Failure::NoPassive => (
                STATUS_RESPONDER,
                "urn:oasis:names:tc:SAML:2.0:status:NoPassive",
            ),
            Failure::InvalidNameIdPolicy => (
                STATUS_REQUESTER,
                "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy",
            ),
            Failure::NoAuthnContext => (
                STATUS_REQUESTER,
                "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext",
            ),
            Failure::RequestDenied => (
                STATUS_RESPONDER,
                "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
            ),
        }
    }

    /// The second-level code's name, for the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Failure::NoPassive => "NoPassive",
            Failure::InvalidNameIdPolicy => "InvalidNameIDPolicy",
            Failure::NoAuthnContext => "NoAuthnContext",
            Failure::RequestDenied => "RequestDenied",
        }
    }
}

/// A Response that answers a request with a failure status and no assertion.
#[derive(Clone, Debug)]
pub struct FailureContent<'a> {
    pub idp_entity_id: &'a str,
    pub acs_url: &'a str,
    pub in_response_to: &'a str,
    pub failure: Failure,
    /// For the service provider's logs.
    pub message: &'a str,
    pub issued_at: DateTime<Utc>,
}

/// Builds and signs a failure Response (the response itself: it carries no assertion).
/// CPU-bound: call it on the blocking pool.
pub fn sign_failure(
    content: &FailureContent<'_>,
    signer: &Signer,
    method: SignatureMethod,
) -> anyhow::Result<String> {
    let (top, second) = content.failure.codes();
    let mut response = Element::new(Ns::Samlp, "Response")
        .declare(Ns::Saml)
        .attr("ID", new_message_id())
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(content.issued_at))
        .attr("Destination", content.acs_url)
        .attr("InResponseTo", content.in_response_to)
        .child(issuer_named(content.idp_entity_id))
        .child(
            Element::new(Ns::Samlp, "Status")
                .child(
                    Element::new(Ns::Samlp, "StatusCode")
                        .attr("Value", top)
                        .child(Element::new(Ns::Samlp, "StatusCode").attr("Value", second)),
                )
                .child(Element::new(Ns::Samlp, "StatusMessage").text(content.message)),
        );
    response
        .sign(1, signer, method)
        .map_err(|err| err.context("signing the response"))?;
    Ok(response.to_document())
}

/// The script that submits the form, allowed by its hash in the Content-Security-Policy.
const SUBMIT_SCRIPT: &str = "document.forms[0].submit();";

/// The auto-submitting HTML form of the HTTP-POST binding and the Content-Security-Policy it
/// is served with. Everything in it is escaped; without JavaScript a visible button submits.
pub fn post_form(acs_url: &str, saml_response_xml: &str, relay_state: Option<&str>) -> PostForm {
    binding_form(
        acs_url,
        "SAMLResponse",
        saml_response_xml,
        relay_state,
        false,
    )
}

/// The HTTP-POST binding's form for any message (`field` is `SAMLRequest` or `SAMLResponse`);
/// `framed` lets this server's own pages show it in a frame (single logout does).
pub fn binding_form(
    action: &str,
    field: &str,
    xml: &str,
    relay_state: Option<&str>,
    framed: bool,
) -> PostForm {
    let e = crate::request::html_escape;
    let relay = relay_state
        .map(|r| {
            format!(
                "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                e(r)
            )
        })
        .unwrap_or_default();
    // The encoded message is most of the page: it is written into it, not copied there.
    let mut html = String::with_capacity(512 + xml.len() * 4 / 3 + relay.len());
    html.push_str(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Signing in…</title></head><body><form method=\"post\" action=\"",
    );
    html.push_str(&e(action));
    let _ = write!(
        html,
        "\"><input type=\"hidden\" name=\"{}\" value=\"",
        e(field)
    );
    STANDARD.encode_string(xml, &mut html);
    let _ = write!(
        html,
        "\">{relay}<noscript><p>JavaScript is off. Press Continue to go on.</p>\
         <button type=\"submit\">Continue</button></noscript></form>\
         <script>{SUBMIT_SCRIPT}</script></body></html>"
    );
    // No form-action: browsers apply it to the redirects after the POST too, and ACSs redirect
    // on to their application. The form's target is a registered endpoint, never user input.
    static HASH: LazyLock<String> =
        LazyLock::new(|| STANDARD.encode(openssl::sha::sha256(SUBMIT_SCRIPT.as_bytes())));
    let ancestors = if framed { "'self'" } else { "'none'" };
    PostForm {
        html,
        csp: format!(
            "default-src 'none'; script-src 'sha256-{}'; style-src 'unsafe-inline'; \
             base-uri 'none'; frame-ancestors {ancestors}",
            *HASH
        ),
    }
}

/// An auto-submitting form posting `fields` to `action` (OAuth's `form_post` response mode).
pub fn fields_form(action: &str, fields: &[(&str, &str)]) -> PostForm {
    let e = crate::request::html_escape;
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Signing in…</title></head><body><form method=\"post\" action=\"",
    );
    html.push_str(&e(action));
    html.push_str("\">");
    for (name, value) in fields {
        let _ = write!(
            html,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            e(name),
            e(value)
        );
    }
    let _ = write!(
        html,
        "<noscript><p>JavaScript is off. Press Continue to go on.</p>\
         <button type=\"submit\">Continue</button></noscript></form>\
         <script>{SUBMIT_SCRIPT}</script></body></html>"
    );
    PostForm {
        html,
        csp: binding_form("", "", "", None, false).csp,
    }
}

pub struct PostForm {
    pub html: String,
    pub csp: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::dsig;
    use entity::signing_key::KeyAlgorithm;
    use samael::crypto::{CertificateDer, Crypto, CryptoProvider};

    pub fn test_signer(algorithm: KeyAlgorithm) -> Signer {
        crate::saml::metadata::tests::signer(algorithm)
    }

    fn content<'a>(attributes: &'a [Attribute], now: DateTime<Utc>) -> ResponseContent<'a> {
        ResponseContent {
            idp_entity_id: "https://idp.example.com/saml/apps/a1",
            acs_url: "https://signin-intl.aliyun.com/saml/SSO",
            audience: "https://signin-intl.aliyun.com/5123456789012345/saml/SSO",
            in_response_to: Some("_req\"<1>"),
            name_id: "alice@5123456789012345.onaliyun.com",
            name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            session_index: "_s1",
            authn_instant: now,
            authn_context: super::super::context::AC_PASSWORD_PROTECTED,
            attributes,
            issued_at: now,
            lifetime: Duration::seconds(300),
        }
    }

    fn verify(xml: &str, signer: &Signer) -> Result<(), samael::crypto::CryptoError> {
        Crypto::verify_signed_xml(
            xml,
            &CertificateDer::from(signer.certificate_der.clone()),
            Some("ID"),
        )
    }

    #[test]
    fn the_assertion_is_signed_and_holds_inside_the_response() {
        for algorithm in [KeyAlgorithm::Rsa2048, KeyAlgorithm::EcdsaP256] {
            let signer = test_signer(algorithm);
            let now = Utc::now();
            let attributes = [Attribute {
                name: "https://www.aliyun.com/SAML-Role/Attributes/Role".into(),
                name_format: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri".into(),
                values: vec![
                    "acs:ram::1:role/a,acs:ram::1:saml-provider/x".into(),
                    "<&>".into(),
                ],
            }];
            let method = SignatureMethod::for_key(algorithm, "rsa-sha256");
            let xml = sign(&content(&attributes, now), &signer, method, false, None).unwrap();
            assert!(xml.starts_with("<samlp:Response"), "{xml}");
            assert_eq!(xml.matches("<ds:Signature xmlns").count(), 1);
            assert!(xml.contains("InResponseTo=\"_req&quot;&lt;1>\""));
            assert!(xml.contains(
                "<saml:AttributeValue xsi:type=\"xs:string\">&lt;&amp;&gt;</saml:AttributeValue>"
            ));
            assert!(xml.contains(method.signature));
            // The signature found first is the assertion's: it verifies in place.
            verify(&xml, &signer).unwrap_or_else(|e| panic!("{algorithm:?}: {e}\n{xml}"));
            let tampered = xml.replace("alice@", "mallory@");
            assert!(verify(&tampered, &signer).is_err());

            let both = sign(&content(&attributes, now), &signer, method, true, None).unwrap();
            assert_eq!(both.matches("<ds:Signature xmlns").count(), 2);
            verify(&both, &signer).unwrap_or_else(|e| panic!("{algorithm:?}: {e}\n{both}"));
            let other = test_signer(algorithm);
            assert!(verify(&both, &other).is_err());
        }
    }

    #[test]
    fn hostile_values_are_signed_as_xmlsec_signs_them() {
        let signer = test_signer(KeyAlgorithm::Rsa2048);
        let method = SignatureMethod::for_key(KeyAlgorithm::Rsa2048, "rsa-sha256");
        let now = Utc::now();
        for text in [
            "tab\there",
            "line\nbreak and cr\r\nlf",
            "<&>\"'",
            "]]>",
            "ünïcødé 名前 😀",
            "a\u{1}\u{FFFE}b",
            "  spaced  ",
            "&amp; &#x9;",
        ] {
            let attributes = [Attribute {
                name: format!("urn:x:{text}"),
                name_format: text.into(),
                values: vec![text.into(), String::new(), "second".into()],
            }];
            let mut content = content(&attributes, now);
            content.name_id = text;
            content.in_response_to = Some(text);
            content.audience = text;
            let mut ours = assertion(&content, "_a1");
            ours.sign(1, &signer, method).unwrap();
            let reference =
                dsig::tests::signed_by_xmlsec(assertion(&content, "_a1"), 1, &signer, method);
            assert_eq!(
                dsig::tests::first_values(&ours.to_document()),
                dsig::tests::first_values(&reference),
                "{text:?}"
            );
            // The response's signature covers the signed assertion.
            let mut whole = response(&content, "_r1", ours.clone());
            whole.sign(1, &signer, method).unwrap();
            let reference =
                dsig::tests::signed_by_xmlsec(response(&content, "_r1", ours), 1, &signer, method);
            let whole = whole.to_document();
            assert_eq!(
                dsig::tests::first_values(&whole),
                dsig::tests::first_values(&reference),
                "{text:?}"
            );
            assert!(dsig::tests::verifies(&whole, &signer), "{text:?}\n{whole}");
        }
    }

    #[test]
    fn a_failure_is_a_signed_response_without_an_assertion() {
        let signer = test_signer(KeyAlgorithm::Rsa2048);
        let method = SignatureMethod::for_key(KeyAlgorithm::Rsa2048, "rsa-sha256");
        for failure in [
            Failure::NoPassive,
            Failure::InvalidNameIdPolicy,
            Failure::NoAuthnContext,
            Failure::RequestDenied,
        ] {
            let content = FailureContent {
                idp_entity_id: "https://idp.example.com/saml/apps/a1",
                acs_url: "https://sp.example.com/acs",
                in_response_to: "_req1",
                failure,
                message: "no <session>",
                issued_at: Utc::now(),
            };
            let xml = sign_failure(&content, &signer, method).unwrap();
            let (top, second) = failure.codes();
            assert!(
                xml.contains(&format!(
                    "<samlp:StatusCode Value=\"{top}\"><samlp:StatusCode Value=\"{second}\">"
                )),
                "{xml}"
            );
            assert!(xml.contains("InResponseTo=\"_req1\""));
            assert!(xml.contains("no &lt;session&gt;"));
            assert!(!xml.contains("Assertion"));
            verify(&xml, &signer).unwrap_or_else(|e| panic!("{failure:?}: {e}\n{xml}"));
            assert!(verify(&xml.replace("_req1", "_req2"), &signer).is_err());
        }
    }

    #[test]
    fn rsa_sha512_is_used_when_asked_and_only_for_rsa() {
        assert!(
            SignatureMethod::for_key(KeyAlgorithm::Rsa2048, "rsa-sha512")
                .signature
                .ends_with("rsa-sha512")
        );
        assert!(
            SignatureMethod::for_key(KeyAlgorithm::EcdsaP256, "rsa-sha512")
                .signature
                .ends_with("ecdsa-sha256")
        );
    }

    #[test]
    fn the_post_form_escapes_and_allows_only_its_own_script() {
        let form = post_form(
            "https://sp.example.com/acs?a=1&b=\"2\"",
            "<x/>",
            Some("\"><script>alert(1)</script>"),
        );
        assert!(form
            .html
            .contains("action=\"https://sp.example.com/acs?a=1&amp;b=&quot;2&quot;\""));
        assert!(!form.html.contains("<script>alert"));
        assert!(form.html.contains("&lt;script&gt;alert(1)"));
        assert!(form.html.contains("<noscript>"));
        assert!(form.html.contains(&STANDARD.encode("<x/>")));
        assert_eq!(form.html.matches("<script").count(), 1);
        assert!(form.csp.contains("script-src 'sha256-"));
        assert!(form.csp.starts_with("default-src 'none'"));
    }
}
