//! A small static file server for previewing a built site on this machine.

use std::io;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Method, Response, Server, StatusCode};

/// Serves `dir` on `addr` until the process ends.
pub fn serve(dir: &Path, addr: &str) -> io::Result<()> {
    let server = Server::http(addr).map_err(io::Error::other)?;
    for request in server.incoming_requests() {
        let response = respond(dir, request.method(), request.url());
        // A client that went away is not our problem.
        let _ = request.respond(response);
    }
    Ok(())
}

fn respond(dir: &Path, method: &Method, url: &str) -> Response<io::Cursor<Vec<u8>>> {
    if !matches!(method, Method::Get | Method::Head) {
        return text(405, "method not allowed");
    }
    match resolve(dir, url) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => with_type(Response::from_data(bytes), &file),
            Err(_) => not_found(dir),
        },
        None => not_found(dir),
    }
}

/// Maps a request path to a file inside `dir`, refusing anything that
/// would leave it (`..`, encoded or not, absolute or drive paths).
pub fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(c) => file.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn not_found(dir: &Path) -> Response<io::Cursor<Vec<u8>>> {
    match std::fs::read(dir.join("404.html")) {
        Ok(bytes) => {
            with_type(Response::from_data(bytes), Path::new("404.html")).with_status_code(404)
        }
        Err(_) => text(404, "không tìm thấy"),
    }
}

fn text(code: u16, body: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(StatusCode(code))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn with_type(r: Response<io::Cursor<Vec<u8>>>, file: &Path) -> Response<io::Cursor<Vec<u8>>> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    r.with_header(header("Content-Type", mime))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/").is_some());
        assert!(resolve(dir.path(), "/../etc/passwd").is_none());
        assert!(resolve(dir.path(), "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(dir.path(), "/..%2fetc").is_none());
        assert!(
            resolve(dir.path(), "/%2Fetc%2Fpasswd").is_some_and(|p| p.starts_with(dir.path()))
                || resolve(dir.path(), "/%2Fetc%2Fpasswd").is_none()
        );
    }
}
