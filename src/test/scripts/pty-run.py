#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a user at a terminal would, for the interactive-loader tests:
    pty-run.py WAIT_FOR KEYS END [--sigint|--sigterm] [--device] -- COMMAND...
Waits until the screen shows WAIT_FOR, types KEYS (Python escapes: \\r is Enter), then reads until the
screen shows END or the command exits; with --sigint or --sigterm it then sends that signal. The terminal
is the command's standard input, output and error; with --device it is instead a device the command opens
(bhyveload -c), whose path replaces the word TTY in COMMAND, its standard input and output /dev/null.
Prints one JSON object: the screen, the exit status, whether the terminal's settings after the command
equal those before it, and its modes before, while the keys were typed, and after."""
import json
import os
import pty
import select
import signal
import sys
import termios
import time

SIGNALS = {"--sigint": signal.SIGINT, "--sigterm": signal.SIGTERM}


def start(cmd, device):
    """The command's pid and the terminal's master side."""
    if device:
        master, slave = os.openpty()
        cmd = [os.ttyname(slave) if w == "TTY" else w for w in cmd]
        pid = os.fork()
        if pid == 0:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.close(master)
            os.close(slave)
    else:
        pid, master = pty.fork()
    if pid == 0:
        # as from a user's shell: a runner started in the background may have left SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execvp(cmd[0], cmd)
    return pid, master


def modes(a):
    """The flag words of tcgetattr's list."""
    return {"iflag": a[0], "oflag": a[1], "cflag": a[2], "lflag": a[3]}


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    wait_for, keys, end = args[0], args[1].encode("latin-1").decode("unicode_escape"), args[2]
    options = args[3:sep]
    mode = next((o for o in options if o != "--device"), None)
    pid, fd = start(args[sep + 1:], "--device" in options)
    before = termios.tcgetattr(fd)
    during = None
    screen = b""
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
        if during is None and wait_for in text:
            # the settings the program chose at start (raw mode) are now in place: compare with the end
            during = termios.tcgetattr(fd)
            os.write(fd, keys.encode("latin-1"))
        if during is not None and not finished and end and end in text[text.index(wait_for):]:
            finished = True
            signalled = time.time()
            if mode in SIGNALS:
                os.kill(pid, SIGNALS[mode])
        elif finished and mode in SIGNALS and time.time() - signalled > 5:
            # a signal that arrives while the JVM cannot take it yet is lost: send it again
            signalled = time.time()
            os.kill(pid, SIGNALS[mode])
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            break
    after = termios.tcgetattr(fd)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(json.dumps({"screen": screen.decode("latin-1"), "status": status, "restored": after == before,
                      "raw_while_running": during is not None and during != before,
                      "modes": {"before": modes(before), "during": during and modes(during), "after": modes(after)},
                      "flags": {"ICANON": termios.ICANON, "ECHO": termios.ECHO, "CLOCAL": termios.CLOCAL,
                                "OPOST": termios.OPOST}}))


if __name__ == "__main__":
    main()
