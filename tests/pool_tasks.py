"""Functions for the worker-pool tests: importable by spawned workers (tests/ is on their sys.path)."""
from __future__ import annotations

import os
import time

_state: dict[str, object] = {}


def setup() -> None:
    _state["ready"] = os.getpid()


def fail_setup() -> None:
    raise RuntimeError("no model here")


def work(item: object) -> object:
    """Echo, or misbehave as the item says: "crash", "hang", "raise", "hog:<MB>", "sleep:<s>"."""
    if item == "crash":
        os._exit(3)
    if item == "hang":
        while True:
            time.sleep(0.05)
    if item == "raise":
        raise ValueError("bad item")
    if isinstance(item, str) and item.startswith("hog:"):
        block = bytearray(int(item[4:]) * 2**20)
        for i in range(0, len(block), 4096):  # touch every page so that it is resident
            block[i] = 1
        time.sleep(5)
        return len(block)
    if isinstance(item, str) and item.startswith("sleep:"):
        time.sleep(float(item[6:]))
        return item
    return ("ok", item, _state.get("ready"))
