//! Opening Unix and TCP sockets for endpoints: listeners for servers, blocking-free streams for
//! clients.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};

use crate::endpoint::{SocketName, TcpAddress};
use crate::error::Error;

/// Implements `mio::event::Source` for an enum of sockets that has a `source()` method giving
/// the socket it holds.
macro_rules! forward_source {
    ($name:ident) => {
        impl mio::event::Source for $name {
            fn register(
                &mut self,
                registry: &mio::Registry,
                token: mio::Token,
                interests: mio::Interest,
            ) -> io::Result<()> {
                self.source().register(registry, token, interests)
            }

            fn reregister(
                &mut self,
                registry: &mio::Registry,
                token: mio::Token,
                interests: mio::Interest,
            ) -> io::Result<()> {
                self.source().reregister(registry, token, interests)
            }

            fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
                self.source().deregister(registry)
            }
        }
    };
}

/// A connected, non-blocking stream of either family: a server's connection (registered in
/// its event loop) or a client's (waited on with `poll`).
pub(crate) enum Stream {
    Unix(mio::net::UnixStream),
    Tcp(mio::net::TcpStream),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(stream) => stream.read(buf),
            Stream::Tcp(stream) => stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(stream) => stream.write(buf),
            Stream::Tcp(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

forward_source!(Stream);

impl Stream {
    /// The socket held, for mio.
    fn source(&mut self) -> &mut dyn mio::event::Source {
        match self {
            Stream::Unix(stream) => stream,
            Stream::Tcp(stream) => stream,
        }
    }
}

impl AsRawFd for Stream {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Stream::Unix(stream) => stream.as_raw_fd(),
            Stream::Tcp(stream) => stream.as_raw_fd(),
        }
    }
}

/// A listening socket of either family.
pub(crate) enum Listener {
    Unix(mio::net::UnixListener),
    Tcp(mio::net::TcpListener),
}

impl Listener {
    /// Accepts one pending connection; `Ok(None)` when there is none.
    pub(crate) fn accept(&self) -> io::Result<Option<(Stream, String)>> {
        let accepted = match self {
            Listener::Unix(listener) => listener
                .accept()
                .map(|(stream, _)| (Stream::Unix(stream), "a Unix socket peer".to_owned())),
            Listener::Tcp(listener) => listener.accept().and_then(|(stream, address)| {
                stream.set_nodelay(true)?;
                Ok((Stream::Tcp(stream), address.to_string()))
            }),
        };
        match accepted {
            Ok(accepted) => Ok(Some(accepted)),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(error) => Err(error),
        }
    }
}

forward_source!(Listener);

impl Listener {
    /// The socket held, for mio.
    fn source(&mut self) -> &mut dyn mio::event::Source {
        match self {
            Listener::Unix(listener) => listener,
            Listener::Tcp(listener) => listener,
        }
    }
}

/// Listens on a Unix socket. A socket file left behind by a process that died is replaced;
/// one that a live server listens on is an error.
pub(crate) fn listen_unix(name: &SocketName) -> Result<Listener, Error> {
    let context = || format!("listen on Unix socket {}", name.address());
    let address = name
        .socket_addr()
        .map_err(|error| Error::io(context(), error))?;
    if let SocketName::Path(path) = name {
        if path.exists() && std::os::unix::net::UnixStream::connect(path).is_err() {
            let _ = std::fs::remove_file(path);
        }
    }
    let listener = std::os::unix::net::UnixListener::bind_addr(&address).map_err(|error| {
        let hint = if error.kind() == io::ErrorKind::AddrInUse {
            "; another server listens there: stop it or choose another name"
        } else {
            ""
        };
        Error::io(format!("{}{hint}", context()), error)
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|error| Error::io(context(), error))?;
    Ok(Listener::Unix(mio::net::UnixListener::from_std(listener)))
}

/// Listens on a TCP address.
pub(crate) fn listen_tcp(address: &TcpAddress) -> Result<Listener, Error> {
    let context = || format!("listen on TCP {address}");
    let resolved = resolve(address)?;
    let listener = mio::net::TcpListener::bind(resolved).map_err(|error| {
        let hint = if error.kind() == io::ErrorKind::AddrInUse {
            "; the port is taken: stop the other server or choose another port"
        } else {
            ""
        };
        Error::io(format!("{}{hint}", context()), error)
    })?;
    Ok(Listener::Tcp(listener))
}

/// The first address a host name resolves to.
pub(crate) fn resolve(address: &TcpAddress) -> Result<SocketAddr, Error> {
    let context = || format!("resolve {address}");
    (address.host.as_str(), address.port)
        .to_socket_addrs()
        .map_err(|error| Error::io(context(), error))?
        .next()
        .ok_or_else(|| Error::io(context(), io::ErrorKind::NotFound.into()))
}

/// Connects to a Unix socket, without blocking afterwards.
pub(crate) fn connect_unix(name: &SocketName) -> Result<std::os::unix::net::UnixStream, Error> {
    let context = || format!("connect to Unix socket {}", name.address());
    let address = name
        .socket_addr()
        .map_err(|error| Error::io(context(), error))?;
    let stream = std::os::unix::net::UnixStream::connect_addr(&address).map_err(|error| {
        let hint = if matches!(
            error.kind(),
            io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
        ) {
            " (is the server running?)"
        } else {
            ""
        };
        Error::io(format!("{}{hint}", context()), error)
    })?;
    stream
        .set_nonblocking(true)
        .map_err(|error| Error::io(context(), error))?;
    Ok(stream)
}

impl Stream {
    /// Connects to a Unix socket.
    pub(crate) fn unix(name: &SocketName) -> Result<Stream, Error> {
        connect_unix(name).map(|stream| Stream::Unix(mio::net::UnixStream::from_std(stream)))
    }

    /// Connects over TCP, with `TCP_NODELAY`.
    pub(crate) fn tcp(address: &TcpAddress) -> Result<Stream, Error> {
        let context = || format!("connect to TCP {address}");
        let resolved = resolve(address)?;
        let stream = std::net::TcpStream::connect(resolved).map_err(|error| {
            let hint = if error.kind() == io::ErrorKind::ConnectionRefused {
                " (is the server running?)"
            } else {
                ""
            };
            Error::io(format!("{}{hint}", context()), error)
        })?;
        stream
            .set_nodelay(true)
            .and_then(|()| stream.set_nonblocking(true))
            .map_err(|error| Error::io(context(), error))?;
        Ok(Stream::Tcp(mio::net::TcpStream::from_std(stream)))
    }
}

/// Waits until `fd` is readable (or writable, with `write`), or `timeout` passes; true when
/// it is ready (a hang-up counts as ready: the next read reports it).
pub(crate) fn wait_fd(
    fd: RawFd,
    write: bool,
    timeout: Option<std::time::Duration>,
) -> io::Result<bool> {
    let mut pollfd = libc::pollfd {
        fd,
        events: if write { libc::POLLOUT } else { libc::POLLIN },
        revents: 0,
    };
    let millis = match timeout {
        None => -1,
        // Rounded up, so that a wait never ends before its deadline.
        Some(timeout) => (timeout.as_millis().min(i32::MAX as u128 - 1) as i32)
            .saturating_add(i32::from(timeout.subsec_nanos() % 1_000_000 != 0)),
    };
    loop {
        // SAFETY: `pollfd` is one valid, initialized `pollfd` that outlives the call.
        let ready = unsafe { libc::poll(&mut pollfd, 1, millis) };
        if ready >= 0 {
            return Ok(ready > 0);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}
