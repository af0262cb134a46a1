"""Talking to GitHub: App authentication, a retrying and throttled client, and upstream file contents."""
