//! `saml_signed`: signature verification of signed AuthnRequests, structure-aware. Every input
//! starts from a request the interop SP's key really signed (`fixtures/`, written by
//! `fuzz/seeds.py`) and edits it — bytes changed, inserted or deleted, XML fragments
//! inserted, spans copied or moved (the shapes of signature-wrapping attacks) — before the
//! server decodes and verifies it with the SP's certificate, a signature being required.
//!
//! What must hold: whatever verifies says what was signed. A request that passes carries the
//! signed ID, instant, `ForceAuthn` and (by HTTP-Redirect) RelayState, however the rest of
//! the document was changed.

use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, TimeZone, Utc};
use lanyard::saml::request::{Expectations, UnverifiedRequest, VerifiedRequest};

use super::{ACS_URL, SP_ENTITY_ID, SSO_URL};

const SIGNED_POST: &str = include_str!("../fixtures/signed-post.xml");
const SIGNED_REDIRECT: &str = include_str!("../fixtures/signed-redirect.txt");
const SP_CERTIFICATE: &str = include_str!("../../../tests/interop/sp-cert.pem");
const SIGNED_ID: &str = "_signed_request_1";
const SIGNED_RELAY: &str = "https://sp.example.com/after?x=1";

/// Most edits applied to one input, and the largest document they may grow.
const MAX_EDITS: usize = 24;
const MAX_DOCUMENT: usize = 64 * 1024;

/// Fragments worth inserting into a signed request: markup that moves or duplicates what a
/// reference points at, comments and entities that canonicalisation treats specially.
const FRAGMENTS: &[&str] = &[
    "<",
    ">",
    "/",
    "\"",
    " ",
    "ID=\"_signed_request_1\" ",
    "ID=\"_evil\" ",
    "xml:id=\"_signed_request_1\" ",
    "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_signed_request_1\" Version=\"2.0\" IssueInstant=\"2026-12-07T08:00:00Z\">",
    "</samlp:AuthnRequest>",
    "<samlp:Extensions>",
    "</samlp:Extensions>",
    "<saml:Issuer>https://sp.example.com/metadata</saml:Issuer>",
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">",
    "</ds:Signature>",
    "<ds:Object>",
    "</ds:Object>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#x5F;",
    " ForceAuthn=\"true\"",
    " AssertionConsumerServiceURL=\"https://evil.example.com/acs\"",
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "<!DOCTYPE r [<!ATTLIST samlp:AuthnRequest ID ID #IMPLIED>]>",
    "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ",
    "\n",
    "%",
    "&",
];

fn certificate() -> Option<&'static [u8]> {
    static DER: LazyLock<Option<Vec<u8>>> = LazyLock::new(|| {
        openssl::x509::X509::from_pem(SP_CERTIFICATE.as_bytes())
            .and_then(|cert| cert.to_der())
            .ok()
    });
    DER.as_deref()
}

/// Applies the edits of `script` (6 bytes each: operation, first position (2 bytes), argument,
/// second position (2 bytes)) to `document`. Positions wrap around its length.
fn edit(document: &mut Vec<u8>, script: &[u8]) {
    for step in script.chunks_exact(6).take(MAX_EDITS) {
        let len = document.len().max(1);
        let first = usize::from(u16::from_be_bytes([step[1], step[2]])) % len;
        let second = usize::from(u16::from_be_bytes([step[4], step[5]])) % len;
        let arg = step[3];
        let first = first.min(document.len());
        let second = second.min(document.len());
        let span_end = (first + usize::from(arg) * 4 + 1).min(document.len());
        match step[0] % 6 {
            0 if first < document.len() => document[first] = arg,
            1 => {
                let end = (first + usize::from(arg % 32) + 1).min(document.len());
                document.drain(first..end);
            }
            2 => document.insert(first, arg),
            3 => {
                let fragment = FRAGMENTS[usize::from(arg) % FRAGMENTS.len()].as_bytes();
                document.splice(first..first, fragment.iter().copied());
            }
            // A copy of a span, somewhere else.
            4 => {
                let span = document[first..span_end].to_vec();
                document.splice(second..second, span);
            }
            // A span moved (cut, then inserted at the second position of what is left).
            5 => {
                let span: Vec<u8> = document.drain(first..span_end).collect();
                let at = second.min(document.len());
                document.splice(at..at, span);
            }
            _ => {}
        }
        if document.len() > MAX_DOCUMENT {
            return;
        }
    }
}

fn expectations(certificate: &[u8]) -> Expectations<'_> {
    Expectations {
        sp_entity_id: SP_ENTITY_ID,
        acs_url: ACS_URL,
        sso_url: SSO_URL,
        sp_certificate: Some(certificate),
        signature_required: true,
        clock_skew: Duration::minutes(3),
    }
}

/// The first byte picks the binding (even: HTTP-POST, odd: HTTP-Redirect); the rest is the
/// edit script.
pub fn saml_signed(data: &[u8]) {
    let Some((&binding, script)) = data.split_first() else {
        return;
    };
    let by_redirect = binding % 2 == 1;
    if let Some(verified) = verify_edited(by_redirect, script) {
        assert_eq!(verified.id, SIGNED_ID, "a request verified with another ID");
        assert_eq!(Some(verified.issue_instant), signed_at());
        assert!(!verified.force_authn, "a request verified with ForceAuthn");
        if by_redirect {
            assert_eq!(verified.relay_state.as_deref(), Some(SIGNED_RELAY));
        }
    }
}

fn signed_at() -> Option<chrono::DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single()
}

/// The signed request of a binding, edited, as the server decodes and verifies it.
fn verify_edited(by_redirect: bool, script: &[u8]) -> Option<VerifiedRequest> {
    let certificate = certificate()?;
    let request = if by_redirect {
        UnverifiedRequest::from_redirect(&redirect(script))
    } else {
        let mut xml = SIGNED_POST.as_bytes().to_vec();
        edit(&mut xml, script);
        UnverifiedRequest::from_post(Some(&STANDARD.encode(&xml)), None)
    };
    request
        .ok()?
        .verify(&expectations(certificate), signed_at()?)
        .ok()
}

/// The signed query with its parameters edited: the script edits the decoded parameters
/// (`SAMLRequest` inflated, one per line); an edited parameter is encoded again, the others
/// keep the octets that were signed. A parameter whose line the edits removed is left out.
fn redirect(script: &[u8]) -> String {
    const NAMES: [&str; 4] = ["SAMLRequest", "RelayState", "SigAlg", "Signature"];
    let raw: Vec<&str> = SIGNED_REDIRECT
        .trim_end()
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(_, value)| value))
        .collect();
    let decoded: Vec<Vec<u8>> = raw
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let value = percent_decode(value);
            if i == 0 {
                inflate(&STANDARD.decode(value).unwrap_or_default())
            } else {
                value
            }
        })
        .collect();
    let mut document = decoded.join(&b'\n');
    edit(&mut document, script);
    let mut query = Vec::new();
    for (i, part) in document.splitn(4, |&b| b == b'\n').enumerate() {
        let value = if decoded.get(i).map(Vec::as_slice) == Some(part) {
            raw[i].to_owned()
        } else if i == 0 {
            percent_encode(STANDARD.encode(deflate(part)).as_bytes())
        } else {
            percent_encode(part)
        };
        query.push(format!("{}={value}", NAMES[i]));
    }
    query.join("&")
}

fn percent_decode(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn percent_encode(value: &[u8]) -> String {
    value
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn inflate(compressed: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    let _ = flate2::read::DeflateDecoder::new(compressed)
        .take(MAX_DOCUMENT as u64)
        .read_to_end(&mut out);
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The target is worth running only if its starting points verify, and an edit of what was
    /// signed does not.
    #[test]
    fn the_signed_requests_verify_as_signed_and_not_once_edited() {
        for by_redirect in [false, true] {
            let verified = verify_edited(by_redirect, &[]).expect("the fixture verifies");
            assert_eq!(verified.id, SIGNED_ID);
            // The ID's `t`: "_signed_requesX_1".
            let xml = if by_redirect {
                String::from_utf8(inflate(
                    &STANDARD
                        .decode(percent_decode(
                            SIGNED_REDIRECT
                                .split('&')
                                .next()
                                .and_then(|p| p.strip_prefix("SAMLRequest="))
                                .unwrap(),
                        ))
                        .unwrap(),
                ))
                .unwrap()
            } else {
                SIGNED_POST.to_owned()
            };
            let at = xml.find("_signed_request_1").unwrap() + 14;
            let [hi, lo] = u16::try_from(at).unwrap().to_be_bytes();
            assert!(verify_edited(by_redirect, &[0, hi, lo, b'X', 0, 0]).is_none());
        }
    }
}
