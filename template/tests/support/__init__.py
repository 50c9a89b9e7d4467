"""Plain helpers of the tests, one module per concern; fixtures stay in the conftest files."""
