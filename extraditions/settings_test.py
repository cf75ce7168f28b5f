"""Settings for the test suite: the real settings, with a throwaway key and fast password hashing.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests call the API far faster than a person would; the rate limit has its own test.
API_ANONYMOUS_RATE = None

# Static files as they are: the suite runs without `collectstatic` (production's manifest storage
# has its own test, which collects into a temporary directory).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # looks files up per request, as in development: no STATIC_ROOT needed
WHITENOISE_USE_FINDERS = True

# Attached documents go to a directory of this test process's own, removed when it ends.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="extraditions-test-media-"))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# Exports and bulk downloads likewise, never into the checkout's var/.
EXPORT_CACHE_DIR = Path(tempfile.mkdtemp(prefix="extraditions-test-exports-"))  # noqa: F405
atexit.register(shutil.rmtree, EXPORT_CACHE_DIR, ignore_errors=True)

# Jobs run where they are enqueued, unless a test starts a worker (tests/alerts/worker.py): then it
# switches this process to the live queue, a file of this test process's own (or Redis).
_JOB_QUEUE_DIR = Path(tempfile.mkdtemp(prefix="extraditions-test-jobs-"))  # noqa: F405
atexit.register(shutil.rmtree, _JOB_QUEUE_DIR, ignore_errors=True)
HUEY = job_queue(f"sqlite:///{_JOB_QUEUE_DIR / 'jobs.sqlite3'}", immediate=True)  # noqa: F405
HUEY["immediate_use_memory"] = True
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the tests' receivers listen on 127.0.0.1
BULK_DOWNLOADS_PREBUILD = False  # seconds per publication; tests/alerts/ turns it on where it is tested
