"""Curators' accounts: the users table, passwords, signing in and out, and `flask users`."""
