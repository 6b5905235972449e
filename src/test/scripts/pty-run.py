#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a user at a terminal would, for the interactive-loader tests:
    pty-run.py WAIT_FOR KEYS END [--eof|--sigint] -- COMMAND...
Waits until the screen shows WAIT_FOR, types KEYS (Python escapes: \\r is Enter), then reads until the
screen shows END or the command exits; with --eof it then closes the terminal's input side by hanging up,
with --sigint it sends SIGINT. Prints one JSON object: the screen, the exit status, and whether the
terminal's settings after the command equal those before it."""
import json
import os
import pty
import select
import signal
import sys
import termios
import time


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    wait_for, keys, end = args[0], args[1].encode("latin-1").decode("unicode_escape"), args[2]
    mode = args[3] if sep > 3 else None
    cmd = args[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        # as from a user's shell: a runner started in the background may have left SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execvp(cmd[0], cmd)
    before = termios.tcgetattr(fd)
    screen = b""
    sent = False
    finished = False
    signalled = 0.0
    deadline = time.time() + 120
    status = None
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            screen += data
        text = screen.decode("latin-1")
        if not sent and wait_for in text:
            # the settings the program chose at start (raw mode) are now in place: compare with the end
            during = termios.tcgetattr(fd)
            os.write(fd, keys.encode("latin-1"))
            sent = True
        if sent and not finished and end and end in text[text.index(wait_for):]:
            finished = True
            signalled = time.time()
            if mode == "--sigint":
                os.kill(pid, signal.SIGINT)
            elif mode == "--eof":
                os.write(fd, b"\x04")
        elif finished and mode == "--sigint" and time.time() - signalled > 5:
            # a signal that arrives while the JVM cannot take it yet is lost: send it again
            signalled = time.time()
            os.kill(pid, signal.SIGINT)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            break
    after = termios.tcgetattr(fd)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(json.dumps({"screen": screen.decode("latin-1"), "status": status, "restored": after == before,
                      "raw_while_running": sent and during != before}))


if __name__ == "__main__":
    main()
