//! Which preview card (src/cards.rs) each page names in `og:image`: one for
//! the site, one per field and one per province by default, one per
//! document without a photo when `share_cards: documents`. A page with no
//! card of its own takes the nearest: a model its field's, a ceremony its
//! province's, anything else the site's. Documents with a photo keep the
//! photo's 1200×630 crop (`Renderer::doc_meta`).

use std::collections::HashMap;

use crate::cards::{Card, CardSpec, Logo};
use crate::config::ShareCards;
use crate::core::Output;
use crate::site::Site;
use crate::taxonomy::Axis;
use crate::theme::Theme;

/// Every card the site publishes, and which pages name which.
pub(super) struct CardPlan {
    /// Site-relative path and card, in job order.
    pub cards: Vec<(String, Card)>,
    site: usize,
    models: HashMap<usize, usize>,
    ceremonies: HashMap<usize, usize>,
    /// Pages of a field or a place (and their statistics) by site path:
    /// the field's card, or the card of the province the place lies in.
    pages: HashMap<String, usize>,
}

impl CardPlan {
    pub fn new(site: &Site, theme: &Theme) -> CardPlan {
        let c = &site.config;
        let logo = c
            .logo
            .as_ref()
            .and_then(|l| Logo::read(&site.root.join("static").join(l)));
        let organization = c.organization.as_ref().map(|o| o.name.clone());
        let t = |key: &str| theme.strings.get(key).cloned().unwrap_or_default();
        let spec = |kicker: String, title: &str| CardSpec {
            kicker,
            title: title.to_string(),
            site_title: c.title.clone(),
            organization: organization.clone(),
        };
        let mut plan = CardPlan {
            cards: Vec::new(),
            site: 0,
            models: HashMap::new(),
            ceremonies: HashMap::new(),
            pages: HashMap::new(),
        };
        let mut add = |name: String, spec: CardSpec| -> usize {
            let card = Card::new(&spec, logo.as_ref());
            let path = crate::urls::share_card(&name, &card.key);
            plan.cards.push((path, card));
            plan.cards.len() - 1
        };
        let site_kicker = format!("{} · {}", t("models"), t("ceremonies"));
        let site_card = add("trang".into(), spec(site_kicker, &c.title));
        let tax = &site.taxonomies;
        let fields: HashMap<usize, usize> = tax
            .get(Axis::Field)
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| {
                let card = add(
                    format!("linh-vuc-{}", term.slug),
                    spec(t("field"), &term.label),
                );
                (i, card)
            })
            .collect();
        let provinces: HashMap<usize, usize> = tax
            .places
            .roots
            .iter()
            .map(|&r| {
                let node = &tax.places.nodes[r];
                let slug = node
                    .path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                (
                    r,
                    add(format!("dia-ban-{slug}"), spec(t("place"), &node.label)),
                )
            })
            .collect();
        let mut models = HashMap::new();
        let mut ceremonies = HashMap::new();
        if c.share_cards == ShareCards::Documents {
            for (i, m) in site.models.iter().enumerate() {
                if m.doc.images.is_empty() {
                    let card = add(
                        format!("mo-hinh-{}", m.doc.slug),
                        spec(t("models"), &m.doc.title),
                    );
                    models.insert(i, card);
                }
            }
            for (i, e) in site.ceremonies.iter().enumerate() {
                if e.doc.images.is_empty() {
                    let card = add(
                        format!("tuyen-duong-{}", e.doc.slug),
                        spec(t("ceremonies"), &e.doc.title),
                    );
                    ceremonies.insert(i, card);
                }
            }
        }
        // Documents without a card of their own: the field's, the province's.
        for (&term, &card) in &fields {
            for &m in &tax.get(Axis::Field).terms[term].models {
                models.entry(m).or_insert(card);
            }
        }
        // A ceremony placed before a merger is under both its old and its
        // new province: today's wins, in tree order, whatever the map's.
        let by_today = tax
            .places
            .current_roots()
            .chain(tax.places.roots.iter().copied());
        for root in by_today {
            for &e in &tax.places.nodes[root].ceremonies {
                ceremonies.entry(e).or_insert(provinces[&root]);
            }
        }
        let mut pages = HashMap::new();
        let field_tax = tax.get(Axis::Field);
        for (&term, &card) in &fields {
            let t = &field_tax.terms[term];
            pages.insert(field_tax.term_path(t), card);
            pages.insert(crate::urls::stats_of_field(&t.slug), card);
        }
        for (n, node) in tax.places.nodes.iter().enumerate() {
            let mut root = n;
            while let Some(parent) = tax.places.nodes[root].parent {
                root = parent;
            }
            if let Some(&card) = provinces.get(&root) {
                pages.insert(node.path.clone(), card);
                pages.insert(crate::urls::stats_of_place(&node.path), card);
            }
        }
        plan.site = site_card;
        plan.pages = pages;
        plan.models = models;
        plan.ceremonies = ceremonies;
        plan
    }

    /// How many cards [`CardPlan::new`] makes for `site`: the render plan
    /// counts its jobs before any renderer exists.
    pub fn count(site: &Site) -> usize {
        let tax = &site.taxonomies;
        let documents = if site.config.share_cards == ShareCards::Documents {
            site.models
                .iter()
                .filter(|m| m.doc.images.is_empty())
                .count()
                + site
                    .ceremonies
                    .iter()
                    .filter(|e| e.doc.images.is_empty())
                    .count()
        } else {
            0
        };
        1 + tax.get(Axis::Field).terms.len() + tax.places.roots.len() + documents
    }

    /// The card of the page at `path` (a list's later pages, `…/trang/2/`,
    /// take their first page's): a field's, a place's, else the site's.
    pub fn page(&self, path: &str) -> usize {
        let first = path.find("trang/").map_or(path, |i| &path[..i]);
        self.pages.get(first).copied().unwrap_or(self.site)
    }

    pub fn model(&self, i: usize) -> usize {
        self.models.get(&i).copied().unwrap_or(self.site)
    }

    pub fn ceremony(&self, i: usize) -> usize {
        self.ceremonies.get(&i).copied().unwrap_or(self.site)
    }

    /// The published card `i`: its path and PNG (read from the cache under
    /// the site root, or drawn).
    pub fn output(&self, root: &std::path::Path, i: usize) -> Result<Output, String> {
        let (path, card) = &self.cards[i];
        Ok(Output {
            path: path.clone(),
            bytes: card.png(root)?,
            html: false,
        })
    }
}
