"""Signals of the connectors, for the domain apps that build on what they import."""

from django.dispatch import Signal

aides_stored = Signal()
"""Sent inside the transaction that stores the aids of Aides-territoires: a receiver's failure rolls them back."""
