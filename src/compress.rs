//! Precompressed siblings (`index.html.gz`, `index.html.br`) of the text
//! files of a build, for servers that send them as they are (nginx
//! `gzip_static`/`brotli_static`, Caddy `precompressed`): the best
//! compression, paid once at build time instead of on every request.
//!
//! The bytes depend only on the input: the gzip header carries no time and
//! no file name, so an unchanged site rebuilds to identical files.

use std::io::{self, Write};

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use rayon::prelude::*;

use crate::core::Output;
use crate::output::Copy;

/// Text formats worth compressing; pictures and the already compressed
/// search shards are not.
pub const EXTENSIONS: [&str; 9] = [
    "html", "css", "js", "json", "xml", "svg", "txt", "csv", "map",
];

/// Brotli's best; a site is small and is compressed once.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// `.gz` and `.br` siblings of the copied text files (static CSS, JS …).
pub fn copy_siblings(copies: &[Copy]) -> io::Result<Vec<Output>> {
    let out: Vec<Vec<Output>> = copies
        .par_iter()
        .filter(|c| is_text(&c.to))
        .map(|c| std::fs::read(&c.from).and_then(|b| siblings(&c.to, &b)))
        .collect::<io::Result<_>>()?;
    Ok(out.into_iter().flatten().collect())
}

pub fn is_text(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// `.gz` and `.br` siblings of a text file, each kept only when smaller
/// than the original; none for other files.
pub fn siblings(path: &str, bytes: &[u8]) -> io::Result<Vec<Output>> {
    let mut out = Vec::new();
    if !is_text(path) {
        return Ok(out);
    }
    for (ext, packed) in [("gz", gzip(bytes)?), ("br", brotli(bytes)?)] {
        if packed.len() < bytes.len() {
            out.push(Output::file(format!("{path}.{ext}"), packed));
        }
    }
    Ok(out)
}

/// gzip -9 with a zero timestamp and no name.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc: GzEncoder<Vec<u8>> = GzBuilder::new()
        .mtime(0)
        .write(Vec::with_capacity(bytes.len() / 3), Compression::best());
    enc.write_all(bytes)?;
    enc.finish()
}

pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut w =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        w.write_all(bytes)?;
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_by_extension() {
        assert!(is_text("a/index.html"));
        assert!(is_text("style.0123.CSS"));
        assert!(is_text("du-lieu/mo-hinh.csv"));
        assert!(!is_text("a/anh.jpg"));
        assert!(!is_text("_search/shard-0.bin"));
        assert!(!is_text("README"));
    }

    #[test]
    fn gzip_has_no_timestamp() {
        let a = gzip(b"xin chao xin chao xin chao").unwrap();
        // Bytes 4..8 of a gzip header are the modification time.
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
        // No FNAME flag.
        assert_eq!(a[3] & 0x08, 0);
    }
}
