"""The store contract (chainmap.testing.store_contract), run over every backend of conftest's ``store_factory``."""
from chainmap.testing.store_contract import *  # noqa: F401,F403
from chainmap.testing.store_contract import assert_same_tables  # noqa: F401  (other tests import it from here)
