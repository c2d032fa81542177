"""The harness benchmark: the generated harness against the usual ways of isolating database tests."""
