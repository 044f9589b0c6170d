"""Demo data: industrial belts, their factories and products, governments, buyers, and one
login per role — generated deterministically from hand-written vocabularies.

``dualcirc demo`` loads it (``dualcirc.demo.loader.load_demo``); nothing here is an installed
app and nothing reads the network or files outside the package.
"""
