"""Drives the real `charley` binary in a pseudo-terminal, as a person at a terminal would.

Usage: pty_session.py CHARLEY_BINARY STATE_DIR
Prints one line per check ("ok: ..." or "FAIL: ...") and exits non-zero on the first failure.
"""
import os
import time

import pexpect

from ptycheck import binary, check, env, state


child = pexpect.spawn(binary, env=env, encoding="utf-8", timeout=10, dimensions=(40, 100))
child.expect("you> ")
check("diagnose" in child.before and "emergenc" in child.before, "the greeting says what Charley is not")
check(True, "the prompt appears")

child.sendline("my calf cramps at night")
child.expect("How long does one cramp")
child.expect("you> ")
check(True, "a description is answered with the next question")

child.send("/su\t")  # Tab completes the command
child.expect("/summary")
child.sendline("")
child.expect("So far I know")
child.expect("you> ")
check(True, "Tab completes /summary")

child.send("a few s\t")  # and the pending question's suggested answers
child.expect("a few seconds")
child.sendline("")
child.expect("How often")
child.expect("you> ")
check(True, "Tab completes a suggested answer")

child.send("half typed")
child.expect("half typed")  # echoed: readline has read it (a Ctrl-C flushes unread input)
time.sleep(0.2)
child.sendintr()  # Ctrl-C clears the line and keeps going
child.expect("you> ")
check("Press Ctrl-C again" not in child.before, "Ctrl-C on a typed line only clears it")
child.sendline("now and then")
child.expect("bring them on")
child.expect("you> ")
check(True, "Ctrl-C clears the line without leaving")

child.sendeof()  # Ctrl-D leaves with a goodbye and exit code 0
child.expect("Take care")
child.expect(pexpect.EOF)
child.close()
check(child.exitstatus == 0, "Ctrl-D leaves with exit code 0 (got %r)" % child.exitstatus)

history = os.path.join(state, "charley", "history")
check(os.path.exists(history), "the history file is written")
with open(history) as handle:
    check("my calf cramps at night" in handle.read(), "the history holds the lines typed")
check(oct(os.stat(history).st_mode & 0o777) == "0o600", "the history file is private (0600)")
check(oct(os.stat(os.path.dirname(history)).st_mode & 0o777) == "0o700", "its folder is private (0700)")

# --no-history keeps none
other = state + "-none"
child = pexpect.spawn(binary, ["--no-history"], env=dict(env, XDG_STATE_HOME=other), encoding="utf-8", timeout=10)
child.expect("you> ")
child.sendline("hello")
child.expect("you> ")
child.sendeof()
child.expect(pexpect.EOF)
check(not os.path.exists(os.path.join(other, "charley", "history")), "--no-history writes no history")

# SIGTERM leaves cleanly
child = pexpect.spawn(binary, env=env, encoding="utf-8", timeout=10)
child.expect("you> ")
child.kill(15)
child.expect(pexpect.EOF)
child.close()
check(child.exitstatus == 0, "SIGTERM leaves with exit code 0 (got %r)" % child.exitstatus)
# --resume: a person who leaves mid-interview and comes back carries on where they were
resumed = state + "-resume"
renv = dict(env, XDG_STATE_HOME=resumed)
child = pexpect.spawn(binary, ["--resume", "--no-history"], env=renv, encoding="utf-8", timeout=10, dimensions=(40, 100))
child.expect("you> ")
child.sendline("my left calf cramps at night")
child.expect("How long does one cramp")
child.expect("you> ")
child.sendeof()
child.expect(pexpect.EOF)
child = pexpect.spawn(binary, ["--resume", "--no-history"], env=renv, encoding="utf-8", timeout=10, dimensions=(40, 100))
child.expect("Welcome back")
child.expect("the left leg")
child.expect("How long does one cramp")
child.expect("you> ")
child.sendline("a few seconds")
child.expect("How often")
child.expect("you> ")
child.sendeof()
child.expect(pexpect.EOF)
store = os.path.join(resumed, "charley", "sessions.sqlite")
check(oct(os.stat(store).st_mode & 0o777) == "0o600", "the --resume store is private (0600)")
# without --resume the stored conversation is not touched
child = pexpect.spawn(binary, ["--no-history"], env=renv, encoding="utf-8", timeout=10, dimensions=(40, 100))
child.expect("Hello, I'm Charley")
child.expect("you> ")
child.sendeof()
child.expect(pexpect.EOF)

print("all pty checks passed")
