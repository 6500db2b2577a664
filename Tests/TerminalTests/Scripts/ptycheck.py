"""What the pseudo-terminal scripts share: the binary and state folder from the command line, the
environment the binary runs in, and the check that prints "ok: ..." or "FAIL: ..." and stops at
the first failure."""
import os
import sys

binary, state = sys.argv[1], sys.argv[2]
env = dict(os.environ, XDG_STATE_HOME=state, TERM="xterm", NO_COLOR="1")


def check(condition, what):
    print(("ok: " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        sys.exit(1)
