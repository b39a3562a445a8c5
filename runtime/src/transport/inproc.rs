//! In-process endpoints: a client in the same process as its server calls the handler on its
//! own thread, with the request and the reply in place in the client's buffers (no socket, no
//! thread switch, no copy), and receives events through a queue the publisher fills.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, Weak};
use std::time::Instant;

use crate::error::Error;
use crate::server::registry::{Registry, ServiceSlot};
use crate::transport::buffer::FrameBuffer;
use crate::wire::Kind;

type Servers = Mutex<HashMap<String, Weak<Registry>>>;

fn servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(Servers::default)
}

/// Makes `registry` reachable as `inproc://name`.
pub(crate) fn register(name: &str, registry: &Arc<Registry>) -> Result<(), Error> {
    let mut servers = servers().lock().unwrap_or_else(PoisonError::into_inner);
    if servers
        .get(name)
        .is_some_and(|live| live.strong_count() > 0)
    {
        return Err(Error::Config {
            message: format!(
                "inproc://{name} is already served in this process; choose another name"
            ),
        });
    }
    servers.insert(name.to_owned(), Arc::downgrade(registry));
    Ok(())
}

/// Forgets `inproc://name`.
pub(crate) fn unregister(name: &str) {
    servers()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(name);
}

/// The services served as `inproc://name`.
pub(crate) fn lookup(name: &str) -> Option<Arc<Registry>> {
    let servers = servers().lock().unwrap_or_else(PoisonError::into_inner);
    servers.get(name).and_then(Weak::upgrade)
}

/// Events for one in-process client, filled by publishers on any thread.
pub(crate) struct EventQueue {
    state: Mutex<QueueState>,
    arrived: Condvar,
    capacity: usize,
}

struct QueueState {
    frames: FrameBuffer,
    count: usize,
    lagged: u64,
    subscriptions: std::collections::HashSet<u32>,
}

impl EventQueue {
    /// An empty queue that holds at most `capacity` events.
    pub(crate) fn new(capacity: usize) -> EventQueue {
        EventQueue {
            state: Mutex::new(QueueState {
                frames: FrameBuffer::default(),
                count: 0,
                lagged: 0,
                subscriptions: Default::default(),
            }),
            arrived: Condvar::new(),
            capacity,
        }
    }

    /// Starts or stops delivering event `method`.
    pub(crate) fn set_subscribed(&self, method: u32, subscribed: bool) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if subscribed {
            state.subscriptions.insert(method);
        } else {
            state.subscriptions.remove(&method);
        }
    }

    fn push(&self, method: u32, bytes: &[u8]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.subscriptions.contains(&method) {
            return;
        }
        if state.count >= self.capacity {
            state.lagged += 1;
            return;
        }
        if state.lagged > 0 {
            let lagged = std::mem::take(&mut state.lagged);
            state
                .frames
                .push_frame_with(Kind::Lagged, method, 0, &lagged.to_le_bytes());
        }
        state.frames.push_frame_with(Kind::Event, method, 0, bytes);
        state.count += 1;
        self.arrived.notify_one();
    }

    /// Moves the queued events into `into`, waiting until `deadline` for one to arrive when
    /// none is queued; true when some were moved.
    pub(crate) fn take(&self, into: &mut FrameBuffer, deadline: Option<Instant>) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.frames.is_empty() {
            let now = Instant::now();
            let wait = match deadline {
                Some(deadline) if deadline <= now => return false,
                Some(deadline) => deadline - now,
                None => std::time::Duration::from_secs(3600),
            };
            state = self
                .arrived
                .wait_timeout(state, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        while let Ok(Some(at)) = state.frames.next_frame() {
            into.push_frame_with(at.kind, at.header.method(), 0, state.frames.payload(&at));
            state.frames.consume(at.header.frame_len());
        }
        state.count = 0;
        true
    }
}

/// Registers `queue` for the events of `slot`.
pub(crate) fn subscribe_queue(slot: &ServiceSlot, queue: &Arc<EventQueue>) {
    let mut subscribers = slot
        .inproc_subscribers
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    subscribers.retain(|live| live.strong_count() > 0);
    if !subscribers
        .iter()
        .any(|live| std::ptr::eq(live.as_ptr(), Arc::as_ptr(queue)))
    {
        subscribers.push(Arc::downgrade(queue));
    }
}

/// Hands an event to every in-process subscriber of `slot`.
pub(crate) fn publish(slot: &ServiceSlot, method: u32, bytes: &[u8]) {
    let subscribers = slot
        .inproc_subscribers
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    for queue in subscribers.iter().filter_map(Weak::upgrade) {
        queue.push(method, bytes);
    }
}
