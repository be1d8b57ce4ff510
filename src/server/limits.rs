//! What clients may take of the server: connections (a cap for each user
//! under the cap for all, with room kept for the store's owner, so one
//! user's idle connections lock nobody else out) and the bytes of requests
//! on their way in (one budget for every connection, so a few clients
//! sending huge frames slowly cannot run the server out of memory).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Connections served at once (each is a thread, two once welcomed).
pub const MAX_CONNECTIONS: usize = 256;

/// Connections one user other than the server's own may hold.
pub const PER_USER: usize = 32;

/// Connections kept for the server's own user (the store's owner): the
/// others together hold at most `MAX_CONNECTIONS - OWNER_ROOM`.
pub const OWNER_ROOM: usize = 32;

/// Bytes of requests being received, over all connections.
pub const BUFFER_BUDGET: usize = 256 * 1024 * 1024;

/// Why a connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// This user holds [`PER_USER`] connections already.
    User,
    /// The server serves as many as it may.
    Server,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_uid: HashMap<u32, usize>,
}

/// The connections open, by user.
pub struct Connections {
    owner: u32,
    open: Mutex<Open>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Connections {
    pub fn new(owner: u32) -> Connections {
        Connections {
            owner,
            open: Mutex::new(Open::default()),
        }
    }

    /// Counts a connection from `uid` in, if there is room for it; it is
    /// counted out when the returned guard is dropped.
    pub fn admit(&self, uid: u32) -> Result<Admitted<'_>, Full> {
        let mut open = lock(&self.open);
        if uid != self.owner {
            if open.by_uid.get(&uid).copied().unwrap_or(0) >= PER_USER {
                return Err(Full::User);
            }
            if open.total >= MAX_CONNECTIONS - OWNER_ROOM {
                return Err(Full::Server);
            }
        } else if open.total >= MAX_CONNECTIONS {
            return Err(Full::Server);
        }
        open.total += 1;
        *open.by_uid.entry(uid).or_insert(0) += 1;
        Ok(Admitted { of: self, uid })
    }

    /// Connections open now.
    pub fn total(&self) -> usize {
        lock(&self.open).total
    }
}

/// One connection counted in.
pub struct Admitted<'c> {
    of: &'c Connections,
    uid: u32,
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        let mut open = lock(&self.of.open);
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_uid.get_mut(&self.uid) {
            *n -= 1;
            if *n == 0 {
                open.by_uid.remove(&self.uid);
            }
        }
    }
}

/// The bytes every connection's incoming frames may hold together.
pub struct Budget {
    limit: usize,
    held: AtomicUsize,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            limit,
            held: AtomicUsize::new(0),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// A share of nothing yet, to grow as a frame's bytes arrive.
    pub fn share(&self) -> Share<'_> {
        Share { of: self, bytes: 0 }
    }

    fn take(&self, bytes: usize) -> bool {
        self.held
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |held| {
                held.checked_add(bytes).filter(|&n| n <= self.limit)
            })
            .is_ok()
    }
}

/// Bytes taken from the budget, given back when dropped.
pub struct Share<'b> {
    of: &'b Budget,
    bytes: usize,
}

impl Share<'_> {
    /// Takes `bytes` more; false (and nothing taken) when the budget has
    /// no room for them.
    pub fn grow(&mut self, bytes: usize) -> bool {
        let taken = self.of.take(bytes);
        if taken {
            self.bytes += bytes;
        }
        taken
    }
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        self.of.held.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_user_cannot_take_every_connection_and_the_owner_always_gets_in() {
        let c = Connections::new(1000);
        let mine: Vec<_> = (0..PER_USER)
            .map(|_| c.admit(1001).map_err(|e| format!("{e:?}")))
            .collect::<Result<_, _>>()
            .expect("a user's first connections are let in");
        assert_eq!(c.admit(1001).err(), Some(Full::User));
        // Another user still gets in, and so does the owner.
        let other = c.admit(1002).expect("another user gets in");
        drop(other);
        drop(mine);
        assert_eq!(c.total(), 0);

        // Others fill all they may: the owner's room is left.
        let mut others = Vec::new();
        for uid in 2000u32.. {
            match c.admit(uid) {
                Ok(a) => others.push(a),
                Err(Full::Server) => break,
                Err(Full::User) => unreachable!("one connection per user"),
            }
        }
        assert_eq!(others.len(), MAX_CONNECTIONS - OWNER_ROOM);
        let owner: Vec<_> = (0..OWNER_ROOM)
            .map(|_| c.admit(1000).map_err(|e| format!("{e:?}")))
            .collect::<Result<_, _>>()
            .expect("the owner gets the room kept for it");
        assert_eq!(c.admit(1000).err(), Some(Full::Server));
        drop(owner);
        drop(others);
        assert_eq!(c.total(), 0);
    }

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let b = Budget::new(100);
        let mut one = b.share();
        let mut two = b.share();
        assert!(one.grow(60));
        assert!(!two.grow(50), "beyond the budget");
        assert!(two.grow(40));
        assert!(!one.grow(1));
        drop(one);
        assert!(two.grow(60));
        drop(two);
        assert!(b.share().grow(100));
    }
}
