//! Prints what one link-preview card costs (bench/cards.sh runs it):
//! drawing it, and reading it back from the cache.
//!
//! cargo run --release --example card_cost [N]

use std::time::Instant;

use dienhinh::cards::{Card, CardSpec};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let root = tempfile_dir();
    let cards: Vec<Card> = (0..n)
        .map(|i| {
            Card::new(
                &CardSpec {
                    kicker: "Lĩnh vực".into(),
                    title: format!("Xây dựng Đảng và hệ thống chính trị ở cơ sở số {i}"),
                    site_title: "Dân vận khéo — Mô hình, điển hình".into(),
                    organization: Some("Ban Dân vận Tỉnh ủy Hà Tĩnh".into()),
                },
                None,
            )
        })
        .collect();
    let started = Instant::now();
    let mut bytes = 0;
    for c in &cards {
        bytes += c.png(&root).expect("drawn").len();
    }
    let drawn = started.elapsed();
    let started = Instant::now();
    for c in &cards {
        c.png(&root).expect("cached");
    }
    let cached = started.elapsed();
    println!(
        "{n} cards: drawn {:.1} ms each ({} KB each on average), read from the cache {:.2} ms each",
        drawn.as_secs_f64() * 1000.0 / n as f64,
        bytes / n / 1024,
        cached.as_secs_f64() * 1000.0 / n as f64
    );
    let _ = std::fs::remove_dir_all(&root);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dienhinh-card-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}
