use std::process::ExitCode;
use std::time::Instant;

use xtask::codegen;
use xtask::model_source;
use xtask::REGENERATE;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate MODEL... --out DIR [--service ID] [--crate-name NAME] [--crate-version VERSION]
           [--only Op,Op] [--runtime-path DIR | --runtime-version VERSION] [--license SPDX]
                   a client crate for any Smithy model (JSON AST or IDL files and folders,
                   read as one model) in DIR: the service the model has (or --service),
                   only the operations listed and the shapes they reach, the runtime as a
                   path (this repository's by default) or a registry version
  codegen          generate the client crate into generated/ and the credential chain's
                   clients into credentials/src/generated/
  codegen --check  fail, naming each file, when those are not what codegen would write
  outputs DIR      every crate the generator writes (practice models of $SMITHY_MODEL_MIRROR,
                   codegen fixtures, protocol-test suites of $IVSCHAT_TESTSUITES) into DIR,
                   to compare two revisions of the generator byte for byte with diff -r
  check-fixtures   generate every codegen fixture model into target/fixture-crates and
                   run clippy on them with warnings denied
  bench            ours vs aws-sdk-ivschat vs a plain-hyper floor against the emulator;
                   writes BENCHMARKS.md (compiles the AWS SDK: minutes)
  bench --big-model
                   only the big-model build row (restjson1/connect.json against
                   aws-sdk-connect), printed
  check-endpoints DIR
                   generate the endpoint resolver of every model in DIR with its
                   endpoint test cases and run them; one line per model
  check-models DIR [--report]
                   generate a whole client crate from every model in DIR, check it with
                   clippy (warnings denied) and run its tests; one line per model;
                   --report exits 0 even when some fail
  protocol-tests [SUITE|PROTOCOL|all|--update-readme]
                   generate each Smithy protocol-test service (restJson1, restXml,
                   awsJson1_0, awsJson1_1, awsQuery, ec2Query and their service-specific
                   suites such as restJson1-glacier; all by default) with its client test
                   cases (the IDL in $IVSCHAT_TESTSUITES/protocol-tests) and run them; cases
                   that fail must be in xtask/protocol-tests/SUITE.skip with a reason; a run
                   of all suites checks README.md's row of counts (--update-readme rewrites it)
  moto             clients of real models (S3, Route 53, Glacier, DynamoDB, SQS, SNS, STS; trimmed
                   to the operations used) against moto's server ($MOTO_SERVER, the
                   moto_server program; .ci/run installs it), running xtask/interop/moto.rs
  ci-summary LOG   the closing lines of a CI log: each cargo test once, and the xtask's
                   own checks (protocol cases, endpoint tests, model and fixture crates)
  fetch-model      fetch model/ivschat.json and model/partitions.json as their locks pin
                   them (from the lock's mirror folder when its variable is set, else
                   from the pinned URL)
  update-model --commit SHA | --url URL
                   fetch another version of the ivschat model (the lock's URL at that
                   commit, or any URL or local file), check it generates, rewrite
                   model/ivschat.lock, regenerate, and print the API change (generated/
                   API.md, item by item, breaking ones marked) and the version it implies";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let result = match arguments.as_slice() {
        ["codegen"] => run_codegen(false),
        ["codegen", "--check"] => run_codegen(true),
        ["fetch-model"] => fetch_model(),
        ["update-model", "--commit", sha] => {
            update_model(xtask::update_model::Target::Commit((*sha).to_owned()))
        }
        ["update-model", "--url", url] => {
            update_model(xtask::update_model::Target::Url((*url).to_owned()))
        }
        ["check-fixtures"] => check_fixtures(),
        ["outputs", out] => outputs(out),
        ["protocol-tests"] => protocol_tests("all", false),
        ["protocol-tests", "--update-readme"] => protocol_tests("all", true),
        ["protocol-tests", suite] => protocol_tests(suite, false),
        ["ci-summary", log] => ci_summary(log),
        ["generate", rest @ ..] => generate(rest),
        ["moto"] => moto(),
        ["bench"] => bench(),
        ["bench", "--big-model"] => bench_big_model(),
        ["check-endpoints", folder] => check_endpoints(folder),
        ["check-models", folder] => check_models(folder, false),
        ["check-models", folder, "--report"] => check_models(folder, true),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!(
            "unknown command `{}`\n\n{USAGE}",
            arguments.join(" ")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_codegen(check: bool) -> Result<(), String> {
    let started = Instant::now();
    let root = codegen::workspace_root();
    let outputs = codegen::generate_all(&root)?;
    let mut stale = Vec::new();
    for output in &outputs {
        let generated = &output.generated;
        for warning in &generated.warnings {
            eprintln!("warning: {}: {warning}", output.folder);
        }
        let out = root.join(&output.folder);
        let customizations = match generated.customizations.as_slice() {
            [] => String::new(),
            names => format!(", customizations: {}", names.join(", ")),
        };
        let counts = format!(
            "{}: {} shapes, {} operations, {} files{customizations}",
            output.folder,
            generated.shape_count,
            generated.operation_count,
            generated.files.len()
        );
        if check {
            let problems = codegen::check(&out, &generated.files, output.owns_folder)?;
            if problems.is_empty() {
                println!("codegen --check: up to date: {counts}");
            }
            stale.extend(
                problems
                    .into_iter()
                    .map(|problem| format!("{}: {problem}", output.folder)),
            );
            continue;
        }
        let summary = codegen::write(&out, &generated.files, output.owns_folder)?;
        println!(
            "codegen: {counts}: {} written, {} unchanged, {} removed",
            summary.written, summary.unchanged, summary.removed,
        );
    }
    if !stale.is_empty() {
        return Err(format!(
            "the generated code is not what the generator writes:\n  {}\nrun `{REGENERATE}` and commit the result",
            stale.join("\n  ")
        ));
    }
    println!("codegen: {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn fetch_model() -> Result<(), String> {
    let root = codegen::workspace_root();
    for lock in codegen::locks(&root)? {
        let lock = model_source::Lock::read(&root.join("model").join(lock))?;
        let destination = root.join("model").join(&lock.file);
        let source = model_source::Source::for_lock(&lock);
        model_source::fetch(&lock, &source, &destination)?;
        println!(
            "fetch-model: wrote {} (sha256 {})",
            destination.display(),
            lock.sha256
        );
    }
    Ok(())
}

fn update_model(target: xtask::update_model::Target) -> Result<(), String> {
    let report = xtask::update_model::run(&codegen::workspace_root(), &target)?;
    println!("{report}");
    Ok(())
}

fn check_fixtures() -> Result<(), String> {
    let root = codegen::workspace_root();
    let count = xtask::fixtures::check(
        &root,
        &root.join("codegen/tests/fixtures"),
        &root.join("target/fixture-crates"),
    )?;
    println!("check-fixtures: {count} fixture crates pass clippy with -D warnings");
    Ok(())
}

fn outputs(out: &str) -> Result<(), String> {
    let data = |variable: &str| {
        std::env::var_os(variable)
            .map(std::path::PathBuf::from)
            .ok_or_else(|| format!("outputs: set {variable} (CI: ../shared/...)"))
    };
    let root = codegen::workspace_root();
    let written = xtask::outputs::write_all(
        &root,
        &data("SMITHY_MODEL_MIRROR")?,
        &data("IVSCHAT_TESTSUITES")?,
        std::path::Path::new(out),
    )?;
    println!(
        "outputs: {} model crates, {} fixture crates, {} protocol-test crates in {out}",
        written.models, written.fixtures, written.suites
    );
    Ok(())
}

/// The suites `which` names: one suite's name, a protocol's or `all`.
fn chosen_suites(which: &str) -> Result<Vec<xtask::protocol_tests::Suite>, String> {
    use xtask::protocol_tests::{Suite, SUITES};
    if which == "all" {
        return Ok(SUITES.to_vec());
    }
    let named = Suite::named(which);
    if named.is_empty() {
        let known: Vec<&str> = SUITES.iter().map(|suite| suite.name).collect();
        return Err(format!(
            "no protocol suite `{which}` (known: {}, all)",
            known.join(", ")
        ));
    }
    Ok(named)
}

fn protocol_tests(which: &str, update_readme: bool) -> Result<(), String> {
    let suites = chosen_suites(which)?;
    let Some(testsuites) = std::env::var_os("IVSCHAT_TESTSUITES") else {
        if std::env::var("CI").is_ok_and(|value| value == "true") {
            return Err(
                "protocol-tests: IVSCHAT_TESTSUITES is not set under CI=true (CI: ../shared/testsuites)"
                    .to_owned(),
            );
        }
        println!(
            "protocol-tests: skipped, IVSCHAT_TESTSUITES is not set (CI: ../shared/testsuites)"
        );
        return Ok(());
    };
    let root = codegen::workspace_root();
    let model = xtask::protocol_tests::read_suite_model(
        &std::path::Path::new(&testsuites).join("protocol-tests"),
    )?;
    let mut failed = Vec::new();
    let mut counts = Vec::new();
    for suite in suites {
        let summary =
            xtask::protocol_tests::run(&root, suite, &model, &root.join("target/protocol-tests"))?;
        let cases = summary.passed
            + summary.failed.len()
            + summary.passing_skips.len()
            + summary.skipped.len();
        counts.push((suite.name, summary.passed, cases));
        print_summary(&suite, &summary);
        if !summary.failed.is_empty() || !summary.passing_skips.is_empty() {
            failed.push(suite.name);
        }
    }
    if !failed.is_empty() {
        return Err(format!("protocol tests failed: {}", failed.join(", ")));
    }
    if which != "all" {
        return Ok(());
    }
    xtask::readme::sync_row(
        &root,
        xtask::protocol_tests::README_ROW_KEY,
        &xtask::protocol_tests::readme_row(&counts),
        update_readme,
        "cargo xtask protocol-tests --update-readme",
    )
}

/// Prints a suite's failures, the skipped cases that pass now, its counts and its skips.
fn print_summary(suite: &xtask::protocol_tests::Suite, summary: &xtask::protocol_tests::Summary) {
    for id in &summary.failed {
        println!("FAILED {id}");
    }
    for id in &summary.passing_skips {
        println!("PASSES NOW {id}: remove it from {}", suite.skip_list());
    }
    println!(
        "{} protocol tests: {} passed, {} failed, {} skipped",
        suite.name,
        summary.passed,
        summary.failed.len() + summary.passing_skips.len(),
        summary.skipped.len()
    );
    for (id, reason) in &summary.skipped {
        println!("  skipped {id}: {reason}");
    }
}

/// The most of a CI log read (a run prints a few megabytes).
const MAX_CI_LOG_BYTES: u64 = 256 * 1024 * 1024;

fn ci_summary(log: &str) -> Result<(), String> {
    use std::io::Read;
    let mut text = Vec::new();
    std::fs::File::open(log)
        .and_then(|file| file.take(MAX_CI_LOG_BYTES).read_to_end(&mut text))
        .map_err(|error| format!("cannot read {log}: {error}"))?;
    let summary = xtask::ci_summary::summarize(&String::from_utf8_lossy(&text));
    for line in summary.lines() {
        println!("{line}");
    }
    Ok(())
}

fn check_endpoints(folder: &str) -> Result<(), String> {
    let root = codegen::workspace_root();
    let results = xtask::endpoints::check(
        &root,
        std::path::Path::new(folder),
        &root.join("target/endpoint-crates"),
    )?;
    let (mut passed, mut total, mut failed_models) = (0, 0, 0);
    for result in &results {
        match &result.outcome {
            Ok((ok, all)) => {
                println!("{}: {ok}/{all} endpoint tests passed", result.name);
                passed += ok;
                total += all;
                if ok < all {
                    println!(
                        "{} FAILED: {} endpoint tests did not run",
                        result.name,
                        all - ok
                    );
                    failed_models += 1;
                }
            }
            Err(reason) => {
                println!("{} FAILED: {reason}", result.name);
                failed_models += 1;
            }
        }
    }
    println!("check-endpoints: {passed}/{total} endpoint tests passed in {} models, {failed_models} failed", results.len());
    if failed_models > 0 {
        return Err(format!("{failed_models} models failed"));
    }
    Ok(())
}

fn check_models(folder: &str, report: bool) -> Result<(), String> {
    let root = codegen::workspace_root();
    let checks = xtask::models::check(
        &root,
        std::path::Path::new(folder),
        &root.join("target/model-crates"),
    )?;
    let failed = checks.iter().filter(|check| check.outcome.is_err()).count();
    for check in &checks {
        match &check.outcome {
            Ok(()) => println!("{} ok", check.name),
            Err(reason) => println!("{} FAILED: {reason}", check.name),
        }
        for warning in &check.warnings {
            println!("  warning: {warning}");
        }
    }
    println!(
        "check-models: {} ok, {failed} failed",
        checks.len() - failed
    );
    if failed > 0 && !report {
        return Err(format!("{failed} models failed"));
    }
    Ok(())
}

fn generate(arguments: &[&str]) -> Result<(), String> {
    let arguments: Vec<String> = arguments.iter().map(|item| (*item).to_owned()).collect();
    let request = xtask::generate::Request::parse(&arguments, &codegen::workspace_root())?;
    let generated = xtask::generate::run(&request)?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    if !generated.customizations.is_empty() {
        println!("customizations: {}", generated.customizations.join(", "));
    }
    println!(
        "generate: {}: {} shapes, {} operations, {} files",
        request.out.display(),
        generated.shape_count,
        generated.operation_count,
        generated.files.len()
    );
    Ok(())
}

fn moto() -> Result<(), String> {
    let Some(server) = xtask::moto::server_program() else {
        let missing =
            "MOTO_SERVER (the moto_server program) is not set: .ci/run installs moto and sets it";
        if std::env::var("CI").is_ok_and(|value| value == "true") {
            return Err(format!("{missing}; under CI=true that is a failure"));
        }
        println!("moto: skipped: {missing}");
        return Ok(());
    };
    let models = std::env::var_os("SMITHY_MODEL_MIRROR")
        .map(std::path::PathBuf::from)
        .ok_or("SMITHY_MODEL_MIRROR (the folder of the shared models) is not set")?;
    let root = codegen::workspace_root();
    xtask::moto::run(&root, &models, &server, &root.join("target/moto"))
}

/// Only the big-model build row, printed (it takes minutes; `bench` runs it too).
fn bench_big_model() -> Result<(), String> {
    let figures = xtask::big_model::measure(&codegen::workspace_root())?;
    print!("{}", xtask::big_model::section(&figures));
    Ok(())
}

fn bench() -> Result<(), String> {
    let path = xtask::bench::run_all(&codegen::workspace_root())?;
    println!("bench: wrote {}", path.display());
    Ok(())
}
