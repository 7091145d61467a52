//! The `dienhinh` command line. All work happens in the library; this file
//! only parses arguments, calls it and prints.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dienhinh::build::{self, BuildOptions};
use dienhinh::diagnostic::{render_report, summary_line, Diagnostic};

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    },
    /// Check every file as `build` does, writing nothing.
    Check {
        #[arg(long)]
        drafts: bool,
    },
    /// Build, then serve the site on http://127.0.0.1:PORT/.
    Serve {
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = build::site_root(cli.dir.as_deref());
    match cli.command {
        Command::Build {
            drafts,
            output,
            base_url,
        } => {
            let mut opts = BuildOptions::new(&root);
            opts.drafts = drafts;
            opts.base_url = base_url;
            if let Some(o) = output {
                opts.output = o;
            }
            run_build(&opts)
        }
        Command::Check { drafts } => {
            let mut opts = BuildOptions::new(&root);
            opts.drafts = drafts;
            match build::load_site(&opts) {
                Ok((site, warnings)) => {
                    print_diagnostics(&warnings);
                    eprintln!(
                        "Kiểm tra xong: {} mô hình, {} buổi tuyên dương, {} trang.",
                        site.models.len(),
                        site.ceremonies.len(),
                        site.pages.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => fail(&f.diagnostics),
            }
        }
        Command::Serve { port, bind, drafts } => {
            let addr = format!("{bind}:{port}");
            let mut opts = BuildOptions::new(&root);
            opts.drafts = drafts;
            opts.base_url = Some(format!("http://{addr}/"));
            opts.output = root.join(".dienhinh").join("serve");
            let code = run_build(&opts);
            if code != ExitCode::SUCCESS {
                return code;
            }
            eprintln!("Đang phục vụ tại http://{addr}/ (Ctrl+C để dừng)");
            match dienhinh::serve::serve(&opts.output, &addr) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("không mở được {addr}: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn run_build(opts: &BuildOptions) -> ExitCode {
    match build::build(opts) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            eprintln!(
                "Đã dựng {} trang ({} tệp, {:.1} MB) vào {} trong {} ms.",
                report.pages,
                report.files,
                report.bytes as f64 / 1_000_000.0,
                opts.output.display(),
                report.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(f) => fail(&f.diagnostics),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    if !diagnostics.is_empty() {
        eprint!(
            "{}",
            render_report(diagnostics, std::io::stderr().is_terminal())
        );
    }
}

fn fail(diagnostics: &[Diagnostic]) -> ExitCode {
    print_diagnostics(diagnostics);
    if diagnostics.is_empty() {
        eprintln!("{}", summary_line(diagnostics));
    }
    eprintln!("Không dựng trang: hãy sửa các lỗi trên. Thư mục public/ cũ được giữ nguyên.");
    ExitCode::FAILURE
}
