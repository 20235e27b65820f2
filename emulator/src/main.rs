//! `ivschat-local`: run the emulator until interrupted.

use std::net::IpAddr;
use std::process::ExitCode;

use ivschat_local::{Emulator, ReviewRule};

const USAGE: &str = "usage: ivschat-local [--port N] [--bind ADDRESS] [--region REGION]
                     [--access-key-id KEY --secret-access-key SECRET [--session-token TOKEN]]
                     [--account ACCOUNT_ID:KEY:SECRET]... [--policy KEY=ACTIONS[@RESOURCES]]...
                     [--anonymous] [--strict-keys]
                     [--web-identity-token TOKEN]...
                     [--issued-keys-admin]
                     [--allow-host NAME]... [--clock-offset SECONDS]
                     [--state-file PATH] [--request-log PATH] [--room-quota N]
                     [--review-deny REGEX]
       ivschat-local --help | --version";

const HELP: &str =
    "A local Amazon IVS Chat: the control plane (all 17 operations, SigV4 verified) and
the Messaging API's WebSockets on one port, on loopback, until interrupted.

  --port N                  the port (default 4566; 0 picks a free one)
  --bind ADDRESS            the address to listen on (default 127.0.0.1)
  --region REGION           the region of ARNs and signatures (default us-west-2)
  --access-key-id KEY       with --secret-access-key (and --session-token): the only key
                            accepted (default: a fixed test key, printed at start, and
                            LocalStack's test/test)
  --strict-keys             accept the fixed test key only, not test/test
  --account ID:KEY:SECRET   a key of another account (repeatable): it sees and creates only
                            that account's rooms and logging configurations, with its own
                            room quota; the other keys are account 123456789012's
  --policy KEY=A,..[@R,..]  what a key may do, as IAM Allow statements: actions such as
                            ivschat:GetRoom or ivschat:List*, on resources (ARNs with * and
                            ?; default *); the rest is AccessDeniedException (repeatable)
  --anonymous               accept unsigned requests
  --web-identity-token T    a token AssumeRoleWithWebIdentity takes (repeatable; without
                            one, web identity is refused)
  --issued-keys-admin       let keys from the emulator's STS call /_emulator/ too
  --allow-host NAME         a Host name accepted besides addresses and loopback names
                            (repeatable; * for any, which turns off the DNS-rebinding
                            check)
  --clock-offset SECONDS    run the emulator's clock this far off (negative: behind), for
                            testing a client's clock-skew correction
  --state-file PATH         keep rooms and logging configurations in this file
  --request-log PATH        append each request's log entry to this file as a JSON line
                            (no header, key, token or body; at most 64 MiB)
  --room-quota N            the most rooms at once (default 1000)
  --review-deny REGEX       a message review handler that denies matching messages
  --help, --version         print this help or the version, and exit

RUST_LOG=info logs each request (method, operation, status, latency; never a key, a token or
a body); RUST_LOG=debug adds the emulator's internals.";

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = split_values(std::env::args().skip(1));
    let asked = |names: [&str; 2]| {
        arguments
            .iter()
            .any(|argument| names.contains(&argument.as_str()))
    };
    if asked(["--help", "-h"]) {
        say(&mut std::io::stdout(), format_args!("{HELP}\n\n{USAGE}"));
        return ExitCode::SUCCESS;
    }
    if asked(["--version", "-V"]) {
        let version = env!("CARGO_PKG_VERSION");
        say(
            &mut std::io::stdout(),
            format_args!("ivschat-local {version}"),
        );
        return ExitCode::SUCCESS;
    }
    init_logging();
    match run(arguments).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            say(
                &mut std::io::stderr(),
                format_args!("error: {message}\n{USAGE}"),
            );
            ExitCode::FAILURE
        }
    }
}

/// The arguments with each `--flag=value` split into `--flag` and `value`.
fn split_values(arguments: impl Iterator<Item = String>) -> Vec<String> {
    arguments
        .flat_map(|argument| match argument.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                vec![flag.to_owned(), value.to_owned()]
            }
            _ => vec![argument],
        })
        .collect()
}

/// The emulator the command line asks for (`--help` and `--version` are handled before).
fn builder_from_arguments(
    mut arguments: impl Iterator<Item = String>,
) -> Result<ivschat_local::EmulatorBuilder, String> {
    let mut builder = Emulator::builder().port(4566);
    let mut key = None;
    let mut secret = None;
    let mut session_token = None;
    while let Some(flag) = arguments.next() {
        let mut value = || {
            arguments
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => builder = builder.port(number(&value()?, "--port", "a number")?),
            "--bind" => {
                let address: IpAddr = number(&value()?, "--bind", "an IP address")?;
                builder = builder.bind_address(address);
            }
            "--region" => builder = builder.region(&value()?),
            "--access-key-id" => key = Some(value()?),
            "--secret-access-key" => secret = Some(value()?),
            "--session-token" => session_token = Some(value()?),
            "--anonymous" => builder = builder.anonymous(true),
            "--strict-keys" => builder = builder.strict_keys(),
            "--request-log" => builder = builder.request_log(value()?),
            "--policy" => {
                let (key, policy) = policy_flag(&value()?)?;
                builder = builder.policy(&key, policy);
            }
            "--account" => {
                let spec = value()?;
                let (account, key, secret) = account_flag(&spec)?;
                builder = builder.account(account, key, secret);
            }
            "--web-identity-token" => builder = builder.web_identity_token(value()?),
            "--issued-keys-admin" => builder = builder.issued_keys_reach_admin(true),
            "--allow-host" => builder = builder.allow_host(&value()?),
            "--state-file" => builder = builder.state_file(value()?),
            "--clock-offset" => {
                let offset = number(&value()?, "--clock-offset", "a number of seconds")?;
                builder = builder.clock_offset(offset);
            }
            "--room-quota" => {
                builder = builder.room_quota(number(&value()?, "--room-quota", "a number")?)
            }
            "--review-deny" => builder = builder.review_rule(ReviewRule::deny_matching(&value()?)?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    with_credentials(builder, key, secret, session_token)
}

/// `value` read as the number (or address) `flag` needs.
fn number<T: std::str::FromStr>(value: &str, flag: &str, what: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("{flag} needs {what}"))
}

/// `--policy KEY=ACTION,...[@RESOURCE,...]`: the key and its policy.
fn policy_flag(spec: &str) -> Result<(String, ivschat_local::Policy), String> {
    let Some((key, rest)) = spec.split_once('=') else {
        return Err(format!(
            "--policy takes KEY=ACTION,...[@RESOURCE,...], not `{spec}`"
        ));
    };
    let (actions, resources) = rest.split_once('@').unwrap_or((rest, "*"));
    let policy =
        ivschat_local::Policy::actions(actions.split(',')).on_resources(resources.split(','));
    Ok((key.to_owned(), policy))
}

/// `--account ACCOUNT_ID:KEY:SECRET`, the account id checked.
fn account_flag(spec: &str) -> Result<(&str, &str, &str), String> {
    let mut parts = spec.splitn(3, ':');
    let (Some(account), Some(key), Some(secret)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "--account takes ACCOUNT_ID:KEY:SECRET, not `{spec}`"
        ));
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "--account: `{account}` is not a 12-digit account id"
        ));
    }
    Ok((account, key, secret))
}

/// The builder with the keys of `--access-key-id`, `--secret-access-key` and
/// `--session-token`, which go together.
fn with_credentials(
    builder: ivschat_local::EmulatorBuilder,
    key: Option<String>,
    secret: Option<String>,
    session_token: Option<String>,
) -> Result<ivschat_local::EmulatorBuilder, String> {
    match (key, secret, session_token) {
        (Some(key), Some(secret), None) => Ok(builder.credentials(&key, &secret)),
        (Some(key), Some(secret), Some(token)) => {
            Ok(builder.temporary_credentials(&key, &secret, &token))
        }
        (None, None, None) => Ok(builder),
        (None, None, Some(_)) => {
            Err("--session-token needs --access-key-id and --secret-access-key".to_owned())
        }
        _ => Err("--access-key-id and --secret-access-key go together".to_owned()),
    }
}

async fn run(arguments: Vec<String>) -> Result<(), String> {
    let builder = builder_from_arguments(arguments.into_iter())?;
    let emulator = builder.start().await.map_err(|error| error.to_string())?;
    let credentials = emulator.credentials();
    say(
        &mut std::io::stdout(),
        format_args!(
            "ivschat-local listening on {} (region {}); chat WebSockets on {}",
            emulator.url(),
            emulator.region(),
            emulator.messaging_url()
        ),
    );
    let session = credentials
        .session_token()
        .map(|token| format!(" AWS_SESSION_TOKEN={token}"))
        .unwrap_or_default();
    say(
        &mut std::io::stdout(),
        format_args!(
            "to call it from a shell or an SDK:\n  export AWS_ENDPOINT_URL={} AWS_REGION={} \
             AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={}{session}",
            emulator.url(),
            emulator.region(),
            credentials.access_key_id(),
            credentials.secret_access_key()
        ),
    );
    say(
        &mut std::io::stdout(),
        format_args!(
            "web console (the link holds its key; keep it to yourself):\n  {}",
            emulator.console_url()
        ),
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("cannot wait for Ctrl-C: {error}"))?;
    Ok(())
}

/// Logs to standard error as `RUST_LOG` says, per crate as env_logger reads it (`info`, or
/// `ivschat_local=debug,hyper=warn`); warnings only when it is unset or cannot be read.
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|text| text.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::WARN));
    tracing_subscriber::fmt()
        .with_max_level(LevelFilter::TRACE)
        .with_writer(std::io::stderr)
        .with_target(false)
        .finish()
        .with(targets)
        .init();
}

/// Writes a line, ignoring a closed stream: the emulator keeps serving when whoever reads its
/// output (`| head -1`, a test that read the address) has gone.
fn say(stream: &mut impl std::io::Write, text: std::fmt::Arguments) {
    let _ = writeln!(stream, "{text}");
}
