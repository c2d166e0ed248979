//! NameIDs that are not account names: persistent identifiers (SAML 2.0 core §8.3.7) — one
//! per user and application, opaque (32 random bytes, base64url), made on the first response
//! that needs one, kept across renames, never the same in two applications — and transient
//! ones, new for each response.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use entity::persistent_name_id;
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};

use crate::db::Store;
use crate::error::AppResult;

fn opaque() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new transient identifier.
pub fn transient() -> String {
    format!("_{}", opaque())
}

/// The user's persistent identifier at the application, if one was made.
pub async fn find(store: &Store, application_id: &str, user_id: &str) -> AppResult<Option<String>> {
    Ok(
        persistent_name_id::Entity::find_by_id((application_id.to_owned(), user_id.to_owned()))
            .one(&store.conn)
            .await?
            .map(|row| row.name_id),
    )
}

/// The user's persistent identifier at the application; made now when there is none and
/// `create` allows it. Two nodes making one at once keep the first: the second insert does
/// nothing and both read the same row.
pub async fn persistent(
    store: &Store,
    application_id: &str,
    user_id: &str,
    create: bool,
) -> AppResult<Option<String>> {
    if let Some(found) = find(store, application_id, user_id).await? {
        return Ok(Some(found));
    }
    if !create {
        return Ok(None);
    }
    let txn = store.begin_write().await?;
    persistent_name_id::Entity::insert(persistent_name_id::ActiveModel {
        application_id: Set(application_id.to_owned()),
        user_id: Set(user_id.to_owned()),
        name_id: Set(opaque()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            persistent_name_id::Column::ApplicationId,
            persistent_name_id::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .do_nothing()
    .exec(&txn)
    .await?;
    txn.commit().await?;
    find(store, application_id, user_id).await
}
