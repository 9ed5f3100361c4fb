//! Progress bars for long work, on stderr, hidden when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};

/// An ingest progress bar counting anonymised items.
#[derive(Debug)]
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(hidden: bool) -> Self {
        let bar = if hidden {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} anonymising {pos}/{len} items [{bar:30}] {per_sec} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl ingest::batch::Progress for Bar {
    fn start(&self, items: u64) {
        self.0.set_length(items);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

/// A spinner counting items of work whose total is not known up front.
#[derive(Debug)]
pub struct Spinner(ProgressBar);

impl Spinner {
    pub fn new(hidden: bool, what: &str) -> Self {
        let bar = if hidden {
            ProgressBar::hidden()
        } else {
            ProgressBar::new_spinner()
        };
        bar.set_style(
            ProgressStyle::with_template(&format!("{{spinner}} {what} {{pos}} items {{per_sec}}"))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Spinner(bar)
    }

    pub fn set(&self, n: u64) {
        self.0.set_position(n);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
