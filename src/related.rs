//! "Related models" at the foot of each model page: same field and place,
//! shared tags.
//!
//! Comparing every pair of models would be quadratic, so candidates come
//! from buckets (one per tag, one per field and province), and within a
//! bucket only the neighbours nearest in site order are looked at. The cost
//! stays linear in the number of models whatever the bucket sizes.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::site::{Model, Related, RELATED_SHOWN};
use crate::vi::{fold, slugify};

/// How many neighbours on each side of a model are considered per bucket.
const WINDOW: usize = 12;

pub fn related(models: &[Model]) -> Vec<Related> {
    let keys: Vec<Vec<String>> = models.par_iter().map(bucket_keys).collect();
    let mut buckets: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for k in ks {
            buckets.entry(k.as_str()).or_default().push(i);
        }
    }
    (0..models.len())
        .into_par_iter()
        .map(|i| {
            let mut scores: HashMap<usize, u32> = HashMap::new();
            for k in &keys[i] {
                let list = &buckets[k.as_str()];
                let pos = list.binary_search(&i).unwrap_or(0);
                let lo = pos.saturating_sub(WINDOW);
                let hi = (pos + WINDOW + 1).min(list.len());
                for &j in &list[lo..hi] {
                    if j != i {
                        *scores.entry(j).or_default() += weight(k);
                    }
                }
            }
            let mut ranked: Vec<(usize, u32)> = scores.into_iter().collect();
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

fn bucket_keys(m: &Model) -> Vec<String> {
    let mut keys: Vec<String> = m
        .doc
        .tags
        .iter()
        .map(|t| format!("t:{}", slugify(t)))
        .collect();
    let field = format!("{:?}", m.field);
    if let Some(province) = m.place.first() {
        keys.push(format!("p:{}:{}", field, fold(province)));
        if let Some(district) = m.place.get(1) {
            keys.push(format!("d:{}:{}", fold(province), fold(district)));
        }
    } else {
        keys.push(format!("f:{field}"));
    }
    keys.sort();
    keys.dedup();
    keys
}

fn weight(key: &str) -> u32 {
    match key.as_bytes().first() {
        Some(b't') => 2,
        Some(b'p') => 3,
        Some(b'd') => 2,
        _ => 1,
    }
}
