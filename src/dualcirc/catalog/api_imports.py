from ninja import Router

router = Router(tags=["catalog import"])
