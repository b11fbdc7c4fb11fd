//! The `crossquote` command: quotes from JSON requests, ECB rate import, and the golden
//! case files run through the same core as the browser app.
//!
//! Exit status: 0 done, 1 a case file had failures, 2 bad input or usage, 3 a sheet was
//! written but some catalog rows or lines were rejected (listed in the rejected file).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use crossquote::fx::RateTable;
use crossquote_cli::request::{QuoteRequest, Quoted};
use crossquote_cli::{serve, sheet};

// `print!` and `println!` for this file: std's panic when standard output is closed
// (`crossquote quote … | head`); these return the error, which `main` takes for the
// reader having had enough.
macro_rules! print {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($t)*)?
    }};
}
macro_rules! println {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($t)*)?
    }};
}

#[derive(Parser)]
#[command(name = "crossquote", version, about = "Exact quotations for cross-border e-commerce")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Quote a document (JSON, from FILE or standard input) and print the quote as JSON: a
    /// retail order (`items`), a wholesale order (`lines`), a single B2B request (a
    /// `term`) or a single B2C request.
    Quote {
        /// The request; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        /// A rate table (JSON) over the profile's; the profile's when absent.
        #[arg(long)]
        rates: Option<PathBuf>,
        /// A whole seller profile (JSON) for orders: services, platforms, markets, rates;
        /// the built-in default when absent.
        #[arg(long, conflicts_with = "profile_over")]
        profile: Option<PathBuf>,
        /// A partial profile merged over the built-in default.
        #[arg(long)]
        profile_over: Option<PathBuf>,
        /// Print a readable table (prices, the breakdown, margin) instead of JSON.
        #[arg(long)]
        table: bool,
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
    /// Write the proforma invoice of a wholesale order (JSON, from FILE or standard input)
    /// in the buyer's document language (`buyer.document_language`, English when absent):
    /// plain text, or with `--json` every word and number of it.
    Proforma {
        /// The wholesale order; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        /// A whole seller profile (JSON): its seller details, services, texts; the
        /// built-in default when absent.
        #[arg(long, conflicts_with = "profile_over")]
        profile: Option<PathBuf>,
        /// A partial profile merged over the built-in default.
        #[arg(long)]
        profile_over: Option<PathBuf>,
        /// Print the document as JSON (its labels, rows and text).
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
    /// Price a catalog (CSV) into a price sheet (CSV or XLSX): one line per SKU × quantity
    /// × zone, streamed on every core. Rows that cannot be priced go to the rejected file
    /// with their row number and reason; the exit status is 3 when there are any.
    Sheet {
        /// The catalog: sku, cost, weight_kg, length_cm, width_cm, height_cm; optional qty,
        /// zone, margin, carton_pieces/_weight_kg/_length_cm/_width_cm/_height_cm.
        /// `-` reads standard input.
        catalog: PathBuf,
        /// What to price (JSON; schemas/sheet-spec.schema.json).
        #[arg(long)]
        spec: PathBuf,
        /// A whole seller profile (JSON); the built-in default when absent.
        #[arg(long, conflicts_with = "profile_over")]
        profile: Option<PathBuf>,
        /// A partial profile merged over the built-in default (by id, country, pair).
        #[arg(long)]
        profile_over: Option<PathBuf>,
        /// The sheet; standard output when absent (CSV only).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// `csv` or `xlsx`; from the output's extension when absent.
        #[arg(long)]
        format: Option<SheetFormat>,
        /// Rejected rows (CSV: row,sku,zone,qty,reason); beside the output as
        /// `NAME.rejected.csv` when absent, or `rejected.csv` when the sheet goes to
        /// standard output.
        #[arg(long)]
        rejected: Option<PathBuf>,
        /// Worker threads; one per core when absent.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Serve the HTTP JSON API (/v1/quote, /v1/quotes, /v1/reply, /v1/proforma, /v1/sheet,
    /// /v1/profile, /v1/openapi.json, /healthz) until interrupted.
    Serve {
        /// Address to listen on (loopback by default; put a proxy in front to expose it).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// A whole seller profile (JSON); the built-in default when absent.
        #[arg(long, conflicts_with = "profile_over")]
        profile: Option<PathBuf>,
        /// A partial profile merged over the built-in default.
        #[arg(long)]
        profile_over: Option<PathBuf>,
        /// Largest request body, bytes.
        #[arg(long, default_value_t = 8 << 20)]
        max_body: usize,
        /// Seconds allowed for one request, reading its body included.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
        /// Requests handled at once; beyond that, 503.
        #[arg(long, default_value_t = 256)]
        concurrency: usize,
        /// Most requests in one /v1/quotes batch.
        #[arg(long, default_value_t = 1000)]
        max_batch: usize,
    },
    /// Print the JSON Schema of a document: b2c-request, b2c-quote, b2b-request, b2b-quote,
    /// order-b2c, order-b2c-quote, order-b2b, order-b2b-quote, reply-request,
    /// reply-order-request, replies, proforma, sheet-spec, profile, rate-table.
    Schema {
        /// Which; all names when absent.
        name: Option<String>,
    },
    /// Run a golden case file (tests/golden/*.json: B2C, B2B, logistics, orders, or
    /// documents of the orders.json beside it) and report each case.
    Cases {
        /// The case file.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum SheetFormat {
    Csv,
    Xlsx,
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

fn problems<E: std::fmt::Display>(what: &str, errors: &[E]) -> anyhow::Error {
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    anyhow::anyhow!("{what}: {} problems:\n  {}", list.len(), list.join("\n  "))
}

fn load_profile(
    whole: Option<&PathBuf>,
    over: Option<&PathBuf>,
) -> Result<crossquote::profile::Profile> {
    let base = crossquote::defaults::DEFAULT_PROFILE_JSON;
    match (whole, over) {
        (Some(p), _) => crossquote::profile::load(&read(Some(p))?)
            .map_err(|e| problems(&p.display().to_string(), &e)),
        (None, Some(p)) => crossquote::profile::load_over(base, &read(Some(p))?)
            .map_err(|e| problems(&p.display().to_string(), &e)),
        (None, None) => {
            crossquote::profile::load(base).map_err(|e| problems("the built-in profile", &e))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_sheet(
    catalog: &PathBuf,
    spec: &PathBuf,
    profile: (Option<&PathBuf>, Option<&PathBuf>),
    output: Option<&PathBuf>,
    format: Option<SheetFormat>,
    rejected: Option<&PathBuf>,
    jobs: Option<usize>,
) -> Result<ExitCode> {
    let profile = load_profile(profile.0, profile.1)?;
    let spec_text = read(Some(spec))?;
    let spec: crossquote::sheet::SheetSpec =
        crossquote::from_json(&spec_text).with_context(|| spec.display().to_string())?;
    let plan = crossquote::sheet::Plan::new(&profile, &spec)
        .map_err(|e| problems("the sheet spec", &e))?;
    let format = format.unwrap_or_else(|| match output {
        Some(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) => {
            SheetFormat::Xlsx
        }
        _ => SheetFormat::Csv,
    });
    let rejected_path = match (rejected, output) {
        (Some(r), _) => r.clone(),
        (None, Some(o)) => {
            let stem = o.file_stem().map(|s| s.to_string_lossy().into_owned());
            o.with_file_name(format!("{}.rejected.csv", stem.unwrap_or_default()))
        }
        (None, None) => PathBuf::from("rejected.csv"),
    };
    let input: Box<dyn Read + Send> = if catalog.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(catalog)
                .with_context(|| format!("cannot read {}", catalog.display()))?,
        )
    };
    let mut rej = std::io::BufWriter::new(
        std::fs::File::create(&rejected_path)
            .with_context(|| format!("cannot write {}", rejected_path.display()))?,
    );
    let jobs = jobs.unwrap_or_else(thread_count);
    let summary = match format {
        SheetFormat::Csv => {
            let out: Box<dyn std::io::Write> = match output {
                Some(p) => Box::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot write {}", p.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut sink = sheet::CsvSink(std::io::BufWriter::with_capacity(1 << 16, out));
            let summary = sheet::run(&plan, input, &mut sink, &mut rej, jobs)?;
            std::io::Write::flush(&mut sink.0).context("cannot write the sheet")?;
            summary
        }
        SheetFormat::Xlsx => {
            let Some(path) = output else { bail!("an XLSX sheet needs --output FILE.xlsx") };
            let mut sink = sheet::XlsxSink::new(&plan)?;
            let summary = sheet::run(&plan, input, &mut sink, &mut rej, jobs)?;
            sink.save(path)?;
            summary
        }
    };
    std::io::Write::flush(&mut rej).context("cannot write rejected rows")?;
    if !summary.ignored.is_empty() {
        eprintln!("columns not read: {}", summary.ignored.join(", "));
    }
    let c = summary.counts;
    eprintln!(
        "{} rows read, {} lines written; {} rows and {} lines rejected{}",
        c.rows,
        c.lines,
        c.rejected_rows,
        c.rejected_lines,
        if c.any_rejected() {
            format!(" (see {})", rejected_path.display())
        } else {
            String::new()
        }
    );
    Ok(if c.any_rejected() { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

/// Labelled values, then each breakdown's lines and total in aligned columns, then more
/// labelled values.
fn render_table(
    head: &[(String, String)],
    breakdowns: &[&crossquote::breakdown::Breakdown],
    tail: &[(String, String)],
) -> String {
    use std::fmt::Write as _;
    let width = head
        .iter()
        .chain(tail)
        .map(|(l, _)| l.chars().count())
        .chain(breakdowns.iter().flat_map(|b| b.lines.iter().map(|l| l.label.chars().count())))
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = String::new();
    let row = |out: &mut String, label: &str, value: &str| {
        let pad = width.saturating_sub(label.chars().count());
        let _ = writeln!(out, "{label}{}  {value:>14}", " ".repeat(pad));
    };
    for (l, v) in head {
        row(&mut out, l, v);
    }
    for b in breakdowns {
        let _ = writeln!(out, "\nbreakdown ({})", b.currency);
        for line in &b.lines {
            row(&mut out, &line.label, &line.amount.to_string());
        }
        row(&mut out, "total", &b.total.to_string());
    }
    if !tail.is_empty() {
        out.push('\n');
    }
    for (l, v) in tail {
        row(&mut out, l, v);
    }
    out
}

fn pct(p: Option<crossquote::Percent>) -> String {
    p.map_or_else(|| "-".to_owned(), |p| format!("{}%", p.points()))
}

/// A quote of any kind as a readable table.
fn quote_table(quoted: &Quoted) -> String {
    let kv = |l: &str, v: String| (l.to_owned(), v);
    match quoted {
        Quoted::B2b(quote) => {
            let head = [
                kv(&format!("{} unit price", quote.label), quote.unit_price.to_string()),
                kv("quantity", quote.quantity.to_string()),
                kv("total", quote.total.to_string()),
            ];
            render_table(&head, &[&quote.breakdown], &[])
        }
        Quoted::B2c(quote) => {
            let e = &quote.at_price;
            let head = [
                kv("list price", quote.list_price.to_string()),
                kv("sale price", e.sale_price.to_string()),
                kv("break-even price", quote.break_even_price.to_string()),
            ];
            let tail =
                [kv("margin", pct(e.margin)), kv("markup", pct(e.markup)), kv("ROI", pct(e.roi))];
            render_table(&head, &[&e.breakdown, &e.seller_breakdown], &tail)
        }
        Quoted::Retail(q) => {
            let mut head = Vec::new();
            for (i, l) in q.lines.iter().enumerate() {
                let name = if l.name.is_empty() {
                    format!("item {}", i.saturating_add(1))
                } else {
                    l.name.clone()
                };
                head.push(kv(
                    &format!("{name} × {}", l.quantity),
                    format!("{} = {}", l.quote.sale_price, l.amount),
                ));
            }
            let s = &q.shipping;
            head.push(kv(
                &format!(
                    "shipping: {} ({} parcel{})",
                    s.quote.name,
                    s.parcels.len(),
                    if s.parcels.len() == 1 { "" } else { "s" }
                ),
                format!("{} {}", s.quote.total, s.quote.currency),
            ));
            head.push(kv("allocated", q.allocation.clone()));
            head.push(kv("order total", q.total.to_string()));
            let mut tail = vec![
                kv("margin", pct(q.margin)),
                kv("break-even total", q.break_even_total.to_string()),
                kv(
                    &format!("max discount (floor {})", q.max_discount.floor),
                    format!("{}% → {}", q.max_discount.discount.points(), q.max_discount.total),
                ),
                kv("VAT", q.vat.note.clone()),
            ];
            if let Some(i) = &q.instalments {
                tail.push(kv("instalments", i.line.clone()));
            }
            if let Some(o) = &q.offer {
                tail.push(kv(
                    "offer",
                    format!("{:?} at {} (margin {})", o.decision, o.total, pct(o.margin)),
                ));
            }
            for w in &q.price_warnings {
                tail.push(kv("warning", w.clone()));
            }
            render_table(&head, &[&q.breakdown, &q.seller_breakdown], &tail)
        }
        Quoted::Wholesale(q) => {
            let mut head = Vec::new();
            for (i, l) in q.lines.iter().enumerate() {
                let name = if l.sku.is_empty() {
                    format!("line {}", i.saturating_add(1))
                } else {
                    l.sku.clone()
                };
                head.push(kv(
                    &format!("{name} × {}", l.quantity),
                    format!("{} = {}", l.unit_price, l.amount),
                ));
                head.push(kv(
                    "  packing",
                    format!(
                        "{} ctns, {} kg, {} CBM",
                        l.packing.cartons, l.packing.gross_kg, l.packing.cbm
                    ),
                ));
            }
            let sh = &q.shipment;
            head.push(kv(
                "shipment",
                format!("{} ctns, {} kg, {} CBM", sh.cartons, sh.gross_kg, sh.cbm),
            ));
            if let Some(f) = &sh.freight {
                head.push(kv(&format!("freight ({})", sh.allocation), f.to_string()));
            }
            if let Some(c) = &sh.containers {
                head.push(kv(
                    &format!("containers ({} by {})", c.container, c.limited_by),
                    c.count.to_string(),
                ));
            }
            head.push(kv(&format!("{} total", q.label), q.total.to_string()));
            let r = &q.results;
            let tail = [
                kv("total export cost", r.total_cost.to_string()),
                kv("net FOB income", r.fob_net_income.to_string()),
                kv("换汇成本", r.fx_cost.to_string()),
                kv("profit", r.profit.to_string()),
                kv("profit rate", pct(r.profit_rate)),
                kv("rebate income", r.rebate_income.to_string()),
            ];
            render_table(&head, &[&q.breakdown], &tail)
        }
    }
}

fn thread_count() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Schema { name: None } => {
            for (n, _) in crossquote_cli::schema::ALL {
                println!("{n}");
            }
        }
        Command::Schema { name: Some(name) } => match crossquote_cli::schema::get(&name) {
            Some(v) => println!("{}", serde_json::to_string_pretty(&v)?),
            None => bail!("no schema `{name}`; `crossquote schema` lists them"),
        },
        Command::Serve {
            addr,
            profile,
            profile_over,
            max_body,
            timeout_secs,
            concurrency,
            max_batch,
        } => {
            let profile = load_profile(profile.as_ref(), profile_over.as_ref())?;
            let settings = serve::Settings {
                addr,
                max_body,
                timeout: std::time::Duration::from_secs(timeout_secs),
                concurrency: concurrency.max(1),
                max_batch,
            };
            serve::serve(profile, &settings)?;
        }
        Command::Sheet { catalog, spec, profile, profile_over, output, format, rejected, jobs } => {
            return run_sheet(
                &catalog,
                &spec,
                (profile.as_ref(), profile_over.as_ref()),
                output.as_ref(),
                format,
                rejected.as_ref(),
                jobs,
            );
        }
        Command::Quote { file, rates, profile, profile_over, table } => {
            let mut profile = load_profile(profile.as_ref(), profile_over.as_ref())?;
            if rates.is_some() {
                profile.rates = load_rates(rates.as_ref())?;
            }
            let text = read(file.as_ref())?;
            let req = QuoteRequest::from_json(&text).context("the request")?;
            let quoted = crossquote_cli::request::quote(&req, &profile)?;
            if table {
                print!("{}", quote_table(&quoted));
            } else {
                println!("{}", serde_json::to_string_pretty(&quoted)?);
            }
        }
        Command::Proforma { file, profile, profile_over, json } => {
            let profile = load_profile(profile.as_ref(), profile_over.as_ref())?;
            let templates = profile.templates().map_err(|e| problems("the profile's texts", &e))?;
            let order: crossquote::order::WholesaleOrder =
                crossquote::from_json(&read(file.as_ref())?).context("the order")?;
            let answer = crossquote_cli::request::proforma(&order, &profile, &templates)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                print!("{}", answer.text);
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
            let doc = crossquote_cli::request::ReplyDoc::from_json(&read(file.as_ref())?)
                .context("the reply request")?;
            let profile = crossquote::defaults::default_profile().map_err(|e| {
                let list: Vec<String> = e.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("the built-in profile: {}", list.join("; "))
            })?;
            let req = doc.request(&profile).context("the reply's order")?;
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
            let is_order = doc["cases"].as_array().is_some_and(|cs| {
                cs.iter().any(|c| matches!(c["op"].as_str(), Some("retail" | "wholesale")))
            });
            // A document file names the orders of `orders.json` beside it.
            let is_document = doc["cases"]
                .as_array()
                .is_some_and(|cs| cs.iter().any(|c| c.get("order").is_some()));
            let outcomes = if is_document {
                let orders = file.with_file_name("orders.json");
                crossquote::cases::run_documents(&read(Some(&orders))?, &text)
            } else if is_order {
                crossquote::cases::run_orders(&text)
            } else if doc.get("services").is_some() {
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
        // The reader of standard output closed it (`| head`): not an error.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crossquote: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether the error is a write to a closed pipe.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
