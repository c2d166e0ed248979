//! Every migration's `down` works: up → down → up on a fresh database.

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
