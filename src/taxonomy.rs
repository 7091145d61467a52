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
    /// Its entry in the place register (`places` of `site.yaml`, by
    /// position), when it has one: its other names are there.
    pub entry: Option<usize>,
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

impl PlaceNode {
    /// The last segment of its path (`ha-tinh` of `dia-ban/ha-tinh/`).
    pub fn slug(&self) -> &str {
        self.path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default)]
pub struct PlaceTree {
    pub nodes: Vec<PlaceNode>,
    pub roots: Vec<usize>,
}

impl PlaceTree {
    /// The provinces as they are today (roots not merged into another), in
    /// tree order.
    pub fn current_roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.roots
            .iter()
            .copied()
            .filter(|&r| self.nodes[r].successor.is_none())
    }

    /// A unit as counted today, with the units merged into it beside it
    /// ("Hải Phòng (gồm cả Hải Dương cũ)"), so a reader who knows only the
    /// old name still finds it: one label for search facets and statistics.
    pub fn today_label(&self, node: usize, lang: crate::core::Lang) -> String {
        let n = &self.nodes[node];
        if n.predecessors.is_empty() {
            return n.label.clone();
        }
        let former: Vec<&str> = n
            .predecessors
            .iter()
            .map(|&p| self.nodes[p].label.as_str())
            .collect();
        let former = former.join(", ");
        match lang {
            crate::core::Lang::Vi => format!("{} (gồm cả {former} cũ)", n.label),
            crate::core::Lang::En => format!("{} (including former {former})", n.label),
        }
    }

    /// Gives a unit its type ("Thành phố Hà Tĩnh", "Tỉnh Hà Tĩnh") only
    /// where two units share a name; elsewhere the register's label stands
    /// alone, so every list, page and chart reads the same.
    pub fn name_types_where_names_clash(&mut self) {
        let mut by_name: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for n in &self.nodes {
            *by_name.entry(crate::vi::fold(&n.label)).or_default() += 1;
        }
        for n in &mut self.nodes {
            if by_name[&crate::vi::fold(&n.label)] < 2 {
                continue;
            }
            if let Some(kind) = n.kind.as_deref().filter(|k| !names_its_type(&n.label, k)) {
                n.label = format!("{kind} {}", n.label);
            }
        }
    }

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

/// Whether a place's name already says its type ("Thị xã Kinh Môn",
/// "TP. Hồ Chí Minh" for "Thành phố"), so the type is not written twice.
pub fn names_its_type(label: &str, kind: &str) -> bool {
    let (label, kind) = (crate::vi::fold(label), crate::vi::fold(kind));
    let initials: String = kind.split(' ').filter_map(|w| w.chars().next()).collect();
    label.starts_with(&kind) || label.split(' ').next() == Some(initials.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, kind: &str) -> PlaceNode {
        PlaceNode {
            label: label.into(),
            path: String::new(),
            kind: Some(kind.into()),
            entry: None,
            depth: 0,
            parent: None,
            children: Vec::new(),
            models: Vec::new(),
            ceremonies: Vec::new(),
            successor: None,
            predecessors: Vec::new(),
        }
    }

    #[test]
    fn the_type_is_named_only_where_two_units_share_a_name() {
        let mut tree = PlaceTree {
            nodes: vec![
                node("Hà Tĩnh", "Tỉnh"),
                node("Hà Tĩnh", "Thành phố"),
                node("Hồng Lĩnh", "Thị xã"),
                node("Thị xã Kinh Môn", "Thị xã"),
                node("Thị xã Kinh Môn", "Thị xã"),
            ],
            roots: vec![0],
        };
        tree.name_types_where_names_clash();
        let labels: Vec<&str> = tree.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Tỉnh Hà Tĩnh",
                "Thành phố Hà Tĩnh",
                "Hồng Lĩnh",
                "Thị xã Kinh Môn",
                "Thị xã Kinh Môn"
            ]
        );
    }

    #[test]
    fn today_label_names_the_units_merged_in() {
        let mut tree = PlaceTree {
            nodes: vec![node("Hải Phòng", "Thành phố"), node("Hải Dương", "Tỉnh")],
            roots: vec![0, 1],
        };
        tree.nodes[1].successor = Some(0);
        tree.nodes[0].predecessors = vec![1];
        assert_eq!(
            tree.today_label(0, crate::core::Lang::Vi),
            "Hải Phòng (gồm cả Hải Dương cũ)"
        );
        assert_eq!(tree.today_label(1, crate::core::Lang::Vi), "Hải Dương");
        assert_eq!(tree.current_roots().collect::<Vec<_>>(), [0]);
    }
}
