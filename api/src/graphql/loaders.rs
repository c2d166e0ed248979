//! DataLoaders: nested fields of a page of objects load in one query per field, whatever the
//! page size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{group, group_member, org_unit, org_unit_member};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::state::AppState;

/// The request's loaders, caching what they loaded for the rest of the request.
pub type Loaders = DataLoader<DirectoryLoader, HashMapCache>;

pub struct DirectoryLoader {
    state: AppState,
}

impl DirectoryLoader {
    pub fn for_request(state: AppState) -> Loaders {
        DataLoader::with_cache(
            DirectoryLoader { state },
            tokio::spawn,
            HashMapCache::default(),
        )
    }
}

/// The groups a user is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupsOfUser(pub String);

/// The org units a user is a direct member of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrgUnitsOfUser(pub String);

/// An org unit by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrgUnitById(pub String);

impl Loader<GroupsOfUser> for DirectoryLoader {
    type Value = Vec<group::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[GroupsOfUser],
    ) -> Result<HashMap<GroupsOfUser, Self::Value>, Self::Error> {
        let user_ids: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = group_member::Entity::find()
            .filter(group_member::Column::UserId.is_in(user_ids))
            .find_also_related(group::Entity)
            .order_by_asc(group::Column::Name)
            .all(&self.state.store.conn)
            .await
            .map_err(crate::error::AppError::from)?;
        let mut by_user: HashMap<GroupsOfUser, Vec<group::Model>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for (membership, group) in rows {
            if let (Some(group), Some(list)) =
                (group, by_user.get_mut(&GroupsOfUser(membership.user_id)))
            {
                list.push(group);
            }
        }
        Ok(by_user)
    }
}

impl Loader<OrgUnitsOfUser> for DirectoryLoader {
    type Value = Vec<org_unit::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[OrgUnitsOfUser],
    ) -> Result<HashMap<OrgUnitsOfUser, Self::Value>, Self::Error> {
        let user_ids: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = org_unit_member::Entity::find()
            .filter(org_unit_member::Column::UserId.is_in(user_ids))
            .find_also_related(org_unit::Entity)
            .order_by_asc(org_unit::Column::Name)
            .all(&self.state.store.conn)
            .await
            .map_err(crate::error::AppError::from)?;
        let mut by_user: HashMap<OrgUnitsOfUser, Vec<org_unit::Model>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for (membership, unit) in rows {
            if let (Some(unit), Some(list)) =
                (unit, by_user.get_mut(&OrgUnitsOfUser(membership.user_id)))
            {
                list.push(unit);
            }
        }
        Ok(by_user)
    }
}

impl Loader<OrgUnitById> for DirectoryLoader {
    type Value = org_unit::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[OrgUnitById],
    ) -> Result<HashMap<OrgUnitById, Self::Value>, Self::Error> {
        let ids: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = org_unit::Entity::find()
            .filter(org_unit::Column::Id.is_in(ids))
            .all(&self.state.store.conn)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(rows
            .into_iter()
            .map(|u| (OrgUnitById(u.id.clone()), u))
            .collect())
    }
}
