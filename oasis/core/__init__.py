"""Pure computation core of OASIS: numpy/scipy (and the HiGHS solver for siting), never Django.

Every function takes and returns arrays (or scipy sparse matrices); shapes and
units are stated in the docstrings.
"""
