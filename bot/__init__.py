"""doi-bot: everything that does I/O (command line, server, GitHub client) and the review it renders."""

__version__ = "0.1.0"
