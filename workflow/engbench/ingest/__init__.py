"""Ingest: every archive format researchers hold → one canonical, pseudonymised message store.

``files.ingest_file`` reads one raw file (one Snakemake job per file);
``store.merge`` deduplicates across files and writes the partitioned dataset.
Formats live in one module each (``formats.FORMATS``).
"""
