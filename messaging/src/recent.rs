//! The ids of recent frames, to drop a frame seen twice (both connections deliver it while a
//! token refresh swaps them).

use std::collections::{HashSet, VecDeque};

/// The last `capacity` ids seen.
#[derive(Debug)]
pub struct RecentIds {
    order: VecDeque<String>,
    set: HashSet<String>,
    capacity: usize,
}

impl RecentIds {
    /// Remembers up to `capacity` ids.
    pub fn new(capacity: usize) -> Self {
        Self {
            order: VecDeque::with_capacity(capacity),
            set: HashSet::with_capacity(capacity),
            capacity,
        }
    }

    /// Records `id`; false when it was seen already.
    pub fn first_sighting(&mut self, id: &str) -> bool {
        if self.set.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.set.remove(&oldest);
            }
        }
        self.order.push_back(id.to_owned());
        self.set.insert(id.to_owned());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_repeats_and_forgets_the_oldest() {
        let mut recent = RecentIds::new(2);
        assert!(recent.first_sighting("a"));
        assert!(!recent.first_sighting("a"));
        assert!(recent.first_sighting("b"));
        assert!(recent.first_sighting("c"));
        assert!(recent.first_sighting("a"));
    }
}
