"""What the support services' public forms share: the honeypot against bots, the long-text limit."""

from pact_portal.antispam import HoneypotMixin  # noqa: F401 - the forms of this package import it from here

LONG_TEXT = 5000
