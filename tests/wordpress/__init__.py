"""Fixture for the real-WordPress test: Debian packages, MariaDB, php -S, seeding."""
