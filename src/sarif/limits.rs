//! GitHub's limits on SARIF uploads, enforced on a log before it is written, and the
//! fingerprint pass convert and merge share.
//!
//! Hard limits (GitHub rejects the file): 10 MB gzip-compressed, 20 runs, 25,000 results and
//! 25,000 rules per run, 100 tool extensions per run, 1,000 locations per result, 10,000
//! thread-flow locations per result, 20 tags per rule. Texts: rule `name` up to 255
//! characters, `shortDescription`/`fullDescription` up to 1,024.
//!
//! What is done about each:
//! - results over 25,000 in a run: the most severe are kept (by the rule's
//!   `security-severity`, else the level: error 8.0, warning 5.5, note 2.0, none 0.1; ties
//!   keep file order); the dropped ones are counted by level in the summary;
//! - rules over 25,000: rules no result uses are dropped (indices remapped); if still over,
//!   it is an error;
//! - locations, related locations and thread-flow locations past the limit are cut off;
//!   tags past 20 are cut off; long names and descriptions are cut with an ellipsis;
//! - runs over 20 or extensions over 100: an error (merging cannot fix that: split the upload
//!   by category);
//! - over 10 MB compressed (estimated from above, see [`super::gzip`]): the least severe
//!   results of the whole file are dropped until the estimate fits, and counted.

use super::{Repo, RunSummary, SarifError, Summary, fingerprint};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// GitHub's upload limits (the defaults), configurable for tests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Gzip-compressed bytes of the file.
    pub gzip_bytes: u64,
    /// Runs per file.
    pub runs: usize,
    /// Results per run.
    pub results_per_run: usize,
    /// Rules per run (driver).
    pub rules_per_run: usize,
    /// Tool extensions per run.
    pub extensions_per_run: usize,
    /// Locations per result.
    pub locations_per_result: usize,
    /// Thread-flow locations per result (over all its code flows).
    pub thread_flow_locations_per_result: usize,
    /// Tags per rule.
    pub tags_per_rule: usize,
    /// Characters of a rule name.
    pub name_chars: usize,
    /// Characters of a rule's short or full description.
    pub description_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            gzip_bytes: 10_000_000,
            runs: 20,
            results_per_run: 25_000,
            rules_per_run: 25_000,
            extensions_per_run: 100,
            locations_per_result: 1_000,
            thread_flow_locations_per_result: 10_000,
            tags_per_rule: 20,
            name_chars: 255,
            description_chars: 1_024,
        }
    }
}

/// `tool.driver.name` of a run.
pub fn tool_name(run: &Value) -> String {
    run.pointer("/tool/driver/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// `automationDetails.id` of a run.
pub fn category(run: &Value) -> String {
    run.pointer("/automationDetails/id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The rule id of a result: `ruleId`, `rule.id`, else the id of the driver rule at its index.
pub fn rule_id<'a>(result: &'a Value, rules: &'a [Value]) -> Option<&'a str> {
    result
        .get("ruleId")
        .and_then(Value::as_str)
        .or_else(|| result.pointer("/rule/id").and_then(Value::as_str))
        .or_else(|| {
            let ix = result
                .get("ruleIndex")
                .or_else(|| result.pointer("/rule/index"))
                .and_then(Value::as_u64)?;
            rules.get(usize::try_from(ix).ok()?)?.get("id")?.as_str()
        })
}

fn level_rank(l: &str) -> u8 {
    match l {
        "error" => 3,
        "warning" => 2,
        "note" => 1,
        _ => 0,
    }
}

fn level_score(rank: u8) -> f64 {
    match rank {
        3 => 8.0,
        2 => 5.5,
        1 => 2.0,
        _ => 0.1,
    }
}

/// Parses a `security-severity` value (string or number).
pub fn parse_score(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// How severe each result of a run is: (score, level rank); higher is more severe.
fn severities(run: &Value) -> Vec<(f64, u8)> {
    let rules: &[Value] = run
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let by_id: HashMap<&str, &Value> = rules
        .iter()
        .filter_map(|r| Some((r.get("id")?.as_str()?, r)))
        .collect();
    let results = run.get("results").and_then(Value::as_array);
    results
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    let rule = rule_id(r, rules).and_then(|id| by_id.get(id).copied());
                    severity(r.get("level").and_then(Value::as_str), rule)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How severe a result is, from its own level and its rule: (score, level rank).
pub(crate) fn severity(level: Option<&str>, rule: Option<&Value>) -> (f64, u8) {
    let level = level
        .or_else(|| {
            rule?
                .pointer("/defaultConfiguration/level")
                .and_then(Value::as_str)
        })
        .unwrap_or("warning");
    let rank = level_rank(level);
    let score = rule
        .and_then(|x| x.pointer("/properties/security-severity"))
        .and_then(parse_score)
        .unwrap_or_else(|| level_score(rank));
    (score, rank)
}

pub(crate) fn level_of(r: &Value) -> String {
    r.get("level")
        .and_then(Value::as_str)
        .unwrap_or("warning")
        .to_string()
}

/// What the fingerprint pass did to one run.
#[derive(Debug, Default)]
pub struct FingerprintStats {
    /// Results removed as exact duplicates.
    pub dropped_duplicates: usize,
}

/// The primary location of a result: (uri, base id, start line, start column).
fn primary(result: &Value, artifacts: &[Value]) -> (Option<String>, Option<String>, u64, u64) {
    let phys = result.pointer("/locations/0/physicalLocation");
    let art = phys.and_then(|p| p.get("artifactLocation"));
    let mut uri = art
        .and_then(|a| a.get("uri"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut base = art
        .and_then(|a| a.get("uriBaseId"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if uri.is_none()
        && let Some(l) = art
            .and_then(|a| a.get("index"))
            .and_then(Value::as_u64)
            .and_then(|i| artifacts.get(usize::try_from(i).ok()?))
            .and_then(|a| a.get("location"))
    {
        uri = l.get("uri").and_then(Value::as_str).map(str::to_string);
        base = l
            .get("uriBaseId")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    let region = phys.and_then(|p| p.get("region"));
    let line = region
        .and_then(|r| r.get("startLine"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let col = region
        .and_then(|r| r.get("startColumn"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    (uri, base, line, col)
}

/// The repository file a URI names, if it is one (relative, `%SRCROOT%`-based or a
/// `file://` path under the root).
fn repo_file(uri: &str, base: Option<&str>, repo: &Repo) -> Option<String> {
    let decoded = super::percent_decode(uri);
    let rel = if let Some(rest) = decoded.strip_prefix("file://") {
        let root = repo.root().to_string_lossy().replace('\\', "/");
        let rest = rest.strip_prefix("localhost").unwrap_or(rest);
        rest.strip_prefix(root.as_str())?
            .trim_start_matches('/')
            .to_string()
    } else if super::has_scheme(&decoded) {
        return None;
    } else {
        // A base other than the source root is a directory we cannot know.
        if base.is_some_and(|b| b != super::SRCROOT && b != "SRCROOT" && b != "ROOTPATH") {
            return None;
        }
        decoded.trim_start_matches("./").to_string()
    };
    repo.exists(&rel).then_some(rel)
}

/// Gives every result of a run a `primaryLocationLineHash` (kept when the tool wrote one):
/// the codeql-action line hash when the primary location is a file of the repository, else a
/// hash of the location, rule and message. Then makes (rule, fingerprint) unique in the run:
/// a result equal to an earlier one in rule, location and message is dropped; otherwise the
/// counter after `:` is raised until the pair is unused.
pub fn fill_fingerprints(run: &mut Value, repo: &Repo) -> FingerprintStats {
    let mut stats = FingerprintStats::default();
    let artifacts: Vec<Value> = run
        .get("artifacts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let rules: Vec<Value> = run
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) else {
        return stats;
    };
    fill_missing_hashes(results.iter_mut().collect(), &artifacts, &rules, repo);
    let mut dedupe = Dedupe::with_capacity(results.len());
    let mut keep = Vec::with_capacity(results.len());
    for r in results.iter_mut() {
        let k = dedupe.result(r, &rules);
        if !k {
            stats.dropped_duplicates += 1;
        }
        keep.push(k);
    }
    if stats.dropped_duplicates > 0 {
        let mut it = keep.into_iter();
        results.retain(|_| it.next().unwrap_or(true));
    }
    stats
}

fn has_hash(r: &Value) -> bool {
    r.pointer("/partialFingerprints/primaryLocationLineHash")
        .and_then(Value::as_str)
        .is_some()
}

/// Fills `primaryLocationLineHash` of the results that have none (see [`fill_fingerprints`]).
pub(crate) fn fill_missing_hashes(
    mut results: Vec<&mut Value>,
    artifacts: &[Value],
    rules: &[Value],
    repo: &Repo,
) {
    results.retain(|r| !has_hash(r));
    if results.is_empty() {
        return;
    }
    let places: Vec<Place> = results
        .iter()
        .map(|r| {
            let (uri, base, line, col) = primary(r, artifacts);
            Place {
                uri,
                base,
                line,
                col,
                rule: rule_id(r, rules).unwrap_or("").to_string(),
                message: r
                    .pointer("/message/text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            }
        })
        .collect();
    let fps = fingerprints_of(&places.iter().collect::<Vec<_>>(), repo);
    for (r, fp) in results.into_iter().zip(fps) {
        if let Some(obj) = r.as_object_mut() {
            let pf = obj
                .entry("partialFingerprints")
                .or_insert_with(|| Value::Object(Map::new()));
            if !pf.is_object() {
                *pf = Value::Object(Map::new());
            }
            if let Some(pf) = pf.as_object_mut() {
                pf.insert("primaryLocationLineHash".into(), Value::String(fp));
            }
        }
    }
}

/// What a result's computed fingerprint depends on.
pub(crate) struct Place {
    /// The primary location's URI and base id.
    pub uri: Option<String>,
    pub base: Option<String>,
    /// Its start line and column (0 when absent).
    pub line: u64,
    pub col: u64,
    /// The result's rule id and message text.
    pub rule: String,
    pub message: String,
}

/// The `primaryLocationLineHash` of each result: the codeql-action line hash when the
/// primary location is a line of a repository file, else a hash of the place, rule and
/// message.
pub(crate) fn fingerprints_of(places: &[&Place], repo: &Repo) -> Vec<String> {
    // Lines to hash per file.
    let mut wanted: HashMap<String, BTreeSet<u32>> = HashMap::new();
    let mut file_of: Vec<Option<(String, u32)>> = Vec::with_capacity(places.len());
    for p in places {
        let hit = p
            .uri
            .as_deref()
            .and_then(|u| repo_file(u, p.base.as_deref(), repo));
        let line = u32::try_from(p.line.max(1)).unwrap_or(u32::MAX);
        if let Some(f) = &hit {
            wanted.entry(f.clone()).or_default().insert(line);
        }
        file_of.push(hit.map(|f| (f, line)));
    }
    let hashes = repo.line_hashes(&wanted);
    places
        .iter()
        .zip(file_of)
        .map(|(p, file)| {
            let computed = file
                .as_ref()
                .and_then(|(f, line)| hashes.get(f)?.get(line).cloned());
            computed.unwrap_or_else(|| {
                fingerprint::identity_hash(&[
                    p.uri.as_deref().unwrap_or(""),
                    &p.line.to_string(),
                    &p.col.to_string(),
                    &p.rule,
                    &p.message,
                ])
            })
        })
        .collect()
}

/// A 64-bit hash: keys and "sameness" (location and message) of results are compared by
/// these, so no message or id is copied per result.
pub(crate) fn h64<T: std::hash::Hash>(t: T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// What makes two results with the same rule and fingerprint the same finding: the primary
/// location's uri, artifact index, start line and column, and the message text.
pub(crate) fn sameness(
    uri: Option<&str>,
    index: Option<u64>,
    line: Option<u64>,
    col: Option<u64>,
    message: Option<&str>,
) -> u64 {
    h64((uri, index, line, col, message))
}

/// What [`Dedupe::check`] decided about a result.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unique {
    /// Its (rule, fingerprint) is new.
    Keep,
    /// The same finding as an earlier one: drop it.
    Drop,
    /// Another finding had its (rule, fingerprint): it takes this fingerprint.
    Rename(String),
}

/// Unique (rule, fingerprint) in a run, results taken in order.
pub(crate) struct Dedupe {
    seen: HashMap<u64, u64>,
}

impl Dedupe {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Dedupe {
            seen: HashMap::with_capacity(n),
        }
    }

    pub(crate) fn check(&mut self, rule: &str, fp: &str, same: u64) -> Unique {
        let key = h64((rule, fp));
        match self.seen.get(&key) {
            None => {
                self.seen.insert(key, same);
                Unique::Keep
            }
            Some(first) if *first == same => Unique::Drop,
            Some(_) => {
                let (stem, mut n) = match fp.rsplit_once(':') {
                    Some((s, c)) if c.parse::<u64>().is_ok() => {
                        (s.to_string(), c.parse::<u64>().unwrap_or(1))
                    }
                    _ => (fp.to_string(), 1),
                };
                let next = loop {
                    n += 1;
                    let next = format!("{stem}:{n}");
                    if !self.seen.contains_key(&h64((rule, next.as_str()))) {
                        break next;
                    }
                };
                self.seen.insert(h64((rule, next.as_str())), same);
                Unique::Rename(next)
            }
        }
    }

    /// Checks a result held as a value, renaming its fingerprint when needed; `false` when it
    /// is to be dropped.
    pub(crate) fn result(&mut self, r: &mut Value, rules: &[Value]) -> bool {
        let rule = rule_id(r, rules).unwrap_or("");
        let fp = r
            .pointer("/partialFingerprints/primaryLocationLineHash")
            .and_then(Value::as_str)
            .unwrap_or("");
        let phys = r.pointer("/locations/0/physicalLocation");
        let same = sameness(
            phys.and_then(|p| p.pointer("/artifactLocation/uri"))
                .and_then(Value::as_str),
            phys.and_then(|p| p.pointer("/artifactLocation/index"))
                .and_then(Value::as_u64),
            phys.and_then(|p| p.pointer("/region/startLine"))
                .and_then(Value::as_u64),
            phys.and_then(|p| p.pointer("/region/startColumn"))
                .and_then(Value::as_u64),
            r.pointer("/message/text").and_then(Value::as_str),
        );
        match self.check(rule, fp, same) {
            Unique::Keep => true,
            Unique::Drop => false,
            Unique::Rename(next) => {
                if let Some(pf) = r
                    .get_mut("partialFingerprints")
                    .and_then(Value::as_object_mut)
                {
                    pf.insert("primaryLocationLineHash".into(), Value::String(next));
                }
                true
            }
        }
    }
}

fn truncate_array(v: Option<&mut Value>, max: usize) -> usize {
    match v.and_then(Value::as_array_mut) {
        Some(a) if a.len() > max => {
            let n = a.len() - max;
            a.truncate(max);
            n
        }
        _ => 0,
    }
}

/// Cuts a message string's `text` and `markdown` to `max` characters.
fn cut_message(v: Option<&mut Value>, max: usize) {
    let Some(obj) = v.and_then(Value::as_object_mut) else {
        return;
    };
    for k in ["text", "markdown"] {
        if let Some(Value::String(s)) = obj.get_mut(k)
            && s.chars().count() > max
        {
            *s = super::build::cut(s, max);
        }
    }
}

/// Applies every limit but the compressed size; returns what was dropped, one line each.
pub fn enforce(
    log: &mut Value,
    lim: &Limits,
    discard: &mut Vec<Value>,
) -> Result<Vec<String>, SarifError> {
    let mut dropped = Vec::new();
    let Some(runs) = log.get_mut("runs").and_then(Value::as_array_mut) else {
        return Ok(dropped);
    };
    check_runs(runs.len(), lim)?;
    for run in runs.iter_mut() {
        let tool = tool_name(run);
        check_extensions(run, &tool, lim)?;
        let nrules = run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if nrules > lim.rules_per_run {
            let removed = drop_unused_rules(run);
            let left = nrules - removed;
            if left > lim.rules_per_run {
                return Err(SarifError::Limit(format!(
                    "{tool}: {left} rules in use; GitHub accepts at most {} per run",
                    lim.rules_per_run
                )));
            }
            dropped.push(format!("{removed} rule(s) of {tool} that no result uses"));
        }
        // Results: keep the most severe.
        let nres = run
            .get("results")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if nres > lim.results_per_run {
            let keep = keep_most_severe(&severities(run), lim.results_per_run);
            let mut by_level: BTreeMap<String, usize> = BTreeMap::new();
            if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
                for (r, k) in results.iter().zip(&keep) {
                    if !k {
                        *by_level.entry(level_of(r)).or_default() += 1;
                    }
                }
                let all = std::mem::take(results);
                for (r, k) in all.into_iter().zip(keep) {
                    if k {
                        results.push(r);
                    } else {
                        discard.push(r);
                    }
                }
            }
            dropped.push(results_dropped_note(nres, &tool, lim, &by_level));
        }
        let (mut locs, mut flows) = (0usize, 0usize);
        if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
            for r in results.iter_mut() {
                let (l, f) = cut_result(r, lim);
                locs += l;
                flows += f;
            }
        }
        cut_notes(locs, flows, &tool, lim, &mut dropped);
        cut_rules(run, &tool, lim, &mut dropped);
    }
    Ok(dropped)
}

/// Over 20 runs is an error.
pub(crate) fn check_runs(n: usize, lim: &Limits) -> Result<(), SarifError> {
    if n > lim.runs {
        return Err(SarifError::Limit(format!(
            "{n} runs; GitHub accepts at most {} per file: upload the tools separately (one file per category)",
            lim.runs
        )));
    }
    Ok(())
}

/// Over 100 extensions is an error.
pub(crate) fn check_extensions(run: &Value, tool: &str, lim: &Limits) -> Result<(), SarifError> {
    let ext = run
        .pointer("/tool/extensions")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if ext > lim.extensions_per_run {
        return Err(SarifError::Limit(format!(
            "{tool}: {ext} tool extensions; GitHub accepts at most {}",
            lim.extensions_per_run
        )));
    }
    Ok(())
}

/// Which results to keep: the `max` most severe, ties in file order.
pub(crate) fn keep_most_severe(sev: &[(f64, u8)], max: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..sev.len()).collect();
    order.sort_by(|a, b| {
        sev[*b]
            .partial_cmp(&sev[*a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    let mut keep = vec![false; sev.len()];
    for i in order.iter().take(max) {
        keep[*i] = true;
    }
    keep
}

pub(crate) fn results_dropped_note(
    nres: usize,
    tool: &str,
    lim: &Limits,
    by_level: &BTreeMap<String, usize>,
) -> String {
    let levels: Vec<String> = by_level.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!(
        "{} least severe result(s) of {tool} over GitHub's {} per run ({})",
        nres - lim.results_per_run,
        lim.results_per_run,
        levels.join(", ")
    )
}

/// Cuts a result's locations, related locations and thread-flow locations to the limits;
/// returns (locations cut, thread-flow locations cut).
pub(crate) fn cut_result(r: &mut Value, lim: &Limits) -> (usize, usize) {
    let locs = truncate_array(r.get_mut("locations"), lim.locations_per_result)
        + truncate_array(r.get_mut("relatedLocations"), lim.locations_per_result);
    (
        locs,
        cap_thread_flows(r, lim.thread_flow_locations_per_result),
    )
}

pub(crate) fn cut_notes(
    locs: usize,
    flows: usize,
    tool: &str,
    lim: &Limits,
    dropped: &mut Vec<String>,
) {
    if locs > 0 {
        dropped.push(format!(
            "{locs} location(s) of {tool} over GitHub's {} per result",
            lim.locations_per_result
        ));
    }
    if flows > 0 {
        dropped.push(format!(
            "{flows} thread-flow location(s) of {tool} over GitHub's {} per result",
            lim.thread_flow_locations_per_result
        ));
    }
}

/// Cuts tags, names and descriptions of a run's driver rules to the limits.
pub(crate) fn cut_rules(run: &mut Value, tool: &str, lim: &Limits, dropped: &mut Vec<String>) {
    let mut tags = 0usize;
    if let Some(rules) = run
        .pointer_mut("/tool/driver/rules")
        .and_then(Value::as_array_mut)
    {
        for rule in rules.iter_mut() {
            tags += truncate_array(rule.pointer_mut("/properties/tags"), lim.tags_per_rule);
            if let Some(Value::String(n)) = rule.get_mut("name")
                && n.chars().count() > lim.name_chars
            {
                *n = super::build::cut(n, lim.name_chars);
            }
            cut_message(rule.get_mut("shortDescription"), lim.description_chars);
            cut_message(rule.get_mut("fullDescription"), lim.description_chars);
        }
    }
    if tags > 0 {
        dropped.push(format!(
            "{tags} tag(s) of {tool}'s rules over GitHub's {} per rule",
            lim.tags_per_rule
        ));
    }
}

/// Cuts the thread-flow locations of a result to `max` over all its code flows.
fn cap_thread_flows(r: &mut Value, max: usize) -> usize {
    let mut budget = max;
    let mut cut = 0;
    let Some(flows) = r.get_mut("codeFlows").and_then(Value::as_array_mut) else {
        return 0;
    };
    for cf in flows.iter_mut() {
        let Some(tfs) = cf.get_mut("threadFlows").and_then(Value::as_array_mut) else {
            continue;
        };
        for tf in tfs.iter_mut() {
            if let Some(locs) = tf.get_mut("locations").and_then(Value::as_array_mut) {
                if locs.len() > budget {
                    cut += locs.len() - budget;
                    locs.truncate(budget);
                }
                budget -= locs.len();
            }
        }
    }
    cut
}

/// Removes driver rules no result refers to and remaps `ruleIndex`; returns how many.
fn drop_unused_rules(run: &mut Value) -> usize {
    let rules: Vec<Value> = run
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut used = vec![false; rules.len()];
    let by_id: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.get("id")?.as_str()?, i)))
        .collect();
    let index_of = |r: &Value| -> Option<usize> {
        if r.pointer("/rule/toolComponent").is_some() {
            return None;
        }
        if let Some(ix) = r.get("ruleIndex").or_else(|| r.pointer("/rule/index")) {
            return usize::try_from(ix.as_u64()?).ok();
        }
        by_id.get(rule_id(r, &rules)?).copied()
    };
    if let Some(results) = run.get("results").and_then(Value::as_array) {
        for r in results {
            if let Some(i) = index_of(r)
                && i < used.len()
            {
                used[i] = true;
            }
        }
    }
    let mut new_index = vec![0usize; rules.len()];
    let mut n = 0;
    for (i, u) in used.iter().enumerate() {
        new_index[i] = n;
        if *u {
            n += 1;
        }
    }
    let removed = rules.len() - n;
    if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
        for r in results.iter_mut() {
            for ptr in ["/ruleIndex", "/rule/index"] {
                if let Some(v) = r.pointer_mut(ptr)
                    && let Some(i) = v.as_u64().and_then(|i| usize::try_from(i).ok())
                    && i < new_index.len()
                {
                    *v = Value::from(new_index[i] as u64);
                }
            }
        }
    }
    if let Some(list) = run
        .pointer_mut("/tool/driver/rules")
        .and_then(Value::as_array_mut)
    {
        let mut it = used.into_iter();
        list.retain(|_| it.next().unwrap_or(true));
    }
    removed
}

/// Serializes the log; while the compressed-size estimate is over the limit, drops the least
/// severe results of the whole file (counted in the summary) and tries again.
pub fn serialize_within(
    log: &mut Value,
    lim: &Limits,
    pretty: bool,
    summary: &mut Summary,
) -> Result<Vec<u8>, SarifError> {
    let mut total_dropped: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..8 {
        let bytes = to_bytes(log, pretty);
        let gz = if (bytes.len() as u64) <= lim.gzip_bytes {
            // Compressed is never much larger than raw for text; no need to estimate.
            super::gzip::estimate(&bytes).min(bytes.len() as u64 + 64)
        } else {
            super::gzip::estimate(&bytes)
        };
        if gz <= lim.gzip_bytes {
            if !total_dropped.is_empty() {
                let levels: Vec<String> = total_dropped
                    .iter()
                    .map(|(l, n)| format!("{n} {l}"))
                    .collect();
                summary.dropped.push(format!(
                    "{} least severe result(s) to stay under GitHub's {} compressed bytes ({})",
                    total_dropped.values().sum::<usize>(),
                    lim.gzip_bytes,
                    levels.join(", ")
                ));
            }
            summary.bytes = bytes.len() as u64;
            summary.gzip_bytes_at_most = gz;
            return Ok(bytes);
        }
        // Drop a share of results proportional to the excess, least severe first.
        let ratio = lim.gzip_bytes as f64 / gz as f64;
        let runs = log.get_mut("runs").and_then(Value::as_array_mut);
        let Some(runs) = runs else { break };
        let mut all: Vec<(f64, u8, usize, usize)> = Vec::new();
        for (ri, run) in runs.iter().enumerate() {
            for (i, (score, rank)) in severities(run).into_iter().enumerate() {
                all.push((score, rank, ri, i));
            }
        }
        if all.is_empty() {
            break;
        }
        let keep_n = ((all.len() as f64) * ratio * 0.95).floor() as usize;
        let drop_n = all.len() - keep_n.min(all.len() - 1);
        all.sort_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.2.cmp(&a.2))
                .then(b.3.cmp(&a.3))
        });
        let mut gone: HashMap<usize, HashSet<usize>> = HashMap::new();
        for (_, _, ri, i) in all.iter().take(drop_n) {
            gone.entry(*ri).or_default().insert(*i);
        }
        for (ri, run) in runs.iter_mut().enumerate() {
            let Some(set) = gone.get(&ri) else { continue };
            if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
                let mut i = 0;
                results.retain(|r| {
                    let keep = !set.contains(&i);
                    if !keep {
                        *total_dropped.entry(level_of(r)).or_default() += 1;
                    }
                    i += 1;
                    keep
                });
            }
        }
    }
    Err(SarifError::Limit(format!(
        "the SARIF stays over GitHub's {} compressed bytes after dropping results",
        lim.gzip_bytes
    )))
}

/// The log as JSON (indented when `pretty`) with a final newline.
pub fn to_bytes(log: &Value, pretty: bool) -> Vec<u8> {
    let mut out = if pretty {
        serde_json::to_vec_pretty(log)
    } else {
        serde_json::to_vec(log)
    }
    .unwrap_or_default();
    out.push(b'\n');
    out
}

/// One run's line of the summary.
pub fn run_summary(run: &Value) -> RunSummary {
    let mut levels = BTreeMap::new();
    let results = run.get("results").and_then(Value::as_array);
    if let Some(rs) = results {
        for r in rs {
            *levels.entry(level_of(r)).or_default() += 1;
        }
    }
    RunSummary {
        tool: tool_name(run),
        category: category(run),
        results: results.map_or(0, Vec::len),
        rules: run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        levels,
    }
}
