"""The workspace's fixtures (tests/web/conftest.py) for the tests of one blueprint: the demo's
data, two users, a logged-in Flask test client."""

from web.conftest import anon, app, config, coordinator, viewer  # noqa: F401 - the fixtures
