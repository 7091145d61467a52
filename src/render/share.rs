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

/// What a card is about. [`subjects`] lists them once, in job order, for
/// both the render plan's count and the cards themselves.
#[derive(Clone, Copy)]
enum Subject {
    Site,
    /// Index into the field taxonomy's terms.
    Field(usize),
    /// A place-tree root.
    Province(usize),
    Model(usize),
    Ceremony(usize),
}

/// Every card's subject: the site, each field, each province, and with
/// `share_cards: documents` each model and ceremony without a photo.
fn subjects(site: &Site) -> impl Iterator<Item = Subject> + '_ {
    let tax = &site.taxonomies;
    let documents = site.config.share_cards == ShareCards::Documents;
    let no_photo = move |doc: &crate::site::Doc| documents && doc.images.is_empty();
    std::iter::once(Subject::Site)
        .chain((0..tax.get(Axis::Field).terms.len()).map(Subject::Field))
        .chain(tax.places.roots.iter().map(|&r| Subject::Province(r)))
        .chain(
            (0..site.models.len())
                .filter(move |&i| no_photo(&site.models[i].doc))
                .map(Subject::Model),
        )
        .chain(
            (0..site.ceremonies.len())
                .filter(move |&i| no_photo(&site.ceremonies[i].doc))
                .map(Subject::Ceremony),
        )
}

/// The site's card: [`subjects`] lists it first.
const SITE: usize = 0;

/// Every card the site publishes, and which pages name which (indexes
/// into `cards`).
pub(super) struct CardPlan {
    /// Site-relative path and card, in job order.
    pub cards: Vec<(String, Card)>,
    /// By model, by ceremony.
    models: Vec<usize>,
    ceremonies: Vec<usize>,
    /// Pages of a field or a place (and their statistics) by site path:
    /// the field's card, or the card of the province the place lies in.
    pages: HashMap<String, usize>,
}

impl CardPlan {
    pub fn new(site: &Site, theme: &Theme) -> CardPlan {
        let c = &site.config;
        let tax = &site.taxonomies;
        let fields = tax.get(Axis::Field);
        let logo = c
            .logo
            .as_ref()
            .and_then(|l| Logo::read(&site.root.join("static").join(l)));
        let t = |key: &str| theme.strings.get(key).cloned().unwrap_or_default();
        let spec = |kicker: String, title: &str| CardSpec {
            kicker,
            title: title.to_string(),
            site_title: c.title.clone(),
            organization: c.organization.as_ref().map(|o| o.name.clone()),
        };
        let mut plan = CardPlan {
            cards: Vec::new(),
            models: vec![SITE; site.models.len()],
            ceremonies: vec![SITE; site.ceremonies.len()],
            pages: HashMap::new(),
        };
        let mut field_cards = vec![SITE; fields.terms.len()];
        let mut province_cards = vec![SITE; tax.places.nodes.len()];
        let mut own_card = (
            vec![false; site.models.len()],
            vec![false; site.ceremonies.len()],
        );
        for subject in subjects(site) {
            let at = plan.cards.len();
            let (name, spec) = match subject {
                Subject::Site => (
                    "trang".to_string(),
                    spec(format!("{} · {}", t("models"), t("ceremonies")), &c.title),
                ),
                Subject::Field(i) => {
                    field_cards[i] = at;
                    let term = &fields.terms[i];
                    (
                        format!("linh-vuc-{}", term.slug),
                        spec(t("field"), &term.label),
                    )
                }
                Subject::Province(r) => {
                    province_cards[r] = at;
                    let node = &tax.places.nodes[r];
                    (
                        format!("dia-ban-{}", node.slug()),
                        spec(t("place"), &node.label),
                    )
                }
                Subject::Model(i) => {
                    (plan.models[i], own_card.0[i]) = (at, true);
                    let doc = &site.models[i].doc;
                    (
                        format!("mo-hinh-{}", doc.slug),
                        spec(t("models"), &doc.title),
                    )
                }
                Subject::Ceremony(i) => {
                    (plan.ceremonies[i], own_card.1[i]) = (at, true);
                    let doc = &site.ceremonies[i].doc;
                    (
                        format!("tuyen-duong-{}", doc.slug),
                        spec(t("ceremonies"), &doc.title),
                    )
                }
            };
            let card = Card::new(&spec, logo.as_ref());
            plan.cards
                .push((crate::urls::share_card(&name, &card.key), card));
        }
        // Documents without a card of their own: the field's, the province's.
        for (term, &card) in fields.terms.iter().zip(&field_cards) {
            for &m in term.models.iter().filter(|&&m| !own_card.0[m]) {
                plan.models[m] = card;
            }
        }
        // A ceremony placed before a merger is under both its old and its
        // new province: today's is the one it takes.
        let old_then_today = tax
            .places
            .roots
            .iter()
            .copied()
            .filter(|&r| tax.places.nodes[r].successor.is_some())
            .chain(tax.places.current_roots());
        for root in old_then_today {
            for &e in tax.places.nodes[root]
                .ceremonies
                .iter()
                .filter(|&&e| !own_card.1[e])
            {
                plan.ceremonies[e] = province_cards[root];
            }
        }
        for (term, &card) in fields.terms.iter().zip(&field_cards) {
            plan.pages.insert(fields.term_path(term), card);
            plan.pages
                .insert(crate::urls::stats_of_field(&term.slug), card);
        }
        for (n, node) in tax.places.nodes.iter().enumerate() {
            let mut root = n;
            while let Some(parent) = tax.places.nodes[root].parent {
                root = parent;
            }
            let card = province_cards[root];
            plan.pages.insert(node.path.clone(), card);
            plan.pages
                .insert(crate::urls::stats_of_place(&node.path), card);
        }
        plan
    }

    /// How many cards [`CardPlan::new`] makes for `site`: the render plan
    /// counts its jobs before any renderer exists.
    pub fn count(site: &Site) -> usize {
        subjects(site).count()
    }

    /// The card of the page at `path` (a list's later pages take their
    /// first page's): a field's, a place's, else the site's.
    pub fn page(&self, path: &str) -> usize {
        let first = crate::urls::list_first_page(path);
        self.pages.get(first).copied().unwrap_or(SITE)
    }

    pub fn model(&self, i: usize) -> usize {
        self.models[i]
    }

    pub fn ceremony(&self, i: usize) -> usize {
        self.ceremonies[i]
    }

    /// The published card `i`: its path and PNG (read from the cache under
    /// the site root, or drawn).
    pub fn output(&self, root: &std::path::Path, i: usize) -> Result<Output, String> {
        let (path, card) = &self.cards[i];
        Ok(Output::file(path.clone(), card.png(root)?))
    }
}
