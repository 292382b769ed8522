"""Whether a commune is under-served (« sous-dense ») for a profession: the one place that decides it.

It sits above the official references (``oasis.references``) and OASIS's own model (``oasis.accessibility``): it
reads both, and neither reads the other for it. Every page, export, API, command and rule asks ``verdicts``.
"""
