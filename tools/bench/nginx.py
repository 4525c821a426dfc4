"""Debian's nginx as a child process, with sendfile: serving one folder, or in
front of an app with one of the Behind nginx page's config files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.bench.common import HOST
from tools.nginx import MAIN, PROXY, TEMP_PATHS, available, proxy, run, user_directive

__all__ = ["available", "proxy_sendfile", "serve_folder"]

CONFIG = (
    MAIN
    + """\
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    types {{ }}
"""
    + TEMP_PATHS
    + """\
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""
)


@contextmanager
def serve_folder(root: Path, work: Path) -> Iterator[int]:
    """Serve `root` on a free port until the block ends; yields the port."""

    def config(port: int) -> str:
        return CONFIG.format(
            user=user_directive(),
            work=work,
            log_level="warn",
            host=HOST,
            port=port,
            root=root,
        )

    with run(work, config) as port:
        yield port


# tools/nginx.py's PROXY, with the file settings of the ceiling above. nginx's
# built-in default is `sendfile off`; Debian's /etc/nginx/nginx.conf turns it
# on, so a file sent on the app's word (X-Accel-Redirect) goes out as nginx's
# own files do.
SENDFILE = "    sendfile on;\n    tcp_nopush on;\n"
PROXY_SENDFILE = PROXY.replace(
    "    access_log off;\n", "    access_log off;\n" + SENDFILE
)
assert PROXY_SENDFILE != PROXY


@contextmanager
def proxy_sendfile(conf: Path, upstream_port: int, work: Path) -> Iterator[int]:
    """tools.nginx.proxy with sendfile on; yields nginx's port."""
    with proxy(conf, upstream_port, work, template=PROXY_SENDFILE) as port:
        yield port
