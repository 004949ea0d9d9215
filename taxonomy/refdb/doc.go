// Package refdb is zonula's reference database: reference 16S sequences with
// their lineages, stored as one versioned, checksummed file. It builds that
// file from common reference formats, loads it, and embeds a small default
// database (rRNA16S.gold from Debian's microbiomeutil-data, BSD-3).
package refdb
