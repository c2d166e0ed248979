//! GraphQL of signing keys: list an instance's keys, rotate (add a pending key) and activate it.
//! Private keys are never part of the schema.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::signing_key;

use super::gate;
use super::state;
use crate::authz::admin::actions;
use crate::keys;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "SigningKeyAlgorithm",
    remote = "entity::signing_key::KeyAlgorithm"
)]
pub enum KeyAlgorithm {
    /// RSA 2048 bits; signs with RSA-SHA256. Accepted by every service provider.
    #[graphql(name = "RSA_2048")]
    Rsa2048,
    /// RSA 3072 bits; signs with RSA-SHA256.
    #[graphql(name = "RSA_3072")]
    Rsa3072,
    /// ECDSA on P-256; signs with ECDSA-SHA256. Not every service provider accepts it.
    #[graphql(name = "ECDSA_P256")]
    EcdsaP256,
}

/// Where a key is in its rollover.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "SigningKeyState", remote = "entity::signing_key::KeyState")]
pub enum KeyState {
    /// Published in the metadata; signs nothing yet.
    Pending,
    /// Signs SAML responses and metadata.
    Active,
    /// Signs nothing; published for the grace period after it was retired.
    Retired,
}

/// A key SAML messages of an instance are signed with. Its private key never leaves the server.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SigningKey {
    id: ID,
    algorithm: KeyAlgorithm,
    state: KeyState,
    /// The self-signed X.509 certificate, PEM.
    certificate_pem: String,
    /// When the certificate expires.
    not_after: DateTime<Utc>,
    created_at: DateTime<Utc>,
    activated_at: Option<DateTime<Utc>>,
    retired_at: Option<DateTime<Utc>>,
}

impl From<signing_key::Model> for SigningKey {
    fn from(m: signing_key::Model) -> Self {
        SigningKey {
            id: ID(m.id),
            algorithm: m.algorithm.into(),
            state: m.state.into(),
            certificate_pem: m.certificate_pem,
            not_after: m.not_after,
            created_at: m.created_at,
            activated_at: m.activated_at,
            retired_at: m.retired_at,
        }
    }
}

#[ComplexObject]
impl SigningKey {
    /// SHA-256 of the certificate, upper-case hex pairs separated by colons.
    async fn fingerprint_sha256(&self) -> Result<String> {
        Ok(keys::fingerprint_sha256(&self.certificate_pem)?)
    }
}

#[derive(Default)]
pub struct KeysQuery;

#[Object]
impl KeysQuery {
    /// The signing keys of an instance, newest first. Action: `readSigningKeys`.
    async fn signing_keys(&self, ctx: &Context<'_>, instance_id: ID) -> Result<Vec<SigningKey>> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ReadSigningKeys, &instance_id)?;
        Ok(keys::list(&state.ring, &permit)
            .await?
            .into_iter()
            .map(SigningKey::from)
            .collect())
    }
}

#[derive(InputObject)]
pub struct RotateSigningKeyInput {
    instance_id: ID,
    #[graphql(default_with = "KeyAlgorithm::Rsa2048")]
    algorithm: KeyAlgorithm,
}

#[derive(InputObject)]
pub struct ActivateSigningKeyInput {
    instance_id: ID,
    /// The pending key.
    id: ID,
}

#[derive(SimpleObject)]
pub struct SigningKeyPayload {
    signing_key: SigningKey,
}

#[derive(Default)]
pub struct KeysMutation;

#[Object]
impl KeysMutation {
    /// Adds a pending key, published in the metadata at once so that service providers can
    /// learn it before it signs; at most one key is pending. Action: `manageSigningKeys`.
    async fn rotate_signing_key(
        &self,
        ctx: &Context<'_>,
        input: RotateSigningKeyInput,
    ) -> Result<SigningKeyPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ManageSigningKeys, &input.instance_id)?;
        let key = keys::rotate(&state.ring, &permit, input.algorithm.into()).await?;
        Ok(SigningKeyPayload {
            signing_key: SigningKey::from(key),
        })
    }

    /// Makes the pending key the one that signs; the previously active key retires and stays
    /// in the metadata for `key_retirement_grace_hours`. Action: `manageSigningKeys`.
    async fn activate_signing_key(
        &self,
        ctx: &Context<'_>,
        input: ActivateSigningKeyInput,
    ) -> Result<SigningKeyPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ManageSigningKeys, &input.instance_id)?;
        let key = keys::activate(&state.ring, &permit, &input.id).await?;
        Ok(SigningKeyPayload {
            signing_key: SigningKey::from(key),
        })
    }
}
