"""One module per schema version, in order (``down_revision``)."""
