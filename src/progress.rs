//! A progress bar for long reads, measured in bytes read from the file (Oxigraph's
//! loader only reports every million triples), shown only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read};

/// Files smaller than this load too fast for a bar to help.
const MIN_BYTES_FOR_BAR: u64 = 8 * 1024 * 1024;

/// A bar over one file, or nothing when stderr is not a terminal or the file is small.
pub fn bar_for_file(label: &str, total_bytes: u64) -> Option<ProgressBar> {
    if total_bytes < MIN_BYTES_FOR_BAR || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        )
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    Some(bar)
}

/// A reader that moves a bar forward by the bytes it reads.
pub struct CountingReader<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> CountingReader<R> {
    pub fn new(inner: R, bar: Option<ProgressBar>) -> Self {
        CountingReader { inner, bar }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(read as u64);
        }
        Ok(read)
    }
}

impl<R> Drop for CountingReader<R> {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
