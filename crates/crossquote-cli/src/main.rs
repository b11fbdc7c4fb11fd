//! The `crossquote` command: quotes from JSON requests, ECB rate import, and the golden
//! case files run through the same core as the browser app.
//!
//! Exit status: 0 done, 1 a case file had failures, 2 bad input or usage.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use crossquote::b2c::{self, B2cRequest};
use crossquote::fx::RateTable;

#[derive(Parser)]
#[command(name = "crossquote", version, about = "Exact quotations for cross-border e-commerce")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Quote a request (JSON, from FILE or standard input; B2B when it names a `term`) and
    /// print the quote as JSON.
    Quote {
        /// The request; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        /// A rate table (JSON); the built-in sample table when absent.
        #[arg(long)]
        rates: Option<PathBuf>,
    },
    /// Write a reply (JSON request from FILE or standard input): the text for the buyer, then
    /// the Chinese rendering for the agent; `--json` prints both with their numbers.
    Reply {
        /// The request; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        /// Print JSON (texts, numbers with their positions, warnings).
        #[arg(long)]
        json: bool,
    },
    /// Exchange rates.
    Rates {
        #[command(subcommand)]
        command: RatesCommand,
    },
    /// Seller profiles.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Run a golden case file (tests/golden/*.json: B2C, B2B or logistics) and report each case.
    Cases {
        /// The case file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Check a seller profile (whole, or with --over, a partial one over the built-in
    /// default); prints every problem with its line and path.
    Check {
        /// The profile (JSON).
        file: PathBuf,
        /// Read FILE as an overlay on the built-in default profile.
        #[arg(long)]
        over: bool,
    },
    /// Print the built-in default profile.
    Default,
}

#[derive(Subcommand)]
enum RatesCommand {
    /// Convert an ECB euro reference rates XML file into rate tables (JSON), newest last.
    ImportEcb {
        /// eurofxref-daily.xml or a history file.
        file: PathBuf,
        /// Only the newest day, as one table.
        #[arg(long)]
        latest: bool,
    },
}

fn read(file: Option<&PathBuf>) -> Result<String> {
    match file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
        }
        _ => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("cannot read standard input")?;
            Ok(s)
        }
    }
}

fn load_rates(path: Option<&PathBuf>) -> Result<RateTable> {
    let table: RateTable = match path {
        Some(p) => {
            crossquote::from_json(&read(Some(p))?).with_context(|| format!("{}", p.display()))?
        }
        None => crossquote::defaults::default_rates().map_err(|e| {
            let list: Vec<String> = e.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("the built-in profile: {}", list.join("; "))
        })?,
    };
    let errors = table.validate("");
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("the rate table has problems:\n  {}", list.join("\n  "));
    }
    Ok(table)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Quote { file, rates } => {
            let rates = load_rates(rates.as_ref())?;
            let text = read(file.as_ref())?;
            let doc: serde_json::Value = crossquote::from_json(&text).context("the request")?;
            if doc.get("term").is_some() {
                let req: crossquote::b2b::B2bRequest =
                    crossquote::from_json(&text).context("the B2B request")?;
                let quote = crossquote::b2b::quote(&req, &rates)?;
                println!("{}", serde_json::to_string_pretty(&quote)?);
            } else {
                let req: B2cRequest = crossquote::from_json(&text).context("the request")?;
                let quote = b2c::quote(&req, &rates)?;
                println!("{}", serde_json::to_string_pretty(&quote)?);
            }
        }
        Command::Rates { command: RatesCommand::ImportEcb { file, latest } } => {
            let tables = crossquote::fx::ecb::parse(&read(Some(&file))?)?;
            let out = if latest {
                serde_json::to_string_pretty(&tables.last())?
            } else {
                serde_json::to_string_pretty(&tables)?
            };
            println!("{out}");
        }
        Command::Reply { file, json } => {
            let req: crossquote::reply::ReplyRequest =
                crossquote::from_json(&read(file.as_ref())?).context("the reply request")?;
            let profile = crossquote::defaults::default_profile().map_err(|e| {
                let list: Vec<String> = e.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("the built-in profile: {}", list.join("; "))
            })?;
            let templates = crossquote::reply::Templates::built_in().map_err(|e| {
                let list: Vec<String> = e.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("reply templates: {}", list.join("; "))
            })?;
            let out = crossquote::reply::write(&req, &templates, &profile)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("{}\n\n---- 中文 ----\n{}", out.reply.text, out.agent.text);
                for w in &out.reply.warnings {
                    eprintln!("warning: {w}");
                }
            }
        }
        Command::Profile { command: ProfileCommand::Check { file, over } } => {
            let text = read(Some(&file))?;
            let loaded = if over {
                crossquote::profile::load_over(crossquote::defaults::DEFAULT_PROFILE_JSON, &text)
            } else {
                crossquote::profile::load(&text)
            };
            match loaded {
                Ok(p) => println!(
                    "ok: {} ({} services, {} platforms, {} markets, rates of {})",
                    p.name,
                    p.services.len(),
                    p.platforms.len(),
                    p.markets.len(),
                    p.rates.as_of
                ),
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}: {e}", file.display());
                    }
                    bail!("{} problems in {}", errors.len(), file.display());
                }
            }
        }
        Command::Profile { command: ProfileCommand::Default } => {
            print!("{}", crossquote::defaults::DEFAULT_PROFILE_JSON);
        }
        Command::Cases { file } => {
            let text = read(Some(&file))?;
            let doc: serde_json::Value = serde_json::from_str(&text).context("the case file")?;
            let b2b_ops = ["convert", "wm", "fill", "tier_price"];
            let is_b2b = doc["cases"].as_array().is_some_and(|cs| {
                cs.iter().any(|c| {
                    c["request"].get("term").is_some()
                        || b2b_ops.contains(&c["op"].as_str().unwrap_or(""))
                })
            });
            let outcomes = if doc.get("services").is_some() {
                crossquote::cases::run_logistics(&text)
            } else if is_b2b {
                crossquote::cases::run_b2b(&text)
            } else {
                crossquote::cases::run_b2c(&text)
            }
            .map_err(anyhow::Error::msg)?;
            let failed = outcomes.iter().filter(|o| !o.mismatches.is_empty()).count();
            for o in &outcomes {
                if o.mismatches.is_empty() {
                    println!("ok   {}", o.name);
                } else {
                    println!("FAIL {}\n       {}", o.name, o.mismatches.join("\n       "));
                }
            }
            println!("{} passed, {failed} failed", outcomes.len().saturating_sub(failed));
            return Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("crossquote: {e:#}");
            ExitCode::from(2)
        }
    }
}
