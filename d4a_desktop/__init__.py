"""D4A Roadmap Desktop: the D4A roadmap on a municipal project lead's laptop."""

__version__ = "0.1.0"
