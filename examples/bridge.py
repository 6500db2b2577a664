#!/usr/bin/env python3
"""A minimal chat bridge for Charley: many users over one daemon connection.

Standard library only. A real bridge (Matrix, Slack, Telegram) would replace `incoming()` with
its platform's message stream and `deliver()` with its send call; everything else stays.

    charley serve --socket /tmp/charley.sock &
    python3 examples/bridge.py /tmp/charley.sock

Each user gets a session id of the form "<platform>:<user id>". Messages for different users
are sent without waiting for each other's replies; replies come back in order per session and
are routed by their "session" field. Errors come back as {"session": ..., "error": {...}}.
"""
import json
import socket
import sys
import threading


def incoming():
    """Stand-in for a platform's message stream: (user, text) pairs from three users."""
    yield ("tg:4711", "hi")
    yield ("mx:@ana:example.org", "my left calf cramps at night")
    yield ("tg:4711", "is quinine safe?")
    yield ("sl:U123", "my calf is swollen, red and warm")
    yield ("mx:@ana:example.org", "a few seconds")
    yield ("tg:4711", "bye")


def deliver(session, text):
    """Stand-in for sending a reply back on the user's platform."""
    first_line = text.split("\n")[0]
    print(f"[{session}] {first_line[:120]}")


def main(path):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(path)
    reader = connection.makefile("r", encoding="utf-8")
    writer = connection.makefile("w", encoding="utf-8")
    expected = 0
    done = threading.Event()
    lock = threading.Lock()

    def receive():
        received = 0
        for line in reader:
            reply = json.loads(line)
            session = reply.get("session")
            if "error" in reply:
                deliver(session, "error: " + reply["error"]["message"])
            elif reply.get("type") == "hello":
                print(f"connected: protocol {reply['protocol']}, Charley {reply['charley']}, knowledge {reply['knowledge']}")
            else:
                triage = reply.get("triage")
                deliver(session, reply["reply"] + (f"  [triage: {triage}]" if triage else ""))
            received += 1
            with lock:
                if received >= expected and done.is_set():
                    return

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    writer.write(json.dumps({"type": "hello"}) + "\n")
    expected += 1
    for session, text in incoming():
        with lock:
            expected += 1
        writer.write(json.dumps({"session": session, "text": text}) + "\n")
        writer.flush()
    done.set()
    thread.join(timeout=10)
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/charley.sock")
