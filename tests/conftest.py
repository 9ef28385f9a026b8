import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, CounselorFactory, StructureFactory, YoungPersonFactory


@pytest.fixture
def structure(db):
    return StructureFactory()


@pytest.fixture
def counselor(structure):
    return CounselorFactory(structure=structure)


@pytest.fixture
def supervisor(structure):
    return CounselorFactory(structure=structure, supervisor=True)


@pytest.fixture
def young_person(counselor):
    return YoungPersonFactory(counselor=counselor)


@pytest.fixture
def other_structure_counselor(db):
    """A counselor of another structure, with a young person of their own."""
    counselor = CounselorFactory(structure=StructureFactory())
    YoungPersonFactory(counselor=counselor)
    return counselor


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def counselor_client(counselor):
    return client_for(counselor.user)


@pytest.fixture
def young_client(young_person):
    return client_for(young_person.user)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The sign-in slow-down lives in the cache: no test inherits another's failures."""
    cache.clear()
    yield
