"""Runs a command whose console is a pseudo-terminal and reports the terminal's modes around it.

usage: console_pty.py run|signal LOG CMD...
The word TTY in CMD is replaced by the path of the pseudo-terminal. With 'signal', once LOG mentions
vm_map_gpa (the loader is running) the modes are read and the command gets SIGTERM. Prints one JSON
object: the modes before, during (signal only) and after, the exit status and stderr.
"""
import json
import os
import signal
import subprocess
import sys
import termios
import time

mode, log, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = os.openpty()
name = os.ttyname(slave)


def modes():
    a = termios.tcgetattr(slave)
    return {"iflag": a[0], "oflag": a[1], "cflag": a[2], "lflag": a[3]}


def loading():
    return os.path.exists(log) and "vm_map_gpa" in open(log).read()


before = modes()
p = subprocess.Popen([name if w == "TTY" else w for w in cmd], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
during = None
if mode == "signal":
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None and not loading():
        time.sleep(0.05)
    during = modes()
    p.send_signal(signal.SIGTERM)
err = p.communicate(timeout=120)[1]
print(json.dumps({"before": before, "during": during, "after": modes(), "status": p.returncode,
                  "err": err.decode(), "raw": {"ICANON": termios.ICANON, "ECHO": termios.ECHO,
                                               "CLOCAL": termios.CLOCAL, "OPOST": termios.OPOST}}))
