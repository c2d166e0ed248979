//! OpenID Connect (issue 20). An application added from an OIDC template is a client:
//! `oidc_clients` holds its registration (type, authentication method, redirect URIs, scopes,
//! claims, lifetimes, the public keys of `private_key_jwt`), `oidc_client_secrets` its secrets
//! as SHA-256 hashes (two at once while a rotation overlaps).
//!
//! `oidc_grants` is one authorization: the code (its hash, single use by a conditional
//! update), what was asked and how the employee signed in; the tokens issued from it belong to
//! it, and revoking it (a code or refresh token used twice, a revocation, the end of the
//! session) revokes them all. `oidc_refresh_tokens` are the rotating refresh tokens of a grant,
//! hashed. `oidc_client_assertions` remembers the `jti` of each `private_key_jwt` assertion
//! until it expires, so that a replay is refused on every node.

use crate::cols::{cascade_to, id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OidcClients {
    Table,
    ApplicationId,
    InstanceId,
    ClientType,
    AuthMethod,
    RedirectUris,
    PostLogoutRedirectUris,
    InitiateLoginUri,
    Scopes,
    Claims,
    Jwks,
    AssertionAlg,
    IdTokenLifetimeSecs,
    AccessTokenLifetimeSecs,
    RefreshTokenLifetimeSecs,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OidcClientSecrets {
    Table,
    Id,
    ApplicationId,
    SecretHash,
    Hint,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OidcGrants {
    Table,
    Id,
    InstanceId,
    ApplicationId,
    UserId,
    SessionId,
    CodeHash,
    RedirectUri,
    Nonce,
    CodeChallenge,
    Scope,
    AuthTime,
    AuthMethods,
    Acr,
    CreatedAt,
    CodeExpiresAt,
    RedeemedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OidcRefreshTokens {
    Table,
    TokenHash,
    GrantId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum OidcClientAssertions {
    Table,
    Id,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

fn text<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn seconds<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().to_owned()
}

fn optional_instant<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn hash<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).string_len(64).not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OidcClients::Table)
                    .col(id(OidcClients::ApplicationId))
                    .col(reference(OidcClients::InstanceId))
                    .col(
                        ColumnDef::new(OidcClients::ClientType)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OidcClients::AuthMethod)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(text(OidcClients::RedirectUris))
                    .col(text(OidcClients::PostLogoutRedirectUris))
                    .col(ColumnDef::new(OidcClients::InitiateLoginUri).text().null())
                    .col(text(OidcClients::Scopes))
                    .col(text(OidcClients::Claims))
                    .col(ColumnDef::new(OidcClients::Jwks).text().null())
                    .col(
                        ColumnDef::new(OidcClients::AssertionAlg)
                            .string_len(8)
                            .null(),
                    )
                    .col(seconds(OidcClients::IdTokenLifetimeSecs))
                    .col(seconds(OidcClients::AccessTokenLifetimeSecs))
                    .col(seconds(OidcClients::RefreshTokenLifetimeSecs))
                    .col(instant(OidcClients::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        OidcClients::Table,
                        OidcClients::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OidcClientSecrets::Table)
                    .col(id(OidcClientSecrets::Id))
                    .col(reference(OidcClientSecrets::ApplicationId))
                    .col(hash(OidcClientSecrets::SecretHash).unique_key())
                    .col(
                        ColumnDef::new(OidcClientSecrets::Hint)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(instant(OidcClientSecrets::CreatedAt))
                    .col(optional_instant(OidcClientSecrets::ExpiresAt))
                    .foreign_key(&mut cascade_to(
                        OidcClientSecrets::Table,
                        OidcClientSecrets::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_oidc_client_secrets_application")
                    .table(OidcClientSecrets::Table)
                    .col(OidcClientSecrets::ApplicationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OidcGrants::Table)
                    .col(id(OidcGrants::Id))
                    .col(reference(OidcGrants::InstanceId))
                    .col(reference(OidcGrants::ApplicationId))
                    .col(reference(OidcGrants::UserId))
                    .col(ColumnDef::new(OidcGrants::SessionId).string_len(36).null())
                    .col(hash(OidcGrants::CodeHash).unique_key())
                    .col(text(OidcGrants::RedirectUri))
                    .col(ColumnDef::new(OidcGrants::Nonce).text().null())
                    .col(
                        ColumnDef::new(OidcGrants::CodeChallenge)
                            .string_len(128)
                            .null(),
                    )
                    .col(text(OidcGrants::Scope))
                    .col(instant(OidcGrants::AuthTime))
                    .col(
                        ColumnDef::new(OidcGrants::AuthMethods)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OidcGrants::Acr).string_len(128).not_null())
                    .col(instant(OidcGrants::CreatedAt))
                    .col(instant(OidcGrants::CodeExpiresAt))
                    .col(optional_instant(OidcGrants::RedeemedAt))
                    .col(optional_instant(OidcGrants::RevokedAt))
                    .foreign_key(&mut cascade_to(
                        OidcGrants::Table,
                        OidcGrants::ApplicationId,
                        Applications::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        OidcGrants::Table,
                        OidcGrants::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_oidc_grants_session", OidcGrants::SessionId),
            ("ix_oidc_grants_user", OidcGrants::UserId),
            ("ix_oidc_grants_application", OidcGrants::ApplicationId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(OidcGrants::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OidcRefreshTokens::Table)
                    .col(hash(OidcRefreshTokens::TokenHash).primary_key().to_owned())
                    .col(reference(OidcRefreshTokens::GrantId))
                    .col(instant(OidcRefreshTokens::CreatedAt))
                    .col(instant(OidcRefreshTokens::ExpiresAt))
                    .col(optional_instant(OidcRefreshTokens::UsedAt))
                    .foreign_key(&mut cascade_to(
                        OidcRefreshTokens::Table,
                        OidcRefreshTokens::GrantId,
                        OidcGrants::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_oidc_refresh_tokens_grant")
                    .table(OidcRefreshTokens::Table)
                    .col(OidcRefreshTokens::GrantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OidcClientAssertions::Table)
                    .col(hash(OidcClientAssertions::Id).primary_key().to_owned())
                    .col(instant(OidcClientAssertions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_oidc_client_assertions_expiry")
                    .table(OidcClientAssertions::Table)
                    .col(OidcClientAssertions::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OidcClientAssertions::Table.into_iden(),
            OidcRefreshTokens::Table.into_iden(),
            OidcGrants::Table.into_iden(),
            OidcClientSecrets::Table.into_iden(),
            OidcClients::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
