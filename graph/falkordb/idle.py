"""Stop an embedded FalkorDB server that nothing has used for a while.

A mistyped ``--data-dir`` starts a new server; without this it would run until the machine
stops. When dhrkg starts a server it also starts this watcher (a small detached process):
every few seconds it asks the server how many commands it has processed and how many clients
are connected; when no command but its own arrived and no other client was connected for
``DHRKG_IDLE_TIMEOUT`` seconds (default 3600; 0 = never), it stops the server cleanly (everything
written is already on disk) and exits. It also exits when the server stops or is replaced.

    python -m dhrkg.graph.falkordb.idle DATA_DIR PID SECONDS
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from . import server


def watch(data_dir: Path, pid: int, seconds: float) -> None:
    paths = server.ServerPaths(data_dir)
    poll = min(30.0, max(0.2, seconds / 5))
    client = server._client(paths.socket, 5.0)
    last_seen, quiet_since = None, time.monotonic()
    while server._read_pid(paths.pid_file) == pid and server._is_redis_process(pid):
        try:
            info = client.info("stats")
            clients = client.info("clients")["connected_clients"]
        except Exception:
            return
        # each poll costs this watcher 2 commands; anything more is someone else's
        processed = info["total_commands_processed"]
        if last_seen is None or processed - last_seen > 2 or clients > 1:
            quiet_since = time.monotonic()
        last_seen = processed
        if time.monotonic() - quiet_since >= seconds:
            client.close()
            if server._read_pid(paths.pid_file) == pid:
                server.stop(data_dir)
            return
        time.sleep(poll)


if __name__ == "__main__":
    watch(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
