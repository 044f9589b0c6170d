"""Settings for the test suite: the project's settings with a throw-away data directory.

Tasks are recorded, not run, unless a test runs them (the search index tests do).
"""

import logging
import os
import tempfile

os.environ.setdefault("DUALCIRC_DATA_DIR", tempfile.mkdtemp(prefix="dualcirc-test-"))
os.environ.setdefault("DUALCIRC_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")

from dualcirc.settings import *  # noqa: F403  (the test settings extend the real ones)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# pytest swaps sys.stderr per test while the log handler keeps the stream it was configured with;
# a record written after that stream closed is not worth a traceback in the test output.
logging.raiseExceptions = False
