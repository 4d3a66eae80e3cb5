"""Batch collation: every document of an archive collated, measured, reported and recorded.

``collate batch SOURCE -o OUTDIR`` (``collate/cli_batch.py``) is a thin layer over this package:

* ``sources.py``: SOURCE (witness folders, record files or a manifest) -> documents;
* ``inputs.py``: a document -> its input files, their checksums and its witnesses;
* ``work.py``: one document -> an outcome, its reports written atomically (runs in workers);
* ``outdir.py``: what lives where in OUTDIR;
* ``executors.py``: in this process, on a local process pool, or on a Dask cluster;
* ``status.py``: ok, failed or flagged (``--max-cer``/``--max-wer``);
* ``schema.py``, ``store.py``: the SQLite database, and outcomes recorded in it (by the
  coordinating process only);
* ``summary.py``, ``index.py``: the database -> a summary and ``index.csv|json|html``;
* ``runner.py``: the coordinator that ties them together;
* ``terminal.py``: the progress bar and the summary table (rich).

See docs/batch.md.
"""
