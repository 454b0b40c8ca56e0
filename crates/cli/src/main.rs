//! The `plantrack` command line: glue between the user and the library crates.
//!
//! `main` only maps the outcome of [`run`] to an exit code: 0 success, 1 failure of the work, 2 bad
//! usage or unreadable input (see DESIGN.md, "Command-line contract").

/// The allocator: a server answering many requests at once makes and drops large buffers (a
/// page, a region's evaluations) on both threads; glibc's malloc returned them to the system and
/// zeroed fresh pages again on every request (see ARCHITECTURE.md, "Speed of the web app").
/// Without transparent huge pages: see `memory.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_ingest;
mod bench_reports;
mod bench_serve;
mod evaluate;
mod evaluations;
mod extract;
mod http;
mod ingest;
mod ledger;
mod memory;
mod regions;
mod report;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "plantrack",
    version,
    about = "Planning documents to a supervised ledger of targets, tasks and results"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the structure of one document and print it (no database).
    Extract {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
        #[command(flatten)]
        hints: HintArgs,
    },
    /// Read documents (files or folders) into the ledger database.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        hints: HintArgs,
    },
    /// Import a table of figures (CSV or XLSX) as results: one a row, columns
    /// 地区,年份,指标,数值,单位,口径,来源 (or region,year,metric,value,unit,measure,source).
    /// The same file twice changes nothing; a changed file replaces its rows; a bad row refuses
    /// the file, naming the row.
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Draft a report from the ledger, every figure footnoted to its source: `annual` (the
    /// year's plan execution), `midterm` (the five-year plan's evaluation as of the year's end),
    /// `bulletin` (the supervision bulletin on the year's key tasks). Text on standard output,
    /// or `--out FILE.docx` (GB/T 9704 layout) / `--out FILE.html` (a printable page).
    Report {
        #[arg(value_enum)]
        kind: ReportKind,
        #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
        year: i32,
        /// The region of the report; default the ledger's top region.
        #[arg(long)]
        region: Option<String>,
        /// The date the report speaks as of (YYYY-MM-DD); default today (a mid-term evaluation:
        /// the end of its year, if passed).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        /// The office's assessment rules over the built-in ones (the bulletin's ranking).
        #[arg(long)]
        rules: Option<PathBuf>,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Load an office's region table (CSV or XLSX, columns 地区,上级地区 or region,parent): the
    /// hierarchy 全国 → province → city → district that region pages and comparisons follow. The
    /// table decides a region's parent over the documents; a chain that loops is refused.
    Regions {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Compute the evaluations the store keeps for the web app (each region's year: verdicts and
    /// task statuses; its plans: indicators): `refresh` what writes have touched since (ingest and
    /// import do it themselves), or `rebuild` everything from scratch (after an upgrade that
    /// changes the rules, or to check).
    Evaluations {
        #[arg(value_enum)]
        action: EvaluationsAction,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Find paragraphs of the ingested documents that hold every word of a query.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Export the ledger: tasks with their units, leaders and deadlines, or targets and results.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// For CSV, which table: tasks or quantities (JSON and XLSX hold both).
        #[arg(long, value_enum, default_value_t = ExportTable::Tasks)]
        table: ExportTable,
        /// Where to write; default standard output (XLSX: plantrack-ledger.xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Link every target of a year to the result reported for it and say whether it was met.
    Reconcile {
        #[arg(long)]
        year: i32,
        /// Only the targets set for this region (a district's, including those its city set).
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Evaluate five-year plan indicators against their trajectory, with every input shown.
    Plan {
        /// Only the plan whose source contains this text (default: every five-year plan).
        #[arg(long)]
        document: Option<String>,
        /// Only the plans of this region (and only its figures are read).
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// The key tasks of a year with their status (from deadlines and linked targets).
    Tasks {
        #[arg(long)]
        year: i32,
        /// The date to evaluate on (YYYY-MM-DD); default today.
        #[arg(long)]
        as_of: Option<String>,
        /// Only tasks of this status: not_started, on_track, at_risk, overdue, completed.
        #[arg(long)]
        status: Option<String>,
        /// Only tasks this unit leads or cooperates on.
        #[arg(long)]
        unit: Option<String>,
        /// Only tasks this leader supervises.
        #[arg(long)]
        leader: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// A digest per unit of what is overdue and what falls due soon (sub-milestones included).
    Remind {
        #[arg(long)]
        year: i32,
        /// The date to evaluate on (YYYY-MM-DD); default today.
        #[arg(long)]
        as_of: Option<String>,
        /// How many days ahead count as due soon.
        #[arg(long, default_value_t = plantrack_evaluate::tasks::REMIND_WITHIN_DAYS)]
        within: i64,
        /// Only this unit's digest.
        #[arg(long)]
        unit: Option<String>,
        /// text, json, or csv (one row an item, Chinese headers, for a spreadsheet).
        #[arg(long, value_enum, default_value_t = RemindFormat::Text)]
        format: RemindFormat,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Scorecards of units, leaders or regions for a year, best first.
    Scorecard {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = evaluate::ScoreBy::Unit)]
        by: evaluate::ScoreBy,
        /// The date to evaluate on (YYYY-MM-DD); default today.
        #[arg(long)]
        as_of: Option<String>,
        /// Also keep the scorecards in the store (table `scorecards`) for SQL and reports.
        #[arg(long)]
        save: bool,
        /// The office's assessment rules (see crates/evaluate/rules/assessment.tsv) over the
        /// built-in ones; PLANTRACK_RULES names another.
        #[arg(long)]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Serve the dashboard, the public portal and the JSON API over the ledger.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// The office's assessment rules over the built-in ones.
        #[arg(long)]
        rules: Option<PathBuf>,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Put the bundled samples into the default database (once) and serve them.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[command(flatten)]
        eval: EvalArgs,
    },
    /// Accounts of the web app (the password is read from standard input or PLANTRACK_PASSWORD).
    User {
        #[command(subcommand)]
        command: UserCommand,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Measure extraction throughput on files (default: the bundled samples).
    Bench {
        files: Vec<PathBuf>,
        /// How many copies of the inputs to concatenate for the large run.
        #[arg(long, default_value_t = 20)]
        copies: usize,
        /// Repetitions of each measurement; the best is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Measure the web app: p50/p99 latency and requests/s of the main pages and API endpoints,
    /// on the demo data and on a synthetic national ledger.
    BenchServe {
        /// How many synthetic regions (each with five documents) in the national ledger; 0 for
        /// the demo data only.
        #[arg(long, default_value_t = 3000)]
        regions: usize,
        /// Where to keep the national ledger (built once, reused when it matches); default
        /// ~/.cache/plantrack/bench-national-N.db.
        #[arg(long)]
        national_db: Option<String>,
        #[arg(long, default_value_t = 50)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// End with one line of JSON: `{"scenarios":[{"name","p50_ms","p99_ms","requests_per_s"}…]}`
        /// (`demo`, `random-region-cold`, `random-region`, `hot-100-regions`, `region-comparison`).
        #[arg(long)]
        json: bool,
        /// Only build the national ledger and keep its evaluations, then end (what the
        /// benchmark runs in a process of its own before it serves).
        #[arg(long, hide = true)]
        prepare: bool,
    },
    /// Measure the supervision workflow: many reporters submitting progress reports at once,
    /// then every write counted.
    BenchReports {
        /// A SQLite path or a postgres:// URL (a schema plantrack_bench_reports is made there);
        /// default a fresh SQLite file.
        #[arg(long = "db")]
        database: Option<String>,
        #[arg(long, default_value_t = 200)]
        reporters: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Measure ingest: the samples into a fresh database, then synthetic region-years.
    BenchIngest {
        /// The database to fill; default: a fresh SQLite file in a temporary folder. A postgres://
        /// URL is used as given (the ledger tables there are emptied first).
        #[arg(long)]
        db: Option<String>,
        /// How many synthetic documents to generate and ingest after the samples.
        #[arg(long, default_value_t = 1000)]
        synthetic: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user: admin, supervisor, reporter (bound to --unit) or leader (named as the
    /// responsibility tables name the leader: a leader reads the drafts of the tasks they
    /// supervise).
    Add {
        name: String,
        #[arg(long)]
        role: String,
        /// A unit the user reports for (repeat for several).
        #[arg(long)]
        unit: Vec<String>,
        /// Bind units that no responsibility table of the database names yet.
        #[arg(long)]
        force: bool,
    },
    /// Change a user's password (their sessions end).
    Passwd { name: String },
    /// List the users with their roles and units.
    List,
    /// Disable a user: they cannot sign in, their sessions end; their reports stay.
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
    /// Replace the units a user reports for.
    Units {
        name: String,
        /// A unit (repeat for several).
        #[arg(long, required = true)]
        unit: Vec<String>,
        /// Bind units that no responsibility table of the database names yet.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args, Clone, Default)]
pub struct HintArgs {
    /// The document kind: five_year_plan, annual_plan_report, work_report, task_table,
    /// statistical_bulletin, data_import, other.
    #[arg(long)]
    kind: Option<String>,
    /// The issuing government's region, e.g. 天津市.
    #[arg(long)]
    region: Option<String>,
    /// The year the document plans for (1949 to 2100); for a statistical bulletin, the year it
    /// reports on.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
    year: Option<i32>,
    /// Language rules of the user's (regions, page frames, part words, task closings: the form of
    /// crates/extract/lexicon/document.tsv) added to the built-in ones; PLANTRACK_LEXICON names
    /// another. A file may also hold metric rules, which the evaluations read.
    #[arg(long)]
    lexicon: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationsAction {
    /// Compute what writes have touched since it was computed.
    Refresh,
    /// Forget everything kept and compute it all again.
    Rebuild,
}

#[derive(clap::Args, Clone)]
pub struct EvalArgs {
    /// A metric lexicon of the user's (synonyms, lower-is-better, …) added to the built-in one;
    /// PLANTRACK_LEXICON names another.
    #[arg(long)]
    lexicon: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

impl EvalArgs {
    fn common<'a>(&'a self, db: &'a str, format: OutputFormat) -> evaluate::Common<'a> {
        evaluate::Common {
            db,
            lexicon: self.lexicon.as_deref(),
            json: format == OutputFormat::Json,
        }
    }
}

#[derive(clap::Args, Clone)]
pub struct DbArgs {
    /// A SQLite file path or a postgres:// URL; default: plantrack.db in the user's data directory.
    #[arg(long, env = "PLANTRACK_DB", global = true)]
    db: Option<String>,
}

impl DbArgs {
    /// The database to use: the flag, the environment, or the default file (its folder created).
    pub fn url(&self) -> anyhow::Result<String> {
        if let Some(db) = &self.db {
            return Ok(db.clone());
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .ok_or_else(|| {
                UsageError("no --db given and no home directory to keep one in".into())
            })?;
        let dir = base.join("plantrack");
        std::fs::create_dir_all(&dir).map_err(|e| UsageError(format!("{}: {e}", dir.display())))?;
        Ok(dir.join("plantrack.db").display().to_string())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTable {
    Tasks,
    Quantities,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Json,
    Text,
}

/// The reports `plantrack report` drafts.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportKind {
    Annual,
    Midterm,
    Bulletin,
}

/// The digest's formats: a spreadsheet's as well.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RemindFormat {
    Json,
    Text,
    Csv,
}

/// An error the user caused (bad usage, unreadable input): exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() -> ExitCode {
    memory::no_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A reader that stopped early (`| head`) is no failure of ours.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("plantrack: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract {
            file,
            format,
            hints,
        } => extract::run(&file, format == OutputFormat::Json, &hints),
        Command::Ingest { paths, db, hints } => ingest::run(&paths, &db.url()?, &hints),
        Command::Import { file, db } => ingest::import(&file, &db.url()?),
        Command::Report {
            kind,
            year,
            region,
            as_of,
            out,
            rules,
            eval,
        } => {
            let db = eval.db.url()?;
            report::report_cmd(
                &eval.common(&db, OutputFormat::Text),
                &report::Request {
                    kind: match kind {
                        ReportKind::Annual => plantrack_report::Kind::Annual,
                        ReportKind::Midterm => plantrack_report::Kind::Midterm,
                        ReportKind::Bulletin => plantrack_report::Kind::Bulletin,
                    },
                    year,
                    region: region.as_deref(),
                    as_of: as_of.as_deref(),
                    out: out.as_deref(),
                    rules: rules.as_deref(),
                },
            )
        }
        Command::Regions { file, db } => regions::regions_cmd(&file, &db.url()?),
        Command::Evaluations { action, eval } => evaluations::run(
            action == EvaluationsAction::Rebuild,
            &eval.db.url()?,
            eval.lexicon.as_deref(),
        ),
        Command::Search { query, limit, db } => ledger::search(&db.url()?, &query, limit),
        Command::Export {
            format,
            table,
            out,
            db,
        } => ledger::export(&db.url()?, format, table, out.as_deref()),
        Command::Reconcile {
            year,
            region,
            format,
            eval,
        } => {
            let db = eval.db.url()?;
            evaluate::reconcile_cmd(&eval.common(&db, format), year, region.as_deref())
        }
        Command::Plan {
            document,
            region,
            format,
            eval,
        } => {
            let db = eval.db.url()?;
            evaluate::plan_cmd(
                &eval.common(&db, format),
                document.as_deref(),
                region.as_deref(),
            )
        }
        Command::Tasks {
            year,
            as_of,
            status,
            unit,
            leader,
            format,
            eval,
        } => {
            let db = eval.db.url()?;
            let filter = evaluate::TaskFilter {
                status: status.as_deref(),
                unit: unit.as_deref(),
                leader: leader.as_deref(),
            };
            evaluate::tasks_cmd(&eval.common(&db, format), year, as_of.as_deref(), &filter)
        }
        Command::Remind {
            year,
            as_of,
            within,
            unit,
            format,
            eval,
        } => {
            let db = eval.db.url()?;
            let common = if format == RemindFormat::Json {
                OutputFormat::Json
            } else {
                OutputFormat::Text
            };
            evaluate::remind_cmd(
                &eval.common(&db, common),
                year,
                as_of.as_deref(),
                within,
                unit.as_deref(),
                format == RemindFormat::Csv,
            )
        }
        Command::Scorecard {
            year,
            by,
            as_of,
            save,
            rules,
            format,
            eval,
        } => {
            let db = eval.db.url()?;
            evaluate::scorecard_cmd(
                &eval.common(&db, format),
                year,
                by,
                as_of.as_deref(),
                save,
                rules.as_deref(),
            )
        }
        Command::Serve { addr, rules, eval } => serve::serve(
            &eval.db.url()?,
            &addr,
            eval.lexicon.as_deref(),
            rules.as_deref(),
        ),
        Command::Demo { addr, eval } => {
            serve::demo(&eval.db.url()?, &addr, eval.lexicon.as_deref())
        }
        Command::User { command, db } => {
            let db = db.url()?;
            match command {
                UserCommand::Add {
                    name,
                    role,
                    unit,
                    force,
                } => user::add(&db, &name, &role, &unit, force),
                UserCommand::Passwd { name } => user::passwd(&db, &name),
                UserCommand::List => user::list(&db),
                UserCommand::Disable { name } => user::set_disabled(&db, &name, true),
                UserCommand::Enable { name } => user::set_disabled(&db, &name, false),
                UserCommand::Units { name, unit, force } => user::units(&db, &name, &unit, force),
            }
        }
        Command::Bench {
            files,
            copies,
            runs,
        } => bench::run(&files, copies, runs),
        Command::BenchServe {
            regions,
            national_db,
            clients,
            seconds,
            json,
            prepare,
        } => bench_serve::run(
            national_db.as_deref(),
            regions,
            clients,
            seconds,
            json,
            prepare,
        ),
        Command::BenchReports {
            database,
            reporters,
            seconds,
        } => bench_reports::run(database.as_deref(), reporters, seconds),
        Command::BenchIngest { db, synthetic } => bench_ingest::run(db.as_deref(), synthetic),
    }
}
