//! What every stage shares and no stage owns: the interface language, a
//! file of the built site, how lists are paged, stage timings, XML text
//! and whole-file writes.
//! Nothing here imports a stage, so any module may import from here
//! (the layers are listed in `tests/it/layers.rs`).

pub mod date;
pub mod escape;
pub mod files;
pub mod lang;
pub mod output;
pub mod paging;
pub mod timing;
pub mod xml;

pub use lang::Lang;
pub use output::Output;
pub use paging::Paging;
