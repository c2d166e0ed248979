//! Schema migrations, run on boot (`lanyard serve`) or by `lanyard migrate`. Every migration has
//! a working `down`; a test runs up → down → up on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_instances;
mod m20261128_000002_create_directory;
mod m20261128_000003_create_admin_access;
mod m20261128_000004_create_audit_events;
mod m20261128_000005_create_applications;
mod m20261128_000006_create_access;
mod m20261128_000007_create_employee_sessions;
mod m20261128_000008_create_outbox;
mod m20261128_000009_create_saml_requests;
mod m20261129_000010_create_sign_in_codes;
mod m20261207_000011_widen_sign_in_code_continue;
mod m20261207_000012_index_directory_search;
mod m20261207_000013_create_member_index;
mod m20261207_000014_create_persistent_name_ids;
mod m20261207_000015_add_assertion_encryption;
mod m20261207_000016_create_single_logout;
mod m20261207_000017_index_audit_activity;
mod m20261207_000018_create_audit_hourly;
mod m20261207_000019_create_second_factors;
mod m20261208_000020_create_admin_sign_in_steps;
mod m20261208_000021_create_passkey_ceremonies;
mod m20261209_000022_admin_passkeys;
mod m20261209_000023_create_provisioning;
mod m20261210_000024_create_oidc;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_instances::Migration),
            Box::new(m20261128_000002_create_directory::Migration),
            Box::new(m20261128_000003_create_admin_access::Migration),
            Box::new(m20261128_000004_create_audit_events::Migration),
            Box::new(m20261128_000005_create_applications::Migration),
            Box::new(m20261128_000006_create_access::Migration),
            Box::new(m20261128_000007_create_employee_sessions::Migration),
            Box::new(m20261128_000009_create_saml_requests::Migration),
            Box::new(m20261128_000008_create_outbox::Migration),
            Box::new(m20261129_000010_create_sign_in_codes::Migration),
            Box::new(m20261207_000011_widen_sign_in_code_continue::Migration),
            Box::new(m20261207_000012_index_directory_search::Migration),
            Box::new(m20261207_000013_create_member_index::Migration),
            Box::new(m20261207_000014_create_persistent_name_ids::Migration),
            Box::new(m20261207_000015_add_assertion_encryption::Migration),
            Box::new(m20261207_000016_create_single_logout::Migration),
            Box::new(m20261207_000017_index_audit_activity::Migration),
            Box::new(m20261207_000018_create_audit_hourly::Migration),
            Box::new(m20261207_000019_create_second_factors::Migration),
            Box::new(m20261208_000020_create_admin_sign_in_steps::Migration),
            Box::new(m20261208_000021_create_passkey_ceremonies::Migration),
            Box::new(m20261209_000022_admin_passkeys::Migration),
            Box::new(m20261209_000023_create_provisioning::Migration),
            Box::new(m20261210_000024_create_oidc::Migration),
        ]
    }
}

/// Shorthands for the column shapes every table uses.
pub(crate) mod cols {
    use sea_orm_migration::prelude::*;

    pub fn id<T: IntoIden>(name: T) -> ColumnDef {
        ColumnDef::new(name)
            .string_len(36)
            .not_null()
            .primary_key()
            .to_owned()
    }

    pub fn reference<T: IntoIden>(name: T) -> ColumnDef {
        ColumnDef::new(name).string_len(36).not_null().to_owned()
    }

    pub fn instant<T: IntoIden>(name: T) -> ColumnDef {
        ColumnDef::new(name)
            .timestamp_with_time_zone()
            .not_null()
            .to_owned()
    }

    pub fn cascade_to<F: IntoIden + 'static, T: IntoIden + 'static, C: IntoIden>(
        from: F,
        column: C,
        to: T,
    ) -> ForeignKeyCreateStatement {
        let mut fk = ForeignKey::create();
        fk.from_tbl(from)
            .from_col(column)
            .to_tbl(to)
            .to_col(Alias::new("id"))
            .on_delete(ForeignKeyAction::Cascade);
        fk
    }
}
