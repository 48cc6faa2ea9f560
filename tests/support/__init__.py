"""Helpers shared by the test suites: request bodies, users and clients, tiny media files, a browser server, the
editor page's moves. Test modules import from here (or take fixtures from a conftest), never from each other;
tests/test_layout.py checks that."""
