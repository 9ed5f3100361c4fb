//! The command-line interface: every subcommand and option, with help texts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "signaalradar",
    version,
    about = "Turns anonymised intervision outcomes into cross-regional trends",
    long_about = "Signaalradar ingests the anonymised outcomes of intervision sessions (JSONL, CSV, XLSX), \
scrubs personal data before anything is stored, and keeps them in an embedded store."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Store directory (created if missing)
    #[arg(long, global = true, env = "SIGNAALRADAR_STORE", default_value = ingest::store::DEFAULT_DIR)]
    pub store: PathBuf,
    /// Region registry
    #[arg(
        long,
        global = true,
        env = "SIGNAALRADAR_REGIONS",
        default_value = "data/regions.toml"
    )]
    pub regions: PathBuf,
    /// Theme taxonomy
    #[arg(
        long,
        global = true,
        env = "SIGNAALRADAR_THEMES",
        default_value = analysis::taxonomy::DEFAULT_PATH
    )]
    pub themes: PathBuf,
    /// Trained theme model [default: theme-model.json next to the taxonomy; without the file,
    /// themes come from the taxonomy's queries alone]
    #[arg(long, global = true, env = "SIGNAALRADAR_MODEL")]
    pub model: Option<PathBuf>,
    /// Trend, escalation and disclosure rules
    #[arg(
        long,
        global = true,
        env = "SIGNAALRADAR_RULES",
        default_value = analysis::trends::config::DEFAULT_PATH
    )]
    pub rules: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the sample data into a fresh demo store, create demo accounts and serve the dashboard
    Demo(DemoArgs),
    /// Read session files (JSONL, CSV, XLSX), anonymise them and add them to the store
    Ingest(IngestArgs),
    /// Search the stored items (newest first, or by relevance) with highlighted snippets
    Search(SearchArgs),
    /// Is my signal shared? The text's themes and how many other regions raise them
    Shared(SharedArgs),
    /// The theme taxonomy with item and region counts
    Themes(ThemesArgs),
    /// Serve the web dashboard and JSON API
    Serve(ServeArgs),
    /// Accounts for the dashboard: add, list, disable, enable, set a new password
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens (for `POST /api/v1/sessions` and other API calls)
    #[command(subcommand)]
    Token(TokenCommand),
    /// Per theme and period: distinct regions, items, shares; rising, new and persistent themes
    Trends(TrendsArgs),
    /// Escalation candidates with their dossiers, and the escalation lifecycle
    Escalations(EscalationsArgs),
    /// How the sessions went: moderation, online or physical, cases, scores, evaluation tags
    Evaluations(EvaluationsArgs),
    /// A trend report of a period: PDF, HTML, Markdown with PNG charts, tables as CSV and XLSX
    Report(ReportArgs),
    /// Reclassify every item and rebuild the search index from the store
    Reindex(ReindexArgs),
    /// Copy the store (a consistent moment of it, also while a server writes) into a new folder
    Backup(BackupArgs),
    /// Put a backup in place as the store, then rebuild the index
    Restore(RestoreArgs),
    /// Write every stored (anonymised) item as CSV or XLSX
    Export(ExportArgs),
    /// Show the audit log: logins, uploads, exports, reports, taxonomy, escalation and account
    /// changes (who, when, what; never item text)
    Audit(AuditArgs),
    /// Anonymise text lines or JSON Lines (for previews and measuring); nothing is stored
    Anonymise(AnonymiseArgs),
    /// Assign themes to text lines or JSON Lines (for previews and measuring); nothing is stored
    Classify(ClassifyArgs),
    /// Measure quality against a gold file
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Write synthetic session files (JSONL, CSV, XLSX) with planted trends
    Generate(GenerateArgs),
    /// Write the XLSX import template a moderator fills in
    Template(TemplateArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder with input files to load instead (e.g. data/sample); by default the demo makes
    /// its data at start, ending today, with live signals in the last complete quarters
    #[arg(long)]
    pub sample: Option<PathBuf>,
    /// The day the demo's data ends and the dashboard reads the trends at (YYYY-MM-DD;
    /// default: today)
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
    /// Load the data and create the accounts, but do not serve
    #[arg(long)]
    pub no_serve: bool,
    /// Address to serve on
    #[arg(long, default_value = "127.0.0.1:8080", env = "SIGNAALRADAR_ADDR")]
    pub addr: std::net::SocketAddr,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; prints a generated password unless --password-stdin is given
    Add(UserAddArgs),
    /// List the accounts
    List {
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Disable an account: its sessions end and its API tokens stop working at once
    Disable { name: String },
    /// Enable a disabled account again
    Enable { name: String },
    /// Set a new password (generated and printed, or read with --password-stdin)
    Password {
        name: String,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    pub name: String,
    /// beheerder, landelijk, programmaleider or invoerder
    #[arg(long)]
    pub role: String,
    /// The programme leader's region (programme leaders only)
    #[arg(long)]
    pub region: Option<String>,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for an account; it is printed once and stored only as a hash
    Add {
        /// The account the token acts as (its role decides what the token may do)
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. the name of the system that uses it
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Input files (.jsonl, .csv, .xlsx)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Store the valid records and write the invalid ones to a rejects file
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where --skip-invalid writes the rejects (JSON Lines: location and problem, never the text)
    #[arg(long, default_value = "signaalradar-rejects.jsonl")]
    pub rejects: PathBuf,
    /// Only store the batch; classifying and indexing it is left to the next command that
    /// opens the index (or `reindex`)
    #[arg(long)]
    pub no_index: bool,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only lines from this date (YYYY-MM-DD) on
    #[arg(long)]
    pub since: Option<String>,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Output file (CSV goes to standard output when omitted)
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AnonymiseArgs {
    /// Input file, or - for standard input
    #[arg(default_value = "-")]
    pub file: String,
    /// Read JSON Lines and replace each object's "text" field, keeping the other fields
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Recall of persons, e-mails and phones, and over-redaction (see DESIGN.md "Evaluation files")
    Anonymise(EvalAnonymiseArgs),
    /// Per-theme and micro/macro precision, recall and F1 of the classification
    Classify(EvalClassifyArgs),
}

#[derive(Debug, Args)]
pub struct EvalClassifyArgs {
    /// Gold file (JSON Lines with id, text, themes)
    #[arg(long)]
    pub gold: PathBuf,
    /// List every record with a missing or extra theme, grouped by theme, with the words that
    /// would have caught each miss and why each extra theme was given
    #[arg(long)]
    pub misses: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Input file, or - for standard input
    #[arg(default_value = "-")]
    pub file: String,
    /// Read JSON Lines and add a "themes" array to each object, keeping the other fields
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub struct EvalAnonymiseArgs {
    /// Gold file (JSON Lines with id, text, persons, emails, phones)
    #[arg(long)]
    pub gold: PathBuf,
    /// Score another system's output (JSON Lines with id and text) instead of ours
    #[arg(long)]
    pub predicted: Option<PathBuf>,
    /// Print every missed person, e-mail and phone and every over-redacted word in context,
    /// grouped by class (this prints the texts: use it on evaluation files, never on session
    /// data)
    #[arg(long)]
    pub misses: bool,
    /// Only these name layers, comma-separated: patterns, gazetteer, cues, capitals, memory
    /// (default: all), to measure what each adds
    #[arg(long, value_name = "LIST")]
    pub layers: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of sessions (about five items each)
    #[arg(long, default_value_t = 600)]
    pub sessions: usize,
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// Output folder (created if missing)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    #[arg(long, short, default_value = "data/templates/sessies.xlsx")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Newest,
    Relevance,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for (query syntax allowed: "phrase", +required, -excluded, OR)
    pub query: String,
    /// Only items with this theme (an id from the taxonomy)
    #[arg(long)]
    pub theme: Option<String>,
    /// Only items from this region (name or alias)
    #[arg(long)]
    pub region: Option<String>,
    /// From this date (YYYY-MM-DD or DD-MM-YYYY)
    #[arg(long)]
    pub from: Option<String>,
    /// Up to and including this date
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value = "newest")]
    pub sort: SortArg,
    /// At most this many items
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Programme leader: other regions only as counts, below k shown as "<k"
    Programmaleider,
    /// National supporter: region names and anonymised excerpts
    Landelijk,
}

#[derive(Debug, Args)]
pub struct SharedArgs {
    /// The signal, in a sentence or a few words
    pub text: String,
    /// Your region (name or alias)
    #[arg(long)]
    pub region: String,
    /// Window: this many months up to today
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    #[arg(long, value_enum, default_value = "programmaleider")]
    pub role: RoleArg,
    /// End the window on this date instead of today (YYYY-MM-DD)
    #[arg(long)]
    pub today: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ThemesArgs {
    #[command(subcommand)]
    pub action: Option<ThemesCommand>,
    /// Clusters of items no theme matches, as candidate themes
    #[arg(long)]
    pub candidates: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ThemesCommand {
    /// Retrain the theme model from labelled statements; prints the held-out test file's
    /// scores before and after and refuses a model that scores worse
    Train(ThemesTrainArgs),
}

#[derive(Debug, Args)]
pub struct ThemesTrainArgs {
    /// Labelled real statements (JSON Lines with text, themes and source): trained on, and
    /// the per-theme thresholds are tuned on them
    #[arg(long, num_args = 1.., default_values = [crate::commands::themes_train::DEFAULT_REAL])]
    pub real: Vec<PathBuf>,
    /// Further labelled statements to train on (JSON Lines with text and themes)
    #[arg(
        long,
        num_args = 1..,
        default_values = crate::commands::themes_train::DEFAULT_TRAIN
    )]
    pub train: Vec<PathBuf>,
    /// Held-out labelled statements, only measured: the new model must not score worse on them
    #[arg(long, default_value = crate::commands::themes_train::DEFAULT_TEST)]
    pub test: PathBuf,
    /// Write the new model even if it scores worse on the test file
    #[arg(long)]
    pub force: bool,
    /// Train and measure, but do not write the model
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReindexArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Folder the backup goes into: a new or empty one
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A folder made by `signaalradar backup`
    pub dir: PathBuf,
    /// Replace a store that already holds data
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    Month,
    Quarter,
    Year,
}

impl From<PeriodArg> for analysis::trends::PeriodKind {
    fn from(p: PeriodArg) -> Self {
        match p {
            PeriodArg::Month => analysis::trends::PeriodKind::Month,
            PeriodArg::Quarter => analysis::trends::PeriodKind::Quarter,
            PeriodArg::Year => analysis::trends::PeriodKind::Year,
        }
    }
}

/// Who the output is for; the disclosure rules follow from it.
#[derive(Debug, Clone, Args)]
pub struct AudienceArgs {
    /// Whose view: national supporters see everything; programme leaders see other regions
    /// only as counts, below k shown as "<k"
    #[arg(long, value_enum, default_value = "landelijk")]
    pub role: RoleArg,
    /// The programme leader's region (name or alias); needed with --role programmaleider
    #[arg(long)]
    pub region: Option<String>,
    /// Make the output as on this date (YYYY-MM-DD) instead of today: later sessions are left
    /// out and this date's period is the running one (escalations: a look back that records
    /// nothing)
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// Period length [default: the rules' period, normally quarter]
    #[arg(long, value_enum)]
    pub period: Option<PeriodArg>,
    /// First period shown (2025-Q1, 2025-03, 2025 or a date) [default: 8 periods back]
    #[arg(long)]
    pub from: Option<String>,
    /// Last period shown [default: the running one]
    #[arg(long)]
    pub to: Option<String>,
    /// Only this programme's sessions (national view only)
    #[arg(long)]
    pub programme: Option<String>,
    #[command(flatten)]
    pub audience: AudienceArgs,
    /// Print JSON: every cell with its numbers and the tests behind each flag
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: one row per theme and period
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EscalationsArgs {
    #[command(subcommand)]
    pub action: Option<EscalationAction>,
    #[command(flatten)]
    pub audience: AudienceArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EscalationAction {
    /// Move a theme to another state of the lifecycle, saying why
    Set(EscalationSetArgs),
    /// The history of every change (or of one theme)
    History(EscalationHistoryArgs),
}

#[derive(Debug, Args)]
pub struct EscalationSetArgs {
    /// Theme id, e.g. docent_werkdruk
    pub theme: String,
    /// kandidaat, voorgesteld, geescaleerd, in_behandeling, opgelost, geparkeerd
    pub state: String,
    /// Why (kept in the history; personal data in it is anonymised)
    #[arg(long)]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct EscalationHistoryArgs {
    /// Only this theme
    pub theme: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvaluationsArgs {
    /// Period length [default: the rules' period, normally quarter]
    #[arg(long, value_enum)]
    pub period: Option<PeriodArg>,
    /// First period shown [default: 8 periods back]
    #[arg(long)]
    pub from: Option<String>,
    #[command(flatten)]
    pub audience: AudienceArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The period, e.g. 2026-Q3 [default: the latest complete one]. A running period gives a
    /// report marked partial, up to today
    #[arg(long)]
    pub period: Option<String>,
    /// One programme only [default: all programmes]
    #[arg(long)]
    pub programme: Option<String>,
    /// Whose version: programme leaders get the suppressed one (`--as-of` sets "today")
    #[command(flatten)]
    pub audience: AudienceArgs,
    /// Formats, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "pdf,html,md,csv,xlsx"
    )]
    pub format: Vec<crate::report::Format>,
    /// Folder the files are written to (created if missing)
    #[arg(long, default_value = "rapporten")]
    pub out: std::path::PathBuf,
    /// Language of the report
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Also keep the report in the store's archive (listed on the dashboard's Rapporten page)
    #[arg(long)]
    pub archive: bool,
    /// The generation time printed in the report (RFC 3339) [default: now]; the same data and
    /// time give byte-identical files
    #[arg(long, hide = true)]
    pub generated_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Dutch
    Nl,
    /// English
    En,
}

impl From<LangArg> for crate::report::document::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::Nl => crate::report::document::Lang::Nl,
            LangArg::En => crate::report::document::Lang::En,
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port)
    #[arg(long, default_value = "127.0.0.1:8080", env = "SIGNAALRADAR_ADDR")]
    pub addr: std::net::SocketAddr,
    /// Mark cookies Secure: use when the dashboard is reached over HTTPS (e.g. behind a proxy)
    #[arg(long, env = "SIGNAALRADAR_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Show the trends as of this date (YYYY-MM-DD) instead of today; records nothing
    #[arg(long)]
    pub as_of: Option<String>,
}
