//! Encrypted assertions (SAML 2.0 core §2.3.4, XML Encryption 1.1): the signed assertion is
//! encrypted for the service provider with a fresh content key, and the key with the SP's
//! encryption certificate — RSA-OAEP (MGF1 with SHA-1, the algorithm every SAML library
//! decrypts) for the key, AES-256-GCM for the content, AES-128/256-CBC only when an
//! application asks for it (old service providers). The assertion is signed before it is
//! encrypted, so the SP verifies what it decrypted.
//!
//! The cipher value is what XML Encryption specifies: the IV, then the ciphertext (for GCM,
//! then the 16-byte tag; for CBC, padded so that the last byte says how many bytes to drop).

use anyhow::Context;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use openssl::encrypt::Encrypter;
use openssl::rsa::Padding;
use openssl::symm::Cipher;
use openssl::x509::X509;
use rand::RngCore;

use super::dsig::{Element, Ns};

const RSA_OAEP: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";

/// How an assertion's content is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentCipher {
    Aes256Gcm,
    Aes128Cbc,
    Aes256Cbc,
}

impl ContentCipher {
    /// The cipher an application's setting names (`apps::applications::ASSERTION_ENCRYPTIONS`).
    pub fn from_name(name: &str) -> Option<ContentCipher> {
        match name {
            "aes256-gcm" => Some(ContentCipher::Aes256Gcm),
            "aes128-cbc" => Some(ContentCipher::Aes128Cbc),
            "aes256-cbc" => Some(ContentCipher::Aes256Cbc),
            _ => None,
        }
    }

    pub fn uri(self) -> &'static str {
        match self {
            ContentCipher::Aes256Gcm => "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            ContentCipher::Aes128Cbc => "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            ContentCipher::Aes256Cbc => "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        }
    }

    fn key_len(self) -> usize {
        match self {
            ContentCipher::Aes128Cbc => 16,
            ContentCipher::Aes256Gcm | ContentCipher::Aes256Cbc => 32,
        }
    }
}

/// For whom, and how, an application's assertions are encrypted.
#[derive(Clone, Debug)]
pub struct Encryption {
    /// The SP's encryption certificate, DER.
    pub certificate_der: Vec<u8>,
    pub cipher: ContentCipher,
}

/// Encrypts `plaintext` under a new key: the key and the cipher value (IV ‖ ciphertext ‖ tag).
fn seal(cipher: ContentCipher, plaintext: &[u8]) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let mut key = vec![0u8; cipher.key_len()];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let value = match cipher {
        ContentCipher::Aes256Gcm => {
            let mut iv = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut iv);
            let mut tag = [0u8; 16];
            let ciphertext = openssl::symm::encrypt_aead(
                Cipher::aes_256_gcm(),
                &key,
                Some(&iv),
                &[],
                plaintext,
                &mut tag,
            )?;
            [&iv[..], &ciphertext, &tag].concat()
        }
        ContentCipher::Aes128Cbc | ContentCipher::Aes256Cbc => {
            let openssl_cipher = match cipher {
                ContentCipher::Aes128Cbc => Cipher::aes_128_cbc(),
                _ => Cipher::aes_256_cbc(),
            };
            let mut iv = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut iv);
            // PKCS#7 padding: its last byte is the pad length, as XML Encryption reads it.
            let ciphertext = openssl::symm::encrypt(openssl_cipher, &key, Some(&iv), plaintext)?;
            [&iv[..], &ciphertext].concat()
        }
    };
    Ok((key, value))
}

/// The `saml:EncryptedAssertion` holding `assertion` (the signed assertion's document text)
/// for the holder of `certificate_der`. CPU-bound (RSA): call it on the blocking pool.
pub fn encrypt_assertion(
    assertion: &str,
    certificate_der: &[u8],
    cipher: ContentCipher,
) -> anyhow::Result<Element> {
    let public_key = X509::from_der(certificate_der)
        .and_then(|certificate| certificate.public_key())
        .context("reading the SP's encryption certificate")?;
    let (key, value) = seal(cipher, assertion.as_bytes())?;
    let mut encrypter = Encrypter::new(&public_key)
        .context("the SP's encryption certificate must hold an RSA key")?;
    encrypter.set_rsa_padding(Padding::PKCS1_OAEP)?;
    let mut wrapped = vec![0u8; encrypter.encrypt_len(&key)?];
    let length = encrypter
        .encrypt(&key, &mut wrapped)
        .context("encrypting the content key with the SP's RSA key")?;
    wrapped.truncate(length);
    let encrypted_key = Element::new(Ns::Xenc, "EncryptedKey")
        .child(
            Element::new(Ns::Xenc, "EncryptionMethod")
                .attr("Algorithm", RSA_OAEP)
                .child(Element::new(Ns::Ds, "DigestMethod").attr("Algorithm", SHA1)),
        )
        .child(
            Element::new(Ns::Xenc, "CipherData")
                .child(Element::new(Ns::Xenc, "CipherValue").text(STANDARD.encode(wrapped))),
        );
    Ok(Element::new(Ns::Saml, "EncryptedAssertion").child(
        Element::new(Ns::Xenc, "EncryptedData")
            .attr("Type", ELEMENT)
            .child(Element::new(Ns::Xenc, "EncryptionMethod").attr("Algorithm", cipher.uri()))
            .child(Element::new(Ns::Ds, "KeyInfo").child(encrypted_key))
            .child(
                Element::new(Ns::Xenc, "CipherData")
                    .child(Element::new(Ns::Xenc, "CipherValue").text(STANDARD.encode(value))),
            ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::applications::{check_encryption_certificate, ASSERTION_ENCRYPTIONS};
    use openssl::encrypt::Decrypter;
    use openssl::pkey::PKey;

    const SP_KEY: &str = include_str!("../../../tests/interop/sp-key.pem");
    const SP_CERT: &str = include_str!("../../../tests/interop/sp-cert.pem");

    fn between<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
        let start = xml.find(open).unwrap() + open.len();
        let end = start + xml[start..].find(close).unwrap();
        &xml[start..end]
    }

    /// What an SP does: unwraps the key with its private key, then decrypts the content.
    fn decrypt(xml: &str, cipher: ContentCipher) -> String {
        let key = PKey::private_key_from_pem(SP_KEY.as_bytes()).unwrap();
        let mut values = xml
            .match_indices("<xenc:CipherValue>")
            .map(|(at, _)| between(&xml[at..], "<xenc:CipherValue>", "</xenc:CipherValue>"));
        let wrapped = STANDARD.decode(values.next().unwrap()).unwrap();
        let content = STANDARD.decode(values.next().unwrap()).unwrap();
        let mut decrypter = Decrypter::new(&key).unwrap();
        decrypter.set_rsa_padding(Padding::PKCS1_OAEP).unwrap();
        let mut aes_key = vec![0u8; decrypter.decrypt_len(&wrapped).unwrap()];
        let length = decrypter.decrypt(&wrapped, &mut aes_key).unwrap();
        aes_key.truncate(length);
        let plain = match cipher {
            ContentCipher::Aes256Gcm => {
                let (iv, rest) = content.split_at(12);
                let (data, tag) = rest.split_at(rest.len() - 16);
                openssl::symm::decrypt_aead(
                    Cipher::aes_256_gcm(),
                    &aes_key,
                    Some(iv),
                    &[],
                    data,
                    tag,
                )
                .unwrap()
            }
            ContentCipher::Aes128Cbc | ContentCipher::Aes256Cbc => {
                let openssl_cipher = if cipher == ContentCipher::Aes128Cbc {
                    Cipher::aes_128_cbc()
                } else {
                    Cipher::aes_256_cbc()
                };
                let (iv, data) = content.split_at(16);
                openssl::symm::decrypt(openssl_cipher, &aes_key, Some(iv), data).unwrap()
            }
        };
        String::from_utf8(plain).unwrap()
    }

    #[test]
    fn the_sp_decrypts_what_was_encrypted_for_it_and_no_one_else_can() {
        let der = X509::from_pem(SP_CERT.as_bytes())
            .unwrap()
            .to_der()
            .unwrap();
        // What the application settings accept is what can be encrypted for.
        assert!(check_encryption_certificate("f", SP_CERT).is_ok());
        let assertion = "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a\">é &lt;</saml:Assertion>";
        for name in ASSERTION_ENCRYPTIONS {
            let cipher = ContentCipher::from_name(name).unwrap();
            let xml = encrypt_assertion(assertion, &der, cipher)
                .unwrap()
                .to_document();
            assert!(xml.starts_with("<saml:EncryptedAssertion"), "{xml}");
            assert!(xml.contains(cipher.uri()));
            assert!(!xml.contains("_a"), "the assertion is not in the clear");
            assert_eq!(decrypt(&xml, cipher), assertion, "{name}");
            // A new key and IV every time.
            let again = encrypt_assertion(assertion, &der, cipher)
                .unwrap()
                .to_document();
            assert_ne!(xml, again);
        }
        assert_eq!(ContentCipher::from_name("des-cbc"), None);
        assert!(check_encryption_certificate("f", "not a certificate").is_err());
    }
}
