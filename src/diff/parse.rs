//! A unified-diff parser: `git diff` (with or without `--unified=0`), `diff -u`, `gofmt -d`.
//!
//! The result keeps what was written (paths as after `---`/`+++`, header lines, every hunk
//! line with its old, new and GitHub-position numbers), so it can be checked line by line
//! against other parsers' expectations; [`FileDiff::new_path`], [`FileDiff::status`] and
//! [`FileDiff::added_lines`] give what the gate needs.
//!
//! Hunk lengths are trusted: a line inside a hunk is read by its first character until both
//! sides are used up, so deleted lines that look like headers (`--- x`) are read as lines.
//! Quoted paths (`"a/\346\227\245.txt"`) are C-unquoted; a TAB ends the path on `---`/`+++`
//! lines (git adds one after paths with spaces); a CR before the line feed is dropped.

/// What a hunk line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// ` ` unchanged.
    Context,
    /// `+` added.
    Added,
    /// `-` deleted.
    Deleted,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Context, added or deleted.
    pub kind: LineKind,
    /// The text without its first character.
    pub content: String,
    /// GitHub's diff position: 1 for the first line below the file's first `@@`, counting
    /// later `@@` lines too.
    pub lnum_diff: u32,
    /// Line in the old file; 0 for added lines.
    pub lnum_old: u32,
    /// Line in the new file; 0 for deleted lines.
    pub lnum_new: u32,
}

/// Whether a hunk changes the newline at the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EofNewline {
    /// Unchanged.
    #[default]
    Unchanged,
    /// The old file had none, the new one has.
    Added,
    /// The old file had one, the new one has none.
    Removed,
}

/// One `@@ -a,b +c,d @@ section` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hunk {
    /// `a`.
    pub start_old: u32,
    /// `b` (1 when omitted).
    pub len_old: u32,
    /// `c`.
    pub start_new: u32,
    /// `d` (1 when omitted).
    pub len_new: u32,
    /// Text after the closing `@@`, without the leading space.
    pub section: String,
    /// The lines.
    pub lines: Vec<Line>,
    /// From `\ No newline at end of file` markers.
    pub eof_newline: EofNewline,
}

/// One file of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileDiff {
    /// As written after `---` (prefix kept, quotes removed); empty without a `---` line.
    pub path_old: String,
    /// As written after `+++`; empty without a `+++` line.
    pub path_new: String,
    /// Text after the TAB on the `---` line.
    pub time_old: String,
    /// Text after the TAB on the `+++` line.
    pub time_new: String,
    /// The hunks.
    pub hunks: Vec<Hunk>,
    /// Header lines before `---` (`diff --git`, `index`, `new file mode`, `rename from`...).
    pub extended: Vec<String>,
}

/// What happened to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// New file.
    Added,
    /// Deleted file.
    Deleted,
    /// Changed in place.
    Modified,
    /// Moved (and maybe changed); the old path.
    Renamed(String),
    /// Copied (and maybe changed); the source path.
    Copied(String),
}

/// A diff that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("diff line {line}: {message}")]
pub struct ParseError {
    /// 1-based line of the diff text.
    pub line: usize,
    /// What was expected.
    pub message: String,
}

impl FileDiff {
    fn is_git(&self) -> bool {
        self.extended.iter().any(|l| l.starts_with("diff --git "))
    }

    fn header(&self, prefix: &str) -> Option<String> {
        self.extended
            .iter()
            .find_map(|l| l.strip_prefix(prefix))
            .map(|rest| unquote(rest).map_or_else(|| rest.to_string(), |(p, _)| p))
    }

    /// The two paths of the `diff --git a/X b/Y` line, prefixes removed.
    fn git_paths(&self) -> Option<(String, String)> {
        let rest = self
            .extended
            .iter()
            .find_map(|l| l.strip_prefix("diff --git "))?;
        if rest.starts_with('"') {
            let (a, tail) = unquote(rest)?;
            let tail = tail.trim_start();
            let b = unquote(tail).map_or_else(|| tail.to_string(), |(b, _)| b);
            return Some((strip_ab(&a, "a/"), strip_ab(&b, "b/")));
        }
        // `a/X b/X`: unquoted paths may hold spaces, so the two halves are found by length
        // when they are equal (no rename), else by a quoted second half or the last ` b/`.
        if rest.len() % 2 == 1 {
            let half = rest.len() / 2;
            if rest.is_char_boundary(half) && rest.is_char_boundary(half + 1) {
                let (a, b) = (&rest[..half], &rest[half + 1..]);
                if a.get(2..) == b.get(2..) && a.starts_with("a/") && b.starts_with("b/") {
                    return Some((a[2..].to_string(), b[2..].to_string()));
                }
            }
        }
        if let Some(i) = rest.find(" \"") {
            let b = unquote(&rest[i + 1..]).map(|(b, _)| b)?;
            return Some((strip_ab(&rest[..i], "a/"), strip_ab(&b, "b/")));
        }
        let i = rest.rfind(" b/")?;
        Some((strip_ab(&rest[..i], "a/"), rest[i + 3..].to_string()))
    }

    fn clean(&self, written: &str, prefix: &str) -> Option<String> {
        if written.is_empty() || written == "/dev/null" {
            return None;
        }
        Some(if self.is_git() {
            strip_ab(written, prefix)
        } else {
            written.to_string()
        })
    }

    /// The file's path before the change; `None` for a new file.
    pub fn old_path(&self) -> Option<String> {
        if self.path_old == "/dev/null"
            || self.extended.iter().any(|l| l.starts_with("new file mode"))
        {
            return None;
        }
        self.header("rename from ")
            .or_else(|| self.header("copy from "))
            .or_else(|| self.clean(&self.path_old, "a/"))
            .or_else(|| self.git_paths().map(|p| p.0))
    }

    /// The file's path after the change; `None` for a deleted file.
    pub fn new_path(&self) -> Option<String> {
        if self.path_new == "/dev/null"
            || self
                .extended
                .iter()
                .any(|l| l.starts_with("deleted file mode"))
        {
            return None;
        }
        self.header("rename to ")
            .or_else(|| self.header("copy to "))
            .or_else(|| self.clean(&self.path_new, "b/"))
            .or_else(|| self.git_paths().map(|p| p.1))
    }

    /// What happened to the file.
    pub fn status(&self) -> Status {
        match (self.old_path(), self.new_path()) {
            (None, _) => Status::Added,
            (_, None) => Status::Deleted,
            (Some(o), Some(_)) if self.extended.iter().any(|l| l.starts_with("copy from ")) => {
                Status::Copied(o)
            }
            (Some(o), Some(n)) if o != n => Status::Renamed(o),
            _ => Status::Modified,
        }
    }

    /// True for `Binary files ... differ` and `GIT binary patch`.
    pub fn is_binary(&self) -> bool {
        self.extended
            .iter()
            .any(|l| l.starts_with("Binary files ") || l == "GIT binary patch")
    }

    /// New-file line numbers of the added lines, ascending.
    pub fn added_lines(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .hunks
            .iter()
            .flat_map(|h| h.lines.iter())
            .filter(|l| l.kind == LineKind::Added)
            .map(|l| l.lnum_new)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

fn strip_ab(p: &str, prefix: &str) -> String {
    p.strip_prefix(prefix).unwrap_or(p).to_string()
}

/// A C-quoted string at the start of `s` (git's `"a/\303\244 b\t"`): the bytes decoded as
/// UTF-8 (lossily) and the rest after the closing quote. `None` when `s` does not start
/// with a quote or the quote is not closed.
pub fn unquote(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let b = body.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                return Some((String::from_utf8_lossy(&out).into_owned(), &body[i + 1..]));
            }
            b'\\' if i + 1 < b.len() => {
                let c = b[i + 1];
                i += 2;
                match c {
                    b'0'..=b'7' => {
                        let mut v: u32 = u32::from(c - b'0');
                        for _ in 0..2 {
                            if i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                                v = v * 8 + u32::from(b[i] - b'0');
                                i += 1;
                            }
                        }
                        out.push((v & 0xff) as u8);
                    }
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    other => out.push(other),
                }
            }
            x => {
                out.push(x);
                i += 1;
            }
        }
    }
    None
}

/// Path and time of a `---`/`+++` line's rest.
fn path_and_time(rest: &str) -> (String, String) {
    if let Some((p, tail)) = unquote(rest) {
        let time = tail.strip_prefix('\t').unwrap_or(tail.trim_start());
        return (p, time.to_string());
    }
    match rest.split_once('\t') {
        Some((p, t)) => (p.to_string(), t.to_string()),
        None => (rest.to_string(), String::new()),
    }
}

/// `@@ -a[,b] +c[,d] @@[ section]`.
fn hunk_header(line: &str) -> Option<Hunk> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, section) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let range = |r: &str| -> Option<(u32, u32)> {
        match r.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let (start_old, len_old) = range(old)?;
    let (start_new, len_new) = range(new)?;
    Some(Hunk {
        start_old,
        len_old,
        start_new,
        len_new,
        section: section.strip_prefix(' ').unwrap_or(section).to_string(),
        lines: Vec::new(),
        eof_newline: EofNewline::Unchanged,
    })
}

/// Parses a multi-file diff. Bytes that are not UTF-8 are replaced (paths in git's quoted
/// form are decoded first). Text before the first file (a commit message) is skipped.
pub fn parse(text: &[u8]) -> Result<Vec<FileDiff>, ParseError> {
    // Borrowed where the text is UTF-8: no copy of a large diff.
    let lines: Vec<std::borrow::Cow<'_, str>> = text
        .split(|&b| b == b'\n')
        .map(|l| String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)))
        .collect();
    // A trailing newline leaves one empty piece that is not a line.
    let n = if text.ends_with(b"\n") || text.is_empty() {
        lines.len() - 1
    } else {
        lines.len()
    };
    let mut files: Vec<FileDiff> = Vec::new();
    // Whether the current file has had its `---`/`+++` or a hunk (a new header line then
    // starts the next file).
    let mut body_started = false;
    let mut i = 0;
    while i < n {
        let line = &lines[i];
        if let Some(rest) = line.strip_prefix("--- ")
            && i + 1 < n
            && lines[i + 1].starts_with("+++ ")
        {
            if files.is_empty() || body_started {
                files.push(FileDiff::default());
            }
            let f = files.last_mut().expect("pushed above");
            (f.path_old, f.time_old) = path_and_time(rest);
            (f.path_new, f.time_new) = path_and_time(&lines[i + 1][4..]);
            body_started = true;
            i += 2;
            continue;
        }
        if line.starts_with("@@ ") {
            let Some(mut h) = hunk_header(line) else {
                return Err(ParseError {
                    line: i + 1,
                    message: format!("expected a hunk header `@@ -a,b +c,d @@`, got `{line}`"),
                });
            };
            let Some(f) = files.last_mut() else {
                return Err(ParseError {
                    line: i + 1,
                    message: "a hunk before any file header".into(),
                });
            };
            body_started = true;
            // GitHub's position: the first hunk's header is position 0.
            let mut pos = f
                .hunks
                .last()
                .and_then(|h| h.lines.last())
                .map_or(0, |l| l.lnum_diff + 1);
            let (mut old, mut new) = (h.start_old, h.start_new);
            let (mut left_old, mut left_new) = (h.len_old, h.len_new);
            let (mut old_nonl, mut new_nonl) = (false, false);
            // Set when a line does not fit the header's counts (hand-edited diffs): then lines
            // are read by their first character until one that cannot be a hunk line.
            let mut lenient = false;
            i += 1;
            while i < n {
                let l = &lines[i];
                if let Some(last) = l.strip_prefix('\\') {
                    let _ = last;
                    match h.lines.last().map(|x| x.kind) {
                        Some(LineKind::Deleted) => old_nonl = true,
                        Some(LineKind::Added) => new_nonl = true,
                        Some(LineKind::Context) => {
                            old_nonl = true;
                            new_nonl = true;
                        }
                        None => {}
                    }
                    i += 1;
                    continue;
                }
                if !lenient && left_old == 0 && left_new == 0 {
                    break;
                }
                let first = l.as_bytes().first();
                if !lenient
                    && matches!(
                        (first, left_old > 0, left_new > 0),
                        (Some(b'+'), _, false)
                            | (Some(b'-'), false, _)
                            | (Some(b' '), false, _)
                            | (Some(b' '), _, false)
                    )
                {
                    lenient = true;
                }
                if lenient
                    && (first.is_none_or(|c| !matches!(c, b'+' | b'-' | b' '))
                        || (l.starts_with("--- ")
                            && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ "))))
                {
                    break;
                }
                let (kind, content) = match first {
                    Some(b'+') if lenient || left_new > 0 => (LineKind::Added, &l[1..]),
                    Some(b'-') if lenient || left_old > 0 => (LineKind::Deleted, &l[1..]),
                    Some(b' ') if lenient || (left_old > 0 && left_new > 0) => {
                        (LineKind::Context, &l[1..])
                    }
                    // Some tools strip the space of an empty context line.
                    None if left_old > 0 && left_new > 0 => (LineKind::Context, ""),
                    _ => {
                        return Err(ParseError {
                            line: i + 1,
                            message: format!(
                                "expected {left_old} more old and {left_new} more new line(s) of the hunk starting at line {}, got `{}`",
                                hunk_start_line(&lines, i),
                                l.chars().take(80).collect::<String>()
                            ),
                        });
                    }
                };
                pos += 1;
                let (lo, ln) = match kind {
                    LineKind::Context => {
                        left_old = left_old.saturating_sub(1);
                        left_new = left_new.saturating_sub(1);
                        old += 1;
                        new += 1;
                        (old - 1, new - 1)
                    }
                    LineKind::Added => {
                        left_new = left_new.saturating_sub(1);
                        new += 1;
                        (0, new - 1)
                    }
                    LineKind::Deleted => {
                        left_old = left_old.saturating_sub(1);
                        old += 1;
                        (old - 1, 0)
                    }
                };
                h.lines.push(Line {
                    kind,
                    content: content.to_string(),
                    lnum_diff: pos,
                    lnum_old: lo,
                    lnum_new: ln,
                });
                i += 1;
            }
            // A hunk shorter than its header says (hand-edited diffs end so) is kept as read.
            h.eof_newline = match (old_nonl, new_nonl) {
                (true, false) => EofNewline::Added,
                (false, true) => EofNewline::Removed,
                _ => EofNewline::Unchanged,
            };
            f.hunks.push(h);
            continue;
        }
        // A header line: `diff ...` always starts a file; other lines start one after a body.
        if line.starts_with("diff ") || (body_started && !files.is_empty()) {
            files.push(FileDiff::default());
            body_started = false;
        }
        if let Some(f) = files.last_mut() {
            f.extended.push(line.to_string());
        }
        i += 1;
    }
    Ok(files)
}

fn hunk_start_line(lines: &[std::borrow::Cow<'_, str>], mut i: usize) -> usize {
    while i > 0 && !lines[i].starts_with("@@ ") {
        i -= 1;
    }
    i + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_paths_are_decoded() {
        let (p, rest) = unquote(r#""a/\346\227\245 x\t.txt"	2020"#).unwrap();
        assert_eq!(p, "a/日 x\t.txt");
        assert_eq!(rest, "\t2020");
    }

    #[test]
    fn header_like_deleted_lines_stay_in_the_hunk() {
        let d = b"--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n--- a\n-+++ b\n+c\n";
        let f = parse(d).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].hunks[0].lines.len(), 3);
        assert_eq!(f[0].added_lines(), vec![1]);
    }

    #[test]
    fn miscounted_hunks_are_read_by_their_lines() {
        // Hand-edited diffs (diff-cover's fixtures) have headers that miscount.
        let f = parse(b"--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n+b\n+c\n+d\n a\n").unwrap();
        assert_eq!(f[0].added_lines(), vec![2, 3, 4]);
        let f = parse(b"--- a/x\n+++ b/x\n@@ -0,0 +1,3 @@\n+a\n+b").unwrap();
        assert_eq!(f[0].added_lines(), vec![1, 2]);
    }
}
