"""Promises copied from the municipalities' own documents, as plain data that the load_* commands store."""
