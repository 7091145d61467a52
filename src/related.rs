//! "Related models" at the foot of each model page: same field and place,
//! shared tags.
//!
//! Comparing every pair of models would be quadratic, so candidates come
//! from buckets (one per tag, one per field and province), and within a
//! bucket only the neighbours nearest in site order are looked at. The cost
//! stays linear in the number of models whatever the bucket sizes.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::site::{Model, Related, RELATED_SHOWN};
use crate::vi::{fold, slugify};

/// How many neighbours on each side of a model are considered per bucket.
const WINDOW: usize = 12;

pub fn related(models: &[Model]) -> Vec<Related> {
    let (keys, weights) = bucket_keys(models);
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); weights.len()];
    for (i, ks) in keys.iter().enumerate() {
        for &k in ks {
            buckets[k as usize].push(i);
        }
    }
    (0..models.len())
        .into_par_iter()
        .map(|i| {
            // Each neighbour once per bucket it shares, then summed: a
            // few dozen, sorted, where a hash map per model was a third
            // of the stage.
            let mut met: Vec<(usize, u32)> = Vec::new();
            for &k in &keys[i] {
                let list = &buckets[k as usize];
                let pos = list.binary_search(&i).unwrap_or(0);
                let lo = pos.saturating_sub(WINDOW);
                let hi = (pos + WINDOW + 1).min(list.len());
                met.extend(
                    list[lo..hi]
                        .iter()
                        .filter(|&&j| j != i)
                        .map(|&j| (j, weights[k as usize])),
                );
            }
            met.sort_unstable_by_key(|&(j, _)| j);
            let mut ranked: Vec<(usize, u32)> = met
                .chunk_by(|a, b| a.0 == b.0)
                .map(|run| (run[0].0, run.iter().map(|&(_, w)| w).sum()))
                .collect();
            // Best score first; ties by site order (newest first) so the
            // result never depends on hash order.
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .take(RELATED_SHOWN)
                .map(|(j, _)| j)
                .collect()
        })
        .collect()
}

/// Each model's buckets, by number, distinct and sorted, with each
/// bucket's weight: a bucket per tag (`t:`), per field and province
/// (`p:`), per province and district (`d:`), and per field for models
/// with no place (`f:`). Each distinct tag's slug and place's folded name
/// is made once (a site has a few hundred, and every model names several).
fn bucket_keys(models: &[Model]) -> (Vec<Vec<u32>>, Vec<u32>) {
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut weights = Vec::new();
    let mut slugs: FxHashMap<&str, String> = FxHashMap::default();
    let mut folded: FxHashMap<&str, String> = FxHashMap::default();
    let mut id = |key: String| {
        let next = weights.len() as u32;
        *ids.entry(key).or_insert_with_key(|k| {
            weights.push(weight(k));
            next
        })
    };
    let keys = models
        .iter()
        .map(|m| {
            let mut keys: Vec<u32> = Vec::with_capacity(m.doc.tags.len() + 2);
            for t in &m.doc.tags {
                let slug = slugs.entry(t.as_str()).or_insert_with(|| slugify(t));
                keys.push(id(format!("t:{slug}")));
            }
            let field = format!("{:?}", m.field);
            if let Some(province) = m.place.first() {
                let province = folded
                    .entry(province.as_str())
                    .or_insert_with(|| fold(province))
                    .clone();
                keys.push(id(format!("p:{field}:{province}")));
                if let Some(district) = m.place.get(1) {
                    let district = folded
                        .entry(district.as_str())
                        .or_insert_with(|| fold(district));
                    keys.push(id(format!("d:{province}:{district}")));
                }
            } else {
                keys.push(id(format!("f:{field}")));
            }
            keys.sort_unstable();
            keys.dedup();
            keys
        })
        .collect();
    (keys, weights)
}

fn weight(key: &str) -> u32 {
    match key.as_bytes().first() {
        Some(b't') => 2,
        Some(b'p') => 3,
        Some(b'd') => 2,
        _ => 1,
    }
}
