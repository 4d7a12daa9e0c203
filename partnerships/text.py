"""Text helpers shared by the services and the search."""

from pact_portal.search import fold_text

# How the registry compares names (organisation deduplication, search): case, accents and punctuation folded.
normalise_name = fold_text
