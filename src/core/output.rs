//! A file of the built site, as the stages hand it to the writer.

/// A file of the built site, before it is written.
pub struct Output {
    /// Site-relative path, e.g. `mo-hinh/tu-banh-mi/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML that should be minified on write.
    pub html: bool,
    /// Other paths that publish the very same bytes: a model's short link
    /// serves its page (src/hosts.rs, `ShortPage::Itself`). The writer
    /// makes them links of one file, so they cost no file of their own,
    /// and the page is minified and compressed once.
    pub also: Vec<String>,
}

impl Output {
    /// An HTML page, minified on write where the site asks.
    pub fn page(path: String, bytes: Vec<u8>) -> Output {
        Output {
            path,
            bytes,
            html: true,
            also: Vec::new(),
        }
    }

    /// Any other file, written as it is.
    pub fn file(path: String, bytes: Vec<u8>) -> Output {
        Output {
            path,
            bytes,
            html: false,
            also: Vec::new(),
        }
    }
}
