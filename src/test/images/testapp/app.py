"""Test app for the real node: a web server or a queue worker, steered by environment variables.

web (default):
  PORT (8000)             listens here; GET / answers "hello <VERSION> <hostname>", GET /health/ the health
  READY_AFTER_SECONDS (0) /health/ answers 503 until this long after start
  HEALTH=never            /health/ never answers 200 (404)
  CRASH_AFTER_SECONDS     exits 3 this long after start
  SHUTDOWN_DELAY_SECONDS  on SIGTERM, keep serving this long before closing (requests in flight finish)
  GET /fetch?url=U        fetches U from inside the pod (Service addresses, cluster DNS) and returns it
  ALLOWED_HOSTS           comma-separated; as Django does, any request whose Host (without port) is not
                          listed is answered 400
worker (MODE=worker):
  TASK_SECONDS (5)        each task runs this long; tasks run back to back
  on SIGTERM the running task finishes, then the process exits 0; every start and finish is logged
"""
import http.server
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import urllib.request

STARTED = time.monotonic()
VERSION = os.environ.get("VERSION", "v1")
HOST = socket.gethostname()
stopping = threading.Event()


def log(message):
    print(f"{time.strftime('%H:%M:%S')} {HOST} {message}", flush=True)


def seconds(name, default=0.0):
    return float(os.environ.get(name, default))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: a stopping pod holds no idle keep-alive

    def do_GET(self):
        path = urllib.parse.urlparse(self.path)
        host = re.sub(r":\d+$", "", self.headers.get("Host") or "")  # the kubelet sends the pod IP and port
        allowed = os.environ.get("ALLOWED_HOSTS")
        if allowed and host not in allowed.split(","):
            self.answer(400, f"Invalid HTTP_HOST header: {host!r}\n")
        elif path.path == "/health/":
            up = time.monotonic() - STARTED
            if os.environ.get("HEALTH") == "never":
                self.answer(404, "no health here\n")
            elif up < seconds("READY_AFTER_SECONDS"):
                self.answer(503, f"starting ({up:.0f}s)\n")
            else:
                self.answer(200, "ok\n")
        elif path.path == "/fetch":
            url = urllib.parse.parse_qs(path.query)["url"][0]
            context = ssl.create_default_context(
                cafile="/var/run/secrets/kubernetes.io/serviceaccount/ca.crt") if url.startswith("https") else None
            try:
                with urllib.request.urlopen(url, timeout=5, context=context) as r:
                    self.answer(200, r.read().decode())
            except Exception as e:  # the test reads the reason
                self.answer(502, f"{type(e).__name__}: {e}\n")
        else:
            self.answer(200, f"hello {VERSION} {HOST}\n")

    def answer(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def web():
    server = http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler)
    server.daemon_threads = False  # shutdown waits for requests in flight

    def on_term(signum, frame):
        def stop():
            log(f"SIGTERM: serving {seconds('SHUTDOWN_DELAY_SECONDS'):.0f}s more, then closing")
            time.sleep(seconds("SHUTDOWN_DELAY_SECONDS"))
            server.shutdown()
        threading.Thread(target=stop).start()

    signal.signal(signal.SIGTERM, on_term)
    if "CRASH_AFTER_SECONDS" in os.environ:
        threading.Timer(seconds("CRASH_AFTER_SECONDS"), lambda: (log("crashing"), os._exit(3))).start()
    log(f"web {VERSION} listening")
    server.serve_forever()
    server.server_close()
    log("web stopped")


def worker():
    signal.signal(signal.SIGTERM, lambda signum, frame: (log("SIGTERM: finishing the running task"), stopping.set()))
    log(f"worker {VERSION} up")
    n = 0
    while not stopping.is_set():
        n += 1
        log(f"task {n} started")
        time.sleep(seconds("TASK_SECONDS", 5))  # a task is not interrupted by SIGTERM
        log(f"task {n} finished")
    log("worker stopped")


if __name__ == "__main__":
    worker() if os.environ.get("MODE") == "worker" else web()
    sys.exit(0)
