//! Application accounts (the seed's "Application User" page): the account name a user has in
//! an application, unique both ways within it, checked against what the target accepts.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{application_account, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::applications::{application_audit, Resolved};
use super::templates::check_account_name;
use super::Applications;
use crate::audit;
use crate::authz::admin::{actions, ApplicationPermit};
use crate::directory::users::RowError;
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};
use crate::ids::new_id;
use crate::query::{prefix_match, unique_violation, Count};

pub const MAX_UPSERT_ROWS: usize = 1000;

pub async fn account_of<C: ConnectionTrait>(
    db: &C,
    application_id: &str,
    user_id: &str,
) -> AppResult<Option<application_account::Model>> {
    Ok(application_account::Entity::find()
        .filter(application_account::Column::ApplicationId.eq(application_id))
        .filter(application_account::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// A page of accounts ordered by account name; `search` is a name prefix.
pub async fn list(
    apps: &Applications,
    permit: &ApplicationPermit<actions::ReadApplication>,
    search: Option<&str>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<application_account::Model>, Count)> {
    let mut query = application_account::Entity::find()
        .filter(application_account::Column::ApplicationId.eq(permit.application_id()));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(prefix_match(
            application_account::Column::AccountName,
            search,
        ));
    }
    let total = Count::of(query.clone(), &apps.store.conn);
    if let Some(after) = after {
        query = query.filter(application_account::Column::AccountName.gt(after));
    }
    let rows = query
        .order_by_asc(application_account::Column::AccountName)
        .limit(limit)
        .all(&apps.store.conn)
        .await?;
    Ok((rows, total))
}

/// One wanted mapping: this user has this account name.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub user_id: String,
    pub account_name: String,
}

/// Sets the account names of users, all or none. Idempotent: running the same upsert twice
/// changes nothing the second time. Conflicts — a name taken by another user of the
/// application, or repeated in the batch — are reported per row.
pub async fn upsert(
    apps: &Applications,
    permit: &ApplicationPermit<actions::ManageApplicationAccounts>,
    app: &Resolved,
    rows: Vec<Mapping>,
) -> AppResult<Result<Vec<application_account::Model>, Vec<RowError>>> {
    if rows.is_empty() || rows.len() > MAX_UPSERT_ROWS {
        return Err(AppError::bad_input(
            "accounts",
            format!(
                "give 1 to {MAX_UPSERT_ROWS} accounts per call, not {}",
                rows.len()
            ),
        ));
    }
    let rule = app.derived.account_name_rule;
    let mut errors = Vec::new();
    let mut wanted: Vec<(usize, String, String)> = Vec::new();
    let mut seen_users = HashMap::new();
    let mut seen_names = HashMap::new();
    for (row, mapping) in rows.iter().enumerate() {
        match check_account_name(rule, "accountName", &mapping.account_name) {
            Ok(name) => {
                if let Some(first) = seen_users.insert(mapping.user_id.clone(), row) {
                    errors.push(error(
                        row,
                        "userId",
                        "CONFLICT",
                        format!("the user repeats row {first}"),
                    ));
                }
                if let Some(first) = seen_names.insert(name.clone(), row) {
                    errors.push(error(
                        row,
                        "accountName",
                        "CONFLICT",
                        format!("the account name repeats row {first}"),
                    ));
                }
                wanted.push((row, mapping.user_id.clone(), name));
            }
            Err(err) => errors.push(RowError {
                row,
                field: err.field().map(str::to_owned),
                code: err.code(),
                message: err.to_string(),
            }),
        }
    }
    let txn = apps.store.begin_write().await?;
    let user_ids: Vec<String> = wanted.iter().map(|(_, u, _)| u.clone()).collect();
    let mut known_users = HashSet::new();
    for chunk in user_ids.chunks(500) {
        known_users.extend(
            user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .filter(user::Column::InstanceId.eq(permit.instance_id()))
                .filter(user::Column::Id.is_in(chunk.to_vec()))
                .into_tuple::<String>()
                .all(&txn)
                .await?,
        );
    }
    let existing = application_account::Entity::find()
        .filter(application_account::Column::ApplicationId.eq(permit.application_id()))
        .all(&txn)
        .await?;
    let owner_of: HashMap<&str, &str> = existing
        .iter()
        .map(|a| (a.account_name.as_str(), a.user_id.as_str()))
        .collect();
    let batch_users: HashSet<&str> = wanted.iter().map(|(_, u, _)| u.as_str()).collect();
    for (row, user_id, name) in &wanted {
        if !known_users.contains(user_id) {
            errors.push(error(
                *row,
                "userId",
                "BAD_USER_INPUT",
                format!("no user {user_id:?} in this instance"),
            ));
            continue;
        }
        // Taken by a user this batch does not also remap.
        if let Some(owner) = owner_of.get(name.as_str()) {
            let moving_away = batch_users.contains(owner)
                && wanted.iter().any(|(_, u, n)| u == owner && n != name);
            if *owner != user_id && !moving_away {
                errors.push(error(
                    *row,
                    "accountName",
                    "CONFLICT",
                    format!(
                        "the account name {name:?} belongs to another user of this application"
                    ),
                ));
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    let now = Utc::now();
    let by_user: HashMap<&str, &application_account::Model> =
        existing.iter().map(|a| (a.user_id.as_str(), a)).collect();
    // Names are unique: first move every changed row out of the way, then write.
    let changed: Vec<&(usize, String, String)> = wanted
        .iter()
        .filter(|(_, user_id, name)| {
            by_user
                .get(user_id.as_str())
                .is_none_or(|a| &a.account_name != name)
        })
        .collect();
    for (_, user_id, _) in &changed {
        if let Some(account) = by_user.get(user_id.as_str()) {
            application_account::Entity::delete_by_id(account.id.clone())
                .exec(&txn)
                .await?;
        }
    }
    let mut result = Vec::new();
    for (_, user_id, name) in &wanted {
        match by_user.get(user_id.as_str()) {
            Some(account) if &account.account_name == name => result.push((*account).clone()),
            previous => {
                let model = application_account::ActiveModel {
                    id: Set(new_id()),
                    instance_id: Set(permit.instance_id().to_owned()),
                    application_id: Set(permit.application_id().to_owned()),
                    user_id: Set(user_id.clone()),
                    account_name: Set(name.clone()),
                    created_at: Set(previous.map(|p| p.created_at).unwrap_or(now)),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(unique_violation("accountName", "the account name"))?;
                result.push(model);
            }
        }
    }
    if !changed.is_empty() {
        events::emit(
            &txn,
            permit.instance_id(),
            changed
                .iter()
                .map(|(_, user_id, name)| {
                    Event::application_account(permit.application_id(), user_id, Some(name))
                })
                .collect(),
        )
        .await?;
        let summary: Vec<serde_json::Value> = changed
            .iter()
            .map(|(_, user_id, name)| serde_json::json!({ "userId": user_id, "accountName": name, "previous": by_user.get(user_id.as_str()).map(|a| a.account_name.clone()) }))
            .collect();
        audit::record(
            &txn,
            permit.actor(),
            application_audit(permit, "application_account")
                .summary(serde_json::json!({ "application": app.model.name, "set": summary })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Ok(result))
}

fn error(row: usize, field: &str, code: &'static str, message: String) -> RowError {
    RowError {
        row,
        field: Some(field.to_owned()),
        code,
        message,
    }
}

/// Removes a user's account in the application; removing a missing one changes nothing.
pub async fn remove(
    apps: &Applications,
    permit: &ApplicationPermit<actions::ManageApplicationAccounts>,
    user_id: &str,
) -> AppResult<bool> {
    let txn = apps.store.begin_write().await?;
    let Some(account) = account_of(&txn, permit.application_id(), user_id).await? else {
        return Ok(false);
    };
    application_account::Entity::delete_by_id(account.id.clone())
        .exec(&txn)
        .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::application_account(
            permit.application_id(),
            user_id,
            None,
        )],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        application_audit(permit, "application_account").summary(serde_json::json!({ "removed": { "userId": user_id, "accountName": account.account_name } })),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// An account by user, for a single-row `set` that reports errors like other mutations.
pub async fn set_one(
    apps: &Applications,
    permit: &ApplicationPermit<actions::ManageApplicationAccounts>,
    app: &Resolved,
    user_id: &str,
    account_name: &str,
) -> AppResult<application_account::Model> {
    let rows = vec![Mapping {
        user_id: user_id.to_owned(),
        account_name: account_name.to_owned(),
    }];
    match upsert(apps, permit, app, rows).await? {
        Ok(mut models) => models
            .pop()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("upsert returned nothing"))),
        Err(errors) => {
            let first = errors
                .into_iter()
                .next()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no error given")))?;
            let field = first.field.unwrap_or_default();
            Err(match first.code {
                "CONFLICT" => AppError::conflict(field, first.message),
                _ => AppError::bad_input(field, first.message),
            })
        }
    }
}
