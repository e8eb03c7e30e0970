//! Health checks: the smoke test a deployment ends with.
//!
//! Each URL is probed until it is healthy or the overall deadline passes. A URL is healthy when
//! `probes` probes in a row pass (status in the expected set, body regex, JSON fields) and the
//! 95th percentile of their latencies (nearest rank) is within the budget. A failed probe or a
//! p95 over budget starts the count again, after `interval`. URLs are checked concurrently,
//! each against the same deadline.

use regex::Regex;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A set of HTTP status codes: `200-299,301`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet(Vec<(u16, u16)>);

impl Default for StatusSet {
    fn default() -> Self {
        StatusSet(vec![(200, 299)])
    }
}

impl StatusSet {
    /// Parses `200`, `200-299`, `200,204,301-302`.
    pub fn parse(s: &str) -> Result<StatusSet, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let num = |x: &str| {
                x.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|n| (100..=599).contains(n))
            };
            match (num(a), num(b)) {
                (Some(a), Some(b)) if a <= b => out.push((a, b)),
                _ => {
                    return Err(format!(
                        "`{part}`: expected a status code 100-599 or a range like 200-299"
                    ));
                }
            }
        }
        if out.is_empty() {
            return Err("expected status codes, like 200-299,301".into());
        }
        Ok(StatusSet(out))
    }

    /// Whether `code` is in the set.
    pub fn contains(&self, code: u16) -> bool {
        self.0.iter().any(|&(a, b)| (a..=b).contains(&code))
    }
}

impl std::fmt::Display for StatusSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// A JSON field the body must have: `path=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonCheck {
    /// Dotted path (`checks.db.status`, `items.0.name`) or JSON pointer (`/checks/db/status`).
    pub path: String,
    /// The expected value: a string's text, or the JSON text of any other value (`true`, `3`).
    pub expected: String,
}

impl JsonCheck {
    /// Parses `path=value`.
    pub fn parse(s: &str) -> Result<JsonCheck, String> {
        match s.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => Ok(JsonCheck {
                path: p.trim().to_string(),
                expected: v.to_string(),
            }),
            _ => Err(format!(
                "`{s}`: expected PATH=VALUE, like status=ok or checks.db.healthy=true"
            )),
        }
    }

    fn pointer(&self) -> String {
        if self.path.starts_with('/') {
            self.path.clone()
        } else {
            self.path
                .split('.')
                .map(|seg| format!("/{}", seg.replace('~', "~0").replace('/', "~1")))
                .collect()
        }
    }

    /// `None` when the document passes, else why not.
    fn check(&self, doc: &serde_json::Value) -> Option<String> {
        let Some(v) = doc.pointer(&self.pointer()) else {
            return Some(format!("JSON field `{}` is absent", self.path));
        };
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        (text != self.expected).then(|| {
            format!(
                "JSON field `{}` is {}, expected {:?}",
                self.path,
                cut(&v.to_string(), 80),
                self.expected
            )
        })
    }
}

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Statuses that pass.
    pub expect: StatusSet,
    /// A regex the body must match.
    pub body_regex: Option<Regex>,
    /// JSON fields the body must have.
    pub json: Vec<JsonCheck>,
    /// Pause between probes.
    pub interval: Duration,
    /// Overall time allowed per URL, from the start.
    pub deadline: Duration,
    /// Time allowed for one request.
    pub timeout: Duration,
    /// Passing probes in a row needed (the latency sample).
    pub probes: u32,
    /// Budget for the p95 of the probes' latencies.
    pub p95_budget: Option<Duration>,
    /// PEM file of the CA certificates to trust instead of the system's roots.
    pub ca_file: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            expect: StatusSet::default(),
            body_regex: None,
            json: Vec::new(),
            interval: Duration::from_secs(5),
            deadline: Duration::from_secs(120),
            timeout: Duration::from_secs(10),
            probes: 1,
            p95_budget: None,
            ca_file: None,
        }
    }
}

/// Why checking could not start.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    /// The CA file is unreadable or holds no certificate.
    #[error("{path}: {reason}")]
    CaFile {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A URL is not an http(s) URL.
    #[error("`{url}`: not an http:// or https:// URL: {reason}")]
    BadUrl {
        /// The URL (credentials removed).
        url: String,
        /// Why.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The result for one URL.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UrlReport {
    /// The URL, credentials removed.
    pub url: String,
    /// Whether it became healthy before the deadline.
    pub healthy: bool,
    /// Probes sent.
    pub attempts: u32,
    /// The status of the last answer.
    pub last_status: Option<u16>,
    /// Why the last probe (or the last latency sample) failed.
    pub reason: Option<String>,
    /// p50 of the passing sample, in milliseconds.
    pub p50_ms: Option<u64>,
    /// p95 of the passing sample, in milliseconds.
    pub p95_ms: Option<u64>,
    /// Time from the first probe to the verdict, in milliseconds.
    pub elapsed_ms: u64,
}

/// The result for all URLs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Whether every URL is healthy.
    pub healthy: bool,
    /// One per URL, in the order given.
    pub urls: Vec<UrlReport>,
}

impl Report {
    /// One line per URL.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for u in &self.urls {
            if u.healthy {
                s.push_str(&format!(
                    "healthy   {} (status {}, {} probe(s), p50 {} ms, p95 {} ms, {} ms)\n",
                    u.url,
                    u.last_status.map_or("-".into(), |c| c.to_string()),
                    u.attempts,
                    u.p50_ms.unwrap_or(0),
                    u.p95_ms.unwrap_or(0),
                    u.elapsed_ms
                ));
            } else {
                s.push_str(&format!(
                    "unhealthy {} after {} probe(s) in {} ms: {}\n",
                    u.url,
                    u.attempts,
                    u.elapsed_ms,
                    u.reason.as_deref().unwrap_or("unknown")
                ));
            }
        }
        s
    }

    /// A short reason for a deployment status description.
    pub fn failure_summary(&self) -> Option<String> {
        let bad: Vec<&UrlReport> = self.urls.iter().filter(|u| !u.healthy).collect();
        let first = bad.first()?;
        Some(format!(
            "health check failed: {}: {}",
            first.url,
            first.reason.as_deref().unwrap_or("unknown")
        ))
    }
}

/// The 95th percentile by nearest rank (the smallest sample with at least 95% at or below it).
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// The URL without user and password.
pub fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.to_string()
        }
        Err(_) => url.to_string(),
    }
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// The error and its causes on one line (reqwest's own message is generic).
fn error_text(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut s = String::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            if !s.is_empty() {
                s.push_str(": ");
            }
            s.push_str(&t);
        }
        cur = c.source();
    }
    // reqwest puts the URL in its message; the shown URL is printed beside it anyway.
    s
}

/// Builds the client: rustls with the system's roots, or only the CA file's.
pub fn client(opts: &Options) -> Result<reqwest::Client, HealthError> {
    crate::install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION"), " health"))
        .timeout(opts.timeout);
    if let Some(p) = &opts.ca_file {
        let err = |reason: String| HealthError::CaFile {
            path: p.display().to_string(),
            reason,
        };
        let pem = std::fs::read(p).map_err(|e| err(format!("cannot read: {e}")))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| err(format!("not a PEM certificate bundle: {e}")))?;
        if certs.is_empty() {
            return Err(err(
                "holds no certificate (expected PEM `-----BEGIN CERTIFICATE-----` blocks)".into(),
            ));
        }
        b = b.tls_certs_only(certs);
    }
    b.build().map_err(|e| HealthError::Client(error_text(&e)))
}

/// Checks every URL; the report says which are healthy.
pub async fn check(urls: &[String], opts: &Options) -> Result<Report, HealthError> {
    for u in urls {
        let bad = |reason: String| HealthError::BadUrl {
            url: shown_url(u),
            reason,
        };
        let parsed = reqwest::Url::parse(u).map_err(|e| bad(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(format!("scheme `{}`", parsed.scheme())));
        }
    }
    let client = client(opts)?;
    let opts = Arc::new(opts.clone());
    let mut set = tokio::task::JoinSet::new();
    for (i, u) in urls.iter().enumerate() {
        let (client, opts, u) = (client.clone(), opts.clone(), u.clone());
        set.spawn(async move { (i, check_one(&client, &u, &opts).await) });
    }
    let mut out: Vec<Option<UrlReport>> = vec![None; urls.len()];
    while let Some(r) = set.join_next().await {
        if let Ok((i, rep)) = r {
            out[i] = Some(rep);
        }
    }
    let urls: Vec<UrlReport> = out
        .into_iter()
        .zip(urls)
        .map(|(r, u)| {
            r.unwrap_or_else(|| UrlReport {
                url: shown_url(u),
                healthy: false,
                attempts: 0,
                last_status: None,
                reason: Some("the check stopped unexpectedly".into()),
                p50_ms: None,
                p95_ms: None,
                elapsed_ms: 0,
            })
        })
        .collect();
    Ok(Report {
        healthy: urls.iter().all(|u| u.healthy),
        urls,
    })
}

/// One probe: the status and, when it passes every check, its latency.
async fn probe(
    client: &reqwest::Client,
    url: &str,
    opts: &Options,
    timeout: Duration,
) -> (Option<u16>, Result<Duration, String>) {
    let t0 = Instant::now();
    let resp = match client.get(url).timeout(timeout).send().await {
        Ok(r) => r,
        Err(e) => return (None, Err(error_text(&e))),
    };
    let code = resp.status().as_u16();
    let need_body = opts.body_regex.is_some() || !opts.json.is_empty();
    let body = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return (
                Some(code),
                Err(format!("reading the body: {}", error_text(&e))),
            );
        }
    };
    let latency = t0.elapsed();
    if !opts.expect.contains(code) {
        return (
            Some(code),
            Err(format!("status {code}, expected {}", opts.expect)),
        );
    }
    if need_body {
        let text = String::from_utf8_lossy(&body);
        if let Some(re) = &opts.body_regex
            && !re.is_match(&text)
        {
            return (
                Some(code),
                Err(format!("body does not match /{}/", re.as_str())),
            );
        }
        if !opts.json.is_empty() {
            let doc: serde_json::Value = match serde_json::from_slice(&body) {
                Ok(d) => d,
                Err(e) => return (Some(code), Err(format!("body is not JSON: {e}"))),
            };
            for c in &opts.json {
                if let Some(why) = c.check(&doc) {
                    return (Some(code), Err(why));
                }
            }
        }
    }
    (Some(code), Ok(latency))
}

async fn check_one(client: &reqwest::Client, url: &str, opts: &Options) -> UrlReport {
    let start = Instant::now();
    let end = start + opts.deadline;
    let need = opts.probes.max(1) as usize;
    let mut sample: Vec<Duration> = Vec::new();
    let mut rep = UrlReport {
        url: shown_url(url),
        healthy: false,
        attempts: 0,
        last_status: None,
        reason: None,
        p50_ms: None,
        p95_ms: None,
        elapsed_ms: 0,
    };
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let timeout = opts.timeout.min(left).max(Duration::from_millis(50));
        rep.attempts += 1;
        let (code, res) = probe(client, url, opts, timeout).await;
        rep.last_status = code;
        match res {
            Ok(lat) => {
                sample.push(lat);
                if sample.len() >= need {
                    sample.sort();
                    let p95 = percentile(&sample, 95.0).unwrap_or_default();
                    let p50 = percentile(&sample, 50.0).unwrap_or_default();
                    rep.p95_ms = Some(p95.as_millis() as u64);
                    rep.p50_ms = Some(p50.as_millis() as u64);
                    match opts.p95_budget {
                        Some(budget) if p95 > budget => {
                            rep.reason = Some(format!(
                                "p95 latency {} ms over the budget of {} ms ({} probes)",
                                p95.as_millis(),
                                budget.as_millis(),
                                sample.len()
                            ));
                            sample.clear();
                        }
                        _ => {
                            rep.healthy = true;
                            rep.reason = None;
                            break;
                        }
                    }
                }
            }
            Err(why) => {
                sample.clear();
                // A probe cut short by the deadline says less than the failure before it.
                let cut_short = timeout < opts.timeout && why == "timed out";
                if !(cut_short && rep.reason.is_some()) {
                    rep.reason = Some(why);
                }
            }
        }
        if Instant::now() + opts.interval >= end {
            break;
        }
        tokio::time::sleep(opts.interval).await;
    }
    rep.elapsed_ms = start.elapsed().as_millis() as u64;
    if !rep.healthy {
        rep.p50_ms = rep.p50_ms.filter(|_| false);
        rep.p95_ms = rep.p95_ms.filter(|_| false);
        if rep.reason.is_none() {
            rep.reason = Some("deadline passed".into());
        }
    }
    rep
}

/// Parses a duration: `250ms`, `5s`, `2m`, `1h`, or a number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}`: expected a duration like 500ms, 5s, 2m or 1h"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("`{s}`: unknown unit `{unit}`; use ms, s, m or h")),
    };
    if !secs.is_finite() || !(0.0..=86_400.0 * 7.0).contains(&secs) {
        return Err(format!("`{s}`: expected a duration from 0 to 7 days"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_sets() {
        let s = StatusSet::parse("200-299, 301").unwrap();
        assert!(s.contains(204) && s.contains(301) && !s.contains(302) && !s.contains(500));
        assert_eq!(s.to_string(), "200-299,301");
        for bad in ["", "abc", "299-200", "600", "20"] {
            assert!(StatusSet::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        // Nearest rank over 1..=20 ms: p95 is the 19th value, p50 the 10th.
        let v: Vec<Duration> = (1..=20).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 95.0), Some(Duration::from_millis(19)));
        assert_eq!(percentile(&v, 50.0), Some(Duration::from_millis(10)));
        let one = [Duration::from_millis(7)];
        assert_eq!(percentile(&one, 95.0), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 95.0), None);
    }

    #[test]
    fn json_fields() {
        let doc: serde_json::Value = serde_json::from_str(
            r#"{"status":"ok","checks":{"db":{"up":true,"n":3}},"items":[{"name":"a/b"}]}"#,
        )
        .unwrap();
        let ok = |s: &str| JsonCheck::parse(s).unwrap().check(&doc);
        assert_eq!(ok("status=ok"), None);
        assert_eq!(ok("checks.db.up=true"), None);
        assert_eq!(ok("/checks/db/n=3"), None);
        assert_eq!(ok("items.0.name=a/b"), None);
        assert_eq!(
            ok("status=down").unwrap(),
            "JSON field `status` is \"ok\", expected \"down\""
        );
        assert!(ok("nope=1").unwrap().contains("absent"));
        assert!(JsonCheck::parse("=x").is_err());
    }

    #[test]
    fn durations_and_urls() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert!(parse_duration("3 weeks").is_err());
        assert_eq!(
            shown_url("https://user:secret@example.com/health"),
            "https://example.com/health"
        );
    }
}
