//! Writes the large inputs `scripts/bench.sh` measures: a Cobertura file of 5,000 source files
//! (200+ MB), the same coverage as LCOV, and a JUnit file of 100,000 test cases with their
//! captured output (about 200 MB). Deterministic
//! (a fixed-seed generator), so every run measures the same bytes.
//!
//! Usage: cargo run --release --example gen_bench -- OUT_DIR

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const FILES: usize = 5_000;
const LINES_PER_FILE: u32 = 1_000;
const TESTCASES: usize = 100_000;

/// xorshift64*: small, fixed-seed, good enough to vary hits and statuses.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Line {
    number: u32,
    hits: u64,
    branch: Option<(u32, u32)>,
}

fn file_lines(rng: &mut Rng) -> Vec<Line> {
    let mut out = Vec::new();
    let mut n = 0;
    while out.len() < LINES_PER_FILE as usize {
        n += 1 + rng.below(3) as u32;
        let hits = if rng.below(10) < 8 {
            rng.below(500) + 1
        } else {
            0
        };
        let branch = (rng.below(8) == 0).then(|| {
            let total = 2 * (1 + rng.below(2) as u32);
            let covered = if hits == 0 {
                0
            } else {
                rng.below(u64::from(total) + 1) as u32
            };
            (covered, total)
        });
        out.push(Line {
            number: n,
            hits,
            branch,
        });
    }
    out
}

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "bench-data".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut cob = BufWriter::with_capacity(1 << 20, File::create(dir.join("cobertura.xml"))?);
    let mut lcov = BufWriter::with_capacity(1 << 20, File::create(dir.join("lcov.info"))?);
    writeln!(cob, "<?xml version=\"1.0\" ?>")?;
    writeln!(
        cob,
        "<coverage version=\"7.6.1\" timestamp=\"1700000000000\" lines-valid=\"0\" lines-covered=\"0\" line-rate=\"0\" branches-covered=\"0\" branches-valid=\"0\" branch-rate=\"0\" complexity=\"0\">"
    )?;
    writeln!(
        cob,
        "\t<sources>\n\t\t<source>/home/runner/work/app/app</source>\n\t</sources>\n\t<packages>"
    )?;
    let (mut lines_total, mut lines_cov, mut br_total, mut br_cov) = (0u64, 0u64, 0u64, 0u64);
    for f in 0..FILES {
        let pkg = f / 50;
        if f % 50 == 0 {
            if f > 0 {
                writeln!(cob, "\t\t\t</classes>\n\t\t</package>")?;
            }
            writeln!(
                cob,
                "\t\t<package name=\"pkg{pkg}\" line-rate=\"0.8\" branch-rate=\"0.5\" complexity=\"0\">\n\t\t\t<classes>"
            )?;
        }
        let name = format!("src/pkg{pkg}/module_{f}.py");
        writeln!(
            cob,
            "\t\t\t\t<class name=\"module_{f}.py\" filename=\"{name}\" complexity=\"0\" line-rate=\"0.8\" branch-rate=\"0.5\">\n\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>"
        )?;
        writeln!(lcov, "TN:\nSF:{name}")?;
        let lines = file_lines(&mut rng);
        let (mut lf, mut lh, mut brf, mut brh) = (0, 0, 0, 0);
        for l in &lines {
            match l.branch {
                Some((c, t)) => {
                    let pct = c * 100 / t;
                    writeln!(
                        cob,
                        "\t\t\t\t\t\t<line number=\"{}\" hits=\"{}\" branch=\"true\" condition-coverage=\"{pct}% ({c}/{t})\"/>",
                        l.number, l.hits
                    )?;
                }
                None => writeln!(
                    cob,
                    "\t\t\t\t\t\t<line number=\"{}\" hits=\"{}\"/>",
                    l.number, l.hits
                )?,
            }
            writeln!(lcov, "DA:{},{}", l.number, l.hits)?;
            lf += 1;
            lh += u64::from(l.hits > 0);
            if let Some((c, t)) = l.branch {
                for b in 0..t {
                    if l.hits == 0 {
                        writeln!(lcov, "BRDA:{},0,{b},-", l.number)?;
                    } else {
                        writeln!(lcov, "BRDA:{},0,{b},{}", l.number, u32::from(b < c))?;
                    }
                }
                brf += u64::from(t);
                brh += u64::from(c);
            }
        }
        writeln!(cob, "\t\t\t\t\t</lines>\n\t\t\t\t</class>")?;
        writeln!(
            lcov,
            "LF:{lf}\nLH:{lh}\nBRF:{brf}\nBRH:{brh}\nend_of_record"
        )?;
        lines_total += lf;
        lines_cov += lh;
        br_total += brf;
        br_cov += brh;
    }
    writeln!(
        cob,
        "\t\t\t</classes>\n\t\t</package>\n\t</packages>\n</coverage>"
    )?;
    cob.flush()?;
    lcov.flush()?;

    let mut junit = BufWriter::with_capacity(1 << 20, File::create(dir.join("junit.xml"))?);
    writeln!(
        junit,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites name=\"bench\">"
    )?;
    let (mut passed, mut failed, mut errored, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    let per_suite = 100;
    for s in 0..TESTCASES / per_suite {
        writeln!(
            junit,
            "  <testsuite name=\"tests.test_module_{s}\" tests=\"{per_suite}\" time=\"1.5\" timestamp=\"2026-11-22T00:00:00\" hostname=\"runner\">"
        )?;
        for c in 0..per_suite {
            let t = rng.below(2000) as f64 / 1000.0;
            let attrs = format!(
                "classname=\"tests.test_module_{s}.TestClass{}\" name=\"test_case_{c}[param-{}]\" file=\"tests/test_module_{s}.py\" line=\"{}\" time=\"{t:.3}\"",
                c / 10,
                rng.below(1000),
                10 + c * 7
            );
            match rng.below(100) {
                0..=3 => {
                    failed += 1;
                    write!(
                        junit,
                        "    <testcase {attrs}>\n      <failure message=\"AssertionError: assert 41 == 42\">"
                    )?;
                    for frame in 0..12 {
                        write!(
                            junit,
                            "tests/test_module_{s}.py:{}: in test_case_{c}\n    helper_{frame}(value)\nsrc/pkg/module.py:{}: AssertionError\n",
                            10 + frame,
                            100 + frame
                        )?;
                    }
                    writeln!(
                        junit,
                        "</failure>\n      <system-out>captured stdout line &lt;1&gt;</system-out>\n    </testcase>"
                    )?;
                }
                4 => {
                    errored += 1;
                    writeln!(
                        junit,
                        "    <testcase {attrs}>\n      <error message=\"failed on setup with &quot;fixture 'db' not found&quot;\">fixture 'db' not found\n  available fixtures: cache, capsys, tmp_path</error>\n    </testcase>"
                    )?;
                }
                5..=7 => {
                    skipped += 1;
                    writeln!(
                        junit,
                        "    <testcase {attrs}>\n      <skipped type=\"pytest.skip\" message=\"requires network\">tests/test_module_{s}.py:3: requires network</skipped>\n    </testcase>"
                    )?;
                }
                _ => {
                    passed += 1;
                    // Captured output, as pytest's junit_logging=all or Surefire's
                    // redirectTestOutputToFile write it: most of a real report's bytes.
                    write!(junit, "    <testcase {attrs}>\n      <system-out>")?;
                    for l in 0..16 {
                        writeln!(
                            junit,
                            "2026-11-22 00:00:{l:02} INFO tests.test_module_{s}: step {l} of case {c}: request id={} status=200 elapsed_ms={}",
                            rng.below(1_000_000),
                            rng.below(500)
                        )?;
                    }
                    writeln!(junit, "</system-out>\n    </testcase>")?;
                }
            }
        }
        writeln!(junit, "  </testsuite>")?;
    }
    writeln!(junit, "</testsuites>")?;
    junit.flush()?;

    // What the generator wrote, independent of any parser: the bench checks shipgate against it.
    let mut exp = File::create(dir.join("expected.json"))?;
    writeln!(
        exp,
        "{{\"cobertura.xml\": {{\"lines_total\": {lines_total}, \"lines_covered\": {lines_cov}, \"branches_total\": {br_total}, \"branches_covered\": {br_cov}, \"files\": {FILES}}},\n \"lcov.info\": {{\"lines_total\": {lines_total}, \"lines_covered\": {lines_cov}, \"branches_total\": {br_total}, \"branches_covered\": {br_cov}, \"files\": {FILES}}},\n \"junit.xml\": {{\"total\": {TESTCASES}, \"passed\": {passed}, \"failed\": {failed}, \"errored\": {errored}, \"skipped\": {skipped}}}}}"
    )?;
    Ok(())
}
