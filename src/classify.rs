//! Puts each linked document under its taxonomy terms and places: builds
//! the [`Taxonomies`] and the place tree that pages read (`src/taxonomy.rs`),
//! uniting the spellings of a place and following 2025's mergers through
//! the place register of `site.yaml`.

use std::collections::{BTreeMap, HashMap};

use crate::config::{Config, PlaceEntry};
use crate::site::{Ceremony, Model};
use crate::taxonomy::{Axis, PlaceNode, PlaceTree, Taxonomies, Taxonomy, Term};
use crate::vi::{fold, slugify, sort_key};

pub fn build(config: &Config, models: &[Model], ceremonies: &[Ceremony]) -> Taxonomies {
    let mut list = Vec::new();
    let mut tags = TagSlugs::default();
    for axis in Axis::ALL {
        let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
        for (i, m) in models.iter().enumerate() {
            for (slug, label) in model_terms(config, m, axis, &mut tags) {
                let t = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                    slug,
                    label,
                    ..Term::default()
                });
                if t.models.last() != Some(&i) {
                    t.models.push(i);
                }
            }
        }
        for (i, c) in ceremonies.iter().enumerate() {
            for (slug, label) in ceremony_terms(config, c, axis, &mut tags) {
                let t = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                    slug,
                    label,
                    ..Term::default()
                });
                if t.ceremonies.last() != Some(&i) {
                    t.ceremonies.push(i);
                }
            }
        }
        list.push(Taxonomy {
            axis,
            terms: order_terms(config, axis, by_slug),
        });
    }
    Taxonomies {
        list,
        places: places(config, models, ceremonies),
    }
}

fn vocab_term(v: &crate::vocab::Vocabulary, id: crate::vocab::TermId) -> (String, String) {
    let t = v.term(id);
    (t.id.clone(), t.label.clone())
}

/// (slug, label) of every term a model belongs to on `axis`.
fn model_terms(
    config: &Config,
    m: &Model,
    axis: Axis,
    tags: &mut TagSlugs,
) -> Vec<(String, String)> {
    let v = &config.vocab;
    let keys = match axis {
        Axis::Field => vec![vocab_term(&v.fields, m.field)],
        Axis::Kind => vec![vocab_term(&v.kinds, m.kind)],
        Axis::Level => m
            .recognitions
            .iter()
            .map(|r| vocab_term(&v.levels, r.level))
            .collect(),
        Axis::Status => current_status(m)
            .map(|s| vocab_term(&v.statuses, s))
            .into_iter()
            .collect(),
        Axis::Organization => m
            .organizations
            .iter()
            .map(|o| vocab_term(&v.organizations, *o))
            .collect(),
        Axis::Tag => tags.terms(&m.doc.tags),
        Axis::Year => model_years(m)
            .into_iter()
            .map(|y| (y.to_string(), y.to_string()))
            .collect(),
    };
    dedup(keys)
}

fn ceremony_terms(
    config: &Config,
    c: &Ceremony,
    axis: Axis,
    tags: &mut TagSlugs,
) -> Vec<(String, String)> {
    let v = &config.vocab;
    let keys = match axis {
        Axis::Level => c
            .level
            .map(|l| vocab_term(&v.levels, l))
            .into_iter()
            .collect(),
        Axis::Tag => tags.terms(&c.doc.tags),
        Axis::Year => c
            .doc
            .date
            .map(|d| (d.year.to_string(), d.year.to_string()))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    dedup(keys)
}

fn dedup(mut keys: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    keys.retain(|(s, _)| seen.insert(s.clone()));
    keys
}

/// Each tag's slug, made once: a site has few tags on many documents (31
/// on the 10,000 models of the peers' corpus), and making a slug folds,
/// transliterates and allocates.
#[derive(Default)]
struct TagSlugs(std::collections::HashMap<String, String>);

impl TagSlugs {
    /// (slug, label) of each of `tags` that has a slug.
    fn terms(&mut self, tags: &[String]) -> Vec<(String, String)> {
        tags.iter()
            .map(|t| {
                let slug = match self.0.get(t) {
                    Some(slug) => slug.clone(),
                    None => {
                        let slug = slugify(t);
                        self.0.insert(t.clone(), slug.clone());
                        slug
                    }
                };
                (slug, t.clone())
            })
            .filter(|(s, _)| !s.is_empty())
            .collect()
    }
}

/// The status a model is in now: `status`, else the last of its history.
pub fn current_status(m: &Model) -> Option<crate::vocab::TermId> {
    m.status
        .or_else(|| m.history.iter().max_by_key(|(_, d)| *d).map(|(s, _)| *s))
}

/// The schema (README.md): the years of a model's recognitions, else of its `date`.
pub fn model_years(m: &Model) -> Vec<i32> {
    let mut years: Vec<i32> = m.recognitions.iter().map(|r| r.year).collect();
    if years.is_empty() {
        years.extend(m.doc.date.map(|d| i32::from(d.year)));
    }
    years.sort_unstable();
    years.dedup();
    years
}

fn order_terms(config: &Config, axis: Axis, by_slug: BTreeMap<String, Term>) -> Vec<Term> {
    let v = &config.vocab;
    let vocab = match axis {
        Axis::Field => Some(&v.fields),
        Axis::Kind => Some(&v.kinds),
        Axis::Level => Some(&v.levels),
        Axis::Status => Some(&v.statuses),
        Axis::Organization => Some(&v.organizations),
        Axis::Tag | Axis::Year => None,
    };
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    match (vocab, axis) {
        (Some(vocab), _) => {
            let order: HashMap<&str, usize> =
                vocab.ids().enumerate().map(|(i, id)| (id, i)).collect();
            terms.sort_by_key(|t| order.get(t.slug.as_str()).copied().unwrap_or(usize::MAX));
        }
        (None, Axis::Year) => terms.sort_by(|a, b| b.slug.cmp(&a.slug)),
        // Tags: most used first, then in Vietnamese order (“Đ” after “D”).
        (None, _) => {
            terms.sort_by_cached_key(|t| (std::cmp::Reverse(t.count()), sort_key(&t.label)))
        }
    }
    terms
}

/// The place register, indexed by folded spelling.
struct Register<'a> {
    entries: &'a [PlaceEntry],
    by_name: HashMap<String, usize>,
    by_id: HashMap<&'a str, usize>,
    /// Spellings met so far and what they are: a site names the same
    /// provinces and districts thousands of times, and folding is slow.
    met: std::cell::RefCell<HashMap<String, Option<usize>>>,
}

impl<'a> Register<'a> {
    fn new(entries: &'a [PlaceEntry]) -> Self {
        let mut by_name = HashMap::new();
        let mut by_id = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_id.insert(e.id.as_str(), i);
            for name in e.aliases.iter().chain([&e.label, &e.id]) {
                by_name.insert(fold(name), i);
            }
        }
        Self {
            entries,
            by_name,
            by_id,
            met: Default::default(),
        }
    }

    /// The entry a spelling names, by its position in the register.
    fn find(&self, name: &str) -> Option<usize> {
        let mut met = self.met.borrow_mut();
        match met.get(name) {
            Some(&i) => i,
            None => {
                let i = self.by_name.get(&fold(name)).copied();
                met.insert(name.to_string(), i);
                i
            }
        }
    }

    fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The chain of registered units from the root down to entry `e`.
    fn lineage(&self, e: usize) -> Vec<usize> {
        let mut chain = vec![e];
        let mut cur = e;
        while let Some(p) = self.entries[cur]
            .parent
            .as_deref()
            .and_then(|id| self.by_id(id))
        {
            if chain.len() > 8 || chain.contains(&p) {
                break; // a cycle in the register; stop rather than loop
            }
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// A registered unit as a level of a path.
    fn level(&self, e: usize) -> Level {
        let entry = &self.entries[e];
        Level {
            label: entry.label.clone(),
            kind: entry.kind.clone(),
            entry: Some(e),
        }
    }
}

/// One level of a place path, spelled canonically: its label, its type,
/// and its entry in the register, if any.
#[derive(Clone, PartialEq)]
struct Level {
    label: String,
    kind: Option<String>,
    entry: Option<usize>,
}

impl Level {
    /// A level the register does not know, as written.
    fn unregistered(label: &str) -> Level {
        Level {
            label: label.to_string(),
            kind: None,
            entry: None,
        }
    }
}

type Path = Vec<Level>;

/// The published path with spellings united through the register.
fn published_path(reg: &Register, place: &[String]) -> Path {
    place
        .iter()
        .map(|p| match reg.find(p) {
            Some(e) => reg.level(e),
            None => Level::unregistered(p),
        })
        .collect()
}

/// The same place in today's units: a level merged into a successor is
/// replaced by the successor and its registered ancestors.
fn current_path(reg: &Register, place: &[String]) -> Path {
    let mut path: Path = Vec::new();
    for p in place {
        let Some(e) = reg.find(p) else {
            path.push(Level::unregistered(p));
            continue;
        };
        match reg.entries[e]
            .successor
            .as_deref()
            .and_then(|id| reg.by_id(id))
        {
            Some(succ) => {
                path = reg
                    .lineage(succ)
                    .into_iter()
                    .map(|u| reg.level(u))
                    .collect();
            }
            None => path.push(reg.level(e)),
        }
    }
    path
}

fn places(config: &Config, models: &[Model], ceremonies: &[Ceremony]) -> PlaceTree {
    let reg = Register::new(&config.places);
    let mut tree = PlaceTree::default();
    let mut index = NodeIndex::default();
    let places = models
        .iter()
        .enumerate()
        .map(|(i, m)| (true, i, &m.place))
        .chain(
            ceremonies
                .iter()
                .enumerate()
                .map(|(i, c)| (false, i, &c.place)),
        );
    // Most documents share their place with others: its paths are worked
    // out once.
    let places: Vec<(bool, usize, &Vec<String>)> =
        places.filter(|(_, _, place)| !place.is_empty()).collect();
    let mut paths: HashMap<&[String], (Path, Path)> = HashMap::new();
    for (_, _, place) in &places {
        paths
            .entry(place.as_slice())
            .or_insert_with(|| (published_path(&reg, place), current_path(&reg, place)));
    }
    for (is_model, i, place) in places {
        let (published, current) = &paths[place.as_slice()];
        let mut last_published = None;
        for (path, is_current) in [(published, false), (current, true)] {
            let mut parent: Option<usize> = None;
            for (depth, level) in path.iter().enumerate() {
                let node = tree.node(&mut index, parent, level, depth);
                let list = if is_model {
                    &mut tree.nodes[node].models
                } else {
                    &mut tree.nodes[node].ceremonies
                };
                if list.last() != Some(&i) {
                    list.push(i);
                }
                parent = Some(node);
            }
            if !is_current {
                last_published = parent;
            } else if let (Some(old), Some(new)) = (last_published, parent) {
                if old != new && path != published {
                    tree.link_successor(old, new);
                }
            }
        }
    }
    for n in &mut tree.nodes {
        n.models.sort_unstable();
        n.models.dedup();
        n.ceremonies.sort_unstable();
        n.ceremonies.dedup();
    }
    // Ordered by the register's names; the type is added after, where
    // two units share one.
    tree.sort_children();
    tree.name_types_where_names_clash();
    tree
}

/// Place nodes by path (spellings of one unit share a slug, so a node),
/// and by parent and label as written, found again without making the
/// slug and path (a site names the same places thousands of times).
#[derive(Default)]
struct NodeIndex<'a> {
    by_path: HashMap<String, usize>,
    by_label: HashMap<(Option<usize>, &'a str), usize>,
}

impl PlaceTree {
    fn node<'a>(
        &mut self,
        index: &mut NodeIndex<'a>,
        parent: Option<usize>,
        level: &'a Level,
        depth: usize,
    ) -> usize {
        let label = level.label.as_str();
        if let Some(&n) = index.by_label.get(&(parent, label)) {
            self.fill_register(n, level);
            return n;
        }
        let parent_path = parent.map_or_else(
            || crate::urls::PLACES.to_string(),
            |p| self.nodes[p].path.clone(),
        );
        let slug = match slugify(label) {
            s if s.is_empty() => "khac".to_string(),
            s => s,
        };
        let path = format!("{parent_path}{slug}/");
        let n = match index.by_path.get(&path) {
            Some(&n) => {
                self.fill_register(n, level);
                n
            }
            None => {
                let n = self.nodes.len();
                self.nodes.push(PlaceNode {
                    label: label.to_string(),
                    path: path.clone(),
                    kind: level.kind.clone(),
                    entry: level.entry,
                    depth,
                    parent,
                    children: Vec::new(),
                    models: Vec::new(),
                    ceremonies: Vec::new(),
                    successor: None,
                    predecessors: Vec::new(),
                });
                index.by_path.insert(path, n);
                match parent {
                    Some(p) => self.nodes[p].children.push(n),
                    None => self.roots.push(n),
                }
                n
            }
        };
        index.by_label.insert((parent, label), n);
        n
    }

    /// A unit's kind and register entry, from the first spelling that
    /// says them.
    fn fill_register(&mut self, n: usize, level: &Level) {
        let node = &mut self.nodes[n];
        if node.kind.is_none() {
            node.kind = level.kind.clone();
        }
        if node.entry.is_none() {
            node.entry = level.entry;
        }
    }

    fn link_successor(&mut self, old: usize, new: usize) {
        // Mark the merged unit and every ancestor that differs.
        let (mut o, mut n) = (Some(old), Some(new));
        while let (Some(a), Some(b)) = (o, n) {
            if a == b {
                break;
            }
            if self.nodes[a].successor.is_none() {
                self.nodes[a].successor = Some(b);
                self.nodes[b].predecessors.push(a);
            }
            o = self.nodes[a].parent;
            n = self.nodes[b].parent;
        }
    }

    fn sort_children(&mut self) {
        // Vietnamese order, numbers by value: “Quận 2” before “Quận 10”.
        let labels: Vec<Vec<u32>> = self.nodes.iter().map(|n| sort_key(&n.label)).collect();
        let by_label = |a: &usize, b: &usize| labels[*a].cmp(&labels[*b]);
        self.roots.sort_by(by_label);
        for n in &mut self.nodes {
            n.children.sort_by(by_label);
            n.predecessors.sort_by(by_label);
            n.predecessors.dedup();
        }
    }
}
