//! The OASIS SARIF 2.1.0 JSON schema (errata 01) that `sarif validate` checks logs against,
//! written as Rust: every constraint of the published schema (types, `$ref`s, required
//! members, closed objects, enums, patterns, formats, minimums, item rules, `anyOf`/`oneOf`
//! on required members, defaults), without its descriptions. [`sarif_schema`] builds the JSON
//! Schema (draft-04) value the validator compiles.
//!
//! Why in Rust: the binary must carry the schema, and the published file is not part of any
//! package shipgate builds from (serde-sarif's source carries a reworked draft-07 variant of
//! it, which a build cannot reach portably). A test (`tests/it/sarif.rs`,
//! `embedded_schema_is_the_oasis_one`) compares this value with the published file, minus
//! descriptions and titles, whenever a copy of the file is at hand
//! (`../shared/schemas/sarif-2.1.0.json`), so a transcription error cannot go unnoticed.

use serde_json::{Map, Value, json};

/// The draft the schema is written in.
const DRAFT_04: &str = "http://json-schema.org/draft-04/schema#";
/// The schema's own id, as published by OASIS.
const ID: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// A schema node being built.
#[derive(Default)]
struct S(Map<String, Value>);

/// A reference to a definition.
fn r(def: &str) -> S {
    S::default().set("$ref", Value::String(format!("#/definitions/{def}")))
}

/// A node of one type.
fn t(ty: &str) -> S {
    S::default().set("type", Value::String(ty.into()))
}

/// A node of any of several types.
fn ts(types: &[&str]) -> S {
    S::default().set("type", strings(types))
}

fn strings(list: &[&str]) -> Value {
    Value::Array(list.iter().map(|s| Value::String((*s).into())).collect())
}

impl S {
    fn set(mut self, k: &str, v: Value) -> S {
        self.0.insert(k.into(), v);
        self
    }
    fn props(self, list: Vec<(&str, S)>) -> S {
        let m: Map<String, Value> = list
            .into_iter()
            .map(|(k, s)| (k.to_string(), Value::Object(s.0)))
            .collect();
        self.set("properties", Value::Object(m))
    }
    fn required(self, names: &[&str]) -> S {
        self.set("required", strings(names))
    }
    fn additional(self, allowed: bool) -> S {
        self.set("additionalProperties", Value::Bool(allowed))
    }
    fn additional_schema(self, s: S) -> S {
        self.set("additionalProperties", Value::Object(s.0))
    }
    fn items(self, s: S) -> S {
        self.set("items", Value::Object(s.0))
    }
    fn min_items(self, n: u64) -> S {
        self.set("minItems", Value::from(n))
    }
    fn unique(self, u: bool) -> S {
        self.set("uniqueItems", Value::Bool(u))
    }
    fn default_value(self, v: Value) -> S {
        self.set("default", v)
    }
    fn min(self, v: Value) -> S {
        self.set("minimum", v)
    }
    fn max(self, v: Value) -> S {
        self.set("maximum", v)
    }
    fn pattern(self, p: &str) -> S {
        self.set("pattern", Value::String(p.into()))
    }
    fn format(self, f: &str) -> S {
        self.set("format", Value::String(f.into()))
    }
    fn one_of_values(self, values: &[&str]) -> S {
        self.set("enum", strings(values))
    }
    fn alternatives(self, key: &str, sets: &[&[&str]]) -> S {
        let list = sets
            .iter()
            .map(|names| Value::Object(S::default().required(names).0))
            .collect();
        self.set(key, Value::Array(list))
    }
    fn any_of_required(self, sets: &[&[&str]]) -> S {
        self.alternatives("anyOf", sets)
    }
    fn one_of_required(self, sets: &[&[&str]]) -> S {
        self.alternatives("oneOf", sets)
    }
}

/// The SARIF 2.1.0 schema as a JSON Schema value.
pub fn sarif_schema() -> Value {
    let mut root = root();
    root.0
        .insert("$schema".into(), Value::String(DRAFT_04.into()));
    root.0.insert("id".into(), Value::String(ID.into()));
    let defs: Map<String, Value> = definitions()
        .into_iter()
        .map(|(k, s)| (k.to_string(), Value::Object(s.0)))
        .collect();
    root.0.insert("definitions".into(), Value::Object(defs));
    Value::Object(root.0)
}

/// The log itself.
#[rustfmt::skip]
fn root() -> S {
    t("object")
        .props(vec![
            ("$schema", t("string").format("uri")),
            ("version", t("string").one_of_values(&["2.1.0"])),
            (
                "runs",
                ts(&["array", "null"])
                    .items(r("run"))
                    .min_items(0)
                    .unique(false),
            ),
            (
                "inlineExternalProperties",
                t("array")
                    .items(r("externalProperties"))
                    .min_items(0)
                    .unique(true),
            ),
            ("properties", r("propertyBag")),
        ])
        .required(&["version", "runs"])
        .additional(false)
}

/// The definitions, in the order of the published schema (one member a line).
#[rustfmt::skip]
fn definitions() -> Vec<(&'static str, S)> {
    vec![
("address", t("object").props(vec![
("absoluteAddress", t("integer").default_value(json!(-1)).min(json!(-1))),
("relativeAddress", t("integer")),
("length", t("integer")),
("kind", t("string")),
("name", t("string")),
("fullyQualifiedName", t("string")),
("offsetFromParent", t("integer")),
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("parentIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("properties", r("propertyBag")),
]).additional(false)),
("artifact", t("object").props(vec![
("description", r("message")),
("location", r("artifactLocation")),
("parentIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("offset", t("integer").min(json!(0))),
("length", t("integer").default_value(json!(-1)).min(json!(-1))),
("roles", t("array").items(t("string").one_of_values(&["analysisTarget", "attachment", "responseFile", "resultFile", "standardStream", "tracedFile", "unmodified", "modified", "added", "deleted", "renamed", "uncontrolled", "driver", "extension", "translation", "taxonomy", "policy", "referencedOnCommandLine", "memoryContents", "directory", "userSpecifiedConfiguration", "toolSpecifiedConfiguration", "debugOutputFile"])).min_items(0).unique(true).default_value(json!([]))),
("mimeType", t("string").pattern("[^/]+/.+")),
("contents", r("artifactContent")),
("encoding", t("string")),
("sourceLanguage", t("string")),
("hashes", t("object").additional_schema(t("string"))),
("lastModifiedTimeUtc", t("string").format("date-time")),
("properties", r("propertyBag")),
]).additional(false)),
("artifactChange", t("object").props(vec![
("artifactLocation", r("artifactLocation")),
("replacements", t("array").items(r("replacement")).min_items(1).unique(false)),
("properties", r("propertyBag")),
]).required(&["artifactLocation", "replacements"]).additional(false)),
("artifactContent", t("object").props(vec![
("text", t("string")),
("binary", t("string")),
("rendered", r("multiformatMessageString")),
("properties", r("propertyBag")),
]).additional(false)),
("artifactLocation", t("object").props(vec![
("uri", t("string").format("uri-reference")),
("uriBaseId", t("string")),
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("description", r("message")),
("properties", r("propertyBag")),
]).additional(false)),
("attachment", t("object").props(vec![
("description", r("message")),
("artifactLocation", r("artifactLocation")),
("regions", t("array").items(r("region")).min_items(0).unique(true).default_value(json!([]))),
("rectangles", t("array").items(r("rectangle")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["artifactLocation"]).additional(false)),
("codeFlow", t("object").props(vec![
("message", r("message")),
("threadFlows", t("array").items(r("threadFlow")).min_items(1).unique(false)),
("properties", r("propertyBag")),
]).required(&["threadFlows"]).additional(false)),
("configurationOverride", t("object").props(vec![
("configuration", r("reportingConfiguration")),
("descriptor", r("reportingDescriptorReference")),
("properties", r("propertyBag")),
]).required(&["configuration", "descriptor"]).additional(false)),
("conversion", t("object").props(vec![
("tool", r("tool")),
("invocation", r("invocation")),
("analysisToolLogFiles", t("array").items(r("artifactLocation")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["tool"]).additional(false)),
("edge", t("object").props(vec![
("id", t("string")),
("label", r("message")),
("sourceNodeId", t("string")),
("targetNodeId", t("string")),
("properties", r("propertyBag")),
]).required(&["id", "sourceNodeId", "targetNodeId"]).additional(false)),
("edgeTraversal", t("object").props(vec![
("edgeId", t("string")),
("message", r("message")),
("finalState", t("object").additional_schema(r("multiformatMessageString"))),
("stepOverEdgeCount", t("integer").min(json!(0))),
("properties", r("propertyBag")),
]).required(&["edgeId"]).additional(false)),
("exception", t("object").props(vec![
("kind", t("string")),
("message", t("string")),
("stack", r("stack")),
("innerExceptions", t("array").items(r("exception")).min_items(0).unique(false).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("externalProperties", t("object").props(vec![
("schema", t("string").format("uri")),
("version", t("string").one_of_values(&["2.1.0"])),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("runGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("conversion", r("conversion")),
("graphs", t("array").items(r("graph")).min_items(0).unique(true).default_value(json!([]))),
("externalizedProperties", r("propertyBag")),
("artifacts", t("array").items(r("artifact")).min_items(0).unique(true)),
("invocations", t("array").items(r("invocation")).min_items(0).unique(false).default_value(json!([]))),
("logicalLocations", t("array").items(r("logicalLocation")).min_items(0).unique(true).default_value(json!([]))),
("threadFlowLocations", t("array").items(r("threadFlowLocation")).min_items(0).unique(true).default_value(json!([]))),
("results", t("array").items(r("result")).min_items(0).unique(false).default_value(json!([]))),
("taxonomies", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("driver", r("toolComponent")),
("extensions", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("policies", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("translations", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("addresses", t("array").items(r("address")).min_items(0).unique(false).default_value(json!([]))),
("webRequests", t("array").items(r("webRequest")).min_items(0).unique(true).default_value(json!([]))),
("webResponses", t("array").items(r("webResponse")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("externalPropertyFileReference", t("object").props(vec![
("location", r("artifactLocation")),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("itemCount", t("integer").default_value(json!(-1)).min(json!(-1))),
("properties", r("propertyBag")),
]).additional(false).any_of_required(&[&["location"], &["guid"]])),
("externalPropertyFileReferences", t("object").props(vec![
("conversion", r("externalPropertyFileReference")),
("graphs", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("externalizedProperties", r("externalPropertyFileReference")),
("artifacts", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("invocations", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("logicalLocations", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("threadFlowLocations", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("results", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("taxonomies", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("addresses", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("driver", r("externalPropertyFileReference")),
("extensions", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("policies", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("translations", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("webRequests", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("webResponses", t("array").items(r("externalPropertyFileReference")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("fix", t("object").props(vec![
("description", r("message")),
("artifactChanges", t("array").items(r("artifactChange")).min_items(1).unique(true)),
("properties", r("propertyBag")),
]).required(&["artifactChanges"]).additional(false)),
("graph", t("object").props(vec![
("description", r("message")),
("nodes", t("array").items(r("node")).min_items(0).unique(true).default_value(json!([]))),
("edges", t("array").items(r("edge")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("graphTraversal", t("object").props(vec![
("runGraphIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("resultGraphIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("description", r("message")),
("initialState", t("object").additional_schema(r("multiformatMessageString"))),
("immutableState", t("object").additional_schema(r("multiformatMessageString"))),
("edgeTraversals", t("array").items(r("edgeTraversal")).min_items(0).unique(false).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false).one_of_required(&[&["runGraphIndex"], &["resultGraphIndex"]])),
("invocation", t("object").props(vec![
("commandLine", t("string")),
("arguments", t("array").items(t("string")).min_items(0).unique(false)),
("responseFiles", t("array").items(r("artifactLocation")).min_items(0).unique(true)),
("startTimeUtc", t("string").format("date-time")),
("endTimeUtc", t("string").format("date-time")),
("exitCode", t("integer")),
("ruleConfigurationOverrides", t("array").items(r("configurationOverride")).min_items(0).unique(true).default_value(json!([]))),
("notificationConfigurationOverrides", t("array").items(r("configurationOverride")).min_items(0).unique(true).default_value(json!([]))),
("toolExecutionNotifications", t("array").items(r("notification")).min_items(0).unique(false).default_value(json!([]))),
("toolConfigurationNotifications", t("array").items(r("notification")).min_items(0).unique(false).default_value(json!([]))),
("exitCodeDescription", t("string")),
("exitSignalName", t("string")),
("exitSignalNumber", t("integer")),
("processStartFailureMessage", t("string")),
("executionSuccessful", t("boolean")),
("machine", t("string")),
("account", t("string")),
("processId", t("integer")),
("executableLocation", r("artifactLocation")),
("workingDirectory", r("artifactLocation")),
("environmentVariables", t("object").additional_schema(t("string"))),
("stdin", r("artifactLocation")),
("stdout", r("artifactLocation")),
("stderr", r("artifactLocation")),
("stdoutStderr", r("artifactLocation")),
("properties", r("propertyBag")),
]).required(&["executionSuccessful"]).additional(false)),
("location", t("object").props(vec![
("id", t("integer").default_value(json!(-1)).min(json!(-1))),
("physicalLocation", r("physicalLocation")),
("logicalLocations", t("array").items(r("logicalLocation")).min_items(0).unique(true).default_value(json!([]))),
("message", r("message")),
("annotations", t("array").items(r("region")).min_items(0).unique(true).default_value(json!([]))),
("relationships", t("array").items(r("locationRelationship")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("locationRelationship", t("object").props(vec![
("target", t("integer").min(json!(0))),
("kinds", t("array").items(t("string")).unique(true).default_value(json!(["relevant"]))),
("description", r("message")),
("properties", r("propertyBag")),
]).required(&["target"]).additional(false)),
("logicalLocation", t("object").props(vec![
("name", t("string")),
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("fullyQualifiedName", t("string")),
("decoratedName", t("string")),
("parentIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("kind", t("string")),
("properties", r("propertyBag")),
]).additional(false)),
("message", t("object").props(vec![
("text", t("string")),
("markdown", t("string")),
("id", t("string")),
("arguments", t("array").items(t("string")).min_items(0).unique(false).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false).any_of_required(&[&["text"], &["id"]])),
("multiformatMessageString", t("object").props(vec![
("text", t("string")),
("markdown", t("string")),
("properties", r("propertyBag")),
]).required(&["text"]).additional(false)),
("node", t("object").props(vec![
("id", t("string")),
("label", r("message")),
("location", r("location")),
("children", t("array").items(r("node")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["id"]).additional(false)),
("notification", t("object").props(vec![
("locations", t("array").items(r("location")).min_items(0).unique(true).default_value(json!([]))),
("message", r("message")),
("level", t("string").default_value(json!("warning")).one_of_values(&["none", "note", "warning", "error"])),
("threadId", t("integer")),
("timeUtc", t("string").format("date-time")),
("exception", r("exception")),
("descriptor", r("reportingDescriptorReference")),
("associatedRule", r("reportingDescriptorReference")),
("properties", r("propertyBag")),
]).required(&["message"]).additional(false)),
("physicalLocation", t("object").props(vec![
("address", r("address")),
("artifactLocation", r("artifactLocation")),
("region", r("region")),
("contextRegion", r("region")),
("properties", r("propertyBag")),
]).additional(false).any_of_required(&[&["address"], &["artifactLocation"]])),
("propertyBag", t("object").props(vec![
("tags", t("array").items(t("string")).min_items(0).unique(true).default_value(json!([]))),
]).additional(true)),
("rectangle", t("object").props(vec![
("top", t("number")),
("left", t("number")),
("bottom", t("number")),
("right", t("number")),
("message", r("message")),
("properties", r("propertyBag")),
]).additional(false)),
("region", t("object").props(vec![
("startLine", t("integer").min(json!(1))),
("startColumn", t("integer").min(json!(1))),
("endLine", t("integer").min(json!(1))),
("endColumn", t("integer").min(json!(1))),
("charOffset", t("integer").default_value(json!(-1)).min(json!(-1))),
("charLength", t("integer").min(json!(0))),
("byteOffset", t("integer").default_value(json!(-1)).min(json!(-1))),
("byteLength", t("integer").min(json!(0))),
("snippet", r("artifactContent")),
("message", r("message")),
("sourceLanguage", t("string")),
("properties", r("propertyBag")),
]).additional(false).any_of_required(&[&["startLine"], &["charOffset"], &["byteOffset"]])),
("replacement", t("object").props(vec![
("deletedRegion", r("region")),
("insertedContent", r("artifactContent")),
("properties", r("propertyBag")),
]).required(&["deletedRegion"]).additional(false)),
("reportingDescriptor", t("object").props(vec![
("id", t("string")),
("deprecatedIds", t("array").items(t("string")).min_items(0).unique(true)),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("deprecatedGuids", t("array").items(t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")).min_items(0).unique(true)),
("name", t("string")),
("deprecatedNames", t("array").items(t("string")).min_items(0).unique(true)),
("shortDescription", r("multiformatMessageString")),
("fullDescription", r("multiformatMessageString")),
("messageStrings", t("object").additional_schema(r("multiformatMessageString"))),
("defaultConfiguration", r("reportingConfiguration")),
("helpUri", t("string").format("uri")),
("help", r("multiformatMessageString")),
("relationships", t("array").items(r("reportingDescriptorRelationship")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["id"]).additional(false)),
("reportingConfiguration", t("object").props(vec![
("enabled", t("boolean").default_value(json!(true))),
("level", t("string").default_value(json!("warning")).one_of_values(&["none", "note", "warning", "error"])),
("rank", t("number").default_value(json!(-1.0)).min(json!(-1.0)).max(json!(100.0))),
("parameters", r("propertyBag")),
("properties", r("propertyBag")),
]).additional(false)),
("reportingDescriptorReference", t("object").props(vec![
("id", t("string")),
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("toolComponent", r("toolComponentReference")),
("properties", r("propertyBag")),
]).additional(false).any_of_required(&[&["index"], &["guid"], &["id"]])),
("reportingDescriptorRelationship", t("object").props(vec![
("target", r("reportingDescriptorReference")),
("kinds", t("array").items(t("string")).unique(true).default_value(json!(["relevant"]))),
("description", r("message")),
("properties", r("propertyBag")),
]).required(&["target"]).additional(false)),
("result", t("object").props(vec![
("ruleId", t("string")),
("ruleIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("rule", r("reportingDescriptorReference")),
("kind", t("string").default_value(json!("fail")).one_of_values(&["notApplicable", "pass", "fail", "review", "open", "informational"])),
("level", t("string").default_value(json!("warning")).one_of_values(&["none", "note", "warning", "error"])),
("message", r("message")),
("analysisTarget", r("artifactLocation")),
("locations", t("array").items(r("location")).min_items(0).unique(false).default_value(json!([]))),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("correlationGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("occurrenceCount", t("integer").min(json!(1))),
("partialFingerprints", t("object").additional_schema(t("string"))),
("fingerprints", t("object").additional_schema(t("string"))),
("stacks", t("array").items(r("stack")).min_items(0).unique(true).default_value(json!([]))),
("codeFlows", t("array").items(r("codeFlow")).min_items(0).unique(false).default_value(json!([]))),
("graphs", t("array").items(r("graph")).min_items(0).unique(true).default_value(json!([]))),
("graphTraversals", t("array").items(r("graphTraversal")).min_items(0).unique(true).default_value(json!([]))),
("relatedLocations", t("array").items(r("location")).min_items(0).unique(true).default_value(json!([]))),
("suppressions", t("array").items(r("suppression")).min_items(0).unique(true)),
("baselineState", t("string").one_of_values(&["new", "unchanged", "updated", "absent"])),
("rank", t("number").default_value(json!(-1.0)).min(json!(-1.0)).max(json!(100.0))),
("attachments", t("array").items(r("attachment")).min_items(0).unique(true).default_value(json!([]))),
("hostedViewerUri", t("string").format("uri")),
("workItemUris", t("array").items(t("string").format("uri")).min_items(0).unique(true)),
("provenance", r("resultProvenance")),
("fixes", t("array").items(r("fix")).min_items(0).unique(true).default_value(json!([]))),
("taxa", t("array").items(r("reportingDescriptorReference")).min_items(0).unique(true).default_value(json!([]))),
("webRequest", r("webRequest")),
("webResponse", r("webResponse")),
("properties", r("propertyBag")),
]).required(&["message"]).additional(false)),
("resultProvenance", t("object").props(vec![
("firstDetectionTimeUtc", t("string").format("date-time")),
("lastDetectionTimeUtc", t("string").format("date-time")),
("firstDetectionRunGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("lastDetectionRunGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("invocationIndex", t("integer").default_value(json!(-1)).min(json!(-1))),
("conversionSources", t("array").items(r("physicalLocation")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("run", t("object").props(vec![
("tool", r("tool")),
("invocations", t("array").items(r("invocation")).min_items(0).unique(false).default_value(json!([]))),
("conversion", r("conversion")),
("language", t("string").default_value(json!("en-US")).pattern("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$")),
("versionControlProvenance", t("array").items(r("versionControlDetails")).min_items(0).unique(true).default_value(json!([]))),
("originalUriBaseIds", t("object").additional_schema(r("artifactLocation"))),
("artifacts", t("array").items(r("artifact")).min_items(0).unique(true)),
("logicalLocations", t("array").items(r("logicalLocation")).min_items(0).unique(true).default_value(json!([]))),
("graphs", t("array").items(r("graph")).min_items(0).unique(true).default_value(json!([]))),
("results", t("array").items(r("result")).min_items(0).unique(false)),
("automationDetails", r("runAutomationDetails")),
("runAggregates", t("array").items(r("runAutomationDetails")).min_items(0).unique(true).default_value(json!([]))),
("baselineGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("redactionTokens", t("array").items(t("string")).min_items(0).unique(true).default_value(json!([]))),
("defaultEncoding", t("string")),
("defaultSourceLanguage", t("string")),
("newlineSequences", t("array").items(t("string")).min_items(1).unique(true).default_value(json!(["\r\n", "\n"]))),
("columnKind", t("string").one_of_values(&["utf16CodeUnits", "unicodeCodePoints"])),
("externalPropertyFileReferences", r("externalPropertyFileReferences")),
("threadFlowLocations", t("array").items(r("threadFlowLocation")).min_items(0).unique(true).default_value(json!([]))),
("taxonomies", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("addresses", t("array").items(r("address")).min_items(0).unique(false).default_value(json!([]))),
("translations", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("policies", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("webRequests", t("array").items(r("webRequest")).min_items(0).unique(true).default_value(json!([]))),
("webResponses", t("array").items(r("webResponse")).min_items(0).unique(true).default_value(json!([]))),
("specialLocations", r("specialLocations")),
("properties", r("propertyBag")),
]).required(&["tool"]).additional(false)),
("runAutomationDetails", t("object").props(vec![
("description", r("message")),
("id", t("string")),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("correlationGuid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("properties", r("propertyBag")),
]).additional(false)),
("specialLocations", t("object").props(vec![
("displayBase", r("artifactLocation")),
("properties", r("propertyBag")),
]).additional(false)),
("stack", t("object").props(vec![
("message", r("message")),
("frames", t("array").items(r("stackFrame")).min_items(0).unique(false)),
("properties", r("propertyBag")),
]).required(&["frames"]).additional(false)),
("stackFrame", t("object").props(vec![
("location", r("location")),
("module", t("string")),
("threadId", t("integer")),
("parameters", t("array").items(t("string").default_value(json!([]))).min_items(0).unique(false).default_value(json!([]))),
("properties", r("propertyBag")),
]).additional(false)),
("suppression", t("object").props(vec![
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("kind", t("string").one_of_values(&["inSource", "external"])),
("status", t("string").one_of_values(&["accepted", "underReview", "rejected"])),
("justification", t("string")),
("location", r("location")),
("properties", r("propertyBag")),
]).required(&["kind"]).additional(false)),
("threadFlow", t("object").props(vec![
("id", t("string")),
("message", r("message")),
("initialState", t("object").additional_schema(r("multiformatMessageString"))),
("immutableState", t("object").additional_schema(r("multiformatMessageString"))),
("locations", t("array").items(r("threadFlowLocation")).min_items(1).unique(false)),
("properties", r("propertyBag")),
]).required(&["locations"]).additional(false)),
("threadFlowLocation", t("object").props(vec![
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("location", r("location")),
("stack", r("stack")),
("kinds", t("array").items(t("string")).min_items(0).unique(true).default_value(json!([]))),
("taxa", t("array").items(r("reportingDescriptorReference")).min_items(0).unique(true).default_value(json!([]))),
("module", t("string")),
("state", t("object").additional_schema(r("multiformatMessageString"))),
("nestingLevel", t("integer").min(json!(0))),
("executionOrder", t("integer").default_value(json!(-1)).min(json!(-1))),
("executionTimeUtc", t("string").format("date-time")),
("importance", t("string").default_value(json!("important")).one_of_values(&["important", "essential", "unimportant"])),
("webRequest", r("webRequest")),
("webResponse", r("webResponse")),
("properties", r("propertyBag")),
]).additional(false)),
("tool", t("object").props(vec![
("driver", r("toolComponent")),
("extensions", t("array").items(r("toolComponent")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["driver"]).additional(false)),
("toolComponent", t("object").props(vec![
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("name", t("string")),
("organization", t("string")),
("product", t("string")),
("productSuite", t("string")),
("shortDescription", r("multiformatMessageString")),
("fullDescription", r("multiformatMessageString")),
("fullName", t("string")),
("version", t("string")),
("semanticVersion", t("string")),
("dottedQuadFileVersion", t("string").pattern(r#"[0-9]+(\.[0-9]+){3}"#)),
("releaseDateUtc", t("string")),
("downloadUri", t("string").format("uri")),
("informationUri", t("string").format("uri")),
("globalMessageStrings", t("object").additional_schema(r("multiformatMessageString"))),
("notifications", t("array").items(r("reportingDescriptor")).min_items(0).unique(true).default_value(json!([]))),
("rules", t("array").items(r("reportingDescriptor")).min_items(0).unique(true).default_value(json!([]))),
("taxa", t("array").items(r("reportingDescriptor")).min_items(0).unique(true).default_value(json!([]))),
("locations", t("array").items(r("artifactLocation")).min_items(0).default_value(json!([]))),
("language", t("string").default_value(json!("en-US")).pattern("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$")),
("contents", t("array").items(t("string").one_of_values(&["localizedData", "nonLocalizedData"])).unique(true).default_value(json!(["localizedData", "nonLocalizedData"]))),
("isComprehensive", t("boolean").default_value(json!(false))),
("localizedDataSemanticVersion", t("string")),
("minimumRequiredLocalizedDataSemanticVersion", t("string")),
("associatedComponent", r("toolComponentReference")),
("translationMetadata", r("translationMetadata")),
("supportedTaxonomies", t("array").items(r("toolComponentReference")).min_items(0).unique(true).default_value(json!([]))),
("properties", r("propertyBag")),
]).required(&["name"]).additional(false)),
("toolComponentReference", t("object").props(vec![
("name", t("string")),
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("guid", t("string").pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")),
("properties", r("propertyBag")),
]).additional(false)),
("translationMetadata", t("object").props(vec![
("name", t("string")),
("fullName", t("string")),
("shortDescription", r("multiformatMessageString")),
("fullDescription", r("multiformatMessageString")),
("downloadUri", t("string").format("uri")),
("informationUri", t("string").format("uri")),
("properties", r("propertyBag")),
]).required(&["name"]).additional(false)),
("versionControlDetails", t("object").props(vec![
("repositoryUri", t("string").format("uri")),
("revisionId", t("string")),
("branch", t("string")),
("revisionTag", t("string")),
("asOfTimeUtc", t("string").format("date-time")),
("mappedTo", r("artifactLocation")),
("properties", r("propertyBag")),
]).required(&["repositoryUri"]).additional(false)),
("webRequest", t("object").props(vec![
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("protocol", t("string")),
("version", t("string")),
("target", t("string")),
("method", t("string")),
("headers", t("object").additional_schema(t("string"))),
("parameters", t("object").additional_schema(t("string"))),
("body", r("artifactContent")),
("properties", r("propertyBag")),
]).additional(false)),
("webResponse", t("object").props(vec![
("index", t("integer").default_value(json!(-1)).min(json!(-1))),
("protocol", t("string")),
("version", t("string")),
("statusCode", t("integer")),
("reasonPhrase", t("string")),
("headers", t("object").additional_schema(t("string"))),
("body", r("artifactContent")),
("noResponseReceived", t("boolean").default_value(json!(false))),
("properties", r("propertyBag")),
]).additional(false)),
]
}
