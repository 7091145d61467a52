//! Controlled vocabularies (fields, kinds, levels, …): an editor may write a
//! term's id, its label or an alias, compared after folding case and
//! diacritics; everything downstream works with the canonical term.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::text::closest;
use crate::vi::fold;

/// One entry of a vocabulary as written in `site.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Index of a term inside its vocabulary. Only a [`Vocabulary`] hands these
/// out, so a stored `TermId` always names a real term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(u16);

#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    terms: Vec<Term>,
    lookup: HashMap<String, TermId>,
}

/// Why a value did not resolve, with the closest term if any.
#[derive(Debug)]
pub struct Unknown {
    pub suggestion: Option<String>,
}

impl Vocabulary {
    pub fn new(terms: Vec<Term>) -> Self {
        let mut lookup = HashMap::new();
        for (i, term) in terms.iter().enumerate() {
            let id = TermId(i as u16);
            // Ids win over labels, labels over aliases, when spellings clash.
            for key in term.aliases.iter().chain([&term.label, &term.id]) {
                lookup.insert(fold(key), id);
            }
        }
        Self { terms, lookup }
    }

    /// Overlay a site's entries: same id replaces, new id is appended.
    pub fn merged(defaults: Vec<Term>, overrides: Vec<Term>) -> Self {
        let mut terms = defaults;
        for t in overrides {
            match terms.iter_mut().find(|d| d.id == t.id) {
                Some(slot) => *slot = t,
                None => terms.push(t),
            }
        }
        Self::new(terms)
    }

    pub fn resolve(&self, value: &str) -> Result<TermId, Unknown> {
        self.lookup
            .get(&fold(value))
            .copied()
            .ok_or_else(|| Unknown {
                suggestion: closest(value, self.lookup_keys()).map(|k| {
                    let id = self.lookup[&fold(k)];
                    self.term(id).id.clone()
                }),
            })
    }

    fn lookup_keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().flat_map(|t| {
            std::iter::once(t.id.as_str())
                .chain(std::iter::once(t.label.as_str()))
                .chain(t.aliases.iter().map(String::as_str))
        })
    }

    pub fn term(&self, id: TermId) -> &Term {
        &self.terms[id.0 as usize]
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.id.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (TermId, &Term)> {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (TermId(i as u16), t))
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vocabulary {
        Vocabulary::new(vec![
            Term {
                id: "kinh-te".into(),
                label: "Phát triển kinh tế".into(),
                aliases: vec!["kinh tế".into()],
            },
            Term {
                id: "van-hoa-xa-hoi".into(),
                label: "Văn hóa – xã hội".into(),
                aliases: vec![],
            },
        ])
    }

    #[test]
    fn resolves_id_label_and_alias_folded() {
        let v = fields();
        let vh = v.resolve("van-hoa-xa-hoi").unwrap();
        assert_eq!(v.resolve("VĂN HOÁ – XÃ HỘI").unwrap(), vh);
        assert_eq!(v.resolve("Văn hóa xã hội").unwrap(), vh);
        assert_eq!(v.term(v.resolve("kinh tế").unwrap()).id, "kinh-te");
    }

    #[test]
    fn unknown_value_suggests_the_id() {
        let err = fields().resolve("van-hoa-xa-hio").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("van-hoa-xa-hoi"));
    }

    #[test]
    fn site_overrides_merge_by_id() {
        let v = Vocabulary::merged(
            fields().terms.clone(),
            vec![Term {
                id: "kinh-te".into(),
                label: "Kinh tế".into(),
                aliases: vec![],
            }],
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v.term(v.resolve("kinh-te").unwrap()).label, "Kinh tế");
    }
}
