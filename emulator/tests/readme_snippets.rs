//! The `curl` commands of `emulator/README.md`, run as written against an emulator (its
//! address put for `127.0.0.1:4566`, `--fail` added so that an HTTP error fails the command):
//! a snippet that stops working fails here. Needs `curl` (skipped without it, except under
//! `CI=true`).

use std::process::Command;

use ivschat_local::Emulator;

/// The `curl` commands of the README's `sh` blocks, continuation lines joined.
fn curl_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_shell = false;
    let mut current = String::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_shell = line == "```sh";
            continue;
        }
        if !in_shell || (current.is_empty() && !line.starts_with("curl ")) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current));
            }
        }
    }
    commands
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_curl_commands_work_as_written() {
    if Command::new("curl").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "curl is missing"
        );
        eprintln!("skipped: no curl");
        return;
    }
    let readme = include_str!("../README.md");
    let commands = curl_commands(readme);
    assert!(commands.len() >= 4, "{commands:?}");
    let emulator = Emulator::builder().start().await.unwrap();
    let address = emulator.url().trim_start_matches("http://").to_owned();
    let folder = tempfile::tempdir().unwrap();
    for command in commands {
        let command = command.replace("127.0.0.1:4566", &address).replacen(
            "curl ",
            "curl --fail-with-body --max-time 10 ",
            1,
        );
        let output = tokio::task::spawn_blocking({
            let (folder, command) = (folder.path().to_owned(), command.clone());
            move || {
                Command::new("sh")
                    .arg("-c")
                    .arg(&command)
                    .current_dir(folder)
                    .output()
                    .unwrap()
            }
        })
        .await
        .unwrap();
        assert!(
            output.status.success(),
            "`{command}` failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The fault one queued a throttle for GetRoom; the snapshot ones left the state as it was.
    assert_eq!(emulator.faults().len(), 1);
}
