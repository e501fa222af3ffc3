"""Exit 0 when the web app answers an HTTP request on port 8000 (Docker health check).

It sends the host name Django expects and, behind a TLS proxy, the forwarded scheme, so
that an answer below 400 means the application itself is serving requests.
"""

import http.client
import os
import sys


def main() -> int:
    """Request the sign-in page and report whether it answered without an error."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
    host = next((h for h in hosts if "*" not in h and not h.startswith(".")), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=10)
    try:
        connection.request(
            "GET", "/account/login/", headers={"Host": host, "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"no answer: {error}")
        return 1
    print(f"HTTP {status}")
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
