//! The open HTTP connections: at most `max_connections` in all and `max_connections_per_peer`
//! from one address. When a cap is reached, the connection that has been idle (no request in
//! progress) the longest is closed to make room, so idle or stuck sockets cannot keep new
//! clients out; only when every connection is serving a request is the newcomer refused.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::Notify;

/// One connection's entry.
struct Entry {
    peer: IpAddr,
    activity: Arc<Activity>,
    close: Arc<Notify>,
}

/// Whether a connection is serving requests, and since when it has not.
#[derive(Debug)]
pub struct Activity {
    started: Instant,
    /// Requests in progress.
    busy: AtomicU64,
    /// When the last request ended (or the connection opened), in ms since `started`.
    idle_since_ms: AtomicU64,
}

impl Activity {
    fn new(started: Instant) -> Self {
        Self {
            started,
            busy: AtomicU64::new(0),
            idle_since_ms: AtomicU64::new(started.elapsed().as_millis() as u64),
        }
    }

    /// Marks a request in progress until the guard is dropped.
    pub fn request(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::SeqCst);
        Busy(self.clone())
    }

    /// When it became idle, or `None` while it serves a request.
    fn idle_since(&self) -> Option<u64> {
        (self.busy.load(Ordering::SeqCst) == 0).then(|| self.idle_since_ms.load(Ordering::SeqCst))
    }
}

/// A request in progress on a connection.
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        let now = self.0.started.elapsed().as_millis() as u64;
        self.0.idle_since_ms.store(now, Ordering::SeqCst);
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The table of open connections.
pub struct Connections {
    max: usize,
    per_peer: usize,
    started: Instant,
    table: Mutex<(u64, HashMap<u64, Entry>)>,
}

/// A connection's place in the table; dropping it frees the place.
pub struct Slot {
    connections: Arc<Connections>,
    id: u64,
    /// Its activity, for the request handler.
    pub activity: Arc<Activity>,
    /// Notified when the connection must close to make room.
    pub close: Arc<Notify>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections.lock().1.remove(&self.id);
    }
}

impl Connections {
    /// A table for `max` connections, `per_peer` from one address.
    pub fn new(max: usize, per_peer: usize) -> Arc<Self> {
        Arc::new(Self {
            max: max.max(1),
            per_peer: per_peer.max(1),
            started: Instant::now(),
            table: Mutex::new((0, HashMap::new())),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, HashMap<u64, Entry>)> {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for a connection from `peer`, closing the longest-idle connection (of that
    /// peer when its own cap is reached) if needed; `None` when every candidate is busy.
    pub fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<Slot> {
        let mut guard = self.lock();
        let (next_id, table) = &mut *guard;
        let from_peer = table.values().filter(|entry| entry.peer == peer).count();
        if from_peer >= self.per_peer && !evict_idlest(table, |entry| entry.peer == peer) {
            return None;
        }
        if table.len() >= self.max && !evict_idlest(table, |_| true) {
            return None;
        }
        *next_id += 1;
        let id = *next_id;
        let activity = Arc::new(Activity::new(self.started));
        let close = Arc::new(Notify::new());
        table.insert(
            id,
            Entry {
                peer,
                activity: activity.clone(),
                close: close.clone(),
            },
        );
        Some(Slot {
            connections: self.clone(),
            id,
            activity,
            close,
        })
    }

    /// Closes every connection (the emulator stops).
    pub fn close_all(&self) {
        for (_, entry) in self.lock().1.drain() {
            entry.close.notify_one();
        }
    }

    /// How many connections hold a place.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().1.len()
    }
}

/// Closes the connection among `candidates` idle the longest; false when all are busy.
fn evict_idlest(table: &mut HashMap<u64, Entry>, candidates: impl Fn(&Entry) -> bool) -> bool {
    let idlest = table
        .iter()
        .filter(|(_, entry)| candidates(entry))
        .filter_map(|(id, entry)| Some((entry.activity.idle_since()?, *id)))
        .min();
    let Some((_, id)) = idlest else {
        return false;
    };
    if let Some(entry) = table.remove(&id) {
        entry.close.notify_one();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const TWO: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn the_idlest_connection_makes_room_and_busy_ones_are_kept() {
        let connections = Connections::new(2, 2);
        let first = connections.admit(ONE).unwrap();
        let second = connections.admit(TWO).unwrap();
        let _serving = second.activity.request();
        let third = connections.admit(TWO).unwrap();
        assert_eq!(connections.len(), 2, "the idle first one made room");
        let _also_serving = third.activity.request();
        assert!(connections.admit(ONE).is_none(), "every place is busy");
        drop(first);
        assert_eq!(connections.len(), 2);
    }

    #[test]
    fn one_peer_cannot_take_every_place() {
        let connections = Connections::new(4, 2);
        let busy: Vec<_> = (0..2).map(|_| connections.admit(ONE).unwrap()).collect();
        let _guards: Vec<_> = busy.iter().map(|slot| slot.activity.request()).collect();
        assert!(connections.admit(ONE).is_none(), "the peer's own cap");
        assert!(
            connections.admit(TWO).is_some(),
            "another peer still gets in"
        );
    }
}
