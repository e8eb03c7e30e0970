//! The fast path of `sarif merge`: the same result as [`super::merge::merge`] followed by
//! [`super::finish`], without building a JSON tree of every result.
//!
//! Each input is read once into memory and parsed with serde_json down to the runs: a run's
//! members other than `results` become values (the "skeleton": tool, rules, artifacts...),
//! its results stay borrowed slices of the input ([`RawValue`]). Each result is then read
//! once more into a struct of the few fields merge looks at (rule id and index, level,
//! message text, locations, fingerprint, code-flow sizes). A result that merge would leave as
//! it is, apart from its `ruleIndex` and a fingerprint it lacks, is written back as its own
//! bytes (the index spliced in when the merged rules moved it, a computed
//! `partialFingerprints` added when it had none); any other result — no rule id, no message
//! text, a location without a URI or a start line, an absolute URI, a `partialFingerprints`
//! without a line hash, over a per-result limit, a
//! rule in an extension, a run whose artifacts or thread-flow locations are renumbered — is
//! parsed into a value and goes through the very functions of the general path. So the fast
//! path changes speed and memory, never the SARIF; `tests/it/sarif.rs` compares the two on
//! real files.
//!
//! Whatever this path does not handle makes [`merge_files`] answer `None`, and the caller runs
//! the general path: an input that is not a SARIF 2.x log (the general path reports the error),
//! more rules than GitHub accepts in a run (unused rules are dropped there), or an output over
//! GitHub's compressed-size limit (results are dropped there until it fits).
//!
//! The output is streamed twice: once into the compressed-size estimate, then, if it fits,
//! into the writer.

use super::limits::{self, Dedupe, Limits, Unique};
use super::merge::{self, Normaliser, Remap};
use super::{Repo, RunSummary, SarifError, Summary};
use crate::ingest::PathResolver;
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How the results of a fast merge were handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FastStats {
    /// Results written back as their own bytes (`ruleIndex` spliced in where it moved).
    pub raw: usize,
    /// Results parsed into values and rewritten by the general path's functions.
    pub parsed: usize,
}

/// Opens the output when the merge is ready to be written.
pub type Opener<'o> = dyn FnMut() -> std::io::Result<Box<dyn Write + 'o>> + 'o;

/// Merges `paths` into the writer `open` gives, as [`super::merge::merge`] and
/// [`super::finish`] (compact) would; `None` when the general path must do it (nothing has
/// been written then, and the summary is untouched). The summary's `discarded` stays empty.
pub fn merge_files(
    paths: &[PathBuf],
    root: &Path,
    repo: &Repo,
    lim: &Limits,
    shown: &str,
    open: &mut Opener<'_>,
    summary: &mut Summary,
) -> Result<Option<FastStats>, SarifError> {
    let mut inputs = Vec::with_capacity(paths.len());
    for p in paths {
        match read(p) {
            Some(b) => inputs.push(b),
            None => return Ok(None),
        }
    }
    let mut tops = Vec::with_capacity(inputs.len());
    for bytes in &inputs {
        match parse_top(bytes) {
            Some(t) => tops.push(t),
            None => return Ok(None),
        }
    }
    let mut local = Summary {
        output: summary.output.clone(),
        ..Default::default()
    };
    let mut stats = FastStats::default();
    let Some(mut runs) = build(tops, root, repo, lim, &mut local, &mut stats)? else {
        return Ok(None);
    };
    // Pass 1: the compressed size.
    let mut count = Counter::default();
    write_log(&mut count, &runs).map_err(|e| io_error(shown, e))?;
    let n = count.bytes;
    let gz = if n <= lim.gzip_bytes {
        count.gz.total().min(n + 64)
    } else {
        count.gz.total()
    };
    if gz > lim.gzip_bytes {
        return Ok(None);
    }
    local.bytes = n;
    local.gzip_bytes_at_most = gz;
    local.runs = runs.iter().map(|r| r.summary()).collect();
    // Pass 2: the file.
    let mut w = open().map_err(|e| io_error(shown, e))?;
    write_log(&mut w, &runs)
        .and_then(|_| w.flush())
        .map_err(|e| io_error(shown, e))?;
    drop(w);
    // The process is about to end: freeing many small values one by one would take longer
    // than the merge (as the general path's caller does).
    for r in runs.iter_mut() {
        std::mem::forget(std::mem::take(&mut r.items));
    }
    std::mem::forget(runs);
    *summary = local;
    Ok(Some(stats))
}

fn io_error(shown: &str, source: std::io::Error) -> SarifError {
    SarifError::Io {
        path: shown.to_string(),
        message: "cannot write the SARIF".into(),
        source,
    }
}

/// The bytes of one input (byte-order mark removed), if it can be read and is not too large.
fn read(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if meta.is_dir() || meta.len() > crate::ingest::json::MAX_JSON_BYTES {
        return None;
    }
    // Something that is not a JSON object is the general path's to report, without reading
    // it all first.
    let mut head = [0u8; 4096];
    let n = file.read(&mut head).ok()?;
    let first = head[..n]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head[..n])
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first.is_some_and(|b| *b != b'{') {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    bytes.extend_from_slice(&head[..n]);
    file.read_to_end(&mut bytes).ok()?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Some(bytes)
}

/// A log's members that merge reads.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(default, deserialize_with = "present")]
    version: Option<Value>,
    #[serde(borrow, default)]
    runs: Option<Vec<RawRun<'a>>>,
}

/// A member that is there, whatever its value (`null` included).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// One run: its members but `results` as values, its results as slices of the input.
struct RawRun<'a> {
    skeleton: Value,
    results: Option<Vec<&'a RawValue>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for RawRun<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawRun<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a SARIF run")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawRun<'a>, A::Error> {
                let mut rest = Map::new();
                let mut results = None;
                while let Some(k) = m.next_key::<String>()? {
                    if k == "results" {
                        results = Some(m.next_value::<Vec<&'a RawValue>>()?);
                    } else {
                        let v: Value = m.next_value()?;
                        rest.insert(k, v);
                    }
                }
                Ok(RawRun {
                    skeleton: Value::Object(rest),
                    results,
                })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

fn parse_top(bytes: &[u8]) -> Option<Top<'_>> {
    let first = bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
    if *first != b'{' {
        return None;
    }
    let top: Top = serde_json::from_slice(bytes).ok()?;
    // The general path's checks of the log, on the same members.
    let mut check = Map::new();
    if let Some(v) = &top.version {
        check.insert("version".into(), v.clone());
    }
    if top.runs.is_some() {
        check.insert("runs".into(), Value::Array(Vec::new()));
    }
    merge::check_log(&Value::Object(check)).ok()?;
    Some(top)
}

/// The fields of a result merge looks at. A field of an unexpected type fails the parse,
/// and the result takes the general path.
#[derive(Deserialize)]
struct Light<'a> {
    #[serde(rename = "ruleId", borrow)]
    rule_id: Option<Cow<'a, str>>,
    #[serde(rename = "ruleIndex")]
    rule_index: Option<u64>,
    rule: Option<IgnoredAny>,
    #[serde(borrow)]
    level: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: Option<LightMessage<'a>>,
    #[serde(borrow)]
    locations: Option<Vec<LightLocation<'a>>>,
    #[serde(rename = "relatedLocations", borrow)]
    related: Option<Vec<LightLocation<'a>>>,
    #[serde(rename = "partialFingerprints", borrow)]
    fingerprints: Option<LightFingerprints<'a>>,
    #[serde(rename = "codeFlows")]
    code_flows: Option<Vec<LightCodeFlow>>,
}

#[derive(Deserialize)]
struct LightMessage<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct LightLocation<'a> {
    #[serde(rename = "physicalLocation", borrow)]
    physical: Option<LightPhysical<'a>>,
}

#[derive(Deserialize)]
struct LightPhysical<'a> {
    #[serde(rename = "artifactLocation", borrow)]
    artifact: Option<LightArtifact<'a>>,
    region: Option<LightRegion>,
}

#[derive(Deserialize)]
struct LightArtifact<'a> {
    #[serde(borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(rename = "uriBaseId", borrow)]
    uri_base_id: Option<Cow<'a, str>>,
    index: Option<u64>,
}

#[derive(Deserialize)]
struct LightRegion {
    #[serde(rename = "startLine")]
    start_line: Option<u64>,
    #[serde(rename = "startColumn")]
    start_column: Option<u64>,
}

#[derive(Deserialize)]
struct LightFingerprints<'a> {
    #[serde(rename = "primaryLocationLineHash", borrow)]
    hash: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct LightCodeFlow {
    #[serde(rename = "threadFlows")]
    thread_flows: Option<Vec<LightThreadFlow>>,
}

#[derive(Deserialize)]
struct LightThreadFlow {
    locations: Option<Vec<IgnoredAny>>,
}

/// A result written back as its own bytes.
struct RawItem<'a> {
    text: &'a str,
    rule: Cow<'a, str>,
    /// Its `ruleIndex` in the merged rules, when the bytes hold another (or none).
    new_index: Option<usize>,
    level: Option<Cow<'a, str>>,
    fingerprint: Cow<'a, str>,
    /// The result has no `partialFingerprints`: `fingerprint` is computed and written in.
    computed: Option<Box<limits::Place>>,
    same: u64,
}

impl RawItem<'_> {
    /// The result as a value, with what merge would have written into it.
    fn to_value(&self) -> Option<Value> {
        let mut v: Value = serde_json::from_str(self.text).ok()?;
        if let Some(o) = v.as_object_mut() {
            if let Some(ix) = self.new_index {
                o.insert("ruleIndex".into(), Value::from(ix as u64));
            }
            if self.computed.is_some() {
                let mut pf = Map::new();
                pf.insert(
                    "primaryLocationLineHash".into(),
                    Value::String(self.fingerprint.to_string()),
                );
                o.insert("partialFingerprints".into(), Value::Object(pf));
            }
        }
        Some(v)
    }
}

enum Item<'a> {
    Raw(RawItem<'a>),
    Value(Value),
}

/// One merged run: its skeleton (with its final rules) and its results.
struct Run<'a> {
    skeleton: Value,
    /// Whether the output has a `results` member (a lone run without one keeps none).
    has_results: bool,
    items: Vec<Item<'a>>,
}

impl Run<'_> {
    fn summary(&self) -> RunSummary {
        let mut levels = BTreeMap::new();
        for it in &self.items {
            *levels.entry(item_level(it)).or_default() += 1;
        }
        RunSummary {
            tool: limits::tool_name(&self.skeleton),
            category: limits::category(&self.skeleton),
            results: if self.has_results {
                self.items.len()
            } else {
                0
            },
            rules: self
                .skeleton
                .pointer("/tool/driver/rules")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            levels,
        }
    }
}

fn item_level(it: &Item) -> String {
    match it {
        Item::Raw(r) => r.level.as_deref().unwrap_or("warning").to_string(),
        Item::Value(v) => limits::level_of(v),
    }
}

/// One input run in its group: its results and how they are rewritten.
struct Part<'a> {
    results: Vec<&'a RawValue>,
    /// How an added run's indices map (`None` for the group's first run).
    remap: Option<Remap>,
    /// The run's own `threadFlowLocations`, to inline.
    shared_flows: Option<Vec<Value>>,
}

impl Part<'_> {
    /// Whether every result of this run takes the general path.
    fn all_slow(&self) -> bool {
        self.shared_flows.is_some() || self.remap.as_ref().is_some_and(|m| !m.arts.is_empty())
    }
}

/// The merge up to the bytes: grouping, normalisation, fingerprints, limits. `None` for what
/// the general path must do.
fn build<'a>(
    tops: Vec<Top<'a>>,
    root: &Path,
    repo: &Repo,
    lim: &Limits,
    summary: &mut Summary,
    stats: &mut FastStats,
) -> Result<Option<Vec<Run<'a>>>, SarifError> {
    // Groups by (tool, category), as merge::merge.
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut groups: Vec<(Value, bool, Vec<Part<'a>>)> = Vec::new();
    let mut merged_runs = 0usize;
    for top in tops {
        for run in top.runs.unwrap_or_default() {
            let RawRun {
                mut skeleton,
                results,
            } = run;
            if !skeleton.is_object() {
                return Ok(None);
            }
            let shared_flows = merge::shared_thread_flow_locations(&skeleton);
            let key = (limits::tool_name(&skeleton), merge::run_category(&skeleton));
            let has = results.is_some();
            let results = results.unwrap_or_default();
            match keys.iter().position(|k| *k == key) {
                Some(i) => {
                    let (base, has_results, parts) = &mut groups[i];
                    let remap = merge::add_run_skeleton(base, &mut skeleton);
                    *has_results = true;
                    parts.push(Part {
                        results,
                        remap: Some(remap),
                        shared_flows,
                    });
                    merged_runs += 1;
                }
                None => {
                    keys.push(key);
                    groups.push((
                        skeleton,
                        has,
                        vec![Part {
                            results,
                            remap: None,
                            shared_flows,
                        }],
                    ));
                }
            }
        }
    }
    merge::merged_runs_note(merged_runs, summary);
    let resolver = PathResolver::new(root);
    let empty_taken = merge::empty_category_taken(&keys);
    let mut no_location = 0usize;
    let mut runs: Vec<Run<'a>> = Vec::with_capacity(groups.len());
    for ((mut skeleton, has_results, parts), key) in groups.into_iter().zip(&keys) {
        merge::set_category(&mut skeleton, key, empty_taken);
        let mut norm = Normaliser::new(&mut skeleton);
        let mut items = Vec::with_capacity(parts.iter().map(|p| p.results.len()).sum());
        for part in &parts {
            let slow = part.all_slow();
            for raw in &part.results {
                if !slow && let Some(item) = fast_item(raw.get(), &mut norm, &resolver, lim) {
                    items.push(Item::Raw(item));
                    stats.raw += 1;
                    continue;
                }
                stats.parsed += 1;
                let Ok(mut v) = serde_json::from_str::<Value>(raw.get()) else {
                    return Ok(None);
                };
                if let Some(shared) = &part.shared_flows {
                    merge::inline_result_thread_flow_locations(&mut v, shared);
                }
                if let Some(m) = &part.remap {
                    merge::remap_result(&mut v, m);
                }
                if norm.result(&mut v, &resolver) {
                    items.push(Item::Value(v));
                }
            }
        }
        no_location += norm.finish(&mut skeleton);
        runs.push(Run {
            skeleton,
            has_results,
            items,
        });
    }
    merge::no_location_note(no_location, summary);
    // Fingerprints and duplicates, run by run (as `finish`).
    for run in runs.iter_mut() {
        let dropped = fingerprints(run, repo);
        if dropped > 0 {
            summary.dropped.push(format!(
                "{dropped} duplicate result(s) of {} (same rule, location and message)",
                limits::tool_name(&run.skeleton)
            ));
        }
    }
    // Limits (as `limits::enforce`).
    limits::check_runs(runs.len(), lim)?;
    for run in runs.iter_mut() {
        let tool = limits::tool_name(&run.skeleton);
        limits::check_extensions(&run.skeleton, &tool, lim)?;
        let nrules = run
            .skeleton
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if nrules > lim.rules_per_run {
            return Ok(None);
        }
        let nres = run.items.len();
        if nres > lim.results_per_run {
            let keep = limits::keep_most_severe(&severities(run), lim.results_per_run);
            let mut by_level: BTreeMap<String, usize> = BTreeMap::new();
            let all = std::mem::take(&mut run.items);
            for (it, k) in all.into_iter().zip(keep) {
                if k {
                    run.items.push(it);
                } else {
                    *by_level.entry(item_level(&it)).or_default() += 1;
                }
            }
            summary
                .dropped
                .push(limits::results_dropped_note(nres, &tool, lim, &by_level));
        }
        let (mut locs, mut flows) = (0usize, 0usize);
        for it in run.items.iter_mut() {
            if let Item::Value(v) = it {
                let (l, f) = limits::cut_result(v, lim);
                locs += l;
                flows += f;
            }
        }
        limits::cut_notes(locs, flows, &tool, lim, &mut summary.dropped);
        limits::cut_rules(&mut run.skeleton, &tool, lim, &mut summary.dropped);
    }
    Ok(Some(runs))
}

/// The result as a [`RawItem`] if merge would change nothing in it but its `ruleIndex`.
fn fast_item<'a>(
    text: &'a str,
    norm: &mut Normaliser,
    resolver: &PathResolver,
    lim: &Limits,
) -> Option<RawItem<'a>> {
    let l: Light<'a> = serde_json::from_str(text).ok()?;
    if l.rule.is_some() {
        return None;
    }
    let rule = l.rule_id?;
    let message = l.message?.text?;
    if message.trim().is_empty() {
        return None;
    }
    // A fingerprint the tool wrote is kept; one to compute is written in only where the
    // result has no `partialFingerprints` member at all.
    let fingerprint = match l.fingerprints {
        Some(f) => Some(f.hash?),
        None if member_span(text.as_bytes(), "partialFingerprints").is_some() => return None,
        None => None,
    };
    let locations = l.locations?;
    if locations.is_empty() || locations.len() > lim.locations_per_result {
        return None;
    }
    let kept = |u: &str| merge::repo_uri(u, resolver).is_none();
    // Every location: a repository-relative URI and a start line.
    for loc in &locations {
        let p = loc.physical.as_ref()?;
        let uri = p.artifact.as_ref()?.uri.as_deref()?;
        if !kept(uri) || p.region.as_ref()?.start_line.is_none() {
            return None;
        }
    }
    let related = l.related.unwrap_or_default();
    if related.len() > lim.locations_per_result {
        return None;
    }
    // Related locations: where there is a physical location, the same.
    for loc in &related {
        let Some(p) = &loc.physical else { continue };
        if let Some(a) = &p.artifact
            && !a.uri.as_deref().is_some_and(kept)
        {
            return None;
        }
        p.region.as_ref()?.start_line?;
    }
    let flows: usize = l
        .code_flows
        .iter()
        .flatten()
        .flat_map(|cf| cf.thread_flows.iter().flatten())
        .map(|tf| tf.locations.as_ref().map_or(0, Vec::len))
        .sum();
    if flows > lim.thread_flow_locations_per_result {
        return None;
    }
    let ix = norm.rule_index(&rule);
    let first = locations[0].physical.as_ref()?;
    let art = first.artifact.as_ref()?;
    let region = first.region.as_ref()?;
    let same = limits::sameness(
        art.uri.as_deref(),
        art.index,
        region.start_line,
        region.start_column,
        Some(&message),
    );
    let computed = fingerprint.is_none().then(|| {
        Box::new(limits::Place {
            uri: art.uri.as_deref().map(str::to_string),
            base: art.uri_base_id.as_deref().map(str::to_string),
            line: region.start_line.unwrap_or(0),
            col: region.start_column.unwrap_or(0),
            rule: rule.to_string(),
            message: message.to_string(),
        })
    });
    Some(RawItem {
        text,
        rule,
        new_index: (l.rule_index != Some(ix as u64)).then_some(ix),
        level: l.level,
        fingerprint: fingerprint.unwrap_or_default(),
        computed,
        same,
    })
}

/// Fills missing fingerprints and removes duplicates (as `limits::fill_fingerprints`);
/// returns how many duplicates were dropped.
fn fingerprints(run: &mut Run, repo: &Repo) -> usize {
    let artifacts: Vec<Value> = run
        .skeleton
        .get("artifacts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let rules: &[Value] = run
        .skeleton
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let values: Vec<&mut Value> = run
        .items
        .iter_mut()
        .filter_map(|it| match it {
            Item::Value(v) => Some(v),
            Item::Raw(_) => None,
        })
        .collect();
    limits::fill_missing_hashes(values, &artifacts, rules, repo);
    let places: Vec<&limits::Place> = run
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Raw(r) => r.computed.as_deref(),
            Item::Value(_) => None,
        })
        .collect();
    if !places.is_empty() {
        let mut fps = limits::fingerprints_of(&places, repo).into_iter();
        for it in run.items.iter_mut() {
            if let Item::Raw(r) = it
                && r.computed.is_some()
            {
                r.fingerprint = Cow::Owned(fps.next().unwrap_or_default());
            }
        }
    }
    let mut dedupe = Dedupe::with_capacity(run.items.len());
    let mut dropped = 0usize;
    let mut keep = Vec::with_capacity(run.items.len());
    for it in run.items.iter_mut() {
        let k = match it {
            Item::Value(v) => dedupe.result(v, rules),
            Item::Raw(r) => match dedupe.check(&r.rule, &r.fingerprint, r.same) {
                Unique::Keep => true,
                Unique::Drop => false,
                Unique::Rename(next) => {
                    let mut v = r.to_value().unwrap_or(Value::Null);
                    if let Some(pf) = v
                        .get_mut("partialFingerprints")
                        .and_then(Value::as_object_mut)
                    {
                        pf.insert("primaryLocationLineHash".into(), Value::String(next));
                    }
                    *it = Item::Value(v);
                    true
                }
            },
        };
        if !k {
            dropped += 1;
        }
        keep.push(k);
    }
    if dropped > 0 {
        let mut it = keep.into_iter();
        run.items.retain(|_| it.next().unwrap_or(true));
    }
    dropped
}

/// (score, level rank) of each result, as `limits::severities` on the merged run.
fn severities(run: &Run) -> Vec<(f64, u8)> {
    let rules: &[Value] = run
        .skeleton
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let by_id: HashMap<&str, &Value> = rules
        .iter()
        .filter_map(|r| Some((r.get("id")?.as_str()?, r)))
        .collect();
    run.items
        .iter()
        .map(|it| match it {
            Item::Raw(r) => limits::severity(r.level.as_deref(), by_id.get(&*r.rule).copied()),
            Item::Value(v) => {
                let rule = limits::rule_id(v, rules).and_then(|id| by_id.get(id).copied());
                limits::severity(v.get("level").and_then(Value::as_str), rule)
            }
        })
        .collect()
}

/// Counts bytes and estimates their compressed size.
#[derive(Default)]
struct Counter {
    bytes: u64,
    gz: super::gzip::GzipSize,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.gz.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes the merged log, compact, with a final newline.
fn write_log(out: &mut dyn Write, runs: &[Run]) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    // Members in the order the general path's map writes them.
    w.write_all(b"{\"$schema\":")?;
    serde_json::to_writer(&mut w, super::SCHEMA_URI)?;
    w.write_all(b",\"runs\":[")?;
    for (i, run) in runs.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_run(&mut w, run)?;
    }
    w.write_all(b"],\"version\":\"2.1.0\"}\n")?;
    w.flush()
}

fn write_run(w: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    w.write_all(b"{")?;
    let mut first = true;
    if run.has_results {
        w.write_all(b"\"results\":[")?;
        for (i, it) in run.items.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            match it {
                Item::Value(v) => serde_json::to_writer(&mut *w, v)?,
                Item::Raw(r) if r.new_index.is_none() && r.computed.is_none() => {
                    w.write_all(r.text.as_bytes())?
                }
                Item::Raw(r) => write_patched(
                    w,
                    r.text,
                    r.new_index,
                    r.computed.is_some().then_some(&*r.fingerprint),
                )?,
            }
        }
        w.write_all(b"]")?;
        first = false;
    }
    if let Value::Object(members) = &run.skeleton {
        for (k, v) in members {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *w, k)?;
            w.write_all(b":")?;
            serde_json::to_writer(&mut *w, v)?;
        }
    }
    w.write_all(b"}")
}

/// Writes the result object `text` with its top-level `ruleIndex` set to `index` (replaced
/// where it is, else added first) and, given a fingerprint, a `partialFingerprints` member
/// (the result has none) added first.
fn write_patched(
    w: &mut dyn Write,
    text: &str,
    index: Option<usize>,
    fingerprint: Option<&str>,
) -> std::io::Result<()> {
    let b = text.as_bytes();
    let span = index.and_then(|_| member_span(b, "ruleIndex"));
    let open = super::scan::skip_ws(b, 0);
    w.write_all(&b[..=open])?;
    let mut added = 0;
    if let Some(fp) = fingerprint {
        w.write_all(b"\"partialFingerprints\":{\"primaryLocationLineHash\":")?;
        serde_json::to_writer(&mut *w, fp)?;
        w.write_all(b"}")?;
        added += 1;
    }
    if let (Some(ix), None) = (index, span) {
        if added > 0 {
            w.write_all(b",")?;
        }
        write!(w, "\"ruleIndex\":{ix}")?;
        added += 1;
    }
    let rest = open + 1;
    if added > 0 && b.get(super::scan::skip_ws(b, rest)) != Some(&b'}') {
        w.write_all(b",")?;
    }
    match (index, span) {
        (Some(ix), Some((start, end))) => {
            w.write_all(&b[rest..start])?;
            write!(w, "{ix}")?;
            w.write_all(&b[end..])
        }
        _ => w.write_all(&b[rest..]),
    }
}

/// The byte span of the value of the top-level member `name` of an object.
fn member_span(b: &[u8], name: &str) -> Option<(usize, usize)> {
    use super::scan::{skip_ws, slice_skip};
    let mut i = skip_ws(b, 0);
    if *b.get(i)? != b'{' {
        return None;
    }
    i = skip_ws(b, i + 1);
    if *b.get(i)? == b'}' {
        return None;
    }
    loop {
        let kend = slice_skip(b, i)?;
        let key = b.get(i..kend)?;
        let is_index = if key.contains(&b'\\') {
            serde_json::from_slice::<String>(key).ok()? == name
        } else {
            key.len() == name.len() + 2 && &key[1..key.len() - 1] == name.as_bytes()
        };
        i = skip_ws(b, kend);
        if *b.get(i)? != b':' {
            return None;
        }
        let vstart = skip_ws(b, i + 1);
        let vend = slice_skip(b, vstart)?;
        if is_index {
            return Some((vstart, vend));
        }
        i = skip_ws(b, vend);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_index(text: &str, ix: usize) -> Value {
        let mut out = Vec::new();
        write_patched(&mut out, text, Some(ix), None).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn rule_index_is_replaced_or_added() {
        let v = with_index(
            r#"{"ruleId": "a", "ruleIndex": 12, "x": [1, {"ruleIndex": 3}]}"#,
            4,
        );
        assert_eq!(v["ruleIndex"], 4);
        assert_eq!(v["x"][1]["ruleIndex"], 3);
        let v = with_index(r#" { "ruleId" : "a\"}" } "#, 7);
        assert_eq!(v["ruleIndex"], 7);
        assert_eq!(v["ruleId"], "a\"}");
        let v = with_index(r#"{"rule\u0049ndex": 1, "b": 2}"#, 0);
        assert_eq!(v["ruleIndex"], 0);
        assert_eq!(v["b"], 2);
    }

    #[test]
    fn fingerprint_is_added() {
        let mut out = Vec::new();
        write_patched(
            &mut out,
            r#"{"ruleId": "a", "ruleIndex": 1}"#,
            Some(2),
            Some("f\"p"),
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["ruleIndex"], 2);
        assert_eq!(v["partialFingerprints"]["primaryLocationLineHash"], "f\"p");
        let mut out = Vec::new();
        write_patched(&mut out, r#"{"ruleId": "a"}"#, Some(0), Some("x")).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"ruleId": "a", "ruleIndex": 0, "partialFingerprints": {"primaryLocationLineHash": "x"}})
        );
        let mut out = Vec::new();
        write_patched(&mut out, r#"{"ruleId": "a"}"#, None, Some("x")).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["ruleId"], "a");
    }
}
