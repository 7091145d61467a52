//! How quickly freed memory goes back to the operating system.
//!
//! The `dienhinh` binary allocates with mimalloc, which keeps freed pages
//! for a few milliseconds to reuse them. That is right while pages are
//! rendered (many short-lived buffers), but while the search index is built
//! the postings of a large site grow by doubling and are then converted
//! list by list: memory that is freed and not reused, which would count in
//! the build's peak (a tenth of it at 10,000 models).

/// `mi_option_purge_delay` in mimalloc's option enum (the same number in
/// its versions 2 and 3; the crate builds version 3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns freed memory at once until the guard is dropped, which puts
/// back the delay there was.
pub struct PromptRelease(std::ffi::c_long);

impl PromptRelease {
    pub fn start() -> PromptRelease {
        // SAFETY: reads a plain integer option.
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        set_purge_delay(0);
        PromptRelease(before)
    }
}

impl Drop for PromptRelease {
    fn drop(&mut self) {
        set_purge_delay(self.0);
    }
}

fn set_purge_delay(ms: std::ffi::c_long) {
    // SAFETY: sets a plain integer option; mimalloc reads it at each
    // purge. Harmless when mimalloc is not the global allocator (tests).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) }
}

/// Gives freed memory back after 10 ms, as mimalloc 2 did, instead of
/// mimalloc 3's full second: rendering frees large buffers (the open data
/// files, tens of megabytes at 10,000 models) while other pages are still
/// being made, and a second's delay kept them in the peak. `check` of a
/// generated 10,000-model site: 328 → 296 MB at the same speed
/// (bench/RESULTS.md). A delay the user set in `MIMALLOC_PURGE_DELAY` is
/// left alone.
pub fn release_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        set_purge_delay(10);
    }
}

/// Keeps freed pages for reuse for as long as the process runs (`serve`):
/// a preview rebuilds its search index after every save, and giving the
/// index's few hundred megabytes back to the system between saves made
/// the next save fault them all in again, a fifth of its time at 10,000
/// models. Freed memory is still reused, so the footprint stays that of
/// the largest rebuild.
pub fn keep_freed_pages() {
    set_purge_delay(-1);
}
