//! The IdP metadata of one application: its entity ID, SSO endpoints, NameID formats and every
//! published signing certificate, signed (enveloped, exclusive c14n) with the instance's active
//! key. Service providers download it without authenticating.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use entity::application;
use entity::signing_key::KeyAlgorithm;
use samael::crypto::{Crypto, CryptoProvider};

use super::endpoints;
use super::xml::escape;
use crate::error::{AppError, AppResult};
use crate::keys::{self, Signer};
use crate::state::AppState;

const NS_METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

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
    want_authn_requests_signed: bool,
    name_id_format: &'a str,
    /// DER of every published certificate.
    certificates: &'a [Vec<u8>],
}

/// The signed IdP metadata XML of `application`.
pub async fn for_application(
    state: &AppState,
    application: &application::Model,
) -> AppResult<String> {
    let signer = keys::active_signer(state, &application.instance_id).await?;
    let published = keys::published(
        &state.store.conn,
        &application.instance_id,
        state.config.key_retirement_grace(),
    )
    .await?;
    let certificates = published
        .iter()
        .map(|key| keys::certificate_der(&key.certificate_pem))
        .collect::<AppResult<Vec<_>>>()?;
    let document_id = format!("_{}", uuid::Uuid::new_v4().simple());
    let entity_id = endpoints::entity_id(&state.config.public_url, &application.id);
    let sso_url = endpoints::sso_url(&state.config.public_url, &application.id);
    let template = render(
        &Description {
            document_id: &document_id,
            entity_id: &entity_id,
            sso_url: &sso_url,
            want_authn_requests_signed: application.authn_requests_signed,
            name_id_format: &application.name_id_format,
            certificates: &certificates,
        },
        &signer,
    );
    tokio::task::spawn_blocking(move || sign(&template, &signer))
        .await
        .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing metadata")))?
}

/// Fills in the signature template with xmlsec.
fn sign(template: &str, signer: &Signer) -> AppResult<String> {
    Crypto::sign_xml(template, &signer.private_key_der)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("signing the IdP metadata: {err}")))
}

/// The metadata with an empty enveloped-signature template as the first child of the root.
fn render(description: &Description<'_>, signer: &Signer) -> String {
    let signature_method = match signer.algorithm {
        KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 => RSA_SHA256,
        KeyAlgorithm::EcdsaP256 => ECDSA_SHA256,
    };
    let mut xml = String::with_capacity(8192);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<md:EntityDescriptor xmlns:md=\"{NS_METADATA}\" xmlns:ds=\"{NS_DSIG}\" ID=\"{}\" \
         entityID=\"{}\" cacheDuration=\"{CACHE_DURATION}\">\n",
        escape(description.document_id),
        escape(description.entity_id),
    ));
    xml.push_str(&format!(
        concat!(
            "<ds:Signature>\n",
            "<ds:SignedInfo>\n",
            "<ds:CanonicalizationMethod Algorithm=\"{c14n}\"/>\n",
            "<ds:SignatureMethod Algorithm=\"{method}\"/>\n",
            "<ds:Reference URI=\"#{id}\">\n",
            "<ds:Transforms>\n",
            "<ds:Transform Algorithm=\"{enveloped}\"/>\n",
            "<ds:Transform Algorithm=\"{c14n}\"/>\n",
            "</ds:Transforms>\n",
            "<ds:DigestMethod Algorithm=\"{digest}\"/>\n",
            "<ds:DigestValue></ds:DigestValue>\n",
            "</ds:Reference>\n",
            "</ds:SignedInfo>\n",
            "<ds:SignatureValue></ds:SignatureValue>\n",
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}",
            "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n",
            "</ds:Signature>\n"
        ),
        c14n = EXC_C14N,
        method = signature_method,
        id = escape(description.document_id),
        enveloped = ENVELOPED,
        digest = SHA256,
        certificate = STANDARD.encode(&signer.certificate_der),
    ));
    xml.push_str(&format!(
        "<md:IDPSSODescriptor protocolSupportEnumeration=\"{PROTOCOL}\" \
         WantAuthnRequestsSigned=\"{}\">\n",
        description.want_authn_requests_signed
    ));
    for certificate in description.certificates {
        xml.push_str(&format!(
            "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}\
             </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n",
            STANDARD.encode(certificate)
        ));
    }
    let mut formats: Vec<&str> = Vec::new();
    for format in std::iter::once(description.name_id_format.trim()).chain(NAME_ID_FORMATS) {
        if !format.is_empty() && !formats.contains(&format) {
            formats.push(format);
        }
    }
    for format in formats {
        xml.push_str(&format!(
            "<md:NameIDFormat>{}</md:NameIDFormat>\n",
            escape(format)
        ));
    }
    for binding in [BINDING_REDIRECT, BINDING_POST] {
        xml.push_str(&format!(
            "<md:SingleSignOnService Binding=\"{binding}\" Location=\"{}\"/>\n",
            escape(description.sso_url)
        ));
    }
    xml.push_str("</md:IDPSSODescriptor>\n</md:EntityDescriptor>\n");
    xml
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::{PKey, Private};
    use openssl::rsa::Rsa;
    use openssl::x509::{X509Name, X509};
    use samael::crypto::CertificateDer;

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
        Signer {
            key_id: "k1".into(),
            algorithm,
            certificate_der: builder.build().to_der().unwrap(),
            private_key_der: key.private_key_to_pkcs8().unwrap(),
        }
    }

    fn describe<'a>(certificates: &'a [Vec<u8>], name_id_format: &'a str) -> Description<'a> {
        Description {
            document_id: "_0123456789abcdef",
            entity_id: "https://id.example.com/saml/apps/a1?x=1&y=\"2\"",
            sso_url: "https://id.example.com/saml/apps/a1/sso",
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
            let template = render(&describe(&certificates, "urn:x:<odd>"), &active);
            let signed = sign(&template, &active).unwrap();
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
                KeyAlgorithm::EcdsaP256 => ECDSA_SHA256,
                _ => RSA_SHA256,
            };
            assert!(signed.contains(method));
        }
    }

    #[test]
    fn the_document_is_well_formed_and_escaped() {
        let active = signer(KeyAlgorithm::Rsa2048);
        let certificates = vec![active.certificate_der.clone()];
        let xml = render(
            &describe(
                &certificates,
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            ),
            &active,
        );
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
        assert!(xml.contains("WantAuthnRequestsSigned=\"true\""));
        // Signing parses it: a malformed document would fail here.
        sign(&xml, &active).unwrap();
        let hostile = render(
            &describe(&certificates, "a\u{1}b</md:NameIDFormat>&"),
            &active,
        );
        assert!(
            hostile.contains("<md:NameIDFormat>ab&lt;/md:NameIDFormat&gt;&amp;</md:NameIDFormat>")
        );
        sign(&hostile, &active).unwrap();
    }

    #[test]
    fn a_bad_private_key_is_an_error_not_a_panic() {
        let mut active = signer(KeyAlgorithm::Rsa2048);
        let certificates = vec![active.certificate_der.clone()];
        let xml = render(&describe(&certificates, ""), &active);
        active.private_key_der = vec![1, 2, 3];
        assert!(sign(&xml, &active).is_err());
    }
}
