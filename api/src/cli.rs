//! The `lanyard` command line: `serve`, `migrate`, `export-schema`, `bench`, `import`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::config::{self, LogFormat, Overrides};

#[derive(Parser, Debug)]
#[command(
    name = "lanyard",
    version,
    about = "Lanyard identity-as-a-service server"
)]
pub struct Cli {
    /// A TOML configuration file (default: ./lanyard.toml when present).
    #[arg(long, global = true, env = "LANYARD_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (migrating the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Print the GraphQL schema (SDL) or write it to a file.
    ExportSchema {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Drive SSO through a deployment's URL and print responses/s, p50, p99 and failures.
    Bench(crate::loadgen::BenchArgs),
    /// Create the users of a CSV file through a server's API, in batches, resumably.
    Import(crate::import::ImportArgs),
}

#[derive(Args, Debug, Default)]
pub struct DbArgs {
    #[arg(long)]
    pub database_url: Option<String>,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on, e.g. 0.0.0.0:8080.
    #[arg(long)]
    pub listen: Option<String>,
    /// The URL users reach this server at.
    #[arg(long)]
    pub public_url: Option<String>,
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Load the Cedar schema and policies from this directory.
    #[arg(long)]
    pub policy_dir: Option<PathBuf>,
    /// Seed a demo instance, enable GraphiQL and print an admin token.
    #[arg(long)]
    pub demo: bool,
    #[arg(long, value_enum)]
    pub log_format: Option<CliLogFormat>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CliLogFormat {
    Text,
    Json,
}

impl From<CliLogFormat> for LogFormat {
    fn from(format: CliLogFormat) -> Self {
        match format {
            CliLogFormat::Text => LogFormat::Text,
            CliLogFormat::Json => LogFormat::Json,
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Bench(args) => {
            let json = args.json;
            let summary = crate::loadgen::run(args).await?;
            crate::loadgen::print(&summary, json)
        }
        Command::Import(args) => crate::import::run(args).await,
        Command::ExportSchema { output } => {
            let sdl = crate::graphql::sdl();
            match output {
                Some(path) => std::fs::write(&path, sdl)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{sdl}"),
            }
            Ok(())
        }
        Command::Migrate(db) => {
            let config = config::load(
                cli.config.as_deref(),
                Overrides {
                    database_url: db.database_url,
                    ..Overrides::default()
                },
            )?;
            crate::telemetry::init(&config.log);
            crate::db::Store::connect(&config.database_url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Serve(args) => {
            let config = config::load(
                cli.config.as_deref(),
                Overrides {
                    listen: args.listen,
                    public_url: args.public_url,
                    database_url: args.db.database_url,
                    data_dir: args.data_dir,
                    policy_dir: args.policy_dir,
                    demo: args.demo,
                    log_format: args.log_format.map(Into::into),
                },
            )?;
            crate::telemetry::init(&config.log);
            let app = crate::startup::Application::build(config).await?;
            tracing::info!(port = app.port(), "listening");
            println!("Lanyard listening on port {}", app.port());
            for line in &app.announcements {
                println!("{line}");
            }
            app.run_until(crate::startup::shutdown_signal()).await?;
            Ok(())
        }
    }
}
