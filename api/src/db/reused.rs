//! Statements that sea-orm builds the same way on every call but for one key value: built once
//! per database backend, then reused with the key put in. For the read every sign-in makes,
//! where building the SQL (a select of two entities and two subqueries) cost more CPU than
//! SQLite spent running it.

use std::sync::OnceLock;

use sea_orm::sea_query::Value;
use sea_orm::{DbBackend, Statement, Values};

/// Stands in for the key while the statement is built once: no id or name can be this.
const PLACEHOLDER: &str = "\u{0}lanyard reused statement key\u{0}";

/// A statement built by `build(backend, key)` whose SQL does not depend on the key, and whose
/// values hold the key exactly once.
pub struct Reused {
    build: fn(DbBackend, &str) -> Statement,
    sqlite: OnceLock<Option<Template>>,
    postgres: OnceLock<Option<Template>>,
}

struct Template {
    sql: String,
    values: Vec<Value>,
    /// Where the key goes in `values`.
    key: usize,
}

impl Template {
    /// `None` when the built statement does not hold the placeholder exactly once as a value:
    /// then it cannot be reused, and each call builds its own.
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
            sqlite: OnceLock::new(),
            postgres: OnceLock::new(),
        }
    }

    /// The statement for `key`: what `build(backend, key)` gives, without building it again.
    pub fn with(&self, backend: DbBackend, key: &str) -> Statement {
        let cell = match backend {
            DbBackend::Sqlite => &self.sqlite,
            DbBackend::Postgres => &self.postgres,
            _ => return (self.build)(backend, key),
        };
        let Some(template) = cell.get_or_init(|| Template::of((self.build)(backend, PLACEHOLDER)))
        else {
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
        let cell = match backend {
            DbBackend::Sqlite => &self.sqlite,
            DbBackend::Postgres => &self.postgres,
            _ => return false,
        };
        cell.get_or_init(|| Template::of((self.build)(backend, PLACEHOLDER)))
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use entity::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

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
}
