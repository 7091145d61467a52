//! dienhinh: a static-site generator for the "Dân vận khéo" movement's
//! exemplary models and the ceremonies that recognise them.
//!
//! The build is one pass of stages, each a module with one job
//! ([`build::build`] shows them in order): [`load`] reads and parses content
//! files, [`validate`] checks each document, [`link`] resolves references into
//! the immutable [`site::Site`], [`render`] turns it into pages with the
//! [`theme`], and [`output`] writes them atomically.

pub mod build;
pub mod cards;
pub mod check;
pub mod classify;
pub mod clock;
pub mod compress;
pub mod config;
pub mod core;
pub mod diagnostic;
pub mod exchange;
pub mod failed;
pub mod frontmatter;
pub mod hosts;
pub mod images;
pub mod init;
pub mod link;
pub mod links;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod memory;
pub mod new_doc;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod qr;
pub mod related;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod sheet;
pub mod site;
pub mod taxonomy;
pub mod text;
pub mod theme;
pub mod urls;
pub mod urls_lock;
pub mod validate;
pub mod vi;
pub mod vocab;
