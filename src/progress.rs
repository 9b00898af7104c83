//! A progress bar for long reads, measured in bytes read from the file (Oxigraph's
//! loader only reports every million triples), shown only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use std::io::{IsTerminal, Read};

/// Files smaller than this load too fast for a bar to help.
const MIN_BYTES_FOR_BAR: u64 = 8 * 1024 * 1024;

/// `reader`, moving a bar over the file forward by the bytes it reads (indicatif's
/// own counting reader), or as it is when standard error is not a terminal or the file
/// is small. The bar clears itself when the reader is dropped.
pub fn counted<'a, R: Read + 'a>(reader: R, label: &str, total_bytes: u64) -> Box<dyn Read + 'a> {
    if total_bytes < MIN_BYTES_FOR_BAR || !std::io::stderr().is_terminal() {
        return Box::new(reader);
    }
    let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) else {
        return Box::new(reader);
    };
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr())
        .with_style(style.progress_chars("=> "))
        .with_message(label.to_string())
        .with_finish(ProgressFinish::AndClear);
    Box::new(bar.wrap_read(reader))
}
