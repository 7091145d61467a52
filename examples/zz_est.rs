use dienhinh::search::static_index::StaticIndex;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
fn gz(b: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap().len()
}
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}
fn gaps(d: &[u32]) -> Vec<u8> {
    let mut o = Vec::new();
    let mut p = 0;
    for &x in d {
        put(&mut o, (x - p) as u64);
        p = x;
    }
    o
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let ix = StaticIndex::open(std::path::Path::new(&a[1])).unwrap();
    let tier: usize = a[3].parse().unwrap();
    let n = ix.manifest.docs as u32;
    let qs: Vec<String> = serde_json::from_str(&std::fs::read_to_string(&a[2]).unwrap()).unwrap();
    let mut cache: HashMap<String, Vec<(u32, u8)>> = HashMap::new();
    let mut get = |t: &str| -> Vec<(u32, u8)> {
        cache
            .entry(t.to_string())
            .or_insert_with(|| ix.postings(t))
            .clone()
    };
    let (mut ta, mut tb, mut tc) = (0, 0, 0);
    for q in &qs {
        let query = dienhinh::search::query::parse(q, &ix.manifest.synonyms);
        let (mut a_, mut b_, mut c_) = (0usize, 0usize, 0usize);
        for t in query.terms() {
            let all = get(&t);
            let mut by = all.clone();
            by.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let k = tier.min(by.len());
            let mut first: Vec<(u32, u8)> = by[..k].to_vec();
            first.sort();
            let mut fb = gaps(&first.iter().map(|p| p.0).collect::<Vec<_>>());
            fb.extend(first.iter().map(|p| p.1));
            let first_b = gz(&fb);
            let docs: BTreeSet<u32> = all.iter().map(|p| p.0).collect();
            let fs: BTreeSet<u32> = first.iter().map(|p| p.0).collect();
            let rest: Vec<u32> = docs.difference(&fs).copied().collect();
            let mem = if rest.is_empty() {
                0
            } else {
                let comp: Vec<u32> = (0..n).filter(|d| !docs.contains(d)).collect();
                gz(&gaps(&rest)).min(gz(&gaps(&comp)))
            };
            // B: relative to a base: exact -> folded word; pair -> intersection of its words
            let base: Option<BTreeSet<u32>> = if let Some(e) = t.strip_prefix('=') {
                let f = dienhinh::search::analyze::fold_word(e);
                Some(get(&f).iter().map(|p| p.0).collect())
            } else if let Some((x, y)) = t.split_once(' ') {
                let dx: BTreeSet<u32> = get(x).iter().map(|p| p.0).collect();
                let dy: BTreeSet<u32> = get(y).iter().map(|p| p.0).collect();
                Some(dx.intersection(&dy).copied().collect())
            } else {
                None
            };
            let rel = match (&base, rest.is_empty()) {
                (Some(b), false) => {
                    let ex: Vec<u32> = b.difference(&docs).copied().collect();
                    gz(&gaps(&ex)).min(mem)
                }
                _ => mem,
            };
            a_ += first_b + mem;
            b_ += first_b + rel;
            // C: B, and exact terms without rest at all
            c_ += first_b + if t.starts_with('=') { 0 } else { rel };
        }
        println!("{q:55} A {a_:6} B {b_:6} C {c_:6}");
        ta += a_;
        tb += b_;
        tc += c_;
    }
    println!("total A {ta} B {tb} C {tc}");
}
