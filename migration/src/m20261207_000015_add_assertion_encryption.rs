//! Encrypted assertions per application: the SP's encryption certificate, whether assertions
//! are encrypted for it, and the content cipher (AES-256-GCM unless an old SP needs CBC).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Applications {
    Table,
    SpEncryptionCertificatePem,
    EncryptAssertions,
    AssertionEncryption,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = [
            ColumnDef::new(Applications::SpEncryptionCertificatePem)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Applications::EncryptAssertions)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Applications::AssertionEncryption)
                .string_len(16)
                .not_null()
                .default("aes256-gcm")
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Applications::SpEncryptionCertificatePem,
            Applications::EncryptAssertions,
            Applications::AssertionEncryption,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
