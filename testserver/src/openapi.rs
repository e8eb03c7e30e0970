//! GitHub's OpenAPI 3.0.3 description: finding it, matching requests to operations, and checking
//! parameters and bodies against its schemas.
//!
//! The validator is written here rather than taken from a JSON Schema crate because the document
//! is OpenAPI 3.0's dialect, not JSON Schema: `nullable`, `$ref` whose siblings are ignored,
//! boolean `exclusiveMinimum`, `example`/`readOnly`/`x-*` keys. The subset uses 15 keywords; a
//! converter to JSON Schema would be as long as this file, and the crates that fit pull in a
//! regex engine with look-around, big-number arithmetic and IDNA tables (slow to build on two
//! cores) for features the description never uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use serde_json::Value;

/// Environment variable naming the OpenAPI file to use, first in the lookup order.
pub const OPENAPI_ENV: &str = "SHIPGATE_GITHUB_OPENAPI";

/// Where the description is looked for, in order; the first file that exists wins.
pub fn candidate_paths() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(OPENAPI_ENV) {
        out.push(PathBuf::from(p));
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    out.push(workspace.join("../shared/github-openapi/subset.json"));
    out.push(full_description_path());
    out
}

/// Where `testserver/fetch-openapi.sh` installs the full description.
pub fn full_description_path() -> PathBuf {
    cache_dir().join("node_modules/@octokit/openapi/generated/api.github.com.json")
}

/// Adds to `doc` (read from `path`) the operations of [`crate::widen::EXTRA`] it lacks, from the
/// full description when it is installed.
fn widen_from_cache(doc: &mut Value, path: &Path) -> Result<Vec<String>, String> {
    let full_path = full_description_path();
    let lacks = crate::widen::EXTRA.iter().any(|(m, p, _)| {
        doc.get("paths")
            .and_then(|x| x.get(*p))
            .and_then(|x| x.get(*m))
            .is_none()
    });
    if !lacks || full_path == path {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&full_path).map_err(|e| {
        format!(
            "{}: {e} (run testserver/fetch-openapi.sh to install @octokit/openapi 23.0.2)",
            full_path.display()
        )
    })?;
    let full: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", full_path.display()))?;
    crate::widen::widen(doc, &full).map_err(|e| format!("{}: {e}", full_path.display()))
}

/// `$SHIPGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/shipgate`, else `$HOME/.cache/shipgate`.
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SHIPGATE_CACHE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("shipgate");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/shipgate")
}

/// A problem found while checking a value against a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted location inside the checked value (`output.annotations`), empty for the root.
    pub at: String,
    /// What is wrong, in words.
    pub message: String,
    /// GitHub's error code for it: `missing_field`, `invalid`, `too_long`...
    pub code: &'static str,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}`: {}", self.at, self.message)
        }
    }
}

/// One operation of the description: a method on a path template.
#[derive(Debug)]
pub struct Operation {
    /// `GET`, `POST`...
    pub method: String,
    /// `/repos/{owner}/{repo}/check-runs`
    pub template: String,
    /// GitHub's `operationId`, `checks/create`.
    pub id: String,
    /// `externalDocs.url`, for `documentation_url` in error bodies.
    pub docs_url: String,
    re: Regex,
    names: Vec<String>,
    literal_len: usize,
    params: Vec<Value>,
    body: Option<(bool, Value)>,
    responses: serde_json::Map<String, Value>,
}

/// How a path and method matched the description.
pub enum Match<'a> {
    /// An operation, with its decoded path parameters.
    Found(&'a Operation, HashMap<String, String>),
    /// The path matches a template but not with this method.
    NoMethod,
    /// No template matches.
    NoPath,
}

/// The parsed description with its operations.
pub struct Spec {
    doc: Value,
    ops: Vec<Operation>,
    /// Where it was read from.
    pub source: PathBuf,
    /// The operations added to it from the full description (`widen.rs`), or why none could be.
    pub widened: Result<Vec<String>, String>,
    patterns: Mutex<HashMap<String, Option<Regex>>>,
}

static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Spec>>>> = OnceLock::new();

/// Why the description could not be had.
#[derive(Debug)]
pub enum SpecError {
    /// None of the candidates exists.
    NotFound(Vec<PathBuf>),
    /// A file exists but is not a usable description.
    Invalid(PathBuf, String),
}

impl std::error::Error for SpecError {}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecError::NotFound(c) => {
                write!(f, "GitHub's OpenAPI description was not found; looked at:")?;
                for p in c {
                    write!(f, " {}", p.display())?;
                }
                write!(
                    f,
                    " (set {OPENAPI_ENV}, or run testserver/fetch-openapi.sh to install @octokit/openapi 23.0.2)"
                )
            }
            SpecError::Invalid(p, why) => write!(f, "{}: {why}", p.display()),
        }
    }
}

impl Spec {
    /// Loads the description from `explicit`, or else from the lookup order; parsed once per
    /// process and path.
    pub fn load(explicit: Option<&Path>) -> Result<Arc<Spec>, SpecError> {
        let candidates = match explicit {
            Some(p) => vec![p.to_path_buf()],
            None => candidate_paths(),
        };
        let Some(path) = candidates.iter().find(|p| p.is_file()).cloned() else {
            return Err(SpecError::NotFound(candidates));
        };
        let cache = CACHE.get_or_init(Default::default);
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = cache.get(&path) {
            return Ok(s.clone());
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| SpecError::Invalid(path.clone(), e.to_string()))?;
        let mut doc: Value = serde_json::from_str(&text)
            .map_err(|e| SpecError::Invalid(path.clone(), e.to_string()))?;
        let widened = widen_from_cache(&mut doc, &path);
        let mut spec = Spec::from_value(doc, path.clone())?;
        spec.widened = widened;
        let spec = Arc::new(spec);
        cache.insert(path, spec.clone());
        Ok(spec)
    }

    fn from_value(doc: Value, source: PathBuf) -> Result<Spec, SpecError> {
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return Err(SpecError::Invalid(source, "no `paths` object".into()));
        };
        let mut ops = Vec::new();
        for (template, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let shared: Vec<Value> = item
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (method, op) in item {
                if !matches!(
                    method.as_str(),
                    "get" | "put" | "post" | "delete" | "patch" | "head" | "options"
                ) {
                    continue;
                }
                let mut params: Vec<Value> = Vec::new();
                for p in shared.iter().chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                ) {
                    let p = resolve_in(&doc, p).clone();
                    // An operation's parameter overrides a path-level one of the same name.
                    params.retain(|q| q.get("name") != p.get("name") || q.get("in") != p.get("in"));
                    params.push(p);
                }
                // Values of parameters marked `x-multi-segment` may hold slashes (`feature/x`).
                let multi: Vec<&str> = params
                    .iter()
                    .filter(|p| p.get("x-multi-segment").and_then(Value::as_bool) == Some(true))
                    .filter_map(|p| p.get("name").and_then(Value::as_str))
                    .collect();
                let (re, names, literal_len) = template_regex(template, &multi);
                let body = op.get("requestBody").map(|b| {
                    let b = resolve_in(&doc, b);
                    let required = b.get("required").and_then(Value::as_bool).unwrap_or(false);
                    let schema = b
                        .pointer("/content/application~1json/schema")
                        .cloned()
                        .unwrap_or(Value::Bool(true));
                    (required, schema)
                });
                ops.push(Operation {
                    method: method.to_ascii_uppercase(),
                    template: template.clone(),
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    docs_url: op
                        .pointer("/externalDocs/url")
                        .and_then(Value::as_str)
                        .unwrap_or("https://docs.github.com/rest")
                        .to_string(),
                    re,
                    names,
                    literal_len,
                    params,
                    body,
                    responses: op
                        .get("responses")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default(),
                });
            }
        }
        Ok(Spec {
            doc,
            ops,
            source,
            widened: Ok(Vec::new()),
            patterns: Mutex::new(HashMap::new()),
        })
    }

    /// Finds the operation for a method and a path (without query, without `/api/v3`).
    pub fn find(&self, method: &str, path: &str) -> Match<'_> {
        let mut best: Option<(&Operation, HashMap<String, String>)> = None;
        let mut path_matched = false;
        for op in &self.ops {
            let Some(caps) = op.re.captures(path) else {
                continue;
            };
            path_matched = true;
            if op.method != method {
                continue;
            }
            if best
                .as_ref()
                .is_some_and(|(b, _)| b.literal_len >= op.literal_len)
            {
                continue;
            }
            let mut params = HashMap::new();
            for (i, name) in op.names.iter().enumerate() {
                let raw = caps.get(i + 1).map_or("", |m| m.as_str());
                params.insert(name.clone(), percent_decode(raw));
            }
            best = Some((op, params));
        }
        match best {
            Some((op, params)) => Match::Found(op, params),
            None if path_matched => Match::NoMethod,
            None => Match::NoPath,
        }
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.ops.iter().find(|o| o.id == id)
    }

    /// Checks path and query parameters. Path values that fail make GitHub answer 404, query
    /// values 422; the caller decides from `Problem::at` (`path.x` or `query.x`).
    pub fn check_params(
        &self,
        op: &Operation,
        path: &HashMap<String, String>,
        query: &[(String, String)],
    ) -> Vec<Problem> {
        let mut out = Vec::new();
        for p in &op.params {
            let (Some(name), Some(place)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let schema = p.get("schema").cloned().unwrap_or(Value::Bool(true));
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            let value = match place {
                "path" => path.get(name).map(String::as_str),
                "query" => query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str()),
                _ => continue,
            };
            let at = format!("{place}.{name}");
            match value {
                None if required => out.push(Problem {
                    at,
                    message: "is required".into(),
                    code: "missing_field",
                }),
                None => {}
                Some(raw) => {
                    let v = self.coerce(&schema, raw);
                    self.check(&schema, &v, &at, &mut out, 0);
                }
            }
        }
        for (k, _) in query {
            let known = op.params.iter().any(|p| {
                p.get("in").and_then(Value::as_str) == Some("query")
                    && p.get("name").and_then(Value::as_str) == Some(k.as_str())
            });
            if !known {
                out.push(Problem {
                    at: format!("query.{k}"),
                    message: "is not a documented query parameter of this operation".into(),
                    code: "invalid",
                });
            }
        }
        out
    }

    /// Checks a request body (`None` when the request had none).
    pub fn check_body(&self, op: &Operation, body: Option<&Value>) -> Vec<Problem> {
        let mut out = Vec::new();
        match (&op.body, body) {
            (None, None) => {}
            (None, Some(_)) => out.push(Problem {
                at: String::new(),
                message: "this operation takes no request body".into(),
                code: "invalid",
            }),
            (Some((true, _)), None) => out.push(Problem {
                at: String::new(),
                message: "a JSON request body is required".into(),
                code: "missing",
            }),
            (Some((false, _)), None) => {}
            (Some((_, schema)), Some(v)) => self.check(schema, v, "", &mut out, 0),
        }
        out
    }

    /// Whether `status` is one of the operation's documented responses.
    pub fn documents_status(&self, op: &Operation, status: u16) -> bool {
        self.response_for(op, status).is_some()
    }

    fn response_for<'a>(&'a self, op: &'a Operation, status: u16) -> Option<&'a Value> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        op.responses
            .get(&exact)
            .or_else(|| op.responses.get(&range))
            .or_else(|| op.responses.get("default"))
            .map(|r| self.resolve(r))
    }

    /// Checks a response the server is about to send. Statuses that GitHub sends from any
    /// endpoint without documenting them (authentication, rate limits, validation, outages) are
    /// accepted when their body is GitHub's error shape.
    pub fn check_response(
        &self,
        op: &Operation,
        status: u16,
        body: Option<&Value>,
    ) -> Vec<Problem> {
        let mut out = Vec::new();
        let Some(resp) = self.response_for(op, status) else {
            if matches!(
                status,
                400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500..=599
            ) {
                if let Some(schema) = self.doc.pointer("/components/schemas/basic-error") {
                    match body {
                        Some(b) => self.check(schema, b, "", &mut out, 0),
                        None => out.push(Problem {
                            at: String::new(),
                            message: "an error response needs a body".into(),
                            code: "missing",
                        }),
                    }
                }
                return out;
            }
            out.push(Problem {
                at: String::new(),
                message: format!("status {status} is not documented for {}", op.id),
                code: "invalid",
            });
            return out;
        };
        let schema = resp.pointer("/content/application~1json/schema");
        match (schema, body) {
            (Some(s), Some(b)) => self.check(s, b, "", &mut out, 0),
            (Some(_), None) => out.push(Problem {
                at: String::new(),
                message: format!("status {status} documents a JSON body but none is sent"),
                code: "missing",
            }),
            (None, Some(b)) if status == 204 || status == 304 => out.push(Problem {
                at: String::new(),
                message: format!("status {status} has no body but {} is sent", short(b)),
                code: "invalid",
            }),
            (None, _) => {}
        }
        out
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        resolve_in(&self.doc, v)
    }

    fn coerce(&self, schema: &Value, raw: &str) -> Value {
        let schema = self.resolve(schema);
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => raw
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(raw.into())),
            Some("number") => raw
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(raw.into())),
            Some("boolean") => match raw {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(raw.into()),
            },
            Some("array") => {
                let item = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                Value::Array(raw.split(',').map(|s| self.coerce(&item, s)).collect())
            }
            _ => Value::String(raw.into()),
        }
    }

    /// Checks `v` against `schema` (OpenAPI 3.0 dialect), appending what is wrong to `out`.
    pub fn check(&self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Problem>, depth: u32) {
        if depth > 64 {
            return;
        }
        let schema = match schema {
            Value::Bool(false) => {
                out.push(problem(at, "is not allowed here", "invalid"));
                return;
            }
            Value::Object(_) => self.resolve(schema),
            _ => return,
        };
        let Some(s) = schema.as_object() else { return };
        if v.is_null() {
            if s.get("nullable").and_then(Value::as_bool) == Some(true) {
                return;
            }
            if s.contains_key("type") {
                out.push(problem(at, "must not be null", "invalid"));
                return;
            }
        }
        if let Some(t) = s.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "boolean" => v.is_boolean(),
                "number" => v.is_number(),
                "integer" => {
                    v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
                }
                _ => true,
            };
            if !ok {
                out.push(problem(
                    at,
                    &format!("expected {} {t}, found {}", article(t), kind_of(v)),
                    "invalid",
                ));
                return;
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            if !options.contains(v) {
                let list: Vec<String> = options.iter().map(short).collect();
                out.push(problem(
                    at,
                    &format!("{} is not one of {}", short(v), list.join(", ")),
                    "invalid",
                ));
            }
        }
        match v {
            Value::String(text) => self.check_string(s, text, at, out),
            Value::Number(n) => check_number(s, n, at, out),
            Value::Array(items) => {
                let len = items.len() as u64;
                if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
                    if len > max {
                        out.push(problem(
                            at,
                            &format!("has {len} items; the maximum is {max}"),
                            "too_long",
                        ));
                    }
                }
                if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
                    if len < min {
                        out.push(problem(
                            at,
                            &format!("has {len} items; the minimum is {min}"),
                            "invalid",
                        ));
                    }
                }
                if let Some(item) = s.get("items") {
                    for (i, x) in items.iter().enumerate() {
                        self.check(item, x, &format!("{at}[{i}]"), out, depth + 1);
                    }
                }
            }
            Value::Object(map) => {
                if let Some(req) = s.get("required").and_then(Value::as_array) {
                    for name in req.iter().filter_map(Value::as_str) {
                        if !map.contains_key(name) {
                            out.push(problem(&join(at, name), "is missing", "missing_field"));
                        }
                    }
                }
                let props = s.get("properties").and_then(Value::as_object);
                for (k, x) in map {
                    match props.and_then(|p| p.get(k)) {
                        Some(ps) => self.check(ps, x, &join(at, k), out, depth + 1),
                        None => match s.get("additionalProperties") {
                            Some(Value::Bool(false)) => out.push(problem(
                                &join(at, k),
                                "is not a known property here",
                                "invalid",
                            )),
                            Some(extra @ Value::Object(_)) => {
                                self.check(extra, x, &join(at, k), out, depth + 1)
                            }
                            _ => {}
                        },
                    }
                }
            }
            _ => {}
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, v, at, out, depth + 1);
            }
        }
        for (key, exactly_one) in [("anyOf", false), ("oneOf", true)] {
            let Some(alts) = s.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut best: Option<Vec<Problem>> = None;
            let mut passing = 0;
            for sub in alts {
                let mut p = Vec::new();
                self.check(sub, v, at, &mut p, depth + 1);
                if p.is_empty() {
                    passing += 1;
                } else if best.as_ref().is_none_or(|b| p.len() < b.len()) {
                    best = Some(p);
                }
            }
            if passing == 0 {
                out.push(problem(
                    at,
                    &format!("matches none of the {} alternatives ({key})", alts.len()),
                    "invalid",
                ));
                out.extend(best.unwrap_or_default());
            } else if exactly_one && passing > 1 {
                out.push(problem(
                    at,
                    &format!("matches {passing} of the oneOf alternatives, not exactly one"),
                    "invalid",
                ));
            }
        }
        if let Some(not) = s.get("not") {
            let mut p = Vec::new();
            self.check(not, v, at, &mut p, depth + 1);
            if p.is_empty() {
                out.push(problem(
                    at,
                    "matches a schema it must not match (not)",
                    "invalid",
                ));
            }
        }
    }

    fn check_string(
        &self,
        s: &serde_json::Map<String, Value>,
        text: &str,
        at: &str,
        out: &mut Vec<Problem>,
    ) {
        let max = s.get("maxLength").and_then(Value::as_u64);
        let min = s.get("minLength").and_then(Value::as_u64);
        if max.is_some() || min.is_some() {
            let len = text.chars().count() as u64;
            if let Some(max) = max.filter(|m| len > *m) {
                out.push(problem(
                    at,
                    &format!("is too long ({len} characters; the maximum is {max})"),
                    "too_long",
                ));
            }
            if let Some(min) = min.filter(|m| len < *m) {
                out.push(problem(
                    at,
                    &format!("is too short ({len} characters; the minimum is {min})"),
                    "invalid",
                ));
            }
        }
        if let Some(pat) = s.get("pattern").and_then(Value::as_str) {
            let mut cache = self.patterns.lock().unwrap_or_else(|e| e.into_inner());
            // A pattern the regex crate cannot compile (look-around) is not checked.
            let re = cache
                .entry(pat.to_string())
                .or_insert_with(|| Regex::new(pat).ok());
            if let Some(re) = re {
                if !re.is_match(text) {
                    out.push(problem(
                        at,
                        &format!("{} does not match the pattern {pat}", short_str(text)),
                        "invalid",
                    ));
                }
            }
        }
        if s.get("format").and_then(Value::as_str) == Some("date-time") && !is_date_time(text) {
            out.push(problem(
                at,
                &format!("{} is not an ISO 8601 date-time", short_str(text)),
                "invalid",
            ));
        }
    }
}

fn check_number(
    s: &serde_json::Map<String, Value>,
    n: &serde_json::Number,
    at: &str,
    out: &mut Vec<Problem>,
) {
    let Some(x) = n.as_f64() else { return };
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if x < min || (exclusive("exclusiveMinimum") && x == min) {
            out.push(problem(
                at,
                &format!("{n} is below the minimum {min}"),
                "invalid",
            ));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if x > max || (exclusive("exclusiveMaximum") && x == max) {
            out.push(problem(
                at,
                &format!("{n} is above the maximum {max}"),
                "invalid",
            ));
        }
    }
}

fn resolve_in<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut cur = v;
    // References to references are followed a bounded number of times.
    for _ in 0..16 {
        match cur.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(t) => cur = t,
                None => return &Value::Bool(true),
            },
            None => return cur,
        }
    }
    cur
}

fn template_regex(template: &str, multi: &[&str]) -> (Regex, Vec<String>, usize) {
    let mut re = String::from("^");
    let mut names = Vec::new();
    let mut literal_len = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let lit = &rest[..open];
        re.push_str(&regex::escape(lit));
        literal_len += lit.len();
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if multi.contains(&name) {
            re.push_str("(.+)");
        } else {
            re.push_str("([^/]+)");
        }
        names.push(name.to_string());
        rest = &rest[open + close + 1..];
    }
    re.push_str(&regex::escape(rest));
    literal_len += rest.len();
    re.push('$');
    let re = Regex::new(&re).unwrap_or_else(|_| Regex::new("^$").expect("a valid regex"));
    (re, names, literal_len)
}

/// Decodes `%XX` escapes; invalid escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string into decoded pairs (`+` is a space).
pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    let Some(q) = q else { return Vec::new() };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
}

fn problem(at: &str, message: &str, code: &'static str) -> Problem {
    Problem {
        at: at.to_string(),
        message: message.to_string(),
        code,
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn article(t: &str) -> &'static str {
    if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", short_str(s)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => short_str(s),
        other => {
            let t = other.to_string();
            if t.len() > 60 {
                format!("{}…", clip(&t, 60))
            } else {
                t
            }
        }
    }
}

fn clip(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn short_str(s: &str) -> String {
    if s.len() > 60 {
        format!("\"{}…\"", clip(s, 60))
    } else {
        format!("\"{s}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        let doc = json!({
            "paths": {
                "/repos/{owner}/{repo}/commits/{ref}/status": {"get": {"operationId": "a",
                    "parameters": [{"name": "ref", "in": "path", "x-multi-segment": true}]}},
                "/repos/{owner}/{repo}/issues/comments": {"get": {"operationId": "b"}},
                "/repos/{owner}/{repo}/issues/{issue_number}/comments": {"get": {"operationId": "c"}}
            },
            "components": {"schemas": {"u": {"type": "object", "nullable": true, "required": ["id"],
                "properties": {"id": {"type": "integer"}}}}}
        });
        Spec::from_value(doc, PathBuf::from("t")).expect("spec")
    }

    #[test]
    fn templates_match_slashes_only_where_github_allows_them() {
        let s = spec();
        match s.find("GET", "/repos/o/r/commits/feature/x/status") {
            Match::Found(op, p) => {
                assert_eq!(op.id, "a");
                assert_eq!(p["ref"], "feature/x");
            }
            _ => panic!("no match"),
        }
        assert!(
            matches!(s.find("GET", "/repos/o/r/issues/comments"), Match::Found(op, _) if op.id == "b")
        );
        assert!(matches!(
            s.find("POST", "/repos/o/r/issues/comments"),
            Match::NoMethod
        ));
        assert!(matches!(s.find("GET", "/repos/o/r/nope"), Match::NoPath));
    }

    #[test]
    fn nullable_refs_and_types() {
        let s = spec();
        let schema = json!({"$ref": "#/components/schemas/u"});
        let mut out = Vec::new();
        s.check(&schema, &Value::Null, "", &mut out, 0);
        s.check(&schema, &json!({"id": 3}), "", &mut out, 0);
        assert!(out.is_empty(), "{out:?}");
        s.check(&schema, &json!({"id": "x"}), "", &mut out, 0);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].at, "id");
    }

    #[test]
    fn percent_decoding_and_queries() {
        assert_eq!(percent_decode("main...feature%2Fx"), "main...feature/x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(
            parse_query(Some("per_page=100&since=2020-01-01T00%3A00%3A00Z")),
            vec![
                ("per_page".to_string(), "100".to_string()),
                ("since".to_string(), "2020-01-01T00:00:00Z".to_string())
            ]
        );
    }
}
