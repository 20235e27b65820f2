//! `ivschat-local`: run the emulator until interrupted.

use std::net::IpAddr;
use std::process::ExitCode;

use ivschat_local::{Emulator, ReviewRule};

const USAGE: &str = "usage: ivschat-local [--port N] [--bind ADDRESS] [--region REGION]
                     [--access-key-id KEY --secret-access-key SECRET [--session-token TOKEN]]
                     [--anonymous]
                     [--state-file PATH] [--room-quota N] [--review-deny REGEX]";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
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

async fn run() -> Result<(), String> {
    let mut builder = Emulator::builder().port(4566);
    let mut key = None;
    let mut secret = None;
    let mut session_token = None;
    let mut arguments = std::env::args().skip(1);
    while let Some(flag) = arguments.next() {
        let mut value = || {
            arguments
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                builder = builder.port(
                    value()?
                        .parse()
                        .map_err(|_| "--port needs a number".to_owned())?,
                )
            }
            "--bind" => {
                let address: IpAddr = value()?
                    .parse()
                    .map_err(|_| "--bind needs an IP address".to_owned())?;
                builder = builder.bind_address(address);
            }
            "--region" => builder = builder.region(&value()?),
            "--access-key-id" => key = Some(value()?),
            "--secret-access-key" => secret = Some(value()?),
            "--session-token" => session_token = Some(value()?),
            "--anonymous" => builder = builder.anonymous(true),
            "--state-file" => builder = builder.state_file(value()?),
            "--room-quota" => {
                builder = builder.room_quota(
                    value()?
                        .parse()
                        .map_err(|_| "--room-quota needs a number".to_owned())?,
                )
            }
            "--review-deny" => builder = builder.review_rule(ReviewRule::deny_matching(&value()?)?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (key, secret, session_token) {
        (Some(key), Some(secret), None) => builder = builder.credentials(&key, &secret),
        (Some(key), Some(secret), Some(token)) => {
            builder = builder.temporary_credentials(&key, &secret, &token)
        }
        (None, None, None) => {}
        (None, None, Some(_)) => {
            return Err("--session-token needs --access-key-id and --secret-access-key".to_owned())
        }
        _ => return Err("--access-key-id and --secret-access-key go together".to_owned()),
    }
    let emulator = builder
        .start()
        .await
        .map_err(|error| format!("cannot listen: {error}"))?;
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
    say(
        &mut std::io::stdout(),
        format_args!(
            "access key id {}; set the secret access key you configured (default {})",
            credentials.access_key_id(),
            ivschat_local::DEFAULT_SECRET_ACCESS_KEY
        ),
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("cannot wait for Ctrl-C: {error}"))?;
    Ok(())
}

/// Writes a line, ignoring a closed stream: the emulator keeps serving when whoever reads its
/// output (`| head -1`, a test that read the address) has gone.
fn say(stream: &mut impl std::io::Write, text: std::fmt::Arguments) {
    let _ = writeln!(stream, "{text}");
}
