//! Times `serve`'s search index after a save: each round after the first
//! (cold) one edits one model's title, as an editor's save would:
//!
//!     cargo run --release --example preview_search -- SITE_DIR [ROUNDS]
//!
//! Prints the first (cold) index time and each following round's.
use std::time::Instant;

// As in the `dienhinh` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .expect("usage: preview_search SITE_DIR [ROUNDS]");
    let rounds: usize = args.next().map_or(3, |r| r.parse().expect("ROUNDS"));
    let opts = dienhinh::build::BuildOptions::new(&root);
    let Ok((mut site, _)) = dienhinh::pipeline::load_site(&opts) else {
        eprintln!("the site has errors: run `dienhinh check`");
        std::process::exit(1);
    };
    dienhinh::memory::keep_freed_pages(); // as `serve` does
    let mut preview = dienhinh::search::Preview::default();
    for round in 0..=rounds {
        if round > 0 {
            let n = site.models.len();
            let m = &mut site.models[round % n];
            m.doc.title.push_str(" (sửa lần hai)");
        }
        let t = Instant::now();
        let files = preview.build(
            &site,
            &dienhinh::search::document::TypeLabels::for_site(&site),
        );
        println!(
            "{} {:.0} ms, {} files, {} documents analysed",
            if round == 0 { "cold" } else { "warm" },
            t.elapsed().as_secs_f64() * 1e3,
            files.len(),
            preview.analysed()
        );
    }
}
