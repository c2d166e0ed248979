//! SAML Responses: the XML as DESIGN.md lists it (Issuer, Destination, Status, an Assertion
//! with Issuer, Subject with NameID and bearer SubjectConfirmation, Conditions with
//! AudienceRestriction, AuthnStatement, attributes), the assertion always signed and the
//! response too when the application asks, and the auto-submitting form of the HTTP-POST
//! binding that carries it to the ACS.
//!
//! Building is pure; [`sign`] runs xmlsec and belongs on the blocking pool.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use entity::signing_key::KeyAlgorithm;
use samael::crypto::{Crypto, CryptoProvider};

use super::xml::escape;
use crate::keys::Signer;

const NS_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const NS_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
pub const AC_PASSWORD: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password";
pub const AC_PASSWORD_PROTECTED: &str =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

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

/// Which algorithms sign, from the key and the application's preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignatureMethod {
    pub signature: &'static str,
    pub digest: &'static str,
}

impl SignatureMethod {
    /// ECDSA keys sign with ECDSA-SHA256; RSA keys with RSA-SHA256, or RSA-SHA512 when the
    /// application asks for `rsa-sha512`.
    pub fn for_key(algorithm: KeyAlgorithm, preference: &str) -> SignatureMethod {
        match (algorithm, preference) {
            (KeyAlgorithm::EcdsaP256, _) => SignatureMethod {
                signature: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                digest: "http://www.w3.org/2001/04/xmlenc#sha256",
            },
            (_, "rsa-sha512") => SignatureMethod {
                signature: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
                digest: "http://www.w3.org/2001/04/xmlenc#sha512",
            },
            _ => SignatureMethod {
                signature: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                digest: "http://www.w3.org/2001/04/xmlenc#sha256",
            },
        }
    }
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn new_message_id() -> String {
    format!("_{}", uuid::Uuid::new_v4().simple())
}

/// An empty enveloped-signature template referencing `id`, for xmlsec to fill in.
fn signature_template(id: &str, method: SignatureMethod, certificate_der: &[u8]) -> String {
    format!(
        "<ds:Signature xmlns:ds=\"{NS_DSIG}\"><ds:SignedInfo>\
         <ds:CanonicalizationMethod Algorithm=\"{EXC_C14N}\"/>\
         <ds:SignatureMethod Algorithm=\"{}\"/>\
         <ds:Reference URI=\"#{id}\"><ds:Transforms>\
         <ds:Transform Algorithm=\"{ENVELOPED}\"/><ds:Transform Algorithm=\"{EXC_C14N}\"/>\
         </ds:Transforms><ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue></ds:DigestValue>\
         </ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>\
         <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data>\
         </ds:KeyInfo></ds:Signature>",
        method.signature,
        method.digest,
        STANDARD.encode(certificate_der)
    )
}

/// The unsigned assertion (with its signature template), rooted so that it can be signed
/// alone: exclusive canonicalisation makes its signature hold once it is inside the response.
fn assertion(
    content: &ResponseContent<'_>,
    id: &str,
    method: SignatureMethod,
    certificate_der: &[u8],
) -> String {
    let e = escape;
    let not_before = content.issued_at - Duration::seconds(NOT_BEFORE_SLACK_SECS);
    let not_on_or_after = content.issued_at + content.lifetime;
    let in_response_to = content
        .in_response_to
        .map(|r| format!(" InResponseTo=\"{}\"", e(r)))
        .unwrap_or_default();
    let mut xml = String::with_capacity(4096);
    xml.push_str(&format!(
        "<saml:Assertion xmlns:saml=\"{NS_ASSERTION}\" \
         xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         ID=\"{id}\" Version=\"2.0\" IssueInstant=\"{}\">\
         <saml:Issuer>{}</saml:Issuer>{}\
         <saml:Subject><saml:NameID Format=\"{}\">{}</saml:NameID>\
         <saml:SubjectConfirmation Method=\"{BEARER}\">\
         <saml:SubjectConfirmationData NotOnOrAfter=\"{}\" Recipient=\"{}\"{in_response_to}/>\
         </saml:SubjectConfirmation></saml:Subject>\
         <saml:Conditions NotBefore=\"{}\" NotOnOrAfter=\"{}\">\
         <saml:AudienceRestriction><saml:Audience>{}</saml:Audience></saml:AudienceRestriction>\
         </saml:Conditions>\
         <saml:AuthnStatement AuthnInstant=\"{}\" SessionIndex=\"{}\">\
         <saml:AuthnContext><saml:AuthnContextClassRef>{}</saml:AuthnContextClassRef>\
         </saml:AuthnContext></saml:AuthnStatement>",
        instant(content.issued_at),
        e(content.idp_entity_id),
        signature_template(id, method, certificate_der),
        e(content.name_id_format),
        e(content.name_id),
        instant(not_on_or_after),
        e(content.acs_url),
        instant(not_before),
        instant(not_on_or_after),
        e(content.audience),
        instant(content.authn_instant),
        e(content.session_index),
        e(content.authn_context),
    ));
    let attributes: Vec<&Attribute> = content
        .attributes
        .iter()
        .filter(|a| !a.values.is_empty())
        .collect();
    if !attributes.is_empty() {
        xml.push_str("<saml:AttributeStatement>");
        for attribute in attributes {
            xml.push_str(&format!(
                "<saml:Attribute Name=\"{}\" NameFormat=\"{}\">",
                e(&attribute.name),
                e(&attribute.name_format)
            ));
            for value in &attribute.values {
                xml.push_str(&format!(
                    "<saml:AttributeValue xsi:type=\"xs:string\">{}</saml:AttributeValue>",
                    e(value)
                ));
            }
            xml.push_str("</saml:Attribute>");
        }
        xml.push_str("</saml:AttributeStatement>");
    }
    xml.push_str("</saml:Assertion>");
    xml
}

/// The response around an already signed assertion, with a signature template when the
/// response is to be signed too.
fn response(
    content: &ResponseContent<'_>,
    id: &str,
    signed_assertion: &str,
    response_signature: Option<String>,
) -> String {
    let e = escape;
    let in_response_to = content
        .in_response_to
        .map(|r| format!(" InResponseTo=\"{}\"", e(r)))
        .unwrap_or_default();
    format!(
        "<samlp:Response xmlns:samlp=\"{NS_PROTOCOL}\" xmlns:saml=\"{NS_ASSERTION}\" ID=\"{id}\" \
         Version=\"2.0\" IssueInstant=\"{}\" Destination=\"{}\"{in_response_to}>\
         <saml:Issuer>{}</saml:Issuer>{}\
         <samlp:Status><samlp:StatusCode Value=\"{STATUS_SUCCESS}\"/></samlp:Status>\
         {signed_assertion}</samlp:Response>",
        instant(content.issued_at),
        e(content.acs_url),
        e(content.idp_entity_id),
        response_signature.unwrap_or_default(),
    )
}

/// What xmlsec returns, without the XML declaration it adds.
fn without_declaration(xml: &str) -> &str {
    match xml.strip_prefix("<?xml") {
        Some(rest) => rest
            .find("?>")
            .map(|end| rest[end + 2..].trim_start())
            .unwrap_or(xml),
        None => xml,
    }
}

/// Builds and signs a response: the assertion always, the response when `sign_response`.
/// CPU-bound (xmlsec, RSA): call it on the blocking pool.
pub fn sign(
    content: &ResponseContent<'_>,
    signer: &Signer,
    method: SignatureMethod,
    sign_response: bool,
) -> anyhow::Result<String> {
    let assertion_id = new_message_id();
    let response_id = new_message_id();
    let unsigned = assertion(content, &assertion_id, method, &signer.certificate_der);
    let signed = Crypto::sign_xml(&unsigned, &signer.private_key_der)
        .map_err(|err| anyhow::anyhow!("signing the assertion: {err}"))?;
    let template =
        sign_response.then(|| signature_template(&response_id, method, &signer.certificate_der));
    let xml = response(
        content,
        &response_id,
        without_declaration(&signed),
        template,
    );
    if !sign_response {
        return Ok(xml);
    }
    let signed = Crypto::sign_xml(&xml, &signer.private_key_der)
        .map_err(|err| anyhow::anyhow!("signing the response: {err}"))?;
    Ok(without_declaration(&signed).to_owned())
}

/// The script that submits the form, allowed by its hash in the Content-Security-Policy.
const SUBMIT_SCRIPT: &str = "document.forms[0].submit();";

/// The auto-submitting HTML form of the HTTP-POST binding and the Content-Security-Policy it
/// is served with. Everything in it is escaped; without JavaScript a visible button submits.
pub fn post_form(acs_url: &str, saml_response_xml: &str, relay_state: Option<&str>) -> PostForm {
    let e = crate::http::html_escape;
    let relay = relay_state
        .map(|r| {
            format!(
                "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                e(r)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Signing in…</title></head><body>\
         <form method=\"post\" action=\"{}\">\
         <input type=\"hidden\" name=\"SAMLResponse\" value=\"{}\">{relay}\
         <noscript><p>JavaScript is off. Press Continue to finish signing in.</p>\
         <button type=\"submit\">Continue</button></noscript></form>\
         <script>{SUBMIT_SCRIPT}</script></body></html>",
        e(acs_url),
        STANDARD.encode(saml_response_xml),
    );
    let hash = STANDARD.encode(openssl::sha::sha256(SUBMIT_SCRIPT.as_bytes()));
    // No form-action: browsers apply it to the redirects after the POST too, and ACSs redirect
    // on to their application. The form's target is the registered ACS, never user input.
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'unsafe-inline'; \
         base-uri 'none'; frame-ancestors 'none'"
    );
    PostForm { html, csp }
}

pub struct PostForm {
    pub html: String,
    pub csp: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use samael::crypto::CertificateDer;

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
            authn_context: AC_PASSWORD_PROTECTED,
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
            let xml = sign(&content(&attributes, now), &signer, method, false).unwrap();
            assert!(xml.starts_with("<samlp:Response"), "{xml}");
            assert_eq!(xml.matches("<ds:Signature xmlns").count(), 1);
            assert!(xml.contains("InResponseTo=\"_req&quot;&lt;1&gt;\""));
            assert!(xml.contains(
                "<saml:AttributeValue xsi:type=\"xs:string\">&lt;&amp;&gt;</saml:AttributeValue>"
            ));
            assert!(xml.contains(method.signature));
            // The signature found first is the assertion's: it verifies in place.
            verify(&xml, &signer).unwrap_or_else(|e| panic!("{algorithm:?}: {e}\n{xml}"));
            let tampered = xml.replace("alice@", "mallory@");
            assert!(verify(&tampered, &signer).is_err());

            let both = sign(&content(&attributes, now), &signer, method, true).unwrap();
            assert_eq!(both.matches("<ds:Signature xmlns").count(), 2);
            verify(&both, &signer).unwrap_or_else(|e| panic!("{algorithm:?}: {e}\n{both}"));
            let other = test_signer(algorithm);
            assert!(verify(&both, &other).is_err());
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

    #[test]
    fn declarations_are_dropped() {
        assert_eq!(without_declaration("<?xml version=\"1.0\"?>\n<a/>"), "<a/>");
        assert_eq!(without_declaration("<a/>"), "<a/>");
    }
}
