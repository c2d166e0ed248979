//! Single Logout messages (SAML 2.0 core §3.7, bindings §3.4–3.5): `LogoutRequest`s and
//! `LogoutResponse`s from service providers, parsed at the boundary like AuthnRequests (the
//! same decoding, caps, DOCTYPE refusal, signature checks and wrapping defence of
//! [`super::request`]), and the ones this identity provider sends, signed by the binding's rule:
//! an enveloped signature for HTTP-POST, the query signature for HTTP-Redirect.
//!
//! samael's `LogoutRequest` type reads `SessionIndex` as an attribute (it is an element, and
//! there may be several) and has no `NotOnOrAfter`, so the fields are read here, from the
//! document the structural scan has already accepted.

use std::io::Write;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::dsig::{Element, Ns, SignatureMethod};
use super::request::{check_envelope, scan, valid_id, Binding, Delivered, RequestError};
use super::response::instant;
use crate::keys::Signer;

const NS_PROTOCOL: &[u8] = b"urn:oasis:names:tc:SAML:2.0:protocol";
const NS_ASSERTION: &[u8] = b"urn:oasis:names:tc:SAML:2.0:assertion";
pub use super::response::{STATUS_REQUESTER, STATUS_RESPONDER, STATUS_SUCCESS};
pub const STATUS_UNKNOWN_PRINCIPAL: &str = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal";
pub const STATUS_PARTIAL_LOGOUT: &str = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";

/// The most `SessionIndex` elements a request may name.
const MAX_SESSION_INDEXES: usize = 16;
/// The longest NameID, SessionIndex or status value read.
const MAX_VALUE_BYTES: usize = 1024;
/// How long a LogoutRequest this server sends is valid.
const REQUEST_LIFETIME_SECS: i64 = 300;

/// Which message arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The SP asks to end the principal's session.
    Request {
        name_id: String,
        name_id_format: Option<String>,
        session_indexes: Vec<String>,
        not_on_or_after: Option<DateTime<Utc>>,
    },
    /// The SP answers a LogoutRequest of this server.
    Response {
        in_response_to: String,
        /// The StatusCode values, top-level first.
        status: Vec<String>,
    },
}

/// What the document says, read once.
#[derive(Clone, Debug, Default)]
struct Fields {
    id: Option<String>,
    version: Option<String>,
    issue_instant: Option<String>,
    destination: Option<String>,
    in_response_to: Option<String>,
    not_on_or_after: Option<String>,
    issuer: Option<String>,
    name_id: Option<String>,
    name_id_format: Option<String>,
    encrypted_id: bool,
    session_indexes: Vec<String>,
    status: Vec<String>,
}

/// A decoded logout message that nothing has checked yet.
#[derive(Debug)]
pub struct UnverifiedLogout {
    delivered: Delivered,
    root: &'static str,
    fields: Fields,
    embedded_signature: bool,
}

/// What a logout message is checked against: the registered application.
#[derive(Clone, Debug)]
pub struct LogoutExpectations<'a> {
    pub sp_entity_id: &'a str,
    /// This application's SLO endpoint, the only acceptable Destination.
    pub slo_url: &'a str,
    pub sp_certificate: Option<&'a [u8]>,
    pub signature_required: bool,
    pub clock_skew: Duration,
}

/// A logout message from the registered service provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedLogout {
    pub id: String,
    pub binding: Binding,
    pub relay_state: Option<String>,
    pub message: Message,
}

fn too_long(what: &str) -> RequestError {
    RequestError::Malformed(format!("the {what} is longer than {MAX_VALUE_BYTES} bytes"))
}

impl UnverifiedLogout {
    /// An HTTP-Redirect message (`SAMLRequest` or `SAMLResponse`, not both) from its raw query.
    pub fn from_redirect(raw_query: &str) -> Result<UnverifiedLogout, RequestError> {
        let has = |name: &str| {
            raw_query
                .split('&')
                .any(|pair| pair.split_once('=').map_or(pair, |(k, _)| k) == name)
        };
        let param = match (has("SAMLRequest"), has("SAMLResponse")) {
            (true, true) => return Err(RequestError::Repeated("SAMLRequest/SAMLResponse")),
            (false, true) => "SAMLResponse",
            _ => "SAMLRequest",
        };
        UnverifiedLogout::parse(Delivered::from_redirect(raw_query, param)?)
    }

    /// An HTTP-POST message from its form fields.
    pub fn from_post(
        saml_request: Option<&str>,
        saml_response: Option<&str>,
        relay_state: Option<&str>,
    ) -> Result<UnverifiedLogout, RequestError> {
        let delivered = match (saml_request, saml_response) {
            (Some(_), Some(_)) => return Err(RequestError::Repeated("SAMLRequest/SAMLResponse")),
            (None, Some(response)) => {
                Delivered::from_post(Some(response), relay_state, "SAMLResponse")?
            }
            (request, None) => Delivered::from_post(request, relay_state, "SAMLRequest")?,
        };
        UnverifiedLogout::parse(delivered)
    }

    fn parse(delivered: Delivered) -> Result<UnverifiedLogout, RequestError> {
        let root = root_of(&delivered.xml)?;
        let shape = scan(&delivered.xml, root)?;
        let fields = read_fields(&delivered.xml)?;
        if shape.root_id.is_none() || shape.root_id != fields.id {
            return Err(RequestError::BadId);
        }
        Ok(UnverifiedLogout {
            embedded_signature: !shape.signatures.is_empty(),
            delivered,
            root,
            fields,
        })
    }

    /// The Issuer the message claims. Not to be trusted before [`Self::verify`].
    pub fn claimed_issuer(&self) -> Option<&str> {
        self.fields.issuer.as_deref().map(str::trim)
    }

    /// Checks the message against the registered application at `now`.
    pub fn verify(
        self,
        expected: &LogoutExpectations<'_>,
        now: DateTime<Utc>,
    ) -> Result<VerifiedLogout, RequestError> {
        self.delivered.verify_signature(
            self.root,
            self.embedded_signature,
            expected.sp_certificate,
            expected.signature_required,
        )?;
        let fields = self.fields;
        if fields.version.as_deref() != Some("2.0") {
            return Err(RequestError::Version);
        }
        let id = fields
            .id
            .filter(|id| valid_id(id))
            .ok_or(RequestError::BadId)?;
        let issue_instant = instant_of(fields.issue_instant.as_deref(), "IssueInstant")?
            .ok_or_else(|| RequestError::Malformed("the message has no IssueInstant".into()))?;
        check_envelope(
            fields.issuer.as_deref(),
            fields.destination.as_deref(),
            issue_instant,
            expected.sp_entity_id,
            expected.slo_url,
            expected.clock_skew,
            now,
        )?;
        let message = if self.root == "LogoutRequest" {
            if fields.encrypted_id {
                return Err(RequestError::Malformed(
                    "an EncryptedID is not supported: send the NameID in the clear".into(),
                ));
            }
            let not_on_or_after = instant_of(fields.not_on_or_after.as_deref(), "NotOnOrAfter")?;
            if not_on_or_after.is_some_and(|t| t + expected.clock_skew <= now) {
                return Err(RequestError::Malformed(
                    "the LogoutRequest has expired (NotOnOrAfter)".into(),
                ));
            }
            Message::Request {
                name_id: fields
                    .name_id
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| {
                        RequestError::Malformed("the LogoutRequest has no NameID".into())
                    })?,
                name_id_format: fields.name_id_format,
                session_indexes: fields.session_indexes,
                not_on_or_after,
            }
        } else {
            let in_response_to =
                fields
                    .in_response_to
                    .filter(|id| valid_id(id))
                    .ok_or_else(|| {
                        RequestError::Malformed(
                            "the LogoutResponse has no valid InResponseTo".into(),
                        )
                    })?;
            if fields.status.is_empty() {
                return Err(RequestError::Malformed(
                    "the LogoutResponse has no StatusCode".into(),
                ));
            }
            Message::Response {
                in_response_to,
                status: fields.status,
            }
        };
        Ok(VerifiedLogout {
            id,
            binding: self.delivered.binding,
            relay_state: self.delivered.relay_state,
            message,
        })
    }
}

fn instant_of(value: Option<&str>, name: &str) -> Result<Option<DateTime<Utc>>, RequestError> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| RequestError::Malformed(format!("{name} is not an xs:dateTime")))
        })
        .transpose()
}

/// The root element's local name, when it is one of the two logout messages.
fn root_of(xml: &str) -> Result<&'static str, RequestError> {
    let mut reader = NsReader::from_str(xml);
    loop {
        match reader
            .read_event()
            .map_err(|e| RequestError::Malformed(e.to_string()))?
        {
            Event::Start(e) | Event::Empty(e) => {
                return match e.local_name().as_ref() {
                    b"LogoutRequest" => Ok("LogoutRequest"),
                    b"LogoutResponse" => Ok("LogoutResponse"),
                    _ => Err(RequestError::Malformed(
                        "the root element is not a samlp:LogoutRequest or samlp:LogoutResponse"
                            .into(),
                    )),
                };
            }
            Event::DocType(_) => return Err(RequestError::Doctype),
            Event::Eof => return Err(RequestError::Malformed("no root element".into())),
            _ => {}
        }
    }
}

/// Reads the root's attributes and the children a logout message has: `saml:Issuer`,
/// `saml:NameID` / `saml:EncryptedID`, `samlp:SessionIndex`, and the `samlp:StatusCode`s.
fn read_fields(xml: &str) -> Result<Fields, RequestError> {
    let malformed = |e: &dyn std::fmt::Display| RequestError::Malformed(e.to_string());
    let mut reader = NsReader::from_str(xml);
    let mut fields = Fields::default();
    let mut depth = 0usize;
    // The child of the root whose text is being read.
    let mut reading: Option<&'static str> = None;
    let mut text = String::new();
    loop {
        let (namespace, event) = reader.read_resolved_event().map_err(|e| malformed(&e))?;
        let ns = match namespace {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_vec()),
            _ => None,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name().as_ref().to_vec();
                let in_protocol = ns.as_deref() == Some(NS_PROTOCOL);
                let in_assertion = ns.as_deref() == Some(NS_ASSERTION);
                let attr = |name: &[u8]| -> Result<Option<String>, RequestError> {
                    for a in e.attributes() {
                        let a = a.map_err(|e| malformed(&e))?;
                        if a.key.as_ref() == name {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|e| malformed(&e))?;
                            if v.len() > MAX_VALUE_BYTES {
                                return Err(too_long("attribute"));
                            }
                            return Ok(Some(v.into_owned()));
                        }
                    }
                    Ok(None)
                };
                if depth == 0 {
                    fields.id = attr(b"ID")?;
                    fields.version = attr(b"Version")?;
                    fields.issue_instant = attr(b"IssueInstant")?;
                    fields.destination = attr(b"Destination")?;
                    fields.in_response_to = attr(b"InResponseTo")?;
                    fields.not_on_or_after = attr(b"NotOnOrAfter")?;
                } else if depth == 1 {
                    reading = match (local.as_slice(), in_assertion, in_protocol) {
                        (b"Issuer", true, _) => Some("Issuer"),
                        (b"NameID", true, _) => {
                            fields.name_id_format = attr(b"Format")?;
                            Some("NameID")
                        }
                        (b"EncryptedID", true, _) => {
                            fields.encrypted_id = true;
                            None
                        }
                        (b"SessionIndex", _, true) => Some("SessionIndex"),
                        _ => None,
                    };
                    text.clear();
                }
                // Status/StatusCode, and the StatusCode nested in it.
                if local == b"StatusCode" && in_protocol && depth >= 2 {
                    if fields.status.len() >= 4 {
                        return Err(RequestError::Malformed("too many StatusCodes".into()));
                    }
                    fields.status.push(attr(b"Value")?.unwrap_or_default());
                }
                if empty {
                    if depth == 1 {
                        finish_child(&mut fields, reading.take(), &mut text)?;
                    }
                } else {
                    depth += 1;
                }
            }
            Event::Text(t) if depth == 2 && reading.is_some() => {
                let decoded = t.xml10_content().map_err(|e| malformed(&e))?;
                text.push_str(&decoded);
                if text.len() > MAX_VALUE_BYTES {
                    return Err(too_long(reading.unwrap_or("value")));
                }
            }
            Event::GeneralRef(r) if depth == 2 && reading.is_some() => {
                let name = r.decode().map_err(|e| malformed(&e))?;
                let resolved = match name.as_ref() {
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "amp" => "&".to_owned(),
                    "apos" => "'".to_owned(),
                    "quot" => "\"".to_owned(),
                    other => match r.resolve_char_ref().map_err(|e| malformed(&e))? {
                        Some(c) => c.to_string(),
                        None => {
                            return Err(RequestError::Malformed(format!(
                                "the entity &{other}; is not defined"
                            )))
                        }
                    },
                };
                text.push_str(&resolved);
            }
            Event::CData(c) if depth == 2 && reading.is_some() => {
                text.push_str(&String::from_utf8_lossy(&c));
                if text.len() > MAX_VALUE_BYTES {
                    return Err(too_long(reading.unwrap_or("value")));
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    finish_child(&mut fields, reading.take(), &mut text)?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(fields)
}

fn finish_child(
    fields: &mut Fields,
    reading: Option<&'static str>,
    text: &mut String,
) -> Result<(), RequestError> {
    let value = std::mem::take(text);
    match reading {
        Some("Issuer") => fields.issuer = Some(value),
        Some("NameID") => fields.name_id = Some(value),
        Some("SessionIndex") => {
            if fields.session_indexes.len() >= MAX_SESSION_INDEXES {
                return Err(RequestError::Malformed(format!(
                    "a LogoutRequest names at most {MAX_SESSION_INDEXES} SessionIndexes"
                )));
            }
            fields.session_indexes.push(value.trim().to_owned());
        }
        _ => {}
    }
    Ok(())
}

/// A LogoutRequest this identity provider sends to a session participant.
#[derive(Clone, Debug)]
pub struct OutgoingRequest<'a> {
    pub id: &'a str,
    pub idp_entity_id: &'a str,
    /// The SP's SLO endpoint.
    pub destination: &'a str,
    pub name_id: &'a str,
    pub name_id_format: &'a str,
    /// The SessionIndex of the session to end; without one, every session of the NameID.
    pub session_index: Option<&'a str>,
    pub issued_at: DateTime<Utc>,
}

/// The LogoutRequest element, unsigned.
pub fn request_element(content: &OutgoingRequest<'_>) -> Element {
    Element::new(Ns::Samlp, "LogoutRequest")
        .declare(Ns::Saml)
        .attr("ID", content.id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(content.issued_at))
        .attr("Destination", content.destination)
        .attr(
            "NotOnOrAfter",
            instant(content.issued_at + Duration::seconds(REQUEST_LIFETIME_SECS)),
        )
        .attr("Reason", "urn:oasis:names:tc:SAML:2.0:logout:user")
        .child(Element::new(Ns::Saml, "Issuer").text(content.idp_entity_id))
        .child(
            Element::new(Ns::Saml, "NameID")
                .attr("Format", content.name_id_format)
                .text(content.name_id),
        )
        .children(
            content
                .session_index
                .map(|index| Element::new(Ns::Samlp, "SessionIndex").text(index)),
        )
}

/// A LogoutResponse this identity provider sends to the SP that asked.
#[derive(Clone, Debug)]
pub struct OutgoingResponse<'a> {
    pub id: &'a str,
    pub idp_entity_id: &'a str,
    pub destination: &'a str,
    pub in_response_to: &'a str,
    /// The top-level status code, and a second-level one.
    pub status: (&'static str, Option<&'static str>),
    pub message: Option<&'a str>,
    pub issued_at: DateTime<Utc>,
}

/// The LogoutResponse element, unsigned.
pub fn response_element(content: &OutgoingResponse<'_>) -> Element {
    let (top, second) = content.status;
    let mut code = Element::new(Ns::Samlp, "StatusCode").attr("Value", top);
    if let Some(second) = second {
        code = code.child(Element::new(Ns::Samlp, "StatusCode").attr("Value", second));
    }
    let mut status = Element::new(Ns::Samlp, "Status").child(code);
    if let Some(message) = content.message {
        status = status.child(Element::new(Ns::Samlp, "StatusMessage").text(message));
    }
    Element::new(Ns::Samlp, "LogoutResponse")
        .declare(Ns::Saml)
        .attr("ID", content.id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(content.issued_at))
        .attr("Destination", content.destination)
        .attr("InResponseTo", content.in_response_to)
        .child(Element::new(Ns::Saml, "Issuer").text(content.idp_entity_id))
        .child(status)
}

/// How a signed message travels to the SP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// HTTP-Redirect: the URL, with the query signature.
    Redirect(String),
    /// HTTP-POST: the endpoint, the form field's name and the signed document.
    Post {
        url: String,
        field: &'static str,
        xml: String,
    },
}

/// Signs `message` for `binding` and says how it travels to `url` as the parameter `field`
/// (`SAMLRequest` or `SAMLResponse`). CPU-bound: call it on the blocking pool.
pub fn deliver(
    mut message: Element,
    field: &'static str,
    url: &str,
    binding: Binding,
    relay_state: Option<&str>,
    signer: &Signer,
    method: SignatureMethod,
) -> anyhow::Result<Outgoing> {
    match binding {
        Binding::Post => {
            message.sign(1, signer, method)?;
            Ok(Outgoing::Post {
                url: url.to_owned(),
                field,
                xml: message.to_document(),
            })
        }
        Binding::Redirect => {
            let xml = message.to_document();
            let mut deflater =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            deflater.write_all(xml.as_bytes())?;
            let encoded = STANDARD.encode(deflater.finish()?);
            let form =
                |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
            let mut query = format!("{field}={}", form(&encoded));
            if let Some(relay) = relay_state {
                query.push_str(&format!("&RelayState={}", form(relay)));
            }
            query.push_str(&format!("&SigAlg={}", form(method.signature)));
            let signature = super::dsig::sign_octets(signer, method, query.as_bytes())?;
            query.push_str(&format!("&Signature={}", form(&STANDARD.encode(signature))));
            let separator = if url.contains('?') { '&' } else { '?' };
            Ok(Outgoing::Redirect(format!("{url}{separator}{query}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::request::tests::{deflate_b64, encode};
    use entity::signing_key::KeyAlgorithm;

    const SP: &str = "https://sp.example.com/metadata";
    const SLO: &str = "https://idp.example.com/saml/apps/a1/slo";

    fn expectations(certificate: Option<&[u8]>, required: bool) -> LogoutExpectations<'_> {
        LogoutExpectations {
            sp_entity_id: SP,
            slo_url: SLO,
            sp_certificate: certificate,
            signature_required: required,
            clock_skew: Duration::seconds(180),
        }
    }

    fn logout_request(id: &str, issuer: &str, extra: &str) -> String {
        format!(
            r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{SLO}"><saml:Issuer>{issuer}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">alice&amp;co</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex><samlp:SessionIndex> _s2 </samlp:SessionIndex>{extra}</samlp:LogoutRequest>"#,
            now = instant(Utc::now())
        )
    }

    fn redirect(xml: &str) -> String {
        format!("SAMLRequest={}", encode(&deflate_b64(xml.as_bytes())))
    }

    #[test]
    fn a_logout_request_reads_its_name_id_and_every_session_index() {
        let xml = logout_request("_l1", SP, "");
        for unverified in [
            UnverifiedLogout::from_redirect(&redirect(&xml)).unwrap(),
            UnverifiedLogout::from_post(Some(&STANDARD.encode(&xml)), None, Some("rs")).unwrap(),
        ] {
            let verified = unverified
                .verify(&expectations(None, false), Utc::now())
                .unwrap();
            assert_eq!(verified.id, "_l1");
            let Message::Request {
                name_id,
                session_indexes,
                ..
            } = verified.message
            else {
                panic!("not a request");
            };
            assert_eq!(name_id, "alice&co");
            assert_eq!(session_indexes, ["_s1", "_s2"]);
        }
    }

    #[test]
    fn wrong_issuers_destinations_and_stale_messages_are_refused() {
        let wrong_issuer = logout_request("_l1", "https://evil.example.com", "");
        let err = UnverifiedLogout::from_redirect(&redirect(&wrong_issuer))
            .unwrap()
            .verify(&expectations(None, false), Utc::now())
            .unwrap_err();
        assert!(matches!(err, RequestError::WrongIssuer(_)), "{err}");
        let elsewhere = logout_request("_l1", SP, "").replace(SLO, "https://idp.example.com/x");
        let err = UnverifiedLogout::from_redirect(&redirect(&elsewhere))
            .unwrap()
            .verify(&expectations(None, false), Utc::now())
            .unwrap_err();
        assert!(matches!(err, RequestError::WrongDestination(_)), "{err}");
        let later = Utc::now() + Duration::hours(1);
        let err = UnverifiedLogout::from_redirect(&redirect(&logout_request("_l1", SP, "")))
            .unwrap()
            .verify(&expectations(None, false), later)
            .unwrap_err();
        assert!(matches!(err, RequestError::Stale(_)), "{err}");
        // Unsigned where the application requires signatures.
        let err = UnverifiedLogout::from_redirect(&redirect(&logout_request("_l1", SP, "")))
            .unwrap()
            .verify(&expectations(None, true), Utc::now())
            .unwrap_err();
        assert_eq!(err, RequestError::Unsigned);
    }

    #[test]
    fn hostile_logout_messages_are_refused_without_panicking() {
        let bomb = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1">&a;</samlp:LogoutRequest>"#;
        assert_eq!(
            UnverifiedLogout::from_redirect(&redirect(bomb)).unwrap_err(),
            RequestError::Doctype
        );
        let other_root =
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>"#;
        assert!(UnverifiedLogout::from_redirect(&redirect(other_root)).is_err());
        let many = logout_request(
            "_l1",
            SP,
            &"<samlp:SessionIndex>x</samlp:SessionIndex>".repeat(40),
        );
        assert!(UnverifiedLogout::from_redirect(&redirect(&many)).is_err());
        let encrypted = logout_request("_l1", SP, "")
            .replace("<saml:NameID", "<saml:EncryptedID/><saml:Foo")
            .replace("</saml:NameID>", "</saml:Foo>");
        let err = UnverifiedLogout::from_redirect(&redirect(&encrypted))
            .unwrap()
            .verify(&expectations(None, false), Utc::now())
            .unwrap_err();
        assert!(err.to_string().contains("EncryptedID"), "{err}");
        let both = format!(
            "{}&SAMLResponse=x",
            redirect(&logout_request("_l1", SP, ""))
        );
        assert!(UnverifiedLogout::from_redirect(&both).is_err());
        let undefined = logout_request("_l1", SP, "").replace("alice&amp;co", "&ent;");
        assert!(UnverifiedLogout::from_redirect(&redirect(&undefined)).is_err());
        // A second ID-bearing element with the root's ID: refused by the scan when signed,
        // and the root ID must be the one read.
        let no_id = logout_request("_l1", SP, "").replace(" ID=\"_l1\"", "");
        assert_eq!(
            UnverifiedLogout::from_redirect(&redirect(&no_id)).unwrap_err(),
            RequestError::BadId
        );
        for garbage in [
            "",
            "SAMLRequest=%%%",
            "SAMLRequest=AAAA",
            "SAMLResponse=////",
        ] {
            assert!(
                UnverifiedLogout::from_redirect(garbage).is_err(),
                "{garbage}"
            );
        }
    }

    #[test]
    fn a_logout_response_reads_its_status_codes() {
        let xml = format!(
            r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="{}" InResponseTo="_q1"><saml:Issuer>{SP}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{STATUS_RESPONDER}"><samlp:StatusCode Value="{STATUS_PARTIAL_LOGOUT}"/></samlp:StatusCode></samlp:Status></samlp:LogoutResponse>"#,
            instant(Utc::now())
        );
        let query = format!("SAMLResponse={}", encode(&deflate_b64(xml.as_bytes())));
        let verified = UnverifiedLogout::from_redirect(&query)
            .unwrap()
            .verify(&expectations(None, false), Utc::now())
            .unwrap();
        assert_eq!(
            verified.message,
            Message::Response {
                in_response_to: "_q1".into(),
                status: vec![STATUS_RESPONDER.into(), STATUS_PARTIAL_LOGOUT.into()],
            }
        );
    }

    #[test]
    fn what_this_server_sends_verifies_by_either_binding() {
        let signer = crate::saml::metadata::tests::signer(KeyAlgorithm::Rsa2048);
        let method = SignatureMethod::for_key(KeyAlgorithm::Rsa2048, "rsa-sha256");
        let content = OutgoingRequest {
            id: "_out1",
            idp_entity_id: SP,
            destination: SLO,
            name_id: "alice<&>",
            name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            session_index: Some("_s1"),
            issued_at: Utc::now(),
        };
        let certificate = signer.certificate_der.clone();
        let Outgoing::Redirect(url) = deliver(
            request_element(&content),
            "SAMLRequest",
            SLO,
            Binding::Redirect,
            Some("back"),
            &signer,
            method,
        )
        .unwrap() else {
            panic!("not a redirect")
        };
        let query = url.split_once('?').unwrap().1;
        let verified = UnverifiedLogout::from_redirect(query)
            .unwrap()
            .verify(&expectations(Some(&certificate), true), Utc::now())
            .unwrap();
        assert_eq!(verified.relay_state.as_deref(), Some("back"));
        let tampered = query.replace("SigAlg", "RelayState=x&SigAlg");
        assert!(UnverifiedLogout::from_redirect(&tampered).is_err());
        let Outgoing::Post { xml, .. } = deliver(
            request_element(&content),
            "SAMLRequest",
            SLO,
            Binding::Post,
            None,
            &signer,
            method,
        )
        .unwrap() else {
            panic!("not a post")
        };
        let verified = UnverifiedLogout::from_post(Some(&STANDARD.encode(&xml)), None, None)
            .unwrap()
            .verify(&expectations(Some(&certificate), true), Utc::now())
            .unwrap();
        assert!(
            matches!(verified.message, Message::Request { ref name_id, .. } if name_id == "alice<&>")
        );
        let forged = xml.replace("alice&lt;", "mallory&lt;");
        let err = UnverifiedLogout::from_post(Some(&STANDARD.encode(&forged)), None, None)
            .unwrap()
            .verify(&expectations(Some(&certificate), true), Utc::now())
            .unwrap_err();
        assert_eq!(err, RequestError::BadSignature);
    }
}
