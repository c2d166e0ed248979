//! `schema.graphql` is generated from the code; a stale copy fails here.

#[test]
fn committed_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql at the repository root");
    let generated = lanyard::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is stale: run `cargo run -p lanyard -- export-schema -o schema.graphql`"
    );
}
