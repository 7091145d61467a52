//! The theme guide (`docs/theming.md`) against the program: every built-in
//! template is in it, and each page template's variables are exactly those
//! it lists. The variables are read the way a theme author would: a theme
//! that overrides every page template with one that prints the names of
//! what it was given, built as an editor builds (in the site folder, no
//! `-C`). Also `extra:` in front matter and site.yaml, as a theme reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common::{self, copy_dir, run_in, SAMPLE_SITE};

/// What every page template sees (the guide's first table), left out of
/// each template's own list; files that are not pages (feeds, the sitemap,
/// robots.txt) see the first two.
const EVERYWHERE: [&str; 3] = ["site", "t", "meta"];

fn everywhere(name: &str) -> &'static [&'static str] {
    if name.ends_with(".html") {
        &EVERYWHERE
    } else {
        &EVERYWHERE[..2]
    }
}

/// Templates the sample site has no use for: the sitemap index is written
/// only above 50,000 addresses. The guide must still list them.
const NOT_ON_THE_SAMPLE: [&str; 1] = ["sitemap_index.xml"];

/// The built-in templates, as `themes/default/templates/` holds them.
fn built_in_templates() -> Vec<String> {
    let dir = Path::new(SAMPLE_SITE).join("themes/default/templates");
    let mut names: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    names
}

/// Templates rendered with their own view; the others are included or
/// extended and see their includer's.
fn is_page_template(name: &str) -> bool {
    !(name == "base.html" || name.starts_with("partials/") || name.starts_with("components/"))
}

/// The guide's sections: template name → the variables its table lists
/// (a row's first cell; `a`, `b` rows name two).
fn guide() -> BTreeMap<String, BTreeSet<String>> {
    let text = fs::read_to_string(Path::new(SAMPLE_SITE).join("docs/theming.md")).unwrap();
    let mut sections: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("### `") {
            let name = rest.split('`').next().unwrap().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if line.starts_with("## ") {
            current = None;
        } else if let (Some(name), Some(row)) = (&current, line.strip_prefix("| `")) {
            let cell = row.split(" |").next().unwrap();
            for var in cell.split(", ") {
                let var = var.trim_matches('`');
                sections.get_mut(name).unwrap().insert(var.to_string());
            }
        }
    }
    sections
}

/// A copy of the sample site whose theme prints, in each page template's
/// place, the names of the variables the template was given.
fn probing_site(dir: &Path) -> std::path::PathBuf {
    let site = dir.join("site");
    for part in ["content", "static"] {
        copy_dir(&Path::new(SAMPLE_SITE).join(part), &site.join(part));
    }
    for file in ["site.yaml", "urls.lock"] {
        fs::copy(Path::new(SAMPLE_SITE).join(file), site.join(file)).unwrap();
    }
    // An old address, so `redirect.html` renders: the sample's short links
    // publish their documents' pages, and none of its documents moved.
    common::add_front_matter(
        &site.join("content/mo-hinh/an-lang-lien-ket-trong-vu-sua.md"),
        "aliases: [/dia-chi-cu/]\n",
    );
    let templates = site.join("themes/default/templates");
    for name in built_in_templates().iter().filter(|n| is_page_template(n)) {
        let probe = format!(
            "<script type=\"application/json\" data-template=\"{name}\">\
             {{% for name, value in __tera_context %}}{{{{ name }}}} {{% endfor %}}</script>"
        );
        let path = templates.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, probe).unwrap();
    }
    site
}

/// Template name → the variables it was given, over every file the build
/// wrote.
fn probed(public: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let marker = "data-template=";
    for entry in walkdir::WalkDir::new(public).into_iter().flatten() {
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let Some(at) = text.find(marker) else {
            continue;
        };
        let rest = text[at + marker.len()..].trim_start_matches(['"', '\'']);
        let name_end = rest.find(['"', '\'', '>', ' ']).unwrap();
        let name = rest[..name_end].to_string();
        let body = &rest[rest.find('>').unwrap() + 1..];
        let names = &body[..body.find("</script>").unwrap()];
        seen.entry(name)
            .or_default()
            .extend(names.split_whitespace().map(str::to_string));
    }
    seen
}

#[test]
fn the_theme_guide_lists_every_template_and_exactly_its_variables() {
    let guide = guide();
    for name in built_in_templates() {
        assert!(
            guide.contains_key(&name),
            "docs/theming.md has no section for the built-in template `{name}`"
        );
    }

    let tmp = tempfile::tempdir().unwrap();
    let site = probing_site(tmp.path());
    let r = run_in(&site, &["build"]);
    assert!(r.ok, "the probing theme does not build:\n{}", r.stderr);
    let probed = probed(&site.join("public"));

    for name in built_in_templates()
        .iter()
        .filter(|n| is_page_template(n) && !NOT_ON_THE_SAMPLE.contains(&n.as_str()))
    {
        let given = probed
            .get(name)
            .unwrap_or_else(|| panic!("the sample site renders nothing with `{name}`"));
        for common in everywhere(name) {
            assert!(given.contains(*common), "`{name}` is not given `{common}`");
        }
        let own: BTreeSet<String> = given
            .iter()
            .filter(|v| !everywhere(name).contains(&v.as_str()))
            .cloned()
            .collect();
        let listed = &guide[name.as_str()];
        let undocumented: Vec<_> = own.difference(listed).collect();
        let absent: Vec<_> = listed.difference(&own).collect();
        assert!(
            undocumented.is_empty() && absent.is_empty(),
            "docs/theming.md § `{name}`: variables the template is given but the guide does \
             not list: {undocumented:?}; listed but not given: {absent:?}"
        );
    }
}

#[test]
fn a_theme_reads_extra_values_from_front_matter_and_site_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site")),
        &site,
    );
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        format!("{yaml}\nextra:\n  hotline: \"1900 1234\"\n"),
    )
    .unwrap();
    // The first model of the fixture, given a value only this theme shows.
    let model = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && fs::read_to_string(e.path()).is_ok_and(|t| t.contains("\nfield:"))
        })
        .expect("a model in the fixture")
        .into_path();
    common::add_front_matter(&model, "extra:\n  motto: \"Dân biết, dân bàn\"\n");
    let templates = site.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("model.html"),
        "<p id=motto>{{ extra.motto | default(value='-') }}</p><p id=hotline>{{ site.extra.hotline }}</p>",
    )
    .unwrap();

    let r = run_in(&site, &["build"]);
    assert!(r.ok, "{}", r.stderr);
    let pages: Vec<String> = walkdir::WalkDir::new(site.join("public"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| fs::read_to_string(e.path()).ok())
        .filter(|t| t.contains("id=motto"))
        .collect();
    assert!(!pages.is_empty());
    assert!(
        pages.iter().any(|p| p.contains("Dân biết, dân bàn")),
        "the model's extra.motto is not shown"
    );
    assert!(pages.iter().all(|p| p.contains("1900 1234")));
    // Every other model has no `extra:`: an empty mapping, not an error.
    assert!(pages.iter().any(|p| p.contains("<p id=motto>-")));

    // Not a mapping: one error at the value, the previous site kept.
    let before = crate::common::snapshot(&site.join("public"));
    let text = fs::read_to_string(&model).unwrap();
    fs::write(
        &model,
        text.replacen(
            "extra:\n  motto: \"Dân biết, dân bàn\"\n",
            "extra: khẩu hiệu\n",
            1,
        ),
    )
    .unwrap();
    let r = run_in(&site, &["build"]);
    assert!(!r.ok);
    let rel = model
        .strip_prefix(&site)
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(r.stderr.contains(&rel), "{}", r.stderr);
    assert!(r.stderr.contains("extra"), "{}", r.stderr);
    assert_eq!(before, crate::common::snapshot(&site.join("public")));
}

/// A theme is its folder of files: it adds partials and components of its
/// own and overrides the files that are not pages (robots.txt, the feeds),
/// built as an editor builds; an editor's backup file beside them is not
/// read as a template.
#[test]
fn a_theme_adds_partials_and_components_and_overrides_the_feeds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(crate::common::FIXTURE_SITE), &site);
    let templates = site.join("themes/default/templates");
    let put = |name: &str, text: &str| {
        let path = templates.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    put(
        "components/hotline.html",
        "{% component hotline(number) %}<a href=\"tel:{{ number }}\">{{ number }}</a>{% endcomponent hotline %}",
    );
    put("partials/motto.html", "<p id=motto>Dân biết, dân bàn</p>");
    put(
        "404.html",
        "{% include \"partials/motto.html\" %}<p id=hotline>{{<hotline number=\"1900 1234\"/>}}</p>",
    );
    put(
        "robots.txt",
        "User-agent: *\n{% for path in disallow %}Disallow: {{ path }}\n{% endfor %}Disallow: /nhap/\n",
    );
    put(
        "atom.xml",
        "<feed><title>{{ title | escape_xml }}</title>{% for entry in entries %}<e>{{ entry.url }}</e>{% endfor %}</feed>",
    );
    // Saved by an editor beside the real one; not a template (it is broken).
    put("base.html~", "{% if %}");

    let r = run_in(&site, &["build"]);
    assert!(r.ok, "{}", r.stderr);
    let public = site.join("public");
    let not_found = fs::read_to_string(public.join("404.html")).unwrap();
    assert!(
        not_found.contains("<p id=motto>Dân biết, dân bàn</p>"),
        "{not_found}"
    );
    assert!(
        not_found.contains("<p id=hotline><a href=\"tel:1900 1234\">1900 1234</a></p>"),
        "{not_found}"
    );
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.ends_with("Disallow: /nhap/\n"), "{robots}");
    assert!(robots.contains("/m/\n"), "{robots}");
    let feed = fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(feed.starts_with("<feed><title>"), "{feed}");
    assert!(feed.contains("<e>http"), "{feed}");
    // Every list's feed comes from the same template.
    let feeds = walkdir::WalkDir::new(&public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "atom.xml")
        .count();
    assert!(feeds > 1);
    for e in walkdir::WalkDir::new(&public).into_iter().flatten() {
        if e.file_name() == "atom.xml" {
            let text = fs::read_to_string(e.path()).unwrap();
            assert!(text.starts_with("<feed><title>"), "{}", e.path().display());
        }
    }
}

/// Two broken templates: each reported at its own file, line and column in
/// one run, and the site built before is kept as it was.
#[test]
fn every_broken_template_is_reported_at_its_place_and_the_site_kept() {
    let (_tmp, site) = crate::common::build_fixture();
    let before = crate::common::snapshot(&site.join("public"));
    let templates = site.join("themes/default/templates");
    fs::create_dir_all(templates.join("partials")).unwrap();
    fs::write(
        templates.join("404.html"),
        "<h1>Không tìm thấy</h1>\n<p>{% if %}</p>\n",
    )
    .unwrap();
    fs::write(
        templates.join("partials/card.html"),
        "<article>\n\n  {{ card.title </article>\n",
    )
    .unwrap();

    let r = run_in(&site, &["build"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("themes/default/templates/404.html:2:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("themes/default/templates/partials/card.html:3:"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches("DH019").count(), 2, "{}", r.stderr);
    assert_eq!(before, crate::common::snapshot(&site.join("public")));
}
