//! Writes a site's static search index with another layout, to compare
//! layouts with `bench/search-plan.mjs` without rebuilding the site:
//!
//!     cargo run --release --example export_index -- SITE_DIR OUT_DIR \
//!         [TIER] [SHARD_POSTINGS]
//!
//! Defaults are those of `dienhinh build`. The files go to OUT_DIR/_search/
//! beside a copy of the client the site's last build published.
use dienhinh::search::{document, postings, query, static_index};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: export_index SITE_DIR OUT_DIR [TIER] [SHARD_POSTINGS]");
        std::process::exit(2);
    };
    let number = |i: usize, default: usize| {
        args.get(i)
            .map_or(default, |a| a.parse().expect("a number of postings"))
    };
    let layout = static_index::Layout {
        tier: number(2, static_index::TIER),
        shard_postings: number(3, static_index::SHARD_POSTINGS),
    };
    let opts = dienhinh::build::BuildOptions::new(root);
    let Ok((site, _)) = dienhinh::pipeline::load_site(&opts) else {
        eprintln!("the site has errors: run `dienhinh check`");
        std::process::exit(1);
    };
    let (docs, texts) = document::documents(
        &site,
        &dienhinh::search::document::TypeLabels::for_site(&site),
    );
    let synonyms = query::synonym_sets(&site.config.search.synonyms);
    let files = static_index::files_in(
        &site,
        &docs,
        postings::build(texts),
        &synonyms,
        layout,
        &static_index::Gzip::default(),
    );
    let dir = std::path::Path::new(out).join(static_index::DIR);
    std::fs::create_dir_all(&dir).expect("the output folder");
    let published = site.root.join("public").join(static_index::DIR);
    for entry in std::fs::read_dir(&published)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("search.") {
            std::fs::copy(entry.path(), dir.join(&name)).expect("copy the client");
        }
    }
    for f in &files {
        let path = std::path::Path::new(out).join(&f.path);
        std::fs::write(&path, &f.bytes).expect("write the index");
    }
    println!("{} files, {layout:?}", files.len());
}
