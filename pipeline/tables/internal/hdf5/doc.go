// Package hdf5 reads the subset of HDF5 that BIOM 2.1 tables use: groups
// (symbol tables or compact link messages), and one- or two-dimensional
// datasets of integers, floats and strings (fixed-length or variable-length
// in the global heap), stored compact, contiguous or chunked (version-1
// B-tree, single-chunk or unpaged fixed-array index), with the deflate,
// shuffle and fletcher32 filters. It is written from the HDF5 File Format
// Specification 3.0 and checks every offset against the file, so damaged
// or hostile files give an error, never a panic or an unbounded allocation.
//
// It reads what h5py and libhdf5 write by default (superblock 0, version-1
// object headers: biom-format, QIIME 2) and the "latest" layout (superblock
// 2/3, version-2 object headers) as far as the features above go. Attributes,
// dense (fractal-heap) groups, compound types and other chunk indexes are
// not read and give an error naming what is missing. Writer writes the
// small files zonula needs (BIOM 2.1 tables) in the "earliest" layout.
//
// A file per job: hdf5.go (Open, the superblock, the byte reader, object
// headers), group.go (links, symbol tables, B-trees, path lookup),
// dataset.go (Dataset: dataspace, datatype, filter pipeline messages),
// layout.go (compact, contiguous and chunked layouts), chunks.go
// (assembling chunks from a B-tree or fixed-array index), filter.go
// (deflate, shuffle, fletcher32), values.go (Float64s, Strings, the global
// heap) and write.go (Writer).
package hdf5
