//! Rendering: the model and verdicts as text for terminals and as JSON. Returns strings;
//! the binary decides where they go.

pub mod inspect;
pub mod markdown;
pub mod terminal;

/// Line ranges as people write them: `3`, `5-9`.
pub(crate) fn line_ranges(ranges: &[[u32; 2]]) -> Vec<String> {
    ranges
        .iter()
        .map(|[a, z]| {
            if a == z {
                a.to_string()
            } else {
                format!("{a}-{z}")
            }
        })
        .collect()
}
