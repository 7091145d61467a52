//! Spreadsheets in and out: the `import` and `export` commands.
//!
//! Offices keep their lists of models in spreadsheets; [`export`] writes the
//! report a province sends upward (models, each ceremony's honorees, and the
//! counts `/thong-ke/` shows), and [`import`] turns an office's list into one
//! Markdown file per row. The Markdown files stay the source of truth: an
//! import never overwrites one, and an export publishes only what the open
//! data does. Both load the site as `build` does, so they sit with the
//! commands' pipelines; reading and writing the files themselves is
//! src/sheet/.

pub mod export;
pub mod filter;
pub mod import;
