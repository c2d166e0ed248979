//! Statements that sea-orm builds the same way on every call but for their values: built once
//! per database backend, then reused with the values put in. For the two statements every
//! sign-in makes (the session read, the audit event's insert), where building the SQL cost
//! more CPU than the database spent running it.

use std::marker::PhantomData;
use std::sync::OnceLock;

use sea_orm::sea_query::Value;
use sea_orm::{
    ActiveModelTrait, ActiveValue, DbBackend, EntityTrait, Iterable, QueryTrait, Statement, Values,
};

/// Stands in for the key while the statement is built once: no id or name can be this.
const PLACEHOLDER: &str = "\u{0}lanyard reused statement key\u{0}";

/// What is built once for each backend the statements are known to be the same on; `None`
/// when what was built cannot be reused, and each call builds its own.
struct PerBackend<T> {
    sqlite: OnceLock<Option<T>>,
    postgres: OnceLock<Option<T>>,
}

impl<T> PerBackend<T> {
    const fn new() -> PerBackend<T> {
        PerBackend {
            sqlite: OnceLock::new(),
            postgres: OnceLock::new(),
        }
    }

    fn get(&self, backend: DbBackend, build: impl FnOnce() -> Option<T>) -> Option<&T> {
        let cell = match backend {
            DbBackend::Sqlite => &self.sqlite,
            DbBackend::Postgres => &self.postgres,
            _ => return None,
        };
        cell.get_or_init(build).as_ref()
    }

    /// What was built for `backend`, without building it.
    #[cfg(test)]
    fn built(&self, backend: DbBackend) -> Option<&T> {
        match backend {
            DbBackend::Sqlite => self.sqlite.get()?.as_ref(),
            DbBackend::Postgres => self.postgres.get()?.as_ref(),
            _ => None,
        }
    }
}

/// A statement built by `build(backend, key)` whose SQL does not depend on the key, and whose
/// values hold the key exactly once.
pub struct Reused {
    build: fn(DbBackend, &str) -> Statement,
    templates: PerBackend<Template>,
}

struct Template {
    sql: String,
    values: Vec<Value>,
    /// Where the key goes in `values`.
    key: usize,
}

impl Template {
    /// `None` when the built statement does not hold the placeholder exactly once as a value.
    fn of(statement: Statement) -> Option<Template> {
        let values = statement.values.map(|v| v.0).unwrap_or_default();
        let placeholder = Value::from(PLACEHOLDER);
        let mut positions = values
            .iter()
            .enumerate()
            .filter(|(_, v)| **v == placeholder)
            .map(|(i, _)| i);
        let key = positions.next()?;
        if positions.next().is_some() || statement.sql.contains(PLACEHOLDER) {
            return None;
        }
        Some(Template {
            sql: statement.sql,
            values,
            key,
        })
    }
}

impl Reused {
    pub const fn new(build: fn(DbBackend, &str) -> Statement) -> Reused {
        Reused {
            build,
            templates: PerBackend::new(),
        }
    }

    fn template(&self, backend: DbBackend) -> Option<&Template> {
        self.templates
            .get(backend, || Template::of((self.build)(backend, PLACEHOLDER)))
    }

    /// The statement for `key`: what `build(backend, key)` gives, without building it again.
    pub fn with(&self, backend: DbBackend, key: &str) -> Statement {
        let Some(template) = self.template(backend) else {
            return (self.build)(backend, key);
        };
        let mut values = template.values.clone();
        values[template.key] = Value::from(key);
        Statement {
            sql: template.sql.clone(),
            values: Some(Values(values)),
            db_backend: backend,
        }
    }

    /// Whether calls on `backend` reuse one built statement rather than build their own.
    #[cfg(test)]
    pub fn is_reused(&self, backend: DbBackend) -> bool {
        self.template(backend).is_some()
    }
}

/// The INSERT of one row of `E` with every column set: the same SQL for every such row.
pub struct ReusedInsert<E> {
    sql: PerBackend<String>,
    entity: PhantomData<fn() -> E>,
}

impl<E> Default for ReusedInsert<E>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<E> ReusedInsert<E>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
{
    pub const fn new() -> ReusedInsert<E> {
        ReusedInsert {
            sql: PerBackend::new(),
            entity: PhantomData,
        }
    }

    /// The statement that inserts `row`: what sea-orm builds for it, built once. A row with a
    /// column not set gets a statement of its own.
    pub fn statement(&self, backend: DbBackend, row: E::ActiveModel) -> Statement {
        let values: Option<Vec<Value>> = E::Column::iter()
            .map(|column| match row.get(column) {
                ActiveValue::Set(value) | ActiveValue::Unchanged(value) => Some(value),
                ActiveValue::NotSet => None,
            })
            .collect();
        let Some(values) = values else {
            return E::insert(row).build(backend);
        };
        // The first row's statement is kept only if its values are the ones given in column
        // order: then the SQL binds each column's value in that order, whatever the values.
        let sql = self.sql.get(backend, || {
            let built = E::insert(row.clone()).build(backend);
            (built.values.as_ref().map(|v| &v.0) == Some(&values)).then_some(built.sql)
        });
        match sql {
            Some(sql) => Statement::from_sql_and_values(backend, sql.clone(), values),
            None => E::insert(row).build(backend),
        }
    }

    /// Whether a statement was built for `backend` to be reused by the rows that follow.
    #[cfg(test)]
    fn is_reused(&self, backend: DbBackend) -> bool {
        self.sql.built(backend).is_some()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use entity::{audit_event, user};
    use sea_orm::{ColumnTrait, QueryFilter, Set};

    use super::*;

    fn by_username(backend: DbBackend, key: &str) -> Statement {
        user::Entity::find()
            .filter(user::Column::InstanceId.eq("instance"))
            .filter(user::Column::Username.eq(key))
            .build(backend)
    }

    fn key_twice(backend: DbBackend, key: &str) -> Statement {
        user::Entity::find()
            .filter(user::Column::Username.eq(key))
            .filter(user::Column::Email.eq(key))
            .build(backend)
    }

    fn key_in_sql(backend: DbBackend, key: &str) -> Statement {
        Statement::from_string(backend, format!("SELECT '{key}'"))
    }

    #[test]
    fn a_reused_statement_is_the_one_built_for_its_key() {
        static REUSED: Reused = Reused::new(by_username);
        for backend in [DbBackend::Sqlite, DbBackend::Postgres, DbBackend::MySql] {
            for key in ["alice", "bob", "'; DROP TABLE user; --", ""] {
                let reused = REUSED.with(backend, key);
                let built = by_username(backend, key);
                assert_eq!(reused.sql, built.sql);
                assert_eq!(reused.values, built.values);
                assert_eq!(reused.db_backend, backend);
            }
        }
        assert!(REUSED.is_reused(DbBackend::Sqlite));
        assert!(REUSED.is_reused(DbBackend::Postgres));
    }

    #[test]
    fn statements_that_cannot_be_reused_are_built_for_each_key() {
        static TWICE: Reused = Reused::new(key_twice);
        static IN_SQL: Reused = Reused::new(key_in_sql);
        for key in ["alice", "bob"] {
            let twice = TWICE.with(DbBackend::Sqlite, key);
            assert_eq!(twice.values, key_twice(DbBackend::Sqlite, key).values);
            assert_eq!(
                IN_SQL.with(DbBackend::Sqlite, key).sql,
                format!("SELECT '{key}'")
            );
        }
    }
    fn event(
        id: &str,
        instance: Option<&str>,
        summary: serde_json::Value,
    ) -> audit_event::ActiveModel {
        audit_event::ActiveModel {
            id: Set(id.into()),
            instance_id: Set(instance.map(str::to_owned)),
            actor_kind: Set("user".into()),
            actor_id: Set("u1".into()),
            actor_name: Set("alice'); DELETE FROM audit_events; --".into()),
            action: Set("sso".into()),
            target_kind: Set("application".into()),
            target_id: Set(None),
            outcome: Set("allow".into()),
            summary: Set(summary),
            client_ip: Set(Some("::1".into())),
            created_at: Set(Utc.timestamp_opt(1_800_000_000, 0).unwrap()),
        }
    }

    #[test]
    fn a_reused_insert_is_the_one_sea_orm_builds_for_its_row() {
        static INSERT: ReusedInsert<audit_event::Entity> = ReusedInsert::new();
        let rows = [
            event(
                "e1",
                Some("i1"),
                serde_json::json!({"determiningPolicies": ["base"]}),
            ),
            event("e2", None, serde_json::Value::Null),
            event(
                "\u{0}'\"",
                Some(""),
                serde_json::json!(["\u{202e}", 1, null]),
            ),
        ];
        for backend in [DbBackend::Sqlite, DbBackend::Postgres, DbBackend::MySql] {
            for row in &rows {
                let reused = INSERT.statement(backend, row.clone());
                let built = audit_event::Entity::insert(row.clone()).build(backend);
                assert_eq!(reused.sql, built.sql);
                assert_eq!(reused.values, built.values);
            }
        }
        assert!(INSERT.is_reused(DbBackend::Sqlite));
        assert!(INSERT.is_reused(DbBackend::Postgres));
        assert!(!INSERT.is_reused(DbBackend::MySql));
    }

    #[test]
    fn a_row_without_every_column_gets_its_own_insert() {
        static INSERT: ReusedInsert<audit_event::Entity> = ReusedInsert::new();
        let mut partial = event("e1", Some("i1"), serde_json::Value::Null);
        partial.client_ip = sea_orm::ActiveValue::NotSet;
        let statement = INSERT.statement(DbBackend::Sqlite, partial.clone());
        let built = audit_event::Entity::insert(partial).build(DbBackend::Sqlite);
        assert_eq!(statement.sql, built.sql);
        assert!(!statement.sql.contains("client_ip"));
        assert!(!INSERT.is_reused(DbBackend::Sqlite));
    }
}
