//! `sarif validate`: the OASIS SARIF 2.1.0 schema, GitHub's ingestion rules and GitHub's
//! limits, each problem with its JSON pointer and its line and column in the file.
//!
//! The file is streamed ([`super::scan`]): each result is parsed and checked on its own, the
//! rest of the log (the skeleton) once, so memory follows the largest result, not the file.
//!
//! Rules, named as the SARIF SDK (`Sarif.Multitool validate --rule-kind Ghas`) names them,
//! with its message ids and arguments (first argument: the SDK-style path of the node):
//! - `schema`: the OASIS schema (draft-04, see [`super::schema`]), error.
//! - GH1001 every result has `locations`, not empty, each with
//!   `physicalLocation.artifactLocation.uri` (also `relatedLocations`); GH1002 no
//!   thread-flow location refers to `run.threadFlowLocations` by `index`; GH1003 every
//!   location has a `region` with `startLine`; GH1004 arrays within GitHub's limits (runs 20,
//!   rules 25,000, results 25,000 per run, locations 1,000 per result, thread-flow locations
//!   10,000 per thread flow; configurable, as the SDK's test sets them to 1); GH1005 artifact
//!   URIs are relative or `file:` (or under an invocation's working directory); GH1006 an
//!   absolute `file:` URI lies under an `invocations[].workingDirectory`; GH1007 every result
//!   message has `text`.
//! - GH1011 `$schema` names the final 2.1.0 schema; GH2012 every driver rule has
//!   `shortDescription`, `fullDescription` and `help.text`; GH1018 the driver has a `name`
//!   and a `rules` array. All errors.
//! - shipgate's own, for what GitHub rejects or shows badly: SG1001 (error) the file is over
//!   10 MB gzip-compressed (estimated from above); SG1002 (error) two runs of one tool share a
//!   category (rejected since mid-2025); SG1003 (error) over 20 tags on a rule or 100
//!   extensions on a run; SG1004 (warning) `security-severity` is not a string number in
//!   (0, 10]; SG1005 (warning) a result has no `partialFingerprints.primaryLocationLineHash`
//!   (duplicate alerts across runs); SG1006 (warning) two results of a run share rule and
//!   fingerprint (GitHub keeps one); SG1007 (warning) a rule name over 255 characters or a
//!   description over 1,024.
//!
//! Positions: line 1-based; column 1-based in characters, of the last character of the token
//! that opens the node (its `{` or `[`, a string's closing quote), as the SDK reports them.

use super::scan::{self, Piece, Pos, Skeleton};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::OnceLock;

/// Array limits of GH1004 and the other checks' limits.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs per log.
    pub runs: usize,
    /// Driver rules per run.
    pub rules: usize,
    /// Results per run.
    pub results: usize,
    /// Locations per result.
    pub locations: usize,
    /// Code flows per result (GitHub sets none).
    pub code_flows: Option<usize>,
    /// Locations per thread flow.
    pub thread_flow_locations: usize,
    /// Tags per rule.
    pub tags: usize,
    /// Extensions per run.
    pub extensions: usize,
    /// Compressed bytes of the file.
    pub gzip_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        let l = super::limits::Limits::default();
        Options {
            runs: l.runs,
            rules: l.rules_per_run,
            results: l.results_per_run,
            locations: l.locations_per_result,
            code_flows: None,
            thread_flow_locations: l.thread_flow_locations_per_result,
            tags: l.tags_per_rule,
            extensions: l.extensions_per_run,
            gzip_bytes: l.gzip_bytes,
        }
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// GitHub rejects the file or drops the result.
    Error,
    /// GitHub accepts it but shows it badly.
    Warning,
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Rule id (`schema`, `GH1001`, `SG1002`...).
    pub rule: String,
    /// Error or warning.
    pub level: Level,
    /// The SDK's message id (`Error_NoLocationsArray`...), where the rule is the SDK's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The SDK's message arguments (the first is the path of the node).
    pub arguments: Vec<String>,
    /// JSON pointer of the node.
    pub pointer: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// What is wrong.
    pub message: String,
}

/// Everything `validate` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The file.
    pub file: String,
    /// Its size.
    pub bytes: u64,
    /// Upper bound of its gzip-compressed size.
    pub gzip_bytes_at_most: u64,
    /// Runs.
    pub runs: usize,
    /// Results over all runs.
    pub results: usize,
    /// Problems of level error.
    pub errors: usize,
    /// Problems of level warning.
    pub warnings: usize,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

/// Why a file could not be validated at all.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// It could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// It is not JSON, or not a SARIF 2.x log.
    #[error("{path}:{line}:{column}: {message}")]
    NotSarif {
        /// The file.
        path: String,
        /// Where.
        line: u64,
        /// Where.
        column: u64,
        /// What was expected.
        message: String,
    },
}

fn schema_validators() -> Option<&'static (jsonschema::Validator, jsonschema::Validator)> {
    static V: OnceLock<Option<(jsonschema::Validator, jsonschema::Validator)>> = OnceLock::new();
    V.get_or_init(|| {
        let schema = super::schema::sarif_schema();
        let full = jsonschema::draft4::new(&schema).ok()?;
        // The same document with its root replaced by a reference to `result`, so results are
        // checked one by one against the definitions of the same schema.
        let mut r = schema;
        let obj = r.as_object_mut()?;
        for k in ["properties", "required", "additionalProperties", "type"] {
            obj.remove(k);
        }
        obj.insert("$ref".into(), Value::String("#/definitions/result".into()));
        let result = jsonschema::draft4::new(&r).ok()?;
        Some((full, result))
    })
    .as_ref()
}

/// The SDK's way of writing a pointer: `runs[0].results[1].message`.
pub fn sdk_path(pointer: &str) -> String {
    let mut out = String::new();
    for tok in pointer.split('/').skip(1) {
        let tok = tok.replace("~1", "/").replace("~0", "~");
        if !tok.is_empty() && tok.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{tok}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&tok);
        }
    }
    out
}

/// Collects problems of one result (pointer relative to the result) before they are placed.
struct Found {
    rule: &'static str,
    level: Level,
    message_id: Option<&'static str>,
    /// Pointer relative to the piece.
    rel: String,
    extra: Vec<String>,
    message: String,
}

fn found(
    rule: &'static str,
    id: &'static str,
    rel: String,
    extra: Vec<String>,
    message: String,
) -> Found {
    Found {
        rule,
        level: Level::Error,
        message_id: Some(id),
        rel,
        extra,
        message,
    }
}

/// What results tell the run-level checks.
#[derive(Default)]
struct RunInfo {
    /// Absolute URIs (pointer, uri, position) for GH1005/GH1006, which need the invocations.
    absolute: Vec<(String, String, Pos)>,
    /// (rule, fingerprint) → first result pointer.
    fingerprints: HashMap<(String, String), String>,
    no_fingerprint: usize,
    first_no_fingerprint: Option<(String, Pos)>,
}

/// What the result thread found.
#[derive(Default)]
struct ResultChecks {
    problems: Vec<(Pos, Problem)>,
    runs_info: Vec<RunInfo>,
    /// The first result that is not JSON: where, and what serde_json said.
    fatal: Option<(Pos, String)>,
}

impl ResultChecks {
    fn check(
        &mut self,
        p: Piece,
        validators: Option<&(jsonschema::Validator, jsonschema::Validator)>,
        opts: &Options,
    ) {
        if self.fatal.is_some() {
            return;
        }
        let v: Value = match serde_json::from_slice(&p.bytes) {
            Ok(v) => v,
            Err(e) => {
                let at = linecol_offset(&p.bytes, e.line() as u64, e.column() as u64);
                let pos = p.pos.advance(&p.bytes[..at.min(p.bytes.len())]);
                self.fatal = Some((
                    pos,
                    crate::ingest::ParseError::from_json(&e, "SARIF").message,
                ));
                return;
            }
        };
        while self.runs_info.len() <= p.run {
            self.runs_info.push(RunInfo::default());
        }
        let base = format!("/runs/{}/results/{}", p.run, p.index);
        let mut list: Vec<Found> = Vec::new();
        if let Some((_, rv)) = validators
            && !rv.is_valid(&v)
        {
            for e in rv.iter_errors(&v) {
                list.push(Found {
                    rule: "schema",
                    level: Level::Error,
                    message_id: None,
                    rel: e.instance_path().as_str().to_string(),
                    extra: Vec::new(),
                    message: schema_message(&e.to_string()),
                });
            }
        }
        check_result(&v, opts, &mut list);
        collect_run_info(&v, &base, &p, &mut self.runs_info[p.run]);
        for f in list {
            let pointer = format!("{base}{}", f.rel);
            let off = scan::locate(&p.bytes, &f.rel).unwrap_or(0);
            let pos = p.pos.advance(&p.bytes[..off.min(p.bytes.len())]);
            self.problems.push((pos, to_problem(f, pointer, pos)));
        }
    }
}

/// Validates one file.
pub fn validate_file(path: &Path, opts: &Options) -> Result<Report, ValidateError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ValidateError::Io {
        path: shown.clone(),
        source,
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(ValidateError::NotSarif {
            path: shown,
            line: 1,
            column: 1,
            message: "is a directory; expected a SARIF file".into(),
        });
    }
    let mut r = std::io::BufReader::with_capacity(1 << 20, file);
    validate_reader(&mut r, &shown, opts)
}

/// Validates a log read from `input` (`shown` names it in messages).
pub fn validate_reader(
    input: &mut dyn BufRead,
    shown: &str,
    opts: &Options,
) -> Result<Report, ValidateError> {
    // A byte-order mark is allowed before the JSON.
    if let Ok(b) = input.fill_buf()
        && b.starts_with(b"\xEF\xBB\xBF")
    {
        input.consume(3);
    }
    let validators = schema_validators();
    let not_sarif = |pos: Pos, message: String| ValidateError::NotSarif {
        path: shown.to_string(),
        line: pos.line,
        column: pos.col,
        message,
    };
    // Results are parsed and checked on a second thread while this one reads, splits and
    // estimates the compressed size: the two halves take about the same time.
    // Pieces go over in batches: one hand-over per result cost more in thread switches than
    // the checks of small results.
    const BATCH: usize = 64;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Piece>>(8);
    let worker_opts = opts.clone();
    let worker = std::thread::spawn(move || {
        let mut w = ResultChecks::default();
        for batch in rx {
            for p in batch {
                w.check(p, validators, &worker_opts);
            }
        }
        w
    });
    let mut gz = super::gzip::GzipSize::default();
    let mut observe = |b: &[u8]| gz.update(b);
    let mut batch: Vec<Piece> = Vec::with_capacity(BATCH);
    let scanned = scan::scan(input, &mut observe, |p: Piece| {
        batch.push(p);
        if batch.len() == BATCH {
            let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
        }
    });
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    drop(tx);
    let checks = worker.join().unwrap_or_default();
    let (mut problems, mut runs_info) = (checks.problems, checks.runs_info);
    if let Some((pos, message)) = checks.fatal {
        return Err(not_sarif(pos, message));
    }
    let skel = match scanned {
        Ok(s) => s,
        Err(e) => return Err(not_sarif(e.pos, e.message)),
    };
    let log: Value = serde_json::from_slice(&skel.bytes).map_err(|e| {
        let at = linecol_offset(&skel.bytes, e.line() as u64, e.column() as u64);
        not_sarif(
            skel.file_pos(at),
            crate::ingest::ParseError::from_json(&e, "SARIF").message,
        )
    })?;
    if let Err(m) = super::merge::check_log(&log) {
        let (ptr, msg) = m.split_once(": ").unwrap_or(("", &m));
        let off = scan::locate(&skel.bytes, if ptr == "/" { "" } else { ptr }).unwrap_or(0);
        return Err(not_sarif(skel.file_pos(off), msg.to_string()));
    }
    check_skeleton(&log, &skel, opts, validators, &mut runs_info, &mut problems);
    let gzip = gz.total();
    if gzip > opts.gzip_bytes {
        problems.push((
            Pos { offset: 0, line: 1, col: 1 },
            Problem {
                rule: "SG1001".into(),
                level: Level::Error,
                message_id: None,
                arguments: vec![gzip.to_string(), opts.gzip_bytes.to_string()],
                pointer: String::new(),
                line: 1,
                column: 1,
                message: format!(
                    "the file is about {gzip} bytes gzip-compressed (estimated from above); GitHub accepts at most {}",
                    opts.gzip_bytes
                ),
            },
        ));
    }
    problems.sort_by_key(|(p, _)| p.offset);
    let problems: Vec<Problem> = problems.into_iter().map(|(_, p)| p).collect();
    let errors = problems.iter().filter(|p| p.level == Level::Error).count();
    Ok(Report {
        file: shown.to_string(),
        bytes: skel.size,
        gzip_bytes_at_most: gzip.min(skel.size + 64),
        runs: skel.results.len(),
        results: skel.results.iter().sum(),
        errors,
        warnings: problems.len() - errors,
        problems,
    })
}

fn to_problem(f: Found, pointer: String, pos: Pos) -> Problem {
    let mut arguments = vec![sdk_path(&pointer)];
    arguments.extend(f.extra);
    Problem {
        rule: f.rule.into(),
        level: f.level,
        message_id: f.message_id.map(str::to_string),
        arguments,
        pointer,
        line: pos.line,
        column: pos.col,
        message: f.message,
    }
}

fn schema_message(s: &str) -> String {
    super::build::cut(&s.replace('\n', " "), 300)
}

/// Offset of a serde_json (line, column) in `bytes` (column counts bytes, 1-based).
fn linecol_offset(bytes: &[u8], line: u64, col: u64) -> usize {
    let mut l = 1u64;
    let mut start = 0usize;
    if line > 1 {
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                l += 1;
                if l == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    (start + col.saturating_sub(1) as usize).min(bytes.len())
}

fn is_absent(v: Option<&Value>) -> bool {
    v.is_none_or(Value::is_null)
}

/// The per-result rules: GH1001, GH1002, GH1003, GH1004 (locations, code flows, thread-flow
/// locations), GH1007.
fn check_result(v: &Value, opts: &Options, out: &mut Vec<Found>) {
    let locs = v.get("locations");
    let loc_list = locs.and_then(Value::as_array);
    if is_absent(locs) {
        out.push(found(
            "GH1001",
            "Error_NoLocationsArray",
            String::new(),
            vec!["locations".into()],
            "the result has no 'locations': GitHub does not show a result without the URI of its file".into(),
        ));
    } else if loc_list.is_some_and(Vec::is_empty) {
        out.push(found(
            "GH1001",
            "Error_EmptyLocationsArray",
            "/locations".into(),
            vec![],
            "the 'locations' array is empty: GitHub does not show a result without the URI of its file".into(),
        ));
    } else if let Some(list) = loc_list {
        for (i, l) in list.iter().enumerate() {
            location_gh1001(l, &format!("/locations/{i}"), out);
        }
        if let Some(rel) = v.get("relatedLocations").and_then(Value::as_array) {
            for (i, l) in rel.iter().enumerate() {
                location_gh1001(l, &format!("/relatedLocations/{i}"), out);
            }
        }
        // GH1003.
        for (i, l) in list.iter().enumerate() {
            let Some(phys) = l.get("physicalLocation").filter(|p| !p.is_null()) else {
                continue;
            };
            let base = format!("/locations/{i}/physicalLocation");
            match phys.get("region").filter(|r| !r.is_null()) {
                None => out.push(found(
                    "GH1003",
                    "Error_MissingRegion",
                    base,
                    vec![],
                    "the location has no 'region': GitHub needs at least 'region.startLine'".into(),
                )),
                Some(r) if r.get("startLine").and_then(Value::as_u64).unwrap_or(0) == 0 => out
                    .push(found(
                        "GH1003",
                        "Error_MissingRegionProperty",
                        format!("{base}/region"),
                        vec![],
                        "the region has no 'startLine': GitHub needs it to show the result".into(),
                    )),
                _ => {}
            }
        }
    }
    // GH1004 per result.
    let over = |rel: String, n: usize, max: usize, out: &mut Vec<Found>| {
        if n > max {
            out.push(found(
                "GH1004",
                "Error_Default",
                rel,
                vec![n.to_string(), max.to_string()],
                format!("{n} elements, over the limit of {max} GitHub applies"),
            ));
        }
    };
    if let Some(list) = loc_list {
        over("/locations".into(), list.len(), opts.locations, out);
    }
    let flows = v.get("codeFlows").and_then(Value::as_array);
    if let (Some(f), Some(max)) = (flows, opts.code_flows) {
        over("/codeFlows".into(), f.len(), max, out);
    }
    for (c, cf) in flows.into_iter().flatten().enumerate() {
        for (t, tf) in cf
            .get("threadFlows")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(tlocs) = tf.get("locations").and_then(Value::as_array) else {
                continue;
            };
            let base = format!("/codeFlows/{c}/threadFlows/{t}/locations");
            over(base.clone(), tlocs.len(), opts.thread_flow_locations, out);
            for (k, tl) in tlocs.iter().enumerate() {
                if tl
                    .get("index")
                    .and_then(Value::as_i64)
                    .is_some_and(|i| i >= 0)
                {
                    out.push(found(
                        "GH1002",
                        "Error_Default",
                        format!("{base}/{k}/index"),
                        vec![],
                        "this thread-flow location refers to 'run.threadFlowLocations' by index; GitHub does not show such results".into(),
                    ));
                }
            }
        }
    }
    // GH1007.
    let text = v.pointer("/message/text").and_then(Value::as_str);
    if text.is_none_or(str::is_empty) {
        out.push(found(
            "GH1007",
            "Error_Default",
            "/message".into(),
            vec![],
            "the result message has no 'text': GitHub does not format message ids and arguments"
                .into(),
        ));
    }
}

fn location_gh1001(l: &Value, base: &str, out: &mut Vec<Found>) {
    let phys = l.get("physicalLocation").filter(|p| !p.is_null());
    let art = phys
        .and_then(|p| p.get("artifactLocation"))
        .filter(|a| !a.is_null());
    let (rel, missing) = match (phys, art) {
        (None, _) => (base.to_string(), "physicalLocation"),
        (Some(_), None) => (format!("{base}/physicalLocation"), "artifactLocation"),
        (Some(_), Some(a)) if is_absent(a.get("uri")) => {
            (format!("{base}/physicalLocation/artifactLocation"), "uri")
        }
        _ => return,
    };
    out.push(found(
        "GH1001",
        "Error_MissingLocationProperty",
        rel,
        vec![missing.into()],
        format!("the location has no '{missing}': GitHub does not show a result without the URI of its file"),
    ));
}

fn collect_run_info(v: &Value, base: &str, p: &Piece, info: &mut RunInfo) {
    for key in ["locations", "relatedLocations"] {
        let Some(list) = v.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, l) in list.iter().enumerate() {
            let rel = format!("/{key}/{i}/physicalLocation/artifactLocation/uri");
            if let Some(u) = v
                .pointer(&rel)
                .or_else(|| l.pointer("/physicalLocation/artifactLocation/uri"))
                .and_then(Value::as_str)
                && super::has_scheme(u)
            {
                let off = scan::locate(&p.bytes, &rel).unwrap_or(0);
                let pos = p.pos.advance(&p.bytes[..off.min(p.bytes.len())]);
                info.absolute
                    .push((format!("{base}{rel}"), u.to_string(), pos));
            }
        }
    }
    let rule = v
        .get("ruleId")
        .and_then(Value::as_str)
        .or_else(|| v.pointer("/rule/id").and_then(Value::as_str))
        .map(str::to_string)
        .or_else(|| {
            v.get("ruleIndex")
                .and_then(Value::as_u64)
                .map(|i| format!("#{i}"))
        })
        .unwrap_or_default();
    match v
        .pointer("/partialFingerprints/primaryLocationLineHash")
        .and_then(Value::as_str)
    {
        Some(fp) => {
            info.fingerprints
                .entry((rule, fp.to_string()))
                .and_modify(|first| {
                    if !first.starts_with('!') {
                        *first = format!("!{first}|{base}");
                    }
                })
                .or_insert_with(|| base.to_string());
        }
        None => {
            info.no_fingerprint += 1;
            if info.first_no_fingerprint.is_none() {
                info.first_no_fingerprint = Some((base.to_string(), p.pos));
            }
        }
    }
}

fn check_skeleton(
    log: &Value,
    skel: &Skeleton,
    opts: &Options,
    validators: Option<&(jsonschema::Validator, jsonschema::Validator)>,
    runs_info: &mut [RunInfo],
    problems: &mut Vec<(Pos, Problem)>,
) {
    let mut push = |rule: &str,
                    level: Level,
                    id: Option<&str>,
                    pointer: String,
                    extra: Vec<String>,
                    message: String| {
        let off = scan::locate(&skel.bytes, &pointer).unwrap_or(0);
        let pos = skel.file_pos(off);
        let mut arguments = vec![sdk_path(&pointer)];
        arguments.extend(extra);
        problems.push((
            pos,
            Problem {
                rule: rule.into(),
                level,
                message_id: id.map(str::to_string),
                arguments,
                pointer,
                line: pos.line,
                column: pos.col,
                message,
            },
        ));
    };
    if let Some((full, _)) = validators {
        for e in full.iter_errors(log) {
            push(
                "schema",
                Level::Error,
                None,
                e.instance_path().as_str().to_string(),
                vec![],
                schema_message(&e.to_string()),
            );
        }
    }
    if let Some(s) = log.get("$schema").and_then(Value::as_str)
        && !(s.ends_with("2.1.0") || s.ends_with("2.1.0.json"))
    {
        push(
            "GH1011",
            Level::Error,
            Some("Error_Default"),
            "/$schema".into(),
            vec![s.to_string()],
            format!("'$schema' is '{s}', not the final SARIF 2.1.0 schema"),
        );
    }
    let runs = log
        .get("runs")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if runs.len() > opts.runs {
        push(
            "GH1004",
            Level::Error,
            Some("Error_Default"),
            "/runs".into(),
            vec![runs.len().to_string(), opts.runs.to_string()],
            format!(
                "{} runs, over the limit of {} GitHub applies",
                runs.len(),
                opts.runs
            ),
        );
    }
    let mut categories: HashMap<(String, String), usize> = HashMap::new();
    let mut late: Vec<(Pos, Problem)> = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let rp = format!("/runs/{r}");
        let driver = run.pointer("/tool/driver");
        if let Some(d) = driver {
            if d.get("name")
                .and_then(Value::as_str)
                .is_none_or(|n| n.trim().is_empty())
            {
                push(
                    "GH1018",
                    Level::Error,
                    Some("Error_MissingDriverName"),
                    format!("{rp}/tool/driver"),
                    vec![],
                    "the driver has no 'name'".into(),
                );
            }
            if is_absent(d.get("rules")) {
                push(
                    "GH1018",
                    Level::Error,
                    Some("Error_MissingDriverRules"),
                    format!("{rp}/tool/driver"),
                    vec![],
                    "the driver has no 'rules' array".into(),
                );
            }
        }
        let rules = run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if rules.len() > opts.rules {
            push(
                "GH1004",
                Level::Error,
                Some("Error_Default"),
                format!("{rp}/tool/driver/rules"),
                vec![rules.len().to_string(), opts.rules.to_string()],
                format!(
                    "{} rules, over the limit of {} GitHub applies",
                    rules.len(),
                    opts.rules
                ),
            );
        }
        let n_results = skel.results.get(r).copied().unwrap_or(0);
        if n_results > opts.results {
            push(
                "GH1004",
                Level::Error,
                Some("Error_Default"),
                format!("{rp}/results"),
                vec![n_results.to_string(), opts.results.to_string()],
                format!(
                    "{n_results} results, over the limit of {} GitHub applies",
                    opts.results
                ),
            );
        }
        let exts = run
            .pointer("/tool/extensions")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if exts > opts.extensions {
            push(
                "SG1003",
                Level::Error,
                None,
                format!("{rp}/tool/extensions"),
                vec![exts.to_string(), opts.extensions.to_string()],
                format!(
                    "{exts} tool extensions; GitHub rejects more than {}",
                    opts.extensions
                ),
            );
        }
        for (i, rule) in rules.iter().enumerate() {
            let p = format!("{rp}/tool/driver/rules/{i}");
            let text = |k: &str| {
                rule.pointer(&format!("/{k}/text"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| !t.trim().is_empty())
            };
            if !text("shortDescription") {
                push(
                    "GH2012",
                    Level::Error,
                    Some("Error_MissingShortDescription"),
                    p.clone(),
                    vec![],
                    "the rule has no 'shortDescription'".into(),
                );
            }
            if !text("fullDescription") {
                push(
                    "GH2012",
                    Level::Error,
                    Some("Error_MissingFullDescription"),
                    p.clone(),
                    vec![],
                    "the rule has no 'fullDescription'".into(),
                );
            }
            if is_absent(rule.get("help")) {
                push(
                    "GH2012",
                    Level::Error,
                    Some("Error_MissingHelp"),
                    p.clone(),
                    vec![],
                    "the rule has no 'help'".into(),
                );
            } else if !text("help") {
                push(
                    "GH2012",
                    Level::Error,
                    Some("Error_MissingHelpText"),
                    format!("{p}/help"),
                    vec![],
                    "the rule's 'help' has no 'text'".into(),
                );
            }
            let tags = rule
                .pointer("/properties/tags")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if tags > opts.tags {
                push(
                    "SG1003",
                    Level::Error,
                    None,
                    format!("{p}/properties/tags"),
                    vec![tags.to_string(), opts.tags.to_string()],
                    format!("{tags} tags; GitHub rejects more than {}", opts.tags),
                );
            }
            if let Some(sev) = rule.pointer("/properties/security-severity") {
                let ok = sev
                    .as_str()
                    .and_then(|s| s.trim().parse::<f64>().ok())
                    .is_some_and(|x| x > 0.0 && x <= 10.0);
                if !ok {
                    push(
                        "SG1004",
                        Level::Warning,
                        None,
                        format!("{p}/properties/security-severity"),
                        vec![sev.to_string()],
                        format!(
                            "'security-severity' is {sev}; GitHub wants a string holding a number in (0, 10]"
                        ),
                    );
                }
            }
            if rule
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.chars().count() > 255)
            {
                push(
                    "SG1007",
                    Level::Warning,
                    None,
                    format!("{p}/name"),
                    vec![],
                    "the rule name is over 255 characters".into(),
                );
            }
            for k in ["shortDescription", "fullDescription"] {
                if rule
                    .pointer(&format!("/{k}/text"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.chars().count() > 1024)
                {
                    push(
                        "SG1007",
                        Level::Warning,
                        None,
                        format!("{p}/{k}/text"),
                        vec![],
                        format!("'{k}' is over 1,024 characters"),
                    );
                }
            }
        }
        // GH1005 / GH1006 with the invocations' working directories.
        let work_dirs: Vec<&str> = run
            .get("invocations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|inv| inv.pointer("/workingDirectory/uri").and_then(Value::as_str))
            .collect();
        if let Some(info) = runs_info.get_mut(r) {
            for (ptr, uri, pos) in std::mem::take(&mut info.absolute) {
                let file = uri.len() > 5
                    && uri
                        .get(..5)
                        .is_some_and(|s| s.eq_ignore_ascii_case("file:"));
                let (rule, extra, message) = if file {
                    let under = work_dirs.iter().any(|w| {
                        let w = if w.ends_with('/') {
                            w.to_string()
                        } else {
                            format!("{w}/")
                        };
                        uri.starts_with(&w)
                    });
                    if under {
                        continue;
                    }
                    (
                        "GH1006",
                        vec![],
                        format!(
                            "'{uri}' is an absolute file URI outside every invocation's working directory: GitHub cannot find the checkout path"
                        ),
                    )
                } else {
                    if work_dirs.iter().any(|w| {
                        uri.to_ascii_lowercase()
                            .starts_with(&w.to_ascii_lowercase())
                    }) {
                        continue;
                    }
                    (
                        "GH1005",
                        vec![uri.clone()],
                        format!("'{uri}' is not a file path: GitHub shows only results in files"),
                    )
                };
                let mut arguments = vec![sdk_path(&ptr)];
                arguments.extend(extra);
                late.push((
                    pos,
                    Problem {
                        rule: rule.into(),
                        level: Level::Error,
                        message_id: Some("Error_Default".into()),
                        arguments,
                        pointer: ptr,
                        line: pos.line,
                        column: pos.col,
                        message,
                    },
                ));
            }
            if info.no_fingerprint > 0
                && let Some((ptr, pos)) = info.first_no_fingerprint.take()
            {
                late.push((pos, Problem { rule: "SG1005".into(), level: Level::Warning, message_id: None, arguments: vec![sdk_path(&ptr), info.no_fingerprint.to_string()], pointer: ptr, line: pos.line, column: pos.col, message: format!("{} result(s) of this run have no 'partialFingerprints.primaryLocationLineHash' (first here): alerts may be duplicated across uploads", info.no_fingerprint) }));
            }
            let mut dups: Vec<&String> = info
                .fingerprints
                .values()
                .filter(|v| v.starts_with('!'))
                .collect();
            dups.sort();
            for d in dups {
                let second = d.rsplit('|').next().unwrap_or("").to_string();
                push("SG1006", Level::Warning, None, second, vec![], "another result of this run has the same rule and 'primaryLocationLineHash': GitHub keeps one alert".into());
            }
        }
        let tool = run
            .pointer("/tool/driver/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let cat = super::merge::run_category(run);
        let seen = categories.entry((tool.clone(), cat.clone())).or_insert(0);
        *seen += 1;
        if *seen == 2 {
            push(
                "SG1002",
                Level::Error,
                None,
                rp.clone(),
                vec![tool.clone(), cat.clone()],
                format!(
                    "another run of '{tool}' has the category '{cat}': GitHub rejects files with two runs of one tool and category (give each a distinct automationDetails.id)"
                ),
            );
        }
    }
    problems.extend(late);
}

impl Report {
    /// A readable report: one line per problem, then the counts.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.problems {
            s.push_str(&format!(
                "{}:{}:{}: {} {}: {} ({})\n",
                self.file,
                p.line,
                p.column,
                match p.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                },
                p.rule,
                p.message,
                if p.pointer.is_empty() {
                    "/"
                } else {
                    &p.pointer
                }
            ));
        }
        s.push_str(&format!(
            "{}: {} run(s), {} result(s), {} bytes (gzip at most {}): {} error(s), {} warning(s)\n",
            self.file,
            self.runs,
            self.results,
            self.bytes,
            self.gzip_bytes_at_most,
            self.errors,
            self.warnings
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            sdk_path("/runs/0/results/1/locations"),
            "runs[0].results[1].locations"
        );
        assert_eq!(sdk_path("/runs"), "runs");
        assert_eq!(sdk_path(""), "");
    }

    #[test]
    fn schema_compiles() {
        assert!(schema_validators().is_some());
    }
}
