"""Catalog events other apps listen to (the search index, later the bureau).

Sent after the transaction commits, with the ids of the changed products, so that listeners
never see rows that were rolled back.
"""

from django.dispatch import Signal

# kwargs: product_ids (list[int]), deleted (bool)
products_changed = Signal()
