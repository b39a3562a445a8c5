//! Sending a small message with file descriptors over a Unix socket (`SCM_RIGHTS`), and
//! receiving it without ever keeping a descriptor the receiver did not ask for.
//!
//! Received descriptors are close-on-exec (`MSG_CMSG_CLOEXEC`) and owned at once, so that
//! every refusal (too many descriptors, truncated control data, an unexpected control
//! message) closes them.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use super::error::ShmError;

/// The most descriptors one message carries.
pub const MAX_FDS: usize = 16;

/// Bytes of control data for [`MAX_FDS`] descriptors.
// SAFETY: `CMSG_SPACE` is plain arithmetic.
const CONTROL_LEN: usize = unsafe { libc::CMSG_SPACE((MAX_FDS * 4) as u32) } as usize;

/// Control data, aligned for `cmsghdr`.
#[repr(C, align(8))]
struct ControlBuffer([u8; CONTROL_LEN]);

/// Sends `bytes` (at least one) and `fds` (at most [`MAX_FDS`]) over the Unix socket. The
/// descriptors arrive with the first byte; the rest of `bytes` follows if the socket took
/// only part of it.
pub fn send_with_fds(
    socket: impl AsFd,
    bytes: &[u8],
    fds: &[BorrowedFd<'_>],
) -> Result<(), ShmError> {
    assert!(
        !bytes.is_empty(),
        "descriptors travel with at least one byte"
    );
    assert!(
        fds.len() <= MAX_FDS,
        "at most {MAX_FDS} descriptors per message"
    );
    let socket = socket.as_fd().as_raw_fd();
    let mut control = ControlBuffer([0; CONTROL_LEN]);
    let raw_fds: Vec<RawFd> = fds.iter().map(AsRawFd::as_raw_fd).collect();
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr().cast_mut().cast(),
        iov_len: bytes.len(),
    };
    // SAFETY: `msghdr` is plain data; all-zero is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1;
    if !raw_fds.is_empty() {
        let payload = std::mem::size_of_val(raw_fds.as_slice()) as u32;
        header.msg_control = control.0.as_mut_ptr().cast();
        // SAFETY: plain arithmetic.
        header.msg_controllen = unsafe { libc::CMSG_SPACE(payload) } as usize;
        // SAFETY: the control buffer holds `CMSG_SPACE(payload)` bytes (at most
        // `CONTROL_LEN`), aligned for `cmsghdr`, so the first header and its data fit.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&header);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(payload) as usize;
            std::ptr::copy_nonoverlapping(
                raw_fds.as_ptr(),
                libc::CMSG_DATA(cmsg).cast::<RawFd>(),
                raw_fds.len(),
            );
        }
    }
    let sent = loop {
        // SAFETY: `header` points at live buffers for the duration of the call.
        let sent = unsafe { libc::sendmsg(socket, &header, libc::MSG_NOSIGNAL) };
        if sent >= 0 {
            break sent as usize;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(ShmError::socket(
                format!(
                    "sending {} descriptors over a Unix socket (fd {socket})",
                    fds.len()
                ),
                error,
            ));
        }
    };
    send_rest(socket, &bytes[sent..])
}

/// Sends what a partial `sendmsg` left, without descriptors.
fn send_rest(socket: RawFd, mut rest: &[u8]) -> Result<(), ShmError> {
    while !rest.is_empty() {
        // SAFETY: `rest` is a live buffer of `rest.len()` bytes.
        let sent =
            unsafe { libc::send(socket, rest.as_ptr().cast(), rest.len(), libc::MSG_NOSIGNAL) };
        if sent < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(ShmError::socket(
                format!("sending the rest of a message over a Unix socket (fd {socket})"),
                error,
            ));
        }
        rest = &rest[sent as usize..];
    }
    Ok(())
}

/// Receives into `buffer` the bytes of one `recvmsg` and the descriptors that came with them,
/// at most `max_fds` (and [`MAX_FDS`]); anything more, or truncated, is refused and every
/// descriptor received is closed. The peer closing the socket is a
/// [`super::ShmErrorKind::Closed`] error.
pub fn recv_with_fds(
    socket: impl AsFd,
    buffer: &mut [u8],
    max_fds: usize,
) -> Result<(usize, Vec<OwnedFd>), ShmError> {
    let socket = socket.as_fd().as_raw_fd();
    let mut control = ControlBuffer([0; CONTROL_LEN]);
    let mut iov = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    // SAFETY: `msghdr` is plain data; all-zero is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1;
    header.msg_control = control.0.as_mut_ptr().cast();
    header.msg_controllen = CONTROL_LEN;
    let received = loop {
        // SAFETY: `header` points at live, writable buffers for the duration of the call.
        let received = unsafe { libc::recvmsg(socket, &mut header, libc::MSG_CMSG_CLOEXEC) };
        if received >= 0 {
            break received as usize;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(ShmError::socket(
                format!("receiving descriptors over a Unix socket (fd {socket})"),
                error,
            ));
        }
    };
    // Own every descriptor before judging anything, so that refusals close them.
    let (fds, unexpected) = take_descriptors(&header);
    if header.msg_flags & libc::MSG_CTRUNC != 0 {
        return Err(ShmError::refused(
            format!(
                "descriptors received over a Unix socket (fd {socket}): the control data was \
                 truncated (more than {MAX_FDS} descriptors sent); all of them were closed"
            ),
            "the peer sent more descriptors than the protocol allows",
        ));
    }
    if let Some((level, kind)) = unexpected {
        return Err(ShmError::refused(
            format!(
                "descriptors received over a Unix socket (fd {socket}): an unexpected control \
                 message (level {level}, type {kind}); the descriptors were closed"
            ),
            "the peer must send only SCM_RIGHTS",
        ));
    }
    if fds.len() > max_fds {
        return Err(ShmError::refused(
            format!(
                "descriptors received over a Unix socket (fd {socket}): {} descriptors, \
                 expected at most {max_fds}; all of them were closed",
                fds.len()
            ),
            "the peer speaks another version of the protocol",
        ));
    }
    if received == 0 && fds.is_empty() && !buffer.is_empty() {
        return Err(ShmError::closed(format!(
            "receiving descriptors over a Unix socket (fd {socket}): the peer closed it"
        )));
    }
    Ok((received, fds))
}

/// Takes ownership of every `SCM_RIGHTS` descriptor in the control data; also reports the
/// first control message of another kind.
fn take_descriptors(header: &libc::msghdr) -> (Vec<OwnedFd>, Option<(i32, i32)>) {
    let mut fds = Vec::new();
    let mut unexpected = None;
    // SAFETY: the kernel filled `msg_controllen` bytes of the control buffer with well-formed
    // control messages; the CMSG_* macros walk them within that length.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(header);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg);
                let bytes = (*cmsg).cmsg_len - libc::CMSG_LEN(0) as usize;
                for i in 0..bytes / std::mem::size_of::<RawFd>() {
                    let fd = data.cast::<RawFd>().add(i).read_unaligned();
                    fds.push(OwnedFd::from_raw_fd(fd));
                }
            } else if unexpected.is_none() {
                unexpected = Some(((*cmsg).cmsg_level, (*cmsg).cmsg_type));
            }
            cmsg = libc::CMSG_NXTHDR(header, cmsg);
        }
    }
    (fds, unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::error::ShmErrorKind;
    use std::io::{Read, Seek, Write};
    use std::os::unix::net::UnixStream;

    /// A temporary file with `text` in it, open for reading.
    fn file_with(text: &str) -> std::fs::File {
        let region = crate::shm::Region::create("fd-passing", text.len()).unwrap();
        let mut file = std::fs::File::from(region.memfd().try_clone_to_owned().unwrap());
        file.write_all(text.as_bytes()).unwrap();
        file.rewind().unwrap();
        file
    }

    #[test]
    fn descriptors_arrive_with_the_message() {
        let (left, right) = UnixStream::pair().unwrap();
        let first = file_with("first");
        let second = file_with("second");
        send_with_fds(&left, b"hello", &[first.as_fd(), second.as_fd()]).unwrap();
        let mut buffer = [0u8; 16];
        let (len, fds) = recv_with_fds(&right, &mut buffer, 2).unwrap();
        assert_eq!(&buffer[..len], b"hello");
        let texts: Vec<String> = fds
            .into_iter()
            .map(|fd| {
                let mut text = String::new();
                std::fs::File::from(fd).read_to_string(&mut text).unwrap();
                text
            })
            .collect();
        assert_eq!(texts, ["first", "second"]);
    }

    #[test]
    fn too_many_descriptors_are_refused() {
        let (left, right) = UnixStream::pair().unwrap();
        let file = file_with("x");
        send_with_fds(&left, b"m", &[file.as_fd(), file.as_fd(), file.as_fd()]).unwrap();
        let error = recv_with_fds(&right, &mut [0u8; 4], 2).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(
            error
                .to_string()
                .contains("3 descriptors, expected at most 2"),
            "{error}"
        );
    }

    #[test]
    fn truncated_control_data_is_refused() {
        let (left, right) = UnixStream::pair().unwrap();
        let file = file_with("x");
        // One more descriptor than the receiver's control buffer holds, sent by hand.
        let fds = vec![file.as_raw_fd(); MAX_FDS + 1];
        let payload = std::mem::size_of_val(fds.as_slice()) as u32;
        // SAFETY: plain arithmetic.
        let space = unsafe { libc::CMSG_SPACE(payload) } as usize;
        let mut control = vec![0u64; space.div_ceil(8)];
        let byte = [7u8];
        let mut iov = libc::iovec {
            iov_base: byte.as_ptr().cast_mut().cast(),
            iov_len: 1,
        };
        // SAFETY: a message header over live buffers, filled as `send_with_fds` does.
        unsafe {
            let mut header: libc::msghdr = std::mem::zeroed();
            header.msg_iov = &mut iov;
            header.msg_iovlen = 1;
            header.msg_control = control.as_mut_ptr().cast();
            header.msg_controllen = space;
            let cmsg = libc::CMSG_FIRSTHDR(&header);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(payload) as usize;
            std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(cmsg).cast(), fds.len());
            assert_eq!(libc::sendmsg(left.as_raw_fd(), &header, 0), 1);
        }
        let error = recv_with_fds(&right, &mut [0u8; 4], MAX_FDS).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Refused);
        assert!(error.to_string().contains("truncated"), "{error}");
    }

    #[test]
    fn a_closed_peer_is_reported() {
        let (left, right) = UnixStream::pair().unwrap();
        drop(left);
        let error = recv_with_fds(&right, &mut [0u8; 4], 1).unwrap_err();
        assert_eq!(error.kind(), ShmErrorKind::Closed);
    }
}
