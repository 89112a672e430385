"""Edit one cell of a project and save it, as the editor does (store/session/editing.py + save), in a
process started with the portable prelude (tests/test_portable.py runs it).

    python edit_save.py WORKSPACE PROJECT VALUE
"""

import sys
from pathlib import Path

from jixiao.store.disk import atomic, fsio, lock
from jixiao.store.session.editing import EditSession
from jixiao.store.workspace.workspace import Workspace

assert lock.fcntl is None and atomic.O_TMPFILE == 0 and fsio.O_NOFOLLOW == 0
assert not Path(atomic.PROC_FD).exists()

root, project, value = sys.argv[1:4]
ws = Workspace(Path(root))
ref = ws.resolve(project, ws.root)
text = ref.path.read_text("utf-8")
session = EditSession(ws.load(ref), ws.profile(), text)
assert session.set(("indicators", 0, "note"), value)
ws.save(ref, session.sheet, text)
print("saved")
