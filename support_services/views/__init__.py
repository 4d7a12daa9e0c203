"""The support services' pages, one module per domain; ``urls`` imports them by domain module."""
