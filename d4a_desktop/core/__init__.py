"""The domain: roadmap content, project state, progress and undoable commands. Pure Python."""
