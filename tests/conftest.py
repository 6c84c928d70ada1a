"""The fixtures every test may ask for, one module a concern (see tests/fixtures/)."""

pytest_plugins = [
    "tests.fixtures.data_keys",
    "tests.fixtures.databases",
    "tests.fixtures.temporal",
    "tests.fixtures.mail",
    "tests.fixtures.passwords",
    "tests.fixtures.api",
    "tests.fixtures.workflows",
]
