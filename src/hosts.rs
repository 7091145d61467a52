//! Where the site is published (`host:` in `site.yaml`), and what that
//! changes: whether short links and aliases are forwarding pages or the
//! host's own redirect rules, which rule file is written, and the limits a
//! build is checked against (docs/deploy.md § Hosts and their limits).
//!
//! Without `host:` a build writes everything any host can use: a page at
//! each short link (the document's own page, linked to its file) and
//! alias (a forwarding page), `_redirects` and the nginx map. Naming the
//! host drops what it does not read, and gives short links forwarding
//! pages where the host's upload would copy the links apart
//! ([`ShortPage`]).

use serde::Deserialize;

use crate::core::files::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic};

/// A host a site can name in `site.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Host {
    /// An nginx of the site's own, with `redirects.nginx.map` included.
    Nginx,
    Netlify,
    /// Cloudflare Pages.
    Cloudflare,
    /// GitHub Pages: no redirect rules.
    Github,
    /// GitLab Pages.
    Gitlab,
}

/// A host's published limits (each `None` where it states none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Redirect rules `_redirects` may hold; past it the host applies
    /// none (GitLab) or refuses the deploy (Cloudflare), so the build
    /// writes forwarding pages instead.
    pub rules: Option<usize>,
    /// Bytes the `_redirects` file may have.
    pub rules_bytes: Option<usize>,
    /// Files a site may have.
    pub files: Option<u64>,
    /// Bytes a site may have.
    pub site_bytes: Option<u64>,
}

impl Host {
    pub fn name(self) -> &'static str {
        match self {
            Host::Nginx => "nginx",
            Host::Netlify => "Netlify",
            Host::Cloudflare => "Cloudflare Pages",
            Host::Github => "GitHub Pages",
            Host::Gitlab => "GitLab Pages",
        }
    }

    /// The limits as each host's documentation states them (checked
    /// 2026-12): Cloudflare Pages 2,000 static redirects and 20,000 files
    /// a site on the free plan; GitLab Pages (gitlab.com) 1,000 rules in
    /// a `_redirects` of at most 64 KB; GitHub Pages sites of at most 1 GB.
    pub fn limits(self) -> Limits {
        match self {
            Host::Nginx | Host::Netlify => Limits::default(),
            Host::Cloudflare => Limits {
                rules: Some(2_000),
                files: Some(20_000),
                ..Limits::default()
            },
            Host::Github => Limits {
                site_bytes: Some(1_000_000_000),
                ..Limits::default()
            },
            Host::Gitlab => Limits {
                rules: Some(1_000),
                rules_bytes: Some(65_536),
                ..Limits::default()
            },
        }
    }
}

/// What the page at a short link holds (an alias always forwards: it
/// must tell the browser the new address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortPage {
    /// The document's own page, published as one file with it (a hard
    /// link): a scanned QR code opens the page in one request instead of
    /// a forwarding page and a refresh, and the short link costs no file
    /// of its own (10,000 at 10,000 models). Its `canonical` names the
    /// document's address, and robots.txt keeps crawlers out of `/m/`.
    Itself,
    /// A small page that forwards to the document's address, where the
    /// host's upload copies linked files apart (GitHub Pages' artifact
    /// refuses links and is packed with them copied; GitLab's is a zip):
    /// there the page itself would cost its whole size again per link.
    Forwarding,
}

/// What a build writes for short links and aliases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redirects {
    /// A page at each short link and alias (works anywhere).
    pub pages: bool,
    /// What those pages at short links hold.
    pub short: ShortPage,
    /// `_redirects`, Netlify's format, read by Netlify, Cloudflare Pages
    /// and GitLab Pages.
    pub rules_file: bool,
    /// `redirects.nginx.map`.
    pub nginx_map: bool,
}

impl Redirects {
    /// Everything: no host named.
    pub const ALL: Redirects = Redirects {
        pages: true,
        short: ShortPage::Itself,
        rules_file: true,
        nginx_map: true,
    };

    /// For `host`, given the site's `rules` redirects whose `_redirects`
    /// takes `rules_bytes`: rules where the host reads them all, pages
    /// where it cannot.
    pub fn for_host(host: Option<Host>, rules: usize, rules_bytes: usize) -> Redirects {
        let Some(host) = host else {
            return Redirects::ALL;
        };
        let limits = host.limits();
        let fits = limits.rules.is_none_or(|max| rules <= max)
            && limits.rules_bytes.is_none_or(|max| rules_bytes <= max);
        match host {
            Host::Nginx => Redirects {
                pages: false,
                short: ShortPage::Itself,
                rules_file: false,
                nginx_map: true,
            },
            Host::Github => Redirects {
                pages: true,
                short: ShortPage::Forwarding,
                rules_file: false,
                nginx_map: false,
            },
            Host::Netlify | Host::Cloudflare | Host::Gitlab => Redirects {
                pages: !fits,
                short: if host == Host::Gitlab {
                    ShortPage::Forwarding
                } else {
                    ShortPage::Itself
                },
                rules_file: fits,
                nginx_map: false,
            },
        }
    }
}

/// Warnings for a built site of `files` files and `bytes` bytes that
/// `host` will not take whole.
pub fn over_limits(host: Option<Host>, files: u64, bytes: u64) -> Vec<Diagnostic> {
    let Some(host) = host else {
        return Vec::new();
    };
    let limits = host.limits();
    let name = host.name();
    let mut out = Vec::new();
    if let Some(max) = limits.files.filter(|&max| files > max) {
        out.push(
            Diagnostic::warning(
                Code::HostLimit,
                CONFIG_FILE,
                crate::tr!(
                    "trang dựng ra có {files} tệp, {name} chỉ nhận {max} tệp một trang",
                    "the built site has {files} files; {name} takes {max} files a site"
                ),
            )
            .help(crate::tr!(
                "bớt tệp: `feeds:` và `embeds:` trong site.yaml chỉ cho tỉnh và lĩnh vực (mặc định), bỏ `compress: true` (nơi đăng tự nén), hoặc chọn gói có giới hạn cao hơn hay nơi đăng khác (`host:`)",
                "write fewer files: keep `feeds:` and `embeds:` in site.yaml to provinces and fields (the default), drop `compress: true` (the host compresses), or choose a plan with a higher limit or another host (`host:`)"
            )),
        );
    }
    if let Some(max) = limits.site_bytes.filter(|&max| bytes > max) {
        let (mb, max_mb) = (bytes / 1_000_000, max / 1_000_000);
        out.push(
            Diagnostic::warning(
                Code::HostLimit,
                CONFIG_FILE,
                crate::tr!(
                    "trang dựng ra nặng {mb} MB, {name} chỉ nhận {max_mb} MB một trang",
                    "the built site takes {mb} MB; {name} takes {max_mb} MB a site"
                ),
            )
            .help(crate::tr!(
                "giảm cỡ ảnh (`images:` trong site.yaml), bỏ `compress: true`, hoặc chọn nơi đăng khác (`host:`)",
                "make photos smaller (`images:` in site.yaml), drop `compress: true`, or choose another host (`host:`)"
            )),
        );
    }
    out
}

/// A note when `host`'s rules cannot hold the site's redirects, so they
/// were written as forwarding pages: true, and worth knowing, since the
/// pages cost a file each.
pub fn rules_note(host: Option<Host>, rules: usize, plan: Redirects) -> Option<Diagnostic> {
    let host = host?;
    let max = host.limits().rules?;
    (plan.pages && !plan.rules_file && rules > 0).then(|| {
        let name = host.name();
        Diagnostic::warning(
            Code::HostLimit,
            CONFIG_FILE,
            crate::tr!(
                "{rules} đường dẫn ngắn và địa chỉ cũ, nhiều hơn {max} quy tắc chuyển hướng {name} nhận: chúng được ghi thành trang chuyển tiếp (mỗi trang một tệp)",
                "{rules} short links and old addresses, more than the {max} redirect rules {name} takes: they were written as forwarding pages (a file each)"
            ),
        )
        .help(crate::tr!(
            "không cần sửa gì: đường dẫn ngắn vẫn dùng được; nơi đăng không giới hạn quy tắc (nginx, Netlify) trả lời chúng bằng chuyển hướng 301 thật",
            "nothing to fix: short links still work; a host without a rule limit (nginx, Netlify) answers them with real 301 redirects"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_where_the_host_reads_them_all() {
        let all = |h| Redirects::for_host(Some(h), 500, 30_000);
        assert_eq!(Redirects::for_host(None, 50_000, 1 << 30), Redirects::ALL);
        assert!(!all(Host::Nginx).pages && all(Host::Nginx).nginx_map);
        assert!(all(Host::Github).pages && !all(Host::Github).rules_file);
        for h in [Host::Netlify, Host::Cloudflare, Host::Gitlab] {
            assert!(
                !all(h).pages && all(h).rules_file && !all(h).nginx_map,
                "{h:?}"
            );
        }
        // Past the limits: pages, and no rule file the host would refuse.
        let over = Redirects::for_host(Some(Host::Cloudflare), 2_001, 100_000);
        assert!(over.pages && !over.rules_file);
        let big = Redirects::for_host(Some(Host::Gitlab), 900, 70_000);
        assert!(big.pages && !big.rules_file);
        // A short link is the page itself, except where the host's upload
        // would copy it apart.
        assert_eq!(Redirects::ALL.short, ShortPage::Itself);
        assert_eq!(over.short, ShortPage::Itself);
        assert_eq!(big.short, ShortPage::Forwarding);
        assert_eq!(all(Host::Github).short, ShortPage::Forwarding);
        assert!(!Redirects::for_host(Some(Host::Netlify), 50_000, 1 << 22).pages);
    }

    #[test]
    fn warnings_only_past_a_stated_limit() {
        assert!(over_limits(None, 1 << 40, 1 << 40).is_empty());
        assert!(over_limits(Some(Host::Cloudflare), 20_000, 1 << 40).is_empty());
        assert_eq!(over_limits(Some(Host::Cloudflare), 20_001, 0).len(), 1);
        assert_eq!(
            over_limits(Some(Host::Github), 1 << 30, 1_000_000_001).len(),
            1
        );
        assert!(over_limits(Some(Host::Netlify), 1 << 30, 1 << 40).is_empty());
    }
}
