//! A file of the built site, as the stages hand it to the writer.

/// A file of the built site, before it is written.
pub struct Output {
    /// Site-relative path, e.g. `mo-hinh/tu-banh-mi/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML that should be minified on write.
    pub html: bool,
    /// Other paths that publish the very same bytes: a model's short link
    /// serves its page (src/hosts.rs, `ShortLinks::Page`). The writer
    /// makes them links of one file, so they cost no file of their own,
    /// and the page is minified and compressed once.
    pub also: Vec<String>,
}
