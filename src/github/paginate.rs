//! `Link`-header pagination.

use super::client::{Client, Response};
use super::error::GitHubError;
use serde_json::Value;

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        is_next.then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

impl Client {
    /// Every item of a list, following `Link: rel="next"` with `per_page=100`. `key` names
    /// the array in an envelope (`check_runs`), `None` for a bare array.
    pub async fn get_all(&self, path: &str, key: Option<&str>) -> Result<Vec<Value>, GitHubError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut target = format!("{path}{sep}per_page=100");
        let mut items = Vec::new();
        loop {
            let r: Response = self.get(&target).await?;
            let page = match key {
                Some(k) => r.body.get(k).cloned().unwrap_or(Value::Null),
                None => r.body.clone(),
            };
            if let Value::Array(a) = page {
                items.extend(a);
            }
            match r.header("link").and_then(next_link) {
                Some(next) => target = next,
                None => return Ok(items),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let l = r#"<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=1>; rel="prev", <https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=3>; rel="next", <https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=5>; rel="last""#;
        assert_eq!(
            next_link(l).as_deref(),
            Some("https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=3")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="prev""#), None);
    }
}
