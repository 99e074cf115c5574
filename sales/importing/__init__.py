"""Reading, validating and staging sales-ledger files; see sales.services for the import itself."""
