//! The `dienhinh` command line. All work happens in the library; this file
//! only parses arguments, calls it and prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use dienhinh::build::{self, BuildOptions, Unrefreshed};
use dienhinh::config::Config;
use dienhinh::core::Lang;
use dienhinh::diagnostic::{
    render_report_brief, render_report_in, summary_line_in, to_json, Diagnostic,
};
use dienhinh::new_doc::{DocKind, NewOptions};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dienhinh",
    version,
    about = "Trang tĩnh cho mô hình, điển hình “Dân vận khéo”"
)]
struct Cli {
    /// The site directory (default: the current directory).
    #[arg(long, short = 'C', global = true)]
    dir: Option<PathBuf>,
    /// Language of messages: vi or en (default: `language` in site.yaml).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// Print errors only.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail (counts, paths, timings).
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    /// A model (mô hình, điển hình), in content/mo-hinh/.
    Model,
    /// A ceremony (buổi tuyên dương), in content/tuyen-duong/.
    Ceremony,
}

/// The section `import` writes into.
#[derive(Clone, Copy, ValueEnum)]
enum SectionArg {
    /// Models: one per row (mô hình).
    #[value(name = "mo-hinh")]
    MoHinh,
    /// Ceremonies and conferences: one per row (tuyên dương).
    #[value(name = "tuyen-duong")]
    TuyenDuong,
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    /// Lĩnh vực.
    Field,
    /// Địa bàn (province as today).
    Place,
    /// Year of the document's date.
    Year,
    /// Form of the first recognition (hình thức khen thưởng).
    Award,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site (site.yaml, examples) in DIR.
    Init {
        /// Where to create it (default: the current directory, or -C).
        #[arg(id = "path", value_name = "DIR")]
        path: Option<PathBuf>,
        /// Write into a folder that is not empty: files of the same name are
        /// kept as `NAME.bak` before being replaced, and no example documents
        /// are added where content exists.
        #[arg(long)]
        force: bool,
        /// The address the site will be published at, e.g.
        /// https://danvan.example.gov.vn/ (asked on a terminal).
        #[arg(long)]
        base_url: Option<String>,
        /// The agency publishing the site, e.g. "Ban Dân vận Huyện ủy Tam
        /// Nông": shown in the header, footer, printouts and link previews
        /// (asked on a terminal).
        #[arg(long)]
        organization: Option<String>,
    },
    /// Create a new model or ceremony file with every field laid out.
    New {
        #[arg(value_enum)]
        what: NewKind,
        /// The title, as published, e.g. "Hũ gạo tình thương".
        title: String,
        /// Field (lĩnh vực) of a model, required: kinh-te, van-hoa-xa-hoi, …
        /// (asked for when run in a terminal).
        #[arg(long)]
        field: Option<String>,
        /// A model's kind, required (tap-the, ca-nhan, ho-gia-dinh; asked for
        /// when run in a terminal), or a ceremony's event type.
        #[arg(long)]
        kind: Option<String>,
        /// Place, coarse to fine, comma-separated: "Hải Dương, Thị xã Kinh Môn".
        #[arg(long)]
        place: Option<String>,
        /// Date, YYYY-MM-DD: the day a ceremony was held (required; asked for
        /// when run in a terminal), or a model's date (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Mark it as a draft (`draft: true`).
        #[arg(long)]
        draft: bool,
    },
    /// Build the site into public/.
    Build {
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Write somewhere other than public/.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Also write .gz and .br files beside text files (for nginx gzip_static/brotli_static).
        #[arg(long)]
        compress: bool,
        /// Move files in the output folder that dienhinh did not write into
        /// a backup folder beside it, instead of stopping.
        #[arg(long)]
        force: bool,
    },
    /// Check everything `build` does, plus internal links and editor lints; writes nothing.
    Check {
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// `json` prints the diagnostics as JSON on stdout, for tools.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Build into memory and serve on http://127.0.0.1:PORT/, reloading on changes.
    Serve {
        /// 0 picks a free port.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write a spreadsheet report (.xlsx): a models sheet, one sheet per
    /// ceremony with its honorees, and the counts of /thong-ke/; nothing
    /// `public: false` withholds.
    Export {
        /// The workbook to write, e.g. bao-cao.xlsx.
        file: PathBuf,
        /// Sort the models sheet by this and put its summary sheet first.
        #[arg(long, value_enum)]
        by: Option<ByArg>,
        /// Only the models matching KEY=VALUE (repeatable; all must hold):
        /// field, kind, level, status, organization, award, year, place,
        /// tag, e.g. --filter place="Cà Mau" --filter year=2024.
        #[arg(long, value_name = "KEY=VALUE")]
        filter: Vec<String>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Import an office's list of models, or with --section tuyen-duong of
    /// ceremonies (.xlsx, .xls, .ods, .csv): one Markdown file per row,
    /// never over an existing file; then the new files are checked.
    Import {
        /// The spreadsheet, e.g. danh-sach.xlsx.
        file: PathBuf,
        /// Only this sheet (default: every sheet with a header row).
        #[arg(long)]
        sheet: Option<String>,
        /// Columns placed by this mapping file (see --write-map).
        #[arg(long)]
        map: Option<PathBuf>,
        /// Write a draft mapping (to --map, or map.yaml) for the editor to
        /// correct, and import nothing.
        #[arg(long)]
        write_map: bool,
        /// Write nothing; print the files that would be written.
        #[arg(long)]
        dry_run: bool,
        /// Merge a row that matches an existing model (same title and
        /// place) into it, field by field, printing the changes first.
        #[arg(long)]
        update: bool,
        /// A value for every row: kind, field, status, level, place or
        /// public, e.g. --set kind=tap-the.
        #[arg(long, value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// What each row is: a model (default) or a ceremony, written to
        /// content/mo-hinh/ or content/tuyen-duong/.
        #[arg(long, value_enum, default_value = "mo-hinh")]
        section: SectionArg,
    },
    /// Search the index written by the last build.
    Search {
        query: String,
        /// Only this field (lĩnh vực): id, label or alias.
        #[arg(long)]
        field: Option<String>,
        /// Only this place, at any level (tỉnh, huyện, xã), by any of its
        /// names in the place register or as a slug: with its parts and the
        /// units merged into it.
        #[arg(long)]
        place: Option<String>,
        /// Only models recognised (or ceremonies held) in this year.
        #[arg(long)]
        year: Option<u16>,
        /// Only what was given this award (hình thức): id, label or alias.
        #[arg(long)]
        award: Option<String>,
        /// Only what this body awarded (cơ quan trao), as the pages write it.
        #[arg(long)]
        body: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON, for tools.
        #[arg(long)]
        json: bool,
    },
}

/// What to print besides errors.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn main() -> ExitCode {
    dienhinh::memory::release_soon();
    let cli = Cli::parse();
    let root = build::site_root(cli.dir.as_deref());
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let given_lang = cli.lang.map(|l| match l {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    });
    // Stage timings: asked for with --verbose, or by benchmarks through
    // DIENHINH_TIMINGS=1; the library is told, it reads no environment.
    dienhinh::core::timing::show(
        verbosity == Verbosity::Verbose
            || std::env::var_os("DIENHINH_TIMINGS").is_some_and(|v| v == "1"),
    );
    let out = Out {
        lang: given_lang.unwrap_or_else(|| site_lang(&root)),
        verbosity,
        color: std::io::stderr().is_terminal(),
    };
    let needs_site = !matches!(cli.command, Command::Init { .. } | Command::New { .. });
    if needs_site {
        if let Err(d) = build::require_site(&root) {
            return out.fail(&[d]);
        }
    }
    match cli.command {
        Command::Init {
            path,
            force,
            base_url,
            organization,
        } => run_init(
            &out,
            path.as_deref().unwrap_or(&root),
            force,
            base_url,
            organization,
        ),
        Command::New {
            what,
            title,
            field,
            kind,
            place,
            date,
            draft,
        } => {
            let opts = NewOptions {
                field,
                kind,
                place,
                date,
                draft,
            };
            let what = match what {
                NewKind::Model => DocKind::Model,
                NewKind::Ceremony => DocKind::Ceremony,
            };
            run_new(&out, &root, what, &title, &opts)
        }
        Command::Build {
            drafts,
            output,
            base_url,
            compress,
            force,
        } => {
            let mut opts = BuildOptions::new(&root);
            opts.drafts = drafts;
            opts.base_url = base_url;
            opts.compress = compress;
            if force {
                opts.strangers = dienhinh::output::Strangers::BackUp;
            }
            if let Some(o) = output {
                opts.output = o;
            }
            run_build(&out, &opts)
        }
        Command::Check {
            drafts,
            format,
            strict,
        } => {
            let mut opts = BuildOptions::new(&root);
            opts.drafts = drafts;
            run_check(&out, &opts, Some(out.lang), format, strict)
        }
        Command::Export {
            file,
            by,
            filter,
            force,
        } => {
            let by = by.map(|b| match b {
                ByArg::Field => dienhinh::sheet::workbook::By::Field,
                ByArg::Place => dienhinh::sheet::workbook::By::Place,
                ByArg::Year => dienhinh::sheet::workbook::By::Year,
                ByArg::Award => dienhinh::sheet::workbook::By::Award,
            });
            run_export(&out, &root, &file, by, &filter, force)
        }
        Command::Import {
            file,
            sheet,
            map,
            write_map,
            dry_run,
            update,
            set,
            section,
        } => {
            let opts = dienhinh::exchange::import::ImportOptions {
                file,
                sheet,
                map,
                write_map,
                dry_run,
                update,
                set,
                section: match section {
                    SectionArg::MoHinh => dienhinh::exchange::import::Section::Models,
                    SectionArg::TuyenDuong => dienhinh::exchange::import::Section::Ceremonies,
                },
            };
            run_import(&out, &root, &opts)
        }
        Command::Search {
            query,
            field,
            place,
            year,
            award,
            body,
            limit,
            json,
        } => {
            let args = dienhinh::search::cli::SearchArgs {
                query: &query,
                field: field.as_deref(),
                place: place.as_deref(),
                year,
                award: award.as_deref(),
                body: body.as_deref(),
                limit,
                json,
            };
            // The index follows the site as it is now; when it cannot, the
            // index as it last was is searched, and the search says so.
            if let Err(why) = dienhinh::build::refresh_search_index(&root) {
                let indexed = dienhinh::search::cli::indexed(&root);
                match why {
                    Unrefreshed::SiteErrors(_) if indexed => out.say(
                        "Trang đang có lỗi (chạy `dienhinh check` để xem): kết quả lấy từ chỉ mục của lần dựng hoặc lần tìm trước.",
                        "The site has errors now (run `dienhinh check` to see them): results come from the index of the last build or search.",
                    ),
                    Unrefreshed::SiteErrors(errors) => {
                        eprint!("{}", render_report_in(&errors, out.color, out.lang));
                        return ExitCode::FAILURE;
                    }
                    Unrefreshed::Unwritten(d) => {
                        eprint!("{}", render_report_in(&[d], out.color, out.lang));
                        if !indexed {
                            return ExitCode::FAILURE;
                        }
                        out.say(
                            "Kết quả lấy từ chỉ mục của lần dựng hoặc lần tìm trước.",
                            "Results come from the index of the last build or search.",
                        );
                    }
                }
            }
            match dienhinh::search::cli::run(&root, &args) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{}", render_report_in(&[d], out.color, out.lang));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            port,
            bind,
            drafts,
            open,
        } => {
            let opts = dienhinh::serve::ServeOptions {
                root,
                addr: format!("{bind}:{port}"),
                drafts,
                open,
                lang: Some(out.lang),
                color: out.color,
            };
            match dienhinh::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `1 model`, `2 models`, `1 ceremony`, `3 ceremonies` (Vietnamese has no
/// plural forms to choose from).
fn english_count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    match noun.strip_suffix('y') {
        Some(stem) => format!("{n} {stem}ies"),
        None => format!("{n} {noun}s"),
    }
}

/// How this run prints.
struct Out {
    lang: Lang,
    verbosity: Verbosity,
    color: bool,
}

impl Out {
    fn tr(&self, vi: &str, en: &str) -> String {
        match self.lang {
            Lang::Vi => vi.to_string(),
            Lang::En => en.to_string(),
        }
    }

    fn say(&self, vi: &str, en: &str) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{}", self.tr(vi, en));
        }
    }

    /// Prints diagnostics with the summary line; warnings only when not quiet.
    fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        let shown: Vec<Diagnostic> = if self.verbosity == Verbosity::Quiet {
            diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect()
        } else {
            diagnostics.to_vec()
        };
        if shown.is_empty() {
            return;
        }
        let report = if self.verbosity == Verbosity::Verbose {
            render_report_in(&shown, self.color, self.lang)
        } else {
            let see_all = dienhinh::tr!(
                "thêm `--verbose` để in hết, hoặc chạy `dienhinh check --format json`",
                "add `--verbose` to show them all, or run `dienhinh check --format json`"
            );
            render_report_brief(&shown, self.color, self.lang, &see_all)
        };
        eprint!("{report}");
    }

    fn fail(&self, diagnostics: &[Diagnostic]) -> ExitCode {
        self.diagnostics(diagnostics);
        if diagnostics.is_empty() {
            eprintln!("{}", summary_line_in(diagnostics, self.lang));
        }
        ExitCode::FAILURE
    }
}

/// The site's interface language, for messages when `--lang` is not given.
fn site_lang(root: &Path) -> Lang {
    Config::load(root).map_or(Lang::Vi, |c| c.lang)
}

fn run_init(
    out: &Out,
    dir: &Path,
    force: bool,
    base_url: Option<String>,
    organization: Option<String>,
) -> ExitCode {
    let terminal = std::io::stdin().is_terminal() && out.color;
    let base_url = match base_url {
        Some(url) => Some(url),
        None if terminal => match ask_base_url(out) {
            Ok(url) => url,
            Err(d) => return out.fail(&[d]),
        },
        None => None,
    };
    let organization = match organization {
        Some(name) => Some(name),
        None if terminal => ask_organization(out),
        None => None,
    };
    let opts = dienhinh::init::InitOptions {
        force,
        base_url,
        organization,
    };
    match dienhinh::init::init(dir, &opts) {
        Ok(report) => {
            for (file, kept) in &report.backed_up {
                out.say(
                    &format!(
                        "  thay {} (bản cũ giữ ở {})",
                        dienhinh::text::shown_path(file),
                        dienhinh::text::shown_path(kept)
                    ),
                    &format!(
                        "  replaced {} (the old one kept as {})",
                        dienhinh::text::shown_path(file),
                        dienhinh::text::shown_path(kept)
                    ),
                );
            }
            if out.verbosity == Verbosity::Verbose {
                for f in &report.written {
                    eprintln!("  + {}", dienhinh::text::shown_path(f));
                }
            }
            if report.examples_skipped {
                out.say(
                    "  Thư mục đã có nội dung: không thêm mô hình và buổi tuyên dương mẫu.",
                    "  The folder already has content: no example model or ceremony added.",
                );
            }
            let d = dienhinh::text::shown_path(dir);
            let next = dienhinh::init::FIRST_MODEL;
            out.say(
                &format!(
                    "Đã tạo trang mới trong {d}. Tiếp theo:\n  cd {d}\n  {next}\n  dienhinh serve"
                ),
                &format!("Created a new site in {d}. Next:\n  cd {d}\n  {next}\n  dienhinh serve"),
            );
            if !report.base_url_set {
                out.say(
                    "Địa chỉ trang (base_url) vẫn là http://localhost:1111/, chỉ dùng để xem thử: sửa trong site.yaml (hoặc `dienhinh init --base-url URL`) trước khi đưa trang lên mạng.",
                    "The site address (base_url) is still http://localhost:1111/, for previews only: set it in site.yaml (or `dienhinh init --base-url URL`) before publishing.",
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&[d]),
    }
}

/// Asks for the site's address on a terminal; Enter keeps the placeholder.
fn ask_base_url(out: &Out) -> Result<Option<String>, Diagnostic> {
    loop {
        eprint!(
            "{}",
            out.tr(
                "Địa chỉ trang khi đưa lên mạng, ví dụ https://danvan.tinh.gov.vn/ (Enter: để sau, dùng http://localhost:1111/): ",
                "The address the site will be published at, e.g. https://danvan.province.gov.vn/ (Enter: later, use http://localhost:1111/): ",
            )
        );
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).unwrap_or(0) == 0 {
            return Ok(None);
        }
        let line = line.trim();
        if line.is_empty() {
            return Ok(None);
        }
        match dienhinh::config::normalise_base_url(line) {
            Ok(url) => return Ok(Some(url)),
            Err(d) => eprintln!("{}", d.message.get(out.lang)),
        }
    }
}

/// Asks for the agency's name on a terminal; Enter leaves it for later.
fn ask_organization(out: &Out) -> Option<String> {
    eprint!(
        "{}",
        out.tr(
            "Tên cơ quan chủ quản, ví dụ Ban Dân vận Huyện ủy Tam Nông (Enter: để sau): ",
            "The agency publishing the site, e.g. Ban Dân vận Huyện ủy Tam Nông (Enter: later): ",
        )
    );
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    let name = dienhinh::vi::nfc(line.trim());
    (!name.is_empty()).then_some(name)
}

fn run_new(out: &Out, root: &Path, kind: DocKind, title: &str, opts: &NewOptions) -> ExitCode {
    // Questions only where someone can answer them and see them: on a
    // terminal. Otherwise (scripts, pipes) missing values are an error.
    let mut terminal = dienhinh::new_doc::Terminal { lang: out.lang };
    let ask: Option<&mut dyn dienhinh::new_doc::Ask> = (std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal())
    .then_some(&mut terminal);
    match dienhinh::new_doc::new_document(root, kind, title, opts, ask) {
        Ok(path) => {
            // The path alone on stdout, so scripts and editors can open it.
            println!("{}", path.display());
            out.say(
                "Đã tạo tệp; điền các trường trong phần đầu rồi chạy `dienhinh check`.",
                "Created; fill in the front matter, then run `dienhinh check`.",
            );
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&[d]),
    }
}

fn run_build(out: &Out, opts: &BuildOptions) -> ExitCode {
    // A bar on a terminal only; never with --quiet, nor with --verbose,
    // whose stage timings it would draw over.
    let progress = dienhinh::progress::Progress::start(
        out.color && out.verbosity == Verbosity::Normal,
        out.lang,
    );
    let mut opts = opts.clone();
    if let Some(p) = &progress {
        opts.progress = dienhinh::progress::Hook::new(p.clone());
    }
    let result = build::build(&opts);
    if let Some(p) = &progress {
        p.finish();
    }
    match result {
        Ok(report) => {
            out.diagnostics(&report.warnings);
            if let Some(b) = &report.backed_up {
                let n = b.entries.len();
                let folder = dienhinh::text::shown_path(&b.folder);
                out.say(
                    &format!(
                        "Đã chuyển {n} mục không do dienhinh ghi vào {folder} (không xóa gì)."
                    ),
                    &format!(
                        "Moved {n} entries dienhinh did not write into {folder} (nothing deleted)."
                    ),
                );
            }
            if !report.index_kept {
                out.say(
                    "Không thay được chỉ mục của `dienhinh search` trong .dienhinh/index; lệnh đó vẫn dùng chỉ mục cũ.",
                    "Could not replace `dienhinh search`'s index in .dienhinh/index; that command still uses the previous one.",
                );
            }
            let secs = report.elapsed.as_secs_f64();
            let mb = report.bytes as f64 / 1_000_000.0;
            let dest = dienhinh::text::shown_path(&opts.output);
            if report.unchanged {
                out.say(
                    &format!(
                        "Không có gì thay đổi kể từ lần dựng trước: {dest} giữ nguyên ({} trang, {} tệp, {mb:.1} MB); không ghi gì ({secs:.2} s).",
                        report.pages, report.files
                    ),
                    &format!(
                        "Nothing changed since the last build: {dest} is as it was ({}, {}, {mb:.1} MB); nothing written ({secs:.2} s).",
                        english_count(report.pages, "page"),
                        english_count(report.files, "file"),
                    ),
                );
                return ExitCode::SUCCESS;
            }
            out.say(
                &format!(
                    "Đã dựng {} trang ({} tệp, {mb:.1} MB) vào {dest} trong {:.2} s.",
                    report.pages, report.files, secs
                ),
                &format!(
                    "Built {} ({}, {mb:.1} MB) into {dest} in {:.2} s.",
                    english_count(report.pages, "page"),
                    english_count(report.files, "file"),
                    secs
                ),
            );
            ExitCode::SUCCESS
        }
        Err(f) => {
            out.fail(&f.diagnostics);
            let dest = dienhinh::text::shown_path(&opts.output);
            let (vi, en) = if opts.output.is_dir() {
                (
                    format!("Không dựng trang: hãy sửa các lỗi trên. Thư mục {dest} cũ được giữ nguyên."),
                    format!("Nothing was built: fix the errors above. The previous {dest} is unchanged."),
                )
            } else {
                (
                    format!("Không dựng trang: hãy sửa các lỗi trên. Chưa ghi gì vào {dest}."),
                    format!(
                        "Nothing was built: fix the errors above. Nothing was written to {dest}."
                    ),
                )
            };
            eprintln!("{}", out.tr(&vi, &en));
            ExitCode::FAILURE
        }
    }
}

fn run_check(
    out: &Out,
    opts: &BuildOptions,
    lang: Option<Lang>,
    format: Format,
    strict: bool,
) -> ExitCode {
    let started = std::time::Instant::now();
    let report = dienhinh::check::check(opts, lang);
    let (errors, warnings) = (report.errors(), report.warnings());
    let failed = errors > 0 || (strict && warnings > 0);
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "ok": !failed,
                "errors": errors,
                "warnings": warnings,
                "models": report.models,
                "ceremonies": report.ceremonies,
                "pages": report.pages,
                "diagnostics": report.diagnostics.iter().map(|d| to_json(d, report.lang)).collect::<Vec<_>>(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Text => {
            let out = Out {
                lang: report.lang,
                ..*out
            };
            out.diagnostics(&report.diagnostics);
            if report.diagnostics.is_empty() {
                out.say(
                    &summary_line_in(&[], out.lang),
                    &summary_line_in(&[], out.lang),
                );
            }
            let ms = started.elapsed().as_millis();
            out.say(
                &format!("Kiểm tra xong: {} mô hình, {} buổi tuyên dương, {} trang trong {ms} ms; không ghi tệp nào.", report.models, report.ceremonies, report.pages),
                &format!(
                    "Checked {}, {}, {} in {ms} ms; nothing was written.",
                    english_count(report.models, "model"),
                    english_count(report.ceremonies, "ceremony"),
                    english_count(report.pages, "page"),
                ),
            );
            if strict && errors == 0 && warnings > 0 {
                eprintln!(
                    "{}",
                    out.tr(
                        "--strict: các cảnh báo được tính là lỗi.",
                        "--strict: warnings count as errors.",
                    )
                );
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_export(
    out: &Out,
    root: &Path,
    file: &Path,
    by: Option<dienhinh::sheet::workbook::By>,
    filters: &[String],
    force: bool,
) -> ExitCode {
    match dienhinh::exchange::export::export(root, file, by, filters, force) {
        Ok(e) => {
            let f = dienhinh::text::shown_path(file);
            let kb = e.bytes.div_ceil(1000);
            out.say(
                &format!(
                    "Đã ghi {f} ({kb} kB): {} mô hình, {} buổi tuyên dương, {} trang tổng hợp.",
                    e.models, e.ceremonies, e.summaries
                ),
                &format!(
                    "Wrote {f} ({kb} kB): {}, {}, {} summary sheets.",
                    english_count(e.models, "model"),
                    english_count(e.ceremonies, "ceremony"),
                    e.summaries
                ),
            );
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d),
    }
}

fn run_import(
    out: &Out,
    root: &Path,
    opts: &dienhinh::exchange::import::ImportOptions,
) -> ExitCode {
    let mut report = match dienhinh::exchange::import::import(root, opts) {
        Ok(r) => r,
        Err(d) => return out.fail(&d),
    };
    // The changes to existing models first, before anything is written.
    for u in &report.updates {
        eprintln!("~ {}", u.file);
        for line in &u.diff {
            eprintln!("    {line}");
        }
    }
    if !opts.dry_run {
        if let Err(d) = dienhinh::exchange::import::apply(root, &mut report) {
            report.diagnostics.extend(d);
        }
    }
    out.diagnostics(&report.diagnostics);
    if let Some(map) = &report.map_written {
        let m = dienhinh::text::shown_path(map);
        let f = dienhinh::text::shown_path(&opts.file);
        println!("{m}");
        out.say(
            &format!("Đã ghi bản nháp ánh xạ cột {m}; sửa rồi chạy `dienhinh import {f} --map {m}`. Chưa nhập gì."),
            &format!("Wrote the draft column mapping {m}; correct it, then run `dienhinh import {f} --map {m}`. Nothing was imported."),
        );
        return ExitCode::SUCCESS;
    }
    let n = report.files.len();
    let dups = report.duplicates;
    if report.has_errors() && !report.written {
        eprintln!(
            "{}",
            out.tr(
                "Chưa nhập gì: hãy sửa các lỗi trên trong bảng tính rồi chạy lại.",
                "Nothing was imported: fix the errors above in the spreadsheet and run it again.",
            )
        );
        return ExitCode::FAILURE;
    }
    let u = report.updates.len();
    let dups = dups - u;
    if opts.dry_run {
        for (path, text) in &report.files {
            println!("==> {path}\n{text}");
        }
        out.say(
            &format!("--dry-run: sẽ ghi {n} tệp, cập nhật {u} tệp, bỏ qua {dups} dòng trùng; chưa ghi gì."),
            &format!(
                "--dry-run: would write {}, update {u}, skip {dups} duplicate rows; nothing was written.",
                english_count(n, "file")
            ),
        );
        return ExitCode::SUCCESS;
    }
    for (path, _) in &report.files {
        println!("{path}");
    }
    for up in &report.updates {
        println!("{}", up.file);
    }
    let (vi, en) = match opts.section {
        dienhinh::exchange::import::Section::Models => ("mô hình", "model"),
        dienhinh::exchange::import::Section::Ceremonies => ("buổi lễ", "ceremony"),
    };
    out.say(
        &format!("Đã nhập {n} {vi}, cập nhật {u} (bỏ qua {dups} dòng trùng); đã kiểm tra các tệp đã ghi."),
        &format!(
            "Imported {}, updated {u} ({dups} duplicate rows skipped); the files written were checked.",
            english_count(n, en)
        ),
    );
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
