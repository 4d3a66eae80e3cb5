"""Two batches on one OUTDIR: the second is refused with one line naming the first's process;
the lock goes with the process that holds it, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.batch_archive import make_folders, make_records
from tests.test_batch import run
from tests.test_batch_resume import recorded

COMMAND = "from collate.cli_batch import batch; batch()"


def test_a_second_batch_on_the_same_outdir_is_refused(tmp_path: Path) -> None:
    archive = make_records(tmp_path / "src", 300, words=(60, 120), broken=False)
    outdir = tmp_path / "out"
    args = [str(archive.path), "-o", str(outdir), "--jobs", "1", "--quiet"]
    first = subprocess.Popen([sys.executable, "-c", COMMAND, *args], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while recorded(outdir) < 5 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert first.poll() is None, "the first batch ended before the second started"
        refused = (
            f"Error: {outdir}: another collate batch (process {first.pid}) is using this "
            "OUTDIR; wait for it to finish or choose another -o\n"
        )
        assert run(*args) == (2, "", refused)
        assert run("--report", outdir) == (2, "", refused)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    folders = make_folders(tmp_path / "other", 1)  # the lock died with its holder
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 0
