//! The big-model build row of `cargo xtask bench`: the crate generated for the largest
//! restJson1 practice model (`restjson1/connect.json`, 282 operations) against the official
//! `aws-sdk-connect`, each built clean in release in a fresh target dir with `--timings`, and
//! compared by the time of its own compile unit (dependencies excluded) per operation, and the
//! same for a clean `cargo check` (the front end alone: type and borrow checking, what an
//! editor waits for); plus the time codegen takes for that model (the `generate_model` bench
//! binary, in release).

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::scratch::{cargo_command, generate_crate, run, write_workspace};

/// The official crate compared against: a pinned release (its operation count differs from
/// the model's, so the figures are compared per operation).
pub const AWS_SDK_CONNECT: &str = "1.220.0";

/// One crate's build: operations, lines of Rust in its `src`, and its own unit's seconds.
#[derive(Clone, Debug)]
pub struct UnitBuild {
    /// Package name.
    pub package: String,
    /// Version built.
    pub version: String,
    /// Operations the crate has.
    pub operations: usize,
    /// Lines of Rust under `src`.
    pub lines: usize,
    /// The crate's own compile unit in a clean `cargo build --release -j 2`, in seconds.
    pub seconds: f64,
    /// The crate's own unit in a clean `cargo check -j 2`, in seconds.
    pub check_seconds: f64,
}

impl UnitBuild {
    /// Seconds of the unit per operation.
    pub fn per_operation(&self) -> f64 {
        self.seconds / self.operations.max(1) as f64
    }
}

/// The figures of the big-model row.
#[derive(Clone, Debug)]
pub struct BigModel {
    /// Our generated crate.
    pub ours: UnitBuild,
    /// `aws-sdk-connect`.
    pub aws: UnitBuild,
    /// What `generate_model` printed: model, operations, lines, seconds (median, min, max).
    pub codegen: serde_json::Value,
}

/// The practice model the row builds.
fn connect_model(root: &Path) -> PathBuf {
    let mirror = std::env::var_os("SMITHY_MODEL_MIRROR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/models"));
    mirror.join("restjson1/connect.json")
}

/// Builds both crates and times codegen; every scratch folder is removed afterwards.
pub fn measure(root: &Path) -> Result<BigModel, String> {
    let model = connect_model(root);
    if !model.is_file() {
        return Err(format!(
            "{} is missing: set SMITHY_MODEL_MIRROR to the models folder",
            model.display()
        ));
    }
    let scratch = std::env::temp_dir().join("ivschat-bench-big-model");
    let _ = std::fs::remove_dir_all(&scratch);
    let outcome = measure_in(root, &model, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

fn measure_in(root: &Path, model: &Path, scratch: &Path) -> Result<BigModel, String> {
    let codegen = codegen_time(root, model)?;
    let ours_dir = scratch.join("ours");
    generate_crate(
        root,
        model,
        "model",
        "cargo xtask bench",
        &ours_dir.join("connect"),
        ivschat_codegen::generate_sources,
    )?;
    write_workspace(&ours_dir, &["connect".to_owned()])?;
    let ours = UnitBuild {
        package: "model-connect".to_owned(),
        version: "0.0.0".to_owned(),
        operations: codegen["operations"].as_u64().unwrap_or(0) as usize,
        lines: rust_lines(&ours_dir.join("connect/src")),
        seconds: unit_seconds(&ours_dir, "model-connect", Build::Release)?,
        check_seconds: unit_seconds(&ours_dir, "model-connect", Build::Check)?,
    };
    let aws_dir = scratch.join("aws");
    write_aws_crate(&aws_dir)?;
    let seconds = unit_seconds(&aws_dir, "aws-sdk-connect", Build::Release)?;
    let check_seconds = unit_seconds(&aws_dir, "aws-sdk-connect", Build::Check)?;
    let source = package_source(&aws_dir, "aws-sdk-connect")?;
    let aws = UnitBuild {
        package: "aws-sdk-connect".to_owned(),
        version: AWS_SDK_CONNECT.to_owned(),
        operations: subfolders(&source.join("src/operation")),
        lines: rust_lines(&source.join("src")),
        seconds,
        check_seconds,
    };
    Ok(BigModel { ours, aws, codegen })
}

/// Runs the `generate_model` bench binary on `model` and returns its JSON line.
fn codegen_time(root: &Path, model: &Path) -> Result<serde_json::Value, String> {
    let model = model.to_string_lossy();
    let arguments = [
        "bench",
        "-q",
        "-p",
        "ivschat-codegen",
        "--bench",
        "generate_model",
        "--",
        &model,
    ];
    let output = run(
        cargo_command().args(arguments).current_dir(root),
        "generate_model",
    )?;
    let line = output
        .lines()
        .rev()
        .find(|line| line.starts_with('{'))
        .ok_or_else(|| format!("generate_model printed no figures: {output}"))?;
    serde_json::from_str(line).map_err(|error| format!("generate_model: {error}: {line}"))
}

/// A crate that depends on the pinned `aws-sdk-connect` only (default features off).
fn write_aws_crate(dir: &Path) -> Result<(), String> {
    let manifest = format!(
        "[package]\nname = \"aws-connect-build\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\naws-sdk-connect = {{ version = \"={AWS_SDK_CONNECT}\", default-features = false }}\n\n[workspace]\n"
    );
    atomic::write(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    atomic::write(&dir.join("src/lib.rs"), b"//! Builds aws-sdk-connect.\n")
}

/// How a crate is compiled for the row.
#[derive(Clone, Copy)]
enum Build {
    /// `cargo build --release`: code generation included.
    Release,
    /// `cargo check`: the front end alone.
    Check,
}

/// Compiles `package` clean (`how`) with two jobs and `--timings` in `dir`, and returns the
/// duration of its own unit from the timings report.
fn unit_seconds(dir: &Path, package: &str, how: Build) -> Result<f64, String> {
    let target = dir.join("target");
    let (command, profile_dir): (&[&str], &str) = match how {
        Build::Release => (&["build", "--release"], "release"),
        Build::Check => (&["check"], "debug"),
    };
    run(
        cargo_command()
            .args(command)
            .args(["-q", "-j", "2", "--timings", "-p", package])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(dir),
        package,
    )?;
    let report = target.join("cargo-timings/cargo-timing.html");
    let html = std::fs::read_to_string(&report)
        .map_err(|error| format!("cannot read {}: {error}", report.display()))?;
    let seconds = unit_duration(&html, package);
    // The build is not needed any more; big crates take gigabytes.
    let _ = std::fs::remove_dir_all(target.join(profile_dir));
    seconds
}

/// The `duration` of `package`'s unit in the `UNIT_DATA` of a cargo timings report.
pub fn unit_duration(html: &str, package: &str) -> Result<f64, String> {
    let start = html
        .find("const UNIT_DATA = ")
        .ok_or("the timings report has no UNIT_DATA")?
        + "const UNIT_DATA = ".len();
    let mut units =
        serde_json::Deserializer::from_str(&html[start..]).into_iter::<Vec<serde_json::Value>>();
    let units = units
        .next()
        .ok_or("UNIT_DATA is empty")?
        .map_err(|error| format!("UNIT_DATA is not JSON: {error}"))?;
    units
        .iter()
        .filter(|unit| unit["name"] == package)
        .filter_map(|unit| unit["duration"].as_f64())
        .reduce(f64::max)
        .ok_or_else(|| format!("the timings report has no unit `{package}`"))
}

/// Where cargo unpacked `package` (from `cargo metadata` in `dir`).
fn package_source(dir: &Path, package: &str) -> Result<PathBuf, String> {
    let metadata = run(
        cargo_command()
            .args(["metadata", "--format-version", "1"])
            .current_dir(dir),
        "cargo metadata",
    )?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|error| format!("cargo metadata: {error}"))?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|found| found["name"] == package)
        .and_then(|found| found["manifest_path"].as_str())
        .and_then(|manifest| Path::new(manifest).parent().map(Path::to_path_buf))
        .ok_or_else(|| format!("cargo metadata does not list {package}"))
}

/// Folders directly under `dir` (an SDK crate has one per operation under `src/operation`).
fn subfolders(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().is_dir())
                .count()
        })
        .unwrap_or(0)
}

/// Lines of the `.rs` files under `dir`, at any depth.
fn rust_lines(dir: &Path) -> usize {
    let mut lines = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for path in std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                lines += std::fs::read_to_string(&path)
                    .map(|text| text.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    lines
}

/// The Markdown section of the row.
pub fn section(figures: &BigModel) -> String {
    let (ours, aws) = (&figures.ours, &figures.aws);
    let mut out = String::from("\n## Big-model build: the crate of `restjson1/connect.json` against aws-sdk-connect\n\nEach built clean with `cargo build --release -j 2 --timings` in a fresh target dir, then checked clean with `cargo check -j 2 --timings`; the figures are the crate's own compile unit from the timings reports (dependencies excluded). The official crate is a pinned release with more operations than the model, so the comparison is per operation.\n\n| crate | operations | lines of Rust | own unit, release build (s) | per operation (ms) | own unit, `cargo check` (s) | per operation (ms) |\n|---|---|---|---|---|---|---|\n");
    for build in [ours, aws] {
        let operations = build.operations.max(1) as f64;
        out.push_str(&format!(
            "| {} {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            build.package,
            build.version,
            build.operations,
            build.lines,
            build.seconds,
            build.per_operation() * 1e3,
            build.check_seconds,
            build.check_seconds / operations * 1e3
        ));
    }
    let codegen = &figures.codegen;
    out.push_str(&format!(
        "\nOurs/aws per operation: **{:.2}x** (release build), **{:.2}x** (`cargo check`). Codegen of `{}` ({} operations, {} lines): {} s (min {}, max {}; `cargo bench -p ivschat-codegen --bench generate_model`).\n",
        ours.per_operation() / aws.per_operation().max(f64::MIN_POSITIVE),
        (ours.check_seconds / ours.operations.max(1) as f64)
            / (aws.check_seconds / aws.operations.max(1) as f64).max(f64::MIN_POSITIVE),
        codegen["model"].as_str().unwrap_or("?"),
        codegen["operations"],
        codegen["lines"],
        codegen["seconds"],
        codegen["min"],
        codegen["max"]
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_unit_duration_from_a_timings_report() {
        let html = "<script>\nconst UNIT_DATA = [\n {\"i\": 0, \"name\": \"itoa\", \"duration\": 0.15},\n {\"i\": 1, \"name\": \"model-connect\", \"duration\": 45.25}\n];\nconst CONCURRENCY_DATA = [];";
        assert_eq!(unit_duration(html, "model-connect"), Ok(45.25));
        assert_eq!(
            unit_duration(html, "serde"),
            Err("the timings report has no unit `serde`".to_owned())
        );
        assert_eq!(
            unit_duration("<html>", "x"),
            Err("the timings report has no UNIT_DATA".to_owned())
        );
        assert!(unit_duration("const UNIT_DATA = [{", "x")
            .unwrap_err()
            .starts_with("UNIT_DATA is not JSON"));
    }
}
