"""The inspector's tablet offline: the service worker, served from the site's root.

``/sw.js`` is generated here so that it names the hashed URLs of the static files it
loads (the vendored Workbox modules and ``js/visit_sw.js``, which holds the worker's
logic) and precaches (the visit form's script and style sheet). A worker's scope is the
folder of its script: served at the root, it may answer for the agenda, the briefings
and the visit pages. It holds no data; the pages it keeps are fetched by the signed-in
browser itself (``static/js/agenda.js`` asks it to keep the day's pages). It also loads
``js/visit_queue.js`` to flush the entries queued in IndexedDB on a Background Sync.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.views import View

# Loaded by the worker, in this order (each module extends ``self.workbox``).
WORKER_SCRIPTS = (
    "vendor/workbox/workbox-core.prod.js",
    "vendor/workbox/workbox-routing.prod.js",
    "vendor/workbox/workbox-strategies.prod.js",
    "js/visit_queue.js",  # the queue, flushed by the worker's Background Sync
    "js/visit_sw.js",
)
# Kept when the worker installs: what the agenda and the visit pages need to run offline.
STATIC_ASSETS = (
    "css/portal.css",
    "css/visit_offline.css",
    "js/visit_queue.js",
    "js/visit_form.js",
    "js/visit_steps.js",
    "js/agenda.js",
)


class ServiceWorkerView(View):
    """Serve the service worker: JavaScript, never cached by HTTP, scope ``/``."""

    def get(self, request) -> HttpResponse:
        config = {
            "static": [static(path) for path in STATIC_ASSETS],
            "staticPrefix": static(""),
        }
        body = (
            "/* The portal's service worker: see static/js/visit_sw.js. */\n"
            f"self.PORTAL_OFFLINE = {json.dumps(config)};\n"
            f"importScripts({', '.join(json.dumps(static(path)) for path in WORKER_SCRIPTS)});\n"
        )
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
        response["Service-Worker-Allowed"] = "/"
        response["Cache-Control"] = "no-cache"
        response["X-Content-Type-Options"] = "nosniff"
        return response
