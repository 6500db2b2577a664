"""Drives the real `charley` binary in a pseudo-terminal to check /report.

Usage: pty_report.py CHARLEY_BINARY STATE_DIR
Prints one line per check ("ok: ..." or "FAIL: ...") and exits non-zero on the first failure.
"""
import os

import pexpect

from ptycheck import binary, check, env, state


child = pexpect.spawn(binary, ["--no-history"], env=env, encoding="utf-8", timeout=15, dimensions=(40, 200))
child.expect("you> ")
child.sendline("my left calf cramps at night")
child.expect("How long does one cramp")
child.expect("you> ")

child.sendline("/help")
child.expect(r"/report \[FILE\]")
child.expect("you> ")
check(True, "/help names /report")

child.send("/rep\t")  # Tab completes the command
child.expect("/report")
child.sendline("")
# Replies wrap at 100 columns, so a long path may be split: the folder is read instead.
child.expect("The report is written to")
child.expect("you> ")
folder = os.path.join(state, "charley", "reports")
names = os.listdir(folder) if os.path.isdir(folder) else []
check(len(names) == 1 and names[0].endswith(".html"), "one report in the default folder under XDG_STATE_HOME: %r" % names)
path = os.path.join(folder, names[0])
check("".join(child.before.split()).startswith(path), "and Charley says where it is")
check(oct(os.stat(path).st_mode & 0o777) == "0o600", "the report is private (0600)")
check(oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700", "its folder is private (0700)")
with open(path) as handle:
    page = handle.read()
check(page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page, "it is the HTML page with the picture")

text = os.path.join(state, "mine.txt")
child.sendline("/report " + text)
child.expect("The report is written to")
child.expect("you> ")
with open(text) as handle:
    check(handle.read().startswith("LEG CRAMPS"), "a .txt file gets plain text")

child.sendline("a few seconds")  # the interview goes on where it was
child.expect("How often")
child.expect("you> ")
check(True, "the conversation carries on after /report")

child.sendeof()
child.expect(pexpect.EOF)
child.close()
check(child.exitstatus == 0, "Ctrl-D leaves with exit code 0")
print("all report pty checks passed")
