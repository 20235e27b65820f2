//! A program built on a client that `cargo xtask generate` wrote (`my_ivschat`, trimmed to
//! four operations of the IVS Chat model), calling the emulator as a user's program would
//! call the service; `xtask/tests/generate_command.rs` builds and runs it.

use my_ivschat::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = ivschat_local::Emulator::builder().start().await?;
    let client = Client::from_builder(emulator.config())?;
    let created = client.create_room().name("generated").send().await?;
    let arn = created.arn().ok_or("CreateRoom gave no ARN")?.to_owned();
    let got = client.get_room().identifier(&arn).send().await?;
    assert_eq!(got.name(), Some("generated"));
    let listed = client.list_rooms().send().await?;
    assert_eq!(listed.rooms().len(), 1);
    client.delete_room().identifier(&arn).send().await?;
    assert_eq!(emulator.room_count(), 0);
    println!("generated client: CreateRoom, GetRoom, ListRooms, DeleteRoom ok");
    Ok(())
}
