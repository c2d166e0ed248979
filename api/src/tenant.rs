//! The instance every lookup is scoped to, as the domains below the directory see it: whether
//! it exists. The directory owns instances; keys, events, mail and access only ask this.

use entity::instance;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::error::{AppError, AppResult};

/// The instance `id`, or NOT_FOUND.
pub async fn get_in<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<instance::Model> {
    instance::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("instance"))
}
