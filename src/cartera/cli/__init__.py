"""Command-line adapter: parse, call the library, render."""
