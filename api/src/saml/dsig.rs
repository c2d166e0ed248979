//! The XML Lanyard signs (responses, assertions, metadata), built as a small tree and signed
//! in place: an enveloped XML signature with exclusive canonicalisation, the way xmlsec signs
//! a template, but over a tree whose canonical form is known without parsing anything.
//!
//! Why not xmlsec through samael: samael 0.0.22 takes the private key as DER on every call and
//! decodes it again each time (0.6–0.9 ms under OpenSSL 3, more than the RSA signature
//! itself), and offers no call with a loaded key; reaching xmlsec directly would need unsafe
//! code, which this workspace forbids. Here the key is parsed once ([`crate::keys::Signer`]).
//! docs/decisions.md#responses has the measurements; the tests below check every signature
//! against xmlsec, byte for byte.
//!
//! Canonicalisation ([Exclusive XML Canonicalization 1.0], no comments, no inclusive
//! prefixes) of these trees, whose every prefix always names the same namespace:
//! - an element renders the namespace declarations of the prefixes it visibly uses (its own,
//!   its attributes') that no rendered ancestor has rendered, sorted by prefix;
//! - then its attributes, unqualified ones by name first, then qualified ones by namespace
//!   URI and name;
//! - empty elements as a start and an end tag; text with `&`, `<`, `>` and CR escaped;
//!   attribute values with `&`, `<`, `"`, TAB, LF and CR escaped.
//!
//! The document form is the same text plus the namespace declarations an element asks for
//! beyond those it uses ([`Element::declare`], for prefixes in QName values such as
//! `xs:string`, or to declare once at the root). Parsing it and canonicalising any element
//! gives back the canonical form computed here, so the signatures verify.
//!
//! [Exclusive XML Canonicalization 1.0]: https://www.w3.org/TR/xml-exc-c14n/

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use entity::signing_key::KeyAlgorithm;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{hash, MessageDigest};

use crate::keys::Signer;

pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

/// The namespaces of the documents Lanyard signs, each always under the same prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ns {
    Ds,
    Md,
    Saml,
    Samlp,
    Xenc,
    Xs,
    Xsi,
}

impl Ns {
    pub fn prefix(self) -> &'static str {
        match self {
            Ns::Ds => "ds",
            Ns::Md => "md",
            Ns::Saml => "saml",
            Ns::Samlp => "samlp",
            Ns::Xenc => "xenc",
            Ns::Xs => "xs",
            Ns::Xsi => "xsi",
        }
    }

    pub fn uri(self) -> &'static str {
        match self {
            Ns::Ds => "http://www.w3.org/2000/09/xmldsig#",
            Ns::Md => "urn:oasis:names:tc:SAML:2.0:metadata",
            Ns::Saml => "urn:oasis:names:tc:SAML:2.0:assertion",
            Ns::Samlp => "urn:oasis:names:tc:SAML:2.0:protocol",
            Ns::Xenc => "http://www.w3.org/2001/04/xmlenc#",
            Ns::Xs => "http://www.w3.org/2001/XMLSchema",
            Ns::Xsi => "http://www.w3.org/2001/XMLSchema-instance",
        }
    }
}

#[derive(Clone, Debug)]
struct Attribute {
    ns: Option<Ns>,
    name: &'static str,
    value: String,
}

#[derive(Clone, Debug)]
enum Node {
    Element(Element),
    Text(String),
}

/// An element of a document Lanyard writes.
#[derive(Clone, Debug)]
pub struct Element {
    ns: Ns,
    name: &'static str,
    declares: Vec<Ns>,
    attributes: Vec<Attribute>,
    children: Vec<Node>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Document,
    Canonical,
}

impl Element {
    pub fn new(ns: Ns, name: &'static str) -> Element {
        Element {
            ns,
            name,
            declares: Vec::new(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Declares `ns` here in the document even where no name of this element uses it.
    pub fn declare(mut self, ns: Ns) -> Element {
        self.declares.push(ns);
        self
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Element {
        self.attributes.push(Attribute {
            ns: None,
            name,
            value: value.into(),
        });
        self
    }

    /// The attribute when there is a value, none otherwise.
    pub fn attr_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Element {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    pub fn qualified_attr(mut self, ns: Ns, name: &'static str, value: &str) -> Element {
        self.attributes.push(Attribute {
            ns: Some(ns),
            name,
            value: value.to_owned(),
        });
        self
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    pub fn children(mut self, children: impl IntoIterator<Item = Element>) -> Element {
        self.children
            .extend(children.into_iter().map(Node::Element));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// The element's attribute `name` (unqualified), if it has one.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.ns.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The document text of this element as the root (no XML declaration).
    pub fn to_document(&self) -> String {
        let mut out = String::with_capacity(4096);
        self.write(&mut out, Form::Document, &mut Vec::new());
        out
    }

    /// The exclusive canonical form of this element as the apex of the node set.
    pub fn canonical(&self) -> String {
        let mut out = String::with_capacity(4096);
        self.write(&mut out, Form::Canonical, &mut Vec::new());
        out
    }

    fn write(&self, out: &mut String, form: Form, in_scope: &mut Vec<Ns>) {
        let mut declared: Vec<Ns> = Vec::new();
        let used = std::iter::once(self.ns).chain(self.attributes.iter().filter_map(|a| a.ns));
        let asked = match form {
            Form::Document => self.declares.as_slice(),
            Form::Canonical => &[],
        };
        for ns in used.chain(asked.iter().copied()) {
            if !in_scope.contains(&ns) && !declared.contains(&ns) {
                declared.push(ns);
            }
        }
        declared.sort_by_key(|ns| ns.prefix());
        out.push('<');
        out.push_str(self.ns.prefix());
        out.push(':');
        out.push_str(self.name);
        for ns in &declared {
            out.push_str(" xmlns:");
            out.push_str(ns.prefix());
            out.push_str("=\"");
            out.push_str(ns.uri());
            out.push('"');
        }
        let mut attributes: Vec<&Attribute> = self.attributes.iter().collect();
        attributes.sort_by_key(|a| (a.ns.map(Ns::uri).unwrap_or(""), a.name));
        for attribute in attributes {
            out.push(' ');
            if let Some(ns) = attribute.ns {
                out.push_str(ns.prefix());
                out.push(':');
            }
            out.push_str(attribute.name);
            out.push_str("=\"");
            escape_attribute(out, &attribute.value);
            out.push('"');
        }
        out.push('>');
        let depth = in_scope.len();
        in_scope.extend(declared);
        for child in &self.children {
            match child {
                Node::Element(element) => element.write(out, form, in_scope),
                Node::Text(text) => escape_text(out, text),
            }
        }
        in_scope.truncate(depth);
        out.push_str("</");
        out.push_str(self.ns.prefix());
        out.push(':');
        out.push_str(self.name);
        out.push('>');
    }

    /// Signs this element (enveloped; its `ID` attribute is the reference) and inserts the
    /// `ds:Signature` as its child number `position` — after the Issuer in SAML messages,
    /// first in metadata, as their schemas require.
    pub fn sign(
        &mut self,
        position: usize,
        signer: &Signer,
        method: SignatureMethod,
    ) -> anyhow::Result<()> {
        let id = self
            .attribute("ID")
            .ok_or_else(|| anyhow::anyhow!("the element to sign has no ID"))?;
        let digest = hash(method.message_digest(), self.canonical().as_bytes())?;
        let signed_info = signed_info(id, method, &STANDARD.encode(digest));
        let value = signature_value(signer, method, signed_info.canonical().as_bytes())?;
        let signature = signature(
            signed_info,
            &STANDARD.encode(value),
            &signer.certificate_der,
        );
        let position = position.min(self.children.len());
        self.children.insert(position, Node::Element(signature));
        Ok(())
    }

    /// Inserts an empty signature template, for xmlsec to fill in: the tests' reference.
    #[cfg(test)]
    pub fn insert_template(
        &mut self,
        position: usize,
        method: SignatureMethod,
        certificate_der: &[u8],
    ) {
        let id = self.attribute("ID").unwrap_or_default().to_owned();
        let template = signature(signed_info(&id, method, ""), "", certificate_der);
        self.children.insert(position, Node::Element(template));
    }
}

/// What the signature value signs: the algorithms, and the reference to the element `id`
/// with its digest.
fn signed_info(id: &str, method: SignatureMethod, digest: &str) -> Element {
    Element::new(Ns::Ds, "SignedInfo")
        .child(Element::new(Ns::Ds, "CanonicalizationMethod").attr("Algorithm", EXC_C14N))
        .child(Element::new(Ns::Ds, "SignatureMethod").attr("Algorithm", method.signature))
        .child(
            Element::new(Ns::Ds, "Reference")
                .attr("URI", format!("#{id}"))
                .child(
                    Element::new(Ns::Ds, "Transforms")
                        .child(Element::new(Ns::Ds, "Transform").attr("Algorithm", ENVELOPED))
                        .child(Element::new(Ns::Ds, "Transform").attr("Algorithm", EXC_C14N)),
                )
                .child(Element::new(Ns::Ds, "DigestMethod").attr("Algorithm", method.digest))
                .child(Element::new(Ns::Ds, "DigestValue").text(digest)),
        )
}

fn signature(signed_info: Element, value: &str, certificate_der: &[u8]) -> Element {
    Element::new(Ns::Ds, "Signature")
        .child(signed_info)
        .child(Element::new(Ns::Ds, "SignatureValue").text(value))
        .child(key_info(certificate_der))
}

/// `ds:KeyInfo` carrying one certificate.
pub fn key_info(certificate_der: &[u8]) -> Element {
    Element::new(Ns::Ds, "KeyInfo").child(
        Element::new(Ns::Ds, "X509Data")
            .child(Element::new(Ns::Ds, "X509Certificate").text(STANDARD.encode(certificate_der))),
    )
}

/// The HTTP-Redirect binding's signature over the query's octets (bindings §3.4.4.1), in the
/// same form as an XML signature's value.
pub fn sign_octets(
    signer: &Signer,
    method: SignatureMethod,
    data: &[u8],
) -> anyhow::Result<Vec<u8>> {
    signature_value(signer, method, data)
}

/// The raw signature over `data`: PKCS#1 v1.5 for RSA; for ECDSA the `r ‖ s` pair XML
/// signatures use (RFC 4050 §3.3), not OpenSSL's DER.
fn signature_value(
    signer: &Signer,
    method: SignatureMethod,
    data: &[u8],
) -> anyhow::Result<Vec<u8>> {
    let mut openssl_signer = openssl::sign::Signer::new(method.message_digest(), &signer.key)?;
    openssl_signer.update(data)?;
    let signature = openssl_signer.sign_to_vec()?;
    match signer.algorithm {
        KeyAlgorithm::EcdsaP256 => {
            let pair = EcdsaSig::from_der(&signature)?;
            let mut raw = pair.r().to_vec_padded(32)?;
            raw.extend(pair.s().to_vec_padded(32)?);
            Ok(raw)
        }
        KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 => Ok(signature),
    }
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
                signature: ECDSA_SHA256,
                digest: SHA256,
            },
            (_, "rsa-sha512") => SignatureMethod {
                signature: RSA_SHA512,
                digest: SHA512,
            },
            _ => SignatureMethod {
                signature: RSA_SHA256,
                digest: SHA256,
            },
        }
    }

    fn message_digest(self) -> MessageDigest {
        if self.digest == SHA512 {
            MessageDigest::sha512()
        } else {
            MessageDigest::sha256()
        }
    }
}

/// Element content: `&`, `<`, `>` and CR as references; characters XML 1.0 cannot carry at
/// all (most control characters) are dropped rather than producing a document no one parses.
fn escape_text(out: &mut String, text: &str) {
    escape_with(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#xD;"),
        '\t' | '\n' => None,
        c if is_xml_char(c) => None,
        _ => Some(""),
    });
}

/// An attribute value: `&`, `<`, `"`, TAB, LF and CR as references (so that they survive
/// attribute-value normalisation); other characters as [`escape_text`].
fn escape_attribute(out: &mut String, value: &str) {
    escape_with(out, value, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '"' => Some("&quot;"),
        '\t' => Some("&#x9;"),
        '\n' => Some("&#xA;"),
        '\r' => Some("&#xD;"),
        c if is_xml_char(c) => None,
        _ => Some(""),
    });
}

/// Appends `text` with each character that `replacement` maps written as its replacement (an
/// empty one drops it); the runs between are copied whole, not character by character.
fn escape_with(out: &mut String, text: &str, replacement: impl Fn(char) -> Option<&'static str>) {
    let mut copied = 0;
    for (at, c) in text.char_indices() {
        if let Some(with) = replacement(c) {
            out.push_str(&text[copied..at]);
            out.push_str(with);
            copied = at + c.len_utf8();
        }
    }
    out.push_str(&text[copied..]);
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use samael::crypto::{CertificateDer, Crypto, CryptoProvider};

    /// `element` signed by xmlsec (through samael) from a template at `position`: the
    /// reference the signatures made here must equal.
    pub(crate) fn signed_by_xmlsec(
        mut element: Element,
        position: usize,
        signer: &Signer,
        method: SignatureMethod,
    ) -> String {
        element.insert_template(position, method, &signer.certificate_der);
        Crypto::sign_xml(element.to_document(), &signer.private_key_der)
            .unwrap_or_else(|err| panic!("xmlsec: {err}"))
    }

    /// The first DigestValue and SignatureValue of a document, without the line breaks
    /// xmlsec puts into base64.
    pub(crate) fn first_values(xml: &str) -> (String, String) {
        let value = |tag: &str| {
            let open = format!("<ds:{tag}>");
            let start = xml.find(&open).expect(tag) + open.len();
            let end = start + xml[start..].find('<').expect(tag);
            xml[start..end].split_whitespace().collect::<String>()
        };
        (value("DigestValue"), value("SignatureValue"))
    }

    pub(crate) fn verifies(xml: &str, signer: &Signer) -> bool {
        let certificate = CertificateDer::from(signer.certificate_der.clone());
        Crypto::verify_signed_xml(xml, &certificate, Some("ID")).is_ok()
    }

    fn sample() -> Element {
        Element::new(Ns::Samlp, "Response")
            .declare(Ns::Saml)
            .attr("ID", "_r1")
            .attr("Version", "2.0")
            .child(Element::new(Ns::Saml, "Issuer").text("https://idp.example.com"))
            .child(
                Element::new(Ns::Saml, "Assertion")
                    .declare(Ns::Xs)
                    .attr("ID", "_a1")
                    .child(
                        Element::new(Ns::Saml, "AttributeValue")
                            .qualified_attr(Ns::Xsi, "type", "xs:string")
                            .attr("Name", "b")
                            .attr("A", "a")
                            .text("v"),
                    ),
            )
    }

    #[test]
    fn the_document_declares_once_and_the_canonical_form_where_used() {
        let element = sample();
        assert_eq!(
            element.to_document(),
            "<samlp:Response xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" \
             xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" Version=\"2.0\">\
             <saml:Issuer>https://idp.example.com</saml:Issuer>\
             <saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" ID=\"_a1\">\
             <saml:AttributeValue xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             A=\"a\" Name=\"b\" xsi:type=\"xs:string\">v</saml:AttributeValue>\
             </saml:Assertion></samlp:Response>"
        );
        assert_eq!(
            element.canonical(),
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" \
             Version=\"2.0\">\
             <saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">\
             https://idp.example.com</saml:Issuer>\
             <saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a1\">\
             <saml:AttributeValue xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             A=\"a\" Name=\"b\" xsi:type=\"xs:string\">v</saml:AttributeValue>\
             </saml:Assertion></samlp:Response>"
        );
    }

    #[test]
    fn text_and_attributes_are_escaped_as_canonical_xml_escapes_them() {
        // (attribute value, text, their canonical forms): what is replaced or dropped, and
        // the runs kept whole between, multi-byte characters included.
        let cases = [
            (
                "a&<>\"'\t\n\r\u{1}b",
                "a&<>\"'\t\n\r\u{1}\u{FFFF}b",
                "a&amp;&lt;>&quot;'&#x9;&#xA;&#xD;b",
                "a&amp;&lt;&gt;\"'\t\n&#xD;b",
            ),
            (
                "é\u{1}漢&😀",
                "\u{1}Zoë <ü@例え.jp>\u{FFFE}",
                "é漢&amp;😀",
                "Zoë &lt;ü@例え.jp&gt;",
            ),
        ];
        for (attribute, text, canonical_attribute, canonical_text) in cases {
            let element = Element::new(Ns::Saml, "NameID")
                .attr("Format", attribute)
                .text(text);
            assert_eq!(
                element.canonical(),
                format!(
                    "<saml:NameID xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" \
                     Format=\"{canonical_attribute}\">{canonical_text}</saml:NameID>"
                )
            );
        }
    }

    #[test]
    fn each_signature_is_the_one_xmlsec_makes_and_verifies() {
        // RSA PKCS#1 v1.5 signatures are deterministic: equal signature values prove equal
        // canonical SignedInfo, and equal digests equal canonical content.
        let signer = crate::saml::metadata::tests::signer(KeyAlgorithm::Rsa2048);
        for preference in ["rsa-sha256", "rsa-sha512"] {
            let method = SignatureMethod::for_key(KeyAlgorithm::Rsa2048, preference);
            let mut ours = sample();
            ours.sign(1, &signer, method).unwrap();
            let reference = signed_by_xmlsec(sample(), 1, &signer, method);
            let ours = ours.to_document();
            let (digest, value) = first_values(&ours);
            let (reference_digest, reference_value) = first_values(&reference);
            assert_eq!(digest, reference_digest, "{preference}");
            // xmlsec breaks base64 lines at 64 characters, inside SignedInfo too: with a
            // SHA-512 digest its SignedInfo differs from ours by a line break.
            if digest.len() <= 64 {
                assert_eq!(value, reference_value, "{preference}");
            }
            assert!(verifies(&ours, &signer), "{preference}");
            assert!(!verifies(&ours.replace("idp.example", "idp.evil"), &signer));
        }
    }

    #[test]
    fn ecdsa_signatures_verify_and_are_the_raw_pair() {
        let signer = crate::saml::metadata::tests::signer(KeyAlgorithm::EcdsaP256);
        let method = SignatureMethod::for_key(KeyAlgorithm::EcdsaP256, "rsa-sha256");
        let mut ours = sample();
        ours.sign(1, &signer, method).unwrap();
        let ours = ours.to_document();
        let (_, value) = first_values(&ours);
        assert_eq!(STANDARD.decode(value).unwrap().len(), 64);
        assert!(verifies(&ours, &signer));
        let other = crate::saml::metadata::tests::signer(KeyAlgorithm::EcdsaP256);
        assert!(!verifies(&ours, &other));
    }

    #[test]
    fn an_element_without_an_id_is_not_signed() {
        let signer = crate::saml::metadata::tests::signer(KeyAlgorithm::EcdsaP256);
        let method = SignatureMethod::for_key(KeyAlgorithm::EcdsaP256, "");
        let mut element = Element::new(Ns::Saml, "Assertion");
        assert!(element.sign(0, &signer, method).is_err());
    }
}
