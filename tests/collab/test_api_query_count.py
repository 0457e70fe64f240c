"""Reading a room costs the same number of queries whatever it holds: comments and reactions
come with their threads in a fixed number of prefetches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def fill_room(api, people, threads):
    for n in range(threads):
        thread = api.post(
            "/v1/rooms/busy/threads", {"comment": {"body": f"t{n}", "author_id": people[n % 2].pk}}
        ).json()
        comment = api.post(
            f"/v1/threads/{thread['id']}/comments", {"body": "re", "author_id": people[(n + 1) % 2].pk}
        ).json()
        for person in people:
            api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": person.pk})


def queries_for(api, path):
    api.get(path)  # warms the key
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


def test_room_and_thread_reads_cost_a_fixed_number_of_queries(api, alice, bob, settings):
    # The key records its use once a minute; on a busy machine filling the room can take that
    # long, and that one UPDATE would land in a count. Once per run: only the first use writes.
    settings.PULSEHR_KEY_LAST_USED_RESOLUTION_SECONDS = 10**9
    fill_room(api, [alice, bob], threads=1)
    small = {path: queries_for(api, path) for path in ("/v1/rooms/busy", "/v1/rooms/busy/threads")}
    fill_room(api, [alice, bob], threads=5)
    large = {path: queries_for(api, path) for path in ("/v1/rooms/busy", "/v1/rooms/busy/threads")}
    assert large == small
    assert all(count <= 6 for count in large.values()), large
