"""Small process facts and controls: resident memory, dying with the parent (Linux), ignoring Ctrl-C."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
#: prctl option: a signal the kernel sends when the parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
#: How often the portable watchdog looks for its parent.
WATCHDOG_SECONDS = 1.0


def rss_bytes(pid: int | None = None) -> int | None:
    """Resident set size of a process (this one by default) in bytes; None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid` ends, however it ends (kill -9 included).

    On Linux the kernel sends SIGKILL on the parent's death (PR_SET_PDEATHSIG); elsewhere, and as a second
    guard, a daemon thread checks every second that the parent is still our parent. Checking right after
    prctl closes the race where the parent died before we asked.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="vigie-parent-watchdog", daemon=True).start()


def ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: workers leave it to the parent, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
