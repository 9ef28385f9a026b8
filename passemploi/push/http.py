"""One HTTP session per thread for the push senders: connections to a push service are kept
alive between messages (a reminder batch sends thousands), and requests' Session is not meant
to be shared between threads."""

import threading

import requests

_local = threading.local()


def session() -> requests.Session:
    current = getattr(_local, "session", None)
    if current is None:
        current = _local.session = requests.Session()
    return current
