"""tutor: an offline tutor for a Spanish course, with cited slides and a local LLM."""

from tutor.offline import enforce_offline

__version__ = "0.2.0"

enforce_offline()
