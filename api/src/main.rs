#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lanyard::cli::run(lanyard::cli::Cli::parse()).await
}
