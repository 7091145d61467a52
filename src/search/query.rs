//! What a query asks for, defined once: `search.js` parses queries the
//! same way (`parseQuery`).
//!
//! Every word must match (folded). A word written with diacritics scores
//! more where it matches exactly; two words next to each other score more
//! where they are adjacent in the text. An acronym matches itself, or its
//! expansion (from `search.synonyms`, over the built-in list) as an
//! adjacent phrase: "UBND" finds "ủy ban nhân dân", never "ủy ban" here and
//! "nhân dân" there. A quoted phrase must appear as written: each word,
//! and each consecutive pair of words (for three or more words, every
//! consecutive pair must be present; their order across pairs is not
//! checked).
//!
//! The same query means the same thing wherever it comes from (the search
//! box while typing, a URL, the header form, `dienhinh search`): the last
//! word is taken as possibly unfinished when the query ends in a letter or
//! digit, outside quotes, and that word is a plain word (no synonym, no
//! code). It then also matches the [`EXPANSIONS`] most frequent words it
//! begins (document frequency, then JavaScript string order) — among the
//! words that follow the previous word in an adjacent pair when there are
//! any ("banh m" → "mi" of "banh mi"), else among all words. Candidates
//! come from at most [`PREFIX_BLOCKS`] blocks of the term dictionary,
//! starting with the block where the prefix would sort. See
//! [`expand_open`].
//!
//! A word in no document is tried against the words it may be a typo of
//! ([`correct`], `search::near`).
//!
//! A query typed as one phrase (every word after the first typed right
//! after the previous one: no punctuation, acronym or quote between them)
//! is looked for as a phrase: a document that holds all of its adjacent
//! pairs ranks before one with the words apart ([`Query::phrase`],
//! `search::scorer`). A word that begins a document code ("885/QĐ-UBND",
//! "11-CT/TU": letters and digits joined by a slash among others) counts
//! as typed where the code is, and only as a word anywhere else, as a
//! longer word it begins does ([`PREFIXED`]): the decision numbered 885
//! before a text with "45.885 mét".
//!
//! Every alternative has a class: as typed ([`TYPED`]), a longer word the
//! last word begins ([`PREFIXED`]), a correction ([`CORRECTED`]). A
//! document's class is the worst of its groups' best classes, and results
//! are ordered by class before score (`search::scorer`), so "quận 1" puts
//! Quận 1 before Quận 11 and a corrected match never outranks a typed one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::analyze::{analyze, is_word_char, pair_term, Token};
use super::near::{self, NearWord};
use super::postings::EXACT_PREFIX;
use super::static_index::js_order;

/// Words an unfinished last word may stand for.
pub const EXPANSIONS: usize = 5;
/// Dictionary blocks read for one prefix.
pub const PREFIX_BLOCKS: usize = 2;

/// Class of an alternative as typed (or a synonym of it).
pub const TYPED: u8 = 0;
/// Class of a longer word an unfinished last word begins.
pub const PREFIXED: u8 = 1;
/// Class of a correction of a word in no document.
pub const CORRECTED: u8 = 2;

/// Acronyms of this field that every Vietnamese site uses; `site.yaml`
/// adds to them and may replace any of them by naming the same acronym.
pub const DEFAULT_SYNONYMS: &[(&str, &[&str])] = &[
    ("UBND", &["ủy ban nhân dân"]),
    ("HĐND", &["hội đồng nhân dân"]),
    ("MTTQ", &["mặt trận tổ quốc"]),
    ("UBMTTQ", &["ủy ban mặt trận tổ quốc"]),
    (
        "TP.HCM",
        &[
            "thành phố hồ chí minh",
            "tphcm",
            "hcm",
            "hồ chí minh",
            "sài gòn",
        ],
    ),
    ("NTM", &["nông thôn mới"]),
    ("CCB", &["cựu chiến binh"]),
    ("LHPN", &["liên hiệp phụ nữ"]),
    ("HLHPN", &["hội liên hiệp phụ nữ"]),
    ("ĐTN", &["đoàn thanh niên"]),
    ("TNCS", &["thanh niên cộng sản"]),
    ("DVK", &["dân vận khéo"]),
    ("BCH", &["ban chấp hành"]),
    ("BDV", &["ban dân vận"]),
    ("CAND", &["công an nhân dân"]),
    ("QĐND", &["quân đội nhân dân"]),
    ("HTX", &["hợp tác xã"]),
    ("ANTT", &["an ninh trật tự"]),
    ("NCT", &["người cao tuổi"]),
    ("TDP", &["tổ dân phố"]),
    ("CNVC", &["công nhân viên chức"]),
    ("PCCC", &["phòng cháy chữa cháy"]),
    ("GPMB", &["giải phóng mặt bằng"]),
    ("BCHQS", &["ban chỉ huy quân sự", "bộ chỉ huy quân sự"]),
    ("BTL", &["bộ tư lệnh"]),
    ("CCQ", &["các cơ quan"]),
    ("DN", &["doanh nghiệp"]),
    ("TTHC", &["thủ tục hành chính"]),
    ("KDC", &["khu dân cư"]),
    ("ATGT", &["an toàn giao thông"]),
    ("BVMT", &["bảo vệ môi trường"]),
    ("VSMT", &["vệ sinh môi trường"]),
    ("CVĐ", &["cuộc vận động"]),
    ("ĐVTN", &["đoàn viên thanh niên"]),
    ("TNXP", &["thanh niên xung phong"]),
    ("CLB", &["câu lạc bộ"]),
    ("THCS", &["trung học cơ sở"]),
    ("THPT", &["trung học phổ thông"]),
    ("BHYT", &["bảo hiểm y tế"]),
    ("BHXH", &["bảo hiểm xã hội"]),
];

/// Numbered districts written short ("Q1", "Q.1" = "Quận 1"), as
/// Hồ Chí Minh City's are.
const DISTRICTS: u32 = 12;

/// Sets of equivalent forms, each form as its folded words.
pub fn synonym_sets(site: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |key: &str, values: Vec<String>| {
        let folded_key = folded_words(key);
        if folded_key.is_empty() {
            return;
        }
        let mut forms = vec![folded_key.clone()];
        for v in values {
            let f = folded_words(&v);
            if !f.is_empty() && !forms.contains(&f) {
                forms.push(f);
            }
        }
        sets.insert(folded_key, forms);
    };
    for (k, vs) in DEFAULT_SYNONYMS {
        add(k, vs.iter().map(|s| (*s).to_string()).collect());
    }
    for n in 1..=DISTRICTS {
        add(
            &format!("q{n}"),
            vec![format!("quận {n}"), format!("q.{n}")],
        );
    }
    for (k, vs) in site {
        add(k, vs.clone());
    }
    sets.into_values().filter(|f| f.len() > 1).collect()
}

fn folded_words(s: &str) -> String {
    analyze(s)
        .into_iter()
        .filter(|t| !t.code)
        .map(|t| t.folded)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One way to satisfy a group: all of `required`, scored with `optional`;
/// `class` orders results before scores ([`TYPED`], [`PREFIXED`],
/// [`CORRECTED`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alt {
    pub required: Vec<String>,
    pub optional: Vec<String>,
    pub class: u8,
}

/// A word of the query, or a span that matched a synonym set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    pub alts: Vec<Alt>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Query {
    pub groups: Vec<Group>,
    /// Adjacent pairs across words: scored where present, never required.
    pub bonus: Vec<String>,
    /// When the query is one phrase of two words or more (see the module
    /// documentation), the pairs of [`Query::bonus`]: a document holding
    /// them all ranks before one that does not, after class and before
    /// score (the open last word's pair is already its class). Empty
    /// otherwise.
    pub phrase: Vec<String>,
    /// The query's diacritic-bearing words, exact: the second sort key.
    pub exact: Vec<String>,
    /// Folded words, for highlighting.
    pub words: Vec<String>,
    /// The last word, when it may be unfinished.
    pub open: Option<Open>,
    /// Words in no document and what they were taken for, as shown:
    /// (folded word typed, correction).
    pub corrections: Vec<(String, String)>,
}

/// A last word that may be unfinished: its group, folded form, and the
/// previous word when the two are adjacent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Open {
    pub group: usize,
    pub word: String,
    pub prev: Option<String>,
}

impl Query {
    /// Every term whose postings the query reads.
    pub fn terms(&self) -> Vec<String> {
        self.terms_ref().into_iter().cloned().collect()
    }

    pub fn terms_ref(&self) -> Vec<&String> {
        let mut all: Vec<&String> = self
            .groups
            .iter()
            .flat_map(|g| g.alts.iter())
            .flat_map(|a| a.required.iter().chain(&a.optional))
            .chain(&self.bonus)
            .chain(&self.exact)
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// Splits on straight or curly double quotes: odd segments are phrases.
fn segments(q: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in q.chars() {
        if matches!(c, '"' | '“' | '”') {
            out.push((quoted, std::mem::take(&mut current)));
            quoted = !quoted;
        } else {
            current.push(c);
        }
    }
    out.push((quoted, current));
    out
}

fn exact_term(t: &Token) -> Option<String> {
    t.has_diacritics()
        .then(|| format!("{EXACT_PREFIX}{}", t.exact))
}

pub fn parse(q: &str, synonyms: &[Vec<String>]) -> Query {
    let mut query = Query::default();
    for (phrase, text) in segments(q) {
        let tokens = analyze(&text);
        let words: Vec<&Token> = tokens.iter().filter(|t| !t.code).collect();
        let codes = |pos: u32| -> Vec<String> {
            tokens
                .iter()
                .filter(|t| t.code && t.pos == pos)
                .map(|t| t.folded.clone())
                .collect()
        };
        query.words.extend(words.iter().map(|t| t.folded.clone()));
        query
            .exact
            .extend(words.iter().filter_map(|t| exact_term(t)));
        let mut i = 0;
        // The previous group was a single plain word (it may pair with the next).
        let mut prev_plain: Option<&Token> = None;
        query.open = None;
        while i < words.len() {
            let span = if phrase {
                None
            } else {
                synonym_span(&words[i..], synonyms)
            };
            if let Some((len, set)) = span {
                let own = &words[i..i + len];
                query.groups.push(Group {
                    alts: set.iter().map(|form| synonym_alt(form, own)).collect(),
                });
                prev_plain = None;
                query.open = None;
                i += len;
                continue;
            }
            let t = words[i];
            let mut alt = Alt {
                required: vec![t.folded.clone()],
                optional: exact_term(t).into_iter().chain(codes(t.pos)).collect(),
                class: TYPED,
            };
            // A document code: as typed where the code is, else PREFIXED.
            let document_code: Vec<String> = codes(t.pos)
                .into_iter()
                .filter(|c| c.contains('/'))
                .collect();
            alt.optional.retain(|o| !document_code.contains(o));
            if let Some(p) = prev_plain.filter(|_| t.joined) {
                let pair = pair_term(&p.folded, &t.folded);
                if phrase {
                    alt.required.push(pair);
                } else {
                    query.bonus.push(pair);
                }
            }
            let pair_prev = prev_plain.filter(|_| t.joined).map(|p| p.folded.clone());
            let alts = if document_code.is_empty() {
                vec![alt]
            } else {
                let mut at_code = alt.clone();
                at_code.required.extend(document_code);
                vec![
                    at_code,
                    Alt {
                        class: PREFIXED,
                        ..alt
                    },
                ]
            };
            query.groups.push(Group { alts });
            // A word that ends a document code ("…/TU") is not a prefix;
            // one that ends a slug ("q1-gan-camera-giam") is.
            let in_code =
                !t.joined && i > 0 && tokens.iter().any(|c| c.code && c.folded.contains('/'));
            let last = i + 1 == words.len();
            query.open = (!phrase && last && codes(t.pos).is_empty() && !in_code).then(|| Open {
                group: query.groups.len() - 1,
                word: t.folded.clone(),
                prev: pair_prev,
            });
            prev_plain = Some(t);
            i += 1;
        }
    }
    if !q.chars().last().is_some_and(is_word_char) {
        query.open = None;
    }
    open_after_its_word(&mut query);
    // One phrase: every group but the first follows the previous one in a
    // pair (a bonus, or the open last word's).
    let open_pair = query.open.as_ref().is_some_and(|o| o.prev.is_some());
    if !query.bonus.is_empty()
        && query.bonus.len() + usize::from(open_pair) + 1 == query.groups.len()
    {
        query.phrase = query.bonus.clone();
    }
    query.exact.sort();
    query.exact.dedup();
    if query.words.len() >= LONG_QUERY_WORDS {
        read_lightly(&mut query);
    }
    query
}

/// From this many words on, a query is read lightly ([`read_lightly`]).
pub const LONG_QUERY_WORDS: usize = 9;

/// A long query (a pasted title, a sentence) is already narrow by its
/// words: it reads no accented form, and only the first, third, fifth …
/// of its adjacent pairs (words 1–2, 3–4, … when it is one phrase), so it
/// stays within the next-query budget of docs/search.md (every
/// accented form costs a shard of its own, about 1 KB, and a common pair
/// 1–3 KB). Every word still has to match, and a document holding all the
/// pairs it reads still ranks first when the query is one phrase.
fn read_lightly(query: &mut Query) {
    for alt in query.groups.iter_mut().flat_map(|g| g.alts.iter_mut()) {
        alt.optional.retain(|t| !t.starts_with(EXACT_PREFIX));
    }
    query.exact.clear();
    let mut k = 0;
    query.bonus.retain(|_| {
        k += 1;
        k % 2 == 1
    });
    if !query.phrase.is_empty() {
        query.phrase = query.bonus.clone();
    }
}

/// An open last word typed right after another counts as typed where the
/// two are adjacent, and only as a word anywhere else, as a longer word it
/// begins does: "ninh ki" finds "Ninh Kiều" no later than a text with
/// "ninh" here and "kĩ" there, while "quận 1" still puts Quận 1 first.
fn open_after_its_word(query: &mut Query) {
    let Some(open) = query.open.clone() else {
        return;
    };
    let Some(p) = &open.prev else {
        return;
    };
    let pair = pair_term(p, &open.word);
    query.bonus.retain(|b| *b != pair);
    let own = query.groups[open.group].alts[0].clone();
    let mut adjacent = own.clone();
    adjacent.required.push(pair);
    let elsewhere = Alt {
        class: PREFIXED,
        ..own
    };
    query.groups[open.group] = Group {
        alts: vec![adjacent, elsewhere],
    };
}

/// Dictionary blocks (by index) that may hold terms beginning with
/// `prefix`: among the blocks of words (the first `words` blocks) or, for
/// a prefix of a pair, of pairs, the block where it would sort, then those
/// whose first term begins with it; at most [`PREFIX_BLOCKS`].
pub fn dict_blocks(first: &[String], words: usize, prefix: &str) -> Vec<usize> {
    let words = words.min(first.len());
    let (from, to) = if prefix.contains(' ') {
        (words, first.len())
    } else {
        (0, words)
    };
    let start = first[from..to]
        .iter()
        .rposition(|f| js_order(f, prefix).is_le())
        .map_or(from, |i| from + i);
    (start..to)
        .take_while(|&i| i == start || first[i].starts_with(prefix))
        .take(PREFIX_BLOCKS)
        .collect()
}

/// The words an unfinished `open` word stands for, given the dictionary
/// terms (with document frequency) of the blocks [`open_lookups`] named.
fn expansions(open: &Open, lookup: &dyn Fn(&str) -> Vec<(String, u32)>) -> Vec<String> {
    let pick = |prefix: &str, strip: usize, single: bool| -> Vec<String> {
        let mut found: Vec<(String, u32)> = lookup(prefix)
            .into_iter()
            .filter(|(t, _)| t.starts_with(prefix) && (!single || !t.contains(' ')))
            .map(|(t, df)| (t[strip..].to_string(), df))
            .filter(|(t, _)| *t != open.word)
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(js_order(&a.0, &b.0)));
        found.dedup_by(|a, b| a.0 == b.0);
        found.into_iter().take(EXPANSIONS).map(|(t, _)| t).collect()
    };
    if let Some(p) = &open.prev {
        let prefix = pair_term(p, &open.word);
        let via_pairs = pick(&prefix, p.len() + 1, false);
        if !via_pairs.is_empty() {
            return via_pairs;
        }
    }
    pick(&open.word, 0, true)
}

/// The prefixes whose dictionary blocks prefix matching reads.
pub fn open_lookups(query: &Query) -> Vec<String> {
    let Some(open) = &query.open else {
        return Vec::new();
    };
    let mut out: Vec<String> = open.prev.iter().map(|p| pair_term(p, &open.word)).collect();
    out.push(open.word.clone());
    out
}

/// Lets the unfinished last word also match the words it begins (see the
/// module documentation): the word as typed stays the first alternative,
/// the longer words follow as [`PREFIXED`]. `lookup(prefix)` returns the
/// terms of the dictionary blocks [`dict_blocks`] names for that prefix.
///
/// Returns whether it added any: then the query reads more postings, and
/// a searcher that must fetch them first asks the query as typed
/// ([`typed_first`]).
pub fn expand_open(query: &mut Query, lookup: &dyn Fn(&str) -> Vec<(String, u32)>) -> bool {
    let Some(open) = query.open.clone() else {
        return false;
    };
    let words = expansions(&open, lookup);
    if words.is_empty() {
        return false;
    }
    let own = query.groups[open.group].alts.clone();
    let alts = own
        .into_iter()
        .chain(words.iter().map(|w| Alt {
            required: vec![w.clone()],
            optional: open.prev.iter().map(|p| pair_term(p, w)).collect(),
            class: PREFIXED,
        }))
        .collect();
    query.groups[open.group] = Group { alts };
    for w in words {
        if !query.words.contains(&w) {
            query.words.push(w);
        }
    }
    true
}

/// Whether a searcher may first ask the query as typed, without the words
/// its last word begins: when that word is itself a word of the site
/// (`lookup` as for [`expand_open`]). Every document the longer words add
/// is [`PREFIXED`], after every document the typed query finds, so when
/// those fill the first page ([`typed_page`]) it is the first page of the
/// whole query, and the longer words' postings need not be read.
pub fn typed_first(query: &Query, lookup: &dyn Fn(&str) -> Vec<(String, u32)>) -> bool {
    query
        .open
        .as_ref()
        .is_some_and(|o| lookup(&o.word).iter().any(|(t, _)| *t == o.word))
}

/// Whether the results of the query as typed fill a first page of `k` with
/// documents as typed (see [`typed_first`]).
pub fn typed_page(classes: &[u8], k: usize) -> bool {
    k > 0 && classes.len() >= k && classes[k - 1] == TYPED
}

/// The longest synonym form that the words start with: (word count, set).
fn synonym_span<'s>(
    words: &[&Token],
    synonyms: &'s [Vec<String>],
) -> Option<(usize, &'s [String])> {
    let mut best: Option<(usize, &[String])> = None;
    for set in synonyms {
        for form in set {
            let n = form.split(' ').count();
            let matches =
                n <= words.len() && form.split(' ').zip(words).all(|(f, w)| f == w.folded);
            if matches && best.is_none_or(|(len, _)| n > len) {
                best = Some((n, set));
            }
        }
    }
    best
}

/// One form of a synonym set as an alternative: its words and their
/// adjacent pairs required (a phrase, not words scattered over the text);
/// for the form the user typed, their exact words optional, and only the
/// pairs they typed adjacent required.
fn synonym_alt(form: &str, typed: &[&Token]) -> Alt {
    let words: Vec<&str> = form.split(' ').collect();
    let typed_form =
        typed.len() == words.len() && typed.iter().zip(&words).all(|(t, w)| t.folded == *w);
    let optional = if typed_form {
        typed.iter().filter_map(|t| exact_term(t)).collect()
    } else {
        Vec::new()
    };
    let pairs = words
        .windows(2)
        .enumerate()
        .filter(|(i, _)| !typed_form || typed[i + 1].joined)
        .map(|(_, w)| pair_term(w[0], w[1]));
    Alt {
        required: words
            .iter()
            .map(|w| (*w).to_string())
            .chain(pairs)
            .collect(),
        optional,
        class: TYPED,
    }
}

/// A group that may be a typo: a single plain word as typed, with no
/// longer word it begins, in no document. Its word and the previous word
/// when the two are adjacent.
fn correctable(query: &Query, g: usize, missing: &dyn Fn(&str) -> bool) -> Option<String> {
    let group = &query.groups[g];
    let first = group.alts.first()?;
    let word = first.required.first()?;
    // The word alone, or (an open last word) with and without its pair.
    let own = match group.alts.as_slice() {
        [a] => a.required.len() == 1,
        [a, b] => {
            query
                .open
                .as_ref()
                .is_some_and(|o| o.group == g && o.prev.is_some())
                && b.required == [word.clone()]
                && a.required.len() == 2
        }
        _ => false,
    };
    (own && first.class == TYPED && near::correctable(word) && missing(word)).then(|| word.clone())
}

/// The previous word of group `g` when it is a plain word adjacent to it
/// (its pair is among the query's bonuses, or it is the open last word's).
fn previous_word(query: &Query, g: usize, word: &str) -> Option<String> {
    if let Some(o) = query.open.as_ref().filter(|o| o.group == g) {
        return o.prev.clone();
    }
    let prev = query.groups.get(g.checked_sub(1)?)?;
    let p = prev.alts.first()?.required.first()?;
    query
        .bonus
        .iter()
        .any(|b| *b == pair_term(p, word))
        .then(|| p.clone())
}

/// The dictionary prefixes and near lists [`correct`] reads for the words
/// `missing` says are in no document.
pub fn correction_lookups(
    query: &Query,
    missing: &dyn Fn(&str) -> bool,
) -> (Vec<String>, Vec<String>) {
    let mut prefixes = Vec::new();
    let mut keys = Vec::new();
    for g in 0..query.groups.len() {
        let Some(word) = correctable(query, g, missing) else {
            continue;
        };
        if let Some(p) = previous_word(query, g, &word) {
            prefixes.push(pair_term(&p, ""));
        }
        if near::max_distance(word.chars().count()) > 0 {
            keys.extend(near::keys(&word));
        }
    }
    prefixes.sort();
    prefixes.dedup();
    keys.sort();
    keys.dedup();
    (prefixes, keys)
}

/// One candidate correction: its words, distance, whether the previous
/// word confirms it (an adjacent pair in some document), frequency, and
/// how it is shown.
struct Candidate {
    words: Vec<String>,
    distance: usize,
    paired: bool,
    df: u32,
    shown: String,
}

/// Adds corrections to each group whose word is in no document (`missing`,
/// see `search::near`): the words within reach found among the terms that
/// follow the previous word in a pair (`lookup`, as for [`expand_open`]),
/// in the near lists (`near_list(key)`), and the splits of a joined word
/// whose parts are both words of the site; at most [`near::CORRECTIONS`],
/// by distance, then confirmed by the previous word, then frequency, then
/// JavaScript string order. They are [`CORRECTED`] alternatives.
pub fn correct(
    query: &mut Query,
    missing: &dyn Fn(&str) -> bool,
    lookup: &dyn Fn(&str) -> Vec<(String, u32)>,
    near_list: &dyn Fn(&str) -> Vec<NearWord>,
) {
    for g in 0..query.groups.len() {
        let Some(word) = correctable(query, g, missing) else {
            continue;
        };
        let len = word.chars().count();
        let prev = previous_word(query, g, &word);
        let mut found: Vec<Candidate> = Vec::new();
        if let Some(p) = &prev {
            let prefix = pair_term(p, "");
            let reach = near::max_distance(len).max(1);
            for (t, df) in lookup(&prefix) {
                let Some(w) = t.strip_prefix(&prefix) else {
                    continue;
                };
                if w.contains(' ') || !near::correctable(w) {
                    continue;
                }
                if let Some(d) = near::distance(&word, w, reach) {
                    found.push(Candidate {
                        words: vec![w.to_string()],
                        distance: d,
                        paired: true,
                        df,
                        shown: w.to_string(),
                    });
                }
            }
        }
        let reach = near::max_distance(len);
        if reach > 0 {
            let keys = near::keys(&word);
            let first = near_list(&keys[0]);
            let last = near_list(&keys[1]);
            for n in first.iter().chain(&last) {
                if let Some(d) = near::distance(&word, &n.0, reach) {
                    found.push(Candidate {
                        words: vec![n.0.clone()],
                        distance: d,
                        paired: false,
                        df: n.1,
                        shown: n.shown().to_string(),
                    });
                }
            }
            // A joined word: a left part that begins it, a right part that
            // ends it.
            for l in first
                .iter()
                .filter(|l| word.starts_with(&l.0) && l.0.len() < word.len())
            {
                let rest = &word[l.0.len()..];
                if let Some(r) = last.iter().find(|r| r.0 == rest) {
                    found.push(Candidate {
                        words: vec![l.0.clone(), r.0.clone()],
                        distance: 1,
                        paired: false,
                        df: l.1.min(r.1),
                        shown: format!("{} {}", l.shown(), r.shown()),
                    });
                }
            }
        }
        // Best first; one entry per correction (a word may come from both
        // lists, or from a pair and a list: the first kept is the best).
        found.sort_by(|a, b| {
            a.distance
                .cmp(&b.distance)
                .then(b.paired.cmp(&a.paired))
                .then(b.df.cmp(&a.df))
                .then(js_order(&a.words.join(" "), &b.words.join(" ")))
        });
        let mut seen: Vec<Vec<String>> = Vec::new();
        found.retain(|c| {
            let new = !seen.contains(&c.words);
            if new {
                seen.push(c.words.clone());
            }
            new
        });
        found.truncate(near::CORRECTIONS);
        let Some(best) = found.first() else {
            continue;
        };
        query.corrections.push((word.clone(), best.shown.clone()));
        for c in &found {
            let mut required = c.words.clone();
            if let [l, r] = c.words.as_slice() {
                required.push(pair_term(l, r));
            }
            let optional = prev.iter().map(|p| pair_term(p, &c.words[0])).collect();
            query.groups[g].alts.push(Alt {
                required,
                optional,
                class: CORRECTED,
            });
            for w in &c.words {
                if !query.words.contains(w) {
                    query.words.push(w.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_words_prefix_reads_no_block_of_pairs() {
        let first: Vec<String> = [
            "a", "banh", "bao", "c", "an x", "banh mi", "banh my", "bao x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(dict_blocks(&first, 4, "banh m"), [4, 5]);
        assert_eq!(dict_blocks(&first, 4, "banh"), [1]);
        assert_eq!(dict_blocks(&first, 4, "b"), [0, 1]);
    }

    #[test]
    fn words_exact_and_pairs() {
        let q = parse("đường Quảng Ninh ", &[]);
        assert_eq!(q.groups.len(), 3);
        assert_eq!(q.groups[0].alts[0].optional, ["=đường"]);
        assert_eq!(q.bonus, ["duong quang", "quang ninh"]);
        assert_eq!(q.exact, ["=quảng", "=đường"]);
        // An open last word: as typed where it follows the previous word.
        let q = parse("đường Quảng Ninh", &[]);
        assert_eq!(q.bonus, ["duong quang"]);
        assert_eq!(q.groups[2].alts[0].required, ["ninh", "quang ninh"]);
        assert_eq!(q.groups[2].alts[1].required, ["ninh"]);
        assert_eq!(q.groups[2].alts[1].class, PREFIXED);
    }

    #[test]
    fn a_long_query_reads_no_accented_form_and_every_other_pair() {
        let sets = synonym_sets(&BTreeMap::new());
        // Eight words: read in full.
        let eight = parse("vận động nhân dân phát triển kinh tế ", &sets);
        assert_eq!(eight.words.len(), LONG_QUERY_WORDS - 1);
        assert_eq!(eight.bonus.len(), 7);
        assert!(eight.exact.contains(&"=vận".to_string()));
        assert_eq!(eight.groups[0].alts[0].optional, ["=vận"]);
        // Nine: no accented form, the pairs of words 1-2, 3-4, 5-6, 7-8.
        let nine = parse("vận động nhân dân phát triển kinh tế bền ", &sets);
        assert_eq!(nine.words.len(), LONG_QUERY_WORDS);
        assert!(nine.exact.is_empty());
        assert!(nine.terms().iter().all(|t| !t.starts_with(EXACT_PREFIX)));
        assert_eq!(
            nine.bonus,
            ["van dong", "nhan dan", "phat trien", "kinh te"]
        );
        assert_eq!(nine.phrase, nine.bonus, "still one phrase");
        assert_eq!(nine.groups.len(), 9);
        // Typed: the open last word keeps its pair as its class.
        let typed = parse("vận động nhân dân phát triển kinh tế bền vữ", &sets);
        assert_eq!(typed.groups[9].alts[0].required, ["vu", "ben vu"]);
        assert!(typed.exact.is_empty());
    }

    #[test]
    fn a_query_of_one_phrase_and_document_codes() {
        let sets = synonym_sets(&BTreeMap::new());
        // Every word after the first follows the previous one: the open
        // last word's pair is its class, the others the phrase.
        let q = parse("công đoàn xã Đồng Tâm", &sets);
        assert_eq!(q.phrase, ["cong doan", "doan xa", "xa dong"]);
        assert_eq!(
            parse("công đoàn xã ", &sets).phrase,
            ["cong doan", "doan xa"]
        );
        // Not one phrase: punctuation, an acronym, a quote, a single word.
        for q in [
            "công đoàn, xã Đồng Tâm",
            "tổ bảo vệ ANTT",
            "\"công đoàn\" xã Đồng",
            "công",
            "công đoàn",
        ] {
            assert!(parse(q, &sets).phrase.is_empty(), "{q}");
        }
        // A document code: its first word as typed where the code is.
        let q = parse("quyết định 885/QĐ-UBND", &sets);
        let alts: Vec<(Vec<String>, u8)> = q.groups[2]
            .alts
            .iter()
            .map(|a| (a.required.clone(), a.class))
            .collect();
        assert_eq!(
            alts,
            [
                (vec!["885".to_string(), "885/qd-ubnd".to_string()], TYPED),
                (vec!["885".to_string()], PREFIXED)
            ]
        );
        // A slug is no document code.
        let q = parse("q1-gan-camera-giam", &[]);
        assert_eq!(q.groups[0].alts.len(), 1);
    }

    #[test]
    fn phrases_require_pairs() {
        let q = parse("\"hũ gạo tình thương\"", &[]);
        assert_eq!(q.groups[3].alts[0].required, ["thuong", "tinh thuong"]);
        assert!(q.bonus.is_empty());
    }

    #[test]
    fn synonyms_expand_both_ways() {
        let sets = synonym_sets(&BTreeMap::new());
        let q = parse("UBND quận", &sets);
        assert_eq!(q.groups[0].alts.len(), 2);
        assert_eq!(
            q.groups[0].alts[1].required,
            ["uy", "ban", "nhan", "dan", "uy ban", "ban nhan", "nhan dan"]
        );
        let q = parse("Ủy ban nhân dân", &sets);
        assert_eq!(q.groups.len(), 1);
        assert_eq!(q.groups[0].alts[0].required, ["ubnd"]);
        let q = parse("TP.HCM", &sets);
        assert_eq!(q.groups.len(), 1);
    }
}
