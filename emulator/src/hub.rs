//! Who is connected to which room: the outboxes of live WebSocket connections, fan-out, kicks,
//! the per-room message rate and the account's chat-action rates.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::Sender;
use tokio::sync::Notify;

/// What a connection's task is told to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// Send this text frame.
    Frame(String),
    /// Send ERROR 401 (the session ended), then close with 1000.
    Close(String),
    /// Drop the socket without a close handshake (a simulated network failure).
    Break,
}

/// Where a connection's frames go: a bounded queue, and a bell that disconnects a client
/// too slow to keep its queue from filling.
#[derive(Clone, Debug)]
pub struct Outbox {
    /// Frames for the connection's task.
    pub frames: Sender<Outgoing>,
    /// Rung when the queue is full: the task drops the connection.
    pub kick: Arc<Notify>,
}

impl Outbox {
    /// Queues `outgoing`, or disconnects the client when its queue is full (a slow reader is
    /// cut off, never buffered without end).
    fn send(&self, outgoing: Outgoing) {
        if self.frames.try_send(outgoing).is_err() {
            self.kick.notify_one();
        }
    }
}

#[derive(Clone, Debug)]
struct Connection {
    id: u64,
    room_arn: String,
    user_id: String,
    presence: Presence,
    outbox: Outbox,
}

/// What the console shows of a connected user besides the room and the user id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presence {
    /// The token's capabilities.
    pub capabilities: Vec<String>,
    /// When the session ends.
    pub session_expiration: String,
}

/// The live connections and the rate windows of rooms.
#[derive(Clone, Debug, Default)]
pub struct Hub {
    next_id: u64,
    connections: Vec<Connection>,
    /// Per room: when its one-second window started and how many messages it holds.
    windows: HashMap<String, (Instant, i64)>,
    /// Per chat action (DeleteMessage, DisconnectUser, SendEvent): the account's window.
    actions: HashMap<&'static str, (Instant, i64)>,
}

/// Counts one event in a one-second `window` allowing `limit`; false when over it.
fn admit(window: &mut (Instant, i64), limit: i64) -> bool {
    let now = Instant::now();
    if now.duration_since(window.0) >= Duration::from_secs(1) {
        *window = (now, 0);
    }
    if window.1 >= limit {
        return false;
    }
    window.1 += 1;
    true
}

impl Hub {
    /// Registers a connection; returns its id for [`Hub::leave`].
    pub fn join(
        &mut self,
        room_arn: &str,
        user_id: &str,
        presence: Presence,
        outbox: Outbox,
    ) -> u64 {
        self.next_id += 1;
        self.connections.push(Connection {
            id: self.next_id,
            room_arn: room_arn.to_owned(),
            user_id: user_id.to_owned(),
            presence,
            outbox,
        });
        self.next_id
    }

    /// The open connections, as the console lists them (no token).
    pub fn list(&self) -> Vec<serde_json::Value> {
        self.connections
            .iter()
            .map(|connection| {
                serde_json::json!({
                    "roomArn": connection.room_arn,
                    "userId": connection.user_id,
                    "capabilities": connection.presence.capabilities,
                    "sessionExpirationTime": connection.presence.session_expiration,
                })
            })
            .collect()
    }

    /// Forgets a connection.
    pub fn leave(&mut self, id: u64) {
        self.connections.retain(|connection| connection.id != id);
    }

    /// Sends a frame to every connection in a room.
    pub fn broadcast(&self, room_arn: &str, frame: &str) {
        for connection in self.in_room(room_arn) {
            connection.outbox.send(Outgoing::Frame(frame.to_owned()));
        }
    }

    /// Closes (1000, `reason`) every connection of `user_id` in a room.
    pub fn close_user(&self, room_arn: &str, user_id: &str, reason: &str) {
        for connection in self.in_room(room_arn).filter(|c| c.user_id == user_id) {
            connection.outbox.send(Outgoing::Close(reason.to_owned()));
        }
    }

    /// Closes (1000, `reason`) every connection in a room.
    pub fn close_room(&mut self, room_arn: &str, reason: &str) {
        for connection in self.in_room(room_arn) {
            connection.outbox.send(Outgoing::Close(reason.to_owned()));
        }
        self.windows.remove(room_arn);
    }

    /// Drops every connection without a close handshake.
    pub fn break_all(&self) {
        for connection in &self.connections {
            connection.outbox.send(Outgoing::Break);
        }
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.connections.len()
    }

    /// Counts one message against a room's `limit` per second; false when over it.
    pub fn admit_message(&mut self, room_arn: &str, limit: i64) -> bool {
        let window = self
            .windows
            .entry(room_arn.to_owned())
            .or_insert((Instant::now(), 0));
        admit(window, limit)
    }

    /// Counts one `action` against the account's `limit` per second; false when over it.
    pub fn admit_action(&mut self, action: &'static str, limit: u32) -> bool {
        let window = self.actions.entry(action).or_insert((Instant::now(), 0));
        admit(window, i64::from(limit))
    }

    fn in_room<'h>(&'h self, room_arn: &'h str) -> impl Iterator<Item = &'h Connection> + 'h {
        self.connections
            .iter()
            .filter(move |connection| connection.room_arn == room_arn)
    }
}
