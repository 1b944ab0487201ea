"""A local HTTP server standing in for a provider's messaging API: it records every request
it is sent (path, headers, form fields or JSON body, raw body) and answers as the provider
documents (Africa's Talking, Kannel's sendsms, Twilio's Messages API, RapidPro's broadcasts)."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    """A recording stand-in for a provider's messaging API on a loopback port."""

    def __init__(self, status_code: int = 101, http_status: int = 201):
        self.requests: list[dict] = []
        self.status_code = status_code
        self.http_status = http_status
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = raw.decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                if headers.get("content-type", "").startswith("application/json"):
                    form = json.loads(body)
                else:
                    form = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
                gateway.requests.append({"path": self.path, "headers": headers, "form": form,
                                         "body": raw})
                if self.path.endswith("/Messages.json"):
                    return self._answer(json.dumps(twilio_answer(form)).encode())
                if self.path.endswith("/broadcasts.json"):
                    return self._answer(json.dumps(rapidpro_answer(form)).encode())
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

            def _answer(self, answer: bytes) -> None:
                """Twilio's and RapidPro's answer: 201 Created with the new resource (or
                http_status with a documented error body)."""
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

        def twilio_answer(form: dict) -> dict:
            """A Message resource as Twilio's Messages API returns it (or its error body)."""
            if gateway.http_status >= 400:
                return {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                        "more_info": "https://www.twilio.com/docs/errors/21211",
                        "status": gateway.http_status}
            return {"sid": f"SM{len(gateway.requests):032x}", "status": "queued",
                    "to": form.get("To"), "from": form.get("From"), "body": form.get("Body"),
                    "direction": "outbound-api", "api_version": "2010-04-01"}

        def rapidpro_answer(form: dict) -> dict:
            """A broadcast as RapidPro's broadcasts endpoint returns it (or its error body)."""
            if gateway.http_status >= 400:
                return {"urns": ["Invalid URN"]}
            return {"id": len(gateway.requests), "status": "queued", "urns": form.get("urns"),
                    "contacts": [], "groups": [], "text": {"eng": form.get("text")},
                    "base_language": "eng"}

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

    @property
    def base_url(self) -> str:
        """This server's root (Twilio's API base: /2010-04-01/... is added)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def broadcasts_url(self) -> str:
        """RapidPro's broadcasts endpoint on this server."""
        return f"{self.base_url}/api/v2/broadcasts.json"

    def messages(self) -> list[str]:
        """The texts sent, in order (Africa's Talking's message field, Kannel's and RapidPro's
        text, Twilio's Body)."""
        return [r["form"].get("message", r["form"].get("text", r["form"].get("Body")))
                for r in self.requests]

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()
