//! DataLoaders: nested fields of a page of objects load in one query per field and instance,
//! whatever the page size. Keys name their instance, so every read stays inside it.

use std::collections::{BTreeMap, HashMap};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{group, org_unit};

use crate::directory::{batch, Directory};

/// The request's loaders, caching what they loaded for the rest of the request.
pub type Loaders = DataLoader<DirectoryLoader, HashMapCache>;

pub struct DirectoryLoader {
    directory: Directory,
}

impl DirectoryLoader {
    pub fn for_request(directory: Directory) -> Loaders {
        DataLoader::with_cache(
            DirectoryLoader { directory },
            tokio::spawn,
            HashMapCache::default(),
        )
    }
}

/// The groups a user (instance id, user id) is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupsOfUser(pub String, pub String);

/// The org units a user (instance id, user id) is a direct member of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrgUnitsOfUser(pub String, pub String);

/// An org unit by (instance id, id).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrgUnitById(pub String, pub String);

/// The ids of `keys`, by instance.
fn by_instance<'a>(
    keys: impl Iterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<&'a str, Vec<String>> {
    let mut grouped: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (instance, id) in keys {
        grouped.entry(instance).or_default().push(id.clone());
    }
    grouped
}

impl Loader<GroupsOfUser> for DirectoryLoader {
    type Value = Vec<group::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[GroupsOfUser],
    ) -> Result<HashMap<GroupsOfUser, Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (instance, users) in by_instance(keys.iter().map(|k| (&k.0, &k.1))) {
            let mut groups = batch::groups_of(&self.directory, instance, &users).await?;
            for user in users {
                let list = groups.remove(&user).unwrap_or_default();
                found.insert(GroupsOfUser(instance.to_owned(), user), list);
            }
        }
        Ok(found)
    }
}

impl Loader<OrgUnitsOfUser> for DirectoryLoader {
    type Value = Vec<org_unit::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[OrgUnitsOfUser],
    ) -> Result<HashMap<OrgUnitsOfUser, Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (instance, users) in by_instance(keys.iter().map(|k| (&k.0, &k.1))) {
            let mut units = batch::org_units_of(&self.directory, instance, &users).await?;
            for user in users {
                let list = units.remove(&user).unwrap_or_default();
                found.insert(OrgUnitsOfUser(instance.to_owned(), user), list);
            }
        }
        Ok(found)
    }
}

impl Loader<OrgUnitById> for DirectoryLoader {
    type Value = org_unit::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[OrgUnitById],
    ) -> Result<HashMap<OrgUnitById, Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (instance, ids) in by_instance(keys.iter().map(|k| (&k.0, &k.1))) {
            for unit in batch::org_units(&self.directory, instance, &ids).await? {
                found.insert(OrgUnitById(instance.to_owned(), unit.id.clone()), unit);
            }
        }
        Ok(found)
    }
}
