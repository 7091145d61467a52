#!/usr/bin/env python3
"""Convert a dienhinh site into a Hugo site, for bench/run.sh.

    python3 bench/to_hugo.py SITE_DIR HUGO_DIR

The same documents become Hugo pages with YAML front matter and the same
taxonomies as dienhinh (field, kind, level, status, organization, tag, year,
place as a province → district → commune tree). Vocabulary values are
resolved as dienhinh resolves them (id, label or alias, compared folded), so
files written in NFD or without diacritics land in the same terms. Short
links /m/<id>/ and aliases become Hugo aliases (redirect pages, as dienhinh
writes). References (ceremony honourees, recognitions, replication) are
resolved here to page paths, and backlinks are listed in each model's front
matter: Hugo templates then only look pages up by path, which is cheap. That
gives Hugo the relation work for free — the comparison favours Hugo there.

Layouts come from bench/hugo/layouts: minimal, no search, no minification,
no statistics pages or embeds (dienhinh writes both; Hugo has no equivalent
without much template code).
"""

import os
import re
import shutil
import sys
import unicodedata

import yaml

try:
    Loader = yaml.CSafeLoader
    Dumper = yaml.CSafeDumper
except AttributeError:  # PyYAML without libyaml: slower, same result
    Loader = yaml.SafeLoader
    Dumper = yaml.SafeDumper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

TAXONOMIES = {
    "field": "fields",
    "kind": "kinds",
    "level": "levels",
    "status": "statuses",
    "organization": "organizations",
    "tag": "tags",
    "year": "years",
    "place": "places",
}


def fold(s):
    """dienhinh's text::fold: lowercase, no diacritics (đ → d), words
    separated by single spaces."""
    out = []
    for c in unicodedata.normalize("NFD", str(s)):
        if unicodedata.combining(c):
            continue
        if c in "đĐ":
            c = "d"
        out.append(c.lower() if c.isalnum() else " ")
    return " ".join("".join(out).split())


class Vocabulary:
    def __init__(self, terms):
        self.lookup = {}
        self.labels = {}
        for t in terms:
            self.labels[t["id"]] = t["label"]
            # Ids win over labels, labels over aliases (as in src/vocab.rs).
            for key in list(t.get("aliases") or []) + [t["label"], t["id"]]:
                self.lookup[fold(key)] = t["id"]

    def resolve(self, value):
        if value is None:
            return None
        term = self.lookup.get(fold(value))
        if term is None:
            raise SystemExit(f"to_hugo: unknown vocabulary value {value!r}")
        return term


def vocabularies(site):
    with open(os.path.join(REPO, "src", "assets", "vocabularies.yaml"), encoding="utf-8") as f:
        defaults = yaml.load(f, Loader=Loader)
    own = (site.get("vocabularies") or {}) if site else {}
    out = {}
    for name, terms in defaults.items():
        merged = {t["id"]: t for t in terms}
        for t in own.get(name) or []:
            merged[t["id"]] = t
        out[name] = Vocabulary(merged.values())
    return out


def read_doc(path):
    with open(path, encoding="utf-8-sig") as f:
        text = unicodedata.normalize("NFC", f.read().replace("\r\n", "\n"))
    if not text.startswith("---\n"):
        raise SystemExit(f"to_hugo: {path}: no front matter")
    end = text.index("\n---\n", 3)
    front = yaml.load(text[4:end + 1], Loader=Loader) or {}
    return front, text[end + 5:]


class Spellings:
    """One spelling per folded name, as dienhinh unites "Ha Noi" and
    "Hà Nội", and the place register's aliases ("TPHCM") with its label."""

    def __init__(self, register=()):
        self.fixed = {}
        for entry in register:
            for name in [entry["label"]] + list(entry.get("aliases") or []):
                self.fixed[fold(name)] = entry["label"]
        self.seen = {}

    def add(self, name):
        key = fold(name)
        best = self.seen.get(key)
        marks = sum(1 for c in name if ord(c) > 127)
        if best is None or (marks, best) > (sum(1 for c in best if ord(c) > 127), name):
            self.seen[key] = name

    def __call__(self, name):
        key = fold(name)
        return self.fixed.get(key) or self.seen.get(key) or name


def place_terms(place, spell):
    """Every node of the place tree the document sits in."""
    names = [spell(str(p)) for p in place or []]
    return [" › ".join(names[: i + 1]) for i in range(len(names))]


def year_of(value):
    return str(value)[:4]


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "site.yaml"), encoding="utf-8") as f:
        site = yaml.load(unicodedata.normalize("NFC", f.read()), Loader=Loader) or {}
    vocab = vocabularies(site)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(os.path.join(dst, "content"))
    shutil.copytree(os.path.join(HERE, "hugo", "layouts"), os.path.join(dst, "layouts"))

    models = load_section(os.path.join(src, "content", "mo-hinh"))
    ceremonies = load_section(os.path.join(src, "content", "tuyen-duong"))
    places = Spellings(site.get("places") or [])
    tags = Spellings()
    for front, _ in list(models.values()) + list(ceremonies.values()):
        for p in front.get("place") or []:
            places.add(str(p))
        for t in front.get("tags") or []:
            tags.add(str(t))
    spell = {"place": places, "tag": tags}
    model_key = keys(models, "mo-hinh")
    ceremony_key = keys(ceremonies, "tuyen-duong")

    # Relations both ways, as dienhinh links them.
    honoured_by = {}
    replicated_to = {}
    for stem, (front, _) in ceremonies.items():
        if front.get("draft"):
            continue
        for h in front.get("honorees") or []:
            target = model_key.get(str(h.get("model", "")).lower())
            if target:
                honoured_by.setdefault(target, []).append(ceremony_key[stem.lower()])
    for stem, (front, _) in models.items():
        if front.get("draft"):
            continue
        me = f"/mo-hinh/{stem}"
        for r in front.get("recognitions") or []:
            target = ceremony_key.get(str(r.get("ceremony", "")).lower())
            if target and target not in honoured_by.get(me, []):
                honoured_by.setdefault(me, []).append(target)
        for ref in front.get("replicated_from") or []:
            target = model_key.get(str(ref).lower())
            if target:
                replicated_to.setdefault(target, []).append(me)

    for stem, (front, body) in models.items():
        me = f"/mo-hinh/{stem}"
        out = convert_model(front, vocab, spell)
        out["honoured_by"] = sorted(set(honoured_by.get(me, [])))
        out["replicated_from_pages"] = [
            model_key[str(r).lower()] for r in front.get("replicated_from") or []
            if str(r).lower() in model_key
        ]
        out["replicated_to"] = sorted(set(replicated_to.get(me, [])))
        write(dst, "mo-hinh", stem, out, body)
    for stem, (front, body) in ceremonies.items():
        out = convert_ceremony(front, vocab, model_key, spell)
        write(dst, "tuyen-duong", stem, out, body)
    for root, _, files in os.walk(os.path.join(src, "content")):
        rel = os.path.relpath(root, os.path.join(src, "content"))
        if rel.split(os.sep)[0] in ("mo-hinh", "tuyen-duong"):
            continue
        for name in sorted(files):
            if name.endswith(".md"):
                front, body = read_doc(os.path.join(root, name))
                stem = name[:-3]
                write(dst, "" if rel == "." else rel, stem, common(front), body)
    write_config(dst, site)
    print(f"to_hugo: {len(models)} models, {len(ceremonies)} ceremonies → {dst}")


def load_section(path):
    docs = {}
    if not os.path.isdir(path):
        return docs
    for name in sorted(os.listdir(path)):
        if name.endswith(".md"):
            docs[name[:-3]] = read_doc(os.path.join(path, name))
    return docs


def slug_of(stem, front):
    return str(front.get("slug") or stem)


def keys(docs, section):
    """Slug and id (lowercased) → Hugo page path, for published documents."""
    out = {}
    for stem, (front, _) in docs.items():
        if front.get("draft"):
            continue
        path = f"/{section}/{stem}"
        out[slug_of(stem, front).lower()] = path
        if front.get("id") is not None:
            out.setdefault(str(front["id"]).lower(), path)
    return out


def common(front):
    """Keys Hugo understands itself."""
    out = {"title": front["title"]}
    for k in ("slug", "summary", "draft"):
        if front.get(k) is not None:
            out[k] = front[k]
    if front.get("date") is not None:
        d = str(front["date"])
        out["date"] = d if len(d) == 10 else (d + "-01-01")[:10]
    aliases = list(front.get("aliases") or [])
    if front.get("id") is not None:
        aliases.append(f"/m/{front['id']}/")
    if aliases:
        out["aliases"] = aliases
    return out


def convert_model(front, vocab, spell):
    out = common(front)
    v = vocab
    out["fields"] = [v["fields"].resolve(front["field"])]
    out["kinds"] = [v["kinds"].resolve(front["kind"])]
    levels = []
    for r in front.get("recognitions") or []:
        lv = v["levels"].resolve(r["level"])
        if lv not in levels:
            levels.append(lv)
    if levels:
        out["levels"] = levels
    if front.get("status"):
        out["statuses"] = [v["statuses"].resolve(front["status"])]
    if front.get("organizations"):
        out["organizations"] = [v["organizations"].resolve(o) for o in front["organizations"]]
    if front.get("tags"):
        out["tags"] = sorted({spell["tag"](str(t)) for t in front["tags"]})
    years = sorted({str(r["year"]) for r in front.get("recognitions") or []})
    if not years and front.get("date") is not None:
        years = [year_of(front["date"])]
    if years:
        out["years"] = years
    if front.get("place"):
        out["places"] = place_terms(front["place"], spell["place"])
    public = front.get("public", True)
    owner = front.get("owner")
    if owner and public:
        out["owner_name"] = owner if isinstance(owner, str) else owner.get("name")
        if isinstance(owner, dict) and owner.get("role"):
            out["owner_role"] = owner["role"]
    for k in ("period", "history", "results", "sources"):
        if front.get(k) is not None:
            out[k] = front[k]
    if front.get("recognitions"):
        out["recognitions"] = [
            {
                "level": v["levels"].labels[v["levels"].resolve(r["level"])],
                "year": r["year"],
                "by": r.get("by"),
                "award": v["awards"].labels[v["awards"].resolve(r["award"])] if r.get("award") else None,
                "decision": r.get("decision"),
            }
            for r in front["recognitions"]
        ]
    return out


def convert_ceremony(front, vocab, model_key, spell):
    out = common(front)
    v = vocab
    if front.get("level"):
        out["levels"] = [v["levels"].resolve(front["level"])]
    out["years"] = [year_of(front["date"])]
    if front.get("tags"):
        out["tags"] = sorted({spell["tag"](str(t)) for t in front["tags"]})
    if front.get("place"):
        out["places"] = place_terms(front["place"], spell["place"])
    for k in ("organizer", "occasion", "statistics", "sources"):
        if front.get(k) is not None:
            out[k] = front[k]
    if front.get("event_type"):
        out["event_type"] = v["event_types"].labels[v["event_types"].resolve(front["event_type"])]
    honorees = []
    for h in front.get("honorees") or []:
        award = v["awards"].labels[v["awards"].resolve(h["award"])] if h.get("award") else None
        entry = {"award": award, "by": h.get("by")}
        if h.get("model"):
            entry["page"] = model_key.get(str(h["model"]).lower())
        else:
            entry["name"] = h.get("name")
        honorees.append(entry)
    if honorees:
        out["honorees"] = honorees
    if front.get("award_counts"):
        out["award_counts"] = [
            {
                "award": v["awards"].labels[v["awards"].resolve(a["award"])],
                "by": a.get("by"),
                "count": a["count"],
            }
            for a in front["award_counts"]
        ]
    return out


def write(dst, section, stem, front, body):
    folder = os.path.join(dst, "content", section)
    os.makedirs(folder, exist_ok=True)
    text = "---\n" + yaml.dump(front, Dumper=Dumper, allow_unicode=True, sort_keys=False) + "---\n" + body
    with open(os.path.join(folder, stem + ".md"), "w", encoding="utf-8") as f:
        f.write(text)


def write_config(dst, site):
    base = site.get("base_url") or "http://localhost:1313/"
    config = {
        "baseURL": base,
        "languageCode": "vi",
        "defaultContentLanguage": "vi",
        "title": site.get("title") or "Dân vận khéo",
        "paginate": int(site.get("paginate") or 20),
        "taxonomies": TAXONOMIES,
        "enableRobotsTXT": True,
        # Related models at the foot of model pages, as dienhinh shows;
        # bench/run.sh also times Hugo without them (HUGO_PARAMS_RELATED=false).
        "params": {"related": True},
        "disableKinds": [],
        "markup": {"goldmark": {"renderer": {"unsafe": False}}},
        "related": {
            "includeNewer": True,
            "threshold": 60,
            "toLower": False,
            "indices": [
                {"name": "tags", "weight": 80},
                {"name": "places", "weight": 60},
                {"name": "fields", "weight": 40},
            ],
        },
        "menu": {
            "main": [
                {"name": m["label"], "url": m["url"].lstrip("/"), "weight": i}
                for i, m in enumerate(site.get("menu") or [])
            ]
        },
    }
    with open(os.path.join(dst, "config.yaml"), "w", encoding="utf-8") as f:
        yaml.dump(config, f, Dumper=Dumper, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
