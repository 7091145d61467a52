//! A file of the built site, as the stages hand it to the writer.

/// A file of the built site, before it is written.
pub struct Output {
    /// Site-relative path, e.g. `mo-hinh/tu-banh-mi/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML that should be minified on write.
    pub html: bool,
}
