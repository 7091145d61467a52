/* dienhinh search client: no framework, no build step.
 *
 * The analyzer, query model and ranking rule mirror src/search/analyze.rs,
 * query.rs and scorer.rs line for line; tests/search-js/ checks both against
 * the same vectors and the same exported index. Fetches only the manifest,
 * the shards holding the query's terms, the facet column, and the metadata
 * of the hits shown. */
(function (root) {
  'use strict';

  // ------------------------------------------------------------ analyzer
  var TONES = '\u0300\u0301\u0303\u0309\u0323';
  var QUALITY = '\u0302\u0306\u031b';
  var CODE_JOINERS = '-/.';
  var IGNORABLE = /[\u00ad\u200c\u200d\u2060\ufeff]/;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var SPACE = /[\p{White_Space}\u200b]/u;
  var MARK = /\p{M}/u;
  var NUMERIC = /\p{N}/u;
  var ALPHA = /\p{Alphabetic}/u;
  var EXACT_PREFIX = '=';
  /* Classes of alternatives (query::TYPED, PREFIXED, CORRECTED). */
  var TYPED = 0;
  var PREFIXED = 1;
  var CORRECTED = 2;
  /* search::near: MIN_LEN, MIN_LEN_TWO, CORRECTIONS. */
  var NEAR_MIN_LEN = 4;
  var NEAR_MIN_LEN_TWO = 5;
  var NEAR_CORRECTIONS = 3;

  function splitWords(text) {
    var words = [];
    var word = '';
    var gap = '';
    for (var c of text.normalize('NFC')) {
      if (IGNORABLE.test(c)) continue;
      if (WORD.test(c)) {
        word += c;
      } else {
        if (word) {
          words.push({ text: word, gap: gap });
          word = '';
          gap = '';
        }
        gap += c;
      }
    }
    if (word) words.push({ text: word, gap: gap });
    return words;
  }

  function allSpace(s) {
    for (var c of s) if (!SPACE.test(c)) return false;
    return true;
  }

  function analyze(text) {
    var words = splitWords(text);
    var tokens = [];
    var i = 0;
    while (i < words.length) {
      var end = codeChainEnd(words, i);
      if (end > i + 1) tokens.push(codeToken(words.slice(i, end), i));
      var n = normalizeWord(words[i].text);
      tokens.push({ exact: n[0], folded: n[1], pos: i, joined: i > 0 && allSpace(words[i].gap), code: false });
      if (end > i + 1) {
        for (var j = i + 1; j < end; j++) {
          var m = normalizeWord(words[j].text);
          tokens.push({ exact: m[0], folded: m[1], pos: j, joined: false, code: false });
        }
        i = end;
      } else {
        i += 1;
      }
    }
    return tokens;
  }

  function isCodeJoiner(gap) {
    var chars = Array.from(gap);
    return chars.length === 1 && CODE_JOINERS.indexOf(chars[0]) >= 0;
  }

  function codeChainEnd(words, start) {
    var end = start + 1;
    while (end < words.length && isCodeJoiner(words[end].gap)) end++;
    var digit = false;
    var letter = false;
    for (var k = start; k < end; k++) {
      for (var c of words[k].text) {
        if (NUMERIC.test(c)) digit = true;
        if (ALPHA.test(c)) letter = true;
      }
    }
    return end > start + 1 && digit && letter ? end : start + 1;
  }

  function codeToken(words, pos) {
    var exact = '';
    var folded = '';
    words.forEach(function (w, k) {
      if (k > 0) {
        exact += w.gap;
        folded += w.gap;
      }
      var n = normalizeWord(w.text);
      exact += n[0];
      folded += n[1];
    });
    return { exact: exact, folded: folded, pos: pos, joined: false, code: true };
  }

  function normalizeWord(word) {
    var lower = '';
    for (var c of word) lower += c.toLowerCase();
    var exact = canonicalSyllable(lower.normalize('NFC'));
    return [exact, foldWord(exact)];
  }

  function foldWord(exact) {
    var out = '';
    for (var c of exact.normalize('NFD')) {
      if (MARK.test(c)) continue;
      out += c === '\u0111' ? 'd' : c;
    }
    return out;
  }

  function isVowel(c) {
    return 'aeiouy'.indexOf(c) >= 0;
  }

  function decompose(word) {
    var letters = [];
    for (var c of word.normalize('NFD')) {
      var last = letters[letters.length - 1];
      if (TONES.indexOf(c) >= 0) {
        if (!last || last.tone) return null;
        last.tone = c;
      } else if (QUALITY.indexOf(c) >= 0) {
        if (!last) return null;
        last.quality += c;
      } else if ((c >= 'a' && c <= 'z') || c === '\u0111') {
        letters.push({ base: c, quality: '', tone: '' });
      } else {
        return null;
      }
    }
    return letters;
  }

  function nucleus(letters) {
    var start = -1;
    for (var i = 0; i < letters.length; i++) {
      if (isVowel(letters[i].base)) { start = i; break; }
    }
    if (start < 0) return null;
    var plain = function (k, c) { return k < letters.length && letters[k].base === c && !letters[k].quality; };
    var vowelAt = function (k) { return k < letters.length && isVowel(letters[k].base); };
    var onsetIs = function (s) {
      if (start !== s.length) return false;
      for (var k = 0; k < start; k++) if (letters[k].base !== s[k]) return false;
      return true;
    };
    if (((onsetIs('q') && plain(start, 'u')) || (onsetIs('g') && plain(start, 'i'))) && vowelAt(start + 1)) start++;
    var end = letters.length;
    for (var j = start; j < letters.length; j++) {
      if (!isVowel(letters[j].base)) { end = j; break; }
    }
    return [start, end];
  }

  function tonePosition(letters, start, end) {
    for (var i = end - 1; i >= start; i--) if (letters[i].quality) return i;
    if (end < letters.length) return end - 1;
    return end - start <= 2 ? start : start + 1;
  }

  function canonicalSyllable(word) {
    var letters = decompose(word);
    if (!letters) return word;
    var tones = letters.filter(function (l) { return l.tone; }).map(function (l) { return l.tone; });
    if (tones.length > 1) return word;
    letters.forEach(function (l) { l.tone = ''; });
    var nu = nucleus(letters);
    if (!nu) return word;
    var start = nu[0];
    var end = nu[1];
    if (end === start + 1 && start > 0 && end === letters.length && letters[start].base === 'y' && !letters[start].quality) {
      letters[start].base = 'i';
    }
    if (tones.length) letters[tonePosition(letters, start, end)].tone = tones[0];
    return letters.map(function (l) { return l.base + l.quality + l.tone; }).join('').normalize('NFC');
  }

  function pairTerm(a, b) {
    return a + ' ' + b;
  }

  function pairs(tokens) {
    var words = tokens.filter(function (t) { return !t.code; });
    var out = [];
    for (var i = 1; i < words.length; i++) {
      if (words[i].joined && words[i].pos === words[i - 1].pos + 1) out.push(pairTerm(words[i - 1].folded, words[i].folded));
    }
    return out;
  }

  // ------------------------------------------------------------ queries
  function segments(q) {
    var out = [];
    var current = '';
    var quoted = false;
    for (var c of q) {
      if (c === '"' || c === '\u201c' || c === '\u201d') {
        out.push([quoted, current]);
        current = '';
        quoted = !quoted;
      } else {
        current += c;
      }
    }
    out.push([quoted, current]);
    return out;
  }

  function hasDiacritics(t) {
    return t.exact !== t.folded;
  }

  function exactTerm(t) {
    return hasDiacritics(t) ? EXACT_PREFIX + t.exact : null;
  }

  function synonymSpan(words, from, synonyms) {
    var best = null;
    synonyms.forEach(function (set) {
      set.forEach(function (form) {
        var parts = form.split(' ');
        var n = parts.length;
        if (n > words.length - from) return;
        for (var k = 0; k < n; k++) {
          if (parts[k] !== words[from + k].folded) return;
        }
        if (!best || n > best[0]) best = [n, set];
      });
    });
    return best;
  }

  /* Mirrors query::synonym_alt: a form's words and adjacent pairs are
   * required (only the pairs typed adjacent, for the form typed). */
  function synonymAlt(form, typed) {
    var words = form.split(' ');
    var typedForm = typed.length === words.length && typed.every(function (t, k) { return t.folded === words[k]; });
    var optional = [];
    if (typedForm) typed.forEach(function (t) { var e = exactTerm(t); if (e) optional.push(e); });
    var required = words.slice();
    for (var k = 1; k < words.length; k++) {
      if (!typedForm || typed[k].joined) required.push(pairTerm(words[k - 1], words[k]));
    }
    return { required: required, optional: optional, class: TYPED };
  }

  function parseQuery(q, synonyms) {
    var query = { groups: [], bonus: [], phrase: [], exact: [], words: [], corrections: [] };
    segments(q).forEach(function (seg) {
      var phrase = seg[0];
      var tokens = analyze(seg[1]);
      var words = tokens.filter(function (t) { return !t.code; });
      var codes = function (pos) {
        return tokens.filter(function (t) { return t.code && t.pos === pos; }).map(function (t) { return t.folded; });
      };
      words.forEach(function (t) {
        query.words.push(t.folded);
        var e = exactTerm(t);
        if (e) query.exact.push(e);
      });
      var i = 0;
      var prevPlain = null;
      query.open = null;
      while (i < words.length) {
        var span = phrase ? null : synonymSpan(words, i, synonyms);
        if (span) {
          var own = words.slice(i, i + span[0]);
          query.groups.push({ alts: span[1].map(function (form) { return synonymAlt(form, own); }) });
          prevPlain = null;
          query.open = null;
          i += span[0];
          continue;
        }
        var t = words[i];
        var e = exactTerm(t);
        var alt = { required: [t.folded], optional: (e ? [e] : []).concat(codes(t.pos)), class: TYPED };
        // A document code: as typed where the code is, else PREFIXED.
        var docCode = codes(t.pos).filter(function (c) { return c.indexOf('/') >= 0; });
        alt.optional = alt.optional.filter(function (o) { return docCode.indexOf(o) < 0; });
        if (prevPlain && t.joined) {
          var pair = pairTerm(prevPlain.folded, t.folded);
          if (phrase) alt.required.push(pair);
          else query.bonus.push(pair);
        }
        var pairPrev = prevPlain && t.joined ? prevPlain.folded : null;
        query.groups.push({ alts: docCode.length ? [
          { required: alt.required.concat(docCode), optional: alt.optional, class: TYPED },
          { required: alt.required, optional: alt.optional.slice(), class: PREFIXED },
        ] : [alt] });
        // A word that ends a document code ("…/TU") is not a prefix;
        // one that ends a slug ("q1-gan-camera-giam") is.
        var inCode = !t.joined && i > 0 && tokens.some(function (c) { return c.code && c.folded.indexOf('/') >= 0; });
        query.open = !phrase && i + 1 === words.length && codes(t.pos).length === 0 && !inCode
          ? { group: query.groups.length - 1, word: t.folded, prev: pairPrev }
          : null;
        prevPlain = t;
        i += 1;
      }
    });
    var chars = Array.from(q);
    if (!chars.length || !WORD.test(chars[chars.length - 1])) query.open = null;
    openAfterItsWord(query);
    // Mirrors query::parse: one phrase when every group follows the previous in a pair.
    var openPair = query.open && query.open.prev !== null ? 1 : 0;
    if (query.bonus.length && query.bonus.length + openPair + 1 === query.groups.length) query.phrase = query.bonus.slice();
    query.exact = uniqueSorted(query.exact);
    if (query.words.length >= LONG_QUERY_WORDS) readLightly(query);
    return query;
  }

  /* Mirrors query::read_lightly: a long query reads no accented form, and
   * only the first, third, fifth ... of its adjacent pairs. */
  var LONG_QUERY_WORDS = 9;
  function readLightly(query) {
    var folded = function (t) { return t.charAt(0) !== EXACT_PREFIX; };
    query.groups.forEach(function (g) {
      g.alts.forEach(function (a) { a.optional = a.optional.filter(folded); });
    });
    query.exact = [];
    query.bonus = query.bonus.filter(function (t, k) { return k % 2 === 0; });
    if (query.phrase.length) query.phrase = query.bonus.slice();
  }

  /* Mirrors query::open_after_its_word. */
  function openAfterItsWord(query) {
    var open = query.open;
    if (!open || open.prev === null) return;
    var pair = pairTerm(open.prev, open.word);
    query.bonus = query.bonus.filter(function (b) { return b !== pair; });
    var own = query.groups[open.group].alts[0];
    query.groups[open.group] = {
      alts: [
        { required: own.required.concat([pair]), optional: own.optional.slice(), class: TYPED },
        { required: own.required.slice(), optional: own.optional.slice(), class: PREFIXED },
      ],
    };
  }

  // ------------------------------------------------------------ prefixes
  /* Mirrors query.rs: an unfinished last word (typing only) matches the
   * EXPANSIONS most frequent words it begins, preferring words that follow
   * the previous word in an adjacent pair. */
  var EXPANSIONS = 5;
  var PREFIX_BLOCKS = 2;

  function jsOrder(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /* Mirrors query::dict_blocks: words fill the first `words` blocks,
   * pairs the others. */
  function dictBlocks(first, words, prefix) {
    words = Math.min(words, first.length);
    var from = prefix.indexOf(' ') >= 0 ? words : 0;
    var to = prefix.indexOf(' ') >= 0 ? first.length : words;
    var start = from;
    for (var i = to - 1; i >= from; i--) {
      if (first[i] <= prefix) { start = i; break; }
    }
    var out = [];
    for (var j = start; j < to && out.length < PREFIX_BLOCKS; j++) {
      if (j !== start && !first[j].startsWith(prefix)) break;
      out.push(j);
    }
    return out;
  }

  function expansions(open, lookup) {
    var pick = function (prefix, strip, single) {
      var found = lookup(prefix)
        .filter(function (e) { return e[0].startsWith(prefix) && (!single || e[0].indexOf(' ') < 0); })
        .map(function (e) { return [e[0].slice(strip), e[1]]; })
        .filter(function (e) { return e[0] !== open.word; });
      found.sort(function (a, b) { return b[1] - a[1] || jsOrder(a[0], b[0]); });
      found = found.filter(function (e, i) { return i === 0 || found[i - 1][0] !== e[0]; });
      return found.slice(0, EXPANSIONS).map(function (e) { return e[0]; });
    };
    if (open.prev !== null) {
      var viaPairs = pick(pairTerm(open.prev, open.word), open.prev.length + 1, false);
      if (viaPairs.length) return viaPairs;
    }
    return pick(open.word, 0, true);
  }

  function openLookups(query) {
    if (!query.open) return [];
    var out = query.open.prev !== null ? [pairTerm(query.open.prev, query.open.word)] : [];
    out.push(query.open.word);
    return out;
  }

  function expandOpen(query, lookup) {
    var open = query.open;
    if (!open) return false;
    var words = expansions(open, lookup);
    if (!words.length) return false;
    query.groups[open.group] = {
      alts: query.groups[open.group].alts.concat(words.map(function (w) {
        return { required: [w], optional: open.prev !== null ? [pairTerm(open.prev, w)] : [], class: PREFIXED };
      })),
    };
    words.forEach(function (w) { if (query.words.indexOf(w) < 0) query.words.push(w); });
    return true;
  }

  /* Mirrors query::typed_first. */
  function typedFirst(query, lookup) {
    var open = query.open;
    return !!open && lookup(open.word).some(function (e) { return e[0] === open.word; });
  }

  /* Mirrors query::typed_page. */
  function typedPage(classes, k) {
    return k > 0 && classes.length >= k && classes[k - 1] === TYPED;
  }

  // ------------------------------------------------------------ typos
  /* Mirrors search::near. */
  function nearMaxDistance(len) {
    return len >= NEAR_MIN_LEN_TWO ? 2 : len >= NEAR_MIN_LEN ? 1 : 0;
  }

  function nearCorrectable(word) {
    return word.length > 0 && /^\p{Alphabetic}+$/u.test(word);
  }

  function nearKeys(word) {
    var chars = Array.from(word);
    if (!chars.length) return [];
    return ['^' + chars[0], chars[chars.length - 1] + '$'];
  }

  /* Optimal string alignment distance, or null above max. */
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return null;
    var prev2 = [];
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var rowMin = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var d = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) d = Math.min(d, prev2[k - 2] + 1);
        cur.push(d);
        rowMin = Math.min(rowMin, d);
      }
      if (rowMin > max) return null;
      prev2 = prev;
      prev = cur;
    }
    var dist = prev[b.length];
    return dist <= max ? dist : null;
  }

  function nearShown(n) {
    return n[2] ? n[2] : n[0];
  }

  /* Mirrors query::correctable. */
  function correctableWord(query, g, missing) {
    var alts = query.groups[g].alts;
    if (!alts.length || !alts[0].required.length) return null;
    var word = alts[0].required[0];
    var open = query.open;
    var own = alts.length === 1
      ? alts[0].required.length === 1
      : alts.length === 2 && !!open && open.group === g && open.prev !== null
        && alts[1].required.length === 1 && alts[1].required[0] === word && alts[0].required.length === 2;
    return own && alts[0].class === TYPED && nearCorrectable(word) && missing(word) ? word : null;
  }

  /* Mirrors query::previous_word. */
  function previousWord(query, g, word) {
    if (query.open && query.open.group === g) return query.open.prev;
    if (g < 1) return null;
    var prev = query.groups[g - 1];
    if (!prev.alts.length || !prev.alts[0].required.length) return null;
    var p = prev.alts[0].required[0];
    return query.bonus.indexOf(pairTerm(p, word)) >= 0 ? p : null;
  }

  /* Mirrors query::correction_lookups: [dictionary prefixes, near keys]. */
  function correctionLookups(query, missing) {
    var prefixes = [];
    var keys = [];
    for (var g = 0; g < query.groups.length; g++) {
      var word = correctableWord(query, g, missing);
      if (word === null) continue;
      var p = previousWord(query, g, word);
      if (p !== null) prefixes.push(pairTerm(p, ''));
      if (nearMaxDistance(Array.from(word).length) > 0) keys = keys.concat(nearKeys(word));
    }
    return [uniqueSorted(prefixes), uniqueSorted(keys)];
  }

  /* Mirrors query::correct. */
  function correct(query, missing, lookup, nearList) {
    for (var g = 0; g < query.groups.length; g++) {
      var word = correctableWord(query, g, missing);
      if (word === null) continue;
      var len = Array.from(word).length;
      var prev = previousWord(query, g, word);
      var found = [];
      if (prev !== null) {
        var prefix = pairTerm(prev, '');
        var reachPair = Math.max(nearMaxDistance(len), 1);
        lookup(prefix).forEach(function (e) {
          if (!e[0].startsWith(prefix)) return;
          var w = e[0].slice(prefix.length);
          if (w.indexOf(' ') >= 0 || !nearCorrectable(w)) return;
          var d = distance(word, w, reachPair);
          if (d !== null) found.push({ words: [w], distance: d, paired: true, df: e[1], shown: w });
        });
      }
      var reach = nearMaxDistance(len);
      if (reach > 0) {
        var keys = nearKeys(word);
        var first = nearList(keys[0]);
        var last = nearList(keys[1]);
        first.concat(last).forEach(function (n) {
          var d = distance(word, n[0], reach);
          if (d !== null) found.push({ words: [n[0]], distance: d, paired: false, df: n[1], shown: nearShown(n) });
        });
        first.forEach(function (l) {
          if (!word.startsWith(l[0]) || l[0].length >= word.length) return;
          var rest = word.slice(l[0].length);
          var r = last.find(function (x) { return x[0] === rest; });
          if (r) found.push({ words: [l[0], r[0]], distance: 1, paired: false, df: Math.min(l[1], r[1]), shown: nearShown(l) + ' ' + nearShown(r) });
        });
      }
      found.sort(function (a, b) {
        return a.distance - b.distance || (b.paired ? 1 : 0) - (a.paired ? 1 : 0) || b.df - a.df || jsOrder(a.words.join(' '), b.words.join(' '));
      });
      var seen = new Set();
      found = found.filter(function (c) {
        var key = c.words.join(' ');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }).slice(0, NEAR_CORRECTIONS);
      if (!found.length) continue;
      query.corrections.push([word, found[0].shown]);
      found.forEach(function (c) {
        var required = c.words.slice();
        if (c.words.length === 2) required.push(pairTerm(c.words[0], c.words[1]));
        query.groups[g].alts.push({
          required: required,
          optional: prev !== null ? [pairTerm(prev, c.words[0])] : [],
          class: CORRECTED,
        });
        c.words.forEach(function (w) { if (query.words.indexOf(w) < 0) query.words.push(w); });
      });
    }
  }

  function uniqueSorted(list) {
    var s = list.slice().sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    return s.filter(function (x, i) { return i === 0 || s[i - 1] !== x; });
  }

  function queryTerms(query) {
    var all = [];
    query.groups.forEach(function (g) {
      g.alts.forEach(function (a) { all = all.concat(a.required, a.optional); });
    });
    return uniqueSorted(all.concat(query.bonus, query.exact));
  }

  // ------------------------------------------------------------ scoring
  /* Mirrors scorer::evaluate: [class, score, exact, phrase] of one document,
   * get(term) giving its weight for a term it contains (undefined
   * otherwise). */
  function evaluate(query, get) {
    if (!query.groups.length) return null;
    var matched = [];
    for (var g = 0; g < query.groups.length; g++) {
      var m = [];
      var alts = query.groups[g].alts;
      for (var a = 0; a < alts.length; a++) {
        var alt = alts[a];
        if (!alt.required.length) continue;
        var req = 0;
        var ok = true;
        for (var r = 0; r < alt.required.length; r++) {
          var w = get(alt.required[r]);
          if (w === undefined) { ok = false; break; }
          req += w;
        }
        if (!ok) continue;
        var opt = 0;
        for (var o = 0; o < alt.optional.length; o++) {
          var v = get(alt.optional[o]);
          if (v !== undefined) opt += v;
        }
        m.push([alt.class, req + opt]);
      }
      if (!m.length) return null;
      matched.push(m);
    }
    var cls = 0;
    matched.forEach(function (m) {
      var c = Math.min.apply(null, m.map(function (a) { return a[0]; }));
      if (c > cls) cls = c;
    });
    var total = 0;
    matched.forEach(function (m) {
      var best = 0;
      m.forEach(function (a) { if (a[0] <= cls && a[1] > best) best = a[1]; });
      total += best;
    });
    var bonus = 0;
    query.bonus.forEach(function (t) { var x = get(t); if (x !== undefined) bonus += x; });
    var exact = 0;
    query.exact.forEach(function (t) { if (get(t) !== undefined) exact++; });
    var phrase = query.phrase.length > 0 && query.phrase.every(function (t) { return get(t) !== undefined; });
    return [cls, total + bonus, exact, phrase];
  }

  /* lists: term -> Map(doc -> weight), full lists. Mirrors scorer::score. */
  function score(query, lists) {
    var empty = new Map();
    var list = function (t) { return lists.get(t) || empty; };
    var candidates = new Set();
    if (query.groups.length) {
      query.groups[0].alts.forEach(function (alt) {
        if (alt.required.length) list(alt.required[0]).forEach(function (_, d) { candidates.add(d); });
      });
    }
    var hits = [];
    Array.from(candidates).sort(function (x, y) { return x - y; }).forEach(function (doc) {
      var e = evaluate(query, function (t) { return list(t).get(doc); });
      if (e) hits.push({ doc: doc, class: e[0], score: e[1], exact: e[2], phrase: e[3] });
    });
    return hits;
  }

  /* A list of codes read as weights, without copying it (a common
   * word's list holds most documents). */
  function weighted(list, weights) {
    return {
      get: function (d) { var c = list.get(d); return c === undefined ? undefined : weights[c]; },
      forEach: function (f) { list.forEach(function (c, d) { f(weights[c], d); }); },
    };
  }

  function order(hits, dates) {
    var date = function (d) { return dates[d] || 0; };
    hits.sort(function (a, b) {
      return a.class - b.class || b.phrase - a.phrase || b.score - a.score || b.exact - a.exact || date(b.doc) - date(a.doc) || a.doc - b.doc;
    });
    return hits;
  }

  function hasValue(facets, facet, id, doc) {
    var col = facets.cols[facet];
    if (!col) return false;
    var vs = col.docs[doc] || [];
    return vs.some(function (v) { return col.values[v].id === id; });
  }

  function passes(facets, filters, doc, except) {
    return Object.keys(filters).every(function (f) { return f === except || hasValue(facets, f, filters[f], doc); });
  }

  /* Mirrors scorer::filter_and_count. */
  function filterAndCount(hits, facets, filters) {
    var counts = {};
    Object.keys(facets ? facets.cols : {}).forEach(function (name) {
      var col = facets.cols[name];
      var c = {};
      hits.forEach(function (h) {
        if (!passes(facets, filters, h.doc, name)) return;
        (col.docs[h.doc] || []).forEach(function (v) {
          var id = col.values[v].id;
          c[id] = (c[id] || 0) + 1;
        });
      });
      counts[name] = c;
    });
    var kept = order(hits.filter(function (h) { return passes(facets, filters, h.doc, null); }), facets ? facets.date : []);
    return { hits: kept, counts: counts, complete: true };
  }

  // ------------------------------------------------------------ the index
  /* Mirrors static_index::Placement::shard: the term's FNV-1a hash modulo
   * the shards, or, when its bucket has a seed, the hash taken one step
   * further with the seed. `seeds`: the manifest's, one character a bucket. */
  var SEED_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function reseeded(h, s) { return Math.imul((h ^ s) >>> 0, 0x01000193) >>> 0; }
  function shardOf(term, n, seeds) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(term);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    var seed = seeds ? Math.max(0, SEED_CHARS.indexOf(seeds.charAt(reseeded(h, 64) % seeds.length))) : 0;
    return (seed ? reseeded(h, seed) : h) % Math.max(1, n);
  }

  /* Mirrors search::packed: varints and bytes. A damaged file throws. */
  function Bytes(bytes) {
    this.b = bytes;
    this.at = 0;
  }
  Bytes.prototype.number = function () {
    var v = 0;
    for (var shift = 0; shift < 35; shift += 7) {
      if (this.at >= this.b.length) throw new Error('malformed search index file');
      var x = this.b[this.at++];
      v += (x & 0x7f) * Math.pow(2, shift);
      if (x < 0x80) return v;
    }
    throw new Error('malformed search index file');
  };
  Bytes.prototype.take = function (n) {
    if (this.at + n > this.b.length) throw new Error('malformed search index file');
    var s = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return s;
  };
  /* n postings (gaps from 0, then codes) into a Map(doc -> code). */
  Bytes.prototype.postings = function (n, codesAt, into) {
    var d = 0;
    for (var i = 0; i < n; i++) {
      d += this.number();
      if (codesAt + i >= this.b.length) throw new Error('malformed search index file');
      into.set(d, this.b[codesAt + i]);
    }
    return into;
  };

  /* A shard of an index of `docs` documents: term -> {df, list: Map(doc
   * -> code)}, the list holding every document of the term: the first
   * tier's codes and the rest's (mirrors packed::read_shard and
   * static_index::scored). */
  function readShard(bytes, docs) {
    var r = new Bytes(bytes);
    var count = r.number();
    var utf8 = new TextDecoder();
    var heads = [];
    for (var i = 0; i < count; i++) {
      var term = utf8.decode(r.take(r.number()));
      var e = { term: term, df: r.number(), n: r.number(), rest: r.number() };
      if (e.rest > 2 || e.n > e.df || e.df > docs) throw new Error('malformed search index file');
      if (e.rest) e.code = r.take(1)[0];
      heads.push(e);
    }
    // Gaps of every term, then codes of every term: find where codes start.
    var gapsAt = r.at;
    var total = 0;
    heads.forEach(function (e) { for (var k = 0; k < e.n; k++) r.number(); total += e.n; });
    var codesAt = r.at;
    if (codesAt + total > bytes.length) throw new Error('malformed search index file');
    r.at = gapsAt;
    var out = new Map();
    heads.forEach(function (e) {
      e.list = r.postings(e.n, codesAt, new Map());
      codesAt += e.n;
      out.set(e.term, e);
    });
    // Then every rest: its documents (1), or those it lacks (2).
    r.at = codesAt;
    heads.forEach(function (e) {
      if (!e.rest) return;
      var listed = e.rest === 1;
      var n = listed ? e.df - e.n : docs - e.df;
      var d = 0;
      var other = [];
      for (var k = 0; k < n; k++) {
        d += r.number();
        if (d >= docs) throw new Error('malformed search index file');
        if (listed) e.list.set(d, e.code); else other.push(d);
      }
      if (!listed) {
        var j = 0;
        for (var doc = 0; doc < docs; doc++) {
          if (j < other.length && other[j] === doc) { j++; continue; }
          if (!e.list.has(doc)) e.list.set(doc, e.code);
        }
      }
      if (e.list.size !== e.df) throw new Error('malformed search index file');
    });
    return out;
  }

  /* Where member i of a family is (search::static_index::Family): its
   * file, and in a bundled family (search::bundle) its bytes [start, end)
   * of the group's file, from the members' lengths in units. */
  function member(kind, family, i) {
    var g = family.per ? Math.floor(i / family.per) : 0;
    var hash = family.per ? family.groups[g] : family.hash;
    if (!family.unit) return { name: kind + '.' + hash + '.' + i + '.bin' };
    var at = starts(family);
    var first = g * (family.per || family.n);
    return {
      name: kind + '.' + hash + '.bin',
      start: (at[i] - at[first]) * family.unit,
      end: (at[i + 1] - at[first]) * family.unit,
    };
  }

  /* Each member's start in units from the family's first (its lengths
   * summed), worked out once a family. */
  var STARTS = new WeakMap();
  function starts(family) {
    var at = STARTS.get(family);
    if (at) return at;
    at = new Float64Array(family.n + 1);
    var s = family.sizes, k = 0, v = 0;
    for (var c = 0; c < s.length; c++) {
      var code = s.charCodeAt(c);
      var d = code - 35 - (code > 92 ? 1 : 0);
      v = v * 45 + (d % 45);
      if (d < 45) { at[k + 1] = at[k] + v; k++; v = 0; }
    }
    if (k !== family.n) throw new Error('malformed search index manifest');
    STARTS.set(family, at);
    return at;
  }

  /* load(name[, start, end]) -> Promise of the bytes of a file of the
   * index, or of bytes [start, end) of it, inflated. */
  function Index(manifest, load) {
    this.manifest = manifest;
    this.load = load;
    this.files = new Map();
  }

  /* A file, or a member of a bundle (as member() gives it), read once. */
  Index.prototype.file = function (what) {
    var place = typeof what === 'string' ? { name: what } : what;
    var key = place.start === undefined ? place.name : place.name + '@' + place.start;
    if (!this.files.has(key)) {
      var self = this;
      var loaded = place.start === undefined ? this.load(place.name) : this.load(place.name, place.start, place.end);
      var p = loaded.then(function (bytes) { return parseFile(place.name, bytes, self.manifest.docs); });
      p.catch(function () { self.files.delete(key); });
      this.files.set(key, p);
    }
    return this.files.get(key);
  };

  Index.prototype.shard = function (term) {
    var s = this.manifest.shards;
    return this.file(member('s', s, shardOf(term, s.n, this.manifest.seeds)));
  };

  /* term -> Map(doc -> code) of every document containing it (shared with
   * the shard's cache: read only). */
  Index.prototype.heads = async function (terms) {
    var self = this;
    var shards = await Promise.all(terms.map(function (t) { return self.shard(t); }));
    var out = new Map();
    terms.forEach(function (t, i) {
      var e = shards[i].get(t);
      out.set(t, e ? e.list : new Map());
    });
    return out;
  };

  /* The dictionary blocks of some prefixes, loaded; then a lookup over
   * them (query::dict_blocks). */
  Index.prototype.dictLookup = async function (prefixes) {
    var d = this.manifest.dict;
    var self = this;
    var wanted = new Set();
    prefixes.forEach(function (p) { dictBlocks(d.first, d.words, p).forEach(function (i) { wanted.add(i); }); });
    var blocks = new Map();
    await Promise.all(Array.from(wanted).map(async function (i) {
      blocks.set(i, await self.file(member('x', d, i)));
    }));
    return function (prefix) {
      var all = [];
      dictBlocks(d.first, d.words, prefix).forEach(function (i) { all = all.concat(blocks.get(i) || []); });
      return all;
    };
  };

  /* Corrects the words in no document (heads: their empty entries), from
   * the near lists and dictionary blocks they need, all fetched at once. */
  Index.prototype.correct = async function (query, heads) {
    var missing = function (w) {
      var h = heads.get(w);
      return !h || !h.size;
    };
    var wanted = correctionLookups(query, missing);
    if (!wanted[0].length && !wanted[1].length) return;
    var n = this.manifest.near;
    var self = this;
    var lists = new Map();
    var both = await Promise.all([
      this.dictLookup(wanted[0]),
      Promise.all(wanted[1].map(async function (key) {
        var i = n.keys.indexOf(key);
        lists.set(key, i < 0 ? [] : await self.file(member('y', n, i)));
      })),
    ]);
    correct(query, missing, both[0], function (key) { return lists.get(key) || []; });
  };

  /* Results for `q`: ordered hits (doc, class, score, exact), facet
   * counts, whether complete, the query. opts.full: the last word's longer
   * words too (all results, exact counts). Mirrors scorer::search: when
   * the last word is a word of the site and may also stand for longer
   * words, the query as typed first, and the longer words' postings only
   * when its results do not fill the first page (query::typed_first). */
  Index.prototype.search = async function (q, filters, opts) {
    opts = opts || {};
    filters = filters || {};
    var m = this.manifest;
    var self = this;
    var typed = parseQuery(q, m.synonyms);
    if (!typed.groups.length) {
      // Punctuation only: nothing to fetch.
      return { hits: [], counts: {}, complete: true, query: typed, facets: null };
    }
    // Ids follow dates, so ordering needs no facet column; a large one is
    // read only for filters (opts.facets: shown or used).
    var needFacets = opts.facets || Object.keys(filters).length > 0 || m.facets_eager;
    var facetsP = needFacets ? this.file(m.facets) : Promise.resolve(null);
    var query = typed;
    if (typed.open) {
      // The shards of the words typed load beside the dictionary.
      queryTerms(typed).forEach(function (t) { self.shard(t).catch(function () {}); });
      var lookup = await this.dictLookup(openLookups(typed));
      query = JSON.parse(JSON.stringify(typed));
      if (expandOpen(query, lookup) && typedFirst(typed, lookup) && !opts.full) {
        var first = await this.answer(typed, filters, facetsP);
        if (typedPage(first.hits.map(function (h) { return h.class; }), m.k)) {
          first.hits = first.hits.slice(0, m.k);
          first.complete = false;
          return first;
        }
      }
    }
    return this.answer(query, filters, facetsP);
  };

  /* The results of a query already read (mirrors scorer::answer). */
  Index.prototype.answer = async function (query, filters, facetsP) {
    var m = this.manifest;
    var both = await Promise.all([this.heads(queryTerms(query)), facetsP]);
    var heads = both[0];
    var facets = both[1];
    await this.correct(query, heads);
    var added = queryTerms(query).filter(function (t) { return !heads.has(t); });
    if (added.length) {
      var more = await this.heads(added);
      more.forEach(function (h, t) { heads.set(t, h); });
    }
    var lists = new Map();
    queryTerms(query).forEach(function (t) { lists.set(t, weighted(heads.get(t), m.weights)); });

    var r = filterAndCount(score(query, lists), facets, filters);
    r.query = query;
    r.facets = facets;
    return r;
  };

  Index.prototype.meta = async function (doc) {
    var m = this.manifest;
    var chunk = await this.file(member('m', m.meta, Math.floor(doc / m.chunk)));
    return chunk[doc % m.chunk];
  };

  /* A file's bytes, or bytes [start, end) of it, inflated when stored
   * compressed (.bin). A server that ignores the range sends the whole
   * file, and the member is cut out of it here. */
  async function fetchBytes(url, start, end) {
    var ranged = start !== undefined;
    var res = await fetch(url, ranged ? { headers: { Range: 'bytes=' + start + '-' + (end - 1) } } : undefined);
    if (!res.ok) throw new Error(url + ': ' + res.status);
    var body = res.body;
    if (ranged && res.status !== 206) {
      var whole = new Uint8Array(await res.arrayBuffer());
      body = new Blob([whole.subarray(start, end)]).stream();
    }
    if (/\.bin$/.test(url)) body = body.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(body).arrayBuffer());
  }

  /* Term shards are binary (search::packed), the rest JSON. */
  function parseFile(name, bytes, docs) {
    if (/^s\./.test(name)) return readShard(bytes, docs);
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  /* Opens the index whose manifest is at `base + "manifest.json"`, or is
   * `manifest` (the search page carries it: search::inline_manifest).
   * load(name[, start, end]): the bytes of a file, or of a member of a
   * bundle, inflated (fetched by default). */
  async function open(base, load, manifest) {
    load = load || function (name, start, end) { return fetchBytes(base + name, start, end); };
    manifest = manifest || parseFile('manifest.json', await load('manifest.json'));
    return new Index(manifest, load);
  }

  /* The manifest the search page carries, if it does. */
  function pageManifest() {
    var el = document.getElementById('search-manifest');
    var text = el ? el.textContent.trim() : '';
    if (!text) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  // ------------------------------------------------------------ the page
  var FACET_ORDER = ['type', 'field', 'kind', 'level', 'award', 'body', 'year', 'province'];
  var FILTER_KEYS = FACET_ORDER.concat(['status']);
  /* Results per page when the manifest does not say. */
  var SHOWN = 10;
  /* Words of a query past which no shorter query is suggested. */
  var SUGGEST_WORDS = 8;

  /* The query as read: each word in no document replaced by the
   * correction shown for it (mirrors cli::corrected). */
  function corrected(q, corrections) {
    if (!corrections || !corrections.length) return q.trim();
    return q.trim().split(/\s+/).map(function (w) {
      var folded = analyze(w).map(function (t) { return t.folded; }).join(' ');
      var c = corrections.filter(function (x) { return x[0] === folded; })[0];
      return c ? c[1] : w;
    }).join(' ');
  }

  /* The query's words for highlighting: folded word -> the exact forms
   * typed with diacritics (a word typed with them matches only as typed:
   * "dân vận" marks "vận", not "văn"), or null (any form). */
  function highlightWords(query, q) {
    var wanted = new Map();
    query.words.forEach(function (w) { wanted.set(w, null); });
    analyze(q).forEach(function (t) {
      if (t.code || !hasDiacritics(t) || !wanted.has(t.folded)) return;
      var forms = wanted.get(t.folded) || new Set();
      forms.add(t.exact);
      wanted.set(t.folded, forms);
    });
    return wanted;
  }

  /* Characters of a result's snippet. */
  var SNIPPET = 160;

  /* Whether a word of the text is one the query asks for (see highlight). */
  function wantedWord(word, wanted) {
    var forms = normalizeWord(word);
    return wanted.has(forms[1]) && (wanted.get(forms[1]) === null || wanted.get(forms[1]).has(forms[0]));
  }

  /* At most about `max` characters of `text`, cut at a space, with "…". */
  function cut(text, max) {
    var chars = Array.from(text);
    if (chars.length <= max) return text;
    var s = chars.slice(0, max).join('');
    var space = s.lastIndexOf(' ');
    if (space > max / 2) s = s.slice(0, space);
    return s.replace(/[,;:. ]+$/, '') + '…';
  }

  /* About `max` characters of `text` around the passage holding the most
   * of the query's words (each counted once), starting a little before the
   * first of them; null when the text holds none. */
  function snippet(text, wanted, max) {
    var words = [];
    var re = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
    var m;
    while ((m = re.exec(text))) {
      if (wantedWord(m[0], wanted)) words.push([m.index, normalizeWord(m[0])[1]]);
    }
    if (!words.length) return null;
    var best = 0;
    var bestCount = 0;
    for (var i = 0; i < words.length; i++) {
      var seen = new Set();
      for (var j = i; j < words.length && words[j][0] - words[i][0] < max * 0.8; j++) seen.add(words[j][1]);
      if (seen.size > bestCount) { best = i; bestCount = seen.size; }
    }
    var start = words[best][0];
    // A few words of lead-in, from a word's start.
    var lead = Math.max(0, start - 40);
    if (lead > 0) {
      var space = text.indexOf(' ', lead);
      lead = space >= 0 && space < start ? space + 1 : start;
    }
    var out = cut(text.slice(lead), max);
    return (lead > 0 ? '…' : '') + out;
  }

  /* Text as nodes, the query's words (highlightWords) wrapped in <mark>. */
  function highlight(text, wanted) {
    var frag = document.createDocumentFragment();
    var buf = '';
    var word = '';
    var flushWord = function () {
      if (!word) return;
      if (wantedWord(word, wanted)) {
        if (buf) frag.appendChild(document.createTextNode(buf));
        buf = '';
        var mark = document.createElement('mark');
        mark.textContent = word;
        frag.appendChild(mark);
      } else {
        buf += word;
      }
      word = '';
    };
    for (var c of text) {
      if (WORD.test(c)) {
        word += c;
      } else {
        flushWord();
        buf += c;
      }
    }
    flushWord();
    if (buf) frag.appendChild(document.createTextNode(buf));
    return frag;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ''; });
  }

  function startPage(app) {
    var strings = JSON.parse(app.querySelector('#search-strings').textContent);
    ['count_more', 'more', 'filters'].forEach(function (k) {
      var v = app.getAttribute('data-' + k.replace('_', '-'));
      if (v) strings[k] = v;
    });
    var base = app.getAttribute('data-index');
    var input = app.querySelector('#search-q');
    var status = app.querySelector('#search-status');
    var list = app.querySelector('#search-results');
    var facetsBox = app.querySelector('#search-facets');
    var filtersBox = app.querySelector('#search-filters');
    var activeBox = app.querySelector('#search-active');
    // Beside the results on a wide screen; folded above them on a phone.
    if (filtersBox && window.matchMedia && window.matchMedia('(min-width: 60rem)').matches) filtersBox.open = true;
    var moreBox = app.querySelector('#search-more');
    var params = new URLSearchParams(location.search);
    var filters = {};
    FILTER_KEYS.forEach(function (k) { if (params.get(k)) filters[k] = params.get(k); });
    input.value = params.get('q') || '';
    var indexPromise = open(base, null, pageManifest());
    var generation = 0;
    var timer = null;
    // The last search of the box as typed, while it runs (see `typed`).
    var typing = null;
    var shown = 0;
    var wantFacets = false;

    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set('q', input.value.trim());
      FILTER_KEYS.forEach(function (k) { if (filters[k]) p.set(k, filters[k]); });
      var qs = p.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    }

    /* opts.typing: from the input event (the last word may be unfinished);
     * opts.more: show the next page. */
    async function run(opts) {
      opts = opts || {};
      var mine = ++generation;
      var q = input.value;
      syncUrl();
      if (!q.trim()) {
        list.replaceChildren();
        facetsBox.replaceChildren();
        if (moreBox) moreBox.replaceChildren();
        status.textContent = strings.prompt;
        return;
      }
      var index;
      try {
        index = await indexPromise;
      } catch (e) {
        indexPromise = open(base);
        status.textContent = strings.error;
        return;
      }
      var page = index.manifest.k || SHOWN;
      var want = opts.more ? shown + page : page;
      var r;
      try {
        r = await index.search(q, filters, { typing: !!opts.typing, full: want > page, facets: wantFacets });
      } catch (e) {
        if (mine === generation) status.textContent = strings.error;
        return;
      }
      if (mine !== generation) return;
      var hits = r.hits.slice(0, want);
      var metas = await Promise.all(hits.map(function (h) { return index.meta(h.doc); }));
      if (mine !== generation) return;
      renderFacets(r);
      if (!r.hits.length) {
        if (moreBox) moreBox.replaceChildren();
        await renderEmpty(index, q, mine);
        return;
      }
      shown = hits.length;
      var n = r.hits.length;
      var shownQ = corrected(q, r.query.corrections);
      status.textContent = format(r.complete ? strings.count : strings.count_more || strings.count, { n: n, q: shownQ })
        + (shownQ !== q.trim() && strings.typed ? ' ' + format(strings.typed, { q: q.trim() }) : '');
      var wanted = highlightWords(r.query, q);
      list.replaceChildren.apply(list, metas.map(function (m) { return result(m, wanted); }));
      if (moreBox) {
        var more = !r.complete || r.hits.length > shown;
        moreBox.replaceChildren();
        if (more) {
          var b = el('button', { type: 'button', class: 'search-more', text: strings.more || '…' });
          b.addEventListener('click', function () {
            var first = shown;
            run({ more: true }).then(function () {
              var links = resultLinks();
              if (links[first]) links[first].focus();
            });
          });
          moreBox.appendChild(b);
        }
      }
    }

    function resultLinks() {
      return Array.from(list.querySelectorAll('.search-hit h2 a'));
    }

    function result(m, wanted) {
      var h = el('h2', {}, [el('a', { href: m.u }, [highlight(m.t, wanted)])]);
      var facts = [m.p].concat(m.b || [], m.d ? [m.d] : []).filter(Boolean).join(' · ');
      var text = snippet(m.x || '', wanted, SNIPPET) || m.s || cut(m.x || '', SNIPPET);
      return el('li', { class: 'search-hit' }, [
        h,
        facts ? el('p', { class: 'search-facts', text: facts }) : null,
        text ? el('p', {}, [highlight(text, wanted)]) : null,
      ]);
    }

    function renderFacets(r) {
      if (!r.facets) {
        // A large site's facet column is read when asked for.
        var show = el('button', { type: 'button', class: 'search-show-filters', 'aria-expanded': 'false', text: strings.filters || '…' });
        show.addEventListener('click', function () {
          wantFacets = true;
          run().then(function () {
            var first = facetsBox.querySelector('button');
            if (first) first.focus();
          });
        });
        facetsBox.replaceChildren(show);
        return;
      }
      var plus = r.complete ? '' : '+';
      var groups = FACET_ORDER.map(function (name) {
        var col = r.facets.cols[name];
        var counts = r.counts[name] || {};
        if (!col) return null;
        var values = col.values.filter(function (v) { return counts[v.id] || filters[name] === v.id; });
        if (!values.length) return null;
        if (name === 'year') values.sort(function (a, b) { return b.id < a.id ? -1 : 1; });
        var buttons = values.map(function (v) {
          var on = filters[name] === v.id;
          var b = el('button', { type: 'button', 'aria-pressed': on ? 'true' : 'false', 'data-facet': name, 'data-value': v.id }, [
            document.createTextNode(v.label + ' '),
            el('span', { class: 'count', text: '(' + (counts[v.id] || 0) + plus + ')' }),
          ]);
          b.addEventListener('click', function () {
            if (filters[name] === v.id) delete filters[name];
            else filters[name] = v.id;
            run().then(function () {
              var again = facetsBox.querySelector('button[data-facet="' + name + '"][data-value="' + CSS.escape(v.id) + '"]');
              if (again) again.focus();
            });
          });
          return el('li', {}, [b]);
        });
        return el('fieldset', { class: 'search-facet' }, [
          el('legend', { text: strings['facet_' + name] || name }),
          el('ul', {}, buttons),
        ]);
      });
      facetsBox.replaceChildren.apply(facetsBox, groups.filter(Boolean));
      // The folded filters say which are on.
      if (activeBox) {
        var on = Object.keys(filters).map(function (name) {
          var col = r.facets.cols[name];
          var v = col && col.values.filter(function (x) { return x.id === filters[name]; })[0];
          return v ? v.label : filters[name];
        });
        activeBox.textContent = on.length ? ': ' + on.join(' · ') : '';
      }
    }

    async function renderEmpty(index, q, mine) {
      list.replaceChildren();
      var items = [];
      if (Object.keys(filters).length) {
        var clear = el('button', { type: 'button', text: strings.clear_filters });
        clear.addEventListener('click', function () { filters = {}; run(); });
        items.push(el('li', {}, [clear]));
      }
      var words = analyze(q).filter(function (t) { return !t.code; });
      // Only from the files this query already fetched: a suggestion that
      // needs another file is left out (no request for what may not show).
      var cached = Object.create(index);
      cached.load = function () { return Promise.reject(new Error('not fetched')); };
      if (words.length > 1 && words.length <= SUGGEST_WORDS) {
        for (var k = 0; k < words.length && items.length < 4; k++) {
          var fewer = words.filter(function (_, j) { return j !== k; }).map(function (t) { return t.exact; }).join(' ');
          var r;
          try {
            r = await cached.search(fewer, {}, {});
          } catch (e) {
            continue;
          }
          if (mine !== generation) return;
          if (r.hits.length) items.push(el('li', {}, [suggestion(fewer, r.hits.length, r.complete)]));
        }
      }
      status.textContent = format(strings.none, { q: q.trim() });
      var box = el('div', { class: 'search-empty' }, [
        el('p', { text: items.length ? strings.try_instead : strings.none_help }),
        items.length ? el('ul', {}, items) : null,
      ]);
      list.replaceChildren(el('li', {}, [box]));
    }

    function suggestion(q, n, complete) {
      var a = el('a', { href: '?q=' + encodeURIComponent(q) }, [document.createTextNode(q + ' '), el('span', { class: 'count', text: '(' + n + (complete ? '' : '+') + ')' })]);
      a.addEventListener('click', function (e) {
        e.preventDefault();
        input.value = q;
        filters = {};
        run();
        input.focus();
      });
      return a;
    }

    function clearQuery() {
      clearTimeout(timer);
      input.value = '';
      run();
      input.focus();
    }

    /* Arrow keys move between the box and the results' links; Enter opens
     * (the link's own behaviour); Escape clears the query. */
    function onKey(e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var links = resultLinks();
      var at = links.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') {
        var next = at < 0 ? 0 : at + 1;
        if (next < links.length && (at >= 0 || document.activeElement === input)) {
          e.preventDefault();
          links[next].focus();
        }
      } else if (e.key === 'ArrowUp' && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus();
        else links[at - 1].focus();
      } else if (e.key === 'Escape' && (at >= 0 || document.activeElement === input)) {
        e.preventDefault();
        clearQuery();
      }
    }

    input.addEventListener('keydown', onKey);
    list.addEventListener('keydown', onKey);
    /* A key searches at once when no search of the box is running. While
     * one runs, keys wait for a short pause, so keys pressed together
     * search once. A phone's keystrokes come further apart than a search
     * takes on a near server, so each searches without waiting: a pause
     * after every key (30 ms until 2026-12) was a third of the time from
     * the last key to the results (bench/search-typing.mjs). */
    function typed() {
      clearTimeout(timer);
      if (typing) timer = setTimeout(searchTyped, 30);
      else searchTyped();
    }
    function searchTyped() {
      var mine = run({ typing: true });
      var done = function () {
        if (typing === mine) typing = null;
      };
      typing = mine;
      mine.then(done, done);
    }
    input.addEventListener('input', typed);
    app.querySelector('form').addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run();
    });
    run();
  }

  var api = {
    analyze: analyze,
    normalizeWord: normalizeWord,
    pairs: pairs,
    parseQuery: parseQuery,
    queryTerms: queryTerms,
    evaluate: evaluate,
    score: score,
    readShard: readShard,
    dictBlocks: dictBlocks,
    expandOpen: expandOpen,
    correct: correct,
    distance: distance,
    nearKeys: nearKeys,
    order: order,
    filterAndCount: filterAndCount,
    shardOf: shardOf,
    Index: Index,
    open: open,
  };
  root.DienhinhSearch = api;
  if (typeof document !== 'undefined') {
    var start = function () {
      var app = document.getElementById('search-app');
      if (app) startPage(app);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
