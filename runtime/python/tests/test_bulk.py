"""A 1 MiB request loaned over shm:// to the Rust bulk-server (BULK_SERVER), filled in place
through a memoryview: its address lies in a shared-memory mapping, no 1 MiB bytes object is
built, and the server's checksum matches what was written."""

from __future__ import annotations

import ctypes
import tracemalloc
import unittest

import bulk
from support import ServerProcess, unique_url

CHUNK = bytes(range(256)) * 16  # 4 KiB


def fnv1a(data: bytes, hash: int = 0xCBF29CE484222325) -> int:
    for byte in data:
        hash = ((hash ^ byte) * 0x100000001B3) & 0xFFFF_FFFF_FFFF_FFFF
    return hash


def shared_mapping(address: int) -> str | None:
    """The /proc/self/maps line of the shared mapping holding `address`, if one does."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            low, high = (int(part, 16) for part in fields[0].split("-"))
            if low <= address < high:
                return line if fields[1].endswith("s") else None
    return None


class OneMebibyte(unittest.TestCase):
    def test_filled_in_place_over_shared_memory(self) -> None:
        server = ServerProcess("BULK_SERVER", unique_url("shm"), bulk.BulkClient.connect)
        self.addCleanup(server.kill)
        with bulk.BulkClient.connect(server.url) as client:
            tracemalloc.start()
            with client.loan_checksum() as request:
                view = request.data.buffer()
                self.assertEqual(len(view), bulk.BLOB_BYTES)
                data_address = ctypes.addressof(request.data.data)
                slot = ctypes.addressof(request)
                self.assertTrue(slot <= data_address < slot + ctypes.sizeof(request))
                mapping = shared_mapping(data_address)
                self.assertIsNotNone(mapping, "the loaned request is not in a shared mapping")
                for offset in range(0, len(view), len(CHUNK)):
                    view[offset : offset + len(CHUNK)] = CHUNK
                request.data.len = len(view)
                checksum = request.send()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.assertLess(peak, 256 * 1024, "a copy of the blob was made in Python")
            blob = CHUNK * (bulk.BLOB_BYTES // len(CHUNK))
            self.assertEqual(checksum.len, bulk.BLOB_BYTES)
            self.assertEqual(checksum.sum, sum(blob))
            self.assertEqual(checksum.fnv1a, fnv1a(blob))


if __name__ == "__main__":
    unittest.main()
