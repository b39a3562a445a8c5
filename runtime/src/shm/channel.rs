//! A shared-memory channel between a server and one client: one region with a ring each way,
//! and the eventfds that wake a sleeping side.
//!
//! The server creates everything and sends the client [`CHANNEL_FDS`] descriptors (over the
//! Unix socket the client connected with, see [`super::fd_passing`]), in this order:
//!
//! | # | descriptor | the client uses it to |
//! |---|---|---|
//! | 0 | the region's sealed memfd | map both rings |
//! | 1 | request ring, data ready | wake the server when it sends a request |
//! | 2 | request ring, space ready | sleep while the request ring is full |
//! | 3 | reply ring, data ready | sleep until a reply or event arrives |
//! | 4 | reply ring, space ready | wake the server when it frees reply slots |
//!
//! One eventfd per sleeper: each ring's consumer sleeps on "data ready" and its producer on
//! "space ready", so no two waits ever drain the same eventfd.

use std::os::fd::OwnedFd;
use std::sync::Arc;

use super::error::ShmError;
use super::eventfd::EventFd;
use super::layout::{ChannelLayout, MIN_REGION_SIZE};
use super::region::Region;
use super::ring::{Consumer, Producer, RingMap};

/// How many descriptors the server sends the client.
pub const CHANNEL_FDS: usize = 5;

const REQUEST_RING: &str = "request ring (client → server)";
const REPLY_RING: &str = "reply ring (server → client)";

/// The server's end: it consumes requests and produces replies and events.
pub struct ServerEnd {
    /// Requests from the client.
    pub requests: Consumer,
    /// Replies and events to the client.
    pub replies: Producer,
    layout: ChannelLayout,
}

/// The client's end: it produces requests and consumes replies and events.
pub struct ClientEnd {
    /// Requests to the server.
    pub requests: Producer,
    /// Replies and events from the server.
    pub replies: Consumer,
    layout: ChannelLayout,
}

/// The four eventfds of a channel, in the order they are sent.
struct Doorbells {
    requests_data: EventFd,
    requests_space: EventFd,
    replies_data: EventFd,
    replies_space: EventFd,
}

/// Both rings of a mapped channel region.
fn rings(region: Region, layout: &ChannelLayout) -> (RingMap, RingMap) {
    let region = Arc::new(region);
    let requests = RingMap::new(
        Arc::clone(&region),
        layout.requests_offset(),
        layout.requests,
        REQUEST_RING,
    );
    let replies = RingMap::new(region, layout.replies_offset(), layout.replies, REPLY_RING);
    (requests, replies)
}

impl ServerEnd {
    /// Creates a channel of `layout`; returns the server's end and the [`CHANNEL_FDS`]
    /// descriptors to send the client (in the order of the module documentation; drop them
    /// once sent). `debug_name` names the memfd in `/proc`.
    pub fn create(
        debug_name: &str,
        layout: ChannelLayout,
    ) -> Result<(ServerEnd, Vec<OwnedFd>), ShmError> {
        let region = Region::create(debug_name, layout.region_size())?;
        layout.write_header(&region);
        let doorbells = Doorbells {
            requests_data: EventFd::new()?,
            requests_space: EventFd::new()?,
            replies_data: EventFd::new()?,
            replies_space: EventFd::new()?,
        };
        let memfd = region.memfd().try_clone_to_owned().map_err(|error| {
            ShmError::os(format!("duplicating the memfd of `{debug_name}`"), error)
        })?;
        let fds = vec![
            memfd,
            doorbells.requests_data.try_clone_fd()?,
            doorbells.requests_space.try_clone_fd()?,
            doorbells.replies_data.try_clone_fd()?,
            doorbells.replies_space.try_clone_fd()?,
        ];
        let (requests, replies) = rings(region, &layout);
        let end = ServerEnd {
            requests: Consumer::new(requests, doorbells.requests_data, doorbells.requests_space),
            replies: Producer::new(replies, doorbells.replies_data, doorbells.replies_space),
            layout,
        };
        Ok((end, fds))
    }

    /// The channel's layout.
    pub fn layout(&self) -> ChannelLayout {
        self.layout
    }
}

impl ClientEnd {
    /// Opens the channel from the [`CHANNEL_FDS`] descriptors the server sent, after checking
    /// each of them and the region's header.
    pub fn open(fds: Vec<OwnedFd>) -> Result<ClientEnd, ShmError> {
        let count = fds.len();
        let [memfd, requests_data, requests_space, replies_data, replies_space]: [OwnedFd;
            CHANNEL_FDS] = fds.try_into().map_err(|_| {
            ShmError::refused(
                format!(
                    "opening a shared memory channel: {count} descriptors, expected {CHANNEL_FDS}"
                ),
                "the peer speaks another version of the protocol",
            )
        })?;
        let region = Region::open(memfd, MIN_REGION_SIZE)?;
        let layout = ChannelLayout::read_header(&region)?;
        let doorbells = Doorbells {
            requests_data: EventFd::from_received(requests_data, "request data eventfd")?,
            requests_space: EventFd::from_received(requests_space, "request space eventfd")?,
            replies_data: EventFd::from_received(replies_data, "reply data eventfd")?,
            replies_space: EventFd::from_received(replies_space, "reply space eventfd")?,
        };
        let (requests, replies) = rings(region, &layout);
        log::debug!("opened a shared memory channel: {layout:?}");
        Ok(ClientEnd {
            requests: Producer::new(requests, doorbells.requests_data, doorbells.requests_space),
            replies: Consumer::new(replies, doorbells.replies_data, doorbells.replies_space),
            layout,
        })
    }

    /// The channel's layout.
    pub fn layout(&self) -> ChannelLayout {
        self.layout
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::error::ShmErrorKind;

    #[test]
    fn open_refuses_the_wrong_descriptors() {
        let (_server, mut fds) =
            ServerEnd::create("channel-test", ChannelLayout::default()).unwrap();
        let error = ClientEnd::open(fds.drain(..4).collect())
            .map(|_| ())
            .unwrap_err();
        assert!(
            error.to_string().contains("4 descriptors, expected 5"),
            "{error}"
        );

        let (_server, mut fds) =
            ServerEnd::create("channel-test", ChannelLayout::default()).unwrap();
        fds.swap(0, 1);
        let error = ClientEnd::open(fds).map(|_| ()).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error.to_string().contains("not a sealable memfd"),
            "{error}"
        );

        let (_server, mut fds) =
            ServerEnd::create("channel-test", ChannelLayout::default()).unwrap();
        let spare_memfd = fds[0].try_clone().unwrap();
        fds[3] = spare_memfd;
        let error = ClientEnd::open(fds).map(|_| ()).unwrap_err();
        assert!(error.to_string().contains("reply data eventfd"), "{error}");
        assert!(error.to_string().contains("expected an eventfd"), "{error}");
    }

    #[test]
    fn both_ends_agree_on_the_layout() {
        let layout = ChannelLayout {
            requests: crate::shm::RingLayout::new(16, 128).unwrap(),
            replies: crate::shm::RingLayout::new(4, 4096).unwrap(),
        };
        let (server, fds) = ServerEnd::create("channel-test", layout).unwrap();
        let client = ClientEnd::open(fds).unwrap();
        assert_eq!(client.layout(), layout);
        assert_eq!(server.layout(), layout);
        assert_eq!(client.requests.capacity(), 120);
        assert_eq!(client.replies.capacity(), 4088);
    }
}
