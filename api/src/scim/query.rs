//! List requests (RFC 7644 §3.4.2): a parsed filter compiled to SQL with bound parameters —
//! never text built from the request — over the columns each attribute maps to, pagination by
//! `startIndex`/`count` (at most [`MAX_PAGE`] a page), `sortBy`/`sortOrder`, and the
//! `attributes`/`excludedAttributes` projection of each resource.
//!
//! Case rules follow the schemas: `userName`, `displayName`, `emails` and names compare
//! without case (`userName` through its indexed lower-case key, so `userName eq` is one index
//! probe however many users there are); `id` and `externalId` compare exactly. `emails` and
//! `phoneNumbers` match when any of their values does (RFC 7644 §3.4.2.2): the primary one has
//! a column, the others are read from the list kept as sent, with the database's JSON
//! functions. Other attributes kept as sent (`title`, the enterprise extension) cannot be
//! filtered on: such a filter is refused as `invalidFilter` rather than answered wrong.

use chrono::{DateTime, Utc};
use entity::{group, group_member, user};
use sea_orm::sea_query::{Alias, Expr, Func, LikeExpr, Query as SqlQuery, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use serde::Deserialize;
use serde_json::{Map, Value as Json};

use super::filter::{self, AttrPath, CompareOp, Filter, Value};
use super::{ScimError, ScimResult, MAX_PAGE};
use crate::error::AppError;

/// The query parameters of a list (and the projection of a read).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    pub filter: Option<String>,
    pub start_index: Option<String>,
    pub count: Option<String>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
}

/// Which resource a filter is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    User,
    Group,
}

impl ListParams {
    /// `startIndex` (1-based; below 1 reads as 1, RFC 7644 §3.4.2.4) and `count` (negative
    /// reads as 0, above [`MAX_PAGE`] as that).
    fn page(&self) -> ScimResult<(u64, u64)> {
        let number = |name: &str, raw: &Option<String>, default: i64| -> ScimResult<i64> {
            match raw.as_deref().map(str::trim) {
                None | Some("") => Ok(default),
                Some(text) => text.parse::<i64>().map_err(|_| {
                    ScimError::bad(
                        "invalidValue",
                        format!("{name} must be an integer, not {text:?}"),
                    )
                }),
            }
        };
        let start = number("startIndex", &self.start_index, 1)?.max(1) as u64;
        let count = number("count", &self.count, MAX_PAGE as i64)?.clamp(0, MAX_PAGE as i64) as u64;
        Ok((start, count))
    }

    fn descending(&self) -> ScimResult<bool> {
        match self.sort_order.as_deref().map(str::trim) {
            None | Some("") => Ok(false),
            Some(o) if o.eq_ignore_ascii_case("ascending") => Ok(false),
            Some(o) if o.eq_ignore_ascii_case("descending") => Ok(true),
            Some(other) => Err(ScimError::bad(
                "invalidValue",
                format!("sortOrder is \"ascending\" or \"descending\", not {other:?}"),
            )),
        }
    }

    fn parsed_filter(&self) -> ScimResult<Option<Filter>> {
        match self.filter.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => filter::parse_filter(text).map(Some).map_err(|err| {
                let too_complex = matches!(err.kind, filter::FilterErrorKind::TooComplex(_));
                let mut scim: ScimError = err.into();
                if too_complex {
                    scim.scim_type = Some("tooMany");
                }
                scim
            }),
        }
    }
}

fn unsupported(path: &AttrPath) -> ScimError {
    ScimError::bad(
        "invalidFilter",
        format!("filtering on {path} is not supported"),
    )
}

/// The text of a string value, for an attribute compared as text.
fn text(path: &AttrPath, value: &Value) -> ScimResult<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.as_str().to_owned()),
        _ => Err(ScimError::bad(
            "invalidFilter",
            format!("{path} is compared with a string"),
        )),
    }
}

/// The `LIKE` pattern (escaped by `\`) that matches `value` literally, for `co`, `sw`, `ew`.
fn like_pattern(op: CompareOp, value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    match op {
        CompareOp::Co => format!("%{escaped}%"),
        CompareOp::Sw => format!("{escaped}%"),
        _ => format!("%{escaped}"),
    }
}

fn like(op: CompareOp, value: &str) -> LikeExpr {
    LikeExpr::new(like_pattern(op, value)).escape('\\')
}

/// How an attribute compares: the SQL expression of its value, and whether case is ignored
/// (the expression is then already lower-case, and so is the value it meets).
struct Column {
    expr: SimpleExpr,
    fold_case: bool,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Instant,
}

fn compare(
    column: Column,
    path: &AttrPath,
    op: CompareOp,
    value: &Value,
) -> ScimResult<SimpleExpr> {
    if matches!(value, Value::Null) {
        return match op {
            CompareOp::Eq => Ok(Expr::expr(column.expr).is_null()),
            CompareOp::Ne => Ok(Expr::expr(column.expr).is_not_null()),
            _ => Err(ScimError::bad(
                "invalidFilter",
                format!("{path} {op} null compares nothing"),
            )),
        };
    }
    let expr = Expr::expr(column.expr);
    if column.kind == Kind::Instant {
        let raw = text(path, value)?;
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&raw)
            .map_err(|_| {
                ScimError::bad(
                    "invalidFilter",
                    format!("{path} is compared with a date-time, not {raw:?}"),
                )
            })?
            .with_timezone(&Utc);
        return Ok(match op {
            CompareOp::Eq => expr.eq(at),
            CompareOp::Ne => expr.ne(at),
            CompareOp::Gt => expr.gt(at),
            CompareOp::Ge => expr.gte(at),
            CompareOp::Lt => expr.lt(at),
            CompareOp::Le => expr.lte(at),
            _ => {
                return Err(ScimError::bad(
                    "invalidFilter",
                    format!("{path} takes no {op}"),
                ))
            }
        });
    }
    let mut value = text(path, value)?;
    if column.fold_case {
        value = value.to_lowercase();
    }
    Ok(match op {
        CompareOp::Eq => expr.eq(value),
        CompareOp::Ne => expr.ne(value),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => expr.like(like(op, &value)),
        CompareOp::Gt => expr.gt(value),
        CompareOp::Ge => expr.gte(value),
        CompareOp::Lt => expr.lt(value),
        CompareOp::Le => expr.lte(value),
    })
}

fn lower<C: sea_orm::sea_query::IntoColumnRef>(column: C) -> SimpleExpr {
    Func::lower(Expr::col(column)).into()
}

/// Whether a path is of the resource's core schema (no schema, or the core URN).
fn core(path: &AttrPath, urn: &str) -> bool {
    path.schema.is_none() || path.schema_is(urn)
}

fn user_column(path: &AttrPath) -> Option<Column> {
    let text = |expr: SimpleExpr, fold_case: bool| Column {
        expr,
        fold_case,
        kind: Kind::Text,
    };
    let instant = |expr: SimpleExpr| Column {
        expr,
        fold_case: false,
        kind: Kind::Instant,
    };
    if !core(path, super::USER_SCHEMA) {
        return None;
    }
    Some(if path.is("id", None) {
        text(Expr::col(user::Column::Id).into(), false)
    } else if path.is("userName", None) {
        text(Expr::col(Alias::new("username_key")).into(), true)
    } else if path.is("externalId", None) {
        text(Expr::col(user::Column::ExternalId).into(), false)
    } else if path.is("displayName", None) {
        text(lower(user::Column::DisplayName), true)
    } else if path.is("emails", None) || path.is("emails", Some("value")) {
        text(Expr::col(user::Column::Email).into(), true)
    } else if path.is("phoneNumbers", None) || path.is("phoneNumbers", Some("value")) {
        text(Expr::col(user::Column::Phone).into(), false)
    } else if path.is("name", Some("givenName")) {
        text(lower(user::Column::GivenName), true)
    } else if path.is("name", Some("familyName")) {
        text(lower(user::Column::FamilyName), true)
    } else if path.is("meta", Some("created")) {
        instant(Expr::col(user::Column::CreatedAt).into())
    } else if path.is("meta", Some("lastModified")) {
        instant(Expr::col(user::Column::UpdatedAt).into())
    } else {
        return None;
    })
}

fn group_column(path: &AttrPath) -> Option<Column> {
    if !core(path, super::GROUP_SCHEMA) {
        return None;
    }
    let text = |expr: SimpleExpr, fold_case: bool| Column {
        expr,
        fold_case,
        kind: Kind::Text,
    };
    Some(if path.is("id", None) {
        text(Expr::col(group::Column::Id).into(), false)
    } else if path.is("displayName", None) {
        text(lower(group::Column::Name), true)
    } else if path.is("externalId", None) {
        text(Expr::col(group::Column::ExternalId).into(), false)
    } else if path.is("meta", Some("created")) {
        Column {
            expr: Expr::col(group::Column::CreatedAt).into(),
            fold_case: false,
            kind: Kind::Instant,
        }
    } else if path.is("meta", Some("lastModified")) {
        Column {
            expr: Expr::col(group::Column::UpdatedAt).into(),
            fold_case: false,
            kind: Kind::Instant,
        }
    } else {
        return None;
    })
}

/// A multi-valued user attribute whose primary (else first) value is a column and whose whole
/// list is kept as sent in `scim_attributes`: its key there and the column.
fn listed_attribute(path: &AttrPath) -> Option<(&'static str, &'static str)> {
    if !core(path, super::USER_SCHEMA) {
        None
    } else if path.is("emails", None) || path.is("emails", Some("value")) {
        Some(("emails", "email"))
    } else if path.is("phoneNumbers", None) || path.is("phoneNumbers", Some("value")) {
        Some(("phoneNumbers", "phone"))
    } else {
        None
    }
}

/// Whether any value of the list kept for a [`listed_attribute`] passes `test` (an operator and
/// its operand; `None` for `pr`), where the list is what the resource shows: it holds the
/// column's value, or the column is empty (`users::listed`). The list is JSON text, read with
/// SQLite's `json_each` or PostgreSQL's `jsonb_array_elements`; the operand is bound.
fn any_listed(
    backend: DbBackend,
    (key, column): (&str, &str),
    fold_case: bool,
    test: Option<(CompareOp, String)>,
) -> SimpleExpr {
    let (elements, item, placeholder) = match backend {
        DbBackend::Postgres => (
            format!(
                r#"jsonb_array_elements(CASE WHEN jsonb_typeof(CAST("users"."scim_attributes" AS jsonb) -> '{key}') = 'array' THEN CAST("users"."scim_attributes" AS jsonb) -> '{key}' ELSE CAST('[]' AS jsonb) END) AS "kept"("item")"#
            ),
            r#"("kept"."item" ->> 'value')"#,
            "$1",
        ),
        _ => (
            format!(r#"json_each("users"."scim_attributes", '$.{key}') AS "kept""#),
            r#"(CASE WHEN "kept"."type" = 'object' THEN json_extract("kept"."value", '$.value') END)"#,
            "?",
        ),
    };
    let subject = if fold_case {
        format!("LOWER({item})")
    } else {
        item.to_owned()
    };
    let mut values = Vec::new();
    let passes = match test {
        None => format!("{item} IS NOT NULL AND {item} <> ''"),
        Some((op, operand)) => {
            let operand = if fold_case {
                operand.to_lowercase()
            } else {
                operand
            };
            let (sql_op, bound, escape) = match op {
                CompareOp::Eq => ("=", operand, ""),
                CompareOp::Ne => ("<>", operand, ""),
                CompareOp::Co | CompareOp::Sw | CompareOp::Ew => {
                    ("LIKE", like_pattern(op, &operand), r" ESCAPE '\'")
                }
                CompareOp::Gt => (">", operand, ""),
                CompareOp::Ge => (">=", operand, ""),
                CompareOp::Lt => ("<", operand, ""),
                CompareOp::Le => ("<=", operand, ""),
            };
            values.push(bound);
            format!("{subject} {sql_op} {placeholder}{escape}")
        }
    };
    Expr::cust_with_values(
        format!(
            r#"(EXISTS (SELECT 1 FROM {elements} WHERE {passes}) AND ("users"."{column}" IS NULL OR EXISTS (SELECT 1 FROM {elements} WHERE LOWER(TRIM({item})) = LOWER("users"."{column}"))))"#
        ),
        values,
    )
}

/// `active eq true`, and the string booleans some clients send.
fn active(op: CompareOp, value: &Value) -> ScimResult<SimpleExpr> {
    let wanted = match value {
        Value::Bool(b) => *b,
        Value::String(s) if s.eq_ignore_ascii_case("true") => true,
        Value::String(s) if s.eq_ignore_ascii_case("false") => false,
        _ => {
            return Err(ScimError::bad(
                "invalidFilter",
                "active is compared with true or false",
            ))
        }
    };
    let is_active = Expr::col(user::Column::Status).eq("active");
    match op {
        CompareOp::Eq if wanted => Ok(is_active),
        CompareOp::Ne if !wanted => Ok(is_active),
        CompareOp::Eq | CompareOp::Ne => Ok(Expr::col(user::Column::Status).ne("active")),
        _ => Err(ScimError::bad(
            "invalidFilter",
            format!("active takes eq or ne, not {op}"),
        )),
    }
}

/// `members` and `members.value`: the group has (or, for `pr`, has any) such member.
fn members(
    op: Option<CompareOp>,
    value: Option<&Value>,
    path: &AttrPath,
) -> ScimResult<SimpleExpr> {
    let mut sub = SqlQuery::select();
    sub.column(group_member::Column::GroupId)
        .from(group_member::Entity);
    match (op, value) {
        (None, _) => {}
        (Some(CompareOp::Eq), Some(value)) => {
            sub.and_where(Expr::col(group_member::Column::UserId).eq(text(path, value)?));
        }
        (Some(op), _) => {
            return Err(ScimError::bad(
                "invalidFilter",
                format!("members takes eq or pr, not {op}"),
            ))
        }
    }
    Ok(Expr::col((group::Entity, group::Column::Id)).in_subquery(sub))
}

/// The SQL condition of a filter on `resource`, for a database of `backend`.
pub fn condition(
    backend: DbBackend,
    resource: Resource,
    filter: &Filter,
) -> ScimResult<SimpleExpr> {
    let listed = |path: &AttrPath| match resource {
        Resource::User => listed_attribute(path),
        Resource::Group => None,
    };
    Ok(match filter {
        Filter::And(a, b) => condition(backend, resource, a)?.and(condition(backend, resource, b)?),
        Filter::Or(a, b) => condition(backend, resource, a)?.or(condition(backend, resource, b)?),
        Filter::Not(inner) => condition(backend, resource, inner)?.not(),
        Filter::Present(path) => match resource {
            Resource::Group if path.is("members", None) || path.is("members", Some("value")) => {
                members(None, None, path)?
            }
            Resource::User if path.is("active", None) => Expr::value(true),
            _ => {
                let column = column_of(resource, path)?;
                let fold_case = column.fold_case;
                let present = Expr::expr(column.expr.clone())
                    .is_not_null()
                    .and(Expr::expr(column.expr).ne(""));
                match listed(path) {
                    Some(list) => present.or(any_listed(backend, list, fold_case, None)),
                    None => present,
                }
            }
        },
        Filter::Compare { path, op, value } => match resource {
            Resource::User if path.is("active", None) && core(path, super::USER_SCHEMA) => {
                active(*op, value)?
            }
            Resource::Group if path.is("members", None) || path.is("members", Some("value")) => {
                members(Some(*op), Some(value), path)?
            }
            _ => {
                let column = column_of(resource, path)?;
                let fold_case = column.fold_case;
                let by_column = compare(column, path, *op, value)?;
                match listed(path) {
                    Some(list) if !matches!(value, Value::Null) => by_column.or(any_listed(
                        backend,
                        list,
                        fold_case,
                        Some((*op, text(path, value)?)),
                    )),
                    _ => by_column,
                }
            }
        },
        Filter::ValuePath { path, filter } => {
            // Only the value itself can be asked of emails and members: their other
            // sub-attributes have no column.
            let inner = rebase(filter, path)?;
            condition(backend, resource, &inner)?
        }
    })
}

/// A value filter's inner filter with its paths made whole (`emails[value co "x"]` is
/// `emails.value co "x"`); only the `value` sub-attribute can be asked.
fn rebase(filter: &Filter, outer: &AttrPath) -> ScimResult<Filter> {
    let whole = |inner: &AttrPath| -> ScimResult<AttrPath> {
        if inner.is("value", None) {
            Ok(AttrPath {
                schema: outer.schema.clone(),
                name: outer.name.clone(),
                sub: Some("value".into()),
            })
        } else {
            Err(ScimError::bad(
                "invalidFilter",
                format!("filtering on {outer}.{} is not supported", inner.name),
            ))
        }
    };
    Ok(match filter {
        Filter::And(a, b) => Filter::And(Box::new(rebase(a, outer)?), Box::new(rebase(b, outer)?)),
        Filter::Or(a, b) => Filter::Or(Box::new(rebase(a, outer)?), Box::new(rebase(b, outer)?)),
        Filter::Not(inner) => Filter::Not(Box::new(rebase(inner, outer)?)),
        Filter::Present(path) => Filter::Present(whole(path)?),
        Filter::Compare { path, op, value } => Filter::Compare {
            path: whole(path)?,
            op: *op,
            value: value.clone(),
        },
        Filter::ValuePath { .. } => {
            return Err(ScimError::bad("invalidFilter", "value filters do not nest"))
        }
    })
}

fn column_of(resource: Resource, path: &AttrPath) -> ScimResult<Column> {
    match resource {
        Resource::User => user_column(path),
        Resource::Group => group_column(path),
    }
    .ok_or_else(|| unsupported(path))
}

/// The column a list is sorted by.
fn sort_column(resource: Resource, sort_by: &str) -> ScimResult<SimpleExpr> {
    let path = match filter::parse_path(sort_by) {
        Ok(filter::PatchPath::Attribute(path)) => path,
        _ => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("sortBy is an attribute, not {sort_by:?}"),
            ))
        }
    };
    match column_of(resource, &path) {
        Ok(column) => Ok(column.expr),
        Err(_) => Err(ScimError::bad(
            "invalidValue",
            format!("sorting by {path} is not supported"),
        )),
    }
}

fn order(descending: bool) -> Order {
    if descending {
        Order::Desc
    } else {
        Order::Asc
    }
}

/// A page of `query` (one instance's resources): the page, how many match, and the page's
/// start index. Without `sortBy` the order is `natural` (then `id`), which an index of the
/// instance serves, so a page is read in order rather than sorted.
async fn page<E, C>(
    db: &C,
    mut query: Select<E>,
    resource: Resource,
    (natural, id): (SimpleExpr, E::Column),
    params: &ListParams,
) -> ScimResult<(Vec<E::Model>, u64, u64)>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let (start, count) = params.page()?;
    if let Some(filter) = params.parsed_filter()? {
        let backend = db.get_database_backend();
        query = query.filter(condition(backend, resource, &filter)?);
    }
    let total = query.clone().count(db).await.map_err(AppError::from)?;
    let descending = params.descending()?;
    let sort_by = match params.sort_by.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(sort_by) => sort_column(resource, sort_by.trim())?,
        None => natural,
    };
    query = query.order_by(sort_by, order(descending));
    let page = if count == 0 {
        Vec::new()
    } else {
        query
            .order_by(id, order(descending))
            .offset(start - 1)
            .limit(count)
            .all(db)
            .await
            .map_err(AppError::from)?
    };
    Ok((page, total, start))
}

/// A page of an instance's users.
pub async fn users<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    params: &ListParams,
) -> ScimResult<(Vec<user::Model>, u64, u64)> {
    let query = user::Entity::find().filter(user::Column::InstanceId.eq(instance_id));
    let natural = Expr::col(Alias::new("username_key")).into();
    page(
        db,
        query,
        Resource::User,
        (natural, user::Column::Id),
        params,
    )
    .await
}

/// A page of an instance's groups.
pub async fn groups<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    params: &ListParams,
) -> ScimResult<(Vec<group::Model>, u64, u64)> {
    let query = group::Entity::find().filter(group::Column::InstanceId.eq(instance_id));
    let natural = Expr::col(group::Column::Name).into();
    page(
        db,
        query,
        Resource::Group,
        (natural, group::Column::Id),
        params,
    )
    .await
}

/// The attribute paths of an `attributes` or `excludedAttributes` parameter.
fn paths(raw: &str) -> ScimResult<Vec<AttrPath>> {
    raw.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(64)
        .map(|p| match filter::parse_path(p) {
            Ok(filter::PatchPath::Attribute(path)) => Ok(path),
            _ => Err(ScimError::bad(
                "invalidValue",
                format!("{p:?} is not an attribute"),
            )),
        })
        .collect()
}

fn key_of<'a>(body: &'a Map<String, Json>, path: &AttrPath) -> Option<&'a String> {
    let name = match &path.schema {
        // `urn:…:enterprise:2.0:User` is the extension's object.
        _ if path.is_schema(super::ENTERPRISE_SCHEMA) => super::ENTERPRISE_SCHEMA,
        // `urn:…:enterprise:2.0:User:department` lives in the extension's object.
        Some(schema)
            if !schema.eq_ignore_ascii_case(super::USER_SCHEMA)
                && !schema.eq_ignore_ascii_case(super::GROUP_SCHEMA) =>
        {
            schema.as_str()
        }
        _ => path.name.as_str(),
    };
    body.keys().find(|k| k.eq_ignore_ascii_case(name))
}

/// The resource with only the attributes asked for (`id` and `schemas` always), or without
/// those excluded (RFC 7644 §3.4.2.5).
pub fn project(resource: Json, params: &ListParams) -> ScimResult<Json> {
    let Json::Object(mut body) = resource else {
        return Ok(resource);
    };
    if let Some(raw) = params
        .attributes
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        let wanted = paths(raw)?;
        let mut kept = Map::new();
        for always in ["schemas", "id"] {
            if let Some(v) = body.get(always) {
                kept.insert(always.to_owned(), v.clone());
            }
        }
        for path in &wanted {
            let Some(key) = key_of(&body, path).cloned() else {
                continue;
            };
            let value = body[&key].clone();
            match (
                &path.sub,
                path.schema.is_some() && key.starts_with("urn:"),
                value,
            ) {
                (Some(sub), false, Json::Object(inner)) => {
                    let entry = kept.entry(key).or_insert_with(|| Json::Object(Map::new()));
                    if let (Some(v), Json::Object(out)) = (
                        inner.iter().find(|(k, _)| k.eq_ignore_ascii_case(sub)),
                        entry,
                    ) {
                        out.insert(v.0.clone(), v.1.clone());
                    }
                }
                (_, _, value) => {
                    kept.insert(key, value);
                }
            }
        }
        return Ok(Json::Object(kept));
    }
    if let Some(raw) = params
        .excluded_attributes
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        for path in paths(raw)? {
            let Some(key) = key_of(&body, &path).cloned() else {
                continue;
            };
            if key == "id" || key == "schemas" {
                continue;
            }
            match (&path.sub, body.get_mut(&key)) {
                (Some(sub), Some(Json::Object(inner))) if !key.starts_with("urn:") => {
                    inner.retain(|k, _| !k.eq_ignore_ascii_case(sub));
                }
                _ => {
                    body.remove(&key);
                }
            }
        }
    }
    Ok(Json::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::QueryTrait;

    fn sql(resource: Resource, text: &str) -> Result<String, String> {
        let filter = filter::parse_filter(text).map_err(|e| e.to_string())?;
        let condition = condition(DbBackend::Sqlite, resource, &filter).map_err(|e| e.detail)?;
        Ok(match resource {
            Resource::User => user::Entity::find()
                .filter(condition)
                .build(DbBackend::Sqlite)
                .to_string(),
            Resource::Group => group::Entity::find()
                .filter(condition)
                .build(DbBackend::Sqlite)
                .to_string(),
        })
    }

    #[test]
    fn filters_compile_to_the_columns_with_bound_values() {
        let s = sql(Resource::User, r#"userName eq "Alice@Example.com""#).unwrap();
        assert!(s.contains(r#""username_key" = 'alice@example.com'"#), "{s}");
        let s = sql(Resource::User, r#"emails.value co "50%_off""#).unwrap();
        assert!(s.contains(r#"LIKE '%50\%\_off%' ESCAPE '\'"#), "{s}");
        let s = sql(
            Resource::User,
            r#"externalId eq "X1" and active eq "False""#,
        )
        .unwrap();
        assert!(
            s.contains(r#""external_id" = 'X1'"#) && s.contains(r#""status" <> 'active'"#),
            "{s}"
        );
        let s = sql(Resource::User, r#"emails[type eq "work"]"#);
        assert!(s.unwrap_err().contains("emails.type"));
        let s = sql(
            Resource::User,
            r#"emails[value sw "a"] or not (name.familyName pr)"#,
        )
        .unwrap();
        assert!(s.contains("NOT"), "{s}");
        let s = sql(
            Resource::User,
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        )
        .unwrap();
        assert!(s.contains("updated_at"), "{s}");
        let s = sql(
            Resource::Group,
            r#"members[value eq "u1"] and displayName eq "Eng""#,
        )
        .unwrap();
        assert!(
            s.contains(r#""user_id" = 'u1'"#) && s.contains("LOWER"),
            "{s}"
        );
        // A value with a quote stays a value.
        let s = sql(Resource::User, r#"userName eq "x' OR 1=1 --""#).unwrap();
        assert!(s.contains(r#"'x'' or 1=1 --'"#), "{s}");
    }

    #[test]
    fn emails_and_phone_numbers_match_any_value_of_the_kept_list() {
        let filter = filter::parse_filter(r#"emails.value co "@Home.""#).unwrap();
        for (backend, reads) in [
            (
                DbBackend::Sqlite,
                "json_each(\"users\".\"scim_attributes\", '$.emails')",
            ),
            (
                DbBackend::Postgres,
                "CAST(\"users\".\"scim_attributes\" AS jsonb) -> 'emails'",
            ),
        ] {
            let condition = condition(backend, Resource::User, &filter).unwrap();
            let s = user::Entity::find()
                .filter(condition)
                .build(backend)
                .to_string();
            assert!(s.contains(r#""email" LIKE '%@home.%'"#), "{s}");
            assert!(s.contains(reads), "{s}");
            assert!(
                s.contains(r#"LIKE '%@home.%' ESCAPE '\'"#),
                "bound, lower-cased: {s}"
            );
            assert!(
                s.contains(r#"= LOWER("users"."email")"#),
                "only the list shown: {s}"
            );
        }
        let s = sql(Resource::User, r#"phoneNumbers[value eq "+1 555"]"#).unwrap();
        assert!(
            s.contains("'$.phoneNumbers'") && s.contains("= '+1 555'"),
            "{s}"
        );
        let s = sql(Resource::User, "emails pr").unwrap();
        assert!(s.contains("json_each"), "{s}");
        let s = sql(Resource::User, "emails eq null").unwrap();
        assert!(!s.contains("json_each"), "{s}");
    }

    #[test]
    fn what_has_no_column_is_refused_not_answered_wrong() {
        for bad in [
            r#"title eq "Boss""#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x""#,
            r#"meta.created gt "yesterday""#,
            r#"active gt true"#,
            r#"userName eq true"#,
            r#"userName gt null"#,
        ] {
            let err = sql(Resource::User, bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(sql(Resource::Group, r#"members co "x""#).is_err());
    }

    #[test]
    fn pages_and_projections_follow_the_rfc() {
        let params = |start: &str, count: &str| ListParams {
            start_index: Some(start.into()),
            count: Some(count.into()),
            ..ListParams::default()
        };
        assert_eq!(params("0", "-5").page().unwrap(), (1, 0));
        assert_eq!(params("3", "100000").page().unwrap(), (3, MAX_PAGE));
        assert!(params("x", "1").page().is_err());
        let resource = serde_json::json!({
            "schemas": ["s"], "id": "1", "userName": "a",
            "name": { "givenName": "A", "familyName": "B" },
            "meta": { "version": "v" },
        });
        let only = ListParams {
            attributes: Some("userName,name.givenName".into()),
            ..ListParams::default()
        };
        assert_eq!(
            project(resource.clone(), &only).unwrap(),
            serde_json::json!({ "schemas": ["s"], "id": "1", "userName": "a", "name": { "givenName": "A" } })
        );
        let extension = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let mut extended = resource.clone();
        extended[extension] = serde_json::json!({ "department": "Ops" });
        let only_extension = ListParams {
            attributes: Some(extension.into()),
            ..ListParams::default()
        };
        assert_eq!(
            project(extended.clone(), &only_extension).unwrap(),
            serde_json::json!({ "schemas": ["s"], "id": "1", extension: { "department": "Ops" } })
        );
        let no_extension = ListParams {
            excluded_attributes: Some(extension.into()),
            ..ListParams::default()
        };
        assert_eq!(project(extended, &no_extension).unwrap(), resource);
        let without = ListParams {
            excluded_attributes: Some("meta,id,name.familyName".into()),
            ..ListParams::default()
        };
        assert_eq!(
            project(resource, &without).unwrap(),
            serde_json::json!({ "schemas": ["s"], "id": "1", "userName": "a", "name": { "givenName": "A" } })
        );
    }
}
