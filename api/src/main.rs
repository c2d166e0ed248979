#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;

/// mimalloc rather than glibc's malloc: a sign-in's Argon2 hash takes 19 MiB, which glibc keeps
/// in whichever thread's arena freed it, so a node's memory grew with every burst of sign-ins
/// on a new thread; mimalloc gives such blocks back (docs/decisions.md, "Memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lanyard::cli::run(lanyard::cli::Cli::parse()).await
}
