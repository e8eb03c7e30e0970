//! Bad input: every case ends in one line on stderr naming the file, the position and what
//! was expected, exit code 2, no panic, and bounded memory.

use crate::support::shipgate;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `inspect` on one file and checks the common contract; returns stderr.
fn fails(path: &Path) -> String {
    let out = shipgate(&["inspect", path.to_str().unwrap()], path.parent().unwrap());
    contract(&out, path)
}

fn contract(out: &Output, path: &Path) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(lines[0].contains(name), "names the file: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `name:line:col:` appears, with these numbers.
fn assert_pos(stderr: &str, name: &str, line: u64, col: u64) {
    let want = format!("{name}:{line}:{col}:");
    assert!(
        stderr.contains(&want),
        "expected position {want} in: {stderr}"
    );
}

const COBERTURA_HEAD: &str = "<?xml version=\"1.0\" ?>\n<coverage line-rate=\"0.5\">\n<sources><source>/src</source></sources>\n<packages><package name=\"p\"><classes>\n<class name=\"a\" filename=\"a.py\"><lines>\n<line number=\"1\" hits=\"1\"/>\n";

#[test]
fn truncated_xml() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "cut.xml", COBERTURA_HEAD.as_bytes());
    let e = fails(&p);
    assert!(e.contains("truncated") || e.contains("end of file"), "{e}");
    assert_pos(&e, "cut.xml", 7, 1);
}

#[test]
fn malformed_xml_mismatched_tag() {
    let d = tempfile::tempdir().unwrap();
    let body =
        format!("{COBERTURA_HEAD}</class></lines></classes></package></packages></coverage>\n");
    let p = write(d.path(), "bad.xml", body.as_bytes());
    let e = fails(&p);
    assert!(e.contains("malformed XML"), "{e}");
    assert_pos(&e, "bad.xml", 7, 1);
}

#[test]
fn bad_number_in_attribute() {
    let d = tempfile::tempdir().unwrap();
    let body = COBERTURA_HEAD.replace("hits=\"1\"", "hits=\"lots\"");
    let p = write(d.path(), "nan.xml", body.as_bytes());
    let e = fails(&p);
    assert!(
        e.contains("hits=\"lots\"") && e.contains("expected a whole number"),
        "{e}"
    );
    assert_pos(&e, "nan.xml", 6, 1);
}

#[test]
fn unknown_format_and_empty_file() {
    let d = tempfile::tempdir().unwrap();
    let e = fails(&write(
        d.path(),
        "notes.txt",
        b"hello, this is not a report\n",
    ));
    assert!(
        e.contains("unknown report format") && e.contains("hello, this is"),
        "{e}"
    );
    let e = fails(&write(d.path(), "empty.xml", b""));
    assert!(e.contains("empty file"), "{e}");
    let e = fails(&write(d.path(), "blank.json", b"  \n\n"));
    assert!(e.contains("empty file"), "{e}");
}

#[test]
fn invalid_utf8() {
    let d = tempfile::tempdir().unwrap();
    let mut body = COBERTURA_HEAD.as_bytes().to_vec();
    let at = body.windows(4).position(|w| w == b"a.py").unwrap();
    body[at] = 0xFF;
    body.extend_from_slice(b"</lines></class></classes></package></packages></coverage>\n");
    let e = fails(&write(d.path(), "latin.xml", &body));
    assert!(e.contains("UTF-8") || e.contains("utf-8"), "{e}");
    assert!(e.contains("latin.xml:5:"), "{e}");

    let e = fails(&write(
        d.path(),
        "latin.info",
        b"TN:\nSF:caf\xE9.c\nDA:1,1\nend_of_record\n",
    ));
    assert!(e.contains("UTF-8"), "{e}");
    assert_pos(&e, "latin.info", 2, 4);
}

#[test]
fn lcov_bad_record() {
    let d = tempfile::tempdir().unwrap();
    let e = fails(&write(
        d.path(),
        "x.info",
        b"TN:\nSF:a.c\nDA:1,1\nDA:two,1\nend_of_record\n",
    ));
    assert!(e.contains("expected DA:<line>,<hits>"), "{e}");
    assert_pos(&e, "x.info", 4, 4);
}

#[test]
fn missing_file_directory_and_empty_glob() {
    let d = tempfile::tempdir().unwrap();
    let e = fails(&d.path().join("nope.xml"));
    assert!(e.contains("cannot read"), "{e}");
    let out = shipgate(&["inspect", "reports/**/*.none"], d.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("matched no file"), "{stderr}");
    std::fs::create_dir(d.path().join("dir.xml")).unwrap();
    let e = fails(&d.path().join("dir.xml"));
    assert!(e.contains("directory"), "{e}");
}

#[test]
fn billion_laughs_is_not_expanded() {
    let d = tempfile::tempdir().unwrap();
    let mut dtd =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE coverage [\n<!ENTITY lol \"lol\">\n");
    dtd.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..10 {
        let prev = format!("&lol{};", i - 1);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
    }
    dtd.push_str("]>\n<coverage line-rate=\"1\"><sources><source>&lol9;</source></sources><packages/></coverage>\n");
    let p = write(d.path(), "laughs.xml", dtd.as_bytes());
    let out = limited(&p, 200);
    let e = contract(&out, &p);
    assert!(e.contains("&lol9;") && e.contains("never expands"), "{e}");
    assert_pos(&e, "laughs.xml", 14, 42);
}

#[test]
fn external_entity_is_not_fetched() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("secret.txt"), "TOP SECRET").unwrap();
    let body = "<?xml version=\"1.0\"?>\n<!DOCTYPE coverage [<!ENTITY xxe SYSTEM \"secret.txt\"><!ENTITY web SYSTEM \"https://example.invalid/x\">]>\n<coverage line-rate=\"1\"><sources><source>&xxe;</source></sources><packages/></coverage>\n";
    let p = write(d.path(), "xxe.xml", body.as_bytes());
    let e = fails(&p);
    assert!(e.contains("&xxe;") && !e.contains("TOP SECRET"), "{e}");
    let attr = body
        .replace("<source>&xxe;</source>", "<source>s</source>")
        .replace(
            "<packages/>",
            "<packages><package name=\"&web;\"/></packages>",
        );
    let p2 = write(d.path(), "xxe-attr.xml", attr.as_bytes());
    // A package name is not read, so the reference there is harmless; it is never fetched.
    let out = shipgate(&["inspect", p2.to_str().unwrap()], d.path());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let cls = body.replace("<source>&xxe;</source>", "<source>s</source>").replace(
        "<packages/>",
        "<packages><package name=\"p\"><classes><class name=\"c\" filename=\"&xxe;\"><lines/></class></classes></package></packages>",
    );
    let e = fails(&write(d.path(), "xxe-class.xml", cls.as_bytes()));
    assert!(e.contains("xxe") && !e.contains("TOP SECRET"), "{e}");
}

/// Runs `inspect` under an address-space limit of `mib` MiB: an unbounded buffer would abort.
fn limited(path: &Path, mib: u64) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" inspect \"$1\"",
            mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_shipgate"))
        .arg(path)
        .current_dir(path.parent().unwrap())
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .unwrap()
}

/// A 2 GB file (sparse: no disk is used) whose XML attribute never ends.
#[test]
fn two_gigabyte_attribute_is_refused_in_bounded_memory() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("huge.xml");
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(b"<?xml version=\"1.0\"?>\n<coverage line-rate=\"1\"><packages><package name=\"p\"><classes><class name=\"c\" filename=\"")
        .unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    let out = limited(&p, 300);
    let e = contract(&out, &p);
    assert!(e.contains("longer than 64 MiB"), "{e}");
}

/// A 2 GB LCOV file that is one endless line.
#[test]
fn two_gigabyte_line_is_refused_in_bounded_memory() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("huge.info");
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(b"TN:\nSF:").unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    let out = limited(&p, 300);
    let e = contract(&out, &p);
    assert!(e.contains("longer than 1024 KiB"), "{e}");
    assert_pos(&e, "huge.info", 2, 1);
}

/// A 2 GB JSON report is refused before it is read.
#[test]
fn two_gigabyte_json_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("huge.sarif");
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(b"{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"message\": {\"text\": \"")
        .unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    let out = limited(&p, 300);
    let e = contract(&out, &p);
    assert!(
        e.contains("2048 MiB") && e.contains("at most 512 MiB"),
        "{e}"
    );
}

#[test]
fn truncated_json() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "cut.sarif",
        b"{\"version\": \"2.1.0\", \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}},\n \"results\": [",
    );
    let e = fails(&p);
    assert!(e.contains("truncated"), "{e}");
    assert!(e.contains("cut.sarif:3:"), "{e}");
}

/// What Windows PowerShell's `>` writes: UTF-16LE with a BOM. Read as text, positions right.
#[test]
fn utf16_reports_are_read_and_errors_placed() {
    let d = tempfile::tempdir().unwrap();
    let text = "TN:\nSF:a.c\nDA:1,1\nDA:2,0\nend_of_record\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let p = write(d.path(), "ps.info", &bytes);
    let out = shipgate(&["inspect", "ps.info"], d.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("lines 50.00% (1/2)"));
    let bad = text.replace("DA:2,0", "DA:x,0");
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(bad.encode_utf16().flat_map(u16::to_be_bytes));
    let p2 = write(d.path(), "ps-bad.info", &bytes);
    let e = fails(&p2);
    assert_pos(&e, "ps-bad.info", 4, 4);
    let _ = p;
}

/// A clean mypy run writes nothing: with the format named it is zero findings, not an error.
#[test]
fn empty_file_with_a_forced_line_format_is_empty() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "mypy.json", b"");
    let out = shipgate(
        &["inspect", "--input-format", "mypy-json", "mypy.json"],
        d.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 findings"));
}

/// A UTF-8 byte-order mark is skipped for every format, not only XML.
#[test]
fn utf8_bom_is_skipped() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "bom.info",
        b"\xEF\xBB\xBFTN:\nSF:a.c\nDA:1,1\nend_of_record\n",
    );
    let out = shipgate(&["inspect", "bom.info"], d.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("lines 100.00% (1/1)"));
}

/// A control character XML forbids is refused in every XML format, with its position.
#[test]
fn nul_character_in_any_xml_format() {
    let d = tempfile::tempdir().unwrap();
    let junit = "<?xml version=\"1.0\"?>\n<testsuite name=\"s\">\n<testcase name=\"a\"><failure>bad\u{0}byte</failure></testcase>\n</testsuite>\n";
    let e = fails(&write(d.path(), "nul.xml", junit.as_bytes()));
    assert!(e.contains("U+0000"), "{e}");
    assert_pos(&e, "nul.xml", 3, 32);
    let cob =
        format!("{COBERTURA_HEAD}</lines></class></classes></package></packages></coverage>\n")
            .replace("<source>/src</source>", "<source>/s\u{1}rc</source>");
    let e = fails(&write(d.path(), "ctl.xml", cob.as_bytes()));
    assert!(e.contains("U+0001"), "{e}");
}
