"""The programme records' REST API: public reads, writes for programme staff, open data."""
