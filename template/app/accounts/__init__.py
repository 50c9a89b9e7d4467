"""Accounts: users, cookie sessions, passwords, single-use email tokens, CSRF and rate limits."""
