//! Import of a service provider's SAML metadata: the entity ID, the HTTP-POST assertion
//! consumer service, the single logout service (HTTP-Redirect preferred, else HTTP-POST), the
//! signing and encryption certificates and whether it signs its AuthnRequests.
//! Outside input: size-capped, no DOCTYPE or entities (no XXE, no entity expansion), every
//! fault a clear error naming `metadataXml`.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{AppError, AppResult};

pub const MAX_METADATA_BYTES: usize = 256 * 1024;
const FIELD: &str = "metadataXml";
pub const POST_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
pub const REDIRECT_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpMetadata {
    pub entity_id: String,
    pub acs_url: String,
    /// Base64 DER of the signing certificate, when the SP publishes one.
    pub signing_certificate: Option<String>,
    /// PEM of the first RSA certificate of a KeyDescriptor for encryption (or for any use).
    pub encryption_certificate: Option<String>,
    pub authn_requests_signed: bool,
    /// The SingleLogoutService this server can use, when the SP has one.
    pub single_logout: Option<SingleLogout>,
}

/// A SingleLogoutService of the SP's metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleLogout {
    pub url: String,
    /// `ResponseLocation`, when LogoutResponses go elsewhere.
    pub response_url: Option<String>,
    /// HTTP-POST; else HTTP-Redirect.
    pub post: bool,
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::bad_input(FIELD, message)
}

fn attribute(element: &BytesStart<'_>, name: &str) -> AppResult<Option<String>> {
    for attr in element.attributes() {
        let attr = attr.map_err(|e| bad(format!("malformed attribute: {e}")))?;
        if attr.key.local_name().as_ref() == name.as_bytes() {
            let raw =
                std::str::from_utf8(&attr.value).map_err(|_| bad("the metadata is not UTF-8"))?;
            let value = quick_xml::escape::unescape(raw)
                .map_err(|e| bad(format!("malformed attribute value: {e}")))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

struct Acs {
    location: String,
    index: u32,
    is_default: bool,
}

pub fn parse(xml: &str) -> AppResult<SpMetadata> {
    if xml.len() > MAX_METADATA_BYTES {
        return Err(bad(format!(
            "the metadata is larger than {} KiB",
            MAX_METADATA_BYTES / 1024
        )));
    }
    let upper = xml.to_ascii_uppercase();
    if upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY") {
        return Err(bad(
            "metadata with a DOCTYPE or entity declarations is refused",
        ));
    }
    let mut reader = Reader::from_str(xml);
    let mut entity_id = None;
    let mut in_sp = false;
    let mut seen_sp = false;
    let mut authn_requests_signed = false;
    let mut acs: Vec<Acs> = Vec::new();
    let mut key_use: Option<Option<String>> = None;
    // Inside an X509Certificate: the `use` of its KeyDescriptor.
    let mut in_cert: Option<Option<String>> = None;
    let mut signing_certificate = None;
    let mut encryption_certificate = None;
    let mut single_logout: Vec<SingleLogout> = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| bad(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref element) | Event::Empty(ref element) => {
                let is_start = matches!(event, Event::Start(_));
                if is_start {
                    depth += 1;
                    if depth > 64 {
                        return Err(bad("the metadata nests too deep"));
                    }
                }
                match element.local_name().as_ref() {
                    b"EntityDescriptor" if entity_id.is_none() => {
                        entity_id = attribute(element, "entityID")?;
                    }
                    b"SPSSODescriptor" if !seen_sp => {
                        in_sp = is_start;
                        seen_sp = true;
                        authn_requests_signed = attribute(element, "AuthnRequestsSigned")?
                            .is_some_and(|v| v == "true" || v == "1");
                    }
                    b"AssertionConsumerService"
                        if in_sp
                            && attribute(element, "Binding")?.as_deref() == Some(POST_BINDING) =>
                    {
                        let location = attribute(element, "Location")?
                            .ok_or_else(|| bad("an AssertionConsumerService has no Location"))?;
                        let index = attribute(element, "index")?
                            .and_then(|i| i.parse().ok())
                            .unwrap_or(u32::MAX);
                        let is_default = attribute(element, "isDefault")?
                            .is_some_and(|v| v == "true" || v == "1");
                        acs.push(Acs {
                            location,
                            index,
                            is_default,
                        });
                    }
                    b"SingleLogoutService" if in_sp => {
                        let binding = attribute(element, "Binding")?;
                        let post = match binding.as_deref() {
                            Some(REDIRECT_BINDING) => false,
                            Some(POST_BINDING) => true,
                            // SOAP and artifact: not bindings this server sends by.
                            _ => continue,
                        };
                        let url = attribute(element, "Location")?
                            .ok_or_else(|| bad("a SingleLogoutService has no Location"))?;
                        let response_url = attribute(element, "ResponseLocation")?
                            .map(|r| super::applications::check_uri(FIELD, &r, false))
                            .transpose()?;
                        single_logout.push(SingleLogout {
                            url: super::applications::check_uri(FIELD, &url, false)?,
                            response_url,
                            post,
                        });
                    }
                    b"KeyDescriptor" if in_sp && is_start => {
                        key_use = Some(attribute(element, "use")?)
                    }
                    b"X509Certificate" if is_start && key_use.is_some() => {
                        in_cert = key_use.clone()
                    }
                    _ => {}
                }
            }
            Event::Text(text) if in_cert.is_some() => {
                let body: String = String::from_utf8_lossy(&text)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let key_use = in_cert.clone().flatten();
                if body.is_empty() {
                    continue;
                }
                if signing_certificate.is_none() && key_use.as_deref() != Some("encryption") {
                    signing_certificate = Some(body.clone());
                }
                // An SP's EC key cannot receive RSA-OAEP: such a certificate is passed over.
                if encryption_certificate.is_none() && key_use.as_deref() != Some("signing") {
                    encryption_certificate =
                        super::applications::check_encryption_certificate(FIELD, &body).ok();
                }
            }
            Event::End(element) => {
                depth = depth.saturating_sub(1);
                match element.local_name().as_ref() {
                    b"SPSSODescriptor" => in_sp = false,
                    b"KeyDescriptor" => key_use = None,
                    b"X509Certificate" => in_cert = None,
                    _ => {}
                }
            }
            Event::DocType(_) => return Err(bad("metadata with a DOCTYPE is refused")),
            Event::Eof => break,
            _ => {}
        }
    }
    let entity_id = entity_id
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| bad("no EntityDescriptor with an entityID"))?;
    if !seen_sp {
        return Err(bad(
            "no SPSSODescriptor: this is not a service provider's metadata",
        ));
    }
    acs.sort_by_key(|a| (!a.is_default, a.index));
    let acs_url = acs
        .into_iter()
        .next()
        .map(|a| a.location)
        .ok_or_else(|| bad("no AssertionConsumerService with the HTTP-POST binding"))?;
    if let Some(cert) = &signing_certificate {
        super::applications::check_certificate(FIELD, cert)?;
    }
    Ok(SpMetadata {
        entity_id: super::applications::check_uri(FIELD, &entity_id, true)?,
        acs_url: super::applications::check_uri(FIELD, &acs_url, false)?,
        signing_certificate,
        encryption_certificate,
        authn_requests_signed,
        // HTTP-Redirect first: it needs no page of its own on the way.
        single_logout: single_logout
            .iter()
            .find(|s| !s.post)
            .or(single_logout.first())
            .cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: &str = r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://signin-intl.aliyun.com/1234567890123456/saml/SSO">
  <md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.com/redirect" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs2" index="2"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin-intl.aliyun.com/saml/SSO" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"#;

    #[test]
    fn the_post_acs_with_the_lowest_index_wins() {
        let parsed = parse(SP).unwrap();
        assert_eq!(
            parsed.entity_id,
            "https://signin-intl.aliyun.com/1234567890123456/saml/SSO"
        );
        assert_eq!(parsed.acs_url, "https://signin-intl.aliyun.com/saml/SSO");
        assert!(parsed.authn_requests_signed);
        assert_eq!(parsed.signing_certificate, None);
        let unprefixed = SP.replace("md:", "").replace("xmlns:md", "xmlns");
        assert_eq!(parse(&unprefixed).unwrap(), parsed);
    }

    #[test]
    fn the_single_logout_service_prefers_the_redirect_binding() {
        let slo = |services: &str| {
            let xml = SP.replace(
                "  </md:SPSSODescriptor>",
                &format!("{services}</md:SPSSODescriptor>"),
            );
            parse(&xml).map(|m| m.single_logout)
        };
        assert_eq!(slo("").unwrap(), None);
        let post = r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/slo-post"/>"#;
        let redirect = r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.com/slo" ResponseLocation="https://sp.example.com/slo-done"/>"#;
        let soap = r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://sp.example.com/soap"/>"#;
        assert_eq!(
            slo(&format!("{soap}{post}")).unwrap(),
            Some(SingleLogout {
                url: "https://sp.example.com/slo-post".into(),
                response_url: None,
                post: true,
            })
        );
        assert_eq!(
            slo(&format!("{post}{redirect}")).unwrap(),
            Some(SingleLogout {
                url: "https://sp.example.com/slo".into(),
                response_url: Some("https://sp.example.com/slo-done".into()),
                post: false,
            })
        );
        assert_eq!(slo(soap).unwrap(), None);
        let hostile = redirect.replace("https://sp.example.com/slo\"", "javascript:alert(1)\"");
        assert!(slo(&hostile).is_err());
        let no_location =
            r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/>"#;
        assert!(slo(no_location).is_err());
    }

    #[test]
    fn the_encryption_certificate_is_the_first_rsa_one_for_encryption() {
        let der = |pem: &str| {
            let body: String = pem
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .collect();
            body
        };
        let rsa = der(include_str!("../../../tests/interop/sp-cert.pem"));
        let key = |use_: &str, cert: &str| {
            format!("<KeyDescriptor{use_}><KeyInfo><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>")
        };
        let metadata = |keys: String| {
            format!(
                r#"<EntityDescriptor entityID="https://sp"><SPSSODescriptor>{keys}<AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://a/acs"/></SPSSODescriptor></EntityDescriptor>"#
            )
        };
        // For signing only: no encryption certificate.
        let signing = parse(&metadata(key(" use=\"signing\"", &rsa))).unwrap();
        assert_eq!(signing.signing_certificate.as_deref(), Some(rsa.as_str()));
        assert_eq!(signing.encryption_certificate, None);
        // For encryption: the encryption certificate, not the signing one.
        let encryption = parse(&metadata(key(" use=\"encryption\"", &rsa))).unwrap();
        assert_eq!(encryption.signing_certificate, None);
        let pem = encryption.encryption_certificate.unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        // No `use`: both.
        let both = parse(&metadata(key("", &rsa))).unwrap();
        assert!(both.signing_certificate.is_some() && both.encryption_certificate.is_some());
    }

    #[test]
    fn hostile_or_broken_metadata_is_refused_with_the_field_named() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><EntityDescriptor entityID="&lol2;"/>"#;
        let xxe = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&xxe;"/>"#;
        let cases = [
            bomb.to_owned(),
            xxe.to_owned(),
            "<EntityDescriptor entityID=\"x\">".to_owned(),
            "not xml at all".to_owned(),
            String::new(),
            r#"<EntityDescriptor entityID="https://sp"><IDPSSODescriptor/></EntityDescriptor>"#.to_owned(),
            r#"<EntityDescriptor entityID="https://sp"><SPSSODescriptor/></EntityDescriptor>"#.to_owned(),
            r#"<EntityDescriptor><SPSSODescriptor><AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://a"/></SPSSODescriptor></EntityDescriptor>"#.to_owned(),
            r#"<EntityDescriptor entityID="https://sp"><SPSSODescriptor><AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="javascript:alert(1)"/></SPSSODescriptor></EntityDescriptor>"#.to_owned(),
            r#"<EntityDescriptor entityID="https://sp"><SPSSODescriptor><KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>bm90IGEgY2VydA==</X509Certificate></X509Data></KeyInfo></KeyDescriptor><AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://a/acs"/></SPSSODescriptor></EntityDescriptor>"#.to_owned(),
            format!("<a>{}</a>", "x".repeat(MAX_METADATA_BYTES)),
            format!("{}{}", "<a>".repeat(100), "</a>".repeat(100)),
        ];
        for xml in cases {
            let err = parse(&xml).unwrap_err();
            assert_eq!(err.field(), Some(FIELD), "{xml:.80}: {err}");
        }
    }
}
