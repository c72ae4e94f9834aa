"""Hand-made worlds for tests: see :mod:`chainmap.testing.worlds`."""
from chainmap.testing.worlds import *  # noqa: F401,F403
