//! Documents that failed to load or validate, as far as they can still be
//! known: their slug (from the file name, or `slug:`), their id and aliases
//! (from whatever of the front matter parses), hence the addresses they own.
//!
//! Such a document is left out of the site, but it still exists: a
//! reference to it is not broken and its lines in `urls.lock` are not lost.
//! Reporting those again would turn one typo into four errors, and advise
//! deleting `urls.lock` lines of a document that is only waiting for a fix.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::config::Config;
use crate::core::files::MAX_FILE_BYTES;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{split, SplitError};
use crate::load::{section_of, Section, CONTENT_DIR};
use crate::schema::Text;
use crate::validate::page_place;
use crate::vi::{is_clean_slug, slugify};

/// One document left out of the site because of an error.
#[derive(Clone, Debug)]
pub struct Failed {
    pub rel_path: String,
    pub section: Section,
    /// Lowercased slug and id, as references name the document.
    keys: Vec<String>,
    /// Site-relative addresses it owns, lowercased, each starting with `/`.
    urls: Vec<String>,
    /// Whether its `id:` and `slug:` could be read: when not, a reference
    /// to nothing known may be to it.
    pub names_known: bool,
    /// Whether its `aliases:` could be read: when not (or when its names
    /// could not be), it may own addresses nobody can tell.
    pub aliases_known: bool,
    /// `file:line` of its first error, for follow-on messages.
    pub at: String,
}

/// Every failed document of a run, found by reference key and by address
/// (a migrated site may have thousands, and as many lost lines to match).
#[derive(Clone, Debug, Default)]
pub struct FailedDocs {
    docs: Vec<Failed>,
    by_key: HashMap<(Section, String), usize>,
    by_url: HashMap<String, usize>,
}

impl FailedDocs {
    /// The content files with an error among `diagnostics` (from loading
    /// and validating), each read again for what can be known of it. Only
    /// failed files are read, so a clean build pays nothing.
    pub fn collect(root: &Path, config: &Config, diagnostics: &[Diagnostic]) -> Self {
        let mut failed = Self::default();
        let mut seen: HashSet<&str> = HashSet::new();
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            let in_content = d.file.starts_with(&format!("{CONTENT_DIR}/"));
            if !in_content || !d.file.ends_with(".md") || !seen.insert(&d.file) {
                continue;
            }
            let at = match d.line_col() {
                Some((line, _)) => format!("{}:{line}", d.file),
                None => d.file.clone(),
            };
            let text = read_regular(&root.join(&d.file));
            let text = text.map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"));
            failed.add(known(config, &d.file, text.as_deref(), at));
        }
        failed
    }

    fn add(&mut self, f: Failed) {
        let i = self.docs.len();
        for k in &f.keys {
            self.by_key.entry((f.section, k.clone())).or_insert(i);
        }
        for u in &f.urls {
            self.by_url.entry(u.clone()).or_insert(i);
        }
        self.docs.push(f);
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The failed model or ceremony a reference names (by slug or id).
    pub fn named(&self, section: Section, target: &str) -> Option<&Failed> {
        let key = (section, target.trim().to_lowercase());
        self.by_key.get(&key).map(|&i| &self.docs[i])
    }

    /// The failed document that owns `url` (`/mo-hinh/a/`, `/m/k7p2m`).
    pub fn owner(&self, url: &str) -> Option<&Failed> {
        self.by_url.get(&url.to_lowercase()).map(|&i| &self.docs[i])
    }

    /// A failed document whose addresses are not all known (its front
    /// matter does not parse): any address may be its.
    pub fn unreadable(&self) -> Option<&Failed> {
        self.docs
            .iter()
            .find(|f| !(f.names_known && f.aliases_known))
    }

    /// A failed document of `section` whose id or slug could not be read:
    /// a reference to nothing known may be to it.
    pub fn unreadable_in(&self, section: Section) -> Option<&Failed> {
        self.docs
            .iter()
            .find(|f| !f.names_known && f.section == section)
    }
}

/// The bytes of a regular file of a size `load` accepts: never through a
/// symbolic link (which `load` refused), nor from a device or a pipe.
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}

/// What the front matter tells, as far as it parses.
#[derive(Default)]
struct Front {
    id: Option<String>,
    slug: Option<String>,
    aliases: Vec<String>,
    names_known: bool,
    aliases_known: bool,
}

impl Front {
    /// Nothing read yet, nothing found unreadable.
    fn all_known() -> Self {
        Self {
            names_known: true,
            aliases_known: true,
            ..Self::default()
        }
    }
}

fn known(config: &Config, rel_path: &str, text: Option<&str>, at: String) -> Failed {
    let section = section_of(rel_path, config);
    let front = text.map(read_front).unwrap_or_default();
    let place = page_place(rel_path);
    let slug = front
        .slug
        .as_deref()
        .filter(|s| is_clean_slug(s))
        .map_or_else(|| slugify(&place.stem), str::to_string);
    let mut keys = vec![slug.to_lowercase()];
    let mut urls = Vec::new();
    let own = match section {
        Section::Model => Some(&config.sections.models),
        Section::Ceremony => Some(&config.sections.ceremonies),
        Section::Page => None,
    };
    match own {
        Some(dir) => {
            urls.push(format!("/{dir}/{slug}/"));
            let short = front.id.as_deref().unwrap_or(&slug);
            let link = format!("/{}", crate::urls::short_link_of(short));
            // Its old form too: a lock written before short links were
            // files lists that (src/urls_lock.rs, `answered`).
            urls.push(format!("{link}/"));
            urls.push(link);
            if let Some(id) = &front.id {
                keys.push(id.to_lowercase());
            }
        }
        None if place.is_index => urls.push(if place.dir.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", place.dir)
        }),
        None if place.dir.is_empty() => urls.push(format!("/{slug}/")),
        None => urls.push(format!("/{}/{slug}/", place.dir)),
    }
    for a in &front.aliases {
        let trimmed = a.trim().trim_matches('/');
        if !trimmed.is_empty() {
            urls.push(format!("/{trimmed}/"));
        }
    }
    Failed {
        rel_path: rel_path.to_string(),
        section,
        keys,
        urls: urls.iter().map(|u| u.to_lowercase()).collect(),
        names_known: front.names_known,
        aliases_known: front.aliases_known,
        at,
    }
}

/// `id`, `slug` and `aliases` from front matter that may not parse as a
/// whole: each top-level key is tried on its own, so a typo further down
/// does not hide them.
fn read_front(text: &str) -> Front {
    let yaml = match split(text) {
        Ok(parts) => &text[parts.front],
        // No front matter: nothing is declared, so nothing is unknown.
        Err(SplitError::Missing) => return Front::all_known(),
        Err(SplitError::Unclosed) => text.split_once('\n').map_or("", |(_, rest)| rest),
    };
    let mut front = Front::all_known();
    if yaml.trim().is_empty() {
        return front;
    }
    if serde_yaml::from_str::<serde_yaml::Value>(yaml).is_ok() {
        for key in KEYS {
            take(&mut front, key, yaml);
        }
        return front;
    }
    // Each key on its own, so a typo elsewhere does not hide it.
    for block in top_level_blocks(yaml) {
        let name = block.split(':').next().unwrap_or("").trim();
        if let Some(key) = KEYS.into_iter().find(|k| k.name() == name) {
            take(&mut front, key, block);
        }
    }
    front
}

/// The text of each top-level key with its indented continuation lines.
fn top_level_blocks(yaml: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(yaml.len());
    starts.windows(2).map(|w| &yaml[w[0]..w[1]]).collect()
}

/// The keys that tell a document's names and addresses.
#[derive(Clone, Copy)]
enum Key {
    Id,
    Slug,
    Aliases,
}

const KEYS: [Key; 3] = [Key::Id, Key::Slug, Key::Aliases];

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Id => "id",
            Key::Slug => "slug",
            Key::Aliases => "aliases",
        }
    }
}

/// Reads `key` from `yaml` as validation reads it ([`Text`]: as written,
/// so `id: 352e7` is `352e7`), ignoring every other key; a value that does
/// not read marks what it tells as unknown.
fn take(front: &mut Front, key: Key, yaml: &str) {
    #[derive(Deserialize)]
    struct Id {
        id: Option<Text>,
    }
    #[derive(Deserialize)]
    struct Slug {
        slug: Option<Text>,
    }
    #[derive(Deserialize)]
    struct Aliases {
        aliases: Option<Vec<Text>>,
    }
    let clean = |t: Text| Some(t.0.trim().to_string()).filter(|s| !s.is_empty());
    match key {
        Key::Id => match serde_yaml::from_str::<Id>(yaml) {
            Ok(v) => front.id = v.id.and_then(clean),
            Err(_) => front.names_known = false,
        },
        Key::Slug => match serde_yaml::from_str::<Slug>(yaml) {
            Ok(v) => front.slug = v.slug.and_then(clean),
            Err(_) => front.names_known = false,
        },
        Key::Aliases => match serde_yaml::from_str::<Aliases>(yaml) {
            Ok(v) => front
                .aliases
                .extend(v.aliases.unwrap_or_default().into_iter().filter_map(clean)),
            Err(_) => front.aliases_known = false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_even_when_a_later_key_does_not_parse() {
        let text =
            "---\nid: \"k7p2m\"\ntitle: \"broken\nslug: moi\naliases:\n  - /cu/\nfield: [a\n---\n";
        let front = read_front(text);
        assert_eq!(front.id.as_deref(), Some("k7p2m"));
        assert_eq!(front.aliases, vec!["/cu/".to_string()]);
        assert!(front.names_known && front.aliases_known);
    }

    #[test]
    fn aliases_that_do_not_parse_leave_the_addresses_unknown() {
        let front = read_front("---\naliases: [/a/, \"/b\n---\n");
        assert!(front.names_known && !front.aliases_known);
        let whole = read_front("---\nid: 352e7\n---\n");
        // As validation reads it: as written, not as a number.
        assert_eq!(whole.id.as_deref(), Some("352e7"));
        let empty = read_front("---\n---\nbody");
        assert!(empty.names_known && empty.aliases_known && empty.id.is_none());
        let none = read_front("no front matter");
        assert!(none.names_known && none.aliases_known);
        let id = read_front("---\nid: [k7\ntitle: x\n---\n");
        assert!(!id.names_known && id.aliases_known);
    }
}
