//! Browsing pages: taxonomy indexes, term pages, the place tree and the
//! embeddable lists for other sites' iframes. Each page is built from the
//! slice of document indices it shows, never from the whole site.

use serde::Serialize;
use tera::Context;

use super::{Card, Renderer};
use crate::core::Output;
use crate::diagnostic::Diagnostic;
use crate::taxonomy::{PlaceNode, Taxonomy, Term};

/// A document shown in a list.
#[derive(Clone, Copy)]
pub(super) enum Item {
    Model(usize),
    Ceremony(usize),
}

/// Models first, then ceremonies: the order of every term and place page.
pub(super) fn items(models: &[usize], ceremonies: &[usize]) -> Vec<Item> {
    models
        .iter()
        .map(|&i| Item::Model(i))
        .chain(ceremonies.iter().map(|&i| Item::Ceremony(i)))
        .collect()
}

#[derive(Serialize)]
struct TermLink {
    label: String,
    url: String,
    count: usize,
    note: Option<String>,
}

impl Renderer<'_> {
    pub(super) fn card(&self, item: Item) -> Card {
        match item {
            Item::Model(i) => self.model_card(&self.site.models[i]),
            Item::Ceremony(i) => self.ceremony_card(&self.site.ceremonies[i]),
        }
    }

    /// Number of pages a list of `n` items takes.
    pub(super) fn page_count(&self, n: usize) -> usize {
        n.div_ceil(self.site.config.paginate).max(1)
    }

    fn taxonomy_name(&self, t: &Taxonomy) -> String {
        self.t(t.axis.name_key()).to_string()
    }

    pub(super) fn taxonomy_index(&self, axis: usize) -> Result<Output, Diagnostic> {
        let t = &self.site.taxonomies.list[axis];
        let name = self.taxonomy_name(t);
        let terms: Vec<TermLink> = t
            .terms
            .iter()
            .map(|term| TermLink {
                label: term.label.clone(),
                url: self.url(&t.term_path(term)),
                count: term.count(),
                note: None,
            })
            .collect();
        let path = format!("{}/", t.axis.slug());
        let mut ctx = Context::new();
        ctx.insert("heading", &name);
        ctx.insert("terms", &terms);
        ctx.insert("breadcrumbs", &Vec::<super::Link>::new());
        let ld = self.collection_ld(&name, &path);
        let meta = self.meta(&name, &self.site.config.description, &path, "website", ld);
        self.page_output("taxonomy.html", path, meta, ctx)
    }

    pub(super) fn term_page(
        &self,
        axis: usize,
        term: usize,
        number: usize,
    ) -> Result<Output, Diagnostic> {
        let t = &self.site.taxonomies.list[axis];
        let term: &Term = &t.terms[term];
        let base = t.term_path(term);
        let heading = format!("{}: {}", self.taxonomy_name(t), term.label);
        let crumbs = vec![super::Link {
            title: self.taxonomy_name(t),
            url: self.url(&format!("{}/", t.axis.slug())),
        }];
        let feed = self.url(&crate::urls::feed_of(&base));
        self.card_list(
            &heading,
            &base,
            &items(&term.models, &term.ceremonies),
            number,
            crumbs,
            Some(feed),
            None,
        )
    }

    pub(super) fn place_index(&self) -> Result<Output, Diagnostic> {
        let places = &self.site.taxonomies.places;
        let heading = self.t("places").to_string();
        let terms: Vec<TermLink> = places
            .roots
            .iter()
            .map(|&n| self.place_link(&places.nodes[n]))
            .collect();
        let path = crate::urls::PLACES.to_string();
        let mut ctx = Context::new();
        ctx.insert("heading", &heading);
        ctx.insert("terms", &terms);
        ctx.insert("breadcrumbs", &Vec::<super::Link>::new());
        let ld = self.collection_ld(&heading, &path);
        let meta = self.meta(
            &heading,
            &self.site.config.description,
            &path,
            "website",
            ld,
        );
        self.page_output("taxonomy.html", path, meta, ctx)
    }

    fn place_link(&self, node: &PlaceNode) -> TermLink {
        let places = &self.site.taxonomies.places;
        let note = node
            .successor
            .map(|s| format!("{} {}", self.t("now_part_of"), places.nodes[s].label));
        TermLink {
            label: node.label.clone(),
            url: self.url(&node.path),
            count: node.models.len() + node.ceremonies.len(),
            note,
        }
    }

    pub(super) fn place_page(&self, n: usize, number: usize) -> Result<Output, Diagnostic> {
        let places = &self.site.taxonomies.places;
        let node = &places.nodes[n];
        let mut crumbs = vec![super::Link {
            title: self.t("places").to_string(),
            url: self.url(crate::urls::PLACES),
        }];
        let mut ancestors = Vec::new();
        let mut cur = node.parent;
        while let Some(p) = cur {
            ancestors.push(p);
            cur = places.nodes[p].parent;
        }
        crumbs.extend(ancestors.iter().rev().map(|&p| super::Link {
            title: places.nodes[p].label.clone(),
            url: self.url(&places.nodes[p].path),
        }));
        let children: Vec<TermLink> = node
            .children
            .iter()
            .map(|&c| self.place_link(&places.nodes[c]))
            .collect();
        let mut notes: Vec<super::Link> = Vec::new();
        if let Some(s) = node.successor {
            notes.push(super::Link {
                title: format!("{} {}", self.t("now_part_of"), places.nodes[s].label),
                url: self.url(&places.nodes[s].path),
            });
        }
        notes.extend(node.predecessors.iter().map(|&p| super::Link {
            title: format!("{} {}", self.t("merged_from"), places.nodes[p].label),
            url: self.url(&places.nodes[p].path),
        }));
        let extra = PlaceExtra { children, notes };
        let heading = self.place_link(node).label;
        let feed = self.url(&crate::urls::feed_of(&node.path));
        self.card_list(
            &heading,
            &node.path,
            &items(&node.models, &node.ceremonies),
            number,
            crumbs,
            Some(feed),
            Some(extra),
        )
    }

    /// A paginated list of cards under `base` (`base`, `base/trang/2/`, …).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn card_list(
        &self,
        heading: &str,
        base: &str,
        items: &[Item],
        number: usize,
        breadcrumbs: Vec<super::Link>,
        feed: Option<String>,
        place: Option<PlaceExtra>,
    ) -> Result<Output, Diagnostic> {
        let per = self.site.config.paginate;
        let total_pages = self.page_count(items.len());
        let start = ((number - 1) * per).min(items.len());
        let cards: Vec<Card> = items[start..(start + per).min(items.len())]
            .iter()
            .map(|&it| self.card(it))
            .collect();
        let page_path = |n: usize| crate::urls::list_page(base, n);
        let path = page_path(number);
        let mut ctx = Context::new();
        ctx.insert("heading", heading);
        ctx.insert("cards", &cards);
        ctx.insert("total", &items.len());
        ctx.insert("pager", &self.pager(number, total_pages, &page_path));
        ctx.insert("breadcrumbs", &breadcrumbs);
        ctx.insert("feed", &feed);
        ctx.insert("children", &place.as_ref().map(|p| &p.children));
        ctx.insert("notes", &place.as_ref().map(|p| &p.notes));
        let title = if number > 1 {
            format!("{heading} — {} {number}", self.t("page"))
        } else {
            heading.to_string()
        };
        let ld = self.collection_ld(&title, &path);
        let meta = self.meta(&title, &self.site.config.description, &path, "website", ld);
        self.page_output("list.html", path, meta, ctx)
    }

    pub(super) fn collection_ld(&self, name: &str, path: &str) -> serde_json::Value {
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": name,
            "url": self.absolute(path),
        })
    }

    /// `nhung/`: how to embed a list, with the lists of fields and
    /// provinces, so the embeds are found from the site (the footer links
    /// here).
    pub(super) fn embed_index(&self) -> Result<Output, Diagnostic> {
        let tax = &self.site.taxonomies;
        let path = crate::urls::EMBED_INDEX.to_string();
        let heading = self.t("embeds").to_string();
        let fields = tax.get(crate::taxonomy::Axis::Field);
        let field_links: Vec<super::Link> = fields
            .terms
            .iter()
            .map(|t| super::Link {
                title: t.label.clone(),
                url: self.url(&crate::urls::embed_of(&fields.term_path(t))),
            })
            .collect();
        let place_links: Vec<super::Link> = tax
            .places
            .roots
            .iter()
            .map(|&r| super::Link {
                title: tax.places.nodes[r].label.clone(),
                url: self.url(&crate::urls::embed_of(&tax.places.nodes[r].path)),
            })
            .collect();
        let sample = fields.terms.first().map(|t| {
            format!(
                r#"<iframe src="{}" title="{}" width="100%" height="480" loading="lazy" style="border:0"></iframe>"#,
                self.absolute(&crate::urls::embed_of(&fields.term_path(t))),
                t.label
            )
        });
        let mut ctx = Context::new();
        ctx.insert("heading", &heading);
        ctx.insert("sample", &sample);
        ctx.insert(
            "groups",
            &serde_json::json!([
                {"title": self.t("embeds_fields"), "links": field_links},
                {"title": self.t("embeds_places"), "links": place_links},
            ]),
        );
        let ld = self.collection_ld(&heading, &path);
        let meta = self.meta(&heading, self.t("embeds_intro"), &path, "website", ld);
        self.page_output("embeds.html", path, meta, ctx)
    }

    /// A bare list for another site's iframe: no header, no footer, links
    /// open in the top window.
    pub(super) fn embed(
        &self,
        heading: &str,
        path: &str,
        items: &[Item],
    ) -> Result<Output, Diagnostic> {
        let cards: Vec<Card> = items.iter().take(50).map(|&it| self.card(it)).collect();
        let mut ctx = Context::new();
        ctx.insert("heading", heading);
        ctx.insert("cards", &cards);
        ctx.insert("total", &items.len());
        let ld = self.collection_ld(heading, path);
        let meta = self.meta(heading, &self.site.config.description, path, "website", ld);
        self.page_output("embed.html", path.to_string(), meta, ctx)
    }

    pub(super) fn term_embed(&self, axis: usize, term: usize) -> Result<Output, Diagnostic> {
        let t = &self.site.taxonomies.list[axis];
        let term = &t.terms[term];
        let path = crate::urls::embed_of(&t.term_path(term));
        self.embed(&term.label, &path, &items(&term.models, &term.ceremonies))
    }

    pub(super) fn place_embed(&self, n: usize) -> Result<Output, Diagnostic> {
        let node = &self.site.taxonomies.places.nodes[n];
        let path = crate::urls::embed_of(&node.path);
        self.embed(&node.label, &path, &items(&node.models, &node.ceremonies))
    }
}

/// What a place page shows besides its documents.
pub(super) struct PlaceExtra {
    children: Vec<TermLink>,
    notes: Vec<super::Link>,
}
