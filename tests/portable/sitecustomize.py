"""Loaded at start-up by every Python whose PYTHONPATH holds this folder (tests/test_portable.py):
the process sees a system without `fcntl`, `os.O_TMPFILE`, `os.O_NOFOLLOW`, user ids and
/proc, as Windows or macOS would show it, so jixiao's portable paths run on this machine."""

import os
import sys

sys.modules["fcntl"] = None  # `import fcntl` raises ImportError
for _name in ("O_TMPFILE", "O_NOFOLLOW", "getuid"):
    if hasattr(os, _name):
        delattr(os, _name)

from jixiao.store.disk import atomic  # noqa: E402  (after the hiding: it reads os as it finds it)

atomic.PROC_FD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "no-proc", "fd")
