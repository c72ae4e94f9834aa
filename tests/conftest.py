import pytest

from chainmap.io import bundled_workspace, read_workspace


@pytest.fixture(scope="session")
def bundled():
    """The bundled workspace's tables, read once."""
    return read_workspace(bundled_workspace())


def _memory():
    from chainmap.store.memory import MemoryStore

    return MemoryStore()


BACKENDS = {"memory": _memory}


@pytest.fixture(params=sorted(BACKENDS))
def store_factory(request):
    """Makes empty stores of one backend; the contract suite runs once per backend."""
    return BACKENDS[request.param]
