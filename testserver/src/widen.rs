//! Widening `../shared`'s subset of GitHub's description with the few operations the test server
//! needs beyond it, copied from the full description (npm `@octokit/openapi` 23.0.2, the same
//! package the subset was cut from, installed by `testserver/fetch-openapi.sh`) together with
//! every `#/components/...` entry they reach, transitively. No schema is written by hand: what
//! is added is the full description's own text, minus its `x-octokit` keys as in the subset.
//!
//! Without the full description the subset is used as it is, and [`crate::Server::supports`]
//! tells tests which operations are missing so that they can skip (or fail under `CI=true`).

use serde_json::{Map, Value};

/// The operations added to the subset: method (lower case), path template, operation id.
pub const EXTRA: &[(&str, &str, &str)] = &[
    // Reviewers named by login are looked up for their ids (`environment apply`).
    ("get", "/users/{username}", "users/get-by-username"),
    // Reviewers named by team slug, in the organisation that owns the repository.
    ("get", "/orgs/{org}/teams/{team_slug}", "teams/get-by-name"),
    // `release` updates the release of a tag whose CHANGELOG section changed.
    (
        "patch",
        "/repos/{owner}/{repo}/releases/{release_id}",
        "repos/update-release",
    ),
];

/// Whether `doc` describes `method` on `path`.
fn has(doc: &Value, method: &str, path: &str) -> bool {
    doc.pointer(&format!("/paths/{}/{method}", escape(path)))
        .is_some()
}

/// A JSON pointer token.
fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The value without `x-octokit` keys, at any depth.
fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "x-octokit")
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// Every `#/components/...` reference inside `v`, as (section, name).
fn refs(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str)
                && let Some(rest) = r.strip_prefix("#/components/")
                && let Some((section, name)) = rest.split_once('/')
            {
                out.push((
                    section.to_string(),
                    name.replace("~1", "/").replace("~0", "~"),
                ));
            }
            for x in m.values() {
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Adds the [`EXTRA`] operations `subset` lacks, with the components they reach, from `full`.
/// Returns the operation ids added; an operation `full` lacks too is an error.
pub fn widen(subset: &mut Value, full: &Value) -> Result<Vec<String>, String> {
    let mut added = Vec::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    for (method, path, id) in EXTRA {
        if has(subset, method, path) {
            continue;
        }
        let Some(item) = full.pointer(&format!("/paths/{}", escape(path))) else {
            return Err(format!("the full description has no path {path}"));
        };
        let Some(op) = item.get(*method) else {
            return Err(format!(
                "the full description has no {} {path}",
                method.to_ascii_uppercase()
            ));
        };
        let op = strip(op);
        refs(&op, &mut pending);
        let paths = subset
            .as_object_mut()
            .ok_or("the subset is not an object")?
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or("the subset's `paths` is not an object")?;
        let target = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or("a path item of the subset is not an object")?;
        // Parameters shared by the path's operations come along with the first one taken.
        if let Some(shared) = item.get("parameters")
            && !target.contains_key("parameters")
        {
            let shared = strip(shared);
            refs(&shared, &mut pending);
            target.insert("parameters".into(), shared);
        }
        target.insert(method.to_string(), op);
        added.push(id.to_string());
    }
    while let Some((section, name)) = pending.pop() {
        let exists = subset
            .pointer(&format!("/components/{section}/{}", escape(&name)))
            .is_some();
        if exists {
            continue;
        }
        let Some(def) = full.pointer(&format!("/components/{section}/{}", escape(&name))) else {
            return Err(format!(
                "the full description has no #/components/{section}/{name}"
            ));
        };
        let def = strip(def);
        refs(&def, &mut pending);
        subset
            .as_object_mut()
            .ok_or("the subset is not an object")?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or("the subset's `components` is not an object")?
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or("a components section of the subset is not an object")?
            .insert(name, def);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn copies_the_operation_and_what_it_reaches_once() {
        let full = json!({
            "paths": {
                "/users/{username}": {"get": {
                    "operationId": "users/get-by-username",
                    "x-octokit": {"changes": []},
                    "parameters": [{"$ref": "#/components/parameters/username"}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/public-user"}}}}}
                }},
                "/orgs/{org}/teams/{team_slug}": {"get": {"operationId": "teams/get-by-name", "responses": {}}},
                "/repos/{owner}/{repo}/releases/{release_id}": {
                    "parameters": [{"$ref": "#/components/parameters/owner"}],
                    "patch": {"operationId": "repos/update-release", "responses": {}}
                }
            },
            "components": {
                "parameters": {
                    "username": {"name": "username", "in": "path"},
                    "owner": {"name": "owner", "in": "path", "changed": true}
                },
                "schemas": {
                    "public-user": {"properties": {"plan": {"$ref": "#/components/schemas/plan"}}},
                    "plan": {"type": "object"}
                }
            }
        });
        let mut subset = json!({
            "paths": {"/repos/{owner}/{repo}/releases/{release_id}": {"get": {"operationId": "repos/get-release"}}},
            "components": {"parameters": {"owner": {"name": "owner", "in": "path"}}}
        });
        let added = widen(&mut subset, &full).unwrap();
        assert_eq!(
            added,
            vec![
                "users/get-by-username",
                "teams/get-by-name",
                "repos/update-release"
            ]
        );
        assert!(
            subset
                .pointer("/paths/~1users~1{username}/get/x-octokit")
                .is_none()
        );
        assert_eq!(
            subset["components"]["schemas"]["plan"],
            json!({"type": "object"})
        );
        // What the subset had is kept as it was.
        assert_eq!(
            subset["components"]["parameters"]["owner"],
            json!({"name": "owner", "in": "path"})
        );
        assert!(
            subset
                .pointer("/paths/~1repos~1{owner}~1{repo}~1releases~1{release_id}/get")
                .is_some()
        );
        // Twice: nothing more to add.
        assert_eq!(widen(&mut subset, &full).unwrap(), Vec::<String>::new());
        let mut bare = json!({"paths": {}});
        let err = widen(&mut bare, &json!({"paths": {}})).unwrap_err();
        assert!(err.contains("/users/{username}"), "{err}");
    }
}
