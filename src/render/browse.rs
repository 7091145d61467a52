//! Browsing pages: taxonomy indexes, term pages, the place tree and the
//! embeddable lists for other sites' iframes. Each page is built from the
//! slice of document indices it shows, never from the whole site.

use super::views::{self, TermLink};
use super::{Card, Renderer};
use crate::core::Output;
use crate::diagnostic::Diagnostic;
use crate::taxonomy::{PlaceNode, Taxonomy, Term};

/// How many cards an embedded list shows (its total is given beside);
/// what an embed reads (src/render/reads.rs) is cut by the same number.
pub(super) const EMBED_CARDS: usize = 50;

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

impl Renderer<'_> {
    pub(super) fn card(&self, item: Item) -> Card {
        match item {
            Item::Model(i) => self.model_card(&self.site.models[i]),
            Item::Ceremony(i) => self.ceremony_card(&self.site.ceremonies[i]),
        }
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
        let ld = self.collection_ld(&name, &path);
        let meta = self.meta(&name, &self.site.config.description, &path, "website", ld);
        let view = views::TermIndex {
            heading: &name,
            terms,
            breadcrumbs: Vec::new(),
        };
        self.page_output("taxonomy.html", path, meta, &view)
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
        // A term without a feed of its own (site.yaml `feeds:`) points at
        // the site's, saying so: no other term's feed holds all of its
        // documents.
        let feed = if super::term_has(&self.site.config.feeds, t.axis) {
            (self.url(&crate::urls::feed_of(&base)), None)
        } else {
            self.site_feed_link()
        };
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
        let view = views::TermIndex {
            heading: &heading,
            terms,
            breadcrumbs: Vec::new(),
        };
        let ld = self.collection_ld(&heading, &path);
        let meta = self.meta(
            &heading,
            &self.site.config.description,
            &path,
            "website",
            ld,
        );
        self.page_output("taxonomy.html", path, meta, &view)
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
        let feed = self.place_feed_link(n);
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

    /// The site's feed as the feed of a page that has none of its own,
    /// named as the whole site's.
    fn site_feed_link(&self) -> FeedLink {
        (
            self.url(crate::urls::SITE_FEED),
            Some(self.t("feed_whole_site").to_string()),
        )
    }

    /// The feed a place page links to: its own when it has one (site.yaml
    /// `feeds:`), else that of the nearest unit above it that has one —
    /// its province by default, whose feed holds every document of the
    /// units below it (src/taxonomy.rs, `PlaceNode::models`) — named, else
    /// the site's.
    fn place_feed_link(&self, n: usize) -> FeedLink {
        let places = &self.site.taxonomies.places;
        let feeds = &self.site.config.feeds;
        let mut cur = Some(n);
        while let Some(i) = cur {
            if super::place_has(feeds, places, i) {
                let node = &places.nodes[i];
                let whose = (i != n).then(|| node.label.clone());
                return (self.url(&crate::urls::feed_of(&node.path)), whose);
            }
            cur = places.nodes[i].parent;
        }
        self.site_feed_link()
    }

    /// A paginated list under `base` (`base`, `base/trang/2`, …): cards on
    /// the first page, rows on the later ones (src/core/paging.rs).
    /// `feed` is the feed it links to, with whose feed it is when it is not
    /// the list's own.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn card_list(
        &self,
        heading: &str,
        base: &str,
        items: &[Item],
        number: usize,
        breadcrumbs: Vec<super::Link>,
        feed: Option<FeedLink>,
        place: Option<PlaceExtra>,
    ) -> Result<Output, Diagnostic> {
        let paging = self.site.config.paging;
        let total_pages = paging.pages(items.len());
        let shown = paging.range(number, items.len());
        let first_number = shown.start + 1;
        let cards: Vec<Card> = items[shown].iter().map(|&it| self.card(it)).collect();
        let page_path = |n: usize| crate::urls::list_page(base, n);
        let path = page_path(number);
        let (feed, feed_of) = feed.unzip();
        let (children, notes) = place.map(|p| (p.children, p.notes)).unzip();
        let view = views::List {
            heading,
            cards,
            rows: paging.rows(number),
            first_number,
            total: items.len(),
            pager: self.pager(number, total_pages, &page_path),
            breadcrumbs,
            feed,
            feed_of: feed_of.flatten(),
            children,
            notes,
        };
        let title = if number > 1 {
            format!("{heading} — {} {number}", self.t("page"))
        } else {
            heading.to_string()
        };
        let ld = self.collection_ld(&title, &path);
        let meta = self.meta(&title, &self.site.config.description, &path, "website", ld);
        self.page_output("list.html", path, meta, &view)
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
    /// provinces that have one (site.yaml `embeds:`), so the embeds are
    /// found from the site (the footer links here).
    pub(super) fn embed_index(&self) -> Result<Output, Diagnostic> {
        let tax = &self.site.taxonomies;
        let embeds = &self.site.config.embeds;
        let path = crate::urls::EMBED_INDEX.to_string();
        let heading = self.t("embeds").to_string();
        let fields = tax.get(crate::taxonomy::Axis::Field);
        // (label, embed path) of each list shown.
        let field_embeds: Vec<(&str, String)> = fields
            .terms
            .iter()
            .filter(|_| super::term_has(embeds, fields.axis))
            .map(|t| {
                (
                    t.label.as_str(),
                    crate::urls::embed_of(&fields.term_path(t)),
                )
            })
            .collect();
        let place_embeds: Vec<(&str, String)> = tax
            .places
            .roots
            .iter()
            .filter(|&&r| super::place_has(embeds, &tax.places, r))
            .map(|&r| {
                let node = &tax.places.nodes[r];
                (node.label.as_str(), crate::urls::embed_of(&node.path))
            })
            .collect();
        let sample = field_embeds.first().or(place_embeds.first()).map(|(label, path)| {
            format!(
                r#"<iframe src="{}" title="{}" width="100%" height="480" loading="lazy" style="border:0"></iframe>"#,
                self.absolute(path),
                label
            )
        });
        let links = |embeds: &[(&str, String)]| -> Vec<super::Link> {
            embeds
                .iter()
                .map(|(label, path)| super::Link {
                    title: label.to_string(),
                    url: self.url(path),
                })
                .collect()
        };
        let (field_links, place_links) = (links(&field_embeds), links(&place_embeds));
        // What else has an embed besides the lists shown.
        let more = match (embeds.terms, embeds.places) {
            (crate::config::TermScope::All, crate::config::PlaceScope::All) => {
                Some(self.t("embeds_more"))
            }
            (crate::config::TermScope::All, _) => Some(self.t("embeds_more_terms")),
            (_, crate::config::PlaceScope::All) => Some(self.t("embeds_more_places")),
            _ => None,
        };
        let view = views::Embeds {
            heading: &heading,
            sample,
            more,
            groups: [
                views::EmbedGroup {
                    title: self.t("embeds_fields"),
                    links: field_links,
                },
                views::EmbedGroup {
                    title: self.t("embeds_places"),
                    links: place_links,
                },
            ],
        };
        let ld = self.collection_ld(&heading, &path);
        let meta = self.meta(&heading, self.t("embeds_intro"), &path, "website", ld);
        self.page_output("embeds.html", path, meta, &view)
    }

    /// A bare list for another site's iframe: no header, no footer, links
    /// open in the top window.
    pub(super) fn embed(
        &self,
        heading: &str,
        path: &str,
        items: &[Item],
    ) -> Result<Output, Diagnostic> {
        let cards: Vec<Card> = items
            .iter()
            .take(EMBED_CARDS)
            .map(|&it| self.card(it))
            .collect();
        let view = views::Embed {
            heading,
            cards,
            total: items.len(),
        };
        let ld = self.collection_ld(heading, path);
        let meta = self.meta(heading, &self.site.config.description, path, "website", ld);
        self.page_output("embed.html", path.to_string(), meta, &view)
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

/// A feed's URL, and whose feed it is when it is not the page's own.
pub(super) type FeedLink = (String, Option<String>);

/// What a place page shows besides its documents.
pub(super) struct PlaceExtra {
    children: Vec<TermLink>,
    notes: Vec<super::Link>,
}
