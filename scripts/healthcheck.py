"""Exit 0 when the web app answers a health endpoint on port 8000 (Docker health check).

``python scripts/healthcheck.py [PATH]``: PATH is ``/health/live`` (the default: the
process serves requests) or ``/health/ready`` (every check of portal/health.py; the
failing ones are printed). It sends the host name Django expects and, behind a TLS
proxy, the forwarded scheme, so that an answer below 400 means the application itself
is serving requests.
"""

import http.client
import os
import sys


def main() -> int:
    """Request the health endpoint and report whether it answered without an error."""
    path = sys.argv[1] if len(sys.argv) > 1 else "/health/live"
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
    host = next((h for h in hosts if "*" not in h and not h.startswith(".")), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        status = response.status
        body = response.read(4096).decode("utf-8", "replace")
    except OSError as error:
        print(f"no answer: {error}")
        return 1
    print(f"HTTP {status} {body}")
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
