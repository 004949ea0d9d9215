#!/usr/bin/env python3
"""Snakemake --cluster-status for SLURM: prints success, running or failed
for the job id given, from scontrol (recent jobs) or sacct (with accounting)."""
import subprocess
import sys

RUNNING = {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "STAGE_OUT", "SIGNALING"}


def state(jobid):
    try:
        out = subprocess.run(["scontrol", "show", "job", jobid], capture_output=True, text=True, timeout=30).stdout
        for tok in out.split():
            if tok.startswith("JobState="):
                return tok.split("=", 1)[1]
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        out = subprocess.run(["sacct", "-j", jobid, "-X", "-n", "-o", "State"], capture_output=True, text=True, timeout=30).stdout.split()
        if out:
            return out[0].rstrip("+")
    except (OSError, subprocess.SubprocessError):
        pass
    return ""


s = state(sys.argv[1])
if s == "COMPLETED":
    print("success")
elif s in RUNNING or s == "":
    print("running")  # unknown: snakemake asks again
else:
    print("failed")
