//! `cargo xtask moto`: clients this generator writes from real AWS models, trimmed to the
//! operations the scenarios call, run against moto's server, an independent implementation
//! of the AWS APIs. The scenarios are `xtask/interop/moto.rs`, a test file compiled with the
//! generated crates in a scratch workspace under `target/moto/`.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::atomic;
use crate::scratch::{cargo_command, write_workspace};

/// A client the scenarios use: its model, the crate name and the operations kept.
struct Client {
    /// The model file, relative to the models folder.
    model: &'static str,
    /// The crate's name.
    crate_name: &'static str,
    /// The operations generated.
    operations: &'static [&'static str],
}

/// The clients: restXml (S3, Route 53), restJson1 (Glacier), awsJson1_0 (DynamoDB, SQS),
/// awsQuery (SNS, STS).
const CLIENTS: &[Client] = &[
    Client {
        model: "s3/s3.json",
        crate_name: "moto-s3",
        operations: &[
            "CreateBucket",
            "DeleteBucket",
            "ListBuckets",
            "HeadBucket",
            "PutObject",
            "GetObject",
            "HeadObject",
            "DeleteObject",
            "DeleteObjects",
            "CopyObject",
            "ListObjectsV2",
            "CreateMultipartUpload",
            "UploadPart",
            "CompleteMultipartUpload",
        ],
    },
    Client {
        model: "restxml/route-53.json",
        crate_name: "moto-route53",
        operations: &[
            "CreateHostedZone",
            "GetHostedZone",
            "ListHostedZones",
            "ChangeResourceRecordSets",
            "ListResourceRecordSets",
            "GetChange",
            "DeleteHostedZone",
        ],
    },
    Client {
        model: "restjson1/glacier.json",
        crate_name: "moto-glacier",
        operations: &["CreateVault", "DescribeVault", "ListVaults", "DeleteVault"],
    },
    Client {
        model: "awsjson1_0/dynamodb.json",
        crate_name: "moto-dynamodb",
        operations: &["CreateTable", "PutItem", "GetItem", "Query", "DeleteTable"],
    },
    Client {
        model: "awsjson1_0/sqs.json",
        crate_name: "moto-sqs",
        operations: &[
            "CreateQueue",
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "DeleteQueue",
        ],
    },
    Client {
        model: "awsquery/sns.json",
        crate_name: "moto-sns",
        operations: &["CreateTopic", "Publish", "ListTopics", "DeleteTopic"],
    },
    Client {
        model: "awsquery/sts.json",
        crate_name: "moto-sts",
        operations: &["GetCallerIdentity", "AssumeRole"],
    },
];

/// The longest wait for moto's server to take connections.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

/// Generates the clients into `scratch`, starts `moto_server` on loopback and runs the
/// scenarios against it; moto is stopped whatever happens.
pub fn run(root: &Path, models: &Path, moto_server: &Path, scratch: &Path) -> Result<(), String> {
    for client in CLIENTS {
        generate(root, &models.join(client.model), client, scratch)?;
    }
    write_scenarios_crate(root, scratch)?;
    // Built before moto starts, so that its time limits do not count the build.
    let build = cargo_command()
        .args(["test", "--no-run", "--quiet", "-p", "moto-scenarios"])
        .current_dir(scratch)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !build.success() {
        return Err("the moto scenarios do not build (cargo's errors above)".to_owned());
    }
    let server = MotoServer::start(moto_server)?;
    let status = cargo_command()
        .args(["test", "-p", "moto-scenarios", "--", "--test-threads", "2"])
        .env("MOTO_ENDPOINT", format!("http://{}", server.address))
        .current_dir(scratch)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    drop(server);
    match status.success() {
        true => Ok(()),
        false => Err("moto scenarios failed (see above)".to_owned()),
    }
}

/// Generates one trimmed client crate into `scratch/CRATE`, as `cargo xtask generate` does.
fn generate(root: &Path, model: &Path, client: &Client, scratch: &Path) -> Result<(), String> {
    let request = crate::generate::Request {
        models: vec![model.to_path_buf()],
        service: None,
        crate_name: Some(client.crate_name.to_owned()),
        crate_version: "0.0.0".to_owned(),
        out: scratch.join(client.crate_name),
        only: Some(
            client
                .operations
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
        ),
        runtime: crate::generate::Runtime::Path(root.join("runtime")),
        license: None,
    };
    let generated =
        crate::generate::run(&request).map_err(|error| format!("{}: {error}", client.model))?;
    if !generated.customizations.is_empty() {
        println!(
            "moto: {}: customizations: {}",
            client.crate_name,
            generated.customizations.join(", ")
        );
    }
    Ok(())
}

/// Writes the workspace and the crate of the scenarios, whose test is `xtask/interop/moto.rs`.
fn write_scenarios_crate(root: &Path, scratch: &Path) -> Result<(), String> {
    let mut members: Vec<String> = CLIENTS
        .iter()
        .map(|client| client.crate_name.to_owned())
        .collect();
    members.push("moto-scenarios".to_owned());
    write_workspace(scratch, &members)?;
    let dependencies: Vec<String> = CLIENTS
        .iter()
        .map(|client| format!("{0} = {{ path = \"../{0}\" }}", client.crate_name))
        .collect();
    let test = root.join("xtask/interop/moto.rs");
    let manifest = format!(
        "[package]\nname = \"moto-scenarios\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dev-dependencies]\n{}\nivschat-runtime = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n\
         [[test]]\nname = \"moto\"\npath = {:?}\n",
        dependencies.join("\n"),
        root.join("runtime").display().to_string(),
        test.display().to_string(),
    );
    let folder = scratch.join("moto-scenarios");
    atomic::write(&folder.join("Cargo.toml"), manifest.as_bytes())?;
    atomic::write(
        &folder.join("src/lib.rs"),
        b"//! The moto scenarios are its test.\n",
    )
}

/// moto's server, on a free loopback port, stopped (by its PID) when dropped.
struct MotoServer {
    child: Child,
    address: SocketAddr,
}

impl MotoServer {
    fn start(program: &Path) -> Result<Self, String> {
        let address = free_port()?;
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &address.port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", program.display()))?;
        let mut server = Self { child, address };
        let started = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("moto's server exited at start ({status})"));
            }
            if started.elapsed() > STARTUP_LIMIT {
                return Err(format!(
                    "moto's server took no connection on {address} within {STARTUP_LIMIT:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("moto: server (pid {}) on {address}", server.child.id());
        Ok(server)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback address no one listens on now.
fn free_port() -> Result<SocketAddr, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("cannot find a free loopback port: {error}"))
}

/// The `moto_server` program: `MOTO_SERVER`, when set.
pub fn server_program() -> Option<PathBuf> {
    std::env::var_os("MOTO_SERVER").map(PathBuf::from)
}
