"""The app starts and serves its home page."""


def test_home_page_is_served(client):
    assert client.get("/").status_code == 200


def test_ping_is_plain_text(client):
    response = client.get("/ping")
    assert response.data == b"ok\n" and response.mimetype == "text/plain"
