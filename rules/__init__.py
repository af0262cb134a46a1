"""Pure checks: texts in, findings out. No network, no asyncio, no GitHub."""
