"""Text helpers shared by the services and the search."""

import re
import unicodedata


def normalise_name(name):
    """Fold case, accents, punctuation and spacing so 'Région  Île-de-France' == 'region ile de france'."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", without_accents.casefold())
    return " ".join(words.split())
