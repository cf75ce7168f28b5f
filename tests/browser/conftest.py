import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a failed test so that the page fixture keeps a screenshot of what the browser showed."""
    outcome = yield
    if call.when == "call" and outcome.get_result().failed:
        item.failed_call = True
