// Package refdb is zonula's reference database: reference 16S sequences with
// their lineages, stored as one versioned, checksummed file. It builds that
// file from common reference formats (SILVA, GTDB, Greengenes2, RDP, Emu,
// SINTAX, QIIME 2, gold; BuildFrom), whose FASTA records and taxonomy text
// the caller reads (RecordSource), loads it with every core (Read), embeds
// a small default database (rRNA16S.gold from Debian's microbiomeutil-data,
// BSD-3; Default), and downloads, verifies and installs the public databases
// of an embedded catalogue (Catalogue, Fetch). It is the only package of
// zonula that touches the network.
package refdb
