//! Every migration's `down` works: up → down → up on a fresh database; a migration that derives
//! data derives it from what an older database holds.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let dir = tempfile::tempdir().unwrap();
    let url = lanyard_tests::fresh_database(&dir).await;
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, None).await.expect("up");
    let applied = Migrator::get_applied_migrations(&db).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(&db, None).await.expect("down");
    assert!(Migrator::get_applied_migrations(&db)
        .await
        .unwrap()
        .is_empty());
    // Nothing of ours is left: creating the tables again must not clash.
    Migrator::up(&db, None).await.expect("up again");
    db.execute_unprepared("INSERT INTO instances (id, name, description, created_at, updated_at) VALUES ('i', 'n', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .await
        .expect("the tables work after up → down → up");
}

/// A database of the release before the member index gets one that lists the members it
/// already had: each group's, each unit's, and each subtree's (a user in two units of one
/// subtree once).
#[tokio::test]
async fn the_member_index_is_filled_from_the_memberships_already_held() {
    let dir = tempfile::tempdir().unwrap();
    let url = lanyard_tests::fresh_database(&dir).await;
    let db = Database::connect(&url).await.unwrap();
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261207_000013_create_member_index")
        .expect("the member index migration");
    Migrator::up(&db, Some(before as u32)).await.expect("up");
    let t = "'2026-01-01T00:00:00Z'";
    for statement in [
        format!("INSERT INTO instances (id, name, description, created_at, updated_at) VALUES ('i', 'n', '', {t}, {t})"),
        format!("INSERT INTO users (id, instance_id, username, display_name, status, created_at, updated_at) VALUES ('u1', 'i', 'ann', 'Ann', 'active', {t}, {t}), ('u2', 'i', 'bob', 'Bob', 'active', {t}, {t}), ('u3', 'i', 'cat', 'Cat', 'active', {t}, {t})"),
        format!("INSERT INTO groups (id, instance_id, name, description, created_at, updated_at) VALUES ('g', 'i', 'Team', '', {t}, {t})"),
        format!("INSERT INTO org_units (id, instance_id, parent_id, name, path, created_at, updated_at) VALUES ('a', 'i', NULL, 'Acme', '/a/', {t}, {t}), ('b', 'i', 'a', 'Sales', '/a/b/', {t}, {t}), ('c', 'i', NULL, 'Labs', '/c/', {t}, {t})"),
        format!("INSERT INTO group_members (group_id, user_id, instance_id, created_at) VALUES ('g', 'u1', 'i', {t}), ('g', 'u3', 'i', {t})"),
        format!("INSERT INTO org_unit_members (org_unit_id, user_id, instance_id, created_at) VALUES ('a', 'u1', 'i', {t}), ('b', 'u1', 'i', {t}), ('b', 'u2', 'i', {t}), ('c', 'u3', 'i', {t})"),
    ] {
        db.execute_unprepared(&statement).await.expect(&statement);
    }
    Migrator::up(&db, None)
        .await
        .expect("the member index migration");
    let rows: Vec<String> = db
        .query_all(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT holder_kind, holder_id, username, user_id FROM member_index ORDER BY holder_kind, holder_id, username",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            ["holder_kind", "holder_id", "username", "user_id"]
                .map(|column| row.try_get::<String>("", column).unwrap())
                .join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "group g ann u1",
            "group g cat u3",
            "subtree a ann u1",
            "subtree a bob u2",
            "subtree b ann u1",
            "subtree b bob u2",
            "subtree c cat u3",
            "unit a ann u1",
            "unit b ann u1",
            "unit b bob u2",
            "unit c cat u3",
        ]
    );
}
