//! Users (accounts) of an instance.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::user::{self, UserStatus};
use entity::{group, group_member, org_unit, org_unit_member};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{member_index, Directory};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event, EventType};
use crate::ids::new_id;
use crate::password::{self, NewPassword};
use crate::query::unique_violation;
use crate::validate::{self, Email, Username};

pub const MAX_IMPORT_ROWS: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
    pub password: Option<String>,
    pub group_ids: Vec<String>,
    pub org_unit_ids: Vec<String>,
    /// SCIM's `name.givenName` and `name.familyName`.
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// The SCIM attributes without a column of their own, a JSON object (provisioning only).
    pub scim_attributes: Option<serde_json::Value>,
}

/// Fields to change; `None` leaves a field alone, an empty string clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct UserPatch {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
}

/// One rejected row of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: Option<String>,
    pub code: &'static str,
    pub message: String,
}

/// A new user's values, checked.
struct ValidUser {
    username: Username,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    password: Option<NewPassword>,
    group_ids: Vec<String>,
    org_unit_ids: Vec<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    scim_attributes: Option<String>,
}

/// The most a user's kept SCIM attributes may take, as JSON.
pub const MAX_SCIM_ATTRIBUTES: usize = 16 * 1024;

fn check_new(input: &NewUser) -> AppResult<ValidUser> {
    let username = Username::parse("username", &input.username)?;
    let display_name = match input.display_name.as_deref().map(str::trim) {
        None | Some("") => username.as_str().to_owned(),
        Some(name) => validate::name("displayName", name, 128)?,
    };
    Ok(ValidUser {
        display_name,
        email: validate::optional(input.email.as_deref(), |v| {
            Email::parse("email", v).map(Email::into_string)
        })?,
        phone: validate::optional(input.phone.as_deref(), |v| validate::phone("phone", v))?,
        external_id: validate::optional(input.external_id.as_deref(), |v| {
            validate::name("externalId", v, 128)
        })?,
        password: input
            .password
            .as_deref()
            .map(|p| NewPassword::parse("password", p))
            .transpose()?,
        group_ids: input.group_ids.clone(),
        org_unit_ids: input.org_unit_ids.clone(),
        given_name: validate::optional(input.given_name.as_deref(), |v| {
            validate::name("name.givenName", v, 128)
        })?,
        family_name: validate::optional(input.family_name.as_deref(), |v| {
            validate::name("name.familyName", v, 128)
        })?,
        scim_attributes: input
            .scim_attributes
            .as_ref()
            .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()))
            .map(|v| {
                let text = v.to_string();
                if text.len() > MAX_SCIM_ATTRIBUTES {
                    Err(AppError::bad_input(
                        "attributes",
                        format!("the attributes take more than {MAX_SCIM_ATTRIBUTES} bytes"),
                    ))
                } else {
                    Ok(text)
                }
            })
            .transpose()?,
        username,
    })
}

/// Ids among `ids` that are not groups (or org units) of the instance.
async fn missing_ids<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    group_ids: &HashSet<&String>,
    org_unit_ids: &HashSet<&String>,
) -> AppResult<(HashSet<String>, HashSet<String>)> {
    let found_groups: HashSet<String> = if group_ids.is_empty() {
        HashSet::new()
    } else {
        group::Entity::find()
            .filter(group::Column::InstanceId.eq(instance_id))
            .filter(group::Column::Id.is_in(group_ids.iter().map(|s| s.to_string())))
            .all(db)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect()
    };
    let found_units: HashSet<String> = if org_unit_ids.is_empty() {
        HashSet::new()
    } else {
        org_unit::Entity::find()
            .filter(org_unit::Column::InstanceId.eq(instance_id))
            .filter(org_unit::Column::Id.is_in(org_unit_ids.iter().map(|s| s.to_string())))
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect()
    };
    Ok((
        group_ids
            .iter()
            .filter(|id| !found_groups.contains(id.as_str()))
            .map(|s| s.to_string())
            .collect(),
        org_unit_ids
            .iter()
            .filter(|id| !found_units.contains(id.as_str()))
            .map(|s| s.to_string())
            .collect(),
    ))
}

async fn insert_valid<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    users: Vec<(ValidUser, Option<String>)>,
) -> AppResult<Vec<user::Model>> {
    let now = Utc::now();
    let mut rows = Vec::with_capacity(users.len());
    let mut groups = Vec::new();
    let mut units = Vec::new();
    let mut members = Vec::new();
    let mut joined = HashSet::new();
    for (valid, hash) in users {
        let id = new_id();
        if !valid.group_ids.is_empty() || !valid.org_unit_ids.is_empty() {
            members.push(id.clone());
        }
        for group_id in dedup(&valid.group_ids) {
            joined.insert(group_id.clone());
            groups.push(group_member::ActiveModel {
                group_id: Set(group_id),
                user_id: Set(id.clone()),
                instance_id: Set(instance_id.to_owned()),
                created_at: Set(now),
            });
        }
        for unit_id in dedup(&valid.org_unit_ids) {
            units.push(org_unit_member::ActiveModel {
                org_unit_id: Set(unit_id),
                user_id: Set(id.clone()),
                instance_id: Set(instance_id.to_owned()),
                created_at: Set(now),
            });
        }
        rows.push(user::Model {
            id,
            instance_id: instance_id.to_owned(),
            username: valid.username.as_str().to_owned(),
            display_name: valid.display_name,
            email: valid.email,
            phone: valid.phone,
            status: UserStatus::Active,
            password_hash: hash,
            external_id: valid.external_id,
            created_at: now,
            updated_at: now,
            given_name: valid.given_name,
            family_name: valid.family_name,
            scim_attributes: valid.scim_attributes,
        });
    }
    for chunk in rows.chunks(100) {
        user::Entity::insert_many(chunk.iter().cloned().map(user::ActiveModel::from))
            .exec(db)
            .await
            .map_err(unique_violation("username", "the username or email"))?;
    }
    for chunk in groups.chunks(200) {
        group_member::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    let joined: Vec<String> = joined.into_iter().collect();
    super::groups::memberships_changed(db, instance_id, &joined, &[]).await?;
    for chunk in units.chunks(200) {
        org_unit_member::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    member_index::refresh(db, &members).await?;
    Ok(rows)
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| seen.insert(*id)).cloned().collect()
}

/// The rows' password hashes, computed on the blocking pool as many at a time as the machine
/// has cores (argon2id is deliberately slow: a thousand rows take seconds per core), in the
/// rows' order.
async fn hash_all(users: &[ValidUser]) -> AppResult<Vec<Option<String>>> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    let parallel = std::thread::available_parallelism().map_or(1, usize::from);
    let passwords: Vec<Option<NewPassword>> = users.iter().map(|u| u.password.clone()).collect();
    stream::iter(passwords)
        .map(|secret| async move {
            match secret {
                Some(p) => password::hash(&p).await.map(Some),
                None => Ok(None),
            }
        })
        .buffered(parallel)
        .try_collect()
        .await
}

async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    username: &str,
    email: Option<&str>,
    except: Option<&str>,
) -> AppResult<()> {
    let mut taken = user::Entity::find()
        .filter(user::Column::InstanceId.eq(instance_id))
        .filter(user::Column::Username.eq(username));
    if let Some(id) = except {
        taken = taken.filter(user::Column::Id.ne(id));
    }
    if taken.one(db).await?.is_some() {
        return Err(AppError::conflict(
            "username",
            format!("the username {username:?} is already taken"),
        ));
    }
    if let Some(email) = email {
        let mut taken = user::Entity::find()
            .filter(user::Column::InstanceId.eq(instance_id))
            .filter(user::Column::Email.eq(email));
        if let Some(id) = except {
            taken = taken.filter(user::Column::Id.ne(id));
        }
        if taken.one(db).await?.is_some() {
            return Err(AppError::conflict(
                "email",
                format!("the email {email:?} is already taken"),
            ));
        }
    }
    Ok(())
}

pub async fn create(
    dir: &Directory,
    permit: &InstancePermit<actions::CreateUser>,
    input: NewUser,
) -> AppResult<user::Model> {
    let valid = check_new(&input)?;
    let hash = hash_all(std::slice::from_ref(&valid))
        .await?
        .pop()
        .flatten();
    let instance_id = permit.instance_id();
    let txn = dir.store.begin_write().await?;
    super::instances::get_in(&txn, instance_id).await?;
    ensure_unique(
        &txn,
        instance_id,
        valid.username.as_str(),
        valid.email.as_deref(),
        None,
    )
    .await?;
    let groups: HashSet<&String> = valid.group_ids.iter().collect();
    let units: HashSet<&String> = valid.org_unit_ids.iter().collect();
    let (bad_groups, bad_units) = missing_ids(&txn, instance_id, &groups, &units).await?;
    if let Some(id) = bad_groups.into_iter().next() {
        return Err(AppError::bad_input(
            "groupIds",
            format!("no group {id:?} in this instance"),
        ));
    }
    if let Some(id) = bad_units.into_iter().next() {
        return Err(AppError::bad_input(
            "orgUnitIds",
            format!("no org unit {id:?} in this instance"),
        ));
    }
    let user = insert_valid(&txn, instance_id, vec![(valid, hash)])
        .await?
        .remove(0);
    events::emit(
        &txn,
        instance_id,
        vec![created_event(&user, &input.group_ids, &input.org_unit_ids)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(&user.id)).summary(serde_json::json!({
            "username": user.username, "email": user.email, "displayName": user.display_name,
            "groupIds": input.group_ids, "orgUnitIds": input.org_unit_ids,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Creates up to [`MAX_IMPORT_ROWS`] users at once, all or none: when any row is wrong,
/// nothing is saved and every wrong row is reported.
pub async fn import(
    dir: &Directory,
    permit: &InstancePermit<actions::ImportUsers>,
    rows: Vec<NewUser>,
) -> AppResult<Result<Vec<user::Model>, Vec<RowError>>> {
    if rows.is_empty() || rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::bad_input(
            "users",
            format!(
                "import 1 to {MAX_IMPORT_ROWS} users per call, not {}",
                rows.len()
            ),
        ));
    }
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let mut seen_usernames = HashMap::new();
    let mut seen_emails = HashMap::new();
    for (row, input) in rows.iter().enumerate() {
        match check_new(input) {
            Ok(user) => {
                if let Some(first) = seen_usernames.insert(user.username.as_str().to_owned(), row) {
                    errors.push(row_error(
                        row,
                        "username",
                        "CONFLICT",
                        format!("the username repeats row {first}"),
                    ));
                }
                if let Some(email) = &user.email {
                    if let Some(first) = seen_emails.insert(email.clone(), row) {
                        errors.push(row_error(
                            row,
                            "email",
                            "CONFLICT",
                            format!("the email repeats row {first}"),
                        ));
                    }
                }
                valid.push((row, user));
            }
            Err(err) => errors.push(RowError {
                row,
                field: err.field().map(str::to_owned),
                code: err.code(),
                message: err.to_string(),
            }),
        }
    }
    let instance_id = permit.instance_id();
    let txn = dir.store.begin_write().await?;
    super::instances::get_in(&txn, instance_id).await?;
    let usernames: Vec<String> = seen_usernames.keys().cloned().collect();
    let emails: Vec<String> = seen_emails.keys().cloned().collect();
    let mut existing = Vec::new();
    for chunk in usernames.chunks(500) {
        existing.extend(
            user::Entity::find()
                .filter(user::Column::InstanceId.eq(instance_id))
                .filter(user::Column::Username.is_in(chunk.to_vec()))
                .all(&txn)
                .await?,
        );
    }
    for chunk in emails.chunks(500) {
        existing.extend(
            user::Entity::find()
                .filter(user::Column::InstanceId.eq(instance_id))
                .filter(user::Column::Email.is_in(chunk.to_vec()))
                .all(&txn)
                .await?,
        );
    }
    let taken_usernames: HashSet<&str> = existing.iter().map(|u| u.username.as_str()).collect();
    let taken_emails: HashSet<&str> = existing.iter().filter_map(|u| u.email.as_deref()).collect();
    let groups: HashSet<&String> = valid.iter().flat_map(|(_, u)| &u.group_ids).collect();
    let units: HashSet<&String> = valid.iter().flat_map(|(_, u)| &u.org_unit_ids).collect();
    let (bad_groups, bad_units) = missing_ids(&txn, instance_id, &groups, &units).await?;
    for (row, user) in &valid {
        if taken_usernames.contains(user.username.as_str()) {
            errors.push(row_error(
                *row,
                "username",
                "CONFLICT",
                format!("the username {:?} is already taken", user.username.as_str()),
            ));
        }
        if let Some(email) = user.email.as_deref().filter(|e| taken_emails.contains(e)) {
            errors.push(row_error(
                *row,
                "email",
                "CONFLICT",
                format!("the email {email:?} is already taken"),
            ));
        }
        if let Some(id) = user.group_ids.iter().find(|id| bad_groups.contains(*id)) {
            errors.push(row_error(
                *row,
                "groupIds",
                "BAD_USER_INPUT",
                format!("no group {id:?} in this instance"),
            ));
        }
        if let Some(id) = user.org_unit_ids.iter().find(|id| bad_units.contains(*id)) {
            errors.push(row_error(
                *row,
                "orgUnitIds",
                "BAD_USER_INPUT",
                format!("no org unit {id:?} in this instance"),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    drop(txn);
    // Hash outside the write lock: it is the slow part.
    let users: Vec<ValidUser> = valid.into_iter().map(|(_, u)| u).collect();
    let hashes = hash_all(&users).await?;
    let txn = dir.store.begin_write().await?;
    let memberships: Vec<(Vec<String>, Vec<String>)> = users
        .iter()
        .map(|u| (u.group_ids.clone(), u.org_unit_ids.clone()))
        .collect();
    let created = insert_valid(&txn, instance_id, users.into_iter().zip(hashes).collect()).await?;
    events::emit(
        &txn,
        instance_id,
        created
            .iter()
            .zip(&memberships)
            .map(|(user, (groups, units))| created_event(user, groups, units))
            .collect(),
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", None).summary(serde_json::json!({
            "imported": created.len(),
            "usernames": created.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(created))
}

/// `user.created`, with the groups and org units the user was created in.
fn created_event(user: &user::Model, group_ids: &[String], org_unit_ids: &[String]) -> Event {
    let mut event = Event::user(EventType::UserCreated, user);
    event.data["groupIds"] = serde_json::json!(dedup(group_ids));
    event.data["orgUnitIds"] = serde_json::json!(dedup(org_unit_ids));
    event
}

fn row_error(row: usize, field: &str, code: &'static str, message: String) -> RowError {
    RowError {
        row,
        field: Some(field.to_owned()),
        code,
        message,
    }
}

pub async fn find_in<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    id: &str,
) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(user::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))
}

pub async fn get(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadDirectory>,
    id: &str,
) -> AppResult<user::Model> {
    find_in(&dir.store.conn, permit.instance_id(), id).await
}

pub async fn update(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateUser>,
    id: &str,
    patch: UserPatch,
) -> AppResult<user::Model> {
    let username = patch
        .username
        .as_deref()
        .map(|u| Username::parse("username", u))
        .transpose()?;
    let display_name = patch
        .display_name
        .as_deref()
        .map(|n| validate::name("displayName", n, 128))
        .transpose()?;
    let email = patch
        .email
        .as_deref()
        .map(|e| {
            validate::optional(Some(e), |v| {
                Email::parse("email", v).map(Email::into_string)
            })
        })
        .transpose()?;
    let phone = patch
        .phone
        .as_deref()
        .map(|p| validate::optional(Some(p), |v| validate::phone("phone", v)))
        .transpose()?;
    let external_id = patch
        .external_id
        .as_deref()
        .map(|x| validate::optional(Some(x), |v| validate::name("externalId", v, 128)))
        .transpose()?;
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let new_username = username
        .as_ref()
        .map(|u| u.as_str().to_owned())
        .unwrap_or(current.username.clone());
    let new_email = email.clone().unwrap_or(current.email.clone());
    ensure_unique(
        &txn,
        permit.instance_id(),
        &new_username,
        new_email.as_deref(),
        Some(id),
    )
    .await?;
    let mut active: user::ActiveModel = current.clone().into();
    active.username = Set(new_username);
    active.email = Set(new_email);
    if let Some(name) = display_name {
        active.display_name = Set(name);
    }
    if let Some(phone) = phone {
        active.phone = Set(phone);
    }
    if let Some(external_id) = external_id {
        active.external_id = Set(external_id);
    }
    active.updated_at = Set(Utc::now());
    let user = active
        .update(&txn)
        .await
        .map_err(unique_violation("username", "the username or email"))?;
    if user.username != current.username {
        member_index::refresh(&txn, std::slice::from_ref(&user.id)).await?;
    }
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(id)).summary(diff(&current, &user)),
    )
    .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::user(EventType::UserUpdated, &user)],
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// A user's whole new state, as a provisioning client (SCIM `PUT`, or a `PATCH` applied to
/// what she was) sets it. An optional value that is `None` is cleared.
#[derive(Clone, Debug, Default)]
pub struct Replacement {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// The attributes without a column of their own, a JSON object.
    pub scim_attributes: Option<serde_json::Value>,
    /// Active or disabled; a locked account stays locked while `true` is asked.
    pub active: bool,
    /// A new password, when one is sent.
    pub password: Option<String>,
}

/// Replaces a user with what `change` makes of her as she is now, read in the same
/// transaction, so that two provisioning calls cannot interleave; audited as `updateUser`
/// (and `setUserStatus` when `active` changes, which ends her sessions when it turns false)
/// and announced as `user.updated`, all or nothing.
pub async fn replace(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateUser>,
    status_permit: &InstancePermit<actions::SetUserStatus>,
    id: &str,
    change: impl FnOnce(&user::Model) -> AppResult<Replacement>,
) -> AppResult<user::Model> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let wanted = change(&current)?;
    let valid = check_new(&NewUser {
        username: wanted.username.clone(),
        display_name: wanted.display_name.clone(),
        email: wanted.email.clone(),
        phone: wanted.phone.clone(),
        external_id: wanted.external_id.clone(),
        password: wanted.password.clone(),
        given_name: wanted.given_name.clone(),
        family_name: wanted.family_name.clone(),
        scim_attributes: wanted.scim_attributes.clone(),
        ..NewUser::default()
    })?;
    let hash = match &valid.password {
        Some(password) => Some(password::hash(password).await?),
        None => None,
    };
    ensure_unique(
        &txn,
        permit.instance_id(),
        valid.username.as_str(),
        valid.email.as_deref(),
        Some(id),
    )
    .await?;
    let status = match (wanted.active, current.status) {
        (false, _) => UserStatus::Disabled,
        (true, UserStatus::Locked) => UserStatus::Locked,
        (true, _) => UserStatus::Active,
    };
    let mut active: user::ActiveModel = current.clone().into();
    active.username = Set(valid.username.as_str().to_owned());
    active.display_name = Set(valid.display_name);
    active.email = Set(valid.email);
    active.phone = Set(valid.phone);
    active.external_id = Set(valid.external_id);
    active.given_name = Set(valid.given_name);
    active.family_name = Set(valid.family_name);
    active.scim_attributes = Set(valid.scim_attributes);
    active.status = Set(status);
    if let Some(hash) = hash.clone() {
        active.password_hash = Set(Some(hash));
    }
    active.updated_at = Set(Utc::now());
    let user = active
        .update(&txn)
        .await
        .map_err(unique_violation("username", "the username or email"))?;
    if user.username != current.username {
        member_index::refresh(&txn, std::slice::from_ref(&user.id)).await?;
    }
    let mut summary = diff(&current, &user);
    if hash.is_some() {
        summary["password"] = "changed".into();
    }
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(id)).summary(summary),
    )
    .await?;
    if status != current.status {
        if status == UserStatus::Active {
            dir.hooks.user_reactivated(&txn, &user).await?;
        }
        let sessions_ended = match status {
            UserStatus::Active => 0,
            UserStatus::Disabled | UserStatus::Locked => {
                dir.hooks.sessions_end(&txn, &user).await?
            }
        };
        audit::record(
            &txn,
            status_permit.actor(),
            AuditRecord::instance(status_permit, "user", Some(id)).summary(serde_json::json!({
                "username": user.username,
                "status": { "from": current.status.name(), "to": status.name() },
                "sessionsEnded": sessions_ended,
            })),
        )
        .await?;
    } else if hash.is_some() {
        dir.hooks.sessions_end(&txn, &user).await?;
    }
    if user != current {
        events::emit(
            &txn,
            permit.instance_id(),
            vec![Event::user(EventType::UserUpdated, &user)],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(user)
}

fn diff(before: &user::Model, after: &user::Model) -> serde_json::Value {
    let mut changes = serde_json::Map::new();
    let mut field = |name: &str, a: serde_json::Value, b: serde_json::Value| {
        if a != b {
            changes.insert(name.to_owned(), serde_json::json!({ "from": a, "to": b }));
        }
    };
    field(
        "username",
        before.username.clone().into(),
        after.username.clone().into(),
    );
    field(
        "displayName",
        before.display_name.clone().into(),
        after.display_name.clone().into(),
    );
    field(
        "email",
        before.email.clone().into(),
        after.email.clone().into(),
    );
    field(
        "phone",
        before.phone.clone().into(),
        after.phone.clone().into(),
    );
    field(
        "externalId",
        before.external_id.clone().into(),
        after.external_id.clone().into(),
    );
    field(
        "givenName",
        before.given_name.clone().into(),
        after.given_name.clone().into(),
    );
    field(
        "familyName",
        before.family_name.clone().into(),
        after.family_name.clone().into(),
    );
    if before.scim_attributes != after.scim_attributes {
        changes.insert("attributes".to_owned(), "changed".into());
    }
    serde_json::json!({ "username": after.username, "changes": changes })
}

pub async fn set_status(
    dir: &Directory,
    permit: &InstancePermit<actions::SetUserStatus>,
    id: &str,
    status: UserStatus,
) -> AppResult<user::Model> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let mut active: user::ActiveModel = current.clone().into();
    active.status = Set(status);
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    if status == UserStatus::Active {
        // Reactivating also ends a lockout after failed sign-ins.
        dir.hooks.user_reactivated(&txn, &user).await?;
    }
    if status != current.status {
        events::emit(
            &txn,
            permit.instance_id(),
            vec![Event::user(EventType::UserUpdated, &user)],
        )
        .await?;
    }
    if status == UserStatus::Locked && current.status != UserStatus::Locked {
        dir.hooks.user_locked(&txn, &user).await?;
    }
    let sessions_ended = match status {
        UserStatus::Active => 0,
        UserStatus::Disabled | UserStatus::Locked => dir.hooks.sessions_end(&txn, &user).await?,
    };
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(id)).summary(serde_json::json!({
            "username": user.username,
            "status": { "from": current.status.name(), "to": status.name() },
            "sessionsEnded": sessions_ended,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

pub async fn set_password(
    dir: &Directory,
    permit: &InstancePermit<actions::SetUserPassword>,
    id: &str,
    password: &str,
) -> AppResult<user::Model> {
    let password = NewPassword::parse("password", password)?;
    let hash = password::hash(&password).await?;
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let mut active: user::ActiveModel = current.into();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    let sessions_ended = dir.hooks.sessions_end(&txn, &user).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(id)).summary(serde_json::json!({
            "username": user.username,
            "password": "changed",
            "sessionsEnded": sessions_ended,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

pub async fn delete(
    dir: &Directory,
    permit: &InstancePermit<actions::DeleteUser>,
    id: &str,
) -> AppResult<()> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let groups: Vec<String> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::UserId.eq(id))
        .into_tuple()
        .all(&txn)
        .await?;
    user::Entity::delete_by_id(id).exec(&txn).await?;
    super::groups::memberships_changed(&txn, permit.instance_id(), &groups, &[]).await?;
    dir.hooks
        .subject_deleted(&txn, entity::access_grant::SubjectKind::User, id)
        .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::user_deleted(&current)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(id))
            .summary(serde_json::json!({ "username": current.username })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
