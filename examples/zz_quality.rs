use dienhinh::search::scorer;
use dienhinh::search::static_index::StaticIndex;
use std::collections::{BTreeMap, HashMap};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let exact = StaticIndex::open(std::path::Path::new(&a[1])).unwrap();
    let new = StaticIndex::open(std::path::Path::new(&a[2])).unwrap();
    let qs: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&a[3]).unwrap()).unwrap();
    let f = BTreeMap::new();
    let (mut sum_ratio, mut n) = (0.0, 0);
    for q in qs {
        let q = q
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| q["q"].as_str().unwrap().to_string());
        let e = scorer::search_all(&exact, &q, &f);
        let by: HashMap<u32, u64> = e.hits.iter().map(|h| (h.doc, h.score)).collect();
        let r = scorer::search(&new, &q, &f);
        let best: u64 = e.hits.iter().take(10).map(|h| h.score).sum();
        let got: u64 = r
            .hits
            .iter()
            .take(10)
            .map(|h| by.get(&h.doc).copied().unwrap_or(0))
            .sum();
        let ratio = if best == 0 {
            1.0
        } else {
            got as f64 / best as f64
        };
        let tenth = e.hits.get(9).map_or(0, |h| h.score);
        let ties = e.hits.iter().filter(|h| h.score == tenth).count();
        println!(
            "{q:30} score kept {:.3}  exact top {:?} tenth {} (docs at that score: {ties})",
            ratio,
            e.hits.first().map(|h| h.score),
            tenth
        );
        sum_ratio += ratio;
        n += 1;
    }
    println!(
        "mean share of the exact first page's score: {:.4}",
        sum_ratio / n as f64
    );
}
