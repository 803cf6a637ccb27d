"""The one-click briefing (工作简报) as Word: `build_briefing(user, start, end, unit)`."""

from .generator import SECTIONS, Briefing, build_briefing

__all__ = ["SECTIONS", "Briefing", "build_briefing"]
