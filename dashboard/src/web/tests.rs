//! Router tests: see the access matrix and the API tests.
