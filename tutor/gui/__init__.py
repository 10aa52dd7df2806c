"""The desktop window (PySide6): thin views and workers over :mod:`tutor` core."""
