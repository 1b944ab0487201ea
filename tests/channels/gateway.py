"""A local HTTP server standing in for a provider's messaging API: it records every request
it is sent (path, headers, form fields) and answers as the provider documents."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    """A recording stand-in for Africa's Talking's messaging API on a loopback port."""

    def __init__(self, status_code: int = 101, http_status: int = 201):
        self.requests: list[dict] = []
        self.status_code = status_code
        self.http_status = http_status
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                gateway.requests.append({"path": self.path, "headers": headers, "form": form})
                answer = json.dumps({"SMSMessageData": {
                    "Message": "Sent to 1/1 Total Cost: KES 0.8000",
                    "Recipients": [{"statusCode": gateway.status_code, "number": form.get("to"),
                                    "status": "Success" if gateway.status_code == 101
                                    else "Failed", "cost": "KES 0.8000",
                                    "messageId": f"ATXid_{len(gateway.requests)}"}]}}).encode()
                self.send_response(gateway.http_status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self):  # noqa: N802 - Kannel's sendsms is a GET
                query = urllib.parse.urlsplit(self.path).query
                form = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                gateway.requests.append({"path": self.path.split("?")[0], "headers": headers,
                                         "form": form})
                answer = b"0: Accepted for delivery"
                self.send_response(gateway.http_status if gateway.http_status != 201 else 202)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """The messaging endpoint's URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/version1/messaging"

    @property
    def sendsms_url(self) -> str:
        """Kannel's sendsms URL on this server."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/sendsms"

    def messages(self) -> list[str]:
        """The texts sent, in order (Africa's Talking's message field, Kannel's text)."""
        return [r["form"].get("message", r["form"].get("text")) for r in self.requests]

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()
