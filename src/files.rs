//! Writing output files whole or not at all.

use crate::error::{Error, Result};
use crate::formats;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::io::Write;
use std::path::Path;

/// Writes `path` through `write`: into a temporary file beside it, renamed over it
/// only when complete, so a failure never leaves half a file; gzipped when the
/// name ends in `.gz`.
pub fn write_whole<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::file(dir, e))?;
    let result = {
        let mut buffered = std::io::BufWriter::new(temporary.as_file());
        let result = if formats::is_gzipped(path) {
            let mut encoder =
                flate2::write::GzEncoder::new(&mut buffered, flate2::Compression::fast());
            let result = write(&mut encoder)?;
            encoder.finish().map_err(|e| Error::file(path, e))?;
            result
        } else {
            write(&mut buffered)?
        };
        buffered.flush().map_err(|e| Error::file(path, e))?;
        result
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temporary files are private; the output is an ordinary file.
        std::fs::set_permissions(temporary.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::file(path, e))?;
    }
    temporary
        .persist(path)
        .map_err(|e| Error::file(path, e.error))?;
    Ok(result)
}

/// What [`encode_segment`] leaves as it is: ASCII letters, digits and `-._~` (the
/// unreserved characters of RFC 3986).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What [`encode_path`] leaves as it is: those and `/`.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// One segment of an IRI path, percent-encoded: every byte but the unreserved ones.
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// A file path as the path of a `file:` URL, percent-encoded but for `/`.
pub fn encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH).to_string()
}

/// Opens a file to read, `-` for standard input, decompressing `.gz` files.
pub fn open_input(path: &Path) -> Result<Box<dyn std::io::Read>> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::file(path, e))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    if crate::formats::is_gzipped(path) {
        Ok(Box::new(Inflating::new(flate2::read::MultiGzDecoder::new(
            reader,
        ))))
    } else {
        Ok(Box::new(reader))
    }
}

/// Reads a decompressing reader on a thread of its own, a block ahead, so that
/// inflating overlaps with whatever parses the text.
struct Inflating {
    blocks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    block: Vec<u8>,
    at: usize,
}

impl Inflating {
    const BLOCK: usize = 1 << 20;

    fn new(mut inner: impl std::io::Read + Send + 'static) -> Self {
        let (send, blocks) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || loop {
            let mut block = vec![0; Self::BLOCK];
            let mut filled = 0;
            let result = loop {
                match inner.read(&mut block[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == block.len() {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            block.truncate(filled);
            let done = filled == 0 || result.is_err();
            let message = result.map(|()| block);
            // The reader was dropped: stop.
            if send.send(message).is_err() || done {
                return;
            }
        });
        Inflating {
            blocks,
            block: Vec::new(),
            at: 0,
        }
    }
}

impl std::io::Read for Inflating {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.block.len() {
            match self.blocks.recv() {
                Ok(Ok(block)) => {
                    self.block = block;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The thread ended after the last block.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.block.len() - self.at);
        out[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(
            encode_segment("Kyiv Independent/ü~x"),
            "Kyiv%20Independent%2F%C3%BC~x"
        );
        assert_eq!(encode_path("/cases/a b/c+d.ttl"), "/cases/a%20b/c%2Bd.ttl");
    }

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ttl");
        let result: Result<()> = write_whole(&path, |out| {
            out.write_all(b"half").unwrap();
            Err(Error::invalid("stopped"))
        });
        assert!(result.is_err());
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no temporary file left"
        );
    }

    #[test]
    fn gzipped_input_is_read_whole_and_a_corrupt_one_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.tsv.gz");
        let text: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
        write_whole(&path, |out| {
            out.write_all(text.as_bytes()).map_err(Error::Output)
        })
        .unwrap();
        let mut read = String::new();
        open_input(&path)
            .unwrap()
            .read_to_string(&mut read)
            .unwrap();
        assert_eq!(read, text);
        // Cut the file short: reading must fail, not end early.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let mut read = String::new();
        assert!(open_input(&path)
            .unwrap()
            .read_to_string(&mut read)
            .is_err());
    }

    #[test]
    fn gzipped_output_is_compressed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.nt.gz");
        write_whole(&path, |out| {
            out.write_all(b"hello\n").map_err(Error::Output)
        })
        .unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()),
            &mut text,
        )
        .unwrap();
        assert_eq!(text, "hello\n");
    }
}
