//! Merging SARIF logs: one run per tool and category, rules de-duplicated, duplicate results
//! removed, and every run normalised so GitHub accepts it.
//!
//! Runs are grouped by `tool.driver.name` and category (the part of `automationDetails.id`
//! before its last `/`; a run without one has the empty category). The first run of a group
//! is the base; later runs add:
//! - driver rules whose id is new (results' `ruleIndex` / `rule.index` are remapped to the
//!   merged list), extensions by name with their rules likewise (`rule.toolComponent.index`
//!   remapped);
//! - artifacts not already listed (`artifactLocation.index` in results remapped);
//! - invocations, and `originalUriBaseIds` not already defined;
//! - their results. Results equal in rule, primary location and message are kept once (in
//!   [`super::finish`], which also fills fingerprints and enforces the limits).
//!
//! Normalisation of every merged run:
//! - `automationDetails.id` is `<category>/` (a tool's runs without a category get the tool's
//!   name as category when another run of the file already uses the empty one);
//! - a result whose rule is not described gets a rule; every driver rule gets
//!   `shortDescription` (its name, else `<tool> rule <id>`), `fullDescription` (the short one),
//!   `help` (pointing at `helpUri` when there is one) and `security-severity` as a string (a
//!   number is rewritten; a missing one is mapped from `defaultConfiguration.level` as
//!   [`super::build`] documents);
//! - `message.text` is filled from `message.id` and the rule's `messageStrings` when absent;
//! - thread-flow locations that refer to `run.threadFlowLocations` by index are inlined;
//! - artifact URIs that are absolute `file:` paths under the repository root become relative to
//!   `%SRCROOT%`; a location without a region gets `startLine` 1 (the whole file);
//! - results without any location URI are dropped and counted (GitHub rejects them).

use super::{SarifError, Summary, limits};
use crate::ingest::PathResolver;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::Path;

/// Reads one SARIF 2.1.0 log into a JSON value.
pub fn read_log(path: &Path) -> Result<Value, SarifError> {
    let shown = path.display().to_string();
    let io = |message: &str, source| SarifError::Io {
        path: shown.clone(),
        message: message.into(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(|e| io("cannot read", e))?;
    if meta.is_dir() {
        return Err(SarifError::NotSarif {
            path: shown,
            message: "is a directory; expected a SARIF file".into(),
        });
    }
    let max = crate::ingest::json::MAX_JSON_BYTES;
    if meta.len() > max {
        return Err(SarifError::NotSarif {
            path: shown,
            message: format!(
                "the file is {} MiB; shipgate merges SARIF files of at most {} MiB",
                meta.len() >> 20,
                max >> 20
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| io("cannot read", e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let log: Value = serde_json::from_slice(bytes).map_err(|e| SarifError::NotSarif {
        path: shown.clone(),
        message: crate::ingest::ParseError::from_json(&e, "SARIF").to_string(),
    })?;
    check_log(&log).map_err(|message| SarifError::NotSarif {
        path: shown,
        message,
    })?;
    Ok(log)
}

/// A SARIF 2.x log: an object with a `runs` array (and a `version` of 2.x when given).
pub fn check_log(log: &Value) -> Result<(), String> {
    let Some(obj) = log.as_object() else {
        return Err("/: expected a SARIF log (a JSON object with \"version\" and \"runs\")".into());
    };
    match obj.get("version") {
        Some(Value::String(v)) if v.trim().starts_with('2') => {}
        Some(Value::String(v)) => {
            return Err(format!(
                "/version: SARIF version \"{}\"; expected 2.1.0 (SARIF 1.0 can be upgraded with `Sarif.Multitool transform`)",
                crate::ingest::xml::truncate(v, 40)
            ));
        }
        Some(_) => return Err("/version: expected the string \"2.1.0\"".into()),
        None if obj.contains_key("runs") => {}
        None => {
            return Err(
                "/: not a SARIF log (no \"version\" or \"runs\"); expected SARIF 2.1.0".into(),
            );
        }
    }
    if !obj.get("runs").is_some_and(Value::is_array) {
        return Err("/runs: expected an array of runs".into());
    }
    Ok(())
}

/// The category of a run: its `automationDetails.id` up to the last `/` (all of it when it
/// has none).
pub fn run_category(run: &Value) -> String {
    let id = limits::category(run);
    match id.rsplit_once('/') {
        Some((c, _)) => c.to_string(),
        None => id,
    }
}

/// Merges the runs of `logs` (in order) into one log, normalised.
pub fn merge(logs: Vec<Value>, root: &Path, summary: &mut Summary) -> Value {
    let mut runs: Vec<Value> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut merged_runs = 0usize;
    for log in logs {
        let Value::Object(mut obj) = log else {
            continue;
        };
        let Some(Value::Array(list)) = obj.remove("runs") else {
            continue;
        };
        for mut run in list {
            inline_thread_flow_locations(&mut run);
            let key = (limits::tool_name(&run), run_category(&run));
            match keys.iter().position(|k| *k == key) {
                Some(i) => {
                    add_run(&mut runs[i], run);
                    merged_runs += 1;
                }
                None => {
                    keys.push(key);
                    runs.push(run);
                }
            }
        }
    }
    merged_runs_note(merged_runs, summary);
    let resolver = PathResolver::new(root);
    let mut no_location = 0usize;
    let empty_taken = empty_category_taken(&keys);
    for (run, key) in runs.iter_mut().zip(&keys) {
        set_category(run, key, empty_taken);
        no_location += normalise(run, &resolver);
    }
    no_location_note(no_location, summary);
    // Built by hand: `json!` would copy every run through `to_value`.
    let mut log = Map::new();
    log.insert("$schema".into(), Value::String(super::SCHEMA_URI.into()));
    log.insert("version".into(), Value::String("2.1.0".into()));
    log.insert("runs".into(), Value::Array(runs));
    Value::Object(log)
}

pub(crate) fn merged_runs_note(merged_runs: usize, summary: &mut Summary) {
    if merged_runs > 0 {
        summary.notes.push(format!(
            "{merged_runs} run(s) merged into a run of the same tool and category"
        ));
    }
}

pub(crate) fn no_location_note(no_location: usize, summary: &mut Summary) {
    if no_location > 0 {
        summary.dropped.push(format!(
            "{no_location} result(s) without a location URI (GitHub rejects them)"
        ));
    }
}

/// Whether more than one (tool, category) group has the empty category.
pub(crate) fn empty_category_taken(keys: &[(String, String)]) -> bool {
    keys.iter().filter(|(_, c)| c.is_empty()).count() > 1
}

/// Sets `automationDetails.id` of a merged run from its group's (tool, category).
pub(crate) fn set_category(run: &mut Value, (tool, cat): &(String, String), empty_taken: bool) {
    let cat = if cat.is_empty() && empty_taken {
        super::build::default_category(tool)
    } else {
        cat.clone()
    };
    if let Some(obj) = run.as_object_mut() {
        let ad = obj
            .entry("automationDetails")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(ad) = ad.as_object_mut() {
            let id = if cat.is_empty() {
                super::build::automation_id(&super::build::default_category(tool))
            } else {
                super::build::automation_id(&cat)
            };
            ad.insert("id".into(), Value::String(id));
        }
    }
}

/// The array under `key`, created (or replaced when it is not an array) as needed; `None`
/// when `v` is not an object.
fn array<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Vec<Value>> {
    let e = v
        .as_object_mut()?
        .entry(key)
        .or_insert_with(|| Value::Array(Vec::new()));
    if !e.is_array() {
        *e = Value::Array(Vec::new());
    }
    e.as_array_mut()
}

/// Appends `rules` to `base` by id; returns old index → new index.
fn union_rules(base: &mut Vec<Value>, rules: Vec<Value>) -> Vec<usize> {
    let mut index: HashMap<String, usize> = base
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.get("id")?.as_str()?.to_string(), i)))
        .collect();
    rules
        .into_iter()
        .map(|r| {
            let id = r.get("id").and_then(Value::as_str).map(str::to_string);
            match id.as_ref().and_then(|id| index.get(id)) {
                Some(i) => *i,
                None => {
                    base.push(r);
                    let i = base.len() - 1;
                    if let Some(id) = id {
                        index.insert(id, i);
                    }
                    i
                }
            }
        })
        .collect()
}

/// How the indices of a run added to a group map into the group's base run.
#[derive(Default)]
pub(crate) struct Remap {
    /// Driver rule index → merged index.
    driver: Vec<usize>,
    /// Extension index → (merged extension index, its rule map).
    exts: Vec<(usize, Vec<usize>)>,
    /// Artifact index → merged index (empty when the run had no artifacts).
    pub(crate) arts: Vec<usize>,
}

fn add_run(base: &mut Value, mut run: Value) {
    let map = add_run_skeleton(base, &mut run);
    let results = match run.get_mut("results").map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let Some(out) = array(base, "results") else {
        return;
    };
    out.reserve(results.len());
    for mut r in results {
        remap_result(&mut r, &map);
        out.push(r);
    }
}

/// Adds everything of `run` but its results to `base` (rules, extensions, artifacts,
/// invocations, base ids) and says how the run's indices map.
pub(crate) fn add_run_skeleton(base: &mut Value, run: &mut Value) -> Remap {
    let driver_rules = run
        .pointer_mut("/tool/driver/rules")
        .map(Value::take)
        .and_then(|v| match v {
            Value::Array(a) => Some(a),
            _ => None,
        })
        .unwrap_or_default();
    let driver_map = match base
        .pointer_mut("/tool/driver")
        .and_then(|d| array(d, "rules"))
    {
        Some(rules) => union_rules(rules, driver_rules),
        None => Vec::new(),
    };
    // Extensions by name.
    let exts = run
        .pointer_mut("/tool/extensions")
        .map(Value::take)
        .and_then(|v| match v {
            Value::Array(a) => Some(a),
            _ => None,
        })
        .unwrap_or_default();
    let mut ext_map: Vec<(usize, Vec<usize>)> = Vec::new();
    if !exts.is_empty()
        && let Some(base_exts) = base.get_mut("tool").and_then(|t| array(t, "extensions"))
    {
        for mut e in exts {
            let name = e.get("name").and_then(Value::as_str).map(str::to_string);
            let rules = match e.get_mut("rules").map(Value::take) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let pos = base_exts.iter().position(|b| {
                name.is_some() && b.get("name").and_then(Value::as_str) == name.as_deref()
            });
            let pos = match pos {
                Some(p) => p,
                None => {
                    base_exts.push(e);
                    base_exts.len() - 1
                }
            };
            let map = base_exts
                .get_mut(pos)
                .and_then(|e| array(e, "rules"))
                .map(|list| union_rules(list, rules))
                .unwrap_or_default();
            ext_map.push((pos, map));
        }
    }
    // Artifacts by location.
    let arts = match run.get_mut("artifacts").map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let art_map: Vec<usize> = match array(base, "artifacts").filter(|_| !arts.is_empty()) {
        None => Vec::new(),
        Some(base_arts) => arts
            .into_iter()
            .map(|a| {
                let loc = a.get("location").cloned();
                match base_arts
                    .iter()
                    .position(|b| loc.is_some() && b.get("location") == loc.as_ref())
                {
                    Some(p) => p,
                    None => {
                        base_arts.push(a);
                        base_arts.len() - 1
                    }
                }
            })
            .collect(),
    };
    if let Some(Value::Array(inv)) = run.get_mut("invocations").map(Value::take)
        && let Some(list) = array(base, "invocations")
    {
        list.extend(inv);
    }
    if let Some(Value::Object(ids)) = run.get_mut("originalUriBaseIds").map(Value::take)
        && let Some(b) = base.as_object_mut()
    {
        let target = b
            .entry("originalUriBaseIds")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(t) = target.as_object_mut() {
            for (k, v) in ids {
                t.entry(k).or_insert(v);
            }
        }
    }
    Remap {
        driver: driver_map,
        exts: ext_map,
        arts: art_map,
    }
}

/// Rewrites a result of an added run to the indices of the merged run.
pub(crate) fn remap_result(r: &mut Value, map: &Remap) {
    remap_rule(r, &map.driver, &map.exts);
    if !map.arts.is_empty() {
        remap_artifacts(r, &map.arts);
    }
}

fn remap_rule(r: &mut Value, driver: &[usize], exts: &[(usize, Vec<usize>)]) {
    let comp = r
        .pointer("/rule/toolComponent/index")
        .and_then(Value::as_u64)
        .and_then(|c| usize::try_from(c).ok());
    match comp {
        Some(c) => {
            if let Some((new_c, map)) = exts.get(c) {
                if let Some(v) = r.pointer_mut("/rule/toolComponent/index") {
                    *v = Value::from(*new_c as u64);
                }
                remap_index(r, "/rule/index", map);
            }
        }
        None => {
            remap_index(r, "/ruleIndex", driver);
            remap_index(r, "/rule/index", driver);
        }
    }
}

fn remap_index(r: &mut Value, ptr: &str, map: &[usize]) {
    if let Some(v) = r.pointer_mut(ptr)
        && let Some(i) = v.as_u64().and_then(|i| usize::try_from(i).ok())
        && let Some(n) = map.get(i)
    {
        *v = Value::from(*n as u64);
    }
}

/// Rewrites `artifactLocation.index` (and `analysisTarget.index`) anywhere in a result.
fn remap_artifacts(v: &mut Value, map: &[usize]) {
    match v {
        Value::Object(o) => {
            for (k, child) in o.iter_mut() {
                if (k == "artifactLocation" || k == "analysisTarget")
                    && let Some(ix) = child.get_mut("index")
                    && let Some(i) = ix.as_u64().and_then(|i| usize::try_from(i).ok())
                    && let Some(n) = map.get(i)
                {
                    *ix = Value::from(*n as u64);
                }
                remap_artifacts(child, map);
            }
        }
        Value::Array(a) => {
            for child in a {
                remap_artifacts(child, map);
            }
        }
        _ => {}
    }
}

/// Replaces thread-flow locations that point into `run.threadFlowLocations` with the
/// location they point at (GitHub does not follow the index: GH1002).
fn inline_thread_flow_locations(run: &mut Value) {
    let Some(shared) = shared_thread_flow_locations(run) else {
        return;
    };
    let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) else {
        return;
    };
    for r in results {
        inline_result_thread_flow_locations(r, &shared);
    }
}

/// `run.threadFlowLocations`, when it lists any.
pub(crate) fn shared_thread_flow_locations(run: &Value) -> Option<Vec<Value>> {
    match run.get("threadFlowLocations") {
        Some(Value::Array(a)) if !a.is_empty() => Some(a.clone()),
        _ => None,
    }
}

/// [`inline_thread_flow_locations`] for one result.
pub(crate) fn inline_result_thread_flow_locations(r: &mut Value, shared: &[Value]) {
    let Some(flows) = r.get_mut("codeFlows").and_then(Value::as_array_mut) else {
        return;
    };
    for cf in flows {
        let Some(tfs) = cf.get_mut("threadFlows").and_then(Value::as_array_mut) else {
            continue;
        };
        for tf in tfs {
            let Some(locs) = tf.get_mut("locations").and_then(Value::as_array_mut) else {
                continue;
            };
            for l in locs {
                let Some(obj) = l.as_object_mut() else {
                    continue;
                };
                let Some(i) = obj
                    .get("index")
                    .and_then(Value::as_u64)
                    .and_then(|i| usize::try_from(i).ok())
                else {
                    continue;
                };
                obj.remove("index");
                if let Some(Value::Object(src)) = shared.get(i) {
                    for (k, v) in src {
                        obj.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
        }
    }
}

/// Normalises one run in place (see the module documentation); returns how many results
/// were dropped for having no location URI.
fn normalise(run: &mut Value, resolver: &PathResolver) -> usize {
    let mut n = Normaliser::new(run);
    if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
        results.retain_mut(|r| n.result(r, resolver));
    }
    n.finish(run)
}

/// The normalisation of one merged run, a result at a time: the run's driver rules are taken
/// out by [`Normaliser::new`], grow as results name new rule ids, and are put back, described,
/// by [`Normaliser::finish`].
pub(crate) struct Normaliser {
    tool: String,
    artifacts: Vec<Value>,
    rules: Vec<Value>,
    index: HashMap<String, usize>,
    dropped: usize,
}

impl Normaliser {
    pub(crate) fn new(run: &mut Value) -> Self {
        let tool = limits::tool_name(run);
        let artifacts: Vec<Value> = run
            .get("artifacts")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // Rules: describe every rule id results use.
        let rules: Vec<Value> = match run.pointer_mut("/tool/driver/rules").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let index: HashMap<String, usize> = rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.get("id")?.as_str()?.to_string(), i)))
            .collect();
        Normaliser {
            tool,
            artifacts,
            rules,
            index,
            dropped: 0,
        }
    }

    /// The index of rule `id` in the merged driver rules (a bare rule is added for a new id).
    pub(crate) fn rule_index(&mut self, id: &str) -> usize {
        if let Some(i) = self.index.get(id) {
            return *i;
        }
        self.rules.push(json!({ "id": id }));
        let ix = self.rules.len() - 1;
        self.index.insert(id.to_string(), ix);
        ix
    }

    /// Normalises one result; `false` when it must be dropped (no location URI).
    pub(crate) fn result(&mut self, r: &mut Value, resolver: &PathResolver) -> bool {
        let artifacts = &self.artifacts;
        let has_uri = r
            .get("locations")
            .and_then(Value::as_array)
            .is_some_and(|ls| {
                !ls.is_empty()
                    && ls.iter().all(|l| {
                        let a = l.pointer("/physicalLocation/artifactLocation");
                        a.and_then(|a| a.get("uri")).is_some_and(Value::is_string)
                            || a.and_then(|a| a.get("index"))
                                .and_then(Value::as_u64)
                                .and_then(|i| artifacts.get(usize::try_from(i).ok()?))
                                .and_then(|x| x.pointer("/location/uri"))
                                .is_some_and(Value::is_string)
                    })
            });
        if !has_uri {
            self.dropped += 1;
            return false;
        }
        let in_ext = r.pointer("/rule/toolComponent").is_some();
        if !in_ext {
            let id = limits::rule_id(r, &self.rules).map(str::to_string);
            if let Some(id) = id {
                let ix = self.rule_index(&id);
                if let Some(o) = r.as_object_mut() {
                    if o.get("ruleId").and_then(Value::as_str) != Some(id.as_str()) {
                        o.insert("ruleId".into(), Value::String(id));
                    }
                    if o.get("ruleIndex").and_then(Value::as_u64) != Some(ix as u64) {
                        o.insert("ruleIndex".into(), Value::from(ix as u64));
                    }
                    if let Some(Value::Object(rule)) = o.get_mut("rule") {
                        rule.insert("index".into(), Value::from(ix as u64));
                    }
                }
            }
        }
        flatten_message(r, &self.rules);
        fix_locations(r, resolver, &self.artifacts);
        true
    }

    /// Puts the rules back, described; returns how many results were dropped.
    pub(crate) fn finish(self, run: &mut Value) -> usize {
        let Normaliser {
            tool,
            mut rules,
            dropped,
            ..
        } = self;
        for rule in rules.iter_mut() {
            describe_rule(rule, &tool);
        }
        if let Some(d) = run.pointer_mut("/tool/driver")
            && let Some(o) = d.as_object_mut()
        {
            o.insert("rules".into(), Value::Array(rules));
        }
        if let Some(exts) = run
            .pointer_mut("/tool/extensions")
            .and_then(Value::as_array_mut)
        {
            for e in exts {
                if let Some(rules) = e.get_mut("rules").and_then(Value::as_array_mut) {
                    for rule in rules {
                        describe_rule(rule, &tool);
                    }
                }
            }
        }
        dropped
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    v.and_then(|m| m.get("text"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Fills the texts GitHub requires of a rule and writes `security-severity` as a string.
fn describe_rule(rule: &mut Value, tool: &str) {
    let Some(o) = rule.as_object_mut() else {
        return;
    };
    let id = o
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let short = text_of(o.get("shortDescription"))
        .or_else(|| o.get("name").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| format!("{tool} rule {id}"));
    if text_of(o.get("shortDescription")).is_none() {
        set_text(o, "shortDescription", short.clone());
    }
    if text_of(o.get("fullDescription")).is_none() {
        set_text(o, "fullDescription", short);
    }
    if text_of(o.get("help")).is_none() {
        let help = match o.get("helpUri").and_then(Value::as_str) {
            Some(u) => {
                format!("{tool} reported {id}: see {u} for why it matters and how to fix it.")
            }
            None => format!(
                "{tool} reported {id} here: fix the code as the message says, or suppress the finding with {tool}'s own mechanism if it is intended."
            ),
        };
        set_text(o, "help", help);
    }
    let level = o
        .get("defaultConfiguration")
        .and_then(|c| c.get("level"))
        .and_then(Value::as_str)
        .unwrap_or("warning")
        .to_string();
    let props = o
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(p) = props.as_object_mut() {
        let score = p
            .get("security-severity")
            .and_then(limits::parse_score)
            .filter(|x| *x > 0.0 && *x <= 10.0)
            .unwrap_or_else(|| {
                super::build::level_score(match level.as_str() {
                    "error" => crate::model::Level::Error,
                    "note" => crate::model::Level::Note,
                    "none" => crate::model::Level::None,
                    _ => crate::model::Level::Warning,
                })
            });
        let keep_text = p
            .get("security-severity")
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().parse::<f64>().ok() == Some(score));
        if !keep_text {
            p.insert(
                "security-severity".into(),
                Value::String(super::build::score_text(score)),
            );
        }
    }
}

fn set_text(o: &mut Map<String, Value>, key: &str, text: String) {
    let entry = o.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Some(m) = entry.as_object_mut() {
        m.insert("text".into(), Value::String(text));
    }
}

/// `message.text` from `message.id`, the rule's `messageStrings` and the arguments.
fn flatten_message(r: &mut Value, rules: &[Value]) {
    if text_of(r.get("message")).is_some() {
        return;
    }
    let rule = limits::rule_id(r, rules).and_then(|id| {
        rules
            .iter()
            .find(|x| x.get("id").and_then(Value::as_str) == Some(id))
    });
    let Some(msg) = r.get("message") else { return };
    let id = msg.get("id").and_then(Value::as_str);
    let template = id
        .and_then(|id| {
            rule?.pointer(&format!(
                "/messageStrings/{}",
                id.replace('~', "~0").replace('/', "~1")
            ))
        })
        .and_then(|m| m.get("text"))
        .and_then(Value::as_str);
    let args: Vec<String> = msg
        .get("arguments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let text = match (template, id) {
        (Some(t), _) => {
            let mut s = t.to_string();
            for (i, a) in args.iter().enumerate() {
                s = s.replace(&format!("{{{i}}}"), a);
            }
            s
        }
        (None, Some(id)) if !args.is_empty() => format!("{id}: {}", args.join(", ")),
        (None, Some(id)) => id.to_string(),
        (None, None) => limits::rule_id(r, rules).unwrap_or("result").to_string(),
    };
    if let Some(m) = r.get_mut("message").and_then(Value::as_object_mut) {
        m.insert("text".into(), Value::String(text));
    } else if let Some(o) = r.as_object_mut() {
        o.insert("message".into(), json!({ "text": text }));
    }
}

/// Absolute `file:` URIs under the root become relative to `%SRCROOT%`; locations without a
/// region get `startLine` 1.
fn fix_locations(r: &mut Value, resolver: &PathResolver, artifacts: &[Value]) {
    for key in ["locations", "relatedLocations"] {
        let Some(list) = r.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        for l in list {
            let Some(phys) = l.get_mut("physicalLocation").and_then(Value::as_object_mut) else {
                continue;
            };
            if let Some(Value::Object(art)) = phys.get_mut("artifactLocation") {
                if art.get("uri").is_none()
                    && let Some(loc) = art
                        .get("index")
                        .and_then(Value::as_u64)
                        .and_then(|i| artifacts.get(usize::try_from(i).ok()?))
                        .and_then(|a| a.get("location"))
                        .and_then(Value::as_object)
                {
                    for k in ["uri", "uriBaseId"] {
                        if let Some(v) = loc.get(k) {
                            art.insert(k.into(), v.clone());
                        }
                    }
                }
                let rel = art
                    .get("uri")
                    .and_then(Value::as_str)
                    .and_then(|u| repo_uri(u, resolver));
                if let Some(rel) = rel {
                    art.insert("uri".into(), Value::String(rel));
                    art.insert("uriBaseId".into(), Value::String(super::SRCROOT.into()));
                }
            }
            let needs_line = match phys.get("region") {
                None => true,
                Some(Value::Object(reg)) => {
                    !reg.contains_key("startLine")
                        && !reg.contains_key("charOffset")
                        && !reg.contains_key("byteOffset")
                }
                Some(_) => true,
            };
            if needs_line {
                let reg = phys
                    .entry("region")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !reg.is_object() {
                    *reg = Value::Object(Map::new());
                }
                if let Some(reg) = reg.as_object_mut() {
                    reg.insert("startLine".into(), Value::from(1u64));
                }
            } else if let Some(Value::Object(reg)) = phys.get_mut("region")
                && !reg.contains_key("startLine")
            {
                // GitHub needs a line; an offset-only region is placed on line 1.
                reg.insert("startLine".into(), Value::from(1u64));
            }
        }
    }
}

/// A repository-relative path for an absolute `file:` URI or path: the repository file it
/// names (also when it was written on another machine, see [`PathResolver`]), else the path
/// made relative. `None` for relative URIs (kept) and other schemes.
pub(crate) fn repo_uri(uri: &str, resolver: &PathResolver) -> Option<String> {
    let path = if uri.len() > 5
        && uri
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
    {
        let rest = &uri[5..];
        let rest = rest
            .strip_prefix("//localhost")
            .or_else(|| rest.strip_prefix("//"))
            .unwrap_or(rest);
        let p = super::percent_decode(rest);
        // file:///C:/x names C:/x.
        let b = p.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            p[1..].to_string()
        } else {
            p
        }
    } else if crate::ingest::paths::is_absolute(uri) {
        uri.to_string()
    } else {
        return None;
    };
    let rel = resolver.resolve(&path, &[]);
    if super::is_repo_relative(&rel) {
        Some(rel)
    } else {
        super::build::outside_path(&rel)
    }
}
