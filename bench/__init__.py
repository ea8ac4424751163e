"""The benchmark harness (`make bench`): the ceiling view, its settings and the runner. Never routed in production."""
