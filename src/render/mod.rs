//! Rendering: the model and verdicts as text for terminals and as JSON. Returns strings;
//! the binary decides where they go.

pub mod inspect;
pub mod markdown;
pub mod terminal;
