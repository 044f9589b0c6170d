"""The bureau's business rules: every write goes through a function of these modules."""
