"""The hosting tests' folder and the collection of abandoned server connections
(tests/helpers/hosting_fixtures.py, also imported by the hosting tests of ui/ and e2e/)."""

from tests.helpers.hosting_fixtures import _abandoned_lines_collected, host_tmp_path

__all__ = ["_abandoned_lines_collected", "host_tmp_path"]
