//! Taxonomies (field, kind, level, status, organisation, tag, year) and the
//! place tree, as pages read them; `src/classify.rs` computes them once from
//! the linked documents.
//!
//! Every list here holds document indices in site order (newest first), so
//! term pages slice them for pagination without sorting again, and the total
//! size of all lists is linear in the number of documents.

/// Which property a taxonomy groups documents by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    Field,
    Kind,
    Level,
    Status,
    Organization,
    Tag,
    Year,
}

impl Axis {
    pub const ALL: [Axis; 7] = [
        Axis::Field,
        Axis::Kind,
        Axis::Level,
        Axis::Status,
        Axis::Organization,
        Axis::Tag,
        Axis::Year,
    ];

    /// URL segment of the taxonomy (`/linh-vuc/…`).
    pub fn slug(self) -> &'static str {
        match self {
            Axis::Field => "linh-vuc",
            Axis::Kind => "loai",
            Axis::Level => "cap",
            Axis::Status => "tinh-trang",
            Axis::Organization => "to-chuc",
            Axis::Tag => "tu-khoa",
            Axis::Year => "nam",
        }
    }

    /// Key of the taxonomy's name in the theme's strings.
    pub fn name_key(self) -> &'static str {
        match self {
            Axis::Field => "field",
            Axis::Kind => "kind",
            Axis::Level => "level",
            Axis::Status => "status",
            Axis::Organization => "organizations",
            Axis::Tag => "tags",
            Axis::Year => "year",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Term {
    pub slug: String,
    pub label: String,
    pub models: Vec<usize>,
    pub ceremonies: Vec<usize>,
}

impl Term {
    pub fn count(&self) -> usize {
        self.models.len() + self.ceremonies.len()
    }
}

#[derive(Clone, Debug)]
pub struct Taxonomy {
    pub axis: Axis,
    /// In display order; terms without documents are left out.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// Site-relative path of a term's first page.
    pub fn term_path(&self, term: &Term) -> String {
        format!("{}/{}/", self.axis.slug(), term.slug)
    }
}

/// One unit of the place tree (province, district or commune).
#[derive(Clone, Debug)]
pub struct PlaceNode {
    pub label: String,
    /// Site-relative path, e.g. `dia-ban/ha-tinh/thi-xa-hong-linh/`.
    pub path: String,
    /// "Tỉnh", "Huyện", "Xã" … from the place register, when known.
    pub kind: Option<String>,
    pub depth: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Documents here or below, in site order.
    pub models: Vec<usize>,
    pub ceremonies: Vec<usize>,
    /// The unit it was merged into (2025 reform), if any.
    pub successor: Option<usize>,
    /// Units merged into this one.
    pub predecessors: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct PlaceTree {
    pub nodes: Vec<PlaceNode>,
    pub roots: Vec<usize>,
}

impl PlaceTree {
    /// The province (root) a model's place lies in, as browsed today.
    pub fn province_of_model(&self, model: usize) -> Option<usize> {
        self.roots.iter().copied().find(|&r| {
            self.nodes[r]
                .models
                .binary_search_by(|m| m.cmp(&model))
                .is_ok()
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct Taxonomies {
    pub list: Vec<Taxonomy>,
    pub places: PlaceTree,
}

impl Taxonomies {
    pub fn get(&self, axis: Axis) -> &Taxonomy {
        self.list
            .iter()
            .find(|t| t.axis == axis)
            .expect("every axis is built")
    }
}
