#!/usr/bin/env python3
"""Write a BIOM 2.1 (HDF5) decompression bomb for zonula's limits tests.

    biom-bomb.py EXP OUT.biom

Both data datasets (observation and sample matrix) hold 2**EXP float64 zeros
in deflated 8 MiB chunks, as h5py writes them: EXP 25 gives 256 MiB each in
0.5 MB, EXP 27 1 GiB each in 2 MB. Needs Debian's python3-h5py.
"""
import sys

import h5py
import numpy as np

exp, out = int(sys.argv[1]), sys.argv[2]
with h5py.File(out, "w") as f:
    for k, v in {"id": "x", "type": "OTU table", "format-url": "http://biom-format.org",
                 "generated-by": "x", "creation-date": "2020"}.items():
        f.attrs[k] = v
    f.attrs["format-version"] = np.array([2, 1])
    f.attrs["shape"] = np.array([2, 1])
    f.attrs["nnz"] = 2
    for g in ("observation", "sample"):
        grp = f.create_group(g)
        grp.create_group("metadata")
        grp.create_group("group-metadata")
        m = grp.create_group("matrix")
        d = m.create_dataset("data", shape=(1 << exp,), dtype="f8", chunks=(1 << 20,),
                             compression="gzip", compression_opts=9)
        for i in range(0, 1 << exp, 1 << 20):
            d[i:i + (1 << 20)] = np.zeros(1 << 20)
        m.create_dataset("indices", data=np.zeros(2, dtype="i4"))
        m.create_dataset("indptr", data=np.array([0, 1, 2] if g == "observation" else [0, 2], dtype="i4"))
        grp.create_dataset("ids", data=np.array([b"a", b"b"] if g == "observation" else [b"s"]))
