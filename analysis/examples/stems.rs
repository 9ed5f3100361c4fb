//! Prints the terms the Dutch analyzer makes of its arguments (or of each line on standard
//! input): what theme queries and the index see. For taxonomy authors:
//!
//!     cargo run -p analysis --example stems -- "De scholing van docenten"

use std::io::BufRead;

fn main() {
    let mut analyzer = analysis::text_analysis::dutch_analyzer();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lines: Vec<String> = if args.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect()
    } else {
        args
    };
    for line in lines {
        let terms = analysis::text_analysis::terms(&mut analyzer, &line);
        println!("{line}\t{}", terms.join(" "));
    }
}
