//! Endpoint URLs: where a client connects to a service and where a node listens.
//!
//! | URL | transport | what it names |
//! |---|---|---|
//! | `inproc://NAME` | in the same process | a service registered in the process under `NAME` |
//! | `shm://NAME` | shared-memory rings | the Unix socket where the rings are set up |
//! | `pipe://NAME` | Unix socket stream | the Unix socket |
//! | `tcp://HOST:PORT` | TCP | an IPv4 address, a bracketed IPv6 address or a host name |
//!
//! The `NAME` of `shm://` and `pipe://` is a [`SocketName`]: a filesystem path when it starts
//! with `/` or `.` (`pipe:///run/fleet/control.sock`, `pipe://./control.sock`), otherwise a
//! name in Linux's abstract socket namespace, prefixed with [`ABSTRACT_PREFIX`]:
//! `shm://fleet/control` is the abstract socket `@interop/fleet/control` (as `ss -x` shows it;
//! the `@` stands for the leading NUL byte of the address).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

/// Prepended to every abstract socket name, so that interop's sockets are easy to tell apart
/// from other programs' (`ss -xl | grep @interop/`).
pub const ABSTRACT_PREFIX: &str = "interop/";

/// Longest socket path in bytes: `sun_path` holds 108 bytes including the terminating NUL.
const MAX_PATH_LEN: usize = 107;

/// Longest abstract name in bytes: `sun_path` less the leading NUL and [`ABSTRACT_PREFIX`].
const MAX_ABSTRACT_NAME_LEN: usize = 108 - 1 - ABSTRACT_PREFIX.len();

/// Longest DNS host name, in bytes.
const MAX_HOST_NAME_LEN: usize = 253;

/// Longest label (the part between dots) of a DNS host name, in bytes.
const MAX_HOST_LABEL_LEN: usize = 63;

/// Where a client connects to a service, or where a node listens.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `inproc://NAME`: a service in the same process.
    Inproc(String),
    /// `shm://NAME`: shared-memory rings, set up over a Unix socket.
    Shm(SocketName),
    /// `pipe://NAME`: a Unix socket stream.
    Pipe(SocketName),
    /// `tcp://HOST:PORT`: a TCP connection.
    Tcp(TcpAddress),
}

/// How a link moves messages; each transport has its URL scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transport {
    /// Within one process: the call is handed over in memory.
    Inproc,
    /// Shared-memory rings between processes of one host.
    Shm,
    /// A Unix socket stream between processes of one host.
    Pipe,
    /// A TCP connection, between hosts or within one.
    Tcp,
}

impl Transport {
    /// Every transport, in the order above.
    pub const ALL: [Transport; 4] = [
        Transport::Inproc,
        Transport::Shm,
        Transport::Pipe,
        Transport::Tcp,
    ];

    /// `inproc`, `shm`, `pipe` or `tcp`: the URL scheme and the manifest's word for it.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Inproc => "inproc",
            Transport::Shm => "shm",
            Transport::Pipe => "pipe",
            Transport::Tcp => "tcp",
        }
    }

    /// The transport named `name` (`"shm"`), if any.
    pub fn from_name(name: &str) -> Option<Transport> {
        Transport::ALL
            .into_iter()
            .find(|transport| transport.name() == name)
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Unix socket: a filesystem path or a name in Linux's abstract namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SocketName {
    /// A socket file, written in URLs as a path starting with `/` or `.`.
    Path(PathBuf),
    /// An abstract socket, `@interop/NAME`; holds `NAME`, without [`ABSTRACT_PREFIX`].
    Abstract(String),
}

/// A TCP address as written: a host (IPv4, IPv6 without brackets, or a host name) and a port.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TcpAddress {
    /// `10.0.0.2`, `::1` or `control.example.net`.
    pub host: String,
    /// Never 0.
    pub port: u16,
}

/// An endpoint URL that could not be parsed: the URL and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    /// The URL as given.
    pub url: String,
    /// What is wrong with it.
    pub kind: EndpointErrorKind,
}

/// What is wrong with an endpoint URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointErrorKind {
    /// No `://` after the scheme.
    MissingScheme,
    /// A scheme other than `inproc`, `shm`, `pipe` and `tcp`.
    UnknownScheme(String),
    /// Nothing after `://`.
    EmptyName,
    /// A character that a name may not hold (NUL, a control character, whitespace).
    InvalidCharacter(char),
    /// A socket path or abstract name longer than a Unix socket address holds.
    NameTooLong {
        /// Its length in bytes.
        length: usize,
        /// The longest allowed, in bytes.
        max: usize,
    },
    /// `tcp://HOST` without `:PORT`.
    MissingPort,
    /// A port that is not a number from 1 to 65535.
    InvalidPort(String),
    /// A host that is not an IPv4 address, a bracketed IPv6 address or a host name.
    InvalidHost(String),
}

impl Endpoint {
    /// Parses `inproc://NAME`, `shm://NAME`, `pipe://NAME` or `tcp://HOST:PORT`.
    pub fn parse(url: &str) -> Result<Endpoint, EndpointError> {
        let error = |kind| EndpointError {
            url: url.to_owned(),
            kind,
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| error(EndpointErrorKind::MissingScheme))?;
        match Transport::from_name(scheme) {
            Some(Transport::Inproc) => Ok(Endpoint::Inproc(plain_name(rest).map_err(error)?)),
            Some(Transport::Shm) => Ok(Endpoint::Shm(SocketName::parse(rest).map_err(error)?)),
            Some(Transport::Pipe) => Ok(Endpoint::Pipe(SocketName::parse(rest).map_err(error)?)),
            Some(Transport::Tcp) => Ok(Endpoint::Tcp(TcpAddress::parse(rest).map_err(error)?)),
            None => Err(error(EndpointErrorKind::UnknownScheme(scheme.to_owned()))),
        }
    }

    /// The transport, which the URL's scheme names.
    pub fn transport(&self) -> Transport {
        match self {
            Endpoint::Inproc(_) => Transport::Inproc,
            Endpoint::Shm(_) => Transport::Shm,
            Endpoint::Pipe(_) => Transport::Pipe,
            Endpoint::Tcp(_) => Transport::Tcp,
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.transport())?;
        match self {
            Endpoint::Inproc(name) => f.write_str(name),
            Endpoint::Shm(socket) | Endpoint::Pipe(socket) => socket.fmt(f),
            Endpoint::Tcp(address) => address.fmt(f),
        }
    }
}

impl std::str::FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(url: &str) -> Result<Endpoint, EndpointError> {
        Endpoint::parse(url)
    }
}

impl SocketName {
    /// A path when `name` starts with `/` or `.`, an abstract name otherwise.
    pub fn parse(name: &str) -> Result<SocketName, EndpointErrorKind> {
        let name = plain_name(name)?;
        if name.starts_with('/') || name.starts_with('.') {
            check_length(name.len(), MAX_PATH_LEN)?;
            Ok(SocketName::Path(PathBuf::from(name)))
        } else {
            check_length(name.len(), MAX_ABSTRACT_NAME_LEN)?;
            Ok(SocketName::Abstract(name))
        }
    }

    /// The address as `ss -x` shows it: `@interop/NAME` for an abstract name (the `@` stands
    /// for the leading NUL byte), the path otherwise.
    pub fn address(&self) -> String {
        match self {
            SocketName::Path(path) => path.display().to_string(),
            SocketName::Abstract(name) => format!("@{ABSTRACT_PREFIX}{name}"),
        }
    }

    /// The address to bind or connect a `std` or `mio` Unix socket to. Abstract names exist
    /// on Linux (and Android) only; elsewhere they are an `Unsupported` error.
    pub fn socket_addr(&self) -> std::io::Result<std::os::unix::net::SocketAddr> {
        match self {
            SocketName::Path(path) => std::os::unix::net::SocketAddr::from_pathname(path),
            SocketName::Abstract(name) => abstract_socket_addr(name),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn abstract_socket_addr(name: &str) -> std::io::Result<std::os::unix::net::SocketAddr> {
    #[cfg(target_os = "android")]
    use std::os::android::net::SocketAddrExt;
    #[cfg(target_os = "linux")]
    use std::os::linux::net::SocketAddrExt;
    std::os::unix::net::SocketAddr::from_abstract_name(format!("{ABSTRACT_PREFIX}{name}"))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn abstract_socket_addr(name: &str) -> std::io::Result<std::os::unix::net::SocketAddr> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        format!(
            "abstract Unix socket `@{ABSTRACT_PREFIX}{name}` needs Linux; use a path (`/run/...`)"
        ),
    ))
}

impl fmt::Display for SocketName {
    /// As written in a URL: the path, or the abstract name without [`ABSTRACT_PREFIX`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketName::Path(path) => write!(f, "{}", path.display()),
            SocketName::Abstract(name) => f.write_str(name),
        }
    }
}

impl TcpAddress {
    /// Parses `HOST:PORT`, where `HOST` is an IPv4 address, an IPv6 address in brackets
    /// (`[::1]:7000`) or a host name.
    pub fn parse(text: &str) -> Result<TcpAddress, EndpointErrorKind> {
        if text.is_empty() {
            return Err(EndpointErrorKind::EmptyName);
        }
        let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
            let (inside, after) = bracketed
                .split_once(']')
                .ok_or_else(|| EndpointErrorKind::InvalidHost(text.to_owned()))?;
            inside
                .parse::<Ipv6Addr>()
                .map_err(|_| EndpointErrorKind::InvalidHost(format!("[{inside}]")))?;
            let port = after.strip_prefix(':').ok_or(if after.is_empty() {
                EndpointErrorKind::MissingPort
            } else {
                EndpointErrorKind::InvalidPort(after.to_owned())
            })?;
            (inside, port)
        } else {
            let (host, port) = text
                .rsplit_once(':')
                .ok_or(EndpointErrorKind::MissingPort)?;
            check_host(host)?;
            (host, port)
        };
        Ok(TcpAddress {
            host: host.to_owned(),
            port: parse_port(port)?,
        })
    }
}

impl fmt::Display for TcpAddress {
    /// `host:port`, with an IPv6 host in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl ToSocketAddrs for TcpAddress {
    type Iter = std::vec::IntoIter<SocketAddr>;

    /// Resolves the host (a DNS lookup for a host name).
    fn to_socket_addrs(&self) -> std::io::Result<Self::Iter> {
        (self.host.as_str(), self.port).to_socket_addrs()
    }
}

/// Checks that `host` is an IPv4 address or a host name (IPv6 addresses come in brackets).
pub(crate) fn check_host(host: &str) -> Result<(), EndpointErrorKind> {
    let invalid = || EndpointErrorKind::InvalidHost(host.to_owned());
    let looks_numeric = host
        .bytes()
        .all(|byte| byte.is_ascii_digit() || byte == b'.');
    if looks_numeric {
        return host.parse::<Ipv4Addr>().map(drop).map_err(|_| invalid());
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= MAX_HOST_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
    };
    if host.len() <= MAX_HOST_NAME_LEN && host.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(invalid())
    }
}

fn parse_port(text: &str) -> Result<u16, EndpointErrorKind> {
    let invalid = || EndpointErrorKind::InvalidPort(text.to_owned());
    if text.is_empty() {
        return Err(EndpointErrorKind::MissingPort);
    }
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(invalid());
    }
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(invalid()),
        Ok(port) => Ok(port),
    }
}

/// A non-empty name without NUL, control characters or whitespace.
fn plain_name(name: &str) -> Result<String, EndpointErrorKind> {
    if name.is_empty() {
        return Err(EndpointErrorKind::EmptyName);
    }
    match name.chars().find(|c| c.is_control() || c.is_whitespace()) {
        Some(bad) => Err(EndpointErrorKind::InvalidCharacter(bad)),
        None => Ok(name.to_owned()),
    }
}

fn check_length(length: usize, max: usize) -> Result<(), EndpointErrorKind> {
    if length > max {
        Err(EndpointErrorKind::NameTooLong { length, max })
    } else {
        Ok(())
    }
}

impl fmt::Display for EndpointErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointErrorKind::MissingScheme => f.write_str("no `SCHEME://` at the start"),
            EndpointErrorKind::UnknownScheme(scheme) => write!(f, "unknown scheme `{scheme}`"),
            EndpointErrorKind::EmptyName => f.write_str("nothing after `://`"),
            EndpointErrorKind::InvalidCharacter(c) => {
                write!(f, "the name holds {c:?}, which is not allowed")
            }
            EndpointErrorKind::NameTooLong { length, max } => write!(
                f,
                "the socket name is {length} bytes long, more than the {max} a Unix socket \
                 address holds"
            ),
            EndpointErrorKind::MissingPort => f.write_str("no `:PORT` after the host"),
            EndpointErrorKind::InvalidPort(port) => {
                write!(f, "`{port}` is not a port (a number from 1 to 65535)")
            }
            EndpointErrorKind::InvalidHost(host) => write!(
                f,
                "`{host}` is not an IPv4 address, a bracketed IPv6 address or a host name"
            ),
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.url.split_once("://").map(|(scheme, _)| scheme);
        let expected = match scheme {
            Some("inproc") => {
                "expected `inproc://NAME`, e.g. `inproc://fleet.control.FleetControl`"
            }
            Some("shm") => {
                "expected `shm://NAME` (abstract socket `@interop/NAME`) or `shm:///PATH`, e.g. \
                 `shm://fleet/control`"
            }
            Some("pipe") => {
                "expected `pipe://NAME` (abstract socket `@interop/NAME`) or `pipe:///PATH`, \
                 e.g. `pipe:///run/fleet/control.sock`"
            }
            Some("tcp") => {
                "expected `tcp://HOST:PORT`, e.g. `tcp://10.0.0.2:7000`, `tcp://[::1]:7000` or \
                 `tcp://control.example.net:7000`"
            }
            _ => {
                "expected `inproc://NAME`, `shm://NAME`, `pipe://NAME` or `tcp://HOST:PORT`, \
                 e.g. `tcp://10.0.0.2:7000`"
            }
        };
        write!(
            f,
            "invalid endpoint `{}`: {}; {expected}",
            self.url, self.kind
        )
    }
}

impl std::error::Error for EndpointError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Endpoint {
        let endpoint = Endpoint::parse(url).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(endpoint.to_string(), url, "Display gives the URL back");
        endpoint
    }

    fn refused(url: &str) -> EndpointError {
        Endpoint::parse(url).expect_err(url)
    }

    fn tcp(host: &str, port: u16) -> Endpoint {
        Endpoint::Tcp(TcpAddress {
            host: host.to_owned(),
            port,
        })
    }

    #[test]
    fn inproc_names_anything_printable() {
        assert_eq!(
            parsed("inproc://fleet.control.FleetControl").transport(),
            Transport::Inproc
        );
        assert_eq!(
            parsed("inproc://fleet.control.FleetControl"),
            Endpoint::Inproc("fleet.control.FleetControl".to_owned())
        );
    }

    #[test]
    fn unix_socket_names_are_abstract_unless_they_look_like_paths() {
        assert_eq!(
            parsed("shm://fleet/control"),
            Endpoint::Shm(SocketName::Abstract("fleet/control".to_owned()))
        );
        assert_eq!(
            parsed("pipe:///run/fleet/control.sock"),
            Endpoint::Pipe(SocketName::Path("/run/fleet/control.sock".into()))
        );
        assert_eq!(
            parsed("shm://./control.sock"),
            Endpoint::Shm(SocketName::Path("./control.sock".into()))
        );
        assert_eq!(
            parsed("pipe://../control.sock"),
            Endpoint::Pipe(SocketName::Path("../control.sock".into()))
        );
    }

    #[test]
    fn transports_are_named_by_their_scheme() {
        for transport in Transport::ALL {
            assert_eq!(Transport::from_name(transport.name()), Some(transport));
            assert_eq!(transport.to_string(), transport.name());
        }
        assert_eq!(Transport::from_name("udp"), None);
        assert_eq!(parsed("tcp://h:1").transport(), Transport::Tcp);
        assert_eq!(parsed("shm://x").transport(), Transport::Shm);
        assert_eq!(parsed("pipe://x").transport(), Transport::Pipe);
    }

    #[test]
    fn tcp_hosts_are_ipv4_ipv6_or_names() {
        assert_eq!(parsed("tcp://10.0.0.2:7000"), tcp("10.0.0.2", 7000));
        assert_eq!(parsed("tcp://[::1]:7000"), tcp("::1", 7000));
        assert_eq!(parsed("tcp://[fe80::1:2]:1"), tcp("fe80::1:2", 1));
        assert_eq!(
            parsed("tcp://control.example.net:65535"),
            tcp("control.example.net", 65535)
        );
        assert_eq!(parsed("tcp://localhost:80"), tcp("localhost", 80));
        assert_eq!(parsed("tcp://host-1:80"), tcp("host-1", 80));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn abstract_names_carry_the_prefix() {
        let name = SocketName::Abstract("fleet/control".to_owned());
        assert_eq!(name.address(), "@interop/fleet/control");
        let address = name.socket_addr().unwrap();
        use std::os::linux::net::SocketAddrExt;
        assert_eq!(
            address.as_abstract_name(),
            Some(&b"interop/fleet/control"[..])
        );
        let path = SocketName::Path("/run/x.sock".into());
        assert_eq!(path.address(), "/run/x.sock");
        assert_eq!(
            path.socket_addr().unwrap().as_pathname(),
            Some(std::path::Path::new("/run/x.sock"))
        );
    }

    #[test]
    fn the_longest_names_fit_a_socket_address() {
        let longest = "a".repeat(MAX_ABSTRACT_NAME_LEN);
        let name = SocketName::parse(&longest).unwrap();
        assert!(name.socket_addr().is_ok());
        let longest_path = format!("/{}", "a".repeat(MAX_PATH_LEN - 1));
        assert!(SocketName::parse(&longest_path)
            .unwrap()
            .socket_addr()
            .is_ok());
    }

    #[test]
    fn tcp_addresses_resolve() {
        let address = TcpAddress::parse("127.0.0.1:7000").unwrap();
        let resolved: Vec<SocketAddr> = address.to_socket_addrs().unwrap().collect();
        assert_eq!(resolved, vec!["127.0.0.1:7000".parse().unwrap()]);
        let address = TcpAddress::parse("[::1]:7000").unwrap();
        let resolved: Vec<SocketAddr> = address.to_socket_addrs().unwrap().collect();
        assert_eq!(resolved, vec!["[::1]:7000".parse().unwrap()]);
    }

    #[test]
    fn errors_name_the_problem_and_show_a_valid_url() {
        let cases: &[(&str, EndpointErrorKind, &str)] = &[
            (
                "fleet",
                EndpointErrorKind::MissingScheme,
                "tcp://10.0.0.2:7000",
            ),
            (
                "udp://h:1",
                EndpointErrorKind::UnknownScheme("udp".to_owned()),
                "`inproc://NAME`, `shm://NAME`",
            ),
            (
                "inproc://",
                EndpointErrorKind::EmptyName,
                "inproc://fleet.control",
            ),
            (
                "inproc://a b",
                EndpointErrorKind::InvalidCharacter(' '),
                "inproc://fleet.control",
            ),
            (
                "shm://a\0b",
                EndpointErrorKind::InvalidCharacter('\0'),
                "shm://fleet/control",
            ),
            ("pipe://", EndpointErrorKind::EmptyName, "pipe:///run/fleet"),
            (
                "tcp://",
                EndpointErrorKind::EmptyName,
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://10.0.0.2",
                EndpointErrorKind::MissingPort,
                "tcp://[::1]:7000",
            ),
            (
                "tcp://[::1]",
                EndpointErrorKind::MissingPort,
                "tcp://[::1]:7000",
            ),
            (
                "tcp://h:",
                EndpointErrorKind::MissingPort,
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://h:0",
                EndpointErrorKind::InvalidPort("0".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://h:65536",
                EndpointErrorKind::InvalidPort("65536".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://h:+80",
                EndpointErrorKind::InvalidPort("+80".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://[::1]x",
                EndpointErrorKind::InvalidPort("x".to_owned()),
                "tcp://[::1]:7000",
            ),
            (
                "tcp://::1:7000",
                EndpointErrorKind::InvalidHost("::1".to_owned()),
                "tcp://[::1]:7000",
            ),
            (
                "tcp://[::g]:7000",
                EndpointErrorKind::InvalidHost("[::g]".to_owned()),
                "tcp://[::1]:7000",
            ),
            (
                "tcp://[::1:7000",
                EndpointErrorKind::InvalidHost("[::1:7000".to_owned()),
                "tcp://[::1]:7000",
            ),
            (
                "tcp://10.0.0.256:1",
                EndpointErrorKind::InvalidHost("10.0.0.256".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://1.2.3:1",
                EndpointErrorKind::InvalidHost("1.2.3".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://-bad.example:1",
                EndpointErrorKind::InvalidHost("-bad.example".to_owned()),
                "tcp://control.example.net:7000",
            ),
            (
                "tcp://a..b:1",
                EndpointErrorKind::InvalidHost("a..b".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
            (
                "tcp://under_score:1",
                EndpointErrorKind::InvalidHost("under_score".to_owned()),
                "tcp://10.0.0.2:7000",
            ),
        ];
        for (url, kind, example) in cases {
            let error = refused(url);
            assert_eq!(&error.kind, kind, "{url}");
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("invalid endpoint `{url}`: ")),
                "{message}"
            );
            assert!(message.contains(example), "{url}: {message}");
        }
    }

    #[test]
    fn names_too_long_for_a_socket_address_are_refused() {
        let name = "a".repeat(MAX_ABSTRACT_NAME_LEN + 1);
        assert_eq!(
            refused(&format!("shm://{name}")).kind,
            EndpointErrorKind::NameTooLong {
                length: 100,
                max: 99
            }
        );
        let path = format!("/{}", "a".repeat(MAX_PATH_LEN));
        let error = refused(&format!("pipe://{path}"));
        assert_eq!(
            error.kind,
            EndpointErrorKind::NameTooLong {
                length: 108,
                max: 107
            }
        );
        assert!(error
            .to_string()
            .contains("more than the 107 a Unix socket address holds"));
        let host = format!("{}.net", "a".repeat(MAX_HOST_LABEL_LEN + 1));
        assert_eq!(
            refused(&format!("tcp://{host}:1")).kind,
            EndpointErrorKind::InvalidHost(host)
        );
    }
}
