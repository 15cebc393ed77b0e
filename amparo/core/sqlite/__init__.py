"""SQLite backend whose write transactions queue instead of polling for the lock."""
