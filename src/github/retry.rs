//! The one retry policy: what to wait after which failure, and when to give up.

use super::error::{GitHubError, RateLimit};
use std::time::{Duration, Instant};

/// How failed requests are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The longest time spent on one logical request, waits included; a wait that would end
    /// after it is not started.
    pub max_total: Duration,
    /// Attempts at most, the first included.
    pub max_attempts: u32,
    /// First backoff after a 5xx or transport error; doubled each time.
    pub base_delay: Duration,
    /// Longest single backoff.
    pub max_delay: Duration,
    /// Wait after a secondary rate limit that gives no `retry-after` (GitHub says one minute).
    pub secondary_default: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_total: Duration::from_secs(300),
            max_attempts: 10,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            secondary_default: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy with the total time bounded by `SHIPGATE_RETRY_MAX_SECONDS` and the
    /// first backoff set by `SHIPGATE_RETRY_BASE_MS`, when given.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> RetryPolicy {
        let mut p = RetryPolicy::default();
        if let Some(s) =
            var("SHIPGATE_RETRY_MAX_SECONDS").and_then(|v| v.trim().parse::<f64>().ok())
            && s >= 0.0
        {
            p.max_total = Duration::from_secs_f64(s);
        }
        if let Some(ms) = var("SHIPGATE_RETRY_BASE_MS").and_then(|v| v.trim().parse::<u64>().ok()) {
            p.base_delay = Duration::from_millis(ms);
            p.max_delay = p.max_delay.max(p.base_delay);
        }
        p
    }

    /// A fresh backoff state for one logical request.
    pub fn start(&self) -> Backoff {
        Backoff {
            policy: self.clone(),
            started: Instant::now(),
            attempts: 0,
        }
    }
}

/// The retry state of one logical request.
#[derive(Debug)]
pub struct Backoff {
    policy: RetryPolicy,
    started: Instant,
    attempts: u32,
}

impl Backoff {
    /// Attempts failed so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How long to wait before the next attempt after `e`, or `None` to give up (the error is
    /// not retryable, the attempts are spent, or the wait would end past the time bound).
    pub fn next_delay(&mut self, e: &GitHubError) -> Option<Duration> {
        self.attempts += 1;
        if !e.retryable() || self.attempts >= self.policy.max_attempts {
            return None;
        }
        let delay = match e {
            GitHubError::RateLimited { kind, retry_in, .. } => match (kind, retry_in) {
                (_, Some(d)) => *d,
                (RateLimit::Secondary, None) => self.policy.secondary_default,
                (RateLimit::Primary, None) => self.policy.max_delay,
            },
            _ => {
                let exp = self
                    .policy
                    .base_delay
                    .saturating_mul(1u32 << (self.attempts - 1).min(16))
                    .min(self.policy.max_delay);
                // Jitter: somewhere in the upper half, so parallel jobs spread out.
                exp / 2 + exp.mul_f64(jitter() / 2.0)
            }
        };
        if self.started.elapsed() + delay > self.policy.max_total {
            return None;
        }
        Some(delay)
    }

    /// Sleeps before the next attempt after `e`; `Err` with the error wrapped (attempts and
    /// time spent) when giving up.
    pub async fn wait(&mut self, e: GitHubError) -> Result<(), GitHubError> {
        match self.next_delay(&e) {
            Some(d) => {
                tracing::info!("{e}; retrying in {:.1} s", d.as_secs_f64());
                tokio::time::sleep(d).await;
                Ok(())
            }
            None if self.attempts <= 1 && !e.retryable() => Err(e),
            None => Err(GitHubError::GaveUp {
                last: Box::new(e),
                attempts: self.attempts,
                spent: self.started.elapsed(),
            }),
        }
    }
}

/// A number in [0, 1) from std's randomly keyed hasher (no random-number crate needed for
/// jitter).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> GitHubError {
        GitHubError::Server {
            status: 502,
            method: "GET".into(),
            path: "/x".into(),
        }
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        let p = RetryPolicy {
            max_total: Duration::from_secs(10),
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            secondary_default: Duration::from_secs(60),
        };
        let mut b = p.start();
        let d1 = b.next_delay(&server()).unwrap();
        assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
        let d2 = b.next_delay(&server()).unwrap();
        assert!(d2 >= Duration::from_millis(100) && d2 <= Duration::from_millis(200));
        let d3 = b.next_delay(&server()).unwrap();
        assert!(d3 >= Duration::from_millis(150) && d3 <= Duration::from_millis(300));
        b.next_delay(&server()).unwrap();
        assert_eq!(b.next_delay(&server()), None, "5 attempts at most");
        // A secondary limit's retry-after is honoured, and refused past the bound.
        let mut b = p.start();
        let rl = |s| GitHubError::RateLimited {
            kind: RateLimit::Secondary,
            retry_in: Some(Duration::from_secs(s)),
            method: "POST".into(),
            path: "/x".into(),
            message: String::new(),
        };
        assert_eq!(b.next_delay(&rl(3)), Some(Duration::from_secs(3)));
        assert_eq!(b.next_delay(&rl(30)), None);
        let nf = GitHubError::NotFound {
            method: "GET".into(),
            path: "/x".into(),
            message: String::new(),
        };
        assert_eq!(p.start().next_delay(&nf), None);
    }
}
