//! Where things are in a JSON text: the key path at a line and column (so that serde's
//! "invalid type" errors can name the key) and the line and column of a key path (so that
//! validation errors can point at it). Config files are small; this scans the whole text.

/// One place in the text: a key, a value or the end of a container, with its key path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spot {
    offset: usize,
    path: String,
}

/// A container being scanned: its path, and for arrays the index of the next element.
struct Frame {
    path: String,
    array: Option<usize>,
    key: Option<String>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Every key, value start and container end, in text order. Stops quietly at text that is
/// not JSON: the spots before it are still right, which is all an error message needs.
fn spots(text: &str) -> Vec<Spot> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // The path a value starting now would have.
    let value_path = |stack: &[Frame]| -> String {
        match stack.last() {
            None => String::new(),
            Some(f) => match (f.array, &f.key) {
                (Some(n), _) => format!("{}[{n}]", f.path),
                (None, Some(k)) => join(&f.path, k),
                (None, None) => f.path.clone(),
            },
        }
    };
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => {
                let path = value_path(&stack);
                out.push(Spot {
                    offset: i,
                    path: path.clone(),
                });
                stack.push(Frame {
                    path,
                    array: (b[i] == b'[').then_some(0),
                    key: None,
                });
                i += 1;
            }
            b'}' | b']' => {
                if let Some(f) = stack.pop() {
                    out.push(Spot {
                        offset: i,
                        path: f.path,
                    });
                }
                i += 1;
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    match &mut f.array {
                        Some(n) => *n += 1,
                        None => f.key = None,
                    }
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                let Some((s, end)) = string_at(b, i) else {
                    break;
                };
                i = end;
                let is_key = stack
                    .last()
                    .is_some_and(|f| f.array.is_none() && f.key.is_none());
                if is_key {
                    let parent = stack.last().map(|f| f.path.clone()).unwrap_or_default();
                    out.push(Spot {
                        offset: start,
                        path: join(&parent, &s),
                    });
                    if let Some(f) = stack.last_mut() {
                        f.key = Some(s);
                    }
                } else {
                    out.push(Spot {
                        offset: start,
                        path: value_path(&stack),
                    });
                }
            }
            c if c.is_ascii_whitespace() || c == b':' => i += 1,
            _ => {
                // A number, true, false or null: runs to the next delimiter.
                out.push(Spot {
                    offset: i,
                    path: value_path(&stack),
                });
                while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b'"') {
                    if b[i].is_ascii_whitespace() {
                        break;
                    }
                    i += 1;
                }
                if i < b.len() && b[i] == b'"' {
                    // Garbage such as `tru"e`: not JSON, stop.
                    break;
                }
            }
        }
    }
    out
}

/// The string starting at `b[i] == '"'`, unescaped loosely (enough for key names), and the
/// offset after its closing quote.
fn string_at(b: &[u8], i: usize) -> Option<(String, usize)> {
    let mut j = i + 1;
    let mut raw = Vec::new();
    while j < b.len() {
        match b[j] {
            b'"' => return Some((String::from_utf8_lossy(&raw).into_owned(), j + 1)),
            b'\\' => {
                if let Some(&c) = b.get(j + 1) {
                    raw.push(match c {
                        b'n' => b'\n',
                        b't' => b'\t',
                        other => other,
                    });
                }
                j += 2;
            }
            c => {
                raw.push(c);
                j += 1;
            }
        }
    }
    None
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return off + column.saturating_sub(1).min(l.len());
        }
        off += l.len();
    }
    text.len()
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|c| **c == b'\n').count() + 1;
    let col = before
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(before.len() + 1, |p| before.len() - p);
    (line, col)
}

/// The key path of what is at a 1-based line and column (`environments.staging.quality_threshold`,
/// `components[1].paths`); empty for the document itself.
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let pos = offset_of(text, line, column);
    // serde_json points just past the token it rejects, so the last spot that starts before
    // that position is the token's own.
    spots(text)
        .into_iter()
        .take_while(|s| s.offset < pos.max(1))
        .last()
        .map(|s| s.path)
        .unwrap_or_default()
}

/// 1-based line and column where a key path first appears (its key, or its value when it is
/// an array element), if it does.
pub fn position_of(text: &str, path: &str) -> Option<(usize, usize)> {
    spots(text)
        .into_iter()
        .find(|s| s.path == path)
        .map(|s| line_col(text, s.offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"environments\": {\n    \"staging\": {\"quality_threshold\": \"high\"}\n  },\n  \"components\": [{\"name\": \"a\"}, {\"name\": 5}]\n}\n";

    #[test]
    fn paths_of_values_keys_and_array_elements() {
        // serde_json reports `invalid type` just past the offending string.
        let col = DOC.lines().nth(2).unwrap().find("\"high\"").unwrap() + 7;
        assert_eq!(
            path_at(DOC, 3, col),
            "environments.staging.quality_threshold"
        );
        let line5 = DOC.lines().nth(4).unwrap();
        let col = line5.find("5}").unwrap() + 2;
        assert_eq!(path_at(DOC, 5, col), "components[1].name");
        assert_eq!(
            position_of(DOC, "environments.staging.quality_threshold"),
            Some((3, 17))
        );
        assert_eq!(position_of(DOC, "components[1]"), Some((5, 33)));
        assert_eq!(position_of(DOC, "nope"), None);
    }

    #[test]
    fn garbage_stops_the_scan_without_panicking() {
        for t in [
            "",
            "{",
            "{\"a\":",
            "[\"unterminated",
            "{\"a\": tru\"e}",
            "}}]]",
        ] {
            let _ = path_at(t, 1, 3);
            let _ = position_of(t, "a");
        }
    }
}
