# Maltese dates and numbers are written as in the Commission's English pages ("12 Awwissu 2024"); Django ships
# no Maltese formats.
from pact_portal.formats.en.formats import *  # noqa: F403
