"""Production settings whose streamed answers pause for a few seconds after their first chunk: a
long export, for tests of the production server (tests/extraditions/test_production_server.py)."""

import time

from extraditions.settings import *  # noqa: F403

PAUSE_SECONDS = 3

MIDDLEWARE = ["tests.settings_pause_mid_stream.PauseMidStream", *MIDDLEWARE]  # noqa: F405


class PauseMidStream:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming:
            response.streaming_content = paused(response.streaming_content)
        return response


def paused(chunks):
    chunks = iter(chunks)
    yield next(chunks, b"")
    time.sleep(PAUSE_SECONDS)
    yield from chunks
