package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDBBuildEveryFormat(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		format, fasta, tax string
		inputs             string
	}{
		{"silva", "silva.fasta", "silva-ranks.txt", "5"},
		{"gtdb", "gtdb_ssu.fna.gz", "gtdb_taxonomy.tsv", "4"},
		{"gg2", "gg2.fna", "gg2_taxonomy.tsv", "4"},
		{"rdp", "rdp_trainset.fa", "", "4"},
		{"rdp", "trainset19.rdp.fasta", "trainset19.rdp.tax", "4"},
		{"emu", "emu_species_taxid.fasta", "emu_taxonomy.tsv", "5"},
		{"sintax", "sintax.fa.zst", "", "4"},
		{"qiime2", "qiime2_seqs.fasta", "qiime2_taxonomy.tsv", "4"},
	} {
		out := filepath.Join(dir, c.format+"-"+c.fasta+".zdb")
		args := []string{"db", "build", "--format", c.format, filepath.Join(refdbFixtures, c.fasta), "-o", out, "--date", "2026-01-02"}
		if c.tax != "" {
			args = append(args, "--taxonomy", filepath.Join(refdbFixtures, c.tax))
		}
		code, stdout, stderr := zonula(t, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		for _, want := range []string{"sequences\t4\n", "input_sequences\t" + c.inputs + "\n", "built\t2026-01-02\n", "format\t3\n"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s %s: output lacks %q:\n%s", c.format, c.fasta, want, stdout)
			}
		}
		if c.format == "silva" && !strings.Contains(stderr, "skipped 1 eukaryotic") {
			t.Errorf("silva: skipped records not reported: %q", stderr)
		}
		// The file loads, checksum included.
		if code, _, stderr := zonula(t, "", "db", "info", out); code != 0 {
			t.Errorf("db info %s: exit %d: %s", out, code, stderr)
		}
		// Same input, same bytes.
		again := out + ".again"
		args[6] = again
		zonula(t, "", args...)
		a, _ := os.ReadFile(out)
		b, _ := os.ReadFile(again)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ", out)
		}
	}
}

func TestDBBuildErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.fa")
	os.WriteFile(bad, []byte(">a;tax=d:Bacteria;\nACGT\nAC!T\n"), 0o644)
	// Reference FASTA is read by seqio, as reads are: its errors name the
	// file, line and record; refdb's own checks name the record's header.
	files := map[string]string{
		"nonucleotide.fa": ">a;tax=d:Bacteria;\r\nAC-GT..\r\nACXT\r\n",
		"noheader.fa":     "ACGT\n",
		"empty.fa":        "",
		"reads.fq":        "@r1;tax=d:Bacteria;\nACGT\n+\nIIII\n",
		"dup.fa":          "\n>a;tax=d:Bacteria;\nACGT\nACGT\n\n>b;tax=d:Bacteria;\nGGGG\n>a;tax=d:Bacteria;\nTTTT\n",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	gz, _ := os.ReadFile(filepath.Join(refdbFixtures, "gtdb_ssu.fna.gz"))
	os.WriteFile(filepath.Join(dir, "cut.fna.gz"), gz[:len(gz)/2], 0o644)
	tmp := func(n string) string { return filepath.Join(dir, n) }
	fx := func(n string) string { return filepath.Join(refdbFixtures, n) }
	out := filepath.Join(dir, "o.zdb")
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad base names line", []string{"--format", "sintax", bad}, exitBadInput, bad + ":3: record 1 (a;tax=d:Bacteria;): invalid character in sequence"},
		{"not a nucleotide code", []string{"--format", "sintax", tmp("nonucleotide.fa")}, exitBadInput, tmp("nonucleotide.fa") + ":1: record 1 (a;tax=d:Bacteria;): character 'X' is not a nucleotide code"},
		{"no header", []string{"--format", "sintax", tmp("noheader.fa")}, exitBadInput, tmp("noheader.fa") + ":1: not FASTA or FASTQ"},
		{"empty file", []string{"--format", "sintax", tmp("empty.fa")}, exitBadInput, tmp("empty.fa") + ": no sequences"},
		{"FASTQ", []string{"--format", "sintax", tmp("reads.fq")}, exitBadInput, tmp("reads.fq") + ":1: record 1 (r1;tax=d:Bacteria;): reference sequences must be FASTA"},
		{"duplicate id names both lines", []string{"--format", "sintax", tmp("dup.fa")}, exitBadInput, tmp("dup.fa") + ":8: record 3 (a;tax=d:Bacteria;): id a repeated (first on line 2)"},
		{"truncated gzip", []string{"--format", "gtdb", tmp("cut.fna.gz")}, exitBadInput, tmp("cut.fna.gz")},
		{"missing taxonomy", []string{"--format", "gg2", fx("gg2.fna")}, exitUsage, "needs --taxonomy"},
		{"unexpected taxonomy", []string{"--format", "sintax", fx("sintax.fa.zst"), "--taxonomy", fx("gg2_taxonomy.tsv")}, exitUsage, "takes no --taxonomy"},
		{"unknown format", []string{"--format", "blast", fx("gg2.fna")}, exitUsage, "unknown database format"},
		{"bad date", []string{"--format", "sintax", fx("sintax.fa.zst"), "--date", "today"}, exitUsage, "YYYY-MM-DD"},
		{"missing file", []string{"--format", "sintax", filepath.Join(dir, "none.fa")}, exitBadInput, "none.fa"},
		{"id not in table", []string{"--format", "gg2", fx("gtdb_ssu.fna.gz"), "--taxonomy", fx("gg2_taxonomy.tsv")}, exitBadInput, "gtdb_ssu.fna.gz:1: record 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := zonula(t, "", append(append([]string{"db", "build"}, c.args...), "-o", out)...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, c.code, c.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed build left an output file")
			}
		})
	}
}
