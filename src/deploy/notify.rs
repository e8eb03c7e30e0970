//! Slack-compatible incoming-webhook messages on success, failure and rollback. The URL is a
//! secret (it is the credential): it is never printed, logged or put in an error.

use serde_json::json;

/// What a message says.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// `success`, `failure` or `error`.
    pub state: String,
    /// The environment.
    pub environment: String,
    /// The version, when known.
    pub version: Option<String>,
    /// Seconds taken.
    pub seconds: f64,
    /// The status description.
    pub description: String,
    /// What the rollback did, when it ran.
    pub rollback: Option<String>,
    /// The run's page.
    pub log_url: Option<String>,
    /// The environment's URL.
    pub environment_url: Option<String>,
    /// `owner/name`.
    pub repository: String,
}

impl Message {
    /// The text (Slack mrkdwn; Mattermost and Rocket.Chat read the same `text`).
    pub fn text(&self) -> String {
        let icon = match self.state.as_str() {
            "success" => ":white_check_mark:",
            _ if self.rollback.is_some() => ":rewind:",
            _ => ":x:",
        };
        let what = self
            .version
            .as_deref()
            .map_or_else(String::new, |v| format!(" {v}"));
        let mut s = format!(
            "{icon} {}{what} → *{}*: {} in {:.0} s",
            self.repository, self.environment, self.state, self.seconds
        );
        s.push_str(&format!("\n{}", self.description));
        if let Some(rb) = &self.rollback {
            s.push_str(&format!("\nrollback: {rb}"));
        }
        let mut links = Vec::new();
        if let Some(u) = &self.environment_url {
            links.push(format!("<{u}|environment>"));
        }
        if let Some(u) = &self.log_url {
            links.push(format!("<{u}|run log>"));
        }
        if !links.is_empty() {
            s.push_str(&format!("\n{}", links.join(" · ")));
        }
        s
    }
}

/// Why a message was not delivered (without the URL).
#[derive(Debug, thiserror::Error)]
#[error("notification webhook: {0}")]
pub struct NotifyError(String);

/// Posts the message.
pub async fn send(webhook: &str, m: &Message) -> Result<(), NotifyError> {
    crate::install_crypto_provider();
    let client = reqwest::Client::builder()
        .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| NotifyError(e.without_url().to_string()))?;
    let url = reqwest::Url::parse(webhook)
        .map_err(|_| NotifyError("the URL is not a valid URL".into()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(NotifyError("the URL is not http(s)".into()));
    }
    let r = client
        .post(url)
        .json(&json!({"text": m.text()}))
        .send()
        .await
        .map_err(|e| {
            let e = e.without_url();
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                let t = s.to_string();
                if !t.contains("://") && !msg.contains(&t) {
                    msg.push_str(": ");
                    msg.push_str(&t);
                }
                src = s.source();
            }
            NotifyError(msg)
        })?;
    if !r.status().is_success() {
        return Err(NotifyError(format!("answered {}", r.status().as_u16())));
    }
    Ok(())
}
