//! The IDL reader against the Smithy suites in `$IVSCHAT_TESTSUITES`: every `.smithy` file
//! there loads, and the AWS protocol tests read from IDL equal their JSON AST build.

use std::fs;
use std::path::{Path, PathBuf};

use ivschat_codegen::smithy::{
    load, load_sources, Member, Model, Shape, ShapeId, ShapeKind, Source, Traits,
};
use ivschat_fuzz::{suite_folder, text_files};

/// The trait definition folders the protocol tests import.
const TRAIT_FOLDERS: &[&str] = &[
    "smithy-aws-traits",
    "smithy-protocol-test-traits",
    "smithy-rules-engine",
    "smithy-waiters",
    "smithy-validation-model",
    "smithy-protocol-traits",
    "smithy-aws-endpoints",
    "smithy-aws-iam-traits",
];

/// Reads every file, as (name, text).
fn read_all(paths: &[PathBuf]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.display().to_string(), text)
        })
        .collect()
}

fn load_files(files: &[(String, String)]) -> Model {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    load_sources(&sources).unwrap_or_else(|error| panic!("{error}"))
}

fn trait_files(protocol_tests: &Path) -> Vec<PathBuf> {
    TRAIT_FOLDERS
        .iter()
        .flat_map(|folder| text_files(&protocol_tests.join(folder), ".smithy"))
        .collect()
}

/// The `.smithy` files of `folder`, with the trait definitions, as one model; prints and
/// returns its shape count.
fn load_folder(root: &Path, folder: &Path) -> usize {
    let mut paths = text_files(folder, ".smithy");
    let own = paths.len();
    assert!(own > 0, "{} holds no .smithy file", folder.display());
    paths.extend(trait_files(root));
    let model = load_files(&read_all(&paths));
    println!(
        "{}: {own} files, {} shapes",
        folder.display(),
        model.shapes.len()
    );
    model.shapes.len()
}

#[test]
fn every_smithy_file_of_the_suites_loads() {
    let (Some(protocol_tests), Some(endpoints)) =
        (suite_folder("protocol-tests"), suite_folder("endpoints"))
    else {
        return;
    };
    assert!(load_folder(&protocol_tests, &protocol_tests.join("model")) > 900);
    let core = protocol_tests.join("smithy-protocol-tests/model");
    assert!(load_folder(&protocol_tests, &core) > 100);
    let prelude = protocol_tests.join("smithy-model/prelude.smithy");
    let mut files = read_all(&[prelude]);
    files.extend(read_all(&trait_files(&protocol_tests)));
    assert!(load_files(&files).shapes.len() > 200);
    // The rules-engine models share names across files: each is a model of its own.
    let mut models = 0;
    for suite in [
        "smithy-rules-engine",
        "smithy-rules-engine-tests",
        "smithy-aws-endpoints",
    ] {
        for path in text_files(&endpoints.join(suite), ".smithy") {
            let mut files = read_all(&[path]);
            files.extend(read_all(&trait_files(&protocol_tests)));
            assert!(load_files(&files).services().count() > 0);
            models += 1;
        }
    }
    println!("{models} endpoint-rules models");
    assert!(models >= 40);
}

/// Why a shape of the JSON AST build may read differently from today's IDL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Members, traits or bound shapes added upstream since the build.
    Added,
    /// Test cases (`smithy.test#*` values) or documentation edited upstream.
    Edited,
    /// Anything else: allowed only when `UPSTREAM_EDITS` names the shape.
    Other,
}

/// Shapes changed upstream in other ways since the JSON AST build (about 2024-11), each
/// checked by reading the IDL at the suites' commit.
#[rustfmt::skip]
const UPSTREAM_EDITS: &[(&str, &str)] = &[
    ("aws.auth#sigv4", "breakingChanges added to its @trait"),
    ("aws.auth#sigv4a", "breakingChanges added to its @trait"),
    ("aws.protocols#httpChecksum", "breakingChanges added to its @trait"),
    ("aws.protocols#awsQueryCompatible", "selector widened to rpcv2Cbor services"),
    ("aws.protocols#restJson1", "protocolDefinition lists more traits"),
    ("aws.protocoltests.json10#Defaults", "blob defaults written in base64"),
    ("aws.protocoltests.json10#DefaultsMixin", "blob defaults written in base64"),
    ("aws.protocoltests.json10#OperationWithDefaultsOutput", "blob defaults written in base64"),
    ("aws.protocoltests.json10#OperationWithRequiredMembersWithDefaultsOutput", "blob defaults written in base64"),
    ("aws.protocoltests.json10#RequiredMembersWithDefaultsMixin", "blob defaults written in base64"),
    ("aws.protocoltests.restjson#HttpPrefixHeadersInput", "header names lower-cased"),
    ("aws.protocoltests.restjson#HttpPrefixHeadersOutput", "header names lower-cased"),
    ("aws.protocoltests.restxml#HttpPrefixHeadersInputOutput", "header names lower-cased"),
    ("aws.protocoltests.json#NullOperationInputOutput", "sparse members removed"),
    ("aws.protocoltests.restxml.xmlns#SimpleScalarProperties", "input and output made separate structures"),
    ("aws.protocoltests.restjson#TestNoPayload", "removed"),
    ("aws.protocols#restXml", "protocolDefinition lists more traits"),
    ("aws.protocols#awsQuery", "protocolDefinition lists more traits"),
    ("aws.protocols#ec2Query", "protocolDefinition lists more traits"),
    ("aws.protocoltests.ec2#SimpleInputParamsInput", "query and XML names of three members renamed"),
    ("aws.protocoltests.restjson#JsonListsInputOutput", "sparse members moved to their own shape"),
    ("aws.protocoltests.restjson#JsonMapsInputOutput", "sparse members moved to their own shape"),
    ("aws.protocoltests.restjson#RestJson", "TestNoPayload and the documentation removed"),
];

/// How two readings of one shape differ; the order of a service's or operation's shape
/// references is not compared (the JSON AST build sorts them).
fn differences(json: &Shape, idl: &Shape) -> Vec<(Kind, String)> {
    let mut found = Vec::new();
    compare_traits("", &json.traits, &idl.traits, &mut found);
    match (&json.kind, &idl.kind) {
        (ShapeKind::Simple(a), ShapeKind::Simple(b)) if a == b => {}
        (ShapeKind::Structure(a), ShapeKind::Structure(b))
        | (ShapeKind::Union(a), ShapeKind::Union(b))
        | (ShapeKind::Enum(a), ShapeKind::Enum(b))
        | (ShapeKind::IntEnum(a), ShapeKind::IntEnum(b)) => compare_members(a, b, &mut found),
        (ShapeKind::List { member: a, .. }, ShapeKind::List { member: b, .. }) => {
            compare_members(&[(**a).clone()], &[(**b).clone()], &mut found)
        }
        (ShapeKind::Map { key: ka, value: va }, ShapeKind::Map { key: kb, value: vb }) => {
            let a = [(**ka).clone(), (**va).clone()];
            compare_members(&a, &[(**kb).clone(), (**vb).clone()], &mut found)
        }
        (ShapeKind::Service(a), ShapeKind::Service(b)) => {
            if a.version != b.version || a.rename != b.rename {
                found.push((Kind::Other, "service version or rename".to_owned()));
            }
            compare_refs(&mut found, "operations", &a.operations, &b.operations);
            compare_refs(&mut found, "resources", &a.resources, &b.resources);
            compare_refs(&mut found, "errors", &a.errors, &b.errors);
        }
        (ShapeKind::Operation(a), ShapeKind::Operation(b)) => {
            if a.input != b.input || a.output != b.output {
                found.push((
                    Kind::Other,
                    format!(
                        "input/output {}, {} / {}, {}",
                        a.input, a.output, b.input, b.output
                    ),
                ));
            }
            compare_refs(&mut found, "errors", &a.errors, &b.errors);
        }
        (ShapeKind::Resource(a), ShapeKind::Resource(b)) => {
            if a.identifiers != b.identifiers || a.properties != b.properties {
                found.push((Kind::Other, "resource identifiers or properties".to_owned()));
            }
            compare_refs(&mut found, "operations", &a.operations, &b.operations);
            compare_refs(&mut found, "resources", &a.resources, &b.resources);
        }
        _ => found.push((Kind::Other, "shape type".to_owned())),
    }
    found
}

/// Compares two lists of shape references as sets; more on the IDL side is an addition.
fn compare_refs(found: &mut Vec<(Kind, String)>, what: &str, a: &[ShapeId], b: &[ShapeId]) {
    let (a, b) = (sorted(a), sorted(b));
    if a != b {
        let kind = if a.iter().all(|id| b.contains(id)) {
            Kind::Added
        } else {
            Kind::Other
        };
        found.push((kind, format!("{what} {a:?} / {b:?}")));
    }
}

fn sorted(ids: &[ShapeId]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    ids.sort();
    ids
}

fn compare_members(json: &[Member], idl: &[Member], found: &mut Vec<(Kind, String)>) {
    for a in json {
        let Some(b) = idl.iter().find(|b| b.name == a.name) else {
            found.push((Kind::Other, format!("member ${} missing", a.name)));
            continue;
        };
        if a.target != b.target {
            found.push((
                Kind::Other,
                format!("${} target {} / {}", a.name, a.target, b.target),
            ));
        }
        compare_traits(&format!("${}", a.name), &a.traits, &b.traits, found);
    }
    for b in idl
        .iter()
        .filter(|b| !json.iter().any(|a| a.name == b.name))
    {
        found.push((Kind::Added, format!("member ${} added", b.name)));
    }
}

fn compare_traits(at: &str, json: &Traits, idl: &Traits, found: &mut Vec<(Kind, String)>) {
    for (id, value) in json.iter() {
        match idl.raw(id) {
            None => found.push((Kind::Other, format!("{at} @{id} missing"))),
            Some(other) if other == value => {}
            Some(_) => {
                let edited = id.starts_with("smithy.test#") || id == "smithy.api#documentation";
                let kind = if edited { Kind::Edited } else { Kind::Other };
                found.push((kind, format!("{at} @{id} value")));
            }
        }
    }
    for (id, _) in idl.iter().filter(|(id, _)| json.raw(id).is_none()) {
        found.push((Kind::Added, format!("{at} @{id} added")));
    }
}

#[test]
fn idl_protocol_tests_equal_their_json_ast_build() {
    let Some(root) = suite_folder("protocol-tests") else {
        return;
    };
    let mut paths = text_files(&root.join("model"), ".smithy");
    paths.extend(trait_files(&root));
    let idl = load_files(&read_all(&paths));
    let json_path = root.join("json-ast/aws-protocol-tests.json");
    let json_text = fs::read_to_string(&json_path).unwrap();
    let json = load("aws-protocol-tests.json", &json_text).unwrap();
    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    let mut unexplained = Vec::new();
    for (id, shape) in &json.shapes {
        let listed = UPSTREAM_EDITS
            .iter()
            .find(|(edited, _)| *edited == id.to_string());
        let Some(other) = idl.shapes.get(id) else {
            match listed {
                Some(_) => *tally.entry("listed upstream edits").or_default() += 1,
                None => unexplained.push(format!("{id}: only in the JSON AST")),
            }
            continue;
        };
        let found = differences(shape, other);
        let worst = found.iter().map(|(kind, _)| *kind).max();
        let label = match (worst, listed) {
            (None, _) => "equal",
            (Some(Kind::Added), _) => "differ by upstream additions",
            (Some(Kind::Edited), _) => "differ by edited test cases or docs",
            (Some(Kind::Other), Some(_)) => "listed upstream edits",
            (Some(Kind::Other), None) => {
                let other: Vec<&str> = found
                    .iter()
                    .filter(|(kind, _)| *kind == Kind::Other)
                    .map(|(_, text)| text.as_str())
                    .collect();
                unexplained.push(format!("{id}: {}", other.join("; ")));
                continue;
            }
        };
        *tally.entry(label).or_default() += 1;
    }
    println!("shapes of the JSON AST build, read again from today's IDL: {tally:?}");
    for (id, why) in UPSTREAM_EDITS {
        println!("  allowed upstream edit: {id}: {why}");
    }
    assert!(
        unexplained.is_empty(),
        "unexplained differences:\n{}",
        unexplained.join("\n")
    );
    assert!(tally["equal"] > 800, "too few equal shapes: {tally:?}");
}
