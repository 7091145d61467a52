//! Times the static search index's making alone, on a loaded site, so the
//! search stage can be profiled without the rest of a build (`perf record`
//! of this process is the stage and nothing else):
//!
//!     cargo run --release --example search_stage -- SITE_DIR [RUNS]
//!
//! With `WHOLE_STAGE=1`, each run is the stage as a build runs it instead
//! (`search::build`, timed whole). It keeps its counts in the site's
//! `.dienhinh/search-terms.bin` under its own program stamp, so the first
//! run analyses every document (a cold build's stage, unless an earlier
//! run of this example left the file) and each later run reads the counts
//! the run before remembered (a rebuild after no edit). Remove the file
//! for a cold figure each time.
//!
//! Each run makes the documents, gathers the postings (without the file of
//! remembered counts a build keeps) and writes the index's files in memory,
//! and prints the CPU time of each step, all threads.
use dienhinh::search::{document, postings, query, static_index};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// User and system CPU of the process so far, in milliseconds.
fn cpu_ms() -> u64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    ms(u.ru_utime) + ms(u.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: search_stage SITE_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(1)
        .map_or(3, |r| r.parse().expect("a number of runs"));
    let opts = dienhinh::build::BuildOptions::new(root);
    let Ok((site, _)) = dienhinh::pipeline::load_site(&opts) else {
        eprintln!("the site has errors: run `dienhinh check`");
        std::process::exit(1);
    };
    let labels = document::TypeLabels::for_site(&site);
    let synonyms = query::synonym_sets(&site.config.search.synonyms);
    if std::env::var_os("WHOLE_STAGE").is_some() {
        // The stage as a build runs it (`search::build`), under program
        // stamp 1: a build's own file of counts is not read, only replaced.
        for run in 1..=runs {
            let start = cpu_ms();
            let built =
                dienhinh::search::build(&site, &labels, 1, &|_: &str| false, &|_: &str| None, None);
            let files = built.map(|(files, _)| files.len()).unwrap_or(0);
            println!(
                "run {run}: whole stage {} ms CPU ({files} files)",
                cpu_ms() - start
            );
        }
        return;
    }
    for run in 1..=runs {
        let start = cpu_ms();
        let (docs, texts) = document::documents(&site, &labels);
        let documents = cpu_ms();
        let postings = postings::build(texts);
        let gathered = cpu_ms();
        let files = static_index::files_in(
            &site,
            &docs,
            postings,
            &synonyms,
            static_index::Layout::default(),
            &static_index::Gzip::default(),
        );
        let written = cpu_ms();
        println!(
            "run {run}: documents {} ms, postings {} ms, files {} ms ({} files, {} bytes), all {} ms CPU",
            documents - start,
            gathered - documents,
            written - gathered,
            files.len(),
            files.iter().map(|f| f.bytes.len()).sum::<usize>(),
            written - start
        );
    }
}
