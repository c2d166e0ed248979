//! `GET /i/<instance id>/.well-known/jwks.json`: the public keys event JWTs are signed with —
//! the instance's pending, active and recently retired signing keys, so receivers learn a new
//! key before it signs and keep trusting the old one through a rollover.

use axum::extract::{FromRef, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use entity::signing_key::{self, KeyAlgorithm};
use openssl::bn::{BigNum, BigNumContext};
use openssl::x509::X509;

use crate::error::{AppError, AppResult};
use crate::ids::plausible_id;
use crate::keys::KeyRing;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    KeyRing: FromRef<S>,
{
    Router::new().route("/i/{instance_id}/.well-known/jwks.json", get(jwks))
}

/// One signing key as a JWK, with its certificate in `x5c`.
pub fn jwk_of(key: &signing_key::Model) -> anyhow::Result<serde_json::Value> {
    let certificate = X509::from_pem(key.certificate_pem.as_bytes())?;
    let public = certificate.public_key()?;
    let x5c = STANDARD.encode(certificate.to_der()?);
    let b64 = |bytes: Vec<u8>| URL_SAFE_NO_PAD.encode(bytes);
    Ok(match key.algorithm {
        KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 => {
            let rsa = public.rsa()?;
            serde_json::json!({
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": key.id,
                "n": b64(rsa.n().to_vec()), "e": b64(rsa.e().to_vec()), "x5c": [x5c],
            })
        }
        KeyAlgorithm::EcdsaP256 => {
            let ec = public.ec_key()?;
            let mut context = BigNumContext::new()?;
            let (mut x, mut y) = (BigNum::new()?, BigNum::new()?);
            ec.public_key()
                .affine_coordinates(ec.group(), &mut x, &mut y, &mut context)?;
            serde_json::json!({
                "kty": "EC", "use": "sig", "alg": "ES256", "crv": "P-256", "kid": key.id,
                "x": b64(x.to_vec_padded(32)?), "y": b64(y.to_vec_padded(32)?), "x5c": [x5c],
            })
        }
    })
}

async fn jwks(State(ring): State<KeyRing>, Path(instance_id): Path<String>) -> AppResult<Response> {
    if !plausible_id(&instance_id) {
        return Err(AppError::NotFound("instance"));
    }
    crate::tenant::get_in(&ring.store.conn, &instance_id).await?;
    let grace = ring.retirement_grace;
    let mut keys = crate::keys::published(&ring.store.conn, &instance_id, grace).await?;
    if keys.is_empty() {
        // An instance from before signing keys existed gets its first one.
        crate::keys::active_signer(&ring, &instance_id).await?;
        keys = crate::keys::published(&ring.store.conn, &instance_id, grace).await?;
    }
    let jwks = keys
        .iter()
        .map(jwk_of)
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(|err| AppError::Internal(err.context("publishing the JWKS")))?;
    let mut response = axum::Json(serde_json::json!({ "keys": jwks })).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}
