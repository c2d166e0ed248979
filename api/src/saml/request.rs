//! AuthnRequests from service providers, parsed at the boundary. What arrives is decoded into
//! an [`UnverifiedRequest`] (size-capped, DOCTYPE refused, a well-formed `samlp:AuthnRequest`);
//! only [`UnverifiedRequest::verify`] against the registered application turns it into a
//! [`VerifiedRequest`], the one type the rest of the server acts on.
//!
//! samael parses the XML and checks embedded signatures, but it is not trusted alone (see the
//! pitfalls in DESIGN.md): the redirect binding's signature is verified here over the octets as
//! received (samael re-encodes them and panics on missing parameters), and an embedded
//! signature must be the only one, a child of the root, referencing the root.

use std::io::Read;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use openssl::hash::MessageDigest;
use openssl::x509::X509;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use samael::crypto::{CertificateDer, Crypto, CryptoProvider};
use samael::idp::verified_request::UnverifiedAuthnRequest;
use samael::schema::{AuthnContextComparison, AuthnRequest};

use super::context::{self, Class, Comparison, Requested};

/// The largest AuthnRequest accepted, as XML (after base64 and, for redirects, inflating).
pub const MAX_XML_BYTES: usize = 64 * 1024;
/// The largest RelayState accepted (the SAML bindings' limit).
pub const MAX_RELAY_STATE_BYTES: usize = 80;
const MAX_REQUEST_ID: usize = 256;
/// The longest NameID format URI accepted in a NameIDPolicy.
const MAX_FORMAT_BYTES: usize = 256;

const NS_PROTOCOL: &[u8] = b"urn:oasis:names:tc:SAML:2.0:protocol";
const NS_DSIG: &[u8] = b"http://www.w3.org/2000/09/xmldsig#";
pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// The transforms and canonicalisations an enveloped request signature may use; anything else
/// (XPath, XSLT, …) is refused before xmlsec sees it.
const ALLOWED_TRANSFORMS: [&str; 5] = [
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RequestError {
    #[error("the request carries no {0}")]
    Missing(&'static str),
    #[error("the parameter {0} appears more than once")]
    Repeated(&'static str),
    #[error("the SAML message is not valid base64")]
    Base64,
    #[error(
        "the SAML message does not inflate: the HTTP-Redirect binding sends it DEFLATE-compressed"
    )]
    Inflate,
    #[error("the SAML message is larger than {MAX_XML_BYTES} bytes")]
    TooLarge,
    #[error("the SAML message is not UTF-8")]
    NotUtf8,
    #[error("the SAML message contains a DOCTYPE: DTDs and entity declarations are refused")]
    Doctype,
    #[error("the SAML message is not well-formed: {0}")]
    Malformed(String),
    #[error("RelayState is longer than {MAX_RELAY_STATE_BYTES} bytes")]
    RelayStateTooLong,
    #[error("the redirect has a Signature but no SigAlg")]
    MissingSigAlg,
    #[error("the redirect has a SigAlg but no Signature")]
    MissingSignature,
    #[error("the signature algorithm {0:?} is not supported (use RSA-SHA256 or ECDSA-SHA256)")]
    UnsupportedAlgorithm(String),
    #[error("the signature does not verify with the application's registered SP certificate")]
    BadSignature,
    #[error("the application requires signed requests and this message is not signed")]
    Unsigned,
    #[error("the message is signed but the application has no SP certificate to check it with")]
    NoCertificate,
    #[error("the message's signature must be one enveloped signature of the message itself")]
    SignatureStructure,
    #[error("Version must be 2.0")]
    Version,
    #[error("the message ID is missing or not a valid ID")]
    BadId,
    #[error("the message has no Issuer")]
    MissingIssuer,
    #[error("the Issuer {0:?} is not the service provider registered for this application")]
    WrongIssuer(String),
    #[error(
        "the AssertionConsumerServiceURL {0:?} is not the one registered for this application"
    )]
    WrongAcs(String),
    #[error("the Destination {0:?} is not this endpoint")]
    WrongDestination(String),
    #[error("the ProtocolBinding {0:?} is not supported: responses are sent by HTTP-POST")]
    WrongBinding(String),
    #[error(
        "the message was issued at {0}, too far from the current time: check the service \
         provider's clock, or start again from the application"
    )]
    Stale(DateTime<Utc>),
    #[error("the NameIDPolicy Format is longer than {MAX_FORMAT_BYTES} bytes")]
    FormatTooLong,
    #[error(
        "the RequestedAuthnContext names more than {} classes",
        context::MAX_REQUESTED_CLASSES
    )]
    TooManyClasses,
}

/// How the request arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    Redirect,
    Post,
}

/// The query signature of an HTTP-Redirect request, as received.
#[derive(Clone, Debug)]
struct QuerySignature {
    /// `SAMLRequest=…[&RelayState=…]&SigAlg=…` with the values exactly as sent.
    signed_octets: String,
    sig_alg: String,
    signature: String,
}

/// A decoded AuthnRequest that nothing has checked yet.
#[derive(Debug)]
pub struct UnverifiedRequest {
    delivered: Delivered,
    request: AuthnRequest,
    /// Whether the XML holds a `ds:Signature` anywhere.
    embedded_signature: bool,
}

/// What a request is checked against: the registered application.
#[derive(Clone, Debug)]
pub struct Expectations<'a> {
    pub sp_entity_id: &'a str,
    pub acs_url: &'a str,
    /// This application's SSO endpoint, the only acceptable Destination.
    pub sso_url: &'a str,
    /// The SP's certificate, DER.
    pub sp_certificate: Option<&'a [u8]>,
    pub signature_required: bool,
    pub clock_skew: Duration,
}

/// An AuthnRequest that came from the registered service provider (when it is signed, or must
/// be), for this application, answered at its registered ACS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedRequest {
    pub id: String,
    pub acs_url: String,
    pub relay_state: Option<String>,
    pub force_authn: bool,
    /// `IsPassive`: answer without showing the employee anything, or say `NoPassive`.
    pub is_passive: bool,
    pub name_id_policy: NameIdPolicy,
    pub authn_context: Option<Requested>,
    pub issue_instant: DateTime<Utc>,
}

/// What the request's `NameIDPolicy` asks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameIdPolicy {
    /// A format other than `unspecified`, when one is asked for.
    pub format: Option<String>,
    /// Whether a new persistent identifier may be made for this request (absent: yes).
    pub allow_create: bool,
}

fn lenient_base64() -> GeneralPurpose {
    GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
}

fn decode_base64(value: &str) -> Result<Vec<u8>, RequestError> {
    // Base64 of the size cap, plus line breaks some service providers add.
    if value.len() > MAX_XML_BYTES * 2 {
        return Err(RequestError::TooLarge);
    }
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    lenient_base64()
        .decode(compact)
        .map_err(|_| RequestError::Base64)
}

/// Inflates raw DEFLATE, refusing more than [`MAX_XML_BYTES`] of output (deflate bombs).
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, RequestError> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(compressed)
        .take(MAX_XML_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| RequestError::Inflate)?;
    if out.len() > MAX_XML_BYTES {
        return Err(RequestError::TooLarge);
    }
    Ok(out)
}

/// `application/x-www-form-urlencoded` decoding of one value.
fn form_decode(raw: &str) -> Result<String, RequestError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| RequestError::Malformed("bad percent-encoding".into()))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| RequestError::NotUtf8)
}

fn check_relay_state(relay_state: Option<String>) -> Result<Option<String>, RequestError> {
    match relay_state {
        Some(r) if r.len() > MAX_RELAY_STATE_BYTES => Err(RequestError::RelayStateTooLong),
        Some(r) if r.is_empty() => Ok(None),
        other => Ok(other),
    }
}

/// A SAML protocol message as an HTTP binding delivered it: decoded (base64, and inflated for
/// HTTP-Redirect), size-capped, with the redirect's query signature as received. Nothing about
/// it is checked yet.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub binding: Binding,
    pub xml: String,
    pub relay_state: Option<String>,
    query_signature: Option<QuerySignature>,
}

impl Delivered {
    /// From the raw (still percent-encoded) query string of an HTTP-Redirect, the message being
    /// the parameter `param` (`SAMLRequest` or `SAMLResponse`).
    pub fn from_redirect(raw_query: &str, param: &'static str) -> Result<Delivered, RequestError> {
        let mut message = None;
        let mut relay_state = None;
        let mut sig_alg = None;
        let mut signature = None;
        for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, name) = match key {
                k if k == param => (&mut message, param),
                "RelayState" => (&mut relay_state, "RelayState"),
                "SigAlg" => (&mut sig_alg, "SigAlg"),
                "Signature" => (&mut signature, "Signature"),
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(RequestError::Repeated(name));
            }
        }
        let raw_message = message.ok_or(RequestError::Missing(param))?;
        let query_signature = match (sig_alg, signature) {
            (None, None) => None,
            (None, Some(_)) => return Err(RequestError::MissingSigAlg),
            (Some(_), None) => return Err(RequestError::MissingSignature),
            (Some(raw_alg), Some(raw_signature)) => {
                // The octets as received, in the order the binding signs them (§3.4.4.1).
                let mut signed_octets = format!("{param}={raw_message}");
                if let Some(raw_relay) = relay_state {
                    signed_octets.push_str(&format!("&RelayState={raw_relay}"));
                }
                signed_octets.push_str(&format!("&SigAlg={raw_alg}"));
                Some(QuerySignature {
                    signed_octets,
                    sig_alg: form_decode(raw_alg)?,
                    signature: form_decode(raw_signature)?,
                })
            }
        };
        let relay_state = check_relay_state(relay_state.map(form_decode).transpose()?)?;
        let xml = inflate(&decode_base64(&form_decode(raw_message)?)?)?;
        Ok(Delivered {
            binding: Binding::Redirect,
            xml: String::from_utf8(xml).map_err(|_| RequestError::NotUtf8)?,
            relay_state,
            query_signature,
        })
    }

    /// From the fields of an HTTP-POST: the message's field (named `param`) and RelayState.
    pub fn from_post(
        message: Option<&str>,
        relay_state: Option<&str>,
        param: &'static str,
    ) -> Result<Delivered, RequestError> {
        let encoded = message.ok_or(RequestError::Missing(param))?;
        let relay_state = check_relay_state(relay_state.map(str::to_owned))?;
        let xml = decode_base64(encoded)?;
        if xml.len() > MAX_XML_BYTES {
            return Err(RequestError::TooLarge);
        }
        Ok(Delivered {
            binding: Binding::Post,
            xml: String::from_utf8(xml).map_err(|_| RequestError::NotUtf8)?,
            relay_state,
            query_signature: None,
        })
    }

    /// Checks the message's signature, by its binding, against the SP's certificate; returns
    /// whether it was signed (and verified). `root` is the message's element, whose enveloped
    /// signature must be the only one.
    pub fn verify_signature(
        &self,
        root: &str,
        shape_signed: bool,
        certificate: Option<&[u8]>,
        required: bool,
    ) -> Result<bool, RequestError> {
        let signed = match (self.binding, &self.query_signature) {
            (Binding::Redirect, Some(query)) => {
                let certificate = certificate.ok_or(RequestError::NoCertificate)?;
                verify_query_signature(query, certificate)?;
                true
            }
            (Binding::Post, _) if shape_signed => match certificate {
                Some(certificate) => {
                    verify_embedded_signature(&self.xml, root, certificate)?;
                    true
                }
                None if required => return Err(RequestError::NoCertificate),
                // Unverifiable and not required: treated as unsigned.
                None => false,
            },
            _ => false,
        };
        if required && !signed {
            return Err(RequestError::Unsigned);
        }
        Ok(signed)
    }
}

/// The one value of a field of an HTTP-POST form (`SAMLRequest`, `RelayState`, …); a field
/// sent twice is refused, as no binding sends one twice.
pub fn form_field<'a>(
    fields: &'a [(String, String)],
    name: &'static str,
) -> Result<Option<&'a str>, RequestError> {
    let mut values = fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    match values.next() {
        Some(_) => Err(RequestError::Repeated(name)),
        None => Ok(first),
    }
}

/// The Issuer, Destination and IssueInstant checks every message from an SP gets.
pub fn check_envelope(
    issuer: Option<&str>,
    destination: Option<&str>,
    issue_instant: DateTime<Utc>,
    sp_entity_id: &str,
    endpoint: &str,
    clock_skew: Duration,
    now: DateTime<Utc>,
) -> Result<(), RequestError> {
    let issuer = issuer.map(str::trim).ok_or(RequestError::MissingIssuer)?;
    if issuer != sp_entity_id {
        return Err(RequestError::WrongIssuer(issuer.to_owned()));
    }
    if let Some(destination) = destination {
        if destination != endpoint {
            return Err(RequestError::WrongDestination(destination.to_owned()));
        }
    }
    if (issue_instant - now).abs() > clock_skew {
        return Err(RequestError::Stale(issue_instant));
    }
    Ok(())
}

impl UnverifiedRequest {
    /// An HTTP-Redirect request from its raw (still percent-encoded) query string.
    pub fn from_redirect(raw_query: &str) -> Result<UnverifiedRequest, RequestError> {
        UnverifiedRequest::parse(Delivered::from_redirect(raw_query, "SAMLRequest")?)
    }

    /// An HTTP-POST request from its form fields.
    pub fn from_post(
        saml_request: Option<&str>,
        relay_state: Option<&str>,
    ) -> Result<UnverifiedRequest, RequestError> {
        UnverifiedRequest::parse(Delivered::from_post(
            saml_request,
            relay_state,
            "SAMLRequest",
        )?)
    }

    fn parse(delivered: Delivered) -> Result<UnverifiedRequest, RequestError> {
        let shape = scan(&delivered.xml, "AuthnRequest")?;
        let request = UnverifiedAuthnRequest::from_xml(&delivered.xml)
            .map_err(|err| RequestError::Malformed(err.to_string()))?
            .request;
        if shape.root_id.as_deref() != Some(request.id.as_str()) {
            return Err(RequestError::BadId);
        }
        Ok(UnverifiedRequest {
            embedded_signature: !shape.signatures.is_empty(),
            delivered,
            request,
        })
    }

    pub fn binding(&self) -> Binding {
        self.delivered.binding
    }

    /// The Issuer the request claims, to find out which application it is for. Not to be
    /// trusted before [`Self::verify`].
    pub fn claimed_issuer(&self) -> Option<&str> {
        self.request
            .issuer
            .as_ref()
            .and_then(|i| i.value.as_deref())
            .map(str::trim)
    }

    /// Checks the request against the registered application at `now`.
    pub fn verify(
        self,
        expected: &Expectations<'_>,
        now: DateTime<Utc>,
    ) -> Result<VerifiedRequest, RequestError> {
        self.delivered.verify_signature(
            "AuthnRequest",
            self.embedded_signature,
            expected.sp_certificate,
            expected.signature_required,
        )?;
        let request = self.request;
        if request.version != "2.0" {
            return Err(RequestError::Version);
        }
        if !valid_id(&request.id) {
            return Err(RequestError::BadId);
        }
        check_envelope(
            request.issuer.as_ref().and_then(|i| i.value.as_deref()),
            request.destination.as_deref(),
            request.issue_instant,
            expected.sp_entity_id,
            expected.sso_url,
            expected.clock_skew,
            now,
        )?;
        if let Some(acs) = &request.assertion_consumer_service_url {
            if acs != expected.acs_url {
                return Err(RequestError::WrongAcs(acs.clone()));
            }
        }
        if let Some(binding) = &request.protocol_binding {
            if binding != BINDING_POST {
                return Err(RequestError::WrongBinding(binding.clone()));
            }
        }
        let name_id_policy = name_id_policy(&request)?;
        let authn_context = requested_context(&request)?;
        Ok(VerifiedRequest {
            id: request.id,
            acs_url: expected.acs_url.to_owned(),
            relay_state: self.delivered.relay_state,
            force_authn: request.force_authn.unwrap_or(false),
            is_passive: request.is_passive.unwrap_or(false),
            name_id_policy,
            authn_context,
            issue_instant: request.issue_instant,
        })
    }
}

/// The request's `NameIDPolicy`: a format of `unspecified` asks for none in particular.
fn name_id_policy(request: &AuthnRequest) -> Result<NameIdPolicy, RequestError> {
    let Some(policy) = &request.name_id_policy else {
        return Ok(NameIdPolicy {
            format: None,
            allow_create: true,
        });
    };
    let format = policy
        .format
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty() && *f != crate::apps::templates::NAMEID_UNSPECIFIED);
    if format.is_some_and(|f| f.len() > MAX_FORMAT_BYTES) {
        return Err(RequestError::FormatTooLong);
    }
    Ok(NameIdPolicy {
        format: format.map(str::to_owned),
        allow_create: policy.allow_create.unwrap_or(true),
    })
}

/// The request's `RequestedAuthnContext`: the classes this server knows, and whether it named
/// others. Declaration references (`AuthnContextDeclRef`) are not supported: a request of them
/// can never be met.
fn requested_context(request: &AuthnRequest) -> Result<Option<Requested>, RequestError> {
    let Some(requested) = &request.requested_authn_context else {
        return Ok(None);
    };
    let refs = requested.authn_context_class_refs.as_deref().unwrap_or(&[]);
    let declarations = requested.authn_context_decl_refs.as_deref().unwrap_or(&[]);
    if refs.len() + declarations.len() > context::MAX_REQUESTED_CLASSES {
        return Err(RequestError::TooManyClasses);
    }
    let mut classes = Vec::new();
    let mut unknown = !declarations.is_empty();
    for uri in refs.iter().map(|r| r.value.as_deref().unwrap_or_default()) {
        match Class::from_uri(uri) {
            Some(class) if !classes.contains(&class) => classes.push(class),
            Some(_) => {}
            None => unknown = true,
        }
    }
    let comparison = match requested.comparison {
        None | Some(AuthnContextComparison::Exact) => Comparison::Exact,
        Some(AuthnContextComparison::Minimum) => Comparison::Minimum,
        Some(AuthnContextComparison::Maximum) => Comparison::Maximum,
        Some(AuthnContextComparison::Better) => Comparison::Better,
    };
    Ok(Some(Requested {
        comparison,
        classes,
        unknown,
    }))
}

/// An XML ID (NCName-like): no spaces, no control characters, not empty, not huge.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && !id.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// What the structural scan saw.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    pub root_id: Option<String>,
    /// How often the root's ID value appears as an `ID` attribute in the document.
    root_id_count: usize,
    /// Depth (root = 0) of each `ds:Signature`.
    pub signatures: Vec<usize>,
    /// `URI`s of every `ds:Reference`.
    references: Vec<String>,
    /// Algorithms of every `ds:Transform` and `ds:CanonicalizationMethod`.
    transforms: Vec<String>,
    /// Algorithms of every `ds:SignatureMethod`.
    signature_methods: Vec<String>,
    /// Algorithms of every `ds:DigestMethod`.
    digest_methods: Vec<String>,
    /// Elements with an `xml:id` attribute, which xmlsec takes as an ID too: a second name a
    /// reference could resolve to, so none is allowed in a signed request.
    xml_ids: usize,
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, RequestError> {
    for attr in element.attributes() {
        let attr = attr.map_err(|e| RequestError::Malformed(e.to_string()))?;
        if attr.key.as_ref() == name {
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| RequestError::Malformed(e.to_string()))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// Walks the whole document once: refuses DOCTYPE, checks the root is the protocol element
/// `root` (`AuthnRequest`, `LogoutRequest`, …), and records where signatures and IDs are.
pub fn scan(xml: &str, root: &str) -> Result<Shape, RequestError> {
    let mut reader = NsReader::from_str(xml);
    let mut shape = Shape::default();
    let mut depth = 0usize;
    let mut seen_root = false;
    let mut ids = Vec::new();
    loop {
        let (namespace, event) = reader
            .read_resolved_event()
            .map_err(|e| RequestError::Malformed(e.to_string()))?;
        let in_dsig = matches!(namespace, ResolveResult::Bound(ns) if ns.as_ref() == NS_DSIG);
        let in_protocol =
            matches!(namespace, ResolveResult::Bound(ns) if ns.as_ref() == NS_PROTOCOL);
        let (element, empty) = match event {
            Event::DocType(_) => return Err(RequestError::Doctype),
            Event::Eof => break,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            _ => continue,
        };
        if !seen_root {
            if element.local_name().as_ref() != root.as_bytes() || !in_protocol {
                return Err(RequestError::Malformed(format!(
                    "the root element is not a samlp:{root}"
                )));
            }
            shape.root_id = attribute(&element, b"ID")?;
            seen_root = true;
        } else if depth == 0 {
            return Err(RequestError::Malformed("more than one root element".into()));
        }
        if let Some(id) = attribute(&element, b"ID")? {
            ids.push(id);
        }
        if attribute(&element, b"xml:id")?.is_some() {
            shape.xml_ids += 1;
        }
        if in_dsig {
            match element.local_name().as_ref() {
                b"Signature" => shape.signatures.push(depth),
                b"Reference" => shape
                    .references
                    .push(attribute(&element, b"URI")?.unwrap_or_default()),
                b"Transform" | b"CanonicalizationMethod" => shape
                    .transforms
                    .push(attribute(&element, b"Algorithm")?.unwrap_or_default()),
                b"SignatureMethod" => shape
                    .signature_methods
                    .push(attribute(&element, b"Algorithm")?.unwrap_or_default()),
                b"DigestMethod" => shape
                    .digest_methods
                    .push(attribute(&element, b"Algorithm")?.unwrap_or_default()),
                _ => {}
            }
        }
        if !empty {
            depth += 1;
        }
    }
    if !seen_root {
        return Err(RequestError::Malformed("no root element".into()));
    }
    if depth != 0 {
        return Err(RequestError::Malformed("unclosed elements".into()));
    }
    shape.root_id_count = ids
        .iter()
        .filter(|id| Some(id.as_str()) == shape.root_id.as_deref())
        .count();
    Ok(shape)
}

/// The wrapping defence: exactly one signature, a child of the root, with one reference to the
/// root's (unique) ID and only the expected transforms. xmlsec then checks that very signature.
fn check_signature_structure(shape: &Shape) -> Result<(), RequestError> {
    let root_reference = shape.root_id.as_ref().map(|id| format!("#{id}"));
    let ok = shape.signatures == [1]
        && shape.references.len() == 1
        && Some(&shape.references[0]) == root_reference.as_ref()
        && shape.root_id_count == 1
        && shape.xml_ids == 0
        && shape
            .transforms
            .iter()
            .all(|t| ALLOWED_TRANSFORMS.contains(&t.as_str()));
    if ok {
        Ok(())
    } else {
        Err(RequestError::SignatureStructure)
    }
}

fn verify_embedded_signature(
    xml: &str,
    root: &str,
    certificate: &[u8],
) -> Result<(), RequestError> {
    let shape = scan(xml, root)?;
    check_signature_structure(&shape)?;
    for algorithm in &shape.signature_methods {
        digest_for(algorithm)?;
    }
    for algorithm in &shape.digest_methods {
        if !ALLOWED_DIGESTS.contains(&algorithm.as_str()) {
            return Err(RequestError::UnsupportedAlgorithm(
                algorithm.chars().take(100).collect(),
            ));
        }
    }
    // xmlsec, with `ID` registered as the ID attribute (what samael's request check does).
    Crypto::verify_signed_xml(
        xml.as_bytes(),
        &CertificateDer::from(certificate.to_vec()),
        Some("ID"),
    )
    .map_err(|_| RequestError::BadSignature)
}

/// The `ds:DigestMethod`s of a reference this server accepts. SHA-1 is refused, as in
/// signature methods.
const ALLOWED_DIGESTS: [&str; 3] = [
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
];

/// The digest of a signature algorithm this server accepts. SHA-1 is refused.
fn digest_for(algorithm: &str) -> Result<MessageDigest, RequestError> {
    match algorithm {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        | "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Ok(MessageDigest::sha256()),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
        | "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Ok(MessageDigest::sha384()),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
        | "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => Ok(MessageDigest::sha512()),
        other => Err(RequestError::UnsupportedAlgorithm(
            other.chars().take(100).collect(),
        )),
    }
}

fn verify_query_signature(query: &QuerySignature, certificate: &[u8]) -> Result<(), RequestError> {
    let digest = digest_for(&query.sig_alg)?;
    let signature = decode_base64(&query.signature).map_err(|_| RequestError::BadSignature)?;
    let key = X509::from_der(certificate)
        .and_then(|c| c.public_key())
        .map_err(|_| RequestError::NoCertificate)?;
    let is_ec = query.sig_alg.contains("ecdsa");
    if is_ec != key.ec_key().is_ok() {
        return Err(RequestError::BadSignature);
    }
    // ECDSA signatures come DER-encoded from most libraries, as raw r‖s from some.
    let signature = match (is_ec, raw_ecdsa_to_der(&signature)) {
        (true, Some(der)) => der,
        _ => signature,
    };
    let mut verifier =
        openssl::sign::Verifier::new(digest, &key).map_err(|_| RequestError::BadSignature)?;
    verifier
        .update(query.signed_octets.as_bytes())
        .map_err(|_| RequestError::BadSignature)?;
    match verifier.verify(&signature) {
        Ok(true) => Ok(()),
        _ => Err(RequestError::BadSignature),
    }
}

/// A raw `r‖s` ECDSA P-256 signature as DER; `None` when it is not 64 bytes (then it is taken
/// to be DER already).
fn raw_ecdsa_to_der(signature: &[u8]) -> Option<Vec<u8>> {
    if signature.len() != 64 {
        return None;
    }
    let r = openssl::bn::BigNum::from_slice(&signature[..32]).ok()?;
    let s = openssl::bn::BigNum::from_slice(&signature[32..]).ok()?;
    openssl::ecdsa::EcdsaSig::from_private_components(r, s)
        .ok()?
        .to_der()
        .ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use flate2::write::DeflateEncoder;
    use openssl::pkey::{PKey, Private};
    use std::io::Write;

    pub const SP: &str = "https://sp.example.com/metadata";
    pub const ACS: &str = "https://sp.example.com/acs";
    pub const SSO: &str = "https://idp.example.com/saml/apps/a1/sso";

    pub fn request_xml(id: &str, issuer: &str, acs: &str, instant: DateTime<Utc>) -> String {
        format!(
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
             xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" \
             IssueInstant=\"{}\" Destination=\"{SSO}\" AssertionConsumerServiceURL=\"{acs}\" \
             ProtocolBinding=\"{BINDING_POST}\"><saml:Issuer>{issuer}</saml:Issuer>\
             </samlp:AuthnRequest>",
            instant.format("%Y-%m-%dT%H:%M:%SZ")
        )
    }

    pub fn deflate_b64(xml: &[u8]) -> String {
        let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(xml).unwrap();
        STANDARD.encode(encoder.finish().unwrap())
    }

    pub fn encode(value: &str) -> String {
        let mut out = String::new();
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    fn key_and_cert() -> (PKey<Private>, Vec<u8>) {
        let key = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
        let mut name = openssl::x509::X509Name::builder().unwrap();
        name.append_entry_by_nid(openssl::nid::Nid::COMMONNAME, "sp")
            .unwrap();
        let name = name.build();
        let mut builder = X509::builder().unwrap();
        builder.set_version(2).unwrap();
        builder.set_subject_name(&name).unwrap();
        builder.set_issuer_name(&name).unwrap();
        builder.set_pubkey(&key).unwrap();
        builder
            .set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        builder
            .set_not_after(&openssl::asn1::Asn1Time::days_from_now(3).unwrap())
            .unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        (key, builder.build().to_der().unwrap())
    }

    fn expect(certificate: Option<&[u8]>, required: bool) -> Expectations<'_> {
        Expectations {
            sp_entity_id: SP,
            acs_url: ACS,
            sso_url: SSO,
            sp_certificate: certificate,
            signature_required: required,
            clock_skew: Duration::minutes(3),
        }
    }

    fn signed_query(xml: &str, relay: Option<&str>, key: &PKey<Private>) -> String {
        let mut query = format!("SAMLRequest={}", encode(&deflate_b64(xml.as_bytes())));
        if let Some(relay) = relay {
            query.push_str(&format!("&RelayState={}", encode(relay)));
        }
        query.push_str(&format!(
            "&SigAlg={}",
            encode("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
        ));
        let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), key).unwrap();
        signer.update(query.as_bytes()).unwrap();
        let signature = STANDARD.encode(signer.sign_to_vec().unwrap());
        format!("{query}&Signature={}", encode(&signature))
    }

    #[test]
    fn an_unsigned_redirect_request_verifies_against_its_application() {
        let now = Utc::now();
        let xml = request_xml("_r1", SP, ACS, now);
        let query = format!(
            "SAMLRequest={}&RelayState=%2Fhome%3Fa%3D1",
            encode(&deflate_b64(xml.as_bytes()))
        );
        let request = UnverifiedRequest::from_redirect(&query).unwrap();
        assert_eq!(request.claimed_issuer(), Some(SP));
        let verified = request.verify(&expect(None, false), now).unwrap();
        assert_eq!(verified.id, "_r1");
        assert_eq!(verified.acs_url, ACS);
        assert_eq!(verified.relay_state.as_deref(), Some("/home?a=1"));
    }

    #[test]
    fn a_signed_redirect_request_verifies_over_the_octets_as_sent() {
        let (key, cert) = key_and_cert();
        let (_, other_cert) = key_and_cert();
        let now = Utc::now();
        let xml = request_xml("_r2", SP, ACS, now);
        let query = signed_query(&xml, Some("state ~*"), &key);
        let verified = UnverifiedRequest::from_redirect(&query)
            .unwrap()
            .verify(&expect(Some(&cert), true), now)
            .unwrap();
        assert_eq!(verified.relay_state.as_deref(), Some("state ~*"));
        let wrong = UnverifiedRequest::from_redirect(&query)
            .unwrap()
            .verify(&expect(Some(&other_cert), true), now);
        assert_eq!(wrong.unwrap_err(), RequestError::BadSignature);
        // Changing any signed parameter breaks it.
        let tampered = query.replace("RelayState=state", "RelayState=other");
        let tampered = UnverifiedRequest::from_redirect(&tampered)
            .unwrap()
            .verify(&expect(Some(&cert), true), now);
        assert_eq!(tampered.unwrap_err(), RequestError::BadSignature);
    }

    #[test]
    fn signature_parameters_are_checked_before_anything_else() {
        let (key, cert) = key_and_cert();
        let now = Utc::now();
        let query = signed_query(&request_xml("_r3", SP, ACS, now), None, &key);
        let without_alg = regex::Regex::new("&SigAlg=[^&]*")
            .unwrap()
            .replace(&query, "")
            .into_owned();
        assert_eq!(
            UnverifiedRequest::from_redirect(&without_alg).unwrap_err(),
            RequestError::MissingSigAlg
        );
        let without_signature = query.split("&Signature=").next().unwrap().to_owned();
        assert_eq!(
            UnverifiedRequest::from_redirect(&without_signature).unwrap_err(),
            RequestError::MissingSignature
        );
        let sig_alg = regex::Regex::new("SigAlg=[^&]*").unwrap();
        for alg in [
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "urn:nonsense",
            "",
        ] {
            let odd = sig_alg
                .replace(&query, format!("SigAlg={}", encode(alg)))
                .into_owned();
            let err = UnverifiedRequest::from_redirect(&odd)
                .unwrap()
                .verify(&expect(Some(&cert), true), now)
                .unwrap_err();
            assert!(
                matches!(err, RequestError::UnsupportedAlgorithm(_)),
                "{alg}: {err}"
            );
        }
        let unsigned = format!(
            "SAMLRequest={}",
            encode(&deflate_b64(request_xml("_r4", SP, ACS, now).as_bytes()))
        );
        let err = UnverifiedRequest::from_redirect(&unsigned)
            .unwrap()
            .verify(&expect(Some(&cert), true), now)
            .unwrap_err();
        assert_eq!(err, RequestError::Unsigned);
        let twice = format!("{unsigned}&{unsigned}");
        assert_eq!(
            UnverifiedRequest::from_redirect(&twice).unwrap_err(),
            RequestError::Repeated("SAMLRequest")
        );
    }

    #[test]
    fn the_issuer_acs_destination_and_instant_must_match() {
        let now = Utc::now();
        let check = |xml: String| {
            UnverifiedRequest::from_post(Some(&STANDARD.encode(xml)), None)
                .unwrap()
                .verify(&expect(None, false), now)
        };
        assert!(matches!(
            check(request_xml("_a", "https://evil.example.com", ACS, now)),
            Err(RequestError::WrongIssuer(_))
        ));
        assert!(matches!(
            check(request_xml("_b", SP, "https://evil.example.com/acs", now)),
            Err(RequestError::WrongAcs(_))
        ));
        assert!(matches!(
            check(request_xml("_c", SP, &format!("{ACS}/"), now)),
            Err(RequestError::WrongAcs(_))
        ));
        assert!(matches!(
            check(request_xml("_d", SP, ACS, now - Duration::minutes(10))),
            Err(RequestError::Stale(_))
        ));
        assert!(matches!(
            check(request_xml("_e", SP, ACS, now + Duration::minutes(10))),
            Err(RequestError::Stale(_))
        ));
        let elsewhere = request_xml("_f", SP, ACS, now).replace(SSO, "https://other/sso");
        assert!(matches!(
            check(elsewhere),
            Err(RequestError::WrongDestination(_))
        ));
        let no_acs = request_xml("_g", SP, ACS, now)
            .replace(&format!(" AssertionConsumerServiceURL=\"{ACS}\""), "");
        assert_eq!(
            check(no_acs).unwrap().acs_url,
            ACS,
            "absent: the registered one"
        );
    }

    #[test]
    fn hostile_encodings_are_refused_without_panicking() {
        assert_eq!(
            UnverifiedRequest::from_redirect("RelayState=x").unwrap_err(),
            RequestError::Missing("SAMLRequest")
        );
        assert_eq!(
            UnverifiedRequest::from_redirect("SAMLRequest=%%%").unwrap_err(),
            RequestError::Malformed("bad percent-encoding".into())
        );
        assert_eq!(
            UnverifiedRequest::from_redirect("SAMLRequest=!!!!").unwrap_err(),
            RequestError::Base64
        );
        assert_eq!(
            UnverifiedRequest::from_redirect(&format!(
                "SAMLRequest={}",
                encode(&STANDARD.encode("not deflated"))
            ))
            .unwrap_err(),
            RequestError::Inflate
        );
        // 50 MiB of zeros deflate to ~50 KiB; inflating stops at the cap.
        let bomb = deflate_b64(&vec![b' '; 50 * 1024 * 1024]);
        assert!(bomb.len() < 200 * 1024);
        assert_eq!(
            UnverifiedRequest::from_redirect(&format!("SAMLRequest={}", encode(&bomb)))
                .unwrap_err(),
            RequestError::TooLarge
        );
        let relay = "r".repeat(81);
        let xml = request_xml("_x", SP, ACS, Utc::now());
        assert_eq!(
            UnverifiedRequest::from_post(Some(&STANDARD.encode(&xml)), Some(&relay)).unwrap_err(),
            RequestError::RelayStateTooLong
        );
        let doctype = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]>{}",
            xml.replace("</saml:Issuer>", "&e;</saml:Issuer>")
        );
        assert_eq!(
            UnverifiedRequest::from_post(Some(&STANDARD.encode(doctype)), None).unwrap_err(),
            RequestError::Doctype
        );
        let response = xml.replace("AuthnRequest", "Response");
        assert!(matches!(
            UnverifiedRequest::from_post(Some(&STANDARD.encode(response)), None),
            Err(RequestError::Malformed(_))
        ));
        for garbage in [
            "",
            "<",
            "<a/>",
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">",
            "\u{0}\u{1}",
        ] {
            assert!(
                UnverifiedRequest::from_post(Some(&STANDARD.encode(garbage)), None).is_err(),
                "{garbage:?}"
            );
        }
        assert!(matches!(
            UnverifiedRequest::from_post(Some(&STANDARD.encode([0xff, 0xfe])), None),
            Err(RequestError::NotUtf8)
        ));
        assert_eq!(
            UnverifiedRequest::from_post(None, None).unwrap_err(),
            RequestError::Missing("SAMLRequest")
        );
    }

    #[test]
    fn only_one_enveloped_signature_of_the_root_passes_the_structure_check() {
        let good = Shape {
            root_id: Some("_r".into()),
            root_id_count: 1,
            signatures: vec![1],
            references: vec!["#_r".into()],
            transforms: vec![ALLOWED_TRANSFORMS[0].into(), ALLOWED_TRANSFORMS[1].into()],
            ..Shape::default()
        };
        assert!(check_signature_structure(&good).is_ok());
        let wrapped = Shape {
            signatures: vec![2],
            ..good.clone()
        };
        assert!(check_signature_structure(&wrapped).is_err());
        let two = Shape {
            signatures: vec![1, 2],
            ..good.clone()
        };
        assert!(check_signature_structure(&two).is_err());
        let elsewhere = Shape {
            references: vec!["#_other".into()],
            ..good.clone()
        };
        assert!(check_signature_structure(&elsewhere).is_err());
        let duplicated_id = Shape {
            root_id_count: 2,
            ..good.clone()
        };
        assert!(check_signature_structure(&duplicated_id).is_err());
        let xslt = Shape {
            transforms: vec!["http://www.w3.org/TR/1999/REC-xslt-19991116".into()],
            ..good.clone()
        };
        assert!(check_signature_structure(&xslt).is_err());
    }

    /// A request with an enveloped signature whose values need not verify: what is checked
    /// here is refused before xmlsec looks at them.
    fn signed_shape(digest: &str, extra: &str) -> String {
        format!(
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
             xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\">\
             <saml:Issuer>{SP}</saml:Issuer>\
             <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>\
             <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
             <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
             <ds:Reference URI=\"#_r\"><ds:Transforms>\
             <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
             </ds:Transforms><ds:DigestMethod Algorithm=\"{digest}\"/>\
             <ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>\
             <ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>{extra}\
             </samlp:AuthnRequest>"
        )
    }

    #[test]
    fn sha1_digests_and_xml_ids_are_refused_before_the_signature_is_checked() {
        let (_, cert) = key_and_cert();
        let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
        // The structure passes, so the signature's values are what is wrong.
        let err = verify_embedded_signature(&signed_shape(sha256, ""), "AuthnRequest", &cert)
            .unwrap_err();
        assert!(
            !matches!(
                err,
                RequestError::UnsupportedAlgorithm(_) | RequestError::SignatureStructure
            ),
            "{err}"
        );
        let sha1 = signed_shape("http://www.w3.org/2000/09/xmldsig#sha1", "");
        assert!(matches!(
            verify_embedded_signature(&sha1, "AuthnRequest", &cert),
            Err(RequestError::UnsupportedAlgorithm(_))
        ));
        let xml_id = signed_shape(
            sha256,
            "<samlp:Extensions><x xml:id=\"_r\" xmlns=\"urn:x\"/></samlp:Extensions>",
        );
        assert_eq!(
            verify_embedded_signature(&xml_id, "AuthnRequest", &cert),
            Err(RequestError::SignatureStructure)
        );
    }

    /// A POST request whose root carries `attributes` and whose body after the Issuer is `body`.
    fn with_options(
        attributes: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<VerifiedRequest, RequestError> {
        let xml = request_xml("_o1", SP, ACS, now)
            .replacen(" Version=", &format!("{attributes} Version="), 1)
            .replacen("</saml:Issuer>", &format!("</saml:Issuer>{body}"), 1);
        UnverifiedRequest::from_post(Some(&STANDARD.encode(xml)), None)?
            .verify(&expect(None, false), now)
    }

    #[test]
    fn what_a_request_asks_for_is_read_and_bounded() {
        let now = Utc::now();
        let plain = with_options("", "", now).unwrap();
        assert!(!plain.is_passive && !plain.force_authn);
        assert_eq!(
            plain.name_id_policy,
            NameIdPolicy {
                format: None,
                allow_create: true
            }
        );
        assert_eq!(plain.authn_context, None);

        let asked = with_options(
            " IsPassive=\"true\" ForceAuthn=\"true\"",
            "<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\" AllowCreate=\"false\"/>\
             <samlp:RequestedAuthnContext Comparison=\"minimum\">\
             <saml:AuthnContextClassRef>https://refeds.org/profile/mfa</saml:AuthnContextClassRef>\
             <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard</saml:AuthnContextClassRef>\
             </samlp:RequestedAuthnContext>",
            now,
        )
        .unwrap();
        assert!(asked.is_passive && asked.force_authn);
        assert_eq!(
            asked.name_id_policy.format.as_deref(),
            Some("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")
        );
        assert!(!asked.name_id_policy.allow_create);
        assert_eq!(
            asked.authn_context,
            Some(Requested {
                comparison: Comparison::Minimum,
                classes: vec![Class::Mfa],
                unknown: true,
            })
        );
        // `unspecified` asks for nothing in particular.
        let unspecified = with_options(
            "",
            "<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\"/>",
            now,
        )
        .unwrap();
        assert_eq!(unspecified.name_id_policy.format, None);

        let long = format!("<samlp:NameIDPolicy Format=\"urn:{}\"/>", "x".repeat(300));
        assert_eq!(
            with_options("", &long, now),
            Err(RequestError::FormatTooLong)
        );
        let many = format!(
            "<samlp:RequestedAuthnContext>{}</samlp:RequestedAuthnContext>",
            "<saml:AuthnContextClassRef>urn:x</saml:AuthnContextClassRef>".repeat(17)
        );
        assert_eq!(
            with_options("", &many, now),
            Err(RequestError::TooManyClasses)
        );
        let declared = with_options(
            "",
            "<samlp:RequestedAuthnContext><saml:AuthnContextDeclRef>urn:x</saml:AuthnContextDeclRef></samlp:RequestedAuthnContext>",
            now,
        )
        .unwrap();
        assert!(declared.authn_context.unwrap().unknown);
    }

    #[test]
    fn ids_are_xml_ids() {
        assert!(valid_id("_abc-1.2"));
        assert!(valid_id("id-0123"));
        for bad in ["", "1abc", "a b", "a\"b", "a<b", &"a".repeat(300)] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn raw_ecdsa_signatures_become_der() {
        let der = raw_ecdsa_to_der(&[1u8; 64]).unwrap();
        assert_eq!(der[0], 0x30);
        assert!(raw_ecdsa_to_der(&[1u8; 70]).is_none());
    }
}
