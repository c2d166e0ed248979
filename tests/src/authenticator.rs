//! A software authenticator for the passkey tests, written from the WebAuthn Level 2
//! specification on OpenSSL's P-256 (not with Lanyard's library): it makes the JSON a browser
//! sends for `navigator.credentials.create` ("none" attestation) and `.get`, and lets a test
//! change what a real authenticator would not — the relying party, the origin, the challenge,
//! the counter, the user-verified flag, the CBOR itself.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openssl::bn::BigNumContext;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use serde_json::{json, Value};

/// The flags of authenticator data (WebAuthn §6.1).
pub const USER_PRESENT: u8 = 0x01;
pub const USER_VERIFIED: u8 = 0x04;
pub const ATTESTED_CREDENTIAL: u8 = 0x40;

/// A minimal CBOR encoder (RFC 8949): what an attestation object and a COSE key need.
#[derive(Clone, Debug)]
pub enum Cbor {
    Int(i64),
    Bytes(Vec<u8>),
    Text(String),
    Map(Vec<(Cbor, Cbor)>),
}

impl Cbor {
    fn head(out: &mut Vec<u8>, major: u8, value: u64) {
        let major = major << 5;
        match value {
            0..=23 => out.push(major | value as u8),
            24..=0xff => out.extend([major | 24, value as u8]),
            0x100..=0xffff => {
                out.push(major | 25);
                out.extend((value as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(major | 26);
                out.extend((value as u32).to_be_bytes());
            }
            _ => {
                out.push(major | 27);
                out.extend(value.to_be_bytes());
            }
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Cbor::Int(n) if *n >= 0 => Cbor::head(out, 0, *n as u64),
            Cbor::Int(n) => Cbor::head(out, 1, (-1 - *n) as u64),
            Cbor::Bytes(bytes) => {
                Cbor::head(out, 2, bytes.len() as u64);
                out.extend(bytes);
            }
            Cbor::Text(text) => {
                Cbor::head(out, 3, text.len() as u64);
                out.extend(text.as_bytes());
            }
            Cbor::Map(entries) => {
                Cbor::head(out, 5, entries.len() as u64);
                for (key, value) in entries {
                    key.write(out);
                    value.write(out);
                }
            }
        }
    }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .expect("base64url")
}

/// What one ceremony's answer is made for; each field as a browser would fill it, unless a
/// test changes it.
#[derive(Clone, Debug)]
pub struct Made {
    pub challenge: String,
    pub origin: String,
    pub rp_id: String,
    pub flags: u8,
}

impl Made {
    /// The answer to the options the server gave (`{publicKey: …}`), from `origin`.
    pub fn for_options(options: &Value, origin: &str) -> Made {
        let public_key = &options["publicKey"];
        let rp_id = public_key["rp"]["id"]
            .as_str()
            .or(public_key["rpId"].as_str())
            .expect("a relying party ID")
            .to_owned();
        Made {
            challenge: public_key["challenge"]
                .as_str()
                .expect("a challenge")
                .to_owned(),
            origin: origin.to_owned(),
            rp_id,
            flags: USER_PRESENT | USER_VERIFIED,
        }
    }
}

/// One credential of a software authenticator.
pub struct Authenticator {
    key: EcKey<Private>,
    pub credential_id: Vec<u8>,
    pub counter: u32,
    /// The user handle it keeps (a discoverable credential), from the registration options.
    pub user_handle: Option<Vec<u8>>,
}

impl Default for Authenticator {
    fn default() -> Self {
        Authenticator::new()
    }
}

impl Authenticator {
    pub fn new() -> Authenticator {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        let mut credential_id = vec![0u8; 32];
        openssl::rand::rand_bytes(&mut credential_id).unwrap();
        Authenticator {
            key: EcKey::generate(&group).unwrap(),
            credential_id,
            counter: 0,
            user_handle: None,
        }
    }

    /// The public key as a COSE key (EC2, ES256, P-256).
    fn cose_key(&self) -> Vec<u8> {
        let group = self.key.group();
        let mut ctx = BigNumContext::new().unwrap();
        let mut x = openssl::bn::BigNum::new().unwrap();
        let mut y = openssl::bn::BigNum::new().unwrap();
        self.key
            .public_key()
            .affine_coordinates(group, &mut x, &mut y, &mut ctx)
            .unwrap();
        Cbor::Map(vec![
            (Cbor::Int(1), Cbor::Int(2)),
            (Cbor::Int(3), Cbor::Int(-7)),
            (Cbor::Int(-1), Cbor::Int(1)),
            (Cbor::Int(-2), Cbor::Bytes(x.to_vec_padded(32).unwrap())),
            (Cbor::Int(-3), Cbor::Bytes(y.to_vec_padded(32).unwrap())),
        ])
        .encode()
    }

    fn client_data(kind: &str, made: &Made) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": made.challenge,
            "origin": made.origin,
            "crossOrigin": false,
        }))
        .unwrap()
    }

    fn authenticator_data(&self, made: &Made, counter: u32, attested: bool) -> Vec<u8> {
        let mut data = openssl::sha::sha256(made.rp_id.as_bytes()).to_vec();
        data.push(made.flags | if attested { ATTESTED_CREDENTIAL } else { 0 });
        data.extend(counter.to_be_bytes());
        if attested {
            data.extend([0u8; 16]);
            data.extend((self.credential_id.len() as u16).to_be_bytes());
            data.extend(&self.credential_id);
            data.extend(self.cose_key());
        }
        data
    }

    /// The attestation object ("none") of a registration, as CBOR.
    pub fn attestation_object(&self, made: &Made) -> Vec<u8> {
        Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Vec::new())),
            (
                Cbor::Text("authData".into()),
                Cbor::Bytes(self.authenticator_data(made, self.counter, true)),
            ),
        ])
        .encode()
    }

    /// The JSON of `navigator.credentials.create` for `made`, remembering the user handle of
    /// `options` (a discoverable credential).
    pub fn register(&mut self, options: &Value, made: &Made) -> Value {
        self.user_handle = options["publicKey"]["user"]["id"].as_str().map(unb64);
        self.registration_with(made, &self.attestation_object(made))
    }

    /// A registration's JSON carrying `attestation_object` as given.
    pub fn registration_with(&self, made: &Made, attestation_object: &[u8]) -> Value {
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(attestation_object),
                "clientDataJSON": b64(&Authenticator::client_data("webauthn.create", made)),
                "transports": ["internal"],
            },
            "extensions": {},
        })
    }

    /// The JSON of `navigator.credentials.get` for `made`, with the next counter value.
    pub fn assert(&mut self, made: &Made) -> Value {
        self.counter += 1;
        self.assertion_at(made, self.counter)
    }

    /// An assertion signed with the counter `counter` (a copy of the key might send an old
    /// one).
    pub fn assertion_at(&self, made: &Made, counter: u32) -> Value {
        let data = self.authenticator_data(made, counter, false);
        let client_data = Authenticator::client_data("webauthn.get", made);
        let pkey = PKey::from_ec_key(self.key.clone()).unwrap();
        let mut signer = Signer::new(MessageDigest::sha256(), &pkey).unwrap();
        signer.update(&data).unwrap();
        signer.update(&openssl::sha::sha256(&client_data)).unwrap();
        let signature = signer.sign_to_vec().unwrap();
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(&signature),
                "userHandle": self.user_handle.as_deref().map(b64),
            },
            "extensions": {},
        })
    }
}
