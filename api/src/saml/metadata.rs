//! The IdP metadata of one application: its entity ID, SSO endpoints, NameID formats and every
//! published signing certificate, signed (enveloped, exclusive c14n) with the instance's active
//! key. Service providers download it without authenticating.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use entity::application;

use super::dsig::{self, Element, Ns, SignatureMethod};
use super::endpoints;
use super::Saml;
use crate::error::{AppError, AppResult};
use crate::keys::{self, Signer};

const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// Offered after the application's own format, which comes first.
const NAME_ID_FORMATS: [&str; 3] = [
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
];

/// How often service providers should fetch the metadata again. There is no `validUntil`:
/// several service providers (Alibaba Cloud RAM among them) take the metadata as an uploaded
/// file once, and an expiry would silently break their SSO later.
const CACHE_DURATION: &str = "PT24H";

/// What the metadata says, before it is signed.
struct Description<'a> {
    document_id: &'a str,
    entity_id: &'a str,
    sso_url: &'a str,
    /// This application's SLO endpoint, when it takes part in single logout.
    slo_url: Option<&'a str>,
    want_authn_requests_signed: bool,
    name_id_format: &'a str,
    /// DER of every published certificate.
    certificates: &'a [Vec<u8>],
}

/// The most applications whose signed metadata one node keeps; past it the cache starts over.
const CACHED_DOCUMENTS: usize = 4096;

/// Signed metadata by application, with what it was made from: anonymous downloads cost a
/// lookup, not an RSA signature, until the application's settings or the instance's
/// published keys change.
#[derive(Default)]
pub struct SignedCache(Mutex<HashMap<String, (String, Arc<String>)>>);

impl SignedCache {
    fn get(&self, application_id: &str, made_from: &str) -> Option<Arc<String>> {
        let documents = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match documents.get(application_id) {
            Some((from, document)) if from == made_from => Some(document.clone()),
            _ => None,
        }
    }

    fn keep(&self, application_id: &str, made_from: String, document: Arc<String>) {
        let mut documents = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if documents.len() >= CACHED_DOCUMENTS && !documents.contains_key(application_id) {
            documents.clear();
        }
        documents.insert(application_id.to_owned(), (made_from, document));
    }
}

/// The signed IdP metadata XML of `application`.
pub async fn for_application(
    saml: &Saml,
    application: &application::Model,
) -> AppResult<Arc<String>> {
    let signer = keys::active_signer(&saml.ring, &application.instance_id).await?;
    let published = keys::published(
        &saml.store.conn,
        &application.instance_id,
        saml.ring.retirement_grace,
    )
    .await?;
    // Everything the document says, and the key that signs it.
    let made_from = std::iter::once(signer.key_id.as_str())
        .chain(published.iter().map(|key| key.id.as_str()))
        .chain([
            if application.authn_requests_signed {
                "signed"
            } else {
                "unsigned"
            },
            application.name_id_format.as_str(),
            if takes_part_in_single_logout(application) {
                "slo"
            } else {
                "no-slo"
            },
        ])
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(document) = saml.metadata.get(&application.id, &made_from) {
        return Ok(document);
    }
    let certificates = published
        .iter()
        .map(|key| keys::certificate_der(&key.certificate_pem))
        .collect::<AppResult<Vec<_>>>()?;
    let document_id = format!("_{}", uuid::Uuid::new_v4().simple());
    let entity_id = endpoints::entity_id(&saml.config.public_url, &application.id);
    let sso_url = endpoints::sso_url(&saml.config.public_url, &application.id);
    let slo_url = endpoints::slo_url(&saml.config.public_url, &application.id);
    let document = render(&Description {
        document_id: &document_id,
        entity_id: &entity_id,
        sso_url: &sso_url,
        slo_url: takes_part_in_single_logout(application).then_some(slo_url.as_str()),
        want_authn_requests_signed: application.authn_requests_signed,
        name_id_format: &application.name_id_format,
        certificates: &certificates,
    });
    let signed = tokio::task::spawn_blocking(move || sign(document, &signer))
        .await
        .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing metadata")))??;
    let signed = Arc::new(signed);
    saml.metadata
        .keep(&application.id, made_from, signed.clone());
    Ok(signed)
}

/// Single logout endpoints are published only for an application that takes part in it: one
/// whose SP's SLO URL is known and whose switch is on. Others (Alibaba Cloud's among them)
/// would only be told of an endpoint that refuses them.
fn takes_part_in_single_logout(application: &application::Model) -> bool {
    application.single_logout && application.slo_url.is_some()
}

/// Signs the metadata (the signature first inside the root, as the schema requires) and
/// writes it out with its XML declaration.
fn sign(mut document: Element, signer: &Signer) -> AppResult<String> {
    let method = SignatureMethod::for_key(signer.algorithm, "rsa-sha256");
    document
        .sign(0, signer, method)
        .map_err(|err| AppError::Internal(err.context("signing the IdP metadata")))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        document.to_document()
    ))
}

/// The metadata, unsigned.
fn render(description: &Description<'_>) -> Element {
    let key_descriptors = description.certificates.iter().map(|certificate| {
        Element::new(Ns::Md, "KeyDescriptor")
            .attr("use", "signing")
            .child(dsig::key_info(certificate))
    });
    let mut formats: Vec<&str> = Vec::new();
    for format in std::iter::once(description.name_id_format.trim()).chain(NAME_ID_FORMATS) {
        if !format.is_empty() && !formats.contains(&format) {
            formats.push(format);
        }
    }
    let formats = formats
        .into_iter()
        .map(|format| Element::new(Ns::Md, "NameIDFormat").text(format));
    // The schema's order: SingleLogoutService before NameIDFormat, SingleSignOnService last.
    let logout = description.slo_url.into_iter().flat_map(|url| {
        [BINDING_REDIRECT, BINDING_POST].map(|binding| {
            Element::new(Ns::Md, "SingleLogoutService")
                .attr("Binding", binding)
                .attr("Location", url)
        })
    });
    let services = [BINDING_REDIRECT, BINDING_POST].map(|binding| {
        Element::new(Ns::Md, "SingleSignOnService")
            .attr("Binding", binding)
            .attr("Location", description.sso_url)
    });
    Element::new(Ns::Md, "EntityDescriptor")
        .declare(Ns::Ds)
        .attr("ID", description.document_id)
        .attr("entityID", description.entity_id)
        .attr("cacheDuration", CACHE_DURATION)
        .child(
            Element::new(Ns::Md, "IDPSSODescriptor")
                .attr("protocolSupportEnumeration", PROTOCOL)
                .attr(
                    "WantAuthnRequestsSigned",
                    description.want_authn_requests_signed.to_string(),
                )
                .children(key_descriptors)
                .children(logout)
                .children(formats)
                .children(services),
        )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use entity::signing_key::KeyAlgorithm;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::{PKey, Private};
    use openssl::rsa::Rsa;
    use openssl::x509::{X509Name, X509};
    use samael::crypto::{CertificateDer, Crypto, CryptoProvider};

    pub(crate) fn signer(algorithm: KeyAlgorithm) -> Signer {
        let key: PKey<Private> = match algorithm {
            KeyAlgorithm::EcdsaP256 => PKey::from_ec_key(
                EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
            )
            .unwrap(),
            _ => PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap(),
        };
        let mut name = X509Name::builder().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, "test").unwrap();
        let name = name.build();
        let mut builder = X509::builder().unwrap();
        builder.set_version(2).unwrap();
        builder.set_subject_name(&name).unwrap();
        builder.set_issuer_name(&name).unwrap();
        builder.set_pubkey(&key).unwrap();
        let now = openssl::asn1::Asn1Time::days_from_now(0).unwrap();
        let later = openssl::asn1::Asn1Time::days_from_now(10).unwrap();
        builder.set_not_before(&now).unwrap();
        builder.set_not_after(&later).unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        Signer::new(
            "k1".into(),
            algorithm,
            builder.build().to_der().unwrap(),
            key.private_key_to_pkcs8().unwrap(),
        )
        .unwrap()
    }

    fn describe<'a>(certificates: &'a [Vec<u8>], name_id_format: &'a str) -> Description<'a> {
        Description {
            document_id: "_0123456789abcdef",
            entity_id: "https://id.example.com/saml/apps/a1?x=1&y=\"2\"",
            sso_url: "https://id.example.com/saml/apps/a1/sso",
            slo_url: Some("https://id.example.com/saml/apps/a1/slo"),
            want_authn_requests_signed: true,
            name_id_format,
            certificates,
        }
    }

    #[test]
    fn signed_metadata_verifies_with_the_active_certificate_only() {
        for algorithm in [KeyAlgorithm::Rsa2048, KeyAlgorithm::EcdsaP256] {
            let active = signer(algorithm);
            let other = signer(KeyAlgorithm::Rsa2048);
            let certificates = vec![
                active.certificate_der.clone(),
                other.certificate_der.clone(),
            ];
            let signed = sign(render(&describe(&certificates, "urn:x:<odd>")), &active).unwrap();
            assert!(signed.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
            assert!(!signed.contains("<ds:SignatureValue></ds:SignatureValue>"));
            let certificate = CertificateDer::from(active.certificate_der.clone());
            Crypto::verify_signed_xml(&signed, &certificate, Some("ID"))
                .unwrap_or_else(|err| panic!("{algorithm:?}: {err}\n{signed}"));
            let wrong = CertificateDer::from(other.certificate_der.clone());
            assert!(Crypto::verify_signed_xml(&signed, &wrong, Some("ID")).is_err());
            let tampered = signed.replace("/sso\"", "/evil\"");
            assert_ne!(tampered, signed);
            assert!(Crypto::verify_signed_xml(&tampered, &certificate, Some("ID")).is_err());
            let method = match algorithm {
                KeyAlgorithm::EcdsaP256 => dsig::ECDSA_SHA256,
                _ => dsig::RSA_SHA256,
            };
            assert!(signed.contains(method));
        }
    }

    #[test]
    fn the_document_is_well_formed_and_escaped() {
        let active = signer(KeyAlgorithm::Rsa2048);
        let certificates = vec![active.certificate_der.clone()];
        let xml = render(&describe(
            &certificates,
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        ))
        .to_document();
        assert!(xml
            .contains("entityID=\"https://id.example.com/saml/apps/a1?x=1&amp;y=&quot;2&quot;\""));
        // The application's format first, without duplicates.
        let formats: Vec<_> = xml
            .match_indices("<md:NameIDFormat>")
            .map(|(i, _)| &xml[i + 17..i + 17 + xml[i + 17..].find('<').unwrap()])
            .collect();
        assert_eq!(
            formats,
            [
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            ]
        );
        assert_eq!(xml.matches("<md:KeyDescriptor use=\"signing\">").count(), 1);
        // Single logout by both bindings, before the NameID formats as the schema orders it.
        assert_eq!(xml.matches("<md:SingleLogoutService ").count(), 2);
        assert!(xml.find("<md:SingleLogoutService ") < xml.find("<md:NameIDFormat>"));
        assert!(xml.contains("WantAuthnRequestsSigned=\"true\""));
        let hostile = render(&describe(&certificates, "a\u{1}b</md:NameIDFormat>&"));
        assert!(hostile
            .to_document()
            .contains("<md:NameIDFormat>ab&lt;/md:NameIDFormat&gt;&amp;</md:NameIDFormat>"));
        // xmlsec parses what was signed and finds the signature good.
        let signed = sign(hostile, &active).unwrap();
        let certificate = CertificateDer::from(active.certificate_der.clone());
        Crypto::verify_signed_xml(&signed, &certificate, Some("ID"))
            .unwrap_or_else(|err| panic!("{err}\n{signed}"));
    }

    #[test]
    fn a_bad_private_key_is_an_error_not_a_panic() {
        let active = signer(KeyAlgorithm::Rsa2048);
        let bad = Signer::new(
            "k2".into(),
            KeyAlgorithm::Rsa2048,
            active.certificate_der.clone(),
            vec![1, 2, 3],
        );
        assert!(bad.is_err());
    }
}
