"""The migrations, oldest first: each file one step of the schema."""
