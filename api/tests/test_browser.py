"""The API documentation page works in a real browser without any CDN."""

from accounts.roles import Role


def test_docs_page_renders_every_endpoint_from_local_files(page, browser_login, make_user, screenshot, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto("/api/docs/")
    page.get_by_text("NvO Tracker API").first.wait_for()
    for path in ("/api/regions/", "/api/agreements/", "/api/statuses/{id}/", "/api/contacts/"):
        assert page.locator(".opblock-summary-path", has_text=path).first.is_visible()
    screenshot("api-docs")
    assert [url for url in requested if not url.startswith(live_server.url)] == []
