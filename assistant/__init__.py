"""A bilingual, cited-answer assistant over Chinese technology-industry reporting."""

from .corpus.companies import CompanyMatch, CompanyProfile, Fact
from .engine import Assistant
from .errors import AssistantError
from .schema import Answer, Citation, Passage
from .settings import Settings

__all__ = [
    "Assistant",
    "Answer",
    "Citation",
    "Passage",
    "CompanyMatch",
    "CompanyProfile",
    "Fact",
    "AssistantError",
    "Settings",
]
